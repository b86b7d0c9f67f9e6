"""The feedback report (обратная связь): average scores and response rates of the check-lists, by
site, by direction, by template and by month, each beside the same period one year earlier.

Read from what submission keeps (webapp.checklists): the tallies (ChecklistTally: answers counted
per value, with value_num) and the invitations (ChecklistInvitation: invited, answered); never
response by response. One grouped query over the tallies and one over the invitations serve every
grouping and both periods; the rest are a few small look-ups — a constant number of queries.

- **Scores** are of scale items (ItemKind.is_scaled: scales and matrices). Templates use 1–5 and
  1–10 scales, so a template's mean is shown on its own scale, and groupings across templates
  (site, direction, month) use the **satisfaction index**: the mean position of the answers on
  their scale as a percentage (0 % = the lowest point, 100 % = the highest).
- **Response rate**: answered invitations of all invitations.
- **The period** is counted in whole months: tallies know the month of submission only, and
  invitations count by the month answering opened. Sites and directions are those of the session
  answered about; period surveys (no session) form a group of their own.
- **Anonymity**, as on the results page: a group with fewer than three responses, or with one or
  two responses to anonymous check-lists, shows «мало ответов» instead of scores (counts and
  response rates stay: they tell nothing about anyone's answers).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from webapp.checklists.models import (
    ChecklistAssignment,
    ChecklistInvitation,
    ChecklistItem,
    ChecklistTally,
    ChecklistTemplate,
    ChecklistVersion,
    ItemKind,
    RespondentRole,
)
from webapp.checklists.results import MIN_ANONYMOUS, Bar, Chart, bar_chart, percent_text
from webapp.extensions import db
from webapp.reports.scope import ReportFilters, moscow_midnight
from webapp.sessions.models import EventSession
from webapp.sites.models import Site
from webapp.taxonomy.models import Direction
from webapp.timefmt import month_name
from webapp.ui import Page

#: fewer responses than this in a group: no scores (as on the check-list results page)
MIN_RESPONSES = MIN_ANONYMOUS
FEW_ANSWERS = "мало ответов"
SITES_PER_PAGE = 50
NO_SITE = "Без площадки (опросы по периоду, мероприятия без площадки)"
NO_DIRECTION = "Без направления"
GROUPINGS = ("site", "direction", "template", "month")
GROUPING_TITLES = {"site": "По площадкам", "direction": "По направлениям", "template": "По чек-листам",
                   "month": "По месяцам"}

T, A, Inv = ChecklistTally, ChecklistAssignment, ChecklistInvitation


# -- options and periods -----------------------------------------------------------------------

@dataclass
class FeedbackOptions:
    """The report's own filter beside the shared ones: who answered."""

    role: RespondentRole | None = None
    notes: list[str] = field(default_factory=list)

    def args(self) -> dict[str, str]:
        return {"role": self.role.value} if self.role is not None else {}


def parse_options(args) -> FeedbackOptions:
    options = FeedbackOptions()
    raw = (args.get("role") or "").strip()
    if raw:
        options.role = RespondentRole.parse(raw)
        if options.role is None:
            options.notes.append(f"«{raw[:30]}» — нет такой группы отвечающих: показаны все.")
    return options


def _first_of_month(d: date) -> date:
    return d.replace(day=1)


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _year_earlier(month: date) -> date:
    return month.replace(year=month.year - 1)


@dataclass(frozen=True)
class Months:
    """A run of whole months, by their first days (inclusive)."""

    first: date
    last: date

    def __contains__(self, month: date) -> bool:
        return self.first <= month <= self.last

    def each(self) -> list[date]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
        return [_add_months(self.first, n) for n in range(count)]

    @property
    def label(self) -> str:
        first, last = month_name(self.first.year, self.first.month), month_name(self.last.year, self.last.month)
        return first if self.first == self.last else f"{first} — {last}"

    @property
    def start_utc(self):
        return moscow_midnight(self.first)

    @property
    def end_utc(self):
        return moscow_midnight(_add_months(self.last, 1))


def periods(f: ReportFilters) -> tuple[Months, Months]:
    """The report's months and the same months one year earlier."""
    current = Months(_first_of_month(f.start), _first_of_month(f.end))
    return current, Months(_year_earlier(current.first), _year_earlier(current.last))


# -- figures -----------------------------------------------------------------------------------

def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


@dataclass(frozen=True)
class Mean:
    """A mean (or a change of one) on one scale, lowest to highest point."""

    low: float
    high: float
    value: float

    @property
    def scale(self) -> str:
        return scale_text(self.low, self.high)


