"""Calendar feeds: which sessions each feed holds, its version, and the feed itself.

Three kinds of feed:

- **public** — any selection of the plan page's filters (municipality, direction, form, audience,
  site, format, words); sessions of published plans and those outside any plan;
- **personal** («Мои мероприятия») — the sessions a person registered for, her status in the title
  when not confirmed; a registration she cancelled or that was rejected stays 60 days as CANCELLED,
  so that calendars drop it rather than keep a stale copy;
- **leader** — every session of the sites she leads, drafts included (marked as such).

All hold sessions from 90 days ago onward (Moscow days); a cancelled session stays 60 days after its
cancellation with STATUS:CANCELLED, then leaves.

A feed's **version** (ETag and Last-Modified) comes from one aggregate query, without building
anything: how many events, the sum of their ids, the sum of their change times (a sum moves whatever
the order in which concurrent edits committed; a maximum would not) and the latest change, plus the
latest change of the tables whose names and addresses the events show (sites, schools, plans,
municipalities, forms, directions, audiences) and, for personal feeds, of her registrations and
reminder setting. A request that names the current version is answered 304 after that one query.

Each process also remembers the versions it computed, under a marker of indexed maxima (the
latest change of sessions, of those tables, of anyone's registration and of any feed row) that
it reads at most once a second: while nothing changed, a calendar's poll is answered 304 with no
query at all, a personal feed's without even reading its row (see `known_personal_version`).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta, timezone
from functools import cache, lru_cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from webapp import hotread
from webapp.accounts.models import Role, RoleGrant, User
from webapp.calendar import ics
from webapp.calendar.models import CalendarFeed, FeedKind
from webapp.dbtypes import epoch_ms
from webapp.extensions import db
from webapp.orgs.models import Municipality, Organization
from webapp.plan.models import Plan, PlanItem, PlanStatus
from webapp.plan.queries import MAX_QUERY_LENGTH, selection_conditions
from webapp.registration.models import ACTIVE_STATUSES, Registration, RegStatus
from webapp.sessions.models import Delivery, EventSession, SessionStatus, session_audiences
from webapp.sites.models import Site
from webapp.taxonomy.models import Audience, Direction, EventForm
from webapp.timefmt import MOSCOW
from webapp.ui import parse_id

#: sessions that ended up to this many days ago stay in feeds
PAST_DAYS = 90
#: a cancelled session (or a dropped registration) stays this many days as CANCELLED
CANCELLED_DAYS = 60
#: bump when what an event says changes shape, so that every ETag changes with it
FORMAT_VERSION = 1


# -- selections ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PublicSelection:
    """The plan filters a public feed is made of, parsed leniently like the plan page's."""

    municipality: int | None = None
    direction: int | None = None
    form: int | None = None
    audience: int | None = None
    site: int | None = None
    delivery: Delivery | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args) -> PublicSelection:
        return cls(
            municipality=parse_id(args.get("municipality")),
            direction=parse_id(args.get("direction")),
            form=parse_id(args.get("form")),
            audience=parse_id(args.get("audience")),
            site=parse_id(args.get("site")),
            delivery=Delivery.parse(args.get("delivery")),
            q=" ".join((args.get("q") or "").split())[:MAX_QUERY_LENGTH],
        )

    def args(self) -> dict[str, str]:
        """The selection as query arguments, in a fixed order (the feed URL offered to subscribe)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value:
                out[f.name] = value.value if isinstance(value, Delivery) else str(value)
        return out

    @property
    def key(self) -> tuple:
        return tuple(getattr(self, f.name) for f in fields(self))


def _moscow_midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=MOSCOW).astimezone(timezone.utc)


@dataclass(frozen=True)
class Window:
    """Which sessions are recent enough: ended on or after `start`, or cancelled after `cutoff`.
    Moves once a day (Moscow midnight), so a feed's content does not change within a day."""

    start: datetime
    cancelled_cutoff: datetime

    @classmethod
    def at(cls, now: datetime | None = None) -> Window:
        today = (now or datetime.now(timezone.utc)).astimezone(MOSCOW).date()
        return cls(_moscow_midnight(today - timedelta(days=PAST_DAYS)),
                   _moscow_midnight(today - timedelta(days=CANCELLED_DAYS)))

    @property
    def shifted_at(self) -> datetime:
        """When the window last moved (today's Moscow midnight)."""
        return self.start + timedelta(days=PAST_DAYS)

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        return [EventSession.end_dt >= self.start,
                sa.or_(EventSession.status == SessionStatus.SCHEDULED,
                       EventSession.cancelled_dt >= self.cancelled_cutoff)]


