"""Plan fulfilment: how much of the plan was held, is still to come, was moved or cancelled — for
plan items (their status in the plan) and for sessions (what actually happened) — by direction,
by site and by month, and the plan items that have no session yet.

Words, as the page uses them:

- **Plan items** are counted by their status in the plan (planned, held, moved, cancelled): the
  items of published or archived plans whose period overlaps the report's (scope.plan_item_conditions).
- **Sessions** are those that started in the period (scope.session_conditions): *cancelled* when
  cancelled; *held* when not cancelled and already ended; *planned* when scheduled and not ended
  yet. *Moved* is not a fourth state but a mark: the session's time was changed at least once
  (an AuditEntry "session"/"moved"); a moved session is also held, planned or cancelled, so the
  sessions' total is held + planned + cancelled.
- **Months** are the calendar months of the period (Moscow time), September to August for an
  academic year. A session falls in the month it starts. A plan item falls in the month its
  timing starts when the timing is a month or two («Январь 2025», «Апрель–май»); a longer or
  unknown timing («В течение учебного года», «Постоянно по запросам») has no month of its own.
- **Items without a session**: items of the report (not cancelled) that no session, other than a
  cancelled one, belongs to — wherever and whenever that session is.

Every figure is one grouped SQL query (items and sessions UNION ALL'ed and counted together), so
a page runs the same number of queries whatever the size of the plan.

The end of the module holds what the report pages share: the stacked bar chart's geometry and
one page of a list with its count in one query (fetch_page). Pages cache what they compute
through webapp.reports.cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import lru_cache

import sqlalchemy as sa

from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.plan.models import ItemStatus, Plan, PlanItem
from webapp.reports.scope import ReportFilters, moscow_midnight, plan_item_conditions, session_conditions
from webapp.sessions.models import EventSession, SessionStatus
from webapp.sites.models import Site
from webapp.taxonomy.models import Direction
from webapp.timefmt import month_name
from webapp.ui import Page

PER_PAGE = 50
NO_DIRECTION = "Без направления"
NO_SITE = "Без площадки"
NO_MONTH = "Срок шире двух месяцев или не указан"

ITEM = "i"
SESSION = "s"
# the sessions' states as the grouped query spells them
HELD, PLANNED, CANCELLED = "held", "planned", "cancelled"


# -- counts ------------------------------------------------------------------------------------

@dataclass
class _Counts:
    planned: int = 0
    held: int = 0
    moved: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        raise NotImplementedError

    @property
    def held_share(self) -> float | None:
        """Percent held (None when there is nothing)."""
        return 100.0 * self.held / self.total if self.total else None

    def __iadd__(self, other: _Counts) -> _Counts:
        for name in ("planned", "held", "moved", "cancelled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


@dataclass
class ItemCounts(_Counts):
    """Plan items by their status in the plan (exclusive)."""

    @property
    def total(self) -> int:
        return self.planned + self.held + self.moved + self.cancelled


@dataclass
class SessionCounts(_Counts):
    """Sessions: held, still planned, cancelled (exclusive), and how many of them were moved."""

    @property
    def total(self) -> int:
        return self.planned + self.held + self.cancelled


@dataclass
class Row:
    """One line of a breakdown: a direction, a site or a month."""

    key: int | None
    label: str
    items: ItemCounts = field(default_factory=ItemCounts)
    sessions: SessionCounts = field(default_factory=SessionCounts)

    @property
    def is_empty(self) -> bool:
        return not self.items.total and not self.sessions.total


@dataclass
class ItemLine:
    """A plan item without a session."""

    id: int
    plan_id: int
    plan_title: str
    number: str
    title: str
    timing_text: str
    status: ItemStatus


@dataclass
class FulfilmentReport:
    items: ItemCounts
    sessions: SessionCounts
    by_direction: list[Row]
    #: one page of sites (50 a page)
    by_site: Page
    #: every month of the period, then (when some items have no month) the items without one
    by_month: list[Row]
    #: one page of plan items without a session
    without_session: Page

    @property
    def chart(self) -> list[StackBar]:
        return chart(self.items, self.sessions)

    @property
    def is_empty(self) -> bool:
        return not self.items.total and not self.sessions.total and not self.without_session.total


@dataclass
class FulfilmentSummary:
    """The headline figures for the annual report (two queries)."""

    #: plan items of the period by status (planned, held, moved, cancelled; total)
    items: ItemCounts
    #: sessions of the period: held, planned (not ended yet), cancelled (total = the three), moved (of them)
    sessions: SessionCounts
    #: the same counts per direction, directions in their taxonomy order, «Без направления» last
    by_direction: list[Row]
    #: plan items (not cancelled) that have no session yet
    items_without_session: int


# -- the chart: stacked bars drawn by templates/reports/_fulfilment_macros.html ------------------

STACK_WIDTH = 300


@dataclass
class Segment:
    label: str
    count: int
    #: the tone class (static/css/reports.css): rep-ok, rep-plan, rep-warn, rep-bad, rep-muted, rep-alt
    css: str
    x: float = 0.0
    width: float = 0.0


@dataclass
class StackBar:
    """One bar of a stacked chart: its parts side by side, as long as their share of the total."""

    label: str
    total: int
    segments: list[Segment]
    #: every number in words, for screen readers: «проведено — 5; предстоит — 3»
    text: str
    #: (label, tone) of every part, empty ones too: the chart's legend
    keys: list[tuple[str, str]] = field(default_factory=list)


def stack_bar(label: str, parts: list[tuple[str, int, str]], note: str = "") -> StackBar:
    """A bar of (label, count, tone) parts; empty parts take no room."""
    total = sum(count for _, count, _ in parts)
    segments, x = [], 0.0
    for name, count, css in parts:
        if not count:
            continue
        width = round(STACK_WIDTH * count / total, 1)
        segments.append(Segment(name, count, css, round(x, 1), width))
        x += width
    text = "; ".join(f"{name} — {count}" for name, count, _ in parts) + (f"; {note}" if note else "")
    return StackBar(label, total, segments, text, [(name, css) for name, _, css in parts])


ITEM_TONES = (("проведено", "rep-ok"), ("запланировано", "rep-plan"), ("перенесено", "rep-warn"),
              ("отменено", "rep-bad"))
SESSION_TONES = (("проведено", "rep-ok"), ("предстоит", "rep-plan"), ("отменено", "rep-bad"))


def chart(items: ItemCounts, sessions: SessionCounts) -> list[StackBar]:
    """The totals: plan items by status, sessions held, to come and cancelled."""
    return [
        stack_bar("Пункты плана", [(name, count, css) for (name, css), count in zip(
            ITEM_TONES, (items.held, items.planned, items.moved, items.cancelled), strict=True)]),
        stack_bar("Мероприятия", [(name, count, css) for (name, css), count in zip(
            SESSION_TONES, (sessions.held, sessions.planned, sessions.cancelled), strict=True)],
            note=f"переносились — {sessions.moved}"),
    ]


# -- the grouped query -------------------------------------------------------------------------

def _moved(session=EventSession):
    return sa.exists().where(AuditEntry.object_type == "session", AuditEntry.object_id == session.id,
                             AuditEntry.action == "moved")


def _session_state(now: datetime):
    return sa.case((EventSession.status == SessionStatus.CANCELLED, sa.literal_column(f"'{CANCELLED}'")),
                   (EventSession.end_dt <= now, sa.literal_column(f"'{HELD}'")),
                   else_=sa.literal_column(f"'{PLANNED}'"))


def _grouped(f: ReportFilters, now: datetime, item_key, session_key):
    """Items and sessions of the report counted per key, as a subquery: key, i_planned, i_held,
    i_moved, i_cancelled, s_planned, s_held, s_moved, s_cancelled."""
    # constants inlined: PostgreSQL cannot type a bare parameter in a UNION's select list
    items = (sa.select(item_key.label("key"), sa.literal_column(f"'{ITEM}'").label("src"),
                       sa.type_coerce(PlanItem.status, sa.String).label("state"),
                       sa.literal_column("0").label("moved"))
             .select_from(PlanItem).join(Plan, Plan.id == PlanItem.plan_id)
             .where(*plan_item_conditions(f)))
    sessions = (sa.select(session_key.label("key"), sa.literal_column(f"'{SESSION}'"), _session_state(now),
                          sa.case((_moved(), sa.literal_column("1")), else_=sa.literal_column("0")))
                .where(*session_conditions(f)))
    rows = sa.union_all(items, sessions).subquery("rows")

    def count(src: str, state: str | None = None):
        if state is None:
            return sa.func.count().filter(rows.c.src == src, rows.c.moved == 1)
        return sa.func.count().filter(rows.c.src == src, rows.c.state == state)

    return (sa.select(rows.c.key,
                      count(ITEM, ItemStatus.PLANNED.value).label("i_planned"),
                      count(ITEM, ItemStatus.HELD.value).label("i_held"),
                      count(ITEM, ItemStatus.MOVED.value).label("i_moved"),
                      count(ITEM, ItemStatus.CANCELLED.value).label("i_cancelled"),
                      count(SESSION, PLANNED).label("s_planned"),
                      count(SESSION, HELD).label("s_held"),
                      count(SESSION).label("s_moved"),
                      count(SESSION, CANCELLED).label("s_cancelled"))
            .group_by(rows.c.key).subquery("grouped"))


def _fill(row: Row, r) -> Row:
    row.items = ItemCounts(int(r.i_planned), int(r.i_held), int(r.i_moved), int(r.i_cancelled))
    row.sessions = SessionCounts(int(r.s_planned), int(r.s_held), int(r.s_moved), int(r.s_cancelled))
    return row


def by_direction(f: ReportFilters, now: datetime) -> list[Row]:
    """Counts per direction (one query), in the taxonomy's order, «Без направления» last."""
    g = _grouped(f, now, PlanItem.direction_id, EventSession.direction_id)
    stmt = (sa.select(g, Direction.name).outerjoin(Direction, Direction.id == g.c.key)
            .order_by(g.c.key.is_(None), Direction.position, Direction.name, g.c.key))
    return [_fill(Row(r.key, r.name if r.key is not None else NO_DIRECTION), r) for r in db.session.execute(stmt)]


