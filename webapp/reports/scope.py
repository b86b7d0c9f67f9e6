"""Who may read which reports, and the filters every report page shares: a period, a
municipality, a site, a direction.

Admins read every municipality; a methodist reads hers (asking for another's is a 403); nobody
else reads reports. The period is a range of days in Moscow time (the network's clock): by
default the current academic year (1 September – 31 August). Filter values that make no sense
(a malformed date, an unknown direction) are ignored with a note the page shows, never an error;
a municipality or a site outside her scope is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Mapping

import sqlalchemy as sa
from flask import abort

from webapp.accounts import auth
from webapp.accounts.models import Role, User
from webapp.extensions import db
from webapp.orgs.models import Municipality, Organization
from webapp.plan.models import Plan, PlanItem, PlanStatus
from webapp.sessions.models import EventSession
from webapp.sites.models import Site
from webapp.taxonomy.models import Direction
from webapp.timefmt import MOSCOW, academic_year_bounds, academic_year_label, academic_year_of, format_day

#: the widest period a report covers (beyond that a typo in a year would scan everything)
MAX_PERIOD_DAYS = 366 * 5


def report_scope(user: User | None) -> tuple[int, ...] | None:
    """The municipality ids she may report on; None: every municipality (admin). 403 for
    anyone who reads no reports."""
    if user is None:
        abort(403)
    if auth.is_admin(user):
        return None
    ids = tuple(sorted(user.scope_ids(Role.METHODIST)))
    auth.require(bool(ids))
    return ids


def can_read_reports(user: User | None) -> bool:
    return bool(user) and (auth.is_admin(user) or user.has_role(Role.METHODIST))


@dataclass
class ReportFilters:
    #: first and last day of the period (inclusive), Moscow dates
    start: date
    end: date
    municipality_id: int | None = None
    site_id: int | None = None
    direction_id: int | None = None
    #: her municipalities (None: every municipality)
    scope_ids: tuple[int, ...] | None = None
    #: why some filter values were ignored, for the page to say
    notes: list[str] = field(default_factory=list)
    #: names of the chosen municipality, site and direction, for headings
    municipality_name: str = ""
    site_name: str = ""
    direction_name: str = ""

    @property
    def municipality_ids(self) -> tuple[int, ...] | None:
        """The municipalities the report covers (None: all)."""
        if self.municipality_id is not None:
            return (self.municipality_id,)
        return self.scope_ids

    @property
    def start_utc(self) -> datetime:
        return moscow_midnight(self.start)

    @property
    def end_utc(self) -> datetime:
        """The exclusive end: midnight after the last day."""
        return moscow_midnight(self.end + timedelta(days=1))

    @property
    def period_label(self) -> str:
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (9, 1, 8, 31) \
                and self.end.year == self.start.year + 1:
            return academic_year_label(self.start.year)
        return f"{format_day(self.start)} — {format_day(self.end)}"

    @property
    def scope_label(self) -> str:
        parts = [self.municipality_name or ("Вся сеть" if self.scope_ids is None else "Мои муниципалитеты")]
        if self.site_name:
            parts.append(self.site_name)
        if self.direction_name:
            parts.append(self.direction_name)
        return ", ".join(parts)

    def args(self, **override) -> dict[str, str]:
        """The filters as query arguments (links, exports, other reports)."""
        out = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        for name, value in (("municipality", self.municipality_id), ("site", self.site_id),
                            ("direction", self.direction_id)):
            if value is not None:
                out[name] = str(value)
        out.update({k: str(v) for k, v in override.items() if v is not None})
        return out


def moscow_midnight(day: date) -> datetime:
    """The instant (UTC) a Moscow day starts."""
    return datetime.combine(day, time(0), MOSCOW).astimezone(timezone.utc)


def default_period(today: date | None = None) -> tuple[date, date]:
    today = today or datetime.now(MOSCOW).date()
    return academic_year_bounds(academic_year_of(today))


def _parse_day(raw: str | None) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    try:
        return datetime.strptime(raw, "%d.%m.%Y").date()
    except ValueError:
        return None


def _parse_id(raw: str | None) -> int | None | bool:
    """An id, None when absent, False when malformed."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        return False
    return int(raw)


