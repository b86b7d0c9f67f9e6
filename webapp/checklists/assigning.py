"""Who answers a check-list, and when: attaching templates to what they cover (assignments),
withdrawing them, and what staff lists show about them. Functions flush, never commit.

An assignment covers one target: a session, every session of a site or of a plan item, or a
period (a network or municipal survey such as the November satisfaction survey). Per-session
roles (participant, host, observer, head) go with the first three; «все педагоги территории» only
with a period, and a period only with it. A period survey always opens on a date: the one given,
else the period's first day.

Who may attach (and withdraw) what: admins anything; a methodist targets of her municipalities;
a site leader her sites' sessions and her sites themselves. Rules raise `ChecklistError`
(field → Russian message; status 422, 403 for a target she does not run, 409 for a duplicate or
a second withdrawal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from webapp.accounts import auth
from webapp.accounts.models import Role, User
from webapp.attendance.services import managed_sessions
from webapp.checklists.building import ChecklistError, visible_templates_clause
from webapp.checklists.models import (
    ChecklistAssignment,
    ChecklistInvitation,
    ChecklistTemplate,
    OpensOn,
    RespondentRole,
)
from webapp.dbtypes import matches_words, utcnow
from webapp.extensions import db
from webapp.orgs.models import Municipality, Organization
from webapp.plan.models import Plan, PlanItem
from webapp.sessions.models import EventSession, SessionStatus
from webapp.sites.models import Site
from webapp.timefmt import MOSCOW, format_day, format_dt, to_utc
from webapp.ui import plural

#: dates are entered (and a period's first day starts) in Moscow time
ENTRY_ZONE = "Europe/Moscow"
DEFAULT_OPEN_DAYS = 14
#: a school head's delayed assessment stays open longer: she answers for several teachers
HEAD_OPEN_DAYS = 30
MAX_DAYS = 365
MAX_PERIOD_DAYS = 366
#: dates outside these years are typing mistakes (and year 1 would overflow time zone arithmetic)
YEARS = (2000, 2100)
PICKER_LIMIT = 50


class TargetKind:
    SESSION = "session"
    SITE = "site"
    PLAN_ITEM = "plan_item"
    PERIOD = "period"

    ALL = (SESSION, SITE, PLAN_ITEM, PERIOD)
    LABELS = {
        SESSION: "Одно мероприятие",
        SITE: "Все мероприятия площадки",
        PLAN_ITEM: "Все мероприятия пункта плана",
        PERIOD: "Опрос за период (например, ноябрьский опрос удовлетворённости)",
    }
    #: the form field that names each kind's target
    FIELDS = {SESSION: "session_id", SITE: "site_id", PLAN_ITEM: "plan_item_id", PERIOD: "period_start"}


@dataclass(frozen=True)
class Target:
    """What an assignment covers, resolved to objects (exactly one of the four is set)."""

    session: EventSession | None = None
    site: Site | None = None
    plan_item: PlanItem | None = None
    period: tuple[date, date] | None = None
    #: a period's municipality (None: the whole network)
    period_municipality_id: int | None = None

    @property
    def kind(self) -> str:
        if self.session is not None:
            return TargetKind.SESSION
        if self.site is not None:
            return TargetKind.SITE
        if self.plan_item is not None:
            return TargetKind.PLAN_ITEM
        return TargetKind.PERIOD

    @property
    def municipality_id(self) -> int | None:
        """Whose methodists own an assignment on this target."""
        if self.session is not None:
            return self.session.municipality_id
        if self.site is not None:
            return self.site.organization.municipality_id
        if self.plan_item is not None:
            return self.plan_item.plan.municipality_id
        return self.period_municipality_id


def target_of(assignment: ChecklistAssignment) -> Target:
    if assignment.session_id is not None:
        return Target(session=assignment.session)
    if assignment.site_id is not None:
        return Target(site=assignment.site)
    if assignment.plan_item_id is not None:
        return Target(plan_item=assignment.plan_item)
    return Target(period=(assignment.period_start, assignment.period_end or assignment.period_start),
                  period_municipality_id=assignment.municipality_id)


# -- who may -----------------------------------------------------------------------------------

def can_assign(user: User | None) -> bool:
    """Admins, methodists and site leaders attach check-lists (each within her scope)."""
    return bool(user) and (user.is_admin or user.has_role(Role.METHODIST) or user.has_role(Role.SITE_LEADER))


def _may_use_kind(user: User, kind: str) -> bool:
    """Plan items and periods belong to the plan owners: site leaders attach to sessions and sites."""
    if kind in (TargetKind.PLAN_ITEM, TargetKind.PERIOD):
        return user.is_admin or user.has_role(Role.METHODIST)
    return True


def may_manage_target(user: User | None, target: Target) -> bool:
    """May she attach a check-list to this target (or withdraw one attached to it)?"""
    if not user:
        return False
    if user.is_admin:
        return True
    if target.session is not None:
        return auth.can_manage_session(user, target.session)
    if target.site is not None:
        return (auth.methodist_of(user, target.site.organization.municipality_id)
                or target.site.id in user.scope_ids(Role.SITE_LEADER))
    # plan items and periods: the methodist of the municipality (network-wide ones: admins)
    return auth.methodist_of(user, target.municipality_id)


def managed_assignments(user: User):
    """The assignments this person manages, as a condition on ChecklistAssignment (the rule of
    may_manage_target, for lists): admins all, a methodist her municipalities', a site leader
    her sites' and their sessions'."""
    if user.is_admin:
        return sa.true()
    A = ChecklistAssignment
    conditions = []
    if municipalities := user.scope_ids(Role.METHODIST):
        conditions += [
            A.session_id.in_(sa.select(EventSession.id).where(EventSession.municipality_id.in_(municipalities))),
            A.site_id.in_(sa.select(Site.id).join(Organization, Site.organization_id == Organization.id)
                          .where(Organization.municipality_id.in_(municipalities))),
            A.plan_item_id.in_(sa.select(PlanItem.id).join(Plan, PlanItem.plan_id == Plan.id)
                               .where(Plan.municipality_id.in_(municipalities))),
            sa.and_(A.period_start.is_not(None), A.municipality_id.in_(municipalities)),
        ]
    if sites := user.scope_ids(Role.SITE_LEADER):
        conditions += [A.site_id.in_(sites),
                       A.session_id.in_(sa.select(EventSession.id).where(EventSession.site_id.in_(sites)))]
    return sa.or_(*conditions) if conditions else sa.false()


def assignable_templates(user: User):
    """Templates she may attach: visible to her and not archived."""
    return (sa.select(ChecklistTemplate)
            .where(visible_templates_clause(user), ChecklistTemplate.archived_dt.is_(None))
            .order_by(ChecklistTemplate.title, ChecklistTemplate.id))


def site_choices(user: User) -> list[tuple[int, str]]:
    """(id, «site (municipality)») for the form's select."""
    return [(r.id, f"{r.name} ({r.municipality})") for r in db.session.execute(managed_sites(user))]


