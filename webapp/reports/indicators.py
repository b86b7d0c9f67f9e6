"""Indicators: saving and archiving them (admins), and the report of target against actual per
municipality. Functions flush, never commit.

The report lists the active indicators whose period overlaps the report's, ten a page. Each is
measured over its own period (the report's period only chooses which indicators to show), once
for all the municipalities shown (webapp.reports.measures: a grouped query per distinct question,
all of the page's UNION ALL'ed into one statement, cached while the data does not change). An
indicator set for one municipality has one row; one set for every municipality has a row per
municipality in the reader's scope, and for an admin looking at the whole network a total row
(«По сети»).

The filters: the municipality chooses the rows (and the indicators that concern it), the
direction chooses the indicators of that direction; a site means nothing to an indicator and is
ignored with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from webapp.audit.models import record
from webapp.extensions import db
from webapp.orgs.models import Municipality
from webapp.reports.measures import Figure, MeasureQuery, compute_many, empty_figure
from webapp.reports.models import MAX_PERCENT, Indicator, Measure
from webapp.reports.scope import ReportFilters
from webapp.taxonomy.models import Audience, Direction
from webapp.timefmt import MOSCOW, format_day
from webapp.ui import Page, format_number

INDICATORS_PER_PAGE = 10
MANAGE_PER_PAGE = 50
#: the annual report shows at most this many indicators
SUMMARY_LIMIT = 30
#: the largest target a count may have (beyond it, a typo)
MAX_COUNT_TARGET = 100_000
COUNT_TOO_BIG = f"Слишком большое число: не больше {MAX_COUNT_TARGET:,}.".replace(",", "\u00a0")
COUNT_NOT_WHOLE = "Число мероприятий — целое число, например 3."
SITE_IGNORED = "Фильтр по площадке к показателям не применяется: показатели считаются по всем площадкам."
NETWORK_TOTAL = "По сети"

#: the bar's width in SVG units
BAR_WIDTH = 200


class IndicatorError(Exception):
    """A rule was broken; the message is for the admin and names the form field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


# -- saving --------------------------------------------------------------------------------------

FIELDS = ("name", "description", "measure", "direction_id", "audience_id", "target_value", "period_start",
          "period_end", "municipality_id")


def check(data: dict) -> None:
    """The rules a form cannot be trusted with alone (a crafted POST, a script): IndicatorError."""
    name = (data.get("name") or "").strip()
    if not name:
        raise IndicatorError("name", "Укажите название показателя.")
    measure = Measure.parse(data.get("measure"))
    if measure is None:
        raise IndicatorError("measure", "Выберите, что измеряет показатель.")
    target = data.get("target_value")
    if target is None:
        raise IndicatorError("target_value", "Укажите целевое значение.")
    if target < 0:
        raise IndicatorError("target_value", "Целевое значение не может быть отрицательным.")
    if measure.is_percentage and target > MAX_PERCENT:
        raise IndicatorError("target_value", "Доля не может быть больше 100 %.")
    if not measure.is_percentage and target > MAX_COUNT_TARGET:
        raise IndicatorError("target_value", COUNT_TOO_BIG)
    if not measure.is_percentage and target != int(target):
        raise IndicatorError("target_value", COUNT_NOT_WHOLE)
    if data.get("audience_id") is not None and not measure.uses_audience:
        raise IndicatorError("audience_id",
                             f"Аудитория учитывается только в показателе «{Measure.TEACHERS_TRAINED.label}».")
    start, end = data.get("period_start"), data.get("period_end")
    if start is None:
        raise IndicatorError("period_start", "Укажите начало периода.")
    if end is None:
        raise IndicatorError("period_end", "Укажите конец периода.")
    if end < start:
        raise IndicatorError("period_end", "Конец периода раньше начала.")
    for key, model, message in (("direction_id", Direction, "Такого направления нет."),
                                ("audience_id", Audience, "Такой аудитории нет."),
                                ("municipality_id", Municipality, "Такого муниципалитета нет.")):
        if data.get(key) is not None and db.session.get(model, data[key]) is None:
            raise IndicatorError(key, message)