def scale_text(low: float, high: float) -> str:
    return f"{low:g}–{high:g}"


@dataclass
class Figures:
    """Sums for one group in one period."""

    #: responses (check-lists submitted), of them to anonymous check-lists
    responses: int = 0
    anonymous: int = 0
    #: answers to scale items and the sum of their positions on the scale (0…1)
    answers: int = 0
    positions: float = 0.0
    invited: int = 0
    answered: int = 0
    #: (lowest, highest point) → [answers, sum of values]: a template's means on its own scales
    scale_sums: dict[tuple[float, float], list] = field(default_factory=dict)

    def add_tally(self, responses, anonymous, answers, positions) -> None:
        self.responses += int(responses or 0)
        self.anonymous += int(anonymous or 0)
        self.answers += int(answers or 0)
        self.positions += float(positions or 0)

    def add_invited(self, invited, answered) -> None:
        self.invited += int(invited or 0)
        self.answered += int(answered or 0)

    def add_scale(self, low: float, high: float, answers, values) -> None:
        sums = self.scale_sums.setdefault((low, high), [0, 0.0])
        sums[0] += int(answers or 0)
        sums[1] += float(values or 0)

    @property
    def hidden(self) -> bool:
        """Too few responses to show scores without giving someone's answers away."""
        return 0 < self.responses < MIN_RESPONSES or 0 < self.anonymous < MIN_ANONYMOUS

    @property
    def index(self) -> float | None:
        """The satisfaction index, 0–100 (None: hidden or no scale answers)."""
        if self.hidden or not self.answers:
            return None
        return 100.0 * self.positions / self.answers

    @property
    def means(self) -> list[Mean]:
        """The mean answer on each scale used (a template's scores on its own scales); none when
        hidden."""
        if self.hidden:
            return []
        return [Mean(low, high, values / answers)
                for (low, high), (answers, values) in sorted(self.scale_sums.items(), key=lambda p: (p[0][1], p[0][0]))
                if answers]

    @property
    def rate(self) -> float | None:
        return 100.0 * self.answered / self.invited if self.invited else None


@dataclass
class Row:
    """One group (a site, a direction, a template, a month): this period and a year earlier."""

    key: object
    label: str
    current: Figures = field(default_factory=Figures)
    previous: Figures = field(default_factory=Figures)
    #: the label of the month a year earlier (month rows)
    previous_label: str = ""
    #: a template's scales: «1–5», «1–5, 1–10», «нет шкал» (template rows)
    scale: str = ""

    @property
    def index_change(self) -> float | None:
        return _change(self.current.index, self.previous.index)

    @property
    def rate_change(self) -> float | None:
        return _change(self.current.rate, self.previous.rate)

    @property
    def mean_changes(self) -> list[Mean]:
        """The change of the mean on each scale both periods have."""
        before = {(m.low, m.high): m.value for m in self.previous.means}
        return [Mean(m.low, m.high, m.value - before[(m.low, m.high)]) for m in self.current.means
                if (m.low, m.high) in before]

    @property
    def has_data(self) -> bool:
        return any((self.current.responses, self.current.invited, self.previous.responses, self.previous.invited))


@dataclass
class Grouping:
    name: str
    title: str
    rows: list[Row]


class IndexBar(Bar):
    """A bar whose figure is the index alone («78 %»)."""

    @property
    def figure(self) -> str:
        return percent_text(self.share)


@dataclass
class Report:
    current: Months
    previous: Months
    total: Row
    groupings: dict[str, Grouping]
    #: the index by direction (this period), groups with scores only
    chart: Chart | None
    role: RespondentRole | None = None

    @property
    def is_empty(self) -> bool:
        return not self.total.has_data

    def site_page(self, page: int) -> Page:
        rows = self.groupings["site"].rows
        pages = max(1, math.ceil(len(rows) / SITES_PER_PAGE))
        page = min(max(page, 1), pages)
        return Page(rows[(page - 1) * SITES_PER_PAGE:page * SITES_PER_PAGE], page, SITES_PER_PAGE, len(rows))


# -- the queries -------------------------------------------------------------------------------

def scale_ranges() -> dict[tuple[int, str], tuple[float, float]]:
    """(template, item key) → (lowest, highest point) of every scale and matrix item, as the
    latest version having the key defines it: one query over the templates' items."""
    rows = db.session.execute(
        sa.select(ChecklistVersion.template_id, ChecklistItem.key, ChecklistItem.settings)
        .join(ChecklistVersion, ChecklistVersion.id == ChecklistItem.version_id)
        .where(ChecklistItem.kind.in_([k for k in ItemKind if k.is_scaled]))
        .order_by(ChecklistVersion.template_id, ChecklistVersion.number))
    out: dict[tuple[int, str], tuple[float, float]] = {}
    for template_id, key, settings in rows:
        settings = settings or {}
        try:
            low, high = float(settings.get("min", 1)), float(settings.get("max", 5))
        except (TypeError, ValueError):
            continue
        if math.isfinite(low) and math.isfinite(high) and high > low:
            out[(template_id, key)] = (low, high)
    return out


