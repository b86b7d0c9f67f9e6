"""Rules for plans and their items. Functions flush, never commit."""

from __future__ import annotations

import calendar
import re
from datetime import date

import sqlalchemy as sa

from webapp.audit.models import record
from webapp.extensions import db
from webapp.plan.models import ItemStatus, Plan, PlanItem, PlanKind, PlanStatus
from webapp.taxonomy.models import Audience


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


MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
_MONTH_RE = re.compile(r"\b(январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)\w*",
                       re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(20\d\d)\b")


def _month_number(stem: str) -> int:
    stem = stem.lower()
    return MONTHS["ма"] if stem.startswith("ма") and not stem.startswith("март") else MONTHS[stem]


def normalize_timing(text: str, plan_start: date, plan_end: date) -> tuple[date | None, date | None]:
    """The period a fuzzy timing covers, within the plan's period; (None, None) when unsure.

    «Апрель–май, ежегодно» → April to May of the plan's first academic year;
    «Январь 2025» → January 2025; «2025–2027» → those years; «В течение учебного года»,
    «Постоянно по запросам», «Ежегодно» → the whole plan period.
    """
    text = (text or "").strip()
    if not text:
        return None, None
    months = [_month_number(m.group(1)) for m in _MONTH_RE.finditer(text)]
    years = [int(y) for y in _YEAR_RE.findall(text)]
    if months:
        # Months are read in academic order (September first) from the plan's first academic year.
        first_year = years[0] if years else None

        def when(month: int) -> date:
            if first_year is not None:
                return date(first_year, month, 1)
            year = plan_start.year if month >= plan_start.month else plan_start.year + 1
            return date(year, month, 1)

        dates = sorted(when(m) for m in months)
        start, last = dates[0], dates[-1]
        end = date(last.year, last.month, calendar.monthrange(last.year, last.month)[1])
        if end < plan_start or start > plan_end:
            return start, end  # outside the plan's period: keep what the text says
        return max(start, plan_start), min(end, plan_end)
    if years:
        start = max(date(min(years), 1, 1), plan_start)
        end = min(date(max(years), 12, 31), plan_end)
        return (start, end) if start <= end else (None, None)
    lowered = text.lower()
    if any(word in lowered for word in ("в течение", "постоянно", "ежегодно", "по запрос", "раза в год", "раз в")):
        return plan_start, plan_end
    return None, None


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


def save_item(plan: Plan, item: PlanItem | None, data: dict, actor) -> PlanItem:
    """Create or update a plan item. A number is unique within its plan."""
    number = data["number"].strip()
    clash = db.session.scalar(
        sa.select(PlanItem.id).where(PlanItem.plan_id == plan.id, PlanItem.number == number)
    )
    if clash and (item is None or clash != item.id):
        raise PlanError("number", f"Пункт № {number} уже есть в этом плане.")
    period_start, period_end = data.get("period_start"), data.get("period_end")
    if period_start is None and period_end is None:
        period_start, period_end = normalize_timing(data.get("timing_text") or "", plan.period_start,
                                                    plan.period_end)
    fields = {
        "number": number,
        "position": number_position(number),
        "title": data["title"].strip(),
        "direction_id": data.get("direction_id"),
        "form_id": data.get("form_id"),
        "site_id": data.get("site_id"),
        "timing_text": (data.get("timing_text") or "").strip(),
        "period_start": period_start,
        "period_end": period_end,
        "expected_result": (data.get("expected_result") or "").strip(),
        "responsible": (data.get("responsible") or "").strip(),
        "status": ItemStatus(data.get("status") or ItemStatus.PLANNED),
    }
    audiences = list(db.session.scalars(
        sa.select(Audience).where(Audience.id.in_(data.get("audience_ids") or [])).order_by(Audience.position)
    ))
    if item is None:
        item = PlanItem(plan=plan, **fields)
        item.audiences = audiences
        db.session.add(item)
        db.session.flush()
        record("plan_item", item.id, "created", actor)
        return item
    changes = _diff(item, fields)
    old_audiences = {a.id for a in item.audiences}
    if old_audiences != {a.id for a in audiences}:
        changes["audiences"] = [", ".join(a.name for a in item.audiences), ", ".join(a.name for a in audiences)]
        item.audiences = audiences
    if changes:
        db.session.flush()
        record("plan_item", item.id, "updated", actor, changes)
    return item