def _public_from() -> sa.Select:
    """Sessions a visitor may see: those of published plans and those outside any plan."""
    return (sa.select().select_from(EventSession)
            .outerjoin(PlanItem, EventSession.plan_item_id == PlanItem.id)
            .outerjoin(Plan, PlanItem.plan_id == Plan.id)
            .where(sa.or_(EventSession.plan_item_id.is_(None), Plan.status == PlanStatus.PUBLISHED)))


def _public_where(selection: PublicSelection, window: Window) -> list:
    return [*window.conditions(), *selection_conditions(selection)]


def _led_sites(user_id: int) -> sa.Select:
    return sa.select(RoleGrant.site_id).where(RoleGrant.user_id == user_id, RoleGrant.role == Role.SITE_LEADER,
                                              RoleGrant.site_id.is_not(None))


def _personal_where(user_id: int, window: Window) -> list:
    return [Registration.user_id == user_id, *window.conditions(),
            sa.or_(Registration.status.in_(ACTIVE_STATUSES), Registration.updated_dt >= window.cancelled_cutoff)]


# -- versions --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Version:
    etag: str
    last_modified: datetime
    count: int


def _related_maxima() -> list:
    """The latest change of every table whose names or addresses events show."""
    return [sa.select(sa.func.max(column)).scalar_subquery() for column in (
        Site.updated_dt, Organization.updated_dt, Plan.updated_dt, Municipality.updated_dt,
        Direction.updated_dt, EventForm.updated_dt, Audience.updated_dt)]


def _session_aggregates() -> list:
    return [sa.func.count(), sa.func.coalesce(sa.func.sum(EventSession.id), 0),
            sa.func.coalesce(sa.func.sum(epoch_ms(EventSession.changed_dt)), 0),
            sa.func.max(EventSession.changed_dt)]


def version_of(parts: tuple, *more, not_before: tuple = ()) -> Version:
    """parts: count, id sum, change-time sum, latest change, then anything else that counts.

    The ETag is the selection's own. Last-Modified is the latest of its changes and of
    `not_before`: times when a session may have *left* the selection, which its own maxima cannot
    show (an edit that moved a session out of a filter, the window's daily shift), so a client
    that only sends If-Modified-Since never gets a wrong 304; at worst it fetches again."""
    times = [p for p in parts + more + not_before if isinstance(p, datetime)]
    latest = max(times) if times else datetime(2000, 1, 1, tzinfo=timezone.utc)
    digest = hashlib.sha256(repr((FORMAT_VERSION, parts, more)).encode()).hexdigest()[:40]
    return Version(etag=digest, last_modified=latest.replace(microsecond=0), count=parts[0])


def _marker_columns() -> list:
    """The latest change anywhere that a public feed shows: a handful of indexed maxima (sessions,
    then the tables of names and addresses). While it stays the same, a feed's version computed
    earlier still holds (see `_Memo`). Registrations are not in it: no public feed shows them."""
    return [sa.select(sa.func.max(EventSession.changed_dt)).scalar_subquery(), *_related_maxima()]


def _secret_marker_columns() -> list:
    """What else a personal feed's version depends on: anyone's registrations (hers among them)
    and the feeds themselves (a reset, a reminder, an account switched off touch the feed's row).

    Like every marker, it sees changes, not deletions: the app never deletes sessions,
    registrations, accounts or feeds (it cancels, switches off, resets); a deletion by hand is
    seen by polls only after the next change anywhere (a plain request sees it at once)."""
    return [sa.select(sa.func.max(Registration.updated_dt)).scalar_subquery(),
            sa.select(sa.func.max(CalendarFeed.updated_dt)).scalar_subquery()]


@cache
def _public_marker_length() -> int:
    return len(_marker_columns())


@cache
def _marker_statement():
    return sa.select(*_marker_columns(), *_secret_marker_columns())


