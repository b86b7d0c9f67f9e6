"""The school interaction map (карта взаимодействия школ): for every organization of the filtered
municipalities and every direction, whether the organization hosted, attended, both or neither
in the period; the share of organizations whose management team took part; the organizations
not reached yet.

- **Hosted** (проводила): a site whose host is the organization had a session in the direction
  that started in the period and has already started (a session still to come is not hosted
  yet), not cancelled, not of a draft plan.
- **Attended** (участвовала): someone was marked present or late at a session in the direction
  that started in the period, counted by the organization she belonged to when marked
  (Attendance.organization_id).
- Sessions count wherever they took place: a school of the filtered municipality that attended a
  regional session held elsewhere did interact. The report's site and direction filters narrow
  the sessions; its municipality filter (and the kind filter) narrows the organizations.
- **Reached** (охвачена): at least one attendee in the period (in any direction, or in the
  filtered one). **Management team took part**: one of those attendees matches
  people.management_condition.

Every function runs a fixed number of grouped queries, whatever the number of organizations.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.attendance.models import ATTENDED_STATUSES, Attendance
from webapp.extensions import db
from webapp.orgs.models import Municipality, Organization, OrgKind
from webapp.reports import people
from webapp.reports.scope import ReportFilters, session_conditions
from webapp.sessions.models import EventSession, SessionStatus
from webapp.sites.models import Site
from webapp.taxonomy.models import Direction
from webapp.ui import Page

PER_PAGE = 50

#: a cell's state → (symbol, words for the legend, the export and screen readers, CSS class)
NEITHER, HOSTED, ATTENDED, BOTH = "neither", "hosted", "attended", "both"
CELL_TEXT = {
    HOSTED: ("П", "проводила"),
    ATTENDED: ("У", "участвовала"),
    BOTH: ("П+У", "проводила и участвовала"),
    NEITHER: ("—", "не проводила и не участвовала"),
}
EXPORT_TEXT = {HOSTED: "проводила", ATTENDED: "участвовала", BOTH: "проводила и участвовала", NEITHER: "—"}


@dataclass
class MapOptions:
    """The map's own filters, beside the shared ones."""

    kind: OrgKind | None = None
    only_unreached: bool = False
    notes: list[str] = field(default_factory=list)

    def args(self) -> dict[str, str]:
        out = {}
        if self.kind is not None:
            out["kind"] = self.kind.value
        if self.only_unreached:
            out["unreached"] = "1"
        return out


def parse_options(args) -> MapOptions:
    """The kind filter and «только не охваченные»; an unknown kind is ignored with a note."""
    options = MapOptions()
    raw_kind = (args.get("kind") or "").strip()
    if raw_kind:
        options.kind = OrgKind.parse(raw_kind)
        if options.kind is None:
            options.notes.append(f"Тип организации «{raw_kind[:30]}» не распознан: фильтр не применён.")
    options.only_unreached = (args.get("unreached") or "").strip() in ("1", "on", "yes", "true")
    return options


# -- the SQL pieces ----------------------------------------------------------------------------

def _session_filters(f: ReportFilters) -> list:
    """The sessions of the map: the period, site and direction of the report, in any municipality
    (the municipality filter applies to the organizations)."""
    return session_conditions(dataclasses.replace(f, municipality_id=None, scope_ids=None))


def _scope_ids(f: ReportFilters, kind: OrgKind | None = None):
    """The organizations of the report's municipalities (and kind), as a subquery; None: all of
    them. Narrows the attendances read to those of her organizations."""
    conditions = []
    if f.municipality_ids is not None:
        conditions.append(Organization.municipality_id.in_(f.municipality_ids))
    if kind is not None:
        conditions.append(Organization.kind == kind)
    return sa.select(Organization.id).where(*conditions) if conditions else None


