"""Rules for plans and their items. Functions flush, never commit."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

import sqlalchemy as sa

from webapp.audit.models import record
from webapp.extensions import db
from webapp.plan.models import ItemStatus, Plan, PlanItem, PlanKind, PlanStatus
from webapp.sites.models import Site
from webapp.taxonomy.models import Audience, Direction, EventForm


class PlanError(Exception):
    """A rule was broken; the message is for the user and names the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def number_position(number: str) -> int:
    """A sort key for «1», «1.2», «1.10», «2.3.1» that orders them as people read them."""
    parts = [int(p) for p in re.findall(r"\d+", number)[:3]]
    parts += [0] * (3 - len(parts))
    return min(parts[0], 9999) * 1_000_000 + min(parts[1], 999) * 1_000 + min(parts[2], 999)


# -- timing: the period a plan's fuzzy «Сроки» cover ------------------------------------------

#: month word stems (lower case, «ё» as «е») and their numbers (May, «ма[йяе]», is apart: «ма» begins too much)
_MONTH_BY_STEM = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
#: abbreviations as people type them in tables: «сент.», «нояб.», «дек.»
_MONTH_BY_ABBREVIATION = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "авг": 8, "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11,
    "дек": 12,
}
_MONTH_RE = re.compile(
    r"(?<![а-я])(?:(январ|феврал|март|апрел|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*"
    r"|(ма)[йяе](?![а-я])"
    r"|(янв|фев|мар|апр|авг|сент|сен|окт|нояб|ноя|дек)(?![а-я]))"
)
_YEAR_RE = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_NUMERIC_DATE_RE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(20\d\d|\d\d)(?![\d])")
#: «25 мая», «1 сентября 2025», «10–20 марта», «с 10 по 20 марта»
_DAY_MONTH_RE = re.compile(
    r"(?<!\d)(\d{1,2})(?:\s*(?:[-–—]|по|и)\s*(\d{1,2}))?\s+" + _MONTH_RE.pattern + r"(?:\s*(20\d\d)(?!\d))?"
)
#: «I полугодие», «2-е полугодие», «во втором полугодии»
_HALF_RE = re.compile(r"(?<![\wа-я])(ii|i|1|2|перв[а-я]*|втор[а-я]*)(?:\s*-?\s*(?:е|ое|ом|м))?\s+полугод")
#: «III квартал», «4-й квартал»; «II четверть» (the school's quarters)
_QUARTER_RE = re.compile(
    r"(?<![\wа-я])(iv|iii|ii|i|[1-4]|перв[а-я]*|втор[а-я]*|трет[а-я]*|четв[её]рт[а-я]*)"
    r"(?:\s*-?\s*(?:й|ый|ий|я|ая|ья))?\s+(квартал|четверт)"
)
_ORDINALS = {"i": 1, "1": 1, "ii": 2, "2": 2, "iii": 3, "3": 3, "iv": 4, "4": 4,
             "перв": 1, "втор": 2, "трет": 3, "четв": 4}
#: months (first, last) of a half of the calendar year, of the academic year, a quarter, a school term
_CALENDAR_HALVES = {1: (1, 6), 2: (7, 12)}
_ACADEMIC_HALVES = {1: (9, 12), 2: (1, 5)}
_QUARTERS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
_SCHOOL_TERMS = {1: (9, 10), 2: (11, 12), 3: (1, 3), 4: (4, 5)}
#: words that say «throughout the plan»: «Постоянно по запросам», «4 раза в год», «Ежегодно»
_WHOLE_PERIOD_WORDS = ("в течение", "в теч.", "постоянно", "ежегодно", "ежемесячно", "еженедельно",
                       "ежеквартально", "регулярно", "систематически", "по запрос", "по мере", "раза в", "раз в")
#: what joins the two ends of a range of months: «апрель–май», «с января по март»
_RANGE_GAP_RE = re.compile(r"\s*(?:[-–—]|по)\s*")
_DEADLINE_RE = re.compile(r"^\s*(до|к|не позднее|не позже)\s")
_FROM_RE = re.compile(r"^\s*(с|начиная с)\s")


def _month_of(full: str | None, may: str | None, abbreviation: str | None) -> int:
    """The month of a _MONTH_RE match, from its three groups."""
    if full:
        return _MONTH_BY_STEM[full]
    if may:
        return 5
    return _MONTH_BY_ABBREVIATION[abbreviation]


