"""Participation and attendance: registrations by status, attendance marks, the no-show rate —
grouped by session, site, organization, municipality or audience — the young teachers reached,
and the teachers of each municipality who attended at least one session.

Words, as the page uses them:

- The **sessions of the report** started in the period, in its municipalities, at its site and in
  its direction (scope.session_conditions). Registrations and marks are those of these sessions.
- **Attendance**: the marks present, late, absent, excused (walk-ins included); present and late
  count as attended.
- **No-show rate**: among confirmed registrations of sessions that have ended (and were not
  cancelled), the share whose holder was not marked present or late — marked absent or not marked
  at all. Excused is not a no-show.
- **Organization / municipality** of a registration: the organization she registered from; of a
  mark: the organization she belonged to when marked (Attendance keeps it); the municipality is
  that organization's. **Audience**: the audiences the participant declared in her profile (a
  person of two audiences counts in both, so audience rows do not add up to the total).
- **Coverage** is about the municipalities' teachers (webapp.reports.people): a teacher is
  reached when she attended (present or late) at least one session of the period that was not
  cancelled — wherever it took place (any municipality), at the chosen site and in the chosen
  direction. Shares are of all teachers (and all young teachers) of the municipality.

Each figure is one grouped SQL query (registrations and marks UNION ALL'ed and counted together):
a page runs the same number of queries whatever the size of the network.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone

import sqlalchemy as sa

from webapp.accounts.models import User, user_audiences
from webapp.attendance.models import ATTENDED_STATUSES, Attendance, AttendanceStatus
from webapp.extensions import db
from webapp.orgs.models import Municipality, Organization
from webapp.registration.models import Registration, RegStatus
from webapp.reports.fulfilment import StackBar, fetch_page, stack_bar
from webapp.reports.people import teacher_condition, young_condition
from webapp.reports.scope import ReportFilters, session_conditions
from webapp.sessions.models import EventSession, SessionStatus
from webapp.sites.models import Site
from webapp.taxonomy.models import Audience
from webapp.timefmt import local
from webapp.ui import Page

PER_PAGE = 50

#: ?by= values and their tab labels
DIMENSIONS: dict[str, str] = {
    "session": "По мероприятиям",
    "site": "По площадкам",
    "organization": "По организациям",
    "municipality": "По муниципалитетам",
    "audience": "По аудиториям",
}
DEFAULT_BY = "session"
#: the name of a group without a key, per dimension
NO_KEY = {
    "session": "—",
    "site": "Без площадки",
    "organization": "Без организации",
    "municipality": "Организация не указана",
    "audience": "Аудитория не указана",
}
#: the column heading of the group, per dimension
GROUP_HEADING = {
    "session": "Мероприятие",
    "site": "Площадка",
    "organization": "Организация",
    "municipality": "Муниципалитет",
    "audience": "Аудитория",
}

REG = "r"
MARK = "a"


def parse_by(raw: str | None, notes: list[str]) -> str:
    """The grouping asked for; an unknown one falls back to the default with a note."""
    raw = (raw or "").strip()
    if not raw:
        return DEFAULT_BY
    if raw in DIMENSIONS:
        return raw
    notes.append(f"Группировка «{raw[:20]}» не распознана: показано «{DIMENSIONS[DEFAULT_BY].lower()}».")
    return DEFAULT_BY


# -- figures -----------------------------------------------------------------------------------

def share(part: int, whole: int) -> float | None:
    """Percent, None when there is nothing to divide by."""
    return 100.0 * part / whole if whole else None


@dataclass
class Tally:
    """Registrations by status, attendance marks by status, and the no-show figures."""

    pending: int = 0
    confirmed: int = 0
    waitlisted: int = 0
    rejected: int = 0
    cancelled: int = 0
    present: int = 0
    late: int = 0
    absent: int = 0
    excused: int = 0
    #: confirmed registrations of sessions that have ended (not cancelled): the no-show denominator
    due: int = 0
    #: of them, not marked present or late (absent or unmarked)
    no_shows: int = 0

    @property
    def registrations(self) -> int:
        return self.pending + self.confirmed + self.waitlisted + self.rejected + self.cancelled

    @property
    def marks(self) -> int:
        return self.present + self.late + self.absent + self.excused

    @property
    def attended(self) -> int:
        return self.present + self.late

    @property
    def no_show_share(self) -> float | None:
        return share(self.no_shows, self.due)


@dataclass
class GroupRow:
    key: int | None
    label: str
    tally: Tally
    #: a second line: the municipality of an organization, the site of a session
    detail: str = ""
    #: a session's start and zone (the session dimension only)
    start_dt: datetime | None = None
    timezone: str = ""


@dataclass
class CoverageRow:
    """One municipality's teachers: all, reached; young ones: all, reached."""

    municipality_id: int | None
    name: str
    teachers: int = 0
    reached: int = 0
    young: int = 0
    young_reached: int = 0

    @property
    def share(self) -> float | None:
        return share(self.reached, self.teachers)

    @property
    def young_share(self) -> float | None:
        return share(self.young_reached, self.young)