def _reached_ids(f: ReportFilters, kind: OrgKind | None = None) -> sa.Select:
    """Organizations (in scope) with at least one attendee (present or late) at the report's sessions."""
    stmt = (sa.select(Attendance.organization_id)
            .join(EventSession, EventSession.id == Attendance.session_id)
            .where(Attendance.status.in_(ATTENDED_STATUSES), Attendance.organization_id.is_not(None),
                   *_session_filters(f))
            .distinct())
    in_scope = _scope_ids(f, kind)
    return stmt if in_scope is None else stmt.where(Attendance.organization_id.in_(in_scope))


def _activity(f: ReportFilters, now: datetime, organization_ids=None, managers: bool = False,
              kind: OrgKind | None = None) -> sa.Select:
    """(organization, direction, hosted 0/1, attended 0/1[, managed 0/1]): one row per pair with
    any activity, for the given organizations (ids or a subquery; default: those in scope). The
    direction is None for sessions without one (they count for reach only). `managed`: one of
    the attendees is a member of the organization's management team."""
    if organization_ids is None:
        organization_ids = _scope_ids(f, kind)
    one, zero = sa.literal_column("1", sa.Integer), sa.literal_column("0", sa.Integer)
    host = Site.organization_id
    hosted_columns = [host.label("organization_id"), EventSession.direction_id.label("direction_id"),
                      one.label("hosted"), zero.label("attended")]
    attended_columns = [Attendance.organization_id, EventSession.direction_id, zero, one]
    if managers:
        if f.municipality_ids is None:
            # the whole network: the managers are found once (a hashed set of users)
            is_manager = Attendance.user_id.in_(sa.select(User.id).where(people.management_condition(User)))
        else:
            # a few municipalities: their attendees are checked one by one (an index look-up each)
            is_manager = sa.exists().where(User.id == Attendance.user_id, people.management_condition(User))
        hosted_columns.append(zero.label("managed"))
        attended_columns.append(sa.case((is_manager, 1), else_=0))
    hosted = (sa.select(*hosted_columns)
              .select_from(EventSession)
              .join(Site, Site.id == EventSession.site_id)
              .where(EventSession.status != SessionStatus.CANCELLED, EventSession.start_dt <= now,
                     *_session_filters(f)))
    attended = (sa.select(*attended_columns)
                .select_from(Attendance)
                .join(EventSession, EventSession.id == Attendance.session_id)
                .where(Attendance.status.in_(ATTENDED_STATUSES), Attendance.organization_id.is_not(None),
                       *_session_filters(f)))
    if organization_ids is not None:
        hosted = hosted.where(host.in_(organization_ids))
        attended = attended.where(Attendance.organization_id.in_(organization_ids))
    both = sa.union_all(hosted, attended).subquery("activity")
    flags = [sa.func.max(both.c.hosted).label("hosted"), sa.func.max(both.c.attended).label("attended")]
    if managers:
        flags.append(sa.func.max(both.c.managed).label("managed"))
    return (sa.select(both.c.organization_id, both.c.direction_id, *flags)
            .group_by(both.c.organization_id, both.c.direction_id))


def _organization_conditions(f: ReportFilters, options: MapOptions) -> list:
    out = []
    if f.municipality_ids is not None:
        out.append(Organization.municipality_id.in_(f.municipality_ids))
    if options.kind is not None:
        out.append(Organization.kind == options.kind)
    if options.only_unreached:
        out.append(Organization.id.not_in(_reached_ids(f, options.kind)))
    return out


def _organizations(f: ReportFilters, options: MapOptions) -> sa.Select:
    """Organizations in scope, in the order of every list: municipality, name."""
    return (sa.select(Organization.id, Organization.name, Organization.kind, Municipality.name.label("municipality"))
            .join(Municipality, Municipality.id == Organization.municipality_id)
            .where(*_organization_conditions(f, options))
            .order_by(Municipality.name, Organization.name, Organization.id))


