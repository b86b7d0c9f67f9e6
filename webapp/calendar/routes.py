"""Calendar feeds over HTTP, a session's .ics, and the page where people manage their feed URLs."""

from __future__ import annotations

from datetime import timezone
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, request, url_for
from flask_login import current_user, login_required

from webapp.audit.models import record
from webapp.calendar import feeds, ics, tokens
from webapp.calendar.forms import AlarmForm
from webapp.calendar.models import ALARM_CHOICES, CalendarFeed, FeedKind
from webapp.dbtypes import utcnow
from webapp.extensions import db
from webapp.htmx import redirect_after_post, render
from webapp.mail.services import external_url
from webapp.vary import same_for_everyone

bp = Blueprint("calendar", __name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"
#: public feeds are the same for everyone: shared caches may keep them a while
PUBLIC_CACHE = "public, max-age=900"
#: secret feeds hold a person's registrations: only her own client keeps them, and revalidates
PRIVATE_CACHE = "private, no-cache"
NOT_FOUND = "Календарь не найден. Возможно, ссылку сбросили: возьмите новую на странице «Календарь»."


def _event_cache() -> ics.EventCache:
    return current_app.extensions.setdefault("calendar_event_cache", ics.EventCache())


def _base_url() -> str:
    """What links in feeds start with (part of every version: another host, other bytes)."""
    return current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/") or request.host_url.rstrip("/")


def _not_modified(version: feeds.Version) -> bool:
    """RFC 9110 §13.2.2: If-None-Match, when present, decides; else If-Modified-Since."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(version.etag)
    since = request.if_modified_since
    return since is not None and version.last_modified <= since


def _feed_response(version: feeds.Version, build, *, private: bool, filename: str) -> Response:
    if _not_modified(version):
        response = Response(status=304)
    else:
        response = Response(build(), content_type=CONTENT_TYPE)
        response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.set_etag(version.etag)
    response.last_modified = version.last_modified
    response.headers["Cache-Control"] = PRIVATE_CACHE if private else PUBLIC_CACHE
    if private:
        response.headers["X-Robots-Tag"] = "noindex"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _session_url_maker():
    return feeds._url_maker(external_url("sessions.detail", session_id=0))


# -- public feeds ----------------------------------------------------------------------------

@bp.get("/calendar/plan.ics")
def public_feed():
    same_for_everyone()  # no personal data, whoever asks: shared caches may keep one copy
    selection = feeds.PublicSelection.from_args(request.args)
    window = feeds.Window.at()
    version = feeds.public_version(selection, window, _base_url())

    def build() -> bytes:
        name = feeds.public_name(selection, feeds.selection_names(selection))
        tz = feeds.selection_timezone(selection)
        entries = feeds.public_entries(selection, window, _session_url_maker())
        return ics.build_calendar_from(
            entries, name, feeds.feed_description("public", external_url("plan.index", **selection.args())),
            timezone=tz, cache=_event_cache())

    return _feed_response(version, build, private=False, filename="plan.ics")


# -- secret feeds ----------------------------------------------------------------------------

def _secret_feed(kind: FeedKind, token: str):
    same_for_everyone()  # the token in the URL decides, not a cookie
    parts = tokens.split(token)
    window, base_url = feeds.Window.at(), _base_url()
    # read before the feed's row, for what is remembered of it (see remember_personal_version)
    marker = feeds.markers() if parts is not None and kind == FeedKind.PERSONAL else None
    if (marker is not None and (request.if_none_match or request.if_modified_since)
            and tokens.verify(kind.value, parts[0], parts[1])):
        # a calendar's poll of a feed served before, nothing changed since: 304 without its row
        known = feeds.known_personal_version(parts[0], window, base_url, marker)
        if known is not None and _not_modified(known):
            return _feed_response(known, None, private=True, filename=f"{kind.value}.ics")
    feed = feeds.find_feed(parts[0], marker) if parts else None
    if feed is not None and feed.kind != kind:
        feed = None
    # the signature is checked even when nothing was found: the answer takes the same time
    if parts is None or not tokens.verify(kind.value, feed.selector if feed else None, parts[1]):
        return Response(NOT_FOUND, status=404, content_type="text/plain; charset=utf-8",
                        headers={"Cache-Control": "no-store"})
    if kind == FeedKind.PERSONAL:
        version = feeds.personal_version(feed, window, base_url)
        feeds.remember_personal_version(feed.selector, window, base_url, marker, version)
        entries_of, name = feeds.personal_entries, "Мои мероприятия — сеть стажировочных площадок"
    else:
        version = feeds.leader_version(feed, window, base_url)
        entries_of, name = feeds.leader_entries, "Сессии моих площадок — сеть стажировочных площадок"

    def build() -> bytes:
        entries = entries_of(feed, window, _session_url_maker())
        return ics.build_calendar_from(entries, name, feeds.feed_description(kind.value, external_url("plan.index")),
                                       cache=_event_cache())

    return _feed_response(version, build, private=True, filename=f"{kind.value}.ics")


@bp.get("/calendar/my/<token>.ics")
def personal_feed(token: str):
    return _secret_feed(FeedKind.PERSONAL, token)


@bp.get("/calendar/sites/<token>.ics")
def leader_feed(token: str):
    return _secret_feed(FeedKind.LEADER, token)


# -- one session -----------------------------------------------------------------------------

@bp.get("/sessions/<int:session_id>/event.ics")
def session_ics(session_id: int):
    """One session as a file to open in any calendar (a draft only for those who manage it)."""
    from sqlalchemy.orm import joinedload, selectinload

    from webapp.sessions.models import EventSession
    from webapp.sessions.services import load_visible_session
    from webapp.sites.models import Site

    session = load_visible_session(
        session_id, joinedload(EventSession.site).joinedload(Site.organization), joinedload(EventSession.form),
        joinedload(EventSession.direction), selectinload(EventSession.audiences))
    url = external_url("sessions.detail", session_id=session.id)
    modified = ics.event_modified(session)
    version = feeds.version_of((1, session.id, session.revision, modified), "session", _base_url())
    response = _feed_response(
        version, lambda: ics.build_calendar([session], lambda s: url, name=session.title),
        private=session.is_draft, filename=f"event-{session.id}.ics")
    if response.status_code == 200:
        response.headers["Content-Disposition"] = f'attachment; filename="event-{session.id}.ics"'
    return response


# -- the page of one's feeds -----------------------------------------------------------------

def _is_leader(user) -> bool:
    from webapp.accounts.models import Role

    return bool(user.scope_ids(Role.SITE_LEADER))


def _kinds_for(user) -> list[FeedKind]:
    return [FeedKind.PERSONAL] + ([FeedKind.LEADER] if _is_leader(user) else [])


def _get_or_create(user, kind: FeedKind) -> CalendarFeed:
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                           CalendarFeed.kind == kind))
    if feed is not None:
        return feed
    feed = CalendarFeed(user_id=user.id, kind=kind, selector=tokens.new_selector())
    db.session.add(feed)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:  # the same person opened the page twice at once: hers is made
        db.session.rollback()
        feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                                               CalendarFeed.kind == kind))
    return feed


def feed_url(feed: CalendarFeed, external: bool = True) -> str:
    endpoint = "calendar.personal_feed" if feed.kind == FeedKind.PERSONAL else "calendar.leader_feed"
    token = tokens.token_for(feed.kind.value, feed.selector)
    return external_url(endpoint, token=token) if external else url_for(endpoint, token=token)


def webcal(url: str) -> str:
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url


def public_feed_url(selection: feeds.PublicSelection) -> str:
    return external_url("calendar.public_feed") + (("?" + urlencode(selection.args())) if selection.args() else "")


def _cards(user) -> list[dict]:
    cards = []
    for kind in _kinds_for(user):
        feed = _get_or_create(user, kind)
        url = feed_url(feed)
        form = AlarmForm(prefix=kind.value, data={"alarm": str(feed.alarm_minutes or "")})
        cards.append(dict(feed=feed, kind=kind, url=url, webcal=webcal(url), form=form))
    return cards


@bp.get("/calendar")
@login_required
def subscriptions():
    cards = _cards(current_user)
    db.session.commit()  # a feed made on first visit keeps its URL
    return render("calendar/index.html", "calendar/_cards.html", cards=cards, alarm_choices=ALARM_CHOICES)


def _own_feed(kind_value: str) -> CalendarFeed:
    kind = FeedKind.parse(kind_value)
    if kind is None or kind not in _kinds_for(current_user):
        abort(404)
    return _get_or_create(current_user, kind)


@bp.post("/calendar/<kind>/reset")
@login_required
def reset(kind: str):
    feed = _own_feed(kind)
    feed.selector = tokens.new_selector()
    feed.reset_dt = utcnow()
    record("calendar_feed", feed.id, "reset", current_user)
    db.session.commit()
    flash("Ссылка сброшена: старая больше не работает. Подпишитесь заново по новой ссылке.", "success")
    return redirect_after_post("calendar.subscriptions")


@bp.post("/calendar/<kind>/alarm")
@login_required
def alarm(kind: str):
    feed = _own_feed(kind)
    form = AlarmForm(prefix=feed.kind.value)
    if not form.validate_on_submit():
        cards = _cards(current_user)
        for card in cards:
            if card["kind"] == feed.kind:
                card["form"] = form
        return render("calendar/index.html", "calendar/_cards.html", status=422, cards=cards,
                      alarm_choices=ALARM_CHOICES)
    feed.alarm_minutes = int(form.alarm.data) if form.alarm.data else None
    db.session.commit()
    flash("Напоминание сохранено: календарь получит его при следующем обновлении.", "success")
    return redirect_after_post("calendar.subscriptions")


@bp.app_template_global()
def google_calendar_url(session) -> str:
    """«Добавить в Google Календарь»: Google's event template filled with the session (times in
    UTC, shown in the session's zone; the description cut so the link stays well under 2,000 chars)."""
    def stamp(dt) -> str:
        return dt.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")

    page = external_url("sessions.detail", session_id=session.id)
    details = ics.description(session, page)
    if len(details) > 900:
        details = details[:880].rsplit(" ", 1)[0] + "…\n\n" + page
    params = {"action": "TEMPLATE", "text": session.title,
              "dates": f"{stamp(session.start_dt)}/{stamp(session.end_dt)}",
              "details": details, "location": session.place, "ctz": session.timezone}
    return "https://calendar.google.com/calendar/render?" + urlencode(params)