@dataclass
class Coverage:
    rows: list[CoverageRow]
    total: CoverageRow


@dataclass
class ParticipationReport:
    by: str
    totals: Tally
    #: one page of GroupRow
    groups: Page
    coverage: Coverage

    @property
    def is_empty(self) -> bool:
        return not self.totals.registrations and not self.totals.marks

    @property
    def group_heading(self) -> str:
        return GROUP_HEADING[self.by]

    @property
    def chart(self) -> list[StackBar]:
        t = self.totals
        return [
            stack_bar("Заявки", [("подтверждены", t.confirmed, "rep-ok"), ("ожидают", t.pending, "rep-plan"),
                                 ("лист ожидания", t.waitlisted, "rep-alt"), ("отклонены", t.rejected, "rep-bad"),
                                 ("отменены", t.cancelled, "rep-muted")]),
            stack_bar("Отметки посещения", [("присутствовали", t.present, "rep-ok"), ("опоздали", t.late, "rep-plan"),
                                            ("уважительная причина", t.excused, "rep-alt"),
                                            ("отсутствовали", t.absent, "rep-bad")]),
        ]


@dataclass
class ParticipationSummary:
    """The headline figures for the annual report (two queries)."""

    #: registrations by status, marks by status, no-shows of the period's sessions in scope
    totals: Tally
    #: teachers and young teachers per municipality of the scope, and reached (see Coverage)
    coverage: Coverage

    @property
    def young_reached(self) -> int:
        return self.coverage.total.young_reached

    @property
    def young_total(self) -> int:
        return self.coverage.total.young

    @property
    def young_share(self) -> float | None:
        return self.coverage.total.young_share


# -- the grouped query -------------------------------------------------------------------------

def _key(by: str, side: str):
    """The key column and the outer joins it needs, for registrations (side REG) or marks (MARK)."""
    model = Registration if side == REG else Attendance
    if by == "session":
        return model.session_id, []
    if by == "site":
        return EventSession.site_id, []
    if by == "organization":
        return model.organization_id, []
    if by == "municipality":
        return Organization.municipality_id, [(Organization, Organization.id == model.organization_id)]
    if by == "audience":
        return user_audiences.c.audience_id, [(user_audiences, user_audiences.c.user_id == model.user_id)]
    raise ValueError(by)


def _source(f: ReportFilters, now: datetime, by: str):
    """Registrations and marks of the report's sessions, one row each (several for a person of
    several audiences): key, src, state, due, no_show."""
    zero, one = sa.literal_column("0"), sa.literal_column("1")
    due = sa.and_(Registration.status == RegStatus.CONFIRMED, EventSession.status != SessionStatus.CANCELLED,
                  EventSession.end_dt <= now)
    missed = sa.and_(due, sa.or_(Attendance.status.is_(None), Attendance.status == AttendanceStatus.ABSENT))
    key, joins = _key(by, REG)
    # constants inlined: PostgreSQL cannot type a bare parameter in a UNION's select list
    regs = (sa.select(key.label("key"), sa.literal_column(f"'{REG}'").label("src"),
                      sa.type_coerce(Registration.status, sa.String).label("state"),
                      sa.case((due, one), else_=zero).label("due"), sa.case((missed, one), else_=zero).label("no_show"))
            .select_from(Registration)
            .join(EventSession, EventSession.id == Registration.session_id)
            .outerjoin(Attendance, sa.and_(Attendance.session_id == Registration.session_id,
                                           Attendance.user_id == Registration.user_id)))
    for target, on in joins:
        regs = regs.outerjoin(target, on)
    regs = regs.where(*session_conditions(f))
    key, joins = _key(by, MARK)
    marks = (sa.select(key, sa.literal_column(f"'{MARK}'"), sa.type_coerce(Attendance.status, sa.String), zero, zero)
             .select_from(Attendance).join(EventSession, EventSession.id == Attendance.session_id))
    for target, on in joins:
        marks = marks.outerjoin(target, on)
    marks = marks.where(*session_conditions(f))
    return sa.union_all(regs, marks).subquery("rows")


def _tally_columns(rows) -> list:
    def count(src: str, state) -> sa.ColumnElement:
        return sa.func.count().filter(rows.c.src == src, rows.c.state == state.value).label(state.value)

    return [*(count(REG, s) for s in (RegStatus.PENDING, RegStatus.CONFIRMED, RegStatus.WAITLISTED,
                                      RegStatus.REJECTED, RegStatus.CANCELLED)),
            *(count(MARK, s) for s in (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT,
                                       AttendanceStatus.EXCUSED)),
            sa.func.coalesce(sa.func.sum(rows.c.due), 0).label("due"),
            sa.func.coalesce(sa.func.sum(rows.c.no_show), 0).label("no_shows")]


