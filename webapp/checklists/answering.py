"""Answering check-lists: who is invited and when, drafts, validation, submission and tallies.
Functions flush, never commit.

Invitations are made from the assignments as their time comes (`sync_invitations`): by the cron
job `flask checklists remind`, and for one person whenever she opens «Мои чек-листы», so that
nothing waits for the job. Making them is idempotent (one per assignment, person and unit).

When answering opens (`OpensOn`):
- SESSION_END: at the session's end;
- ATTENDANCE: for a participant, when she is marked present or late; for the others, when the
  roster is closed (or at the end, if nobody closes it);
- DATE: at the assignment's date; DAYS_AFTER: that many days after the session's end (the school
  head's delayed assessment); a period survey opens at its date or its first day.
It closes `open_days` days after it opens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from webapp.accounts.models import Role, RoleGrant, User
from webapp.attendance.models import ATTENDED_STATUSES, Attendance
from webapp.checklists.building import YPN_VALUES, ChecklistError
from webapp.checklists.models import (
    ChecklistAnswer,
    ChecklistAssignment,
    ChecklistDraft,
    ChecklistInvitation,
    ChecklistItem,
    ChecklistResponse,
    ChecklistTally,
    ChecklistVersion,
    ItemKind,
    OpensOn,
    RespondentRole,
)
from webapp.dbtypes import utcnow
from webapp.extensions import db
from webapp.orgs.models import Organization
from webapp.plan.models import Plan, PlanItem, PlanStatus
from webapp.sessions.models import EventSession, SessionStatus
from webapp.timefmt import MOSCOW, to_utc

#: the most a draft may hold per text answer beyond the item's limit (typing is not refused)
DRAFT_SLACK = 2
MAX_DRAFT_KEYS = 200


class AnswerError(ChecklistError):
    """Submission refused; `errors`: item key → message naming the item (field "" for the form)."""


# -- when and for whom -------------------------------------------------------------------------

def _covered_sessions(assignment: ChecklistAssignment):
    """A condition on EventSession: the published, not cancelled sessions the assignment covers."""
    published = sa.or_(EventSession.plan_item_id.is_(None), EventSession.plan_item_id.in_(
        sa.select(PlanItem.id).join(Plan, PlanItem.plan_id == Plan.id).where(Plan.status == PlanStatus.PUBLISHED)))
    if assignment.session_id is not None:
        target = EventSession.id == assignment.session_id
    elif assignment.site_id is not None:
        target = EventSession.site_id == assignment.site_id
    elif assignment.plan_item_id is not None:
        target = EventSession.plan_item_id == assignment.plan_item_id
    else:
        return sa.false()
    return sa.and_(target, EventSession.status == SessionStatus.SCHEDULED, published)


def opens_at(assignment: ChecklistAssignment, session: EventSession | None, marked_dt: datetime | None = None
             ) -> datetime | None:
    """When answering opens for one unit (None: not known yet, e.g. the roster is still open)."""
    if session is None:  # a period survey
        if assignment.opens_dt is not None:
            return assignment.opens_dt
        return to_utc(datetime.combine(assignment.period_start, time(0, 0)), "Europe/Moscow")
    if assignment.opens_on == OpensOn.DATE:
        return assignment.opens_dt
    if assignment.opens_on == OpensOn.DAYS_AFTER:
        return session.end_dt + timedelta(days=assignment.days_after)
    if assignment.opens_on == OpensOn.ATTENDANCE:
        if assignment.role == RespondentRole.PARTICIPANT and marked_dt is not None:
            return marked_dt
        return session.roster_closed_dt or session.end_dt
    return session.end_dt


@dataclass(frozen=True)
class Unit:
    user_id: int
    session: EventSession | None
    subject_user_id: int | None
    marked_dt: datetime | None

    @property
    def key(self) -> str:
        return f"{self.session.id if self.session else 0}:{self.subject_user_id or 0}"


def _units(assignment: ChecklistAssignment, user_id: int | None) -> list[Unit]:
    """Everyone the assignment asks (or, with `user_id`, that person's units only)."""
    role = assignment.role
    if role == RespondentRole.MUNICIPALITY:
        stmt = sa.select(User.id).where(User.is_active)
        if assignment.municipality_id is not None:
            stmt = stmt.join(Organization, User.organization_id == Organization.id).where(
                Organization.municipality_id == assignment.municipality_id)
        if user_id is not None:
            stmt = stmt.where(User.id == user_id)
        return [Unit(uid, None, None, None) for uid in db.session.scalars(stmt)]
    covered = _covered_sessions(assignment)
    sessions_stmt = sa.select(EventSession).where(covered)
    if role in (RespondentRole.PARTICIPANT, RespondentRole.HEAD):
        rows = db.session.execute(
            sa.select(EventSession, Attendance.user_id, Attendance.organization_id, Attendance.marked_dt)
            .join(Attendance, Attendance.session_id == EventSession.id)
            .where(covered, Attendance.status.in_(ATTENDED_STATUSES))).all()
        if role == RespondentRole.PARTICIPANT:
            return [Unit(uid, s, None, marked) for s, uid, _, marked in rows if user_id in (None, uid)]
        coordinators: dict[int, list[int]] = {}
        org_ids = {org for _, _, org, _ in rows if org is not None}
        if org_ids:
            for grant_user, org in db.session.execute(
                    sa.select(RoleGrant.user_id, RoleGrant.organization_id).join(User, RoleGrant.user_id == User.id)
                    .where(RoleGrant.role == Role.COORDINATOR, RoleGrant.organization_id.in_(org_ids), User.is_active)):
                coordinators.setdefault(org, []).append(grant_user)
        return [Unit(head, s, uid, marked) for s, uid, org, marked in rows for head in coordinators.get(org, [])
                if head != uid and user_id in (None, head)]
    sessions = db.session.scalars(sessions_stmt).all()
    if role == RespondentRole.HOST:
        site_ids = {s.site_id for s in sessions if s.site_id}
        leaders: dict[int, list[int]] = {}
        if site_ids:
            for uid, site_id in db.session.execute(
                    sa.select(RoleGrant.user_id, RoleGrant.site_id).join(User, RoleGrant.user_id == User.id)
                    .where(RoleGrant.role == Role.SITE_LEADER, RoleGrant.site_id.in_(site_ids), User.is_active)):
                leaders.setdefault(site_id, []).append(uid)
        return [Unit(uid, s, None, None) for s in sessions for uid in leaders.get(s.site_id, [])
                if user_id in (None, uid)]
    municipality_ids = {s.municipality_id for s in sessions}
    methodists: dict[int, list[int]] = {}
    if municipality_ids:
        for uid, municipality_id in db.session.execute(
                sa.select(RoleGrant.user_id, RoleGrant.municipality_id).join(User, RoleGrant.user_id == User.id)
                .where(RoleGrant.role == Role.METHODIST, RoleGrant.municipality_id.in_(municipality_ids),
                       User.is_active)):
            methodists.setdefault(municipality_id, []).append(uid)
    return [Unit(uid, s, None, None) for s in sessions for uid in methodists.get(s.municipality_id, [])
            if user_id in (None, uid)]


def _relevant_assignments(user: User | None):
    """Assignments that may concern this person (all of them when None), found in one query: for a
    participant only those covering sessions she attended, so that opening «Мои чек-листы» costs
    the same however many assignments the network has."""
    stmt = sa.select(ChecklistAssignment).where(ChecklistAssignment.cancelled_dt.is_(None))
    if user is None:
        return db.session.scalars(stmt).all()
    attended = sa.select(Attendance.session_id).where(Attendance.user_id == user.id,
                                                      Attendance.status.in_(ATTENDED_STATUSES))
    of_attended = sa.select(EventSession.id, EventSession.site_id, EventSession.plan_item_id).where(
        EventSession.id.in_(attended)).subquery()
    conditions = [sa.and_(ChecklistAssignment.role == RespondentRole.PARTICIPANT, sa.or_(
        ChecklistAssignment.session_id.in_(sa.select(of_attended.c.id)),
        ChecklistAssignment.site_id.in_(sa.select(of_attended.c.site_id)),
        ChecklistAssignment.plan_item_id.in_(sa.select(of_attended.c.plan_item_id))))]
    municipality_id = user.organization.municipality_id if user.organization is not None else None
    if municipality_id is not None:
        conditions.append(sa.and_(ChecklistAssignment.role == RespondentRole.MUNICIPALITY, sa.or_(
            ChecklistAssignment.municipality_id.is_(None), ChecklistAssignment.municipality_id == municipality_id)))
    if user.has_role(Role.SITE_LEADER):
        conditions.append(ChecklistAssignment.role == RespondentRole.HOST)
    if user.has_role(Role.METHODIST):
        conditions.append(ChecklistAssignment.role == RespondentRole.OBSERVER)
    if user.has_role(Role.COORDINATOR):
        conditions.append(ChecklistAssignment.role == RespondentRole.HEAD)
    return db.session.scalars(stmt.where(sa.or_(*conditions))).all()


def sync_invitations(now: datetime | None = None, user: User | None = None) -> int:
    """Make the invitations whose time has come (for everyone, or for one person). Idempotent."""
    now = now or utcnow()
    made = 0
    for assignment in _relevant_assignments(user):
        existing = set(db.session.execute(
            sa.select(ChecklistInvitation.user_id, ChecklistInvitation.unit)
            .where(ChecklistInvitation.assignment_id == assignment.id,
                   *([ChecklistInvitation.user_id == user.id] if user is not None else []))).all())
        rows = []
        for unit in _units(assignment, user.id if user is not None else None):
            if (unit.user_id, unit.key) in existing:
                continue
            opens = opens_at(assignment, unit.session, unit.marked_dt)
            if opens is None or opens > now:
                continue
            existing.add((unit.user_id, unit.key))
            rows.append(dict(assignment_id=assignment.id, user_id=unit.user_id,
                             session_id=unit.session.id if unit.session else None,
                             subject_user_id=unit.subject_user_id, unit=unit.key, opens_dt=opens,
                             closes_dt=opens + timedelta(days=assignment.open_days), answered=False,
                             created_dt=now))
        if rows:
            db.session.execute(sa.insert(ChecklistInvitation), rows)
            made += len(rows)
    db.session.flush()
    return made


def is_open(invitation: ChecklistInvitation, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (invitation.assignment.cancelled_dt is None and invitation.opens_dt <= now < invitation.closes_dt
            and not invitation.answered)


def waiting_for(user: User, now: datetime | None = None) -> list[ChecklistInvitation]:
    """Her open, unanswered invitations, the soonest to close first (with what the list shows)."""
    now = now or utcnow()
    return list(db.session.scalars(
        sa.select(ChecklistInvitation)
        .join(ChecklistAssignment, ChecklistInvitation.assignment_id == ChecklistAssignment.id)
        .where(ChecklistInvitation.user_id == user.id, ChecklistInvitation.answered.is_(False),
               ChecklistInvitation.opens_dt <= now, ChecklistInvitation.closes_dt > now,
               ChecklistAssignment.cancelled_dt.is_(None))
        .order_by(ChecklistInvitation.closes_dt, ChecklistInvitation.id)
        .options(sa.orm.joinedload(ChecklistInvitation.assignment).joinedload(ChecklistAssignment.template),
                 sa.orm.joinedload(ChecklistInvitation.session), sa.orm.joinedload(ChecklistInvitation.subject))))


# -- answers: parsing, visibility, validation -------------------------------------------------

def field_name(item: ChecklistItem, row_key: str | None = None) -> str:
    return f"a-{item.key}" + (f"-{row_key}" if row_key else "")


def parse_form(items: list[ChecklistItem], form) -> dict:
    """The answers as posted: item key → str, list of str (multiple) or {row: str} (matrix)."""
    answers: dict = {}
    for item in items:
        if item.kind == ItemKind.SECTION:
            continue
        if item.kind == ItemKind.MULTIPLE:
            values = [v for v in form.getlist(field_name(item)) if v]
            if values:
                answers[item.key] = values[:len(item.settings.get("options", [])) + 1]
        elif item.kind == ItemKind.MATRIX:
            rows = {r["key"]: form.get(field_name(item, r["key"]), "") for r in item.settings.get("rows", [])}
            rows = {k: v for k, v in rows.items() if v}
            if rows:
                answers[item.key] = rows
        else:
            value = form.get(field_name(item), "")
            if value.strip():
                answers[item.key] = value
    return answers


def visible_items(items: list[ChecklistItem], answers: dict) -> list[ChecklistItem]:
    """The items shown for these answers: a conditional item shows when its (shown) source has
    one of the values it waits for."""
    shown: dict[str, ChecklistItem] = {}
    for item in items:
        if item.show_if_key:
            if item.show_if_key not in shown:
                continue
            given = answers.get(item.show_if_key)
            given = set(given) if isinstance(given, list) else {given}
            if not given & set(item.show_if_values or []):
                continue
        shown[item.key] = item
    return list(shown.values())


def _label(item: ChecklistItem) -> str:
    text = item.text if len(item.text) <= 80 else item.text[:79] + "…"
    return f"«{text}»"


def clean_answers(items: list[ChecklistItem], answers: dict) -> tuple[dict, dict[str, str]]:
    """Check the answers of the shown items: (clean answers, item key → message). Answers to
    hidden items are dropped."""
    clean: dict = {}
    errors: dict[str, str] = {}
    for item in visible_items(items, answers):
        if item.kind == ItemKind.SECTION:
            continue
        value, settings, label = answers.get(item.key), item.settings or {}, _label(item)
        if value in (None, "", [], {}):
            if item.required:
                errors[item.key] = f"Ответьте на вопрос {label}."
            continue
        if item.kind in (ItemKind.SCALE, ItemKind.YES_PARTIAL_NO, ItemKind.SINGLE, ItemKind.SHORT_TEXT,
                         ItemKind.LONG_TEXT, ItemKind.NUMBER) and not isinstance(value, str):
            errors[item.key] = f"Вопрос {label}: ответ не распознан."
            continue
        if item.kind == ItemKind.SCALE:
            top = int(settings.get("max", 5))
            if value not in {str(n) for n in range(1, top + 1)}:
                errors[item.key] = f"Вопрос {label}: выберите значение от 1 до {top}."
                continue
            clean[item.key] = value
        elif item.kind == ItemKind.YES_PARTIAL_NO:
            if value not in YPN_VALUES:
                errors[item.key] = f"Вопрос {label}: выберите «да», «частично» или «нет»."
                continue
            clean[item.key] = value
        elif item.kind == ItemKind.SINGLE:
            if value not in {o["value"] for o in settings.get("options", [])}:
                errors[item.key] = f"Вопрос {label}: выберите один из предложенных вариантов."
                continue
            clean[item.key] = value
        elif item.kind == ItemKind.MULTIPLE:
            values = value if isinstance(value, list) else [value]
            allowed = [o["value"] for o in settings.get("options", [])]
            if not all(isinstance(v, str) and v in allowed for v in values) or len(set(values)) != len(values):
                errors[item.key] = f"Вопрос {label}: выберите из предложенных вариантов."
                continue
            most = settings.get("max_choices")
            if most and len(values) > most:
                errors[item.key] = f"Вопрос {label}: можно выбрать не больше {most}, выбрано {len(values)}."
                continue
            clean[item.key] = [v for v in allowed if v in values]
        elif item.kind.is_text:
            text = value.strip()
            limit = int(settings.get("max_length") or 1000)
            if len(text) > limit:
                errors[item.key] = f"Вопрос {label}: не длиннее {limit} символов (сейчас {len(text)})."
                continue
            if text:
                clean[item.key] = text
            elif item.required:
                errors[item.key] = f"Ответьте на вопрос {label}."
        elif item.kind == ItemKind.NUMBER:
            text = value.strip().replace(",", ".").replace(" ", "")
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                errors[item.key] = f"Вопрос {label}: введите число."
                continue
            if settings.get("integer", True) and number != int(number):
                errors[item.key] = f"Вопрос {label}: введите целое число."
                continue
            low, high = settings.get("min"), settings.get("max")
            if (low is not None and number < low) or (high is not None and number > high):
                errors[item.key] = f"Вопрос {label}: число от {_num(low)} до {_num(high)}." if low is not None and high is not None \
                    else f"Вопрос {label}: число не {'меньше ' + _num(low) if low is not None and number < low else 'больше ' + _num(high)}."
                continue
            clean[item.key] = _num(number)
        elif item.kind == ItemKind.MATRIX:
            rows = {r["key"]: r["label"] for r in settings.get("rows", [])}
            top = int(settings.get("max", 5))
            if not isinstance(value, dict) or not set(value) <= set(rows):
                errors[item.key] = f"Вопрос {label}: ответ не распознан."
                continue
            bad = [rows[k] for k, v in value.items() if v not in {str(n) for n in range(1, top + 1)}]
            if bad:
                errors[item.key] = f"Вопрос {label}, строка «{bad[0]}»: выберите значение от 1 до {top}."
                continue
            missing = [label_ for key, label_ in rows.items() if key not in value]
            if item.required and missing:
                errors[item.key] = f"Вопрос {label}: оцените строку «{missing[0]}»."
                continue
            clean[item.key] = {k: value[k] for k in rows if k in value}
    return clean, errors


def _num(value) -> str:
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value == int(value) else f"{value:g}"


# -- drafts and submission --------------------------------------------------------------------

def draft_and_version(invitation: ChecklistInvitation) -> tuple[ChecklistDraft | None, ChecklistVersion]:
    """Her draft (if any) and the version she answers: the draft's, else the template's current one."""
    draft = db.session.scalar(sa.select(ChecklistDraft).where(ChecklistDraft.invitation_id == invitation.id))
    return draft, draft.version if draft is not None else invitation.assignment.template.current_version


def _refusal(invitation: ChecklistInvitation, user: User, now: datetime) -> str | None:
    if invitation.user_id != user.id:
        return "Этот чек-лист адресован другому участнику."
    if invitation.answered:
        return "Вы уже ответили на этот чек-лист: ответ принимается один раз."
    if invitation.assignment.cancelled_dt is not None:
        return "Опрос отменён организатором."
    if now < invitation.opens_dt:
        return "Чек-лист ещё не открыт."
    if now >= invitation.closes_dt:
        return "Срок ответа истёк: чек-лист закрыт."
    return None


def _lock(invitation_id: int) -> ChecklistInvitation:
    invitation = db.session.execute(
        sa.select(ChecklistInvitation).where(ChecklistInvitation.id == invitation_id)
        .with_for_update().execution_options(populate_existing=True)).scalar_one_or_none()
    if invitation is None:
        raise AnswerError("Чек-лист не найден.", 404)
    return invitation


def _answerable(invitation_id: int, user: User, version_id: int | None, now: datetime
                ) -> tuple[ChecklistInvitation, ChecklistDraft | None, ChecklistVersion]:
    """Her invitation, locked, if she may answer it now, with her draft and the version she answers.

    `version_id`: the version the form showed; a form of another version (another template's, or
    from before the template changed) is refused."""
    invitation = _lock(invitation_id)
    refusal = _refusal(invitation, user, now)
    if refusal:
        raise AnswerError(refusal, 404 if invitation.user_id != user.id else 409)
    draft, version = draft_and_version(invitation)
    if version_id is not None and version_id != version.id:
        raise AnswerError("Форма не от этого чек-листа (или чек-лист изменился): обновите страницу. "
                          "Черновик не изменён.", 422)
    return invitation, draft, version


def _trim_draft(items: list[ChecklistItem], answers: dict) -> dict:
    """What a draft keeps: answers to this version's items, texts cut to a sane length."""
    by_key = {i.key: i for i in items}
    kept: dict = {}
    for key, value in list(answers.items())[:MAX_DRAFT_KEYS]:
        item = by_key.get(key)
        if item is None:
            continue
        if isinstance(value, str):
            limit = int((item.settings or {}).get("max_length") or 1000) * DRAFT_SLACK
            kept[key] = value[:limit]
        elif isinstance(value, list):
            kept[key] = [str(v)[:40] for v in value][:MAX_DRAFT_KEYS]
        elif isinstance(value, dict):
            kept[key] = {str(k)[:40]: str(v)[:40] for k, v in list(value.items())[:MAX_DRAFT_KEYS]}
    return kept


def save_draft(invitation_id: int, user: User, form, version_id: int | None = None,
               now: datetime | None = None) -> ChecklistDraft:
    """Keep what she has typed so far (nothing is checked but the size).

    `version_id`: the version the form showed; a form of another template's version is refused."""
    now = now or utcnow()
    invitation, draft, version = _answerable(invitation_id, user, version_id, now)
    answers = _trim_draft(version.items, parse_form(version.items, form))
    if draft is None:
        draft = ChecklistDraft(invitation_id=invitation.id, version_id=version.id, answers=answers, updated_dt=now)
        db.session.add(draft)
    else:
        draft.answers, draft.updated_dt = answers, now
    db.session.flush()
    return draft


def submit(invitation_id: int, user: User, form, version_id: int | None = None,
           now: datetime | None = None) -> ChecklistResponse:
    """Check every answer, then write the response (apart from her, if anonymous), count it in the
    tallies, mark the invitation answered and drop the draft. On errors the caller keeps the
    typed answers as the draft (`save_draft`) and shows the messages."""
    now = now or utcnow()
    invitation, draft, version = _answerable(invitation_id, user, version_id, now)
    items = list(version.items)
    clean, errors = clean_answers(items, parse_form(items, form))
    if errors:
        raise AnswerError(errors)
    assignment = invitation.assignment
    anonymous = assignment.anonymous
    session = invitation.session
    today = now.astimezone(MOSCOW).date()
    response = ChecklistResponse(
        template_id=assignment.template_id, version_id=version.id, assignment_id=assignment.id,
        session_id=invitation.session_id,
        municipality_id=session.municipality_id if session else assignment.municipality_id,
        role=assignment.role, user_id=None if anonymous else user.id,
        subject_user_id=None if anonymous else invitation.subject_user_id,
        submitted_on=today, submitted_dt=None if anonymous else now)
    by_key = {i.key: i for i in items}
    for key, value in clean.items():
        item = by_key[key]
        for row_key, text, number in _answer_rows(item, value):
            response.answers.append(ChecklistAnswer(item_key=key, row_key=row_key, value_text=text, value_num=number))
    db.session.add(response)
    invitation.answered = True
    invitation.answered_dt = None if anonymous else now
    if draft is not None:
        db.session.delete(draft)
    db.session.flush()
    _count(response, items, clean, today)
    return response


def _answer_rows(item: ChecklistItem, value) -> list[tuple[str, str, float | None]]:
    """(row key, text, number) rows of one answer."""
    if item.kind == ItemKind.MULTIPLE:
        return [("", v, None) for v in value]
    if item.kind == ItemKind.MATRIX:
        return [(row, v, float(v)) for row, v in value.items()]
    if item.kind in (ItemKind.SCALE, ItemKind.NUMBER):
        return [("", value, float(value))]
    return [("", value, None)]


def _tally_cells(item: ChecklistItem, value) -> list[tuple[str, str, float | None]]:
    """(row key, value, number) cells one answer adds 1 to; "*" counts those who answered."""
    cells: list[tuple[str, str, float | None]] = [("", "*", None)]
    if item.kind.is_text:
        return cells
    if item.kind == ItemKind.MATRIX:
        return cells + [(row, v, float(v)) for row, v in value.items()]
    if item.kind == ItemKind.MULTIPLE:
        return cells + [("", v, None) for v in value]
    number = float(value) if item.kind in (ItemKind.SCALE, ItemKind.NUMBER) else None
    return cells + [("", value[:60], number)]


def _count(response: ChecklistResponse, items: list[ChecklistItem], clean: dict, today: date) -> None:
    """Add the response to the tallies: one atomic upsert per cell, so concurrent submissions
    never lose a count."""
    month = today.replace(day=1)
    base = dict(template_id=response.template_id, assignment_id=response.assignment_id,
                session_id=response.session_id or 0, municipality_id=response.municipality_id, month=month)
    cells = [dict(base, item_key="*", row_key="", value="*", value_num=None)]
    by_key = {i.key: i for i in items}
    for key, value in clean.items():
        for row_key, cell_value, number in _tally_cells(by_key[key], value):
            cells.append(dict(base, item_key=key, row_key=row_key, value=cell_value, value_num=number))
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = ChecklistTally.__table__
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=["template_id", "assignment_id", "session_id", "month", "item_key", "row_key", "value"],
        set_={"count": table.c.count + 1})
    db.session.execute(statement, [dict(cell, count=1) for cell in cells])