def save_indicator(indicator: Indicator | None, data: dict, actor) -> Indicator:
    """Create or update an indicator from form data (IndicatorError when a rule is broken)."""
    check(data)
    values = {key: data.get(key) for key in FIELDS}
    values["name"] = values["name"].strip()
    values["description"] = (values["description"] or "").strip()
    values["measure"] = Measure(values["measure"])
    values["target_value"] = float(values["target_value"])
    created = indicator is None
    if created:
        last = db.session.scalar(sa.select(sa.func.max(Indicator.position)))
        indicator = Indicator(position=(last or 0) + 1)
        db.session.add(indicator)
    changes = {}
    for key, value in values.items():
        old = getattr(indicator, key, None)
        if old != value:
            changes[key] = [_shown(old), _shown(value)]
            setattr(indicator, key, value)
    db.session.flush()
    if created or changes:
        record("indicator", indicator.id, "created" if created else "updated", actor, changes)
    return indicator


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Measure):
        return value.label
    if isinstance(value, date):
        return format_day(value)
    return str(value)


def set_active(indicator: Indicator, active: bool, actor) -> None:
    """Archive an indicator (it leaves the report) or bring it back; never deleted."""
    if indicator.is_active == active:
        return
    indicator.is_active = active
    db.session.flush()
    record("indicator", indicator.id, "restored" if active else "archived", actor)