def plan_item_choices(user: User) -> list[tuple[int, str]]:
    """(id, «№ 5. title (plan)») for the form's select."""
    return [(r.id, f"№ {r.number}. {_short(r.title, 90)} ({_short(r.plan_title, 40)})")
            for r in db.session.execute(managed_plan_items(user))]


def managed_sites(user: User) -> sa.Select:
    """The sites she may attach to: active ones in her municipalities (admins: all active), and
    a site leader's own even when no longer active."""
    stmt = (sa.select(Site.id, Site.name, Municipality.name.label("municipality"))
            .join(Organization, Site.organization_id == Organization.id)
            .join(Municipality, Organization.municipality_id == Municipality.id)
            .order_by(Site.name, Site.id))
    if user.is_admin:
        return stmt.where(Site.is_active)
    conditions = []
    if municipalities := user.scope_ids(Role.METHODIST):
        conditions.append(sa.and_(Site.is_active, Organization.municipality_id.in_(municipalities)))
    if sites := user.scope_ids(Role.SITE_LEADER):
        conditions.append(Site.id.in_(sites))
    return stmt.where(sa.or_(*conditions) if conditions else sa.false())


def managed_plan_items(user: User) -> sa.Select:
    """Plan items she may attach to (plans of her municipalities; admins all), newest plans first."""
    stmt = (sa.select(PlanItem.id, PlanItem.number, PlanItem.title, Plan.title.label("plan_title"))
            .join(Plan, PlanItem.plan_id == Plan.id)
            .order_by(Plan.period_start.desc(), Plan.id, PlanItem.position, PlanItem.id))
    if user.is_admin:
        return stmt
    municipalities = user.scope_ids(Role.METHODIST)
    return stmt.where(Plan.municipality_id.in_(municipalities)) if municipalities else stmt.where(sa.false())


