"""iCalendar (RFC 5545, RFC 7986) for sessions: pure builders, no request or database access.

A session's UID never changes (it is derived from its id only); DTSTAMP and LAST-MODIFIED are the
last change of what the event shows (the session, its site and school, the names of its form,
direction and audiences, and in a personal feed the person's registration), never the time of the
request; SEQUENCE is the session's revision, incremented when time, place or status changes, so
that calendars replace the copy they hold.

Serializing an event with icalendar costs far more than reading it (about 0.7 ms each), and a
feed of a municipality's year is thousands of them, polled every hour by every subscriber. So each
event's bytes are kept per process (`EventCache`), keyed by everything they are made of; a feed
is assembled from them with the calendar's own serialized head and the zones' VTIMEZONEs. The
result is byte for byte what icalendar would give for the whole calendar.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from icalendar import Alarm, Calendar, Event, Timezone
from icalendar.prop import vDuration

from webapp.timefmt import format_dt, local

PRODID = "-//network-plan//Network event plan//RU"
UID_DOMAIN = "network-plan.local"
DEFAULT_TIMEZONE = "Europe/Moscow"
#: calendars are asked to come back this often (REFRESH-INTERVAL, X-PUBLISHED-TTL)
REFRESH = timedelta(hours=1)
CANCELLED_PREFIX = "ОТМЕНЕНО: "
#: the span VTIMEZONEs describe: feeds hold sessions from 90 days ago on; Russia's zones last
#: changed in 2014 (the default, from 1970, spells out decades of old daylight saving rules)
ZONE_FIRST_DATE = date(2014, 1, 1)
ZONE_LAST_DATE = date(2100, 1, 1)


def session_uid(session) -> str:
    return f"session-{session.id}@{UID_DOMAIN}"


def event_modified(session, *extra: datetime | None) -> datetime:
    """When what the event shows last changed: the session and the names and address it shows."""
    times = [session.changed_dt, *extra]
    if session.site is not None:
        times += [session.site.updated_dt, session.site.organization.updated_dt]
    times += [term.updated_dt for term in (session.form, session.direction) if term is not None]
    times += [a.updated_dt for a in session.audiences]
    return max(t for t in times if t is not None)


def _registration_line(session) -> str:
    if session.is_cancelled:
        return ""
    parts = []
    if session.invitation_only:
        parts.append("по приглашению: участников выдвигает координатор школы")
    if session.registration_opens_dt:
        parts.append(f"открывается {format_dt(session.registration_opens_dt, session.timezone)}")
    if session.registration_closes_dt:
        parts.append(f"до {format_dt(session.registration_closes_dt, session.timezone)}")
    if session.approval.value != "none":
        parts.append("заявки подтверждаются")
    return "Регистрация на странице мероприятия" + (f" ({'; '.join(parts)})" if parts else "")


def description(session, url: str, status_line: str = "") -> str:
    """Plain text: what, for whom, where, how to take part; no one's name or e-mail."""
    lines = []
    if status_line:
        lines += [status_line, ""]
    if session.is_cancelled:
        lines.append("Мероприятие отменено" + (f": {session.cancel_reason}" if session.cancel_reason else "."))
        lines.append("")
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
    if session.description:
        lines += ["", session.description]
    registration = _registration_line(session)
    lines += [""] + ([registration] if registration else []) + [f"Страница мероприятия: {url}"]
    return "\n".join(lines)


@dataclass(frozen=True)
class EventOptions:
    """What a feed adds to a session's event; part of the cache key."""

    #: before the title, e.g. «[Лист ожидания] »
    prefix: str = ""
    #: overrides CONFIRMED for a scheduled session: TENTATIVE, or CANCELLED for a dropped registration
    status: str | None = None
    #: first line of the description, e.g. «Ваш статус: лист ожидания»
    status_line: str = ""
    #: a VALARM this many minutes before the start
    alarm_minutes: int | None = None