def manage_page(page_no: int) -> Page:
    """Every indicator, archived ones last, 50 a page (two queries)."""
    total = db.session.scalar(sa.select(sa.func.count(Indicator.id)))
    page_no = min(page_no, max(1, -(-total // MANAGE_PER_PAGE)))
    rows = db.session.scalars(
        sa.select(Indicator)
        .options(joinedload(Indicator.direction), joinedload(Indicator.audience), joinedload(Indicator.municipality))
        .order_by(Indicator.is_active.desc(), Indicator.position, Indicator.id)
        .limit(MANAGE_PER_PAGE).offset((page_no - 1) * MANAGE_PER_PAGE)).all()
    return Page(items=list(rows), page=page_no, per_page=MANAGE_PER_PAGE, total=total)


# -- the report ----------------------------------------------------------------------------------

@dataclass
class Row:
    """One line of an indicator's table: a municipality (or the network) against the target.
    What the page shows is worked out once per row (a page has hundreds of rows)."""

    label: str
    figure: Figure
    target: float
    measure: Measure
    #: the period has not ended: a target not reached yet may still be
    running: bool
    #: the bar's full length stands for this value (100 for shares)
    scale: float
    is_total: bool = False

    @cached_property
    def value(self) -> float | None:
        value = self.figure.value
        # compared as shown (one decimal): «41 %» never reads as not reaching «41 %»
        return None if value is None else round(value, 1)

    @cached_property
    def status(self) -> str:
        """«met», «running» (not reached yet, the period goes on), «unmet» or «nodata»."""
        if self.value is None:
            return "nodata"
        if self.value >= self.target:
            return "met"
        return "running" if self.running else "unmet"

    @cached_property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @cached_property
    def actual_text(self) -> str:
        return value_text(self.value, self.measure)

    @cached_property
    def target_text(self) -> str:
        return value_text(self.target, self.measure)

    @cached_property
    def ratio_text(self) -> str:
        """«412 из 1 005» for a share; "" for a count (the value says it all)."""
        if self.figure.denominator is None:
            return ""
        return f"{format_number(self.figure.numerator)} из {format_number(self.figure.denominator)}"

    # the bar's geometry (SVG units), computed here: templates do no arithmetic
    @cached_property
    def bar_width(self) -> float:
        if not self.value or not self.scale:
            return 0
        return round(min(self.value / self.scale, 1) * BAR_WIDTH, 1)

    @cached_property
    def target_x(self) -> float:
        if not self.scale:
            return 0
        return round(min(self.target / self.scale, 1) * BAR_WIDTH, 1)

    @cached_property
    def bar_title(self) -> str:
        return f"{self.label}: факт {self.actual_text}, цель {self.target_text}"


STATUS_LABELS = {"met": "Достигнут", "running": "Пока не достигнут", "unmet": "Не достигнут",
                 "nodata": "Нет данных"}


def value_text(value: float | None, measure: Measure) -> str:
    """«41,5 %», «3»; «—» when there is nothing to measure."""
    if value is None:
        return "—"
    if measure.is_percentage:
        return f"{format_number(value, 1)}\u00a0%"
    return format_number(value, 1)


@dataclass
class Block:
    """One indicator with its rows."""

    indicator: Indicator
    rows: list[Row]

    @property
    def target_text(self) -> str:
        return f"не менее {value_text(self.indicator.target_value, self.indicator.measure)}"

    @property
    def period_text(self) -> str:
        return f"{format_day(self.indicator.period_start)} — {format_day(self.indicator.period_end)}"

    @property
    def counted(self) -> tuple[str, str]:
        return self.indicator.measure.counted

    @property
    def is_empty(self) -> bool:
        """Nothing to count anywhere yet (a new municipality, a period not begun)."""
        return all(r.figure.numerator == 0 and not r.figure.denominator for r in self.rows)


@dataclass
class Report:
    blocks: list[Block]
    page: Page
    notes: list[str] = field(default_factory=list)


def _indicators_statement(f: ReportFilters):
    """Active indicators overlapping the report's period, concerning its municipalities and
    direction, in their order."""
    stmt = sa.select(Indicator).where(Indicator.is_active.is_(True), Indicator.period_start <= f.end,
                                      Indicator.period_end >= f.start)
    if f.municipality_ids is not None:
        stmt = stmt.where(sa.or_(Indicator.municipality_id.is_(None),
                                 Indicator.municipality_id.in_(f.municipality_ids)))
    if f.direction_id is not None:
        stmt = stmt.where(Indicator.direction_id == f.direction_id)
    return stmt


def _with_relations(stmt):
    return stmt.options(joinedload(Indicator.direction), joinedload(Indicator.audience),
                        joinedload(Indicator.municipality)).order_by(Indicator.position, Indicator.id)


def _municipalities(f: ReportFilters) -> list[tuple[int, str]]:
    stmt = sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)
    if f.municipality_ids is not None:
        stmt = stmt.where(Municipality.id.in_(f.municipality_ids))
    return [(r.id, r.name) for r in db.session.execute(stmt)]


def build_blocks(f: ReportFilters, indicators: list[Indicator], today: date | None = None,
                 now: datetime | None = None) -> list[Block]:
    """Each indicator with its rows: one query for the municipalities' names and one statement for
    the measures of every distinct question (measure, parameters, period, municipalities)."""
    if not indicators:
        return []
    today = today or datetime.now(MOSCOW).date()
    municipalities = _municipalities(f)
    network_total = f.scope_ids is None and f.municipality_id is None
    shown, keys = {}, {}
    for ind in indicators:
        own = ind.municipality_id is not None
        shown[ind.id] = [(m, name) for m, name in municipalities if m == ind.municipality_id] if own \
            else municipalities
        # the whole network's view asks for every municipality (None): network plans join the total
        keys[ind.id] = (MeasureQuery.of(ind), None if network_total and not own
                        else tuple(m for m, _ in shown[ind.id]))
    figures_of = compute_many((key for key in keys.values() if key[1] is None or key[1]), now=now)
    blocks = []
    for ind in indicators:
        figures = figures_of.get(keys[ind.id], {})
        running = ind.period_end >= today
        measure = ind.measure
        rows = [Row(label=name, figure=figures.get(m) or empty_figure(measure), target=ind.target_value,
                    measure=measure, running=running, scale=0) for m, name in shown[ind.id]]
        if network_total and ind.municipality_id is None and rows:
            total = sum(figures.values(), empty_figure(measure))
            # a count's target is per municipality: the network's is their sum
            target = ind.target_value if measure.is_percentage else ind.target_value * len(rows)
            rows.append(Row(label=NETWORK_TOTAL, figure=total, target=target, measure=measure, running=running,
                            scale=0, is_total=True))
        _set_scales(rows, measure, ind.target_value)
        blocks.append(Block(indicator=ind, rows=rows))
    return blocks


def _set_scales(rows: list[Row], measure: Measure, target: float) -> None:
    """Shares run to 100 %; counts to the larger of the target and the best municipality (the
    total row to its own target or value)."""
    if measure.is_percentage:
        for row in rows:
            row.scale = MAX_PERCENT
        return
    best = max([target] + [r.figure.numerator for r in rows if not r.is_total])
    for row in rows:
        row.scale = max(row.target, row.figure.numerator) if row.is_total else best


def build_report(f: ReportFilters, page_no: int = 1, today: date | None = None) -> Report:
    """The indicators page: a page of indicators with their rows (a constant number of queries:
    a count, the indicators, the municipalities' names, the measures; the data version too
    when the cache is on)."""
    stmt = _indicators_statement(f)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    page_no = min(page_no, max(1, -(-total // INDICATORS_PER_PAGE)))
    indicators = db.session.scalars(_with_relations(stmt).limit(INDICATORS_PER_PAGE)
                                    .offset((page_no - 1) * INDICATORS_PER_PAGE)).unique().all()
    notes = [SITE_IGNORED] if f.site_id is not None else []
    return Report(blocks=build_blocks(f, list(indicators), today=today),
                  page=Page(items=list(indicators), page=page_no, per_page=INDICATORS_PER_PAGE, total=total),
                  notes=notes)


EXPORT_HEADER = ["Показатель", "Что измеряется", "Направление", "Аудитория", "Период с", "по", "Муниципалитет",
                 "Цель", "Факт", "Числитель", "Знаменатель", "Итог"]
EXPORT_WIDTHS = [48, 44, 28, 22, 12, 12, 28, 10, 10, 12, 12, 18]


def export_rows(f: ReportFilters, today: date | None = None):
    """Every indicator of the report (not a page of them), a line per row of its table."""
    indicators = db.session.scalars(_with_relations(_indicators_statement(f))).unique().all()
    for block in build_blocks(f, list(indicators), today=today):
        ind = block.indicator
        for row in block.rows:
            yield [ind.name, ind.measure.label, ind.direction.name if ind.direction else "Все",
                   ind.audience.name if ind.audience else ("Все" if ind.measure.uses_audience else ""),
                   ind.period_start, ind.period_end, row.label, row.target,
                   row.value if row.value is not None else "—", row.figure.numerator,
                   row.figure.denominator if row.figure.denominator is not None else "",
                   row.status_label]


# -- the annual report's summary -----------------------------------------------------------------

@dataclass
class SummaryRow:
    name: str
    measure: Measure
    #: «1 сентября 2025 — 31 августа 2026»
    period_text: str
    target: float
    #: the percentage or the count (None: nobody to count)
    actual: float | None
    numerator: int
    #: None for a count
    denominator: int | None
    #: «met», «running», «unmet», «nodata» and its Russian label
    status: str
    status_label: str
    #: «не менее 41 %», «43,2 %», «412 из 1 005»
    target_text: str
    actual_text: str
    ratio_text: str

    @property
    def met(self) -> bool | None:
        return None if self.status == "nodata" else self.status == "met"


@dataclass
class IndicatorSummary:
    """The indicators of the filters' area: one municipality, or the whole of her scope."""

    #: «г. Краснодар», «Вся сеть»
    area: str
    rows: list[SummaryRow]

    @property
    def met_count(self) -> int:
        return sum(1 for r in self.rows if r.met)


def summary(f: ReportFilters, today: date | None = None) -> IndicatorSummary:
    """The indicators with their actual and target for the filters' municipality (or, without
    one, for the total of her scope: the network for an admin). Three or four queries: the
    indicators (at most SUMMARY_LIMIT), the municipalities' names, the measures (and the data
    version when the cache is on)."""
    indicators = db.session.scalars(_with_relations(_indicators_statement(f)).limit(SUMMARY_LIMIT)).unique().all()
    area = f.municipality_name or ("Вся сеть" if f.scope_ids is None else "Мои муниципалитеты")
    rows = []
    for block in build_blocks(f, list(indicators), today=today):
        row = _area_row(block, f)
        if row is None:
            continue
        rows.append(SummaryRow(
            name=block.indicator.name, measure=block.indicator.measure, period_text=block.period_text,
            target=row.target, actual=row.value, numerator=row.figure.numerator,
            denominator=row.figure.denominator, status=row.status, status_label=row.status_label,
            target_text=f"не менее {row.target_text}", actual_text=row.actual_text, ratio_text=row.ratio_text))
    return IndicatorSummary(area=area, rows=rows)


def _area_row(block: Block, f: ReportFilters) -> Row | None:
    """The one row that stands for the filters' area: the total, the only row, or the sum of
    her municipalities' rows."""
    rows = block.rows
    if not rows:
        return None
    total = next((r for r in rows if r.is_total), None)
    if total is not None:
        return total
    if len(rows) == 1:
        return rows[0]
    first = rows[0]
    figure = sum((r.figure for r in rows), empty_figure(first.measure))
    target = first.target if first.measure.is_percentage else first.target * len(rows)
    return Row(label=f.scope_label, figure=figure, target=target, measure=first.measure, running=first.running,
               scale=0, is_total=True)