def managed_municipalities(user: User) -> sa.Select:
    stmt = sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)
    if user.is_admin:
        return stmt
    return stmt.where(Municipality.id.in_(user.scope_ids(Role.METHODIST) or [0]))


def _assignable_sessions(user: User):
    """Sessions she runs (attendance's rule), not cancelled."""
    return sa.select(EventSession).where(EventSession.status == SessionStatus.SCHEDULED, managed_sessions(user))


def session_options(user: User, q: str = "", selected_id: int | None = None
                    ) -> tuple[list[EventSession], EventSession | None]:
    """The session picker: her sessions (not cancelled) matching `q`, newest first, at most 50;
    and the chosen one, if she may use it, shown first whatever the search."""
    selected = None
    if selected_id:
        selected = db.session.scalars(
            _assignable_sessions(user).where(EventSession.id == selected_id)
            .options(joinedload(EventSession.site))).unique().one_or_none()
    stmt = _assignable_sessions(user)
    q = " ".join((q or "").split())[:200]
    if q:
        stmt = stmt.where(matches_words(EventSession.search_text, q))
    if selected is not None:
        stmt = stmt.where(EventSession.id != selected.id)
    found = list(db.session.scalars(
        stmt.options(joinedload(EventSession.site))
        .order_by(EventSession.start_dt.desc(), EventSession.id.desc())
        .limit(PICKER_LIMIT - (1 if selected is not None else 0))).unique())
    return ([selected] if selected is not None else []) + found, selected


# -- creating ----------------------------------------------------------------------------------

def _sane_moment(value, field: str, errors: dict) -> datetime | None:
    """A date-time entered in Moscow time (naive) or given as an aware time, as UTC."""
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0))
    if not isinstance(value, datetime) or not YEARS[0] <= value.year <= YEARS[1]:
        errors[field] = f"Проверьте дату: год от {YEARS[0]} до {YEARS[1]}."
        return None
    if value.tzinfo is None:
        return to_utc(value, ENTRY_ZONE)
    return value.astimezone(timezone.utc)