def _ordinal(word: str) -> int:
    return _ORDINALS.get(word) or _ORDINALS.get(word[:4], 0)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _resolve_years(months: list[list], plan_start: date) -> list[date]:
    """[month, year or None, linked] in reading order → the first day of each month.

    A month joined to the previous one by a dash («апрель–май», the end of «III квартал») follows
    it. Another month without its year takes the next dated month's (one less when it comes later
    in the calendar: «декабрь – январь 2026» is December 2025), else the previous one's; when no
    month has a year they are read from the plan's start onwards («Декабрь, апрель» in a plan
    from September 2025 is December 2025 to April 2026)."""
    dated = any(year for _, year, _ in months)
    resolved: list[date] = []
    for i, (month, year, linked) in enumerate(months):
        if year is None:
            following = next(((m, y) for m, y, _ in months[i + 1:] if y), None) if dated else None
            if linked and resolved:
                year = resolved[-1].year + (month < resolved[-1].month)
            elif following:
                year = following[1] - (month > following[0])
            elif resolved and dated:
                year = resolved[-1].year + (month < resolved[-1].month)
            else:
                year = plan_start.year + (month < plan_start.month)
        resolved.append(date(year, month, 1))
    return resolved


def _month_periods(text: str, plan_start: date) -> tuple[date, date, bool] | None:
    """The months a text names (directly or as halves, quarters, school terms): first day of the
    first, last day of the last, and whether it named a single month."""
    academic = plan_start.month >= 7
    has_year = bool(_YEAR_RE.search(text))
    events: list[tuple[float, str, int, bool]] = []  # (position, kind, month or year, linked)
    for m in _HALF_RE.finditer(text):
        number = _ordinal(m.group(1))
        if number in (1, 2):
            # «II полугодие 2025» is July–December; without a year, the plan's kind decides
            first, last = (_ACADEMIC_HALVES if academic and not has_year else _CALENDAR_HALVES)[number]
            events += [(m.start(), "m", first, False), (m.start() + 0.5, "m", last, True)]
    for m in _QUARTER_RE.finditer(text):
        number = _ordinal(m.group(1))
        if 1 <= number <= 4:
            first, last = (_QUARTERS if m.group(2) == "квартал" else _SCHOOL_TERMS)[number]
            events += [(m.start(), "m", first, False), (m.start() + 0.5, "m", last, True)]
    if not events:
        previous_end = None
        for m in _MONTH_RE.finditer(text):
            linked = previous_end is not None and bool(_RANGE_GAP_RE.fullmatch(text[previous_end:m.start()]))
            events.append((m.start(), "m", _month_of(*m.groups()), linked))
            previous_end = m.end()
    if not events:
        return None
    events += [(m.start(), "y", int(m.group(1)), False) for m in _YEAR_RE.finditer(text)]
    months: list[list] = []
    leading_year = None
    for _, kind, value, linked in sorted(events):
        if kind == "m":
            months.append([value, None, linked])
        elif months and months[-1][1] is None:
            months[-1][1] = value
        elif not months and leading_year is None:
            leading_year = value  # «2025 г.: январь, март»
    if leading_year and not any(year for _, year, _ in months):
        months[0][1] = leading_year
    firsts = _resolve_years(months, plan_start)
    last = max(firsts)
    return min(firsts), _month_end(last.year, last.month), len(months) == 1


def _day_dates(text: str, plan_start: date) -> list[date]:
    """The exact days a text names: «25 мая», «10–20 марта 2026», «15.03.2026»."""
    found: list[tuple[int, int, int | None]] = []  # (day, month, year)
    for m in _NUMERIC_DATE_RE.finditer(text):
        year = int(m.group(3))
        found.append((int(m.group(1)), int(m.group(2)), year + 2000 if year < 100 else year))
    for m in _DAY_MONTH_RE.finditer(text):
        month = _month_of(m.group(3), m.group(4), m.group(5))
        year = int(m.group(6)) if m.group(6) else None
        for day in (m.group(1), m.group(2)):
            if day:
                found.append((int(day), month, year))
    dates = []
    for day, month, year in found:
        if year is None:
            year = plan_start.year + (month < plan_start.month)
        try:
            dates.append(date(year, month, day))
        except ValueError:
            continue  # «31 февраля»: not a day
    return dates