def directions(f: ReportFilters) -> list[tuple[int, str]]:
    """The map's columns: every direction, or the filtered one."""
    stmt = sa.select(Direction.id, Direction.name).order_by(Direction.position, Direction.name)
    if f.direction_id is not None:
        stmt = stmt.where(Direction.id == f.direction_id)
    return [tuple(r) for r in db.session.execute(stmt)]


def cell_state(hosted: bool, attended: bool) -> str:
    if hosted and attended:
        return BOTH
    return HOSTED if hosted else ATTENDED if attended else NEITHER


# -- the map, a page of organizations ----------------------------------------------------------

@dataclass
class MapRow:
    organization_id: int
    name: str
    kind: OrgKind
    municipality: str
    #: one state per column, in the order of the directions
    cells: list[str]


@dataclass
class MapPage:
    directions: list[tuple[int, str]]
    page: Page

    @property
    def rows(self) -> list[MapRow]:
        return self.page.items


def map_page(f: ReportFilters, options: MapOptions, page: int, now: datetime | None = None) -> MapPage:
    """One page of the map (PER_PAGE organizations): four queries — the directions, the count,
    the organizations, their (organization, direction) activity."""
    now = now or datetime.now(timezone.utc)
    columns = directions(f)
    total = int(db.session.scalar(
        sa.select(sa.func.count()).select_from(Organization).where(*_organization_conditions(f, options))) or 0)
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(page, 1), pages)
    orgs = db.session.execute(_organizations(f, options).limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    activity: dict[tuple[int, int], str] = {}
    if orgs and columns:
        for org_id, direction_id, hosted, attended in db.session.execute(_activity(f, now, [o.id for o in orgs])):
            activity[(org_id, direction_id)] = cell_state(bool(hosted), bool(attended))
    rows = [MapRow(o.id, o.name, o.kind, o.municipality,
                   [activity.get((o.id, d), NEITHER) for d, _ in columns]) for o in orgs]
    return MapPage(columns, Page(rows, page, PER_PAGE, total))


# -- the headline figures ----------------------------------------------------------------------

def share(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


@dataclass
class DirectionTotals:
    direction_id: int
    name: str
    #: organizations (in scope) that hosted / attended / did both in this direction
    hosted: int = 0
    attended: int = 0
    both: int = 0


@dataclass
class MapSummary:
    """The map's headline figures (also used by the annual report).

    organizations: organizations in scope (of the filtered municipalities, of the chosen kind);
    reached: of them, with at least one attendee in the period; management: of them, whose
    management team attended; by_direction: per direction, how many hosted and attended."""

    organizations: int
    reached: int
    management: int
    by_direction: list[DirectionTotals]

    @property
    def unreached(self) -> int:
        return self.organizations - self.reached

    @property
    def reached_share(self) -> float | None:
        return share(self.reached, self.organizations)

    @property
    def management_share(self) -> float | None:
        return share(self.management, self.organizations)

    @property
    def management_bar(self) -> float:
        """The bar's length out of 300 SVG units (the target, 100 %, is the whole track)."""
        return round(3 * (self.management_share or 0), 1)


def summary(f: ReportFilters, options: MapOptions | None = None, now: datetime | None = None) -> MapSummary:
    """Counts of organizations (in scope, reached, management teams) and per-direction totals:
    the directions, then one statement that reads the attendances once (the activity, a CTE) and
    returns the totals (the row whose direction is NULL) and a row per direction."""
    options = dataclasses.replace(options or MapOptions(), only_unreached=False)
    now = now or datetime.now(timezone.utc)
    in_scope = _organization_conditions(f, options)
    pairs = _activity(f, now, managers=True, kind=options.kind).cte("pairs")
    per_org = (sa.select(pairs.c.organization_id, sa.func.max(pairs.c.attended).label("attended"),
                         sa.func.max(pairs.c.managed).label("managed"))
               .group_by(pairs.c.organization_id).subquery("per_org"))
    totals = (sa.select(sa.null().label("direction_id"), sa.func.count(Organization.id),
                        sa.func.sum(sa.func.coalesce(per_org.c.attended, 0)),
                        sa.func.sum(sa.func.coalesce(per_org.c.managed, 0)))
              .select_from(Organization)
              .outerjoin(per_org, per_org.c.organization_id == Organization.id)
              .where(*in_scope))
    by_direction = (sa.select(pairs.c.direction_id, sa.func.sum(pairs.c.hosted), sa.func.sum(pairs.c.attended),
                              sa.func.sum(pairs.c.hosted * pairs.c.attended))
                    .join(Organization, Organization.id == pairs.c.organization_id)
                    .where(pairs.c.direction_id.is_not(None), *in_scope)
                    .group_by(pairs.c.direction_id))
    columns = directions(f)
    total = reached = managed = 0
    by_id: dict[int, tuple[int, int, int]] = {}
    for direction_id, a, b, c in db.session.execute(sa.union_all(totals, by_direction)):
        if direction_id is None:  # the totals: organizations, reached, managed
            total, reached, managed = int(a or 0), int(b or 0), int(c or 0)
        else:  # a direction: hosted, attended, both
            by_id[direction_id] = (int(a or 0), int(b or 0), int(c or 0))
    return MapSummary(total, reached, managed,
                      [DirectionTotals(d, name, *by_id.get(d, (0, 0, 0))) for d, name in columns])


# -- not reached yet ---------------------------------------------------------------------------

@dataclass
class Unreached:
    organization_id: int
    name: str
    kind: OrgKind
    municipality: str


def unreached_count(f: ReportFilters, options: MapOptions) -> int:
    """How many organizations in scope had no attendee in the period: one query."""
    conditions = _organization_conditions(f, dataclasses.replace(options, only_unreached=True))
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(Organization).where(*conditions)) or 0)