def markers() -> tuple:
    """The marker of every feed (the public part first, then `_secret_marker_columns`), read at
    most once per CALENDAR_MARKER_SECONDS per process: every poll shares it, so with many
    subscribers a 304 costs no query at all. A change then shows in the feeds at most that long
    (a second by default) after its commit."""
    ttl = current_app.config.get("CALENDAR_MARKER_SECONDS", 1)
    held = current_app.extensions.get("calendar_marker")
    now = time.monotonic()
    if ttl > 0 and held is not None and held[0] > now:
        return held[1]
    (row,) = _execute_raw(_marker_statement(), {})
    marker = tuple(_utc(value) for value in row)
    current_app.extensions["calendar_marker"] = (now + ttl, marker)
    return marker


def _public_marker(marker: tuple | None = None) -> tuple:
    return (marker or markers())[:_public_marker_length()]


#: a version is remembered only once the newest change it saw is this old: a transaction that
#: stamped an earlier time and had not committed yet would not move the maxima when it commits
#: (the app's hosts must keep their clocks within this of each other, as NTP does by far)
SETTLE = timedelta(seconds=30)


class _Memo:
    """Versions of feeds computed by this process, each with the marker seen when it was computed.

    A calendar's poll then costs at most the marker's read (shared by the polls of a second)
    instead of an aggregate over the feed's sessions. A version is kept only
    when every change the marker reflects is older than SETTLE (see there); until then each
    request computes it afresh."""

    def __init__(self, max_entries: int = 16384):  # two per personal feed polled (its version, and as known)
        self.max_entries = max_entries
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def has(self, key) -> bool:
        return key in self._entries

    def get(self, key, marker: tuple) -> Version | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is None or hit[0] != marker:
                return None
            self._entries.move_to_end(key)
            return hit[1]

    def put(self, key, marker: tuple, version: Version, now: datetime) -> None:
        times = [t for t in marker if isinstance(t, datetime)]
        if times and max(times) > now - SETTLE:
            return
        with self._lock:
            self._entries[key] = (marker, version)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class _Memos:
    """Public feeds' versions apart from personal ones: anyone can ask for public selections
    without end (any words in `q`), and must not push subscribers' feeds out."""

    def __init__(self):
        self.public, self.personal = _Memo(), _Memo()

    def clear(self) -> None:
        self.public.clear()
        self.personal.clear()


def _memo(personal: bool = False) -> _Memo:
    """This app's memo (one per app: tests run several apps in one process)."""
    memos = current_app.extensions.setdefault("calendar_version_memo", _Memos())
    return memos.personal if personal else memos.public


def _connect():
    """A pooled connection of its own for a feed's version reads: one plain read, where the ORM
    session would cost more than the query. On PostgreSQL in autocommit (no BEGIN and ROLLBACK
    round trips); SQLite has no round trips and switching modes would cost more than it saves."""
    if db.engine.dialect.name == "postgresql":
        return db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    return db.engine.connect()


def _execute(stmt, params: dict | None = None) -> list[tuple]:
    with _connect() as conn:
        return [tuple(row) for row in conn.execute(stmt, params or {})]


def _execute_raw(stmt, params: dict) -> list[tuple]:
    """The hot reads of a 304 (the change marker, a secret feed's row): one round trip on a
    connection the thread keeps (see `webapp.hotread`). Only for statements built once whose
    parameters are plain strings; values come back as the driver gives them (see `_utc`)."""
    return hotread.read(db.engine, stmt, params)


_utc = hotread.as_utc


@lru_cache(maxsize=256)
def _public_version_statement(selection: PublicSelection):
    # built once per selection; the window's times are bound per request
    return (_public_from().add_columns(*_session_aggregates(), *_marker_columns())
            .where(*_public_where(selection, Window(sa.bindparam("start"), sa.bindparam("cutoff")))))


def public_version(selection: PublicSelection, window: Window, base_url: str) -> Version:
    key = ("public", selection.key, window.start, base_url)
    now = datetime.now(timezone.utc)
    memo = _memo()
    if memo.has(key):
        remembered = memo.get(key, _public_marker())
        if remembered is not None:
            return remembered
    (row,) = _execute(_public_version_statement(selection),
                      {"start": window.start, "cutoff": window.cancelled_cutoff})
    aggregates, marker = row[:4], row[4:]
    version = version_of(aggregates + marker[1:], "public", selection.key, base_url,
                         not_before=(marker[0], window.shifted_at))
    memo.put(key, marker, version, now)
    return version