def _scales_table(ranges: dict[tuple[int, str], tuple[float, float]],
                  scales: list[tuple[float, float]]) -> sa.Subquery:
    """The scale ranges as a derived table (template_id, item_key, low, span, scale_no: the
    range's place in `scales`) to join tallies to. Numbers are written into the SQL (they are
    ours, not the user's); keys are bound."""
    entries = list(ranges.items()) or [((0, ""), (0.0, 1.0))]  # no scale anywhere: a row that matches nothing
    parts = [sa.select(sa.literal_column(str(int(template_id)), sa.Integer).label("template_id"),
                       sa.cast(sa.literal(key), sa.String(40)).label("item_key"),
                       sa.literal_column(repr(float(low)), sa.Float).label("low"),
                       sa.literal_column(repr(float(high - low)), sa.Float).label("span"),
                       sa.literal_column(str(scales.index((low, high)) if (low, high) in scales else -1),
                                         sa.Integer).label("scale_no"))
             for (template_id, key), (low, high) in entries]
    return (sa.union_all(*parts) if len(parts) > 1 else parts[0]).subquery("scales")


def _common_conditions(f: ReportFilters, options: FeedbackOptions, municipality) -> list:
    """Municipalities, site, direction (of the session answered about) and who answered; needs
    EventSession outer-joined and the assignment joined as A."""
    out = []
    if f.municipality_ids is not None:
        out.append(municipality.in_(f.municipality_ids))
    if f.site_id is not None:
        out.append(EventSession.site_id == f.site_id)
    if f.direction_id is not None:
        out.append(EventSession.direction_id == f.direction_id)
    if options.role is not None:
        out.append(A.role == options.role)
    return out


def _tally_cells(f: ReportFilters, options: FeedbackOptions, current: Months, previous: Months,
                 ranges: dict[tuple[int, str], tuple[float, float]], scales: list[tuple[float, float]]) -> sa.CTE:
    """Per (site, direction, template, month) of both periods: responses, anonymous responses,
    scale answers and the sum of their positions on their scales; then, per scale of `scales`,
    its answers and the sum of their values (a template's means on its own scales)."""
    table = _scales_table(ranges, scales)
    is_response = T.item_key == "*"
    is_scale = table.c.template_id.is_not(None)
    scale_cells = sa.and_(is_scale, T.value_num.is_not(None), T.value != "*")
    # 0 … 1 on the item's scale; an answer given on an earlier version's longer scale counts as the top
    position = sa.case((T.value_num <= table.c.low, 0.0), (T.value_num >= table.c.low + table.c.span, 1.0),
                       else_=(T.value_num - table.c.low) / table.c.span)
    measures = [
        sa.func.sum(sa.case((is_response, T.count), else_=0)).label("responses"),
        sa.func.sum(sa.case((sa.and_(is_response, A.anonymous), T.count), else_=0)).label("anonymous"),
        sa.func.sum(sa.case((is_scale, T.count), else_=0)).label("answers"),
        sa.func.sum(sa.case((is_scale, T.count * position), else_=0.0)).label("positions"),
    ]
    for number in range(len(scales)):
        on_scale = table.c.scale_no == number
        measures += [sa.func.sum(sa.case((on_scale, T.count), else_=0)).label(f"answers_{number}"),
                     sa.func.sum(sa.case((on_scale, T.count * T.value_num), else_=0.0)).label(f"values_{number}")]
    group_by = [EventSession.site_id, EventSession.direction_id, T.template_id, T.month]
    return (
        sa.select(EventSession.site_id.label("site_id"), EventSession.direction_id.label("direction_id"),
                  T.template_id.label("template_id"), T.month.label("month"), *measures)
        .select_from(T)
        .join(A, A.id == T.assignment_id)
        .outerjoin(EventSession, EventSession.id == T.session_id)
        .outerjoin(table, sa.and_(table.c.template_id == T.template_id, table.c.item_key == T.item_key))
        .where(sa.or_(T.month.between(current.first, current.last), T.month.between(previous.first, previous.last)),
               sa.or_(is_response, scale_cells),
               *_common_conditions(f, options, T.municipality_id))
        .group_by(*group_by)
        .cte("cells"))