def _whole_period(text: str) -> bool:
    return any(word in text for word in _WHOLE_PERIOD_WORDS)


@lru_cache(maxsize=8192)
def normalize_timing(text: str, plan_start: date, plan_end: date) -> tuple[date | None, date | None]:
    """The period a plan item's fuzzy timing covers, within the plan's period; (None, None) when it
    cannot be said (the text is then kept as written). Never raises.

    «Январь 2025», «Март 2026 г.» → that month; «Апрель–май, ежегодно», «Декабрь, апрель» → those
    months of the plan's first academic year (read from the plan's start); «2025–2027», «2025 –
    2027 гг.» → those years; «I полугодие» → September–December (January–June in a plan that
    starts in January), «II полугодие 2025» → July–December 2025; «III квартал», «II четверть»;
    «до 25 мая» → from the plan's start to that day; «В течение учебного года», «Постоянно по
    запросам», «4 раза в год», «Ежегодно» → the whole plan period. A period wholly outside the
    plan's is kept as the text says (the person sees the mismatch), else it is cut to the plan's.
    """
    lowered = re.sub(r"\s+", " ", (text or "").casefold().replace("ё", "е")).strip()
    if not lowered or plan_start is None or plan_end is None:
        return None, None
    period, single = None, False
    days = _day_dates(lowered, plan_start)
    if days:
        period, single = (min(days), max(days)), len(days) == 1
    elif found := _month_periods(lowered, plan_start):
        period, single = found[:2], found[2]
    if period is None:
        years = [int(y) for y in _YEAR_RE.findall(lowered)]
        if years and "учебн" in lowered:
            # «2025/2026 учебный год»: September to August
            first, last = min(years), max(years)
            period = date(first, 9, 1), date(last if last > first else first + 1, 8, 31)
        elif years:
            period = date(min(years), 1, 1), date(max(years), 12, 31)
    if period is None:
        return (plan_start, plan_end) if _whole_period(lowered) else (None, None)
    start, end = period
    if single and _DEADLINE_RE.match(lowered) and plan_start <= end:
        start = plan_start  # «до 25 мая»: from the plan's start until then
    elif single and _FROM_RE.match(lowered) and start <= plan_end:
        end = max(end, plan_end)  # «с 1 марта»: from then on
    if end < plan_start or start > plan_end:
        return start, end  # outside the plan's period: keep what the text says
    return max(start, plan_start), min(end, plan_end)


def _diff(obj, fields: dict) -> dict:
    changes = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [_show(old), _show(value)]
            setattr(obj, name, value)
    return changes


def _show(value) -> str:
    if value is None:
        return ""
    return getattr(value, "label", None) or str(value)


def save_plan(plan: Plan | None, data: dict, actor) -> Plan:
    """Create or update a plan; every change lands in its history."""
    if data["period_end"] < data["period_start"]:
        raise PlanError("period_end", "Конец периода раньше начала.")
    fields = {
        "title": data["title"].strip(),
        "kind": PlanKind(data["kind"]),
        "municipality_id": data["municipality_id"],
        "period_start": data["period_start"],
        "period_end": data["period_end"],
        "status": PlanStatus(data["status"]),
        "description": (data.get("description") or "").strip(),
    }
    if plan is None:
        plan = Plan(**fields)
        db.session.add(plan)
        db.session.flush()
        record("plan", plan.id, "created", actor)
        return plan
    changes = _diff(plan, fields)
    if changes:
        db.session.flush()
        record("plan", plan.id, "updated", actor, changes)
    return plan


#: how long each text of an item may be (the item form's limits, the columns' sizes)
ITEM_TEXT_LIMITS = {"number": 20, "title": 2000, "timing_text": 300, "responsible": 500, "expected_result": 5000}
#: the taxonomy behind each reference of an item, for showing its changes by name
_ITEM_REFERENCES = {"direction_id": Direction, "form_id": EventForm, "site_id": Site}