@cache
def _personal_version_statement():
    window = Window(sa.bindparam("start"), sa.bindparam("cutoff"))
    return (sa.select(*_session_aggregates(),
                      sa.func.coalesce(sa.func.sum(epoch_ms(Registration.updated_dt)), 0),
                      sa.func.max(Registration.updated_dt), *_related_maxima())
            .select_from(Registration).join(EventSession, EventSession.id == Registration.session_id)
            .where(*_personal_where(sa.bindparam("user_id"), window)))


def personal_version(feed: FeedRow, window: Window, base_url: str) -> Version:
    key = ("personal", feed.selector, feed.alarm_minutes, feed.updated_dt, window.start, base_url)
    memo = _memo(personal=True)
    remembered = memo.get(key, feed.marker)
    if remembered is not None:
        return remembered
    now = datetime.now(timezone.utc)
    (row,) = _execute(_personal_version_statement(), {"user_id": feed.user_id, "start": window.start,
                                                      "cutoff": window.cancelled_cutoff})
    version = version_of(row, "personal", feed.selector, feed.alarm_minutes, feed.updated_dt, base_url,
                         not_before=(*feed.marker, window.shifted_at))
    memo.put(key, feed.marker, version, now)
    return version


def _known_key(selector: str, window: Window, base_url: str) -> tuple:
    return ("personal-known", selector, window.start, base_url)


def known_personal_version(selector: str, window: Window, base_url: str, marker: tuple) -> Version | None:
    """The version this process last served for the personal feed with this selector, if nothing a
    personal feed depends on changed since (`markers`): a calendar's poll is then answered without
    reading the feed's row. The caller has checked the signature, and answers only a conditional
    request from it (304): a revoked URL never gets content this way, and within the marker's
    second after a reset at most hears «nothing changed»."""
    key = _known_key(selector, window, base_url)
    memo = _memo(personal=True)
    return memo.get(key, marker) if memo.has(key) else None


def remember_personal_version(selector: str, window: Window, base_url: str, marker: tuple,
                              version: Version) -> None:
    """Remember a personal feed's version under the marker read *before* its row and version were
    (a change committed in between then shows as a newer marker: a miss, never a stale hit)."""
    _memo(personal=True).put(_known_key(selector, window, base_url), marker, version, datetime.now(timezone.utc))


def leader_version(feed: FeedRow, window: Window, base_url: str) -> Version:
    """Not remembered: the sites she leads change with her grants, which the marker does not see."""
    stmt = (sa.select(*_session_aggregates(), *_related_maxima())
            .select_from(EventSession)
            .where(EventSession.site_id.in_(_led_sites(feed.user_id)), *window.conditions()))
    (row,) = _execute(stmt)
    # a revoked grant leaves no time behind: such a change shows at the next daily shift at worst
    return version_of(row, "leader", feed.selector, feed.alarm_minutes, feed.updated_dt, base_url,
                      not_before=(*feed.marker, window.shifted_at))


# -- secret feeds ----------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedRow:
    id: int
    user_id: int
    kind: FeedKind
    selector: str
    alarm_minutes: int | None
    updated_dt: datetime
    #: the marker (see `_marker_columns`) read with the feed, for the version memo
    marker: tuple = ()


@cache
def _feed_statement():
    return (sa.select(CalendarFeed.id, CalendarFeed.user_id, CalendarFeed.kind, CalendarFeed.selector,
                      CalendarFeed.alarm_minutes, CalendarFeed.updated_dt,
                      # her own registrations' latest change (an index on user_id finds them)
                      sa.select(sa.func.max(Registration.updated_dt))
                      .where(Registration.user_id == CalendarFeed.user_id).scalar_subquery())
            .join(User, User.id == CalendarFeed.user_id)
            .where(CalendarFeed.selector == sa.bindparam("selector"), User.is_active))


def find_feed(selector: str, marker: tuple | None = None) -> FeedRow | None:
    """The feed of an active person with this selector (the caller checks the signature);
    marker: `markers()` as the caller read it before (else read here)."""
    rows = _execute_raw(_feed_statement(), {"selector": selector})
    if not rows:
        return None
    feed_id, user_id, kind, selector, alarm, updated, registrations_changed = rows[0]
    # the marker: her registrations' latest change, then what public feeds see (shared, see there)
    return FeedRow(feed_id, user_id, FeedKind(kind), selector, alarm, _utc(updated),
                   marker=(_utc(registrations_changed), *_public_marker(marker)))