def session_event(session, url: str, modified: datetime | None = None,
                  options: EventOptions = EventOptions()) -> Event:
    modified = modified or event_modified(session)
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    event.add("created", session.created_dt)
    event.add("sequence", session.revision)
    event.add("dtstart", local(session.start_dt, session.timezone))
    event.add("dtend", local(session.end_dt, session.timezone))
    prefix = (CANCELLED_PREFIX if session.is_cancelled else "") + options.prefix
    event.add("summary", f"{prefix}{session.title}")
    if session.place:
        event.add("location", session.place)
    event.add("url", url)
    event.add("description", description(session, url, options.status_line))
    categories = [c.name for c in (session.form, session.direction) if c is not None]
    if categories:
        event.add("categories", categories)
    status = "CANCELLED" if session.is_cancelled else (options.status or "CONFIRMED")
    event.add("status", status)
    event.add("transp", "TRANSPARENT" if status == "CANCELLED" else "OPAQUE")
    if options.alarm_minutes and status != "CANCELLED":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", session.title)
        alarm.add("trigger", -timedelta(minutes=options.alarm_minutes))
        event.add_component(alarm)
    return event


class EventCache:
    """Serialized events of this process, least recently used dropped first."""

    def __init__(self, max_entries: int = 20_000):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._entries.get(key)
            if body is not None:
                self._entries.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        with self._lock:
            self._entries[key] = body
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


@dataclass
class FeedEntry:
    """One event of a feed: the session, its page and what the feed adds."""

    session: object
    url: str
    options: EventOptions = EventOptions()
    #: changes of the feed's own that the event shows (a registration's status)
    extra_modified: datetime | None = None


def serialize_event(entry: FeedEntry, cache: EventCache | None) -> tuple[bytes, datetime]:
    session = entry.session
    modified = event_modified(session, entry.extra_modified)
    key = (session.id, modified, session.revision, session.status.value, session.cancelled_dt,
           entry.url, entry.options)
    body = cache.get(key) if cache is not None else None
    if body is None:
        body = session_event(session, entry.url, modified, entry.options).to_ical()
        if cache is not None:
            cache.put(key, body)
    return body, modified


def build_calendar_from(entries: Iterable[FeedEntry], name: str, description_text: str = "",
                        timezone: str = DEFAULT_TIMEZONE, cache: EventCache | None = None) -> bytes:
    """A VCALENDAR: the calendar's properties, a VTIMEZONE for every zone used, one VEVENT each."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    if description_text:
        cal.add("description", description_text)
        cal.add("x-wr-caldesc", description_text)
    cal.add("x-wr-timezone", timezone)
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    events, zones = [], set()
    for entry in entries:
        body, _ = serialize_event(entry, cache)
        events.append(body)
        zones.add(entry.session.timezone)
    head = cal.to_ical()
    assert head.endswith(b"END:VCALENDAR\r\n")
    parts = [head[: -len(b"END:VCALENDAR\r\n")]]
    parts += [_vtimezone_bytes(tzid) for tzid in sorted(zones)]
    parts += events
    parts.append(b"END:VCALENDAR\r\n")
    return b"".join(parts)


def build_calendar(sessions: Iterable, url_of: Callable[[object], str], name: str,
                   description: str = "") -> bytes:
    """A calendar of sessions as they are (the .ics attached to e-mails and a session's download)."""
    return build_calendar_from((FeedEntry(s, url_of(s)) for s in sessions), name, description)


@lru_cache(maxsize=64)
def _vtimezone_bytes(tzid: str) -> bytes:
    """The VTIMEZONE of a zone, built once per process: icalendar derives it from the zone's whole
    history (tens of milliseconds each time), and it never changes while the process runs. A zone
    icalendar does not know gives nothing: calendars then rely on the TZID alone."""
    try:
        return Timezone.from_tzid(tzid, first_date=ZONE_FIRST_DATE, last_date=ZONE_LAST_DATE).to_ical()
    except ValueError:
        return b""
