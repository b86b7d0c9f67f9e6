"""The measures indicators are built on, each computed for every municipality at once by one
grouped query (GROUP BY municipality), never row by row.

Common rules:

- A session **held in the period**: not cancelled, not of a draft plan, and it ended within the
  period (Moscow days, inclusive) and before now — a session still to come is not held yet.
- **Attended**: an attendance mark «присутствовал» or «опоздал».
- People belong to the municipality of their current organization; who is a teacher, a young
  teacher, a manager or a methodical-service specialist is decided by webapp.reports.people.
  A teacher counts once however many sessions she attended, wherever they took place.
- Organizations reached are counted as they were when the mark was made (Attendance keeps the
  person's organization), among the municipality's educational organizations (schools,
  kindergartens, supplementary education: the ones whose teachers the network trains).
- A share whose denominator is 0 has no value (the page shows «—»); a count of nothing is 0.

On the large network a people measure reads every attendance mark of the period (a few hundred
thousand rows): tenths of a second each. compute_many therefore keeps its results in the reports'
cache (webapp.reports.cache: per process, while the data version is unchanged, at most
REPORT_CACHE_SECONDS).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.attendance.models import ATTENDED_STATUSES, Attendance
from webapp.extensions import db
from webapp.orgs.models import Organization, OrgKind
from webapp.plan.models import ItemStatus, Plan, PlanItem, PlanStatus
from webapp.reports import cache, people
from webapp.reports.models import Measure
from webapp.reports.scope import moscow_midnight, published_condition
from webapp.sessions.models import EventSession, SessionStatus

#: the organizations whose coverage is measured (methodical centres, institutes and universities
#: are the network's providers, not its audience)
EDUCATIONAL_KINDS = (OrgKind.SCHOOL, OrgKind.KINDERGARTEN, OrgKind.SUPPLEMENTARY)

#: how each measure is computed, in words, for the admin choosing one
MEASURE_HELP: dict[Measure, str] = {
    Measure.TEACHERS_TRAINED:
        "Педагоги муниципалитета (активные, прикреплённые к организации), посетившие хотя бы одно "
        "мероприятие сети за период, — от всех педагогов муниципалитета. Можно ограничить направлением "
        "мероприятий и аудиторией педагогов.",
    Measure.YOUNG_REACHED:
        "Молодые педагоги (стаж до 3 лет или отметили аудиторию «Молодые педагоги»), посетившие хотя бы "
        "одно мероприятие, — от всех молодых педагогов муниципалитета.",
    Measure.METHODISTS_TRAINED:
        "Специалисты методических служб (аудитория «Методисты ТМС»), посетившие хотя бы одно мероприятие, "
        "— от всех таких специалистов муниципалитета.",
    Measure.EVENTS_HELD:
        "Число мероприятий муниципалитета, которые закончились в периоде и не были отменены. "
        "Цель задаётся для каждого муниципалитета.",
    Measure.ORGS_REACHED:
        "Школы, детские сады и организации дополнительного образования, педагоги которых посетили хотя бы "
        "одно мероприятие, — от всех таких организаций муниципалитета.",
    Measure.MANAGEMENT_TEAMS:
        "Организации, в которых хотя бы один член управленческой команды (директор, заместитель или "
        "аудитория «Управленческие команды») посетил мероприятие, — от всех образовательных организаций.",
    Measure.PLAN_ITEMS_HELD:
        "Пункты опубликованных планов, сроки которых приходятся на период, со статусом «Проведено» — "
        "от всех таких пунктов. Пункты сетевых планов входят только в итог по сети.",
}


@dataclass(frozen=True)
class MeasureQuery:
    """What to compute: a measure with its parameters over a period (Moscow days, inclusive)."""

    measure: Measure
    start: date
    end: date
    direction_id: int | None = None
    audience_id: int | None = None

    @classmethod
    def of(cls, indicator) -> MeasureQuery:
        return cls(measure=indicator.measure, start=indicator.period_start, end=indicator.period_end,
                   direction_id=indicator.direction_id,
                   audience_id=indicator.audience_id if indicator.measure.uses_audience else None)


@dataclass(frozen=True)
class Figure:
    """A measured value: numerator of denominator (a share), or a count (denominator None)."""

    numerator: int
    denominator: int | None = None

    @property
    def value(self) -> float | None:
        """The percentage (None when there is nobody to count) or the count."""
        if self.denominator is None:
            return float(self.numerator)
        if self.denominator == 0:
            return None
        return 100.0 * self.numerator / self.denominator

    def __add__(self, other: Figure) -> Figure:
        if self.denominator is None or other.denominator is None:
            return Figure(self.numerator + other.numerator)
        return Figure(self.numerator + other.numerator, self.denominator + other.denominator)


def empty_figure(measure: Measure) -> Figure:
    """What a municipality with nothing to count shows: 0 of 0 («—»), or a count of 0."""
    return Figure(0, 0) if measure.is_percentage else Figure(0)


def compute(q: MeasureQuery, municipality_ids: tuple[int, ...] | None,
            now: datetime | None = None) -> dict[int | None, Figure]:
    """The measure for every municipality of `municipality_ids` (None: all) in one query.

    Municipalities with nothing to count are absent (see empty_figure). The key None holds what
    belongs to no municipality (network-wide plans' items), for the network total only.
    """
    now = now or datetime.now(timezone.utc)
    if municipality_ids is not None and not municipality_ids:
        return {}
    stmt = _STATEMENTS[q.measure](q, now, municipality_ids)
    if q.measure.is_percentage:
        return {m: Figure(int(num or 0), int(den or 0)) for m, num, den in db.session.execute(stmt)}
    return {m: Figure(int(num or 0)) for m, num in db.session.execute(stmt)}


#: (query, municipality ids) -> its figures by municipality
Key = tuple[MeasureQuery, "tuple[int, ...] | None"]


def compute_many(keys: Iterable[Key], now: datetime | None = None) -> dict[Key, dict[int | None, Figure]]:
    """compute() for each distinct key, all in one statement (the grouped queries UNION ALL'ed),
    kept in the reports' cache (webapp.reports.cache) while the data does not change."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    if now is not None:
        return _compute_together(keys, now)
    return cache.cached(("measures", tuple(keys)), lambda moment: _compute_together(keys, moment))


def _compute_together(keys: list[Key], now: datetime | None) -> dict[Key, dict[int | None, Figure]]:
    """One statement for several keys: each grouped query tagged with its key's index."""
    now = now or datetime.now(timezone.utc)
    out: dict[Key, dict[int | None, Figure]] = {key: {} for key in keys}
    parts = []
    for index, (q, ids) in enumerate(keys):
        if ids is not None and not ids:
            continue
        stmt = _STATEMENTS[q.measure](q, now, ids)
        if not q.measure.is_percentage:
            stmt = stmt.add_columns(sa.cast(sa.null(), sa.BigInteger))
        parts.append(stmt.add_columns(sa.literal_column(str(index), sa.Integer)))
    if not parts:
        return out
    for m, num, den, index in db.session.execute(parts[0] if len(parts) == 1 else sa.union_all(*parts)):
        key = keys[index]
        out[key][m] = Figure(int(num or 0), int(den or 0)) if key[0].measure.is_percentage else Figure(int(num or 0))
    return out


# -- the pieces the statements share ------------------------------------------------------------

def _held_conditions(q: MeasureQuery, now: datetime, session=EventSession) -> list:
    """Sessions held in the period (see the module's docstring)."""
    start = moscow_midnight(q.start)
    end = min(moscow_midnight(q.end + timedelta(days=1)), now)
    out = [session.status != SessionStatus.CANCELLED, published_condition(session),
           session.end_dt >= start, session.end_dt <= end,
           # implied by the end, and lets the database use the index on start_dt
           session.start_dt < end]
    if q.direction_id is not None:
        out.append(session.direction_id == q.direction_id)
    return out


def _attendees(q: MeasureQuery, now: datetime):
    """The ids of the people who attended a session held in the period (each once)."""
    return (sa.select(Attendance.user_id.label("user_id"))
            .join(EventSession, EventSession.id == Attendance.session_id)
            .where(Attendance.status.in_(ATTENDED_STATUSES), *_held_conditions(q, now))
            .distinct().subquery("attendees"))


def _people_share(q: MeasureQuery, now: datetime, municipality_ids, *who):
    """Per municipality: how many of the people matching `who` attended, and how many there are."""
    attendees = _attendees(q, now)
    stmt = (sa.select(Organization.municipality_id, sa.func.count(attendees.c.user_id), sa.func.count(User.id))
            .select_from(User)
            .join(Organization, Organization.id == User.organization_id)
            .outerjoin(attendees, attendees.c.user_id == User.id)
            .where(people.teacher_condition(), *who)
            .group_by(Organization.municipality_id))
    if municipality_ids is not None:
        stmt = stmt.where(Organization.municipality_id.in_(municipality_ids))
    return stmt


def _org_share(q: MeasureQuery, now: datetime, municipality_ids, *who):
    """Per municipality: how many educational organizations had an attendee matching `who`
    (people conditions on User), and how many there are."""
    reached = (sa.select(Attendance.organization_id.label("organization_id"))
               .join(EventSession, EventSession.id == Attendance.session_id)
               .where(Attendance.status.in_(ATTENDED_STATUSES), Attendance.organization_id.is_not(None),
                      *_held_conditions(q, now)))
    if who:
        reached = reached.join(User, User.id == Attendance.user_id).where(*who)
    reached = reached.distinct().subquery("reached")
    stmt = (sa.select(Organization.municipality_id, sa.func.count(reached.c.organization_id),
                      sa.func.count(Organization.id))
            .select_from(Organization)
            .outerjoin(reached, reached.c.organization_id == Organization.id)
            .where(Organization.kind.in_(EDUCATIONAL_KINDS))
            .group_by(Organization.municipality_id))
    if municipality_ids is not None:
        stmt = stmt.where(Organization.municipality_id.in_(municipality_ids))
    return stmt


# -- one statement per measure -------------------------------------------------------------------

def _teachers_trained(q, now, municipality_ids):
    who = [people.in_audience(q.audience_id)] if q.audience_id is not None else []
    return _people_share(q, now, municipality_ids, *who)


def _young_reached(q, now, municipality_ids):
    return _people_share(q, now, municipality_ids, people.young_condition())


def _methodists_trained(q, now, municipality_ids):
    return _people_share(q, now, municipality_ids, people.methodist_specialist_condition())


def _events_held(q, now, municipality_ids):
    stmt = (sa.select(EventSession.municipality_id, sa.func.count(EventSession.id))
            .where(*_held_conditions(q, now)).group_by(EventSession.municipality_id))
    if municipality_ids is not None:
        stmt = stmt.where(EventSession.municipality_id.in_(municipality_ids))
    return stmt


def _orgs_reached(q, now, municipality_ids):
    return _org_share(q, now, municipality_ids)


def _management_teams(q, now, municipality_ids):
    return _org_share(q, now, municipality_ids, people.management_condition())


def _plan_items_held(q, now, municipality_ids):
    # an item without dates of its own lasts as long as its plan
    item_start = sa.func.coalesce(PlanItem.period_start, Plan.period_start)
    item_end = sa.func.coalesce(PlanItem.period_end, Plan.period_end)
    held = sa.func.sum(sa.case((PlanItem.status == ItemStatus.HELD, 1), else_=0))
    stmt = (sa.select(Plan.municipality_id, held, sa.func.count(PlanItem.id))
            .select_from(PlanItem).join(Plan, Plan.id == PlanItem.plan_id)
            .where(Plan.status != PlanStatus.DRAFT, item_start <= q.end, item_end >= q.start)
            .group_by(Plan.municipality_id))
    if q.direction_id is not None:
        stmt = stmt.where(PlanItem.direction_id == q.direction_id)
    if municipality_ids is not None:
        stmt = stmt.where(Plan.municipality_id.in_(municipality_ids))
    return stmt


_STATEMENTS = {
    Measure.TEACHERS_TRAINED: _teachers_trained,
    Measure.YOUNG_REACHED: _young_reached,
    Measure.METHODISTS_TRAINED: _methodists_trained,
    Measure.EVENTS_HELD: _events_held,
    Measure.ORGS_REACHED: _orgs_reached,
    Measure.MANAGEMENT_TEAMS: _management_teams,
    Measure.PLAN_ITEMS_HELD: _plan_items_held,
}