def _days(value, field: str, errors: dict, low: int, high: int, message: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = message
        return None
    if isinstance(value, float) and value != number or not low <= number <= high:
        errors[field] = message
        return None
    return number


def _resolve_target(user: User, target: str | None, session_id, site_id, plan_item_id, period_start,
                    period_end, municipality_id, errors: dict) -> tuple[str | None, Target | None]:
    """The target as objects, or (kind, None) with messages in `errors`."""
    given = {TargetKind.SESSION: session_id is not None, TargetKind.SITE: site_id is not None,
             TargetKind.PLAN_ITEM: plan_item_id is not None,
             TargetKind.PERIOD: period_start is not None or period_end is not None}
    named = [kind for kind, present in given.items() if present]
    if target not in TargetKind.ALL:
        if target or not named:
            errors["target"] = "Выберите, к чему прикрепить чек-лист: мероприятие, площадку, пункт плана или период."
            return None, None
        target = named[0]
    if any(kind != target for kind in named):
        errors["target"] = "Укажите что-то одно: мероприятие, площадку, пункт плана или период."
        return target, None

    if target == TargetKind.SESSION:
        if session_id is None:
            errors["session_id"] = "Выберите мероприятие из списка."
            return target, None
        session = db.session.scalars(
            sa.select(EventSession).where(EventSession.id == session_id)
            .options(joinedload(EventSession.site))).unique().one_or_none() if _is_id(session_id) else None
        if session is None:
            errors["session_id"] = "Мероприятие не найдено. Выберите его из списка."
            return target, None
        if session.status == SessionStatus.CANCELLED:
            errors["session_id"] = "Мероприятие отменено: прикрепить к нему чек-лист нельзя."
        return target, Target(session=session)
    if target == TargetKind.SITE:
        site = db.session.get(Site, site_id) if _is_id(site_id) else None
        if site is None:
            errors["site_id"] = "Площадка не найдена. Выберите её из списка." if site_id is not None \
                else "Выберите площадку."
            return target, None
        return target, Target(site=site)
    if target == TargetKind.PLAN_ITEM:
        item = db.session.scalars(
            sa.select(PlanItem).where(PlanItem.id == plan_item_id).options(joinedload(PlanItem.plan))
        ).unique().one_or_none() if _is_id(plan_item_id) else None
        if item is None:
            errors["plan_item_id"] = "Пункт плана не найден. Выберите его из списка." if plan_item_id is not None \
                else "Выберите пункт плана."
            return target, None
        return target, Target(plan_item=item)

    ok = True
    start = end = None
    if period_start is None:
        errors["period_start"] = "Укажите первый день периода."
        ok = False
    elif not isinstance(period_start, date) or not YEARS[0] <= period_start.year <= YEARS[1]:
        errors["period_start"] = f"Проверьте дату: год от {YEARS[0]} до {YEARS[1]}."
        ok = False
    else:
        start = period_start.date() if isinstance(period_start, datetime) else period_start
    if period_end is None:
        errors["period_end"] = "Укажите последний день периода."
        ok = False
    elif not isinstance(period_end, date) or not YEARS[0] <= period_end.year <= YEARS[1]:
        errors["period_end"] = f"Проверьте дату: год от {YEARS[0]} до {YEARS[1]}."
        ok = False
    else:
        end = period_end.date() if isinstance(period_end, datetime) else period_end
    if start and end:
        if end < start:
            errors["period_end"] = "Последний день периода не может быть раньше первого."
            ok = False
        elif (end - start).days >= MAX_PERIOD_DAYS:
            errors["period_end"] = "Период опроса — не длиннее года."
            ok = False
    if municipality_id is not None:
        if not _is_id(municipality_id) or db.session.get(Municipality, municipality_id) is None:
            errors["municipality_id"] = "Территория не найдена. Выберите её из списка."
            ok = False
    elif not user.is_admin:
        errors["municipality_id"] = "Выберите территорию, педагогов которой спрашиваете."
        ok = False
    if not ok:
        return target, None
    return target, Target(period=(start, end), period_municipality_id=municipality_id)


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def _check_template(user: User, template_id, errors: dict) -> ChecklistTemplate | None:
    if template_id is None:
        errors["template_id"] = "Выберите чек-лист."
        return None
    template = db.session.scalar(
        sa.select(ChecklistTemplate).where(ChecklistTemplate.id == template_id, visible_templates_clause(user))
    ) if _is_id(template_id) else None
    if template is None:
        errors["template_id"] = "Чек-лист не найден. Выберите его из списка."
        return None
    if template.archived_dt is not None:
        errors["template_id"] = "Этот чек-лист в архиве: прикрепить его нельзя."
        return None
    if not template.versions or not any(i.kind.is_question for i in template.current_version.items):
        errors["template_id"] = "В этом чек-листе пока нет ни одного вопроса: добавьте вопросы в конструкторе."
        return None
    return template


def create_assignment(actor: User | None, *, template_id, role, opens_on=None, target: str | None = None,
                      session_id=None, site_id=None, plan_item_id=None, period_start=None, period_end=None,
                      municipality_id=None, opens_dt=None, days_after=None, open_days=None,
                      anonymous: bool = False) -> ChecklistAssignment:
    """Attach a template to one target for one respondent role.

    `target` names the kind of target the form chose (else it is read from the ids given);
    `opens_dt` is a wall-clock time in Moscow (or an aware time); `open_days` defaults to 14
    (30 for a school head's delayed assessment). Raises ChecklistError: 403 for a target she
    does not run, 409 for the same template already attached there for that role, 422 otherwise.
    """
    if not can_assign(actor):
        raise ChecklistError("Прикреплять чек-листы могут методисты, руководители площадок и администраторы.", 403)
    errors: dict[str, str] = {}
    template = _check_template(actor, template_id, errors)
    kind, resolved = _resolve_target(actor, target, session_id, site_id, plan_item_id, period_start, period_end,
                                     municipality_id, errors)

    # rights before the details: a stranger learns nothing about what else is wrong
    if kind is not None and not _may_use_kind(actor, kind):
        raise ChecklistError({"target": "Пункты плана и опросы за период назначают методисты и администраторы: "
                                        "руководитель площадки прикрепляет чек-листы к мероприятиям и площадке."}, 403)
    if resolved is not None and not may_manage_target(actor, resolved):
        field = TargetKind.FIELDS[resolved.kind] if resolved.kind != TargetKind.PERIOD else "municipality_id"
        raise ChecklistError({field: "Вы не ведёте это: прикрепить сюда чек-лист может методист его территории, "
                                     "руководитель его площадки или администратор."}, 403)

    role_value = role if isinstance(role, RespondentRole) else RespondentRole.parse(role)
    if role_value is None:
        errors["role"] = "Выберите, кто отвечает."
    elif kind == TargetKind.PERIOD and role_value != RespondentRole.MUNICIPALITY:
        errors["role"] = "Опрос за период адресован всем педагогам территории: выберите «Все педагоги территории»."
    elif kind is not None and kind != TargetKind.PERIOD and role_value == RespondentRole.MUNICIPALITY:
        errors["role"] = ("«Все педагоги территории» отвечают только на опрос за период; для мероприятия выберите "
                          "участников, ведущего, наблюдателя или руководителя школы.")

    opens_value = opens_on if isinstance(opens_on, OpensOn) else OpensOn.parse(opens_on)
    opens_moment = None
    days = 0
    if kind == TargetKind.PERIOD:
        # a period has no session to end: it opens on a date, the period's first day unless given
        opens_value = OpensOn.DATE
        opens_moment = _sane_moment(opens_dt, "opens_dt", errors)
        if resolved is not None:
            first, last = resolved.period
            if opens_moment is None and "opens_dt" not in errors:
                opens_moment = to_utc(datetime.combine(first, time(0, 0)), ENTRY_ZONE)
            elif opens_moment is not None and not first <= opens_moment.astimezone(MOSCOW).date() <= last:
                errors["opens_dt"] = "Дата открытия должна попадать в период опроса."
    elif opens_value is None:
        errors["opens_on"] = "Выберите, когда открывается чек-лист."
    elif opens_value == OpensOn.DATE:
        if opens_dt is None:
            errors["opens_dt"] = "Укажите дату и время, когда открыть чек-лист (по московскому времени)."
        else:
            opens_moment = _sane_moment(opens_dt, "opens_dt", errors)
    elif opens_value == OpensOn.DAYS_AFTER:
        if days_after is None or days_after == "":
            errors["days_after"] = "Укажите, через сколько дней после мероприятия открыть чек-лист (обычно 90)."
        else:
            days = _days(days_after, "days_after", errors, 1, MAX_DAYS,
                         f"Через сколько дней — целое число от 1 до {MAX_DAYS}.") or 0

    open_for = _days(open_days, "open_days", errors, 1, MAX_DAYS,
                     f"Сколько дней открыт — целое число от 1 до {MAX_DAYS}.")
    if open_for is None:
        open_for = HEAD_OPEN_DAYS if role_value == RespondentRole.HEAD else DEFAULT_OPEN_DAYS

    if errors:
        raise ChecklistError(errors)

    # Serialize attaching one template (PostgreSQL; SQLite writes one at a time anyway), so two
    # clicks cannot both pass the duplicate check.
    db.session.execute(sa.select(ChecklistTemplate.id).where(ChecklistTemplate.id == template.id).with_for_update())
    columns = dict(session_id=resolved.session.id if resolved.session is not None else None,
                   site_id=resolved.site.id if resolved.site is not None else None,
                   plan_item_id=resolved.plan_item.id if resolved.plan_item is not None else None,
                   period_start=resolved.period[0] if resolved.period else None,
                   period_end=resolved.period[1] if resolved.period else None)
    same = sa.select(ChecklistAssignment.id).where(
        ChecklistAssignment.template_id == template.id, ChecklistAssignment.role == role_value,
        ChecklistAssignment.cancelled_dt.is_(None),
        *[(getattr(ChecklistAssignment, name) == value) if value is not None
          else getattr(ChecklistAssignment, name).is_(None) for name, value in columns.items()])
    if kind == TargetKind.PERIOD:
        same = same.where(ChecklistAssignment.municipality_id == resolved.municipality_id
                          if resolved.municipality_id is not None else ChecklistAssignment.municipality_id.is_(None))
    if db.session.scalar(same.limit(1)) is not None:
        raise ChecklistError({"": f"Чек-лист «{template.title}» уже прикреплён сюда для роли "
                                  f"«{role_value.label}». Отмените прежнее назначение, если хотите задать "
                                  f"другие сроки."}, 409)

    assignment = ChecklistAssignment(
        template_id=template.id, role=role_value, opens_on=opens_value, opens_dt=opens_moment, days_after=days,
        open_days=open_for, anonymous=bool(anonymous), municipality_id=resolved.municipality_id,
        created_by_id=actor.id, **columns)
    db.session.add(assignment)
    db.session.flush()
    return assignment


# -- withdrawing -------------------------------------------------------------------------------

def cancel_assignment(actor: User | None, assignment: ChecklistAssignment,
                      now: datetime | None = None) -> ChecklistAssignment:
    """Withdraw an assignment: no new invitations, open ones stop taking answers; the answers
    given stay in the results. Refused for someone who could not have attached it (403) and
    when it is already withdrawn (409)."""
    now = now or utcnow()
    if not may_manage_target(actor, target_of(assignment)):
        raise ChecklistError("Отменить это назначение может методист территории, руководитель площадки "
                             "или администратор.", 403)
    if assignment.cancelled_dt is not None:
        raise ChecklistError(_already_cancelled(assignment), 409)
    # Conditional update: of two people withdrawing at once, the second is told it is done.
    result = db.session.execute(
        sa.update(ChecklistAssignment)
        .where(ChecklistAssignment.id == assignment.id, ChecklistAssignment.cancelled_dt.is_(None))
        .values(cancelled_dt=now))
    if result.rowcount != 1:
        db.session.refresh(assignment)
        raise ChecklistError(_already_cancelled(assignment), 409)
    return assignment


def _already_cancelled(assignment: ChecklistAssignment) -> str:
    when = f" {format_dt(assignment.cancelled_dt, ENTRY_ZONE)}" if assignment.cancelled_dt else ""
    return f"Это назначение уже отменено{when}."


# -- what lists show ---------------------------------------------------------------------------

def _short(text: str, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _days_word(n: int) -> str:
    return f"{n} {plural(n, 'день', 'дня', 'дней')}"


def target_in_words(assignment: ChecklistAssignment) -> str:
    """«Мероприятие «…», 12 марта 2027», «Все мероприятия площадки «…»», «Пункт плана № 5 «…»»,
    «Период 01.11.2026–30.11.2026, территория: …»."""
    if assignment.session_id is not None and assignment.session is not None:
        s = assignment.session
        return f"Мероприятие «{_short(s.title)}», {format_day(s.start_dt, s.timezone)}"
    if assignment.site_id is not None and assignment.site is not None:
        return f"Все мероприятия площадки «{_short(assignment.site.name)}»"
    if assignment.plan_item_id is not None and assignment.plan_item is not None:
        item = assignment.plan_item
        return f"Пункт плана № {item.number} «{_short(item.title, 70)}» ({_short(item.plan.title, 40)})"
    if assignment.period_start is not None:
        end = assignment.period_end or assignment.period_start
        where = f"территория: {assignment.municipality.name}" if assignment.municipality is not None \
            else "вся сеть"
        return f"Период {assignment.period_start:%d.%m.%Y}–{end:%d.%m.%Y}, {where}"
    return "—"


def opening_in_words(assignment: ChecklistAssignment) -> str:
    """«после окончания мероприятия, на 14 дней», «через 90 дней после мероприятия, на 30 дней»…"""
    if assignment.period_start is not None or assignment.opens_on == OpensOn.DATE:
        moment = assignment.opens_dt or to_utc(datetime.combine(assignment.period_start, time(0, 0)), ENTRY_ZONE)
        start = f"с {format_dt(moment, ENTRY_ZONE)}"
    elif assignment.opens_on == OpensOn.DAYS_AFTER:
        start = f"через {_days_word(assignment.days_after)} после мероприятия"
    elif assignment.opens_on == OpensOn.ATTENDANCE:
        start = "когда отмечена посещаемость"
    else:
        start = "после окончания мероприятия"
    return f"{start}, на {_days_word(assignment.open_days)}"


@dataclass
class AssignmentRow:
    assignment: ChecklistAssignment
    target: str
    opening: str
    invited: int = 0
    answered: int = 0

    @property
    def rate(self) -> int | None:
        """Answered, per cent of the invited (None before anyone is invited)."""
        return round(100 * self.answered / self.invited) if self.invited else None


def rows_for(assignments: list[ChecklistAssignment]) -> list[AssignmentRow]:
    """Rows with invitation counts: one grouped query for the whole page."""
    counts: dict[int, tuple[int, int]] = {}
    ids = [a.id for a in assignments]
    if ids:
        answered = sa.func.sum(sa.case((ChecklistInvitation.answered.is_(True), 1), else_=0))
        counts = {aid: (int(invited or 0), int(done or 0)) for aid, invited, done in db.session.execute(
            sa.select(ChecklistInvitation.assignment_id, sa.func.count(), answered)
            .where(ChecklistInvitation.assignment_id.in_(ids))
            .group_by(ChecklistInvitation.assignment_id))}
    return [AssignmentRow(a, target_in_words(a), opening_in_words(a), *counts.get(a.id, (0, 0)))
            for a in assignments]


def list_options():
    """What a row shows, loaded with the row (each relation once per page, not per row)."""
    return (joinedload(ChecklistAssignment.template),
            joinedload(ChecklistAssignment.session),
            joinedload(ChecklistAssignment.site),
            joinedload(ChecklistAssignment.plan_item).joinedload(PlanItem.plan),
            joinedload(ChecklistAssignment.municipality))


def load_assignment(assignment_id: int) -> ChecklistAssignment | None:
    return db.session.scalars(
        sa.select(ChecklistAssignment).where(ChecklistAssignment.id == assignment_id).options(*list_options())
    ).unique().one_or_none()


@dataclass
class SessionAssignment:
    assignment: ChecklistAssignment
    #: how it reaches the session: «напрямую», «через площадку», «через пункт плана»
    via: str
    opening: str


def for_session(session: EventSession) -> list[SessionAssignment]:
    """The active assignments that cover a session: on it, on its site, on its plan item (one query)."""
    A = ChecklistAssignment
    covering = [A.session_id == session.id]
    if session.site_id is not None:
        covering.append(A.site_id == session.site_id)
    if session.plan_item_id is not None:
        covering.append(A.plan_item_id == session.plan_item_id)
    assignments = db.session.scalars(
        sa.select(A).where(sa.or_(*covering), A.cancelled_dt.is_(None))
        .options(joinedload(A.template)).order_by(A.created_dt, A.id)).unique().all()
    return [SessionAssignment(a, "напрямую" if a.session_id is not None
                              else "через площадку" if a.site_id is not None else "через пункт плана",
                              opening_in_words(a)) for a in assignments]


def suggested_period(today: date | None = None) -> tuple[date, date]:
    """November of the current academic year: the yearly survey of satisfaction with methodical help."""
    today = today or datetime.now(MOSCOW).date()
    year = today.year if today.month >= 9 else today.year - 1
    return date(year, 11, 1), date(year, 11, 30)