def _tally(r) -> Tally:
    return Tally(int(r.pending), int(r.confirmed), int(r.waitlisted), int(r.rejected), int(r.cancelled),
                 int(r.present), int(r.late), int(r.absent), int(r.excused), int(r.due), int(r.no_shows))


def totals(f: ReportFilters, now: datetime) -> Tally:
    """Everything of the report's sessions (one query)."""
    rows = _source(f, now, "site")
    return _tally(db.session.execute(sa.select(*_tally_columns(rows))).one())


def _groups_statement(f: ReportFilters, now: datetime, by: str):
    rows = _source(f, now, by)
    g = sa.select(rows.c.key, *_tally_columns(rows)).group_by(rows.c.key).subquery("grouped")
    nulls_last = g.c.key.is_(None)
    if by == "session":
        stmt = (sa.select(g, EventSession.title.label("label"), Site.name.label("detail"), EventSession.start_dt,
                          EventSession.timezone)
                .join(EventSession, EventSession.id == g.c.key).outerjoin(Site, Site.id == EventSession.site_id)
                .order_by(EventSession.start_dt, EventSession.id))
    elif by == "site":
        stmt = (sa.select(g, Site.name.label("label")).outerjoin(Site, Site.id == g.c.key)
                .order_by(nulls_last, Site.name, g.c.key))
    elif by == "organization":
        stmt = (sa.select(g, Organization.name.label("label"), Municipality.name.label("detail"))
                .outerjoin(Organization, Organization.id == g.c.key)
                .outerjoin(Municipality, Municipality.id == Organization.municipality_id)
                .order_by(nulls_last, Organization.name, Municipality.name, g.c.key))
    elif by == "municipality":
        stmt = (sa.select(g, Municipality.name.label("label")).outerjoin(Municipality, Municipality.id == g.c.key)
                .order_by(nulls_last, Municipality.name, g.c.key))
    else:
        stmt = (sa.select(g, Audience.name.label("label")).outerjoin(Audience, Audience.id == g.c.key)
                .order_by(nulls_last, Audience.position, Audience.name, g.c.key))
    return stmt, g


def _group_row(by: str, r) -> GroupRow:
    mapping = r._mapping
    return GroupRow(key=r.key, label=r.label if r.key is not None and r.label is not None else NO_KEY[by],
                    tally=_tally(r), detail=mapping.get("detail") or "",
                    start_dt=mapping.get("start_dt"), timezone=mapping.get("timezone") or "")


#: the grouping keys whose groups split the registrations and marks (each counts in one group),
#: so that the totals are the sum of the groups; a person of two audiences counts in both
PARTITIONS = ("session", "site", "organization", "municipality")
TALLY_FIELDS = ("pending", "confirmed", "waitlisted", "rejected", "cancelled", "present", "late", "absent",
                "excused", "due", "no_shows")


def groups(f: ReportFilters, now: datetime, by: str, page: int = 1) -> tuple[Page, Tally | None]:
    """One page of groups and, when the groups split everything (not by audience), the totals —
    one query: the number of groups and the sums ride along as windows over every group."""
    stmt, g = _groups_statement(f, now, by)
    partition = by in PARTITIONS
    sums = [sa.func.sum(g.c[name]).over().label(f"t_{name}") for name in TALLY_FIELDS] if partition else []
    page, rows, total = fetch_page(stmt, page, *sums)
    groups_page = Page(items=[_group_row(by, r) for r in rows], page=page, per_page=PER_PAGE, total=total)
    if not partition:
        return groups_page, None
    if not rows:
        return groups_page, Tally()
    first = rows[0]._mapping
    return groups_page, Tally(*(int(first[f"t_{name}"] or 0) for name in TALLY_FIELDS))


def all_groups(f: ReportFilters, now: datetime, by: str) -> Iterator[GroupRow]:
    """Every group, read lazily (exports)."""
    stmt, _ = _groups_statement(f, now, by)
    for r in db.session.execute(stmt.execution_options(yield_per=1000)):
        yield _group_row(by, r)


# -- coverage ----------------------------------------------------------------------------------