def item_values(plan: Plan, data: dict, item: PlanItem | None = None) -> dict:
    """The stored values of the item fields `data` holds (only those: an import that has no form
    column leaves the forms alone): texts stripped, the number's sort position, the period.

    The period is the one given; when both its ends are empty or absent, the one the timing text
    covers — recomputed only when the timing text is new or changed, so that re-saving the same
    text keeps a period someone set by hand."""
    values: dict = {}
    if "number" in data:
        values["number"] = (data["number"] or "").strip()
        values["position"] = number_position(values["number"])
    for name in ("title", "timing_text", "expected_result", "responsible"):
        if name in data:
            # a browser's textarea sends «\r\n», a spreadsheet cell «\n»: stored alike
            values[name] = (data[name] or "").replace("\r\n", "\n").strip()
    for name in ("direction_id", "form_id", "site_id"):
        if name in data:
            values[name] = data[name]
    if "status" in data:
        values["status"] = ItemStatus(data["status"] or ItemStatus.PLANNED)
    period = data.get("period_start"), data.get("period_end")
    if period != (None, None):
        values["period_start"], values["period_end"] = period
    elif "period_start" in data or ("timing_text" in values
                                    and (item is None or item.timing_text != values["timing_text"])):
        timing = values.get("timing_text", item.timing_text if item else "")
        values["period_start"], values["period_end"] = normalize_timing(timing, plan.period_start, plan.period_end)
    return values


def _show_item_value(name: str, value) -> str:
    model = _ITEM_REFERENCES.get(name)
    if model is not None and value is not None:
        # the terms an import loaded are in the session's identity map: no query
        term = db.session.get(model, value)
        return term.name if term else str(value)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return _show(value)


def _audience_names(audiences) -> str:
    return ", ".join(a.name for a in sorted(audiences, key=lambda a: (a.position, a.name)))


def item_changes(item: PlanItem, values: dict, audiences: list[Audience] | None = None) -> dict:
    """What storing `values` (and `audiences`, unless None) would change: field → [old, new] as
    display strings. Modifies nothing (the import preview shows it; update_item applies it).
    The item's audiences must be loaded for a list of items (selectinload), or each costs a query."""
    changes = {name: [_show_item_value(name, getattr(item, name)), _show_item_value(name, value)]
               for name, value in values.items() if getattr(item, name) != value}
    if audiences is not None and {a.id for a in item.audiences} != {a.id for a in audiences}:
        changes["audiences"] = [_audience_names(item.audiences), _audience_names(audiences)]
    return changes


def update_item(item: PlanItem, values: dict, audiences: list[Audience] | None, actor) -> dict:
    """Store `values` (from item_values) and `audiences` (None: leave them) in an item and record
    the change in its history; returns the changes (empty: nothing changed, nothing recorded).
    Does not flush: an import updates many items and flushes once."""
    changes = item_changes(item, values, audiences)
    for name in changes:
        if name == "audiences":
            item.audiences = list(audiences)
        else:
            setattr(item, name, values[name])
    if changes:
        record("plan_item", item.id, "updated", actor, changes)
    return changes


def create_items(plan: Plan, rows: list[tuple[dict, list[Audience]]], actor) -> list[PlanItem]:
    """New items of a plan from (values from item_values, audiences) pairs, each with its
    «created» history entry; one flush for them all (an import brings a thousand)."""
    items = []
    for values, audiences in rows:
        item = PlanItem(plan_id=plan.id, **values)
        item.audiences = list(audiences)
        db.session.add(item)
        items.append(item)
    db.session.flush()
    for item in items:
        record("plan_item", item.id, "created", actor)
    return items


#: the fields of the item form, all of which save_item stores
_FORM_FIELDS = ("number", "title", "direction_id", "form_id", "site_id", "timing_text", "period_start",
                "period_end", "expected_result", "responsible", "status")


def save_item(plan: Plan, item: PlanItem | None, data: dict, actor) -> PlanItem:
    """Create or update a plan item from the item form. A number is unique within its plan."""
    data = {name: data.get(name) for name in _FORM_FIELDS} | {"audience_ids": data.get("audience_ids")}
    values = item_values(plan, data, item)
    number = values["number"]
    clash = db.session.scalar(
        sa.select(PlanItem.id).where(PlanItem.plan_id == plan.id, PlanItem.number == number)
    )
    if clash and (item is None or clash != item.id):
        raise PlanError("number", f"Пункт № {number} уже есть в этом плане.")
    audiences = list(db.session.scalars(
        sa.select(Audience).where(Audience.id.in_(data.get("audience_ids") or [])).order_by(Audience.position)
    ))
    if item is None:
        return create_items(plan, [(values, audiences)], actor)[0]
    if update_item(item, values, audiences, actor):
        db.session.flush()
    return item
