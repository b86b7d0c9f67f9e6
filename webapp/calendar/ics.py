"""iCalendar (RFC 5545) for sessions: pure builders, no request or database access.

A session's UID never changes (it is derived from its id only); DTSTAMP and LAST-MODIFIED are the
session's last change, not the time of the request; SEQUENCE is its revision, incremented when
time, place or status changes, so that calendars replace the copy they hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache

from icalendar import Calendar, Event, Timezone

from webapp.timefmt import local

PRODID = "-//Network event plan//RU"
UID_DOMAIN = "network-plan.local"


def session_uid(session) -> str:
    return f"session-{session.id}@{UID_DOMAIN}"


def _description(session, url: str) -> str:
    lines = []
    if session.form:
        lines.append(f"Форма: {session.form.name}")
    if session.direction:
        lines.append(f"Направление: {session.direction.name}")
    if session.audiences:
        lines.append("Аудитория: " + ", ".join(a.name for a in session.audiences))
    if session.site:
        lines.append(f"Площадка: {session.site.name} ({session.site.organization.name})")
    lines.append(f"Формат: {session.delivery.label}")
    if session.online_url:
        lines.append(f"Подключение: {session.online_url}")
    if session.is_cancelled and session.cancel_reason:
        lines.append(f"Причина отмены: {session.cancel_reason}")
    if session.description:
        lines += ["", session.description]
    lines += ["", f"Страница мероприятия и регистрация: {url}"]
    return "\n".join(lines)


def session_event(session, url: str, summary_prefix: str = "") -> Event:
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", session.updated_dt)
    event.add("last-modified", session.updated_dt)
    event.add("created", session.created_dt)
    event.add("sequence", session.revision)
    event.add("dtstart", local(session.start_dt, session.timezone))
    event.add("dtend", local(session.end_dt, session.timezone))
    prefix = "ОТМЕНЕНО: " if session.is_cancelled else ""
    event.add("summary", f"{prefix}{summary_prefix}{session.title}")
    location = session.place
    if location:
        event.add("location", location)
    event.add("url", url)
    event.add("description", _description(session, url))
    categories = [c.name for c in (session.form, session.direction) if c is not None]
    if categories:
        event.add("categories", categories)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def build_calendar(sessions: Iterable, url_of: Callable[[object], str], name: str,
                   description: str = "") -> bytes:
    """A VCALENDAR with one VEVENT per session and a VTIMEZONE for every zone used."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if description:
        cal.add("x-wr-caldesc", description)
    cal.add("x-wr-timezone", "Europe/Moscow")
    for session in sessions:
        cal.add_component(session_event(session, url_of(session)))
    for position, tzid in enumerate(sorted(cal.get_missing_tzids())):
        component = _vtimezone(tzid)
        if component is not None:
            cal.subcomponents.insert(position, component)
    return cal.to_ical()


@lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> Timezone | None:
    """The VTIMEZONE of a zone, built once per process: icalendar derives it from the zone's whole
    history (tens of milliseconds each time), and it never changes while the process runs.
    Only serialized, never modified, so calendars can share it."""
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:  # a zone icalendar does not know: calendars carry the TZID alone
        return None