def coverage(f: ReportFilters) -> Coverage:
    """Teachers and young teachers of every municipality in scope, and how many of them attended
    at least one session (one query; municipalities without teachers show zeros)."""
    anywhere = replace(f, municipality_id=None, scope_ids=None)
    attendees = (sa.select(Attendance.user_id.label("user_id"))
                 .join(EventSession, EventSession.id == Attendance.session_id)
                 .where(Attendance.status.in_(ATTENDED_STATUSES), EventSession.status != SessionStatus.CANCELLED,
                        *session_conditions(anywhere))
                 .distinct().subquery("attendees"))
    # the young as a joined list rather than a condition per row: inside an aggregate's FILTER,
    # PostgreSQL prices the audience lookup per row and the estimate alone switches its JIT on
    young_ids = sa.select(User.id.label("user_id")).where(young_condition(User)).subquery("young")
    young = young_ids.c.user_id.is_not(None)
    reached = attendees.c.user_id.is_not(None)
    per_municipality = (
        sa.select(Organization.municipality_id.label("municipality_id"),
                  sa.func.count(User.id).label("teachers"),
                  sa.func.count(attendees.c.user_id).label("reached"),
                  sa.func.count(young_ids.c.user_id).label("young"),
                  sa.func.count().filter(young, reached).label("young_reached"))
        .select_from(User).join(Organization, Organization.id == User.organization_id)
        .outerjoin(attendees, attendees.c.user_id == User.id)
        .outerjoin(young_ids, young_ids.c.user_id == User.id)
        .where(teacher_condition(User))
        .group_by(Organization.municipality_id))
    municipalities = sa.select(Municipality.id, Municipality.name)
    ids = f.municipality_ids
    if ids is not None:
        per_municipality = per_municipality.where(Organization.municipality_id.in_(ids))
        municipalities = municipalities.where(Municipality.id.in_(ids))
    counts = per_municipality.subquery("counts")
    stmt = (municipalities.add_columns(counts.c.teachers, counts.c.reached, counts.c.young, counts.c.young_reached)
            .outerjoin(counts, counts.c.municipality_id == Municipality.id)
            .order_by(Municipality.name, Municipality.id))
    rows = [CoverageRow(r.id, r.name, int(r.teachers or 0), int(r.reached or 0), int(r.young or 0),
                        int(r.young_reached or 0)) for r in db.session.execute(stmt)]
    total = CoverageRow(None, "Итого", sum(r.teachers for r in rows), sum(r.reached for r in rows),
                        sum(r.young for r in rows), sum(r.young_reached for r in rows))
    return Coverage(rows, total)


# -- the page ----------------------------------------------------------------------------------

def report(f: ReportFilters, by: str = DEFAULT_BY, page: int = 1, now: datetime | None = None) -> ParticipationReport:
    """The whole page: one page of groups with the totals, coverage (two queries; three by audience,
    whose groups overlap and so need the totals apart)."""
    now = now or datetime.now(timezone.utc)
    groups_page, sums = groups(f, now, by, page)
    return ParticipationReport(by=by, totals=sums if sums is not None else totals(f, now), groups=groups_page,
                               coverage=coverage(f))


def summary(f: ReportFilters, now: datetime | None = None) -> ParticipationSummary:
    """Headline figures for the annual report: totals and coverage (two queries)."""
    now = now or datetime.now(timezone.utc)
    return ParticipationSummary(totals=totals(f, now), coverage=coverage(f))


# -- export ------------------------------------------------------------------------------------

TALLY_HEADER = ("Заявок всего", "Ожидают подтверждения", "Подтверждены", "В листе ожидания", "Отклонены",
                "Отменены", "Присутствовали", "Опоздали", "Отсутствовали", "Уважительная причина",
                "Подтверждённых заявок на прошедшие мероприятия", "Неявки", "Неявки, %")
COVERAGE_HEADER = ("Муниципалитет", "Педагогов", "Педагогов посетили хотя бы одно мероприятие",
                   "Доля педагогов, %", "Молодых педагогов", "Молодых педагогов посетили",
                   "Доля молодых педагогов, %")


def _percent_cell(value: float | None) -> float | None:
    """A share for a spreadsheet: a number rounded to a tenth, empty when there is none."""
    return round(value, 1) if value is not None else None


def tally_cells(t: Tally) -> list:
    return [t.registrations, t.pending, t.confirmed, t.waitlisted, t.rejected, t.cancelled, t.present, t.late,
            t.absent, t.excused, t.due, t.no_shows, _percent_cell(t.no_show_share)]


def group_header(by: str) -> tuple[str, ...]:
    extra = {"session": ("Начало", "Площадка"), "organization": ("Муниципалитет",)}.get(by, ())
    return (GROUP_HEADING[by], *extra, *TALLY_HEADER)


def group_cells(by: str, row: GroupRow) -> list:
    if by == "session":
        start = local(row.start_dt, row.timezone).replace(tzinfo=None) if row.start_dt else None
        extra = [start, row.detail]
    elif by == "organization":
        extra = [row.detail]
    else:
        extra = []
    return [row.label, *extra, *tally_cells(row.tally)]


def coverage_cells(row: CoverageRow) -> list:
    return [row.name, row.teachers, row.reached, _percent_cell(row.share), row.young, row.young_reached,
            _percent_cell(row.young_share)]