def _sites_statement(f: ReportFilters, now: datetime):
    g = _grouped(f, now, PlanItem.site_id, EventSession.site_id)
    return (sa.select(g, Site.name).outerjoin(Site, Site.id == g.c.key)
            .order_by(g.c.key.is_(None), Site.name, g.c.key))


def fetch_page(stmt, page: int, *windows, per_page: int = PER_PAGE) -> tuple[int, list, int]:
    """One page of an ordered statement and the number of its rows, in one query: the count (and
    any other `windows`, e.g. sums over every row) rides along as a window over the whole result.
    A page past the end (an old link) shows the last one, which takes a query or two more.
    Returns (page, rows, total)."""
    windowed = stmt.add_columns(sa.func.count().over().label("n_rows"), *windows)

    def run(n: int) -> list:
        return db.session.execute(windowed.limit(per_page).offset((n - 1) * per_page)).all()

    rows = run(page)
    if not rows and page > 1:
        rows, page = run(1), 1
        last = -(-rows[0].n_rows // per_page) if rows else 1
        if last > 1:
            rows, page = run(last), last
    return page, rows, rows[0].n_rows if rows else 0


def by_site(f: ReportFilters, now: datetime, page: int = 1) -> Page:
    """One page of counts per site (one query)."""
    page, rows, total = fetch_page(_sites_statement(f, now), page)
    return Page(items=[_fill(Row(r.key, r.name if r.key is not None else NO_SITE), r) for r in rows],
                page=page, per_page=PER_PAGE, total=total)


@lru_cache(maxsize=256)
def _month_label(year: int, month: int) -> str:
    return month_name(year, month)


def period_months(f: ReportFilters) -> list[date]:
    """The first days of the period's months, in order."""
    out, day = [], date(f.start.year, f.start.month, 1)
    while day <= f.end:
        out.append(day)
        day = _next_month(day)
    return out


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def by_month(f: ReportFilters, now: datetime) -> list[Row]:
    """Counts per month of the period (one query); every month is listed, empty ones too; then the
    plan items whose timing is no month or two, if there are any."""
    months = period_months(f)
    nexts = [_next_month(m) for m in months]
    # a session's month: the Moscow month it starts in (the period's sessions all fall in one)
    session_month = sa.case(*[(EventSession.start_dt < moscow_midnight(n), i) for i, n in enumerate(nexts)],
                            else_=None)
    start, end = PlanItem.period_start, sa.func.coalesce(PlanItem.period_end, PlanItem.period_start)
    item_month = sa.case(*[(sa.and_(start >= m, start < n, end < _next_month(n)), i)
                           for i, (m, n) in enumerate(zip(months, nexts, strict=True))], else_=None)
    g = _grouped(f, now, item_month, session_month)
    found = {r.key: r for r in db.session.execute(sa.select(g))}
    rows = [Row(i, _month_label(m.year, m.month)) for i, m in enumerate(months)]
    for row in rows:
        if row.key in found:
            _fill(row, found[row.key])
    if None in found:
        rows.append(_fill(Row(None, NO_MONTH), found[None]))
    return rows


def _without_session_statement(f: ReportFilters):
    has_session = sa.exists().where(EventSession.plan_item_id == PlanItem.id,
                                    EventSession.status != SessionStatus.CANCELLED)
    return (sa.select(PlanItem.id, PlanItem.plan_id, Plan.title.label("plan_title"), PlanItem.number,
                      PlanItem.title, PlanItem.timing_text, PlanItem.status)
            .join(Plan, Plan.id == PlanItem.plan_id)
            .where(*plan_item_conditions(f), PlanItem.status != ItemStatus.CANCELLED, ~has_session))


def _ordered(stmt):
    return stmt.order_by(Plan.period_start.desc(), Plan.title, Plan.id, PlanItem.position, PlanItem.id)


def count_without_session(f: ReportFilters) -> int:
    stmt = _without_session_statement(f).with_only_columns(sa.func.count(PlanItem.id))
    return db.session.scalar(stmt) or 0


def without_session(f: ReportFilters, page: int = 1) -> Page:
    """One page of plan items without a session (one query), newest plans first, in plan order."""
    page, rows, total = fetch_page(_ordered(_without_session_statement(f)), page)
    return Page(items=[ItemLine(*r[:7]) for r in rows], page=page, per_page=PER_PAGE, total=total)


def _totals(rows: list[Row]) -> tuple[ItemCounts, SessionCounts]:
    items, sessions = ItemCounts(), SessionCounts()
    for row in rows:
        items += row.items
        sessions += row.sessions
    return items, sessions


def report(f: ReportFilters, page: int = 1, sites_page: int = 1, now: datetime | None = None) -> FulfilmentReport:
    """The whole page: totals, the three breakdowns, the items without a session (four queries)."""
    now = now or datetime.now(timezone.utc)
    directions = by_direction(f, now)
    items, sessions = _totals(directions)
    return FulfilmentReport(items=items, sessions=sessions, by_direction=directions,
                            by_site=by_site(f, now, sites_page), by_month=by_month(f, now),
                            without_session=without_session(f, page))


def summary(f: ReportFilters, now: datetime | None = None) -> FulfilmentSummary:
    """Headline figures for the annual report: totals, the directions, the items without a
    session (two queries)."""
    now = now or datetime.now(timezone.utc)
    directions = by_direction(f, now)
    items, sessions = _totals(directions)
    return FulfilmentSummary(items=items, sessions=sessions, by_direction=directions,
                             items_without_session=count_without_session(f))


# -- export ------------------------------------------------------------------------------------

BREAKDOWN_HEADER = ("Пункты плана: всего", "запланировано", "проведено", "перенесено", "отменено",
                    "Мероприятия: всего", "проведено", "предстоит", "отменено", "из них переносились")
ITEMS_HEADER = ("План", "№", "Пункт плана", "Сроки", "Статус пункта")


def _cells(row: Row) -> list:
    i, s = row.items, row.sessions
    return [i.total, i.planned, i.held, i.moved, i.cancelled, s.total, s.held, s.planned, s.cancelled, s.moved]


def breakdown_rows(rows: list[Row], with_total: bool = True) -> Iterator[list]:
    for row in rows:
        yield [row.label, *_cells(row)]
    if with_total:
        items, sessions = _totals(rows)
        yield ["Итого", *_cells(Row(None, "", items, sessions))]


def all_sites(f: ReportFilters, now: datetime) -> Iterator[list]:
    """Every site's line, read lazily."""
    for r in db.session.execute(_sites_statement(f, now).execution_options(yield_per=1000)):
        yield [r.name if r.key is not None else NO_SITE,
               *_cells(_fill(Row(r.key, ""), r))]


def all_without_session(f: ReportFilters) -> Iterator[list]:
    """Every item without a session, read lazily."""
    stmt = _ordered(_without_session_statement(f)).execution_options(yield_per=1000)
    for r in db.session.execute(stmt):
        yield [r.plan_title, r.number, r.title, r.timing_text, r.status.label]