def _month_text(column) -> sa.ColumnElement:
    """«YYYY-MM» of a UTC moment in Moscow time. Constants are written into the SQL so that the
    GROUP BY repeats the SELECT's expression exactly (PostgreSQL compares them as text)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.to_char(sa.func.timezone(sa.literal_column("'Europe/Moscow'"), column),
                               sa.literal_column("'YYYY-MM'"))
    # SQLite keeps naive UTC; Moscow has been UTC+3 all year round since 2014
    return sa.func.strftime(sa.literal_column("'%Y-%m'"), column, sa.literal_column("'+3 hours'"))


def _invitation_cells(f: ReportFilters, options: FeedbackOptions, current: Months, previous: Months) -> sa.CTE:
    """Per (site, direction, template, month answering opened, as «YYYY-MM») of both periods:
    invitations and how many were answered."""
    month = _month_text(Inv.opens_dt)
    site, direction = EventSession.site_id, EventSession.direction_id
    municipality = sa.func.coalesce(EventSession.municipality_id, A.municipality_id)
    return (
        sa.select(site.label("site_id"), direction.label("direction_id"), A.template_id.label("template_id"),
                  month.label("month"), sa.func.count().label("invited"),
                  sa.func.sum(sa.case((Inv.answered, 1), else_=0)).label("answered"))
        .select_from(Inv)
        .join(A, A.id == Inv.assignment_id)
        .outerjoin(EventSession, EventSession.id == Inv.session_id)
        .where(sa.or_(sa.and_(Inv.opens_dt >= current.start_utc, Inv.opens_dt < current.end_utc),
                      sa.and_(Inv.opens_dt >= previous.start_utc, Inv.opens_dt < previous.end_utc)),
               *_common_conditions(f, options, municipality))
        .group_by(site, direction, A.template_id, month)
        .cte("cells"))


def _rollup(cells: sa.CTE, sides: list[tuple[str, object, object]], month_type) -> list:
    """The cells summed per site, direction, template and month, for each side (current,
    previous: its first and last month as the cells' month column holds them): one statement, the
    cells computed once. Rows: (grouping, side, key, month, *sums) — `key` for sites, directions
    and templates, `month` for months."""
    sums = [sa.func.sum(column).label(column.name) for column in cells.c
            if column.name not in ("site_id", "direction_id", "template_id", "month")]
    parts = []
    for side, first, last in sides:
        in_side = cells.c.month.between(first, last)
        label = [sa.literal_column(f"'{side}'", sa.String).label("side")]
        for name in ("site", "direction", "template"):
            key = cells.c[f"{name}_id"]
            parts.append(sa.select(sa.literal_column(f"'{name}'", sa.String).label("grouping"), *label,
                                   key.label("key"), sa.cast(sa.null(), month_type).label("month"), *sums)
                         .where(in_side).group_by(key))
        parts.append(sa.select(sa.literal_column("'month'", sa.String), *label, sa.cast(sa.null(), sa.Integer),
                               cells.c.month, *sums)
                     .where(in_side).group_by(cells.c.month))
    return db.session.execute(sa.union_all(*parts)).all()


def _names(model, ids: Iterable[int]) -> dict[int, str]:
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return {}
    column = ChecklistTemplate.title if model is ChecklistTemplate else model.name
    return dict(db.session.execute(sa.select(model.id, column).where(model.id.in_(ids))).tuples().all())


# -- the report --------------------------------------------------------------------------------

def _scale_labels(ranges: dict[tuple[int, str], tuple[float, float]]) -> dict[int, str]:
    """Template → its scales: «1–5», «1–5, 1–10»."""
    by_template: dict[int, set[tuple[float, float]]] = {}
    for (template_id, _), bounds in ranges.items():
        by_template.setdefault(template_id, set()).add(bounds)
    return {template_id: ", ".join(scale_text(low, high) for low, high in sorted(bounds, key=lambda b: (b[1], b[0])))
            for template_id, bounds in by_template.items()}


def build(f: ReportFilters, options: FeedbackOptions | None = None) -> Report:
    """The whole report: the scale ranges; the tallies and the invitations, each grouped per
    (site, direction, template, month) and rolled up per grouping and period in one statement;
    then the names of the sites, directions and templates found: six queries whatever the data."""
    options = options or FeedbackOptions()
    current, previous = periods(f)
    ranges = scale_ranges()
    scales = sorted(set(ranges.values()), key=lambda b: (b[1], b[0]))
    groups: dict[str, dict[object, Row]] = {name: {} for name in GROUPINGS}
    total = Row("total", "Итого")

    def row_of(grouping: str, side: str, key, month) -> Row:
        """The row a rolled-up record adds to; a previous month joins the month a year later."""
        if grouping == "month":
            key = month if side == "current" else _add_months(month, 12)
        return groups[grouping].setdefault(key, Row(key, ""))

    tally_sides = [("current", current.first, current.last), ("previous", previous.first, previous.last)]
    cells = _tally_cells(f, options, current, previous, ranges, scales)
    for grouping, side, key, month, *sums in _rollup(cells, tally_sides, sa.Date):
        figures, per_scale = sums[:4], sums[4:]
        row = row_of(grouping, side, key, month)
        getattr(row, side).add_tally(*figures)
        if grouping == "month":  # every cell has a month: the months add up to the total
            getattr(total, side).add_tally(*figures)
        if grouping == "template":
            for (low, high), answers, values in zip(scales, per_scale[::2], per_scale[1::2], strict=True):
                if answers:
                    getattr(row, side).add_scale(low, high, answers, values)

    invitation_sides = [(side, f"{first:%Y-%m}", f"{last:%Y-%m}") for side, first, last in tally_sides]
    cells = _invitation_cells(f, options, current, previous)
    for grouping, side, key, month_text, invited, answered in _rollup(cells, invitation_sides, sa.String):
        month = None
        if month_text is not None:
            year, number = (int(p) for p in str(month_text).split("-")[:2])
            month = date(year, number, 1)
        row = row_of(grouping, side, key, month)
        getattr(row, side).add_invited(invited, answered)
        if grouping == "month":
            getattr(total, side).add_invited(invited, answered)

    # every month of the period has a row, with data or not
    for month in current.each():
        groups["month"].setdefault(month, Row(month, ""))
    site_names = _names(Site, groups["site"])
    template_names = _names(ChecklistTemplate, groups["template"])
    directions = db.session.execute(sa.select(Direction.id, Direction.name, Direction.position)).all()
    direction_names = {d.id: d.name for d in directions}
    direction_order = {d.id: (d.position, d.name) for d in directions}
    scale_labels = _scale_labels(ranges)

    sites = sorted(groups["site"].values(), key=lambda r: (r.key is None, site_names.get(r.key, "").casefold()))
    for row in sites:
        row.label = NO_SITE if row.key is None else site_names.get(row.key, f"Площадка № {row.key}")
    directions_rows = sorted(groups["direction"].values(),
                             key=lambda r: (r.key is None, direction_order.get(r.key, (0, ""))))
    for row in directions_rows:
        row.label = NO_DIRECTION if row.key is None else direction_names.get(row.key, f"Направление № {row.key}")
    templates = sorted(groups["template"].values(), key=lambda r: template_names.get(r.key, "").casefold())
    for row in templates:
        row.label = template_names.get(row.key, f"Чек-лист № {row.key}")
        row.scale = scale_labels.get(row.key, "нет шкал")
    months = sorted((r for r in groups["month"].values() if r.key in current), key=lambda r: r.key)
    for row in months:
        row.label = month_name(row.key.year, row.key.month)
        before = _year_earlier(row.key)
        row.previous_label = month_name(before.year, before.month)

    bars = [IndexBar(r.label, r.current.responses, r.current.index) for r in directions_rows
            if r.current.index is not None]
    return Report(current=current, previous=previous, total=total, role=options.role,
                  chart=bar_chart(bars) if bars else None,
                  groupings={
                      "site": Grouping("site", GROUPING_TITLES["site"], sites),
                      "direction": Grouping("direction", GROUPING_TITLES["direction"], directions_rows),
                      "template": Grouping("template", GROUPING_TITLES["template"], templates),
                      "month": Grouping("month", GROUPING_TITLES["month"], months),
                  })


@dataclass
class FeedbackSummary:
    """The headline figures for the annual report.

    total: the whole scope, this period (`current`) and a year earlier (`previous`) — responses,
    invited, answered, rate, index (satisfaction, 0–100), hidden; by_direction and by_template:
    the same per direction and per template (a template's `means` are on its own scales)."""

    period_label: str
    previous_label: str
    total: Row
    by_direction: list[Row]
    by_template: list[Row]


def summary(f: ReportFilters, options: FeedbackOptions | None = None) -> FeedbackSummary:
    """The report's totals and small tables: the same few queries as the page's report."""
    report = build(f, options)
    return FeedbackSummary(report.current.label, report.previous.label, report.total,
                           report.groupings["direction"].rows, report.groupings["template"].rows)