# -- building --------------------------------------------------------------------------------

@dataclass(slots=True)
class _Named:
    name: str
    updated_dt: datetime


@dataclass(slots=True)
class _School:
    name: str
    address: str
    updated_dt: datetime


@dataclass(slots=True)
class _Site:
    name: str
    updated_dt: datetime
    organization: _School


@dataclass(slots=True)
class FeedSession:
    """What an event shows of a session, read as plain rows: a feed holds thousands, and ORM
    objects (identity map, relationships) would cost more than the rest of the feed."""

    id: int
    title: str
    description: str
    start_dt: datetime
    end_dt: datetime
    timezone: str
    delivery: Delivery
    address: str
    online_url: str
    status: SessionStatus
    cancel_reason: str
    cancelled_dt: datetime | None
    revision: int
    created_dt: datetime
    changed_dt: datetime
    invitation_only: bool
    registration_opens_dt: datetime | None
    registration_closes_dt: datetime | None
    approval: object
    site: _Site | None = None
    form: _Named | None = None
    direction: _Named | None = None
    audiences: list = field(default_factory=list)

    is_cancelled = EventSession.is_cancelled
    place = EventSession.place


_SESSION_COLUMNS = [getattr(EventSession, f.name) for f in fields(FeedSession)
                    if f.name not in ("site", "form", "direction", "audiences")]


def _load(base: sa.Select, *extras) -> list[tuple]:
    """(FeedSession, *extras) for every session `base` (FROM and WHERE, no columns) selects, in
    start order: one query for the sessions with their site, school, form and direction, one for
    all their audiences — two queries whatever the number of sessions."""
    form, direction = aliased(EventForm), aliased(Direction)
    stmt = (base.add_columns(*_SESSION_COLUMNS, Site.name, Site.updated_dt, Organization.name,
                             Organization.address, Organization.updated_dt, form.name, form.updated_dt,
                             direction.name, direction.updated_dt, *extras)
            .outerjoin(Site, Site.id == EventSession.site_id)
            .outerjoin(Organization, Organization.id == Site.organization_id)
            .outerjoin(form, form.id == EventSession.form_id)
            .outerjoin(direction, direction.id == EventSession.direction_id)
            .order_by(EventSession.start_dt, EventSession.id))
    n = len(_SESSION_COLUMNS)
    out, by_id = [], {}
    for row in db.session.execute(stmt):
        session = FeedSession(*row[:n])
        site_name, site_dt, org_name, org_address, org_dt, form_name, form_dt, dir_name, dir_dt = row[n:n + 9]
        if site_name is not None:
            session.site = _Site(site_name, site_dt, _School(org_name, org_address, org_dt))
        if form_name is not None:
            session.form = _Named(form_name, form_dt)
        if dir_name is not None:
            session.direction = _Named(dir_name, dir_dt)
        by_id[session.id] = session
        out.append((session, *row[n + 9:]))
    if by_id:
        audiences = (sa.select(session_audiences.c.session_id, Audience.name, Audience.updated_dt)
                     .join(Audience, Audience.id == session_audiences.c.audience_id)
                     .where(session_audiences.c.session_id.in_(base.add_columns(EventSession.id)))
                     .order_by(Audience.position, Audience.name))
        for session_id, name, updated in db.session.execute(audiences):
            if session_id in by_id:
                by_id[session_id].audiences.append(_Named(name, updated))
    return out


def _url_maker(session_url_of_zero: str):
    """session id -> its page's absolute URL, from one url_for (thousands of events per feed)."""
    head, _, tail = session_url_of_zero.rpartition("/0")
    return lambda session_id: f"{head}/{session_id}{tail}"


def public_entries(selection: PublicSelection, window: Window, url_of) -> list[ics.FeedEntry]:
    base = _public_from().where(*_public_where(selection, window))
    return [ics.FeedEntry(s, url_of(s.id)) for (s,) in _load(base)]


