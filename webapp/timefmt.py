"""Russian dates and times, in the zone of the place where a thing happens."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_date

MOSCOW = ZoneInfo("Europe/Moscow")
LOCALE = "ru_RU"


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Europe/Moscow")
    except (ZoneInfoNotFoundError, ValueError):
        return MOSCOW


def is_valid_timezone(name: str) -> bool:
    return name in _zone_names()


_ZONES: frozenset[str] | None = None


def _zone_names() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def russian_zones() -> list[tuple[str, str]]:
    """Russia's zones for pickers, labelled by their offset from Moscow."""
    names = ["Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
             "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok",
             "Asia/Magadan", "Asia/Kamchatka"]
    return [(n, f"{n} ({zone_label(n)})") for n in names]


def zone_label(name: str, when: datetime | None = None) -> str:
    """«Мск», «Мск+2»: how Russians name a zone, by its offset from Moscow."""
    when = when or datetime.now(timezone.utc)
    offset = when.astimezone(zone(name)).utcoffset() - when.astimezone(MOSCOW).utcoffset()
    hours = offset / timedelta(hours=1)
    if hours == 0:
        return "Мск"
    text = f"{hours:+g}".replace(".", ",")
    return f"Мск{text}"


def local(dt: datetime, tz: str | None) -> datetime:
    return dt.astimezone(zone(tz))


def to_utc(naive_local: datetime, tz: str | None) -> datetime:
    """A wall-clock time entered in a zone, as UTC."""
    return naive_local.replace(tzinfo=zone(tz)).astimezone(timezone.utc)


# Genitive month names as Babel's ru locale gives them (checked in tests/test_time.py); a table
# because the plan page formats dozens of dates per request and Babel's formatter is the slow part.
_GENITIVE = [""] + [format_date(date(2000, m, 1), "MMMM", locale=LOCALE) for m in range(1, 13)]


def _day_text(d: date | datetime) -> str:
    return f"{d.day} {_GENITIVE[d.month]} {d.year}"


def format_day(d: date | datetime, tz: str | None = None) -> str:
    """«12 марта 2027»."""
    if isinstance(d, datetime):
        d = local(d, tz)
    return _day_text(d)


def format_dt(dt: datetime | None, tz: str | None = None, with_zone: bool = True) -> str:
    """«12 марта 2027, 10:00, Мск»."""
    if dt is None:
        return ""
    moment = local(dt, tz)
    text = f"{_day_text(moment)}, {moment:%H:%M}"
    return f"{text}, {zone_label(tz or 'Europe/Moscow', dt)}" if with_zone else text


def format_moment(dt: datetime, tz: str | None = None, today: date | None = None) -> str:
    """«1 марта в 09:00» (the year only when it is not this year; the zone only when not Moscow)."""
    moment = local(dt, tz)
    today = today or local(datetime.now(timezone.utc), tz).date()
    day = f"{moment.day} {_GENITIVE[moment.month]}" + (f" {moment.year}" if moment.year != today.year else "")
    text = f"{day} в {moment:%H:%M}"
    name = tz or "Europe/Moscow"
    return text if name == "Europe/Moscow" else f"{text} ({zone_label(name, dt)})"


def format_range(start: datetime, end: datetime, tz: str | None) -> str:
    """«12 марта 2027, 10:00–13:00, Мск», or both days when it spans several."""
    a, b = local(start, tz), local(end, tz)
    zone_text = zone_label(tz or "Europe/Moscow", start)
    if a.date() == b.date():
        return f"{_day_text(a)}, {a:%H:%M}–{b:%H:%M}, {zone_text}"
    return f"{_day_text(a)}, {a:%H:%M} – {_day_text(b)}, {b:%H:%M}, {zone_text}"


def month_name(year: int, month: int) -> str:
    """«Март 2027» (nominative, capitalised)."""
    return format_date(date(year, month, 1), "LLLL y", locale=LOCALE).capitalize()


def weekday_short(d: date) -> str:
    return format_date(d, "EEEEEE", locale=LOCALE)


def academic_year_of(d: date) -> int:
    """The year an academic year (September–August) starts in."""
    return d.year if d.month >= 9 else d.year - 1


def academic_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def academic_year_label(start_year: int) -> str:
    return f"{start_year}/{start_year + 1} учебный год"


def register_filters(app) -> None:
    app.jinja_env.filters.update(
        ru_day=format_day,
        ru_dt=format_dt,
        ru_moment=format_moment,
        ru_range=format_range,
        zone_label=zone_label,
    )
    app.jinja_env.globals.update(month_name=month_name, academic_year_label=academic_year_label, tz=zone)