def unreached_page(f: ReportFilters, options: MapOptions, page: int, total: int) -> Page:
    """One page of the organizations with no attendee in the period (`total` from the summary):
    one query."""
    options = dataclasses.replace(options, only_unreached=True)
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(_organizations(f, options).limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return Page([Unreached(r.id, r.name, r.kind, r.municipality) for r in rows], page, PER_PAGE, total)


# -- the export --------------------------------------------------------------------------------

def export_map_rows(f: ReportFilters, options: MapOptions, columns: list[tuple[int, str]],
                    now: datetime | None = None) -> Iterator[list]:
    """Every organization in scope with its cells in words, read lazily: one query (organizations
    outer-joined to their activity, in order), grouped per organization as the rows stream by."""
    now = now or datetime.now(timezone.utc)
    pairs = _activity(f, now, kind=options.kind).subquery("pairs")
    stmt = (_organizations(f, options)
            .add_columns(pairs.c.direction_id, pairs.c.hosted, pairs.c.attended)
            .outerjoin(pairs, pairs.c.organization_id == Organization.id)
            .execution_options(yield_per=1000))
    index = {d: i for i, (d, _) in enumerate(columns)}
    rows = db.session.execute(stmt)
    for _, group in itertools.groupby(rows, key=lambda r: r.id):
        group = list(group)
        first = group[0]
        cells = [EXPORT_TEXT[NEITHER]] * len(columns)
        for r in group:
            if r.direction_id in index:
                cells[index[r.direction_id]] = EXPORT_TEXT[cell_state(bool(r.hosted), bool(r.attended))]
        yield [first.municipality, first.name, first.kind.label, *cells]


def export_unreached_rows(f: ReportFilters, options: MapOptions) -> Iterator[list]:
    """Every organization not reached yet, read lazily: one query."""
    options = dataclasses.replace(options, only_unreached=True)
    for r in db.session.execute(_organizations(f, options).execution_options(yield_per=1000)):
        yield [r.municipality, r.name, r.kind.label]