#: a personal feed's title prefix, event status and first description line, by registration status
PERSONAL_MARKS: dict[RegStatus, tuple[str, str | None, str]] = {
    RegStatus.CONFIRMED: ("", None, "Ваша регистрация подтверждена."),
    RegStatus.PENDING: ("[Ожидает подтверждения] ", "TENTATIVE", "Ваша заявка ожидает подтверждения."),
    RegStatus.WAITLISTED: ("[Лист ожидания] ", "TENTATIVE", "Вы в листе ожидания: место освободится — придёт письмо."),
    RegStatus.REJECTED: ("[Заявка отклонена] ", "CANCELLED", "Ваша заявка отклонена."),
    RegStatus.CANCELLED: ("[Регистрация отменена] ", "CANCELLED", "Ваша регистрация отменена."),
}


def personal_entries(feed: FeedRow, window: Window, url_of) -> list[ics.FeedEntry]:
    base = (sa.select().select_from(Registration).join(EventSession, EventSession.id == Registration.session_id)
            .where(*_personal_where(feed.user_id, window)))
    entries = []
    for session, status, changed in _load(base, Registration.status, Registration.updated_dt):
        prefix, event_status, line = PERSONAL_MARKS[status]
        options = ics.EventOptions(prefix=prefix, status=event_status, status_line=line,
                                   alarm_minutes=feed.alarm_minutes)
        entries.append(ics.FeedEntry(session, url_of(session.id), options, extra_modified=changed))
    return entries


def leader_entries(feed: FeedRow, window: Window, url_of) -> list[ics.FeedEntry]:
    base = (sa.select().select_from(EventSession)
            .outerjoin(PlanItem, EventSession.plan_item_id == PlanItem.id)
            .outerjoin(Plan, PlanItem.plan_id == Plan.id)
            .where(EventSession.site_id.in_(_led_sites(feed.user_id)), *window.conditions()))
    draft = ics.EventOptions(prefix="[Черновик плана] ", status="TENTATIVE",
                             status_line="План ещё не опубликован: участники этой сессии не видят.",
                             alarm_minutes=feed.alarm_minutes)
    published = ics.EventOptions(alarm_minutes=feed.alarm_minutes)
    return [ics.FeedEntry(session, url_of(session.id),
                          draft if plan_status not in (None, PlanStatus.PUBLISHED) else published)
            for session, plan_status in _load(base, Plan.status)]


# -- names -----------------------------------------------------------------------------------

_NAMED = (("municipality", Municipality, "{}"), ("site", Site, "площадка «{}»"),
          ("direction", Direction, "направление «{}»"), ("form", EventForm, "{}"), ("audience", Audience, "для: {}"))


def selection_names(selection: PublicSelection) -> dict[str, str]:
    """The names of what the selection picks, in one query: {"municipality": "г. Краснодар", …}."""
    wanted = [(field, model, getattr(selection, field)) for field, model, _ in _NAMED if getattr(selection, field)]
    if not wanted:
        return {}
    union = sa.union_all(*(sa.select(sa.literal(field), model.name).where(model.id == value)
                           for field, model, value in wanted))
    return dict(db.session.execute(union).all())


def public_name(selection: PublicSelection, names: dict[str, str]) -> str:
    """The feed's name: the selection in words («План сетевых мероприятий: г. Краснодар, семинар»)."""
    parts = [pattern.format(names[field]) for field, _model, pattern in _NAMED if names.get(field)]
    if selection.delivery:
        parts.append(selection.delivery.label.lower())
    if selection.q:
        parts.append(f"«{selection.q}»")
    return "План сетевых мероприятий" + (": " + ", ".join(parts) if parts else "")


def selection_timezone(selection: PublicSelection) -> str:
    """X-WR-TIMEZONE: the chosen municipality's zone, else Moscow."""
    if selection.municipality:
        tz = db.session.scalar(sa.select(Municipality.timezone).where(Municipality.id == selection.municipality))
        if tz:
            return tz
    return ics.DEFAULT_TIMEZONE


def feed_description(kind: str, plan_url: str) -> str:
    lead = {
        "public": "Мероприятия сети стажировочных площадок из опубликованного плана.",
        "personal": "Мероприятия, на которые вы записаны; статус заявки — в названии, если она не подтверждена.",
        "leader": "Сессии площадок, которыми вы руководите, включая черновики планов.",
    }[kind]
    return (f"{lead} Календарь обновляется сам (раз в час): перенос или отмена появятся у вас без "
            f"повторной подписки. Отменённые мероприятия остаются {CANCELLED_DAYS} дней с пометкой "
            f"«ОТМЕНЕНО». Регистрация и подробности: {plan_url}")
