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
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta, timezone
from functools import cache, lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts.models import Role, RoleGrant, User
from webapp.calendar import ics
from webapp.calendar.models import CalendarFeed, FeedKind
from webapp.dbtypes import epoch_ms
from webapp.extensions import db
from webapp.orgs.models import Municipality, Organization
from webapp.plan.models import Plan, PlanItem, PlanStatus
from webapp.plan.queries import MAX_QUERY_LENGTH, selection_conditions
from webapp.registration.models import ACTIVE_STATUSES, Registration, RegStatus
from webapp.sessions.models import Delivery, EventSession, SessionStatus
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


def _version(parts: tuple, *more) -> Version:
    """parts: count, id sum, change-time sum, latest change, then anything else that counts."""
    times = [p for p in parts + more if isinstance(p, datetime)]
    latest = max(times) if times else datetime(2000, 1, 1, tzinfo=timezone.utc)
    digest = hashlib.sha256(repr((FORMAT_VERSION, parts, more)).encode()).hexdigest()[:40]
    return Version(etag=digest, last_modified=latest.replace(microsecond=0), count=parts[0])


@lru_cache(maxsize=256)
def _public_version_statement(selection: PublicSelection):
    # built once per selection shape; the window's times are bound per request
    return (_public_from().add_columns(*_session_aggregates(), *_related_maxima())
            .where(*_public_where(selection, Window(sa.bindparam("start"), sa.bindparam("cutoff")))))


def public_version(selection: PublicSelection, window: Window, base_url: str) -> Version:
    row = db.session.execute(_public_version_statement(selection),
                             {"start": window.start, "cutoff": window.cancelled_cutoff}).one()
    return _version(tuple(row), "public", selection.key, base_url)


def personal_version(feed: FeedRow, window: Window, base_url: str) -> Version:
    stmt = (sa.select(*_session_aggregates(),
                      sa.func.coalesce(sa.func.sum(epoch_ms(Registration.updated_dt)), 0),
                      sa.func.max(Registration.updated_dt), *_related_maxima())
            .select_from(Registration).join(EventSession, EventSession.id == Registration.session_id)
            .where(*_personal_where(feed.user_id, window)))
    row = db.session.execute(stmt).one()
    return _version(tuple(row), "personal", feed.selector, feed.alarm_minutes, feed.updated_dt, base_url)


def leader_version(feed: FeedRow, window: Window, base_url: str) -> Version:
    stmt = (sa.select(*_session_aggregates(), *_related_maxima())
            .select_from(EventSession)
            .where(EventSession.site_id.in_(_led_sites(feed.user_id)), *window.conditions()))
    row = db.session.execute(stmt).one()
    return _version(tuple(row), "leader", feed.selector, feed.alarm_minutes, feed.updated_dt, base_url)


# -- secret feeds ----------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedRow:
    id: int
    user_id: int
    kind: FeedKind
    selector: str
    alarm_minutes: int | None
    updated_dt: datetime


@cache
def _feed_statement():
    return (sa.select(CalendarFeed.id, CalendarFeed.user_id, CalendarFeed.kind, CalendarFeed.selector,
                      CalendarFeed.alarm_minutes, CalendarFeed.updated_dt)
            .join(User, User.id == CalendarFeed.user_id)
            .where(CalendarFeed.selector == sa.bindparam("selector"), User.is_active))


def find_feed(selector: str) -> FeedRow | None:
    """The feed of an active person with this selector (the caller checks the signature)."""
    row = db.session.execute(_feed_statement(), {"selector": selector}).one_or_none()
    return FeedRow(*row) if row else None


# -- building --------------------------------------------------------------------------------

def _event_options():
    return (joinedload(EventSession.site).joinedload(Site.organization),
            joinedload(EventSession.form), joinedload(EventSession.direction),
            selectinload(EventSession.audiences))


def _url_maker(session_url_of_zero: str):
    """session id -> its page's absolute URL, from one url_for (thousands of events per feed)."""
    head, _, tail = session_url_of_zero.rpartition("/0")
    return lambda session_id: f"{head}/{session_id}{tail}"


def public_entries(selection: PublicSelection, window: Window, url_of) -> list[ics.FeedEntry]:
    stmt = (_public_from().add_columns(EventSession).where(*_public_where(selection, window))
            .options(*_event_options()).order_by(EventSession.start_dt, EventSession.id))
    return [ics.FeedEntry(s, url_of(s.id)) for s in db.session.scalars(stmt)]


#: a personal feed's title prefix, event status and first description line, by registration status
PERSONAL_MARKS: dict[RegStatus, tuple[str, str | None, str]] = {
    RegStatus.CONFIRMED: ("", None, "Ваша регистрация подтверждена."),
    RegStatus.PENDING: ("[Ожидает подтверждения] ", "TENTATIVE", "Ваша заявка ожидает подтверждения."),
    RegStatus.WAITLISTED: ("[Лист ожидания] ", "TENTATIVE", "Вы в листе ожидания: место освободится — придёт письмо."),
    RegStatus.REJECTED: ("[Заявка отклонена] ", "CANCELLED", "Ваша заявка отклонена."),
    RegStatus.CANCELLED: ("[Регистрация отменена] ", "CANCELLED", "Ваша регистрация отменена."),
}


def personal_entries(feed: FeedRow, window: Window, url_of) -> list[ics.FeedEntry]:
    stmt = (sa.select(EventSession, Registration.status, Registration.updated_dt)
            .join(Registration, Registration.session_id == EventSession.id)
            .where(*_personal_where(feed.user_id, window))
            .options(*_event_options()).order_by(EventSession.start_dt, EventSession.id))
    entries = []
    for session, status, changed in db.session.execute(stmt):
        prefix, event_status, line = PERSONAL_MARKS[status]
        options = ics.EventOptions(prefix=prefix, status=event_status, status_line=line,
                                   alarm_minutes=feed.alarm_minutes)
        entries.append(ics.FeedEntry(session, url_of(session.id), options, extra_modified=changed))
    return entries


def leader_entries(feed: FeedRow, window: Window, url_of) -> list[ics.FeedEntry]:
    stmt = (sa.select(EventSession, Plan.status)
            .outerjoin(PlanItem, EventSession.plan_item_id == PlanItem.id)
            .outerjoin(Plan, PlanItem.plan_id == Plan.id)
            .where(EventSession.site_id.in_(_led_sites(feed.user_id)), *window.conditions())
            .options(*_event_options()).order_by(EventSession.start_dt, EventSession.id))
    draft = ics.EventOptions(prefix="[Черновик плана] ", status="TENTATIVE",
                             status_line="План ещё не опубликован: участники этой сессии не видят.",
                             alarm_minutes=feed.alarm_minutes)
    published = ics.EventOptions(alarm_minutes=feed.alarm_minutes)
    return [ics.FeedEntry(session, url_of(session.id),
                          draft if plan_status not in (None, PlanStatus.PUBLISHED) else published)
            for session, plan_status in db.session.execute(stmt)]


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