def parse_filters(args: Mapping[str, str], user: User | None, today: date | None = None) -> ReportFilters:
    """The filters of a report request for this user (403 when she reads no reports or asks for
    a municipality or site outside her scope; 404 for an admin's unknown municipality)."""
    scope = report_scope(user)
    default_start, default_end = default_period(today)
    f = ReportFilters(start=default_start, end=default_end, scope_ids=scope)

    year = (args.get("year") or "").strip()
    start, end = _parse_day(args.get("from")), _parse_day(args.get("to"))
    if year and not args.get("from") and not args.get("to"):
        if year.isdigit() and 2000 <= int(year) <= 2100:
            f.start, f.end = academic_year_bounds(int(year))
        else:
            f.notes.append(f"Учебный год «{year[:20]}» не распознан: показан текущий.")
    if args.get("from") and start is None:
        f.notes.append(f"Дата начала «{args['from'][:20]}» не распознана: показан период по умолчанию.")
    if args.get("to") and end is None:
        f.notes.append(f"Дата окончания «{args['to'][:20]}» не распознана: показан период по умолчанию.")
    if start is not None or end is not None:
        new_start, new_end = start or f.start, end or f.end
        if new_end < new_start:
            f.notes.append("Конец периода раньше начала: даты поменяны местами.")
            new_start, new_end = new_end, new_start
        if (new_end - new_start).days > MAX_PERIOD_DAYS:
            f.notes.append("Период длиннее пяти лет: показаны пять лет от его начала.")
            new_end = new_start + timedelta(days=MAX_PERIOD_DAYS)
        f.start, f.end = new_start, new_end

    municipality = _parse_id(args.get("municipality"))
    if municipality is False:
        f.notes.append("Муниципалитет указан неверно: фильтр не применён.")
    elif municipality is not None:
        if scope is not None and municipality not in scope:
            abort(403)
        row = db.session.get(Municipality, municipality)
        if row is None:
            abort(404)
        f.municipality_id, f.municipality_name = row.id, row.name
    elif scope is not None and len(scope) == 1:
        # a methodist of one municipality: her municipality, named
        row = db.session.get(Municipality, scope[0])
        f.municipality_name = row.name if row else ""

    site = _parse_id(args.get("site"))
    if site is False:
        f.notes.append("Площадка указана неверно: фильтр не применён.")
    elif site is not None:
        row = db.session.execute(
            sa.select(Site.id, Site.name, Organization.municipality_id)
            .join(Organization, Organization.id == Site.organization_id).where(Site.id == site)).first()
        if row is None:
            f.notes.append("Такой площадки нет: фильтр не применён.")
        elif f.municipality_ids is not None and row.municipality_id not in f.municipality_ids:
            if scope is not None and row.municipality_id not in scope:
                abort(403)
            f.notes.append("Площадка из другого муниципалитета: фильтр по площадке не применён.")
        else:
            f.site_id, f.site_name = row.id, row.name

    direction = _parse_id(args.get("direction"))
    if direction is False:
        f.notes.append("Направление указано неверно: фильтр не применён.")
    elif direction is not None:
        row = db.session.get(Direction, direction)
        if row is None:
            f.notes.append("Такого направления нет: фильтр не применён.")
        else:
            f.direction_id, f.direction_name = row.id, row.name
    return f


# -- conditions the reports share ------------------------------------------------------------

def published_condition(session=EventSession):
    """A session counts in reports unless it belongs to a plan that is still a draft."""
    draft_items = sa.select(PlanItem.id).join(Plan, Plan.id == PlanItem.plan_id).where(
        Plan.status == PlanStatus.DRAFT)
    return sa.or_(session.plan_item_id.is_(None), session.plan_item_id.not_in(draft_items))


def session_conditions(f: ReportFilters, session=EventSession, period: bool = True) -> list:
    """Sessions of the report: started in the period, in its municipalities (the session's own
    municipality), at its site and in its direction; drafts excluded."""
    out = [published_condition(session)]
    if period:
        out += [session.start_dt >= f.start_utc, session.start_dt < f.end_utc]
    if f.municipality_ids is not None:
        out.append(session.municipality_id.in_(f.municipality_ids))
    if f.site_id is not None:
        out.append(session.site_id == f.site_id)
    if f.direction_id is not None:
        out.append(session.direction_id == f.direction_id)
    return out


def plan_item_conditions(f: ReportFilters, item=PlanItem, plan=Plan) -> list:
    """Plan items of the report (the query joins Plan): of published or archived plans whose
    period overlaps the report's; of her municipalities' plans (network-wide plans count for an
    admin's network-wide view only); at its site and in its direction."""
    out = [plan.status != PlanStatus.DRAFT, plan.period_start <= f.end, plan.period_end >= f.start]
    if f.municipality_ids is not None:
        out.append(plan.municipality_id.in_(f.municipality_ids))
    if f.site_id is not None:
        out.append(item.site_id == f.site_id)
    if f.direction_id is not None:
        out.append(item.direction_id == f.direction_id)
    return out


# -- the filter form's choices -----------------------------------------------------------------

@dataclass
class FilterChoices:
    municipalities: list[tuple[int, str]]
    sites: list[tuple[int, str]]
    directions: list[tuple[int, str]]
    years: list[tuple[int, str]]


def filter_choices(f: ReportFilters, today: date | None = None) -> FilterChoices:
    """Three small queries: her municipalities, their sites (retired ones too: reports cover the
    past), every direction."""
    m_query = sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)
    s_query = (sa.select(Site.id, Site.name).join(Organization, Organization.id == Site.organization_id)
               .order_by(Site.name, Site.id))
    if f.scope_ids is not None:
        m_query = m_query.where(Municipality.id.in_(f.scope_ids))
    if f.municipality_ids is not None:
        s_query = s_query.where(Organization.municipality_id.in_(f.municipality_ids))
    current = academic_year_of(today or datetime.now(MOSCOW).date())
    return FilterChoices(
        municipalities=[tuple(r) for r in db.session.execute(m_query)],
        sites=[tuple(r) for r in db.session.execute(s_query)],
        directions=[tuple(r) for r in db.session.execute(
            sa.select(Direction.id, Direction.name).order_by(Direction.position, Direction.name))],
        years=[(y, academic_year_label(y)) for y in range(current + 1, current - 5, -1)],
    )
