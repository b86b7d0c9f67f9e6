"""ICS calendar feeds (issue 6): public, personal, leader and single-session calendars.

Every feed is parsed with `icalendar` and with `vobject` (an independent parser). Times that must
not be the request time are set directly in the database (`_age`), so no test sleeps.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import re
from base64 import urlsafe_b64encode
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import vobject
from conftest import count_queries
from icalendar import Calendar

from webapp.accounts.models import Role
from webapp.calendar import tokens
from webapp.calendar.feeds import Window
from webapp.calendar.models import CalendarFeed, FeedKind
from webapp.orgs.models import Municipality, Organization
from webapp.plan.models import Plan, PlanStatus
from webapp.registration import services as registration
from webapp.registration.models import Registration
from webapp.sessions import services
from webapp.sessions.models import ApprovalMode, Delivery, EventSession
from webapp.sites.models import Site
from webapp.taxonomy.models import Audience, Direction, EventForm

UTC = timezone.utc
MOSCOW, EKB = ZoneInfo("Europe/Moscow"), ZoneInfo("Asia/Yekaterinburg")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
DAY = date.today() + timedelta(days=20)


def _at(tz: ZoneInfo, hour: int = 10, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=tz).astimezone(UTC)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
def fresh_feed_memory(app):
    """Ids and times repeat across tests (one app for all): what the process remembered of an
    earlier test's feeds (serialized events, versions) must not be reused."""
    for name in ("calendar_event_cache", "calendar_version_memo"):
        remembered = app.extensions.get(name)
        if remembered is not None:
            remembered.clear()


def _age(db, when: datetime) -> None:
    """Every change time in the database set to `when` (as if nothing happened since)."""
    for model in (Municipality, Organization, Site, Plan, EventForm, Direction, Audience, Registration,
                  CalendarFeed):
        db.session.execute(sa.update(model).values(updated_dt=when))
    db.session.execute(sa.update(EventSession).values(changed_dt=when, updated_dt=when, created_dt=when))
    db.session.commit()
    db.session.expire_all()


def _unfold(body: bytes | str) -> str:
    text = body.decode() if isinstance(body, bytes) else body
    return text.replace("\r\n ", "").replace("\r\n\t", "")


def _parse(response):
    """The calendar parsed by both parsers (each must accept it): (icalendar, vobject)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    body = response.get_data()
    cal = Calendar.from_ical(body)
    vcal = vobject.readOne(body.decode())
    assert vcal.name == "VCALENDAR"
    assert len(cal.walk("VEVENT")) == len(getattr(vcal, "vevent_list", []))
    return cal, vcal


def _events(cal) -> dict[str, object]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def _uid(s) -> str:
    return f"session-{s.id}@network-plan.local"


def _edit(s, actor, **changes):
    """Save the session through the session service with some fields changed (local times)."""
    data = {name: getattr(s, name) for name in (
        "title", "description", "plan_item_id", "site_id", "municipality_id", "form_id", "direction_id",
        "timezone", "address", "online_url", "capacity", "org_quota", "invitation_only",
        "audience_restricted", "waitlist_enabled", "academic_hours", "late_after_minutes", "walk_ins_allowed")}
    data.update(services.form_data_for(s))
    data.update(changes)
    services.save_session(s, data, actor)


def _secret_url(db, user, kind: FeedKind) -> str:
    feed = CalendarFeed(user_id=user.id, kind=kind, selector=tokens.new_selector())
    db.session.add(feed)
    db.session.commit()
    part = "my" if kind == FeedKind.PERSONAL else "sites"
    return f"/calendar/{part}/{tokens.token_for(kind.value, feed.selector)}.ics"


@pytest.fixture
def world(make, db):
    """Two zones, a classified in-person session at 10:00 Moscow and an online one at 10:00
    Yekaterinburg, a site leader, a participant; every change time two days ago."""
    msk = make.municipality(name="г. Москва", timezone="Europe/Moscow")
    ekb = make.municipality(name="Березовский ГО", timezone="Asia/Yekaterinburg")
    form = EventForm(name="Семинар-практикум")
    direction = Direction(name="Функциональная грамотность")
    audience = Audience(name="Учителя начальных классов")
    db.session.add_all([form, direction, audience])
    site_msk = make.site(organization=make.organization(municipality=msk, address="ул. Тверская, 7"),
                         name="Площадка «Читающая школа»")
    site_ekb = make.site(organization=make.organization(municipality=ekb), name="Площадка «Цифровой класс»")
    item = make.item(plan=make.plan(municipality=msk))
    s_msk = make.session(site=site_msk, start=_at(MOSCOW), title="Мастерская смыслового чтения", form=form,
                         direction=direction, audiences=[audience], plan_item=item, address="ул. Тверская, 7")
    s_ekb = make.session(site=site_ekb, start=_at(EKB), title="Вебинар о цифровых сервисах",
                         delivery=Delivery.ONLINE, address="", online_url="https://vks.example/room")
    admin = make.user(Role.ADMIN, last_name="Админова")
    leader = make.user(Role.SITE_LEADER, scope=site_msk, last_name="Руководителева")
    me = make.user(last_name="Подписчикова", first_name="Вера")
    registration.register(s_msk.id, me, me)
    db.session.commit()
    aged = _now() - timedelta(days=2)
    _age(db, aged)
    return dict(msk=msk, ekb=ekb, form=form, direction=direction, audience=audience, site_msk=site_msk,
                site_ekb=site_ekb, s_msk=s_msk, s_ekb=s_ekb, admin=admin, leader=leader, me=me, aged=aged)


def _all_feed_urls(db, w) -> list[str]:
    return ["/calendar/plan.ics", _secret_url(db, w["me"], FeedKind.PERSONAL),
            _secret_url(db, w["leader"], FeedKind.LEADER), f"/sessions/{w['s_msk'].id}/event.ics",
            f"/sessions/{w['s_ekb'].id}/event.ics"]


# -- parsing and calendar properties ---------------------------------------------------------

def test_every_feed_kind_parses_and_carries_the_calendar_properties(client, db, world):
    for url in _all_feed_urls(db, world):
        response = client.get(url)
        cal, vcal = _parse(response)
        text = _unfold(response.get_data())
        assert cal["VERSION"] == "2.0" and vcal.version.value == "2.0", url
        assert str(cal["PRODID"]).startswith("-//") and vcal.prodid.value == str(cal["PRODID"])
        assert cal["CALSCALE"] == "GREGORIAN" and cal["METHOD"] == "PUBLISH"
        assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) != ""
        assert vcal.contents["x-wr-calname"][0].value == str(cal["X-WR-CALNAME"])
        assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
        assert "X-PUBLISHED-TTL:PT1H\r\n" in text
        assert str(cal["X-WR-TIMEZONE"]) in ("Europe/Moscow", "Asia/Yekaterinburg")
        if "event.ics" not in url:
            assert "обновляется сам" in str(cal["X-WR-CALDESC"])
        # one VTIMEZONE for every zone used, none missing, none twice
        zones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
        used = set(re.findall(r"^DT(?:START|END);TZID=([^:;]+):", text, flags=re.M))
        assert used and sorted(zones) == sorted(used), url
        assert not re.search(r"^(ORGANIZER|ATTENDEE)[;:]", text, flags=re.M), url


def test_public_feed_lists_both_sessions_with_both_zones(client, world):
    cal, vcal = _parse(client.get("/calendar/plan.ics"))
    assert set(_events(cal)) == {_uid(world["s_msk"]), _uid(world["s_ekb"])}
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"Europe/Moscow", "Asia/Yekaterinburg"}
    assert str(cal["X-WR-CALNAME"]) == "План сетевых мероприятий"


FILTERS = [  # (argument, value from the world, sessions in the feed, words in the feed's name)
    ("municipality", lambda w: w["msk"].id, ["s_msk"], "г. Москва"),
    ("municipality", lambda w: w["ekb"].id, ["s_ekb"], "Березовский ГО"),
    ("site", lambda w: w["site_ekb"].id, ["s_ekb"], "площадка «Площадка «Цифровой класс»»"),
    ("direction", lambda w: w["direction"].id, ["s_msk"], "направление «Функциональная грамотность»"),
    ("form", lambda w: w["form"].id, ["s_msk"], "Семинар-практикум"),
    ("audience", lambda w: w["audience"].id, ["s_msk"], "для: Учителя начальных классов"),
    ("delivery", lambda w: "online", ["s_ekb"], "дистанционно"),
    ("q", lambda w: "смыслового", ["s_msk"], "«смыслового»"),
]


@pytest.mark.parametrize("arg,value,expected,words", FILTERS, ids=[f"{f[0]}-{i}" for i, f in enumerate(FILTERS)])
def test_filtered_public_feed_holds_the_selection_and_names_it(client, world, arg, value, expected, words):
    response = client.get("/calendar/plan.ics", query_string={arg: value(world)})
    cal, vcal = _parse(response)
    assert set(_events(cal)) == {_uid(world[key]) for key in expected}
    assert {str(e.uid.value) for e in vcal.vevent_list} == set(_events(cal))
    name = str(cal["X-WR-CALNAME"])
    assert name.startswith("План сетевых мероприятий: ") and words in name
    assert str(cal["NAME"]) == name
    zone = world[expected[0]].timezone
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == [zone]
    if arg == "municipality":
        assert cal["X-WR-TIMEZONE"] == zone


# -- events ----------------------------------------------------------------------------------

def test_event_properties(client, world):
    cal, vcal = _parse(client.get("/calendar/plan.ics"))
    events = _events(cal)
    s, aged = world["s_msk"], world["aged"]
    e = events[_uid(s)]
    assert e.decoded("DTSTAMP") == e.decoded("LAST-MODIFIED") == aged
    assert e.decoded("CREATED") == aged
    assert e["SEQUENCE"] == 1 and e["STATUS"] == "CONFIRMED"
    assert str(e["SUMMARY"]) == "Мастерская смыслового чтения"
    assert str(e["LOCATION"]) == "ул. Тверская, 7"
    assert str(e["URL"]) == f"http://localhost/sessions/{s.id}"
    text = str(e["DESCRIPTION"])
    assert "Форма: Семинар-практикум" in text and "Направление: Функциональная грамотность" in text
    assert "Аудитория: Учителя начальных классов" in text
    assert "Площадка: Площадка «Читающая школа»" in text and f"/sessions/{s.id}" in text
    assert "<" not in text and "&" not in text  # plain text, not HTML
    assert [str(c) for c in e["CATEGORIES"].cats] == ["Семинар-практикум", "Функциональная грамотность"]
    online = events[_uid(world["s_ekb"])]
    assert str(online["LOCATION"]) == "Онлайн"
    assert "Подключение: https://vks.example/room" in str(online["DESCRIPTION"])
    v = next(v for v in vcal.vevent_list if v.uid.value == _uid(s))
    assert v.dtstamp.value == aged and v.last_modified.value == aged and v.sequence.value == "1"
    assert v.location.value == "ул. Тверская, 7" and v.status.value == "CONFIRMED"


def test_dtstamp_is_the_last_change_not_the_request_time(client, world):
    first = client.get("/calendar/plan.ics")
    second = client.get("/calendar/plan.ics")
    assert first.get_data() == second.get_data()
    assert first.headers["ETag"] == second.headers["ETag"]
    stamps = set(re.findall(r"^DTSTAMP:(\S+)\r$", first.get_data(as_text=True), flags=re.M))
    assert stamps == {world["aged"].strftime("%Y%m%dT%H%M%SZ")}
    # Last-Modified is never before the window's last daily shift (a session may have left with it)
    expected = max(world["aged"], Window.at().shifted_at)
    assert first.headers["Last-Modified"] == format_datetime(expected, usegmt=True)


def test_move_and_cancellation_bump_sequence_keep_uid_and_change_the_etag(client, db, world):
    s, uid = world["s_msk"], _uid(world["s_msk"])
    before = client.get("/calendar/plan.ics")
    old = _events(_parse(before)[0])[uid]

    # a description edit: not a move, SEQUENCE stays, but DTSTAMP and the ETag move
    _edit(s, world["admin"], description="Возьмите книгу")
    db.session.commit()
    edited = client.get("/calendar/plan.ics")
    e = _events(_parse(edited)[0])[uid]
    assert e["SEQUENCE"] == 1 and "Возьмите книгу" in str(e["DESCRIPTION"])
    assert e.decoded("DTSTAMP") > old.decoded("DTSTAMP") and e.decoded("DTSTAMP") == e.decoded("LAST-MODIFIED")
    assert edited.headers["ETag"] != before.headers["ETag"]

    # a move to 12:00 the day after: SEQUENCE 2, same UID, new local time
    _edit(s, world["admin"], start=datetime.combine(DAY + timedelta(days=1), datetime.min.time()).replace(hour=12),
          end=datetime.combine(DAY + timedelta(days=1), datetime.min.time()).replace(hour=15))
    db.session.commit()
    moved = client.get("/calendar/plan.ics")
    cal, vcal = _parse(moved)
    e = _events(cal)[uid]
    assert e["SEQUENCE"] == 2 and e["STATUS"] == "CONFIRMED"
    assert e.decoded("DTSTART") == _at(MOSCOW, 12, DAY + timedelta(days=1))
    assert moved.headers["ETag"] not in (before.headers["ETag"], edited.headers["ETag"])
    assert next(v for v in vcal.vevent_list if v.uid.value == uid).sequence.value == "2"

    services.cancel_session(db.session.get(EventSession, s.id), "Болезнь ведущего", world["admin"])
    db.session.commit()
    cancelled = client.get("/calendar/plan.ics")
    cal, vcal = _parse(cancelled)
    e = _events(cal)[uid]
    assert set(_events(cal)) == {uid, _uid(world["s_ekb"])}  # the same UID throughout, no duplicate
    assert e["SEQUENCE"] == 3 and e["STATUS"] == "CANCELLED"
    assert str(e["SUMMARY"]) == "ОТМЕНЕНО: Мастерская смыслового чтения"
    assert "Мероприятие отменено: Болезнь ведущего" in str(e["DESCRIPTION"])
    assert "VALARM" not in cancelled.get_data(as_text=True)
    v = next(v for v in vcal.vevent_list if v.uid.value == uid)
    assert v.status.value == "CANCELLED" and v.summary.value.startswith("ОТМЕНЕНО: ")
    assert cancelled.headers["ETag"] != moved.headers["ETag"]
    assert e.decoded("DTSTAMP") >= _now() - timedelta(minutes=1)
    # the single download says the same
    single = _events(_parse(client.get(f"/sessions/{s.id}/event.ics"))[0])[uid]
    assert single["SEQUENCE"] == 3 and single["STATUS"] == "CANCELLED"


def test_local_times_in_moscow_and_yekaterinburg(client, world):
    response = client.get("/calendar/plan.ics")
    text = _unfold(response.get_data())
    day = DAY.strftime("%Y%m%d")
    assert f"DTSTART;TZID=Europe/Moscow:{day}T100000\r\n" in text
    assert f"DTEND;TZID=Europe/Moscow:{day}T130000\r\n" in text
    assert f"DTSTART;TZID=Asia/Yekaterinburg:{day}T100000\r\n" in text
    cal, vcal = _parse(response)
    events = _events(cal)
    utc = {"s_msk": datetime(DAY.year, DAY.month, DAY.day, 7, tzinfo=UTC),
           "s_ekb": datetime(DAY.year, DAY.month, DAY.day, 5, tzinfo=UTC)}
    for key, instant in utc.items():
        uid = _uid(world[key])
        assert events[uid].decoded("DTSTART").astimezone(UTC) == instant
        v = next(v for v in vcal.vevent_list if v.uid.value == uid)
        assert v.dtstart.value.astimezone(UTC) == instant  # vobject reads the feed's own VTIMEZONE
        assert v.dtend.value.astimezone(UTC) == instant + timedelta(hours=3)


# -- the window --------------------------------------------------------------------------------

def test_window_past_cancelled_and_draft_sessions(client, db, make, world):
    site, now = world["site_msk"], _now()
    ended_100 = make.session(site=site, start=now - timedelta(days=100, hours=3))
    ended_80 = make.session(site=site, start=now - timedelta(days=80, hours=3))
    recent_cancel = make.session(site=site)
    old_cancel = make.session(site=site)
    draft_item = make.item(plan=make.plan(status=PlanStatus.DRAFT))
    draft = make.session(site=site, title="Сессия черновика", plan_item=draft_item)
    for s in (recent_cancel, old_cancel):
        services.cancel_session(s, "Перенос в другой год", world["admin"])
    recent_cancel.cancelled_dt = now - timedelta(days=59)
    old_cancel.cancelled_dt = now - timedelta(days=61)
    db.session.commit()

    public = _events(_parse(client.get("/calendar/plan.ics"))[0])
    assert _uid(ended_80) in public and _uid(ended_100) not in public
    assert _uid(recent_cancel) in public and _uid(old_cancel) not in public
    assert public[_uid(recent_cancel)]["STATUS"] == "CANCELLED"
    assert _uid(draft) not in public
    assert client.get(f"/sessions/{draft.id}/event.ics").status_code == 404  # not for visitors

    leader = _events(_parse(client.get(_secret_url(db, world["leader"], FeedKind.LEADER)))[0])
    assert set(leader) == {_uid(s) for s in (world["s_msk"], ended_80, recent_cancel, draft)}
    assert str(leader[_uid(draft)]["SUMMARY"]) == "[Черновик плана] Сессия черновика"
    assert leader[_uid(draft)]["STATUS"] == "TENTATIVE"
    assert leader[_uid(world["s_msk"])]["STATUS"] == "CONFIRMED"
    assert not str(leader[_uid(world["s_msk"])]["SUMMARY"]).startswith("[")


# -- personal feed -----------------------------------------------------------------------------

@pytest.fixture
def mine(make, db, world):
    """`me` confirmed (world), pending, waitlisted and cancelled; someone else's session too."""
    site, me = world["site_msk"], world["me"]
    pending = make.session(site=site, title="С подтверждением", approval=ApprovalMode.STAFF)
    waiting = make.session(site=site, title="Полный зал", capacity=0)
    dropped = make.session(site=site, title="Передумала")
    other = make.session(site=site, title="Не моё")
    other_person = make.user(last_name="Чужакова", first_name="Зинаида", email="zina@school.example")
    db.session.commit()
    for s in (pending, waiting, dropped):
        registration.register(s.id, me, me)
    registration.register(other.id, other_person, other_person)
    registration.register(world["s_msk"].id, other_person, other_person)
    db.session.commit()
    reg = db.session.scalar(sa.select(Registration).where(Registration.session_id == dropped.id))
    registration.cancel(reg.id, me)
    db.session.commit()
    return dict(pending=pending, waiting=waiting, dropped=dropped, other=other, other_person=other_person,
                url=_secret_url(db, me, FeedKind.PERSONAL))


def test_personal_feed_shows_my_status_in_the_title(client, world, mine):
    response = client.get(mine["url"])
    cal, vcal = _parse(response)
    events = _events(cal)
    assert _uid(mine["other"]) not in events
    expected = {world["s_msk"]: ("Мастерская смыслового чтения", "CONFIRMED"),
                mine["pending"]: ("[Ожидает подтверждения] С подтверждением", "TENTATIVE"),
                mine["waiting"]: ("[Лист ожидания] Полный зал", "TENTATIVE"),
                mine["dropped"]: ("[Регистрация отменена] Передумала", "CANCELLED")}
    assert set(events) == {_uid(s) for s in expected}
    for s, (summary, status) in expected.items():
        assert str(events[_uid(s)]["SUMMARY"]) == summary
        assert events[_uid(s)]["STATUS"] == status
        v = next(v for v in vcal.vevent_list if v.uid.value == _uid(s))
        assert v.summary.value == summary and v.status.value == status
    text = _unfold(response.get_data())
    assert "Чужакова" not in text and "Зинаида" not in text and "zina@" not in text
    assert response.headers["Cache-Control"].startswith("private")


def test_alarm_preference_adds_a_valarm(client, db, auth, world, mine):
    assert "VALARM" not in client.get(mine["url"]).get_data(as_text=True)
    before = client.get(mine["url"]).headers["ETag"]
    auth.login(world["me"])
    assert client.post("/calendar/personal/alarm", data={"personal-alarm": "60"}).status_code == 303
    response = client.get(mine["url"])
    assert response.headers["ETag"] != before
    cal, vcal = _parse(response)
    events = _events(cal)
    confirmed = events[_uid(world["s_msk"])]
    alarms = confirmed.walk("VALARM")
    assert len(alarms) == 1 and alarms[0]["ACTION"] == "DISPLAY"
    assert alarms[0].decoded("TRIGGER") == -timedelta(hours=1)
    assert "TRIGGER:-PT1H\r\n" in _unfold(response.get_data())
    v = next(v for v in vcal.vevent_list if v.uid.value == _uid(world["s_msk"]))
    assert v.valarm.trigger.value == -timedelta(hours=1)
    assert not events[_uid(mine["dropped"])].walk("VALARM")  # no reminder of what she will not attend

    bad = client.post("/calendar/personal/alarm", data={"personal-alarm": "7"})
    assert bad.status_code == 422
    error = re.search(r'<p class="error"[^>]*>([^<]+)</p>', bad.get_data(as_text=True))
    assert error and re.search(r"[А-Яа-яЁё]", error.group(1)) and "valid" not in error.group(1).lower()
    db.session.expire_all()
    assert db.session.scalar(sa.select(CalendarFeed.alarm_minutes).where(
        CalendarFeed.user_id == world["me"].id)) == 60


def test_personal_etag_moves_with_my_registration_only(client, db, make, world, mine):
    _age(db, world["aged"])
    first = client.get(mine["url"])
    public = client.get("/calendar/plan.ics")
    # someone else's registration moves seat counters only: neither feed changes
    stranger = make.user(last_name="Посторонняя")
    db.session.commit()
    registration.register(world["s_msk"].id, stranger, stranger)
    db.session.commit()
    assert client.get(mine["url"]).headers["ETag"] == first.headers["ETag"]
    again = client.get("/calendar/plan.ics")
    assert again.headers["ETag"] == public.headers["ETag"] and again.get_data() == public.get_data()
    # her own registration changes: the personal feed's ETag and Last-Modified move
    reg = db.session.scalar(sa.select(Registration).where(Registration.session_id == mine["waiting"].id,
                                                          Registration.user_id == world["me"].id))
    registration.cancel(reg.id, world["me"])
    db.session.commit()
    after = client.get(mine["url"])
    assert after.headers["ETag"] != first.headers["ETag"]
    assert after.last_modified > first.last_modified
    assert str(_events(_parse(after)[0])[_uid(mine["waiting"])]["SUMMARY"]).startswith("[Регистрация отменена] ")


# -- HTTP ------------------------------------------------------------------------------------

def test_headers_and_conditional_requests(client, db, world):
    url = "/calendar/plan.ics"
    response = client.get(url)
    etag, last_modified = response.headers["ETag"], response.headers["Last-Modified"]
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert re.fullmatch(r'"[^"]+"', etag)  # strong: no W/
    assert response.last_modified == max(world["aged"], Window.at().shifted_at)
    assert response.headers["Cache-Control"].startswith("public")

    hit = client.get(url, headers={"If-None-Match": etag})
    assert hit.status_code == 304 and hit.get_data() == b""
    assert hit.headers["ETag"] == etag and hit.headers["Cache-Control"] == response.headers["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": f'"stale", {etag}'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200

    later = format_datetime(response.last_modified + timedelta(hours=1), usegmt=True)
    earlier = format_datetime(response.last_modified - timedelta(seconds=1), usegmt=True)
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": later}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200
    # If-None-Match decides when present (RFC 9110 §13.2.2)
    both = client.get(url, headers={"If-None-Match": '"stale"', "If-Modified-Since": later})
    assert both.status_code == 200 and both.get_data() == response.get_data()

    head = client.head(url)
    assert head.status_code == 200 and head.get_data() == b""
    for name in ("ETag", "Last-Modified", "Content-Type", "Cache-Control"):
        assert head.headers[name] == response.headers[name]

    # secret feeds: private, also on 304
    personal = _secret_url(db, world["me"], FeedKind.PERSONAL)
    mine = client.get(personal)
    assert mine.headers["Cache-Control"].startswith("private") and "public" not in mine.headers["Cache-Control"]
    again = client.get(personal, headers={"If-None-Match": mine.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == mine.headers["Cache-Control"]
    assert client.head(personal).headers["ETag"] == mine.headers["ETag"]


def test_site_rename_changes_etag_and_dtstamp(client, db, world):
    before = client.get("/calendar/plan.ics")
    site = db.session.get(Site, world["site_msk"].id)
    site.name = "Площадка «Смысловое чтение»"
    db.session.commit()
    after = client.get("/calendar/plan.ics")
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.last_modified > before.last_modified
    e = _events(_parse(after)[0])[_uid(world["s_msk"])]
    assert "Площадка: Площадка «Смысловое чтение»" in str(e["DESCRIPTION"])
    assert e.decoded("DTSTAMP") == db.session.get(Site, site.id).updated_dt.replace(microsecond=0)
    assert client.get("/calendar/plan.ics", headers={"If-None-Match": before.headers["ETag"]}).status_code == 200


def test_last_modified_moves_when_a_session_leaves_the_selection(client, db, make, world):
    other = make.session(site=world["site_msk"], direction=world["direction"], title="Вторая сессия")
    db.session.commit()
    _age(db, world["aged"])
    db.session.execute(sa.update(EventSession).where(EventSession.id == world["s_msk"].id)
                       .values(changed_dt=world["aged"] + timedelta(hours=1)))
    db.session.commit()
    url = f"/calendar/plan.ics?direction={world['direction'].id}"
    before = client.get(url)
    assert len(_events(_parse(before)[0])) == 2
    _edit(db.session.get(EventSession, other.id), world["admin"], direction_id=None)  # leaves the selection
    db.session.commit()
    after = client.get(url)
    assert len(_events(_parse(after)[0])) == 1
    assert after.last_modified > before.last_modified
    assert client.get(url, headers={"If-Modified-Since": before.headers["Last-Modified"]}).status_code == 200


# -- tokens ----------------------------------------------------------------------------------

def _feed_urls_on_page(client) -> list[str]:
    page = client.get("/calendar")
    assert page.status_code == 200
    return re.findall(r'value="http://localhost(/calendar/(?:my|sites)/[A-Za-z0-9_-]+\.ics)"',
                      page.get_data(as_text=True))


def test_token_reset_shows_a_new_url_and_kills_the_old(client, auth, world):
    auth.login(world["leader"])
    first = _feed_urls_on_page(client)
    assert len(first) == 2 and first == _feed_urls_on_page(client)  # shown again, unchanged
    personal = first[0]
    assert personal.startswith("/calendar/my/") and len(personal) == len("/calendar/my/.ics") + tokens.TOKEN_LENGTH
    assert client.get(personal).status_code == 200
    assert client.post("/calendar/personal/reset").status_code == 303
    second = _feed_urls_on_page(client)
    assert second[0] != personal and second[1] == first[1]  # the leader feed keeps its URL
    assert client.get(personal).status_code == 404
    assert client.get(second[0]).status_code == 200
    auth.logout()
    assert client.get(second[0]).status_code == 200  # no login needed: the token is the key


def test_a_remembered_personal_feed_still_sees_every_change(client, db, auth, make, world):
    """A personal feed's 304 may come from what the process remembers (no read of her feed's row),
    yet a reset, a reminder, her account switched off, her own registration and a session's move
    each show at once: they all move the marker read before it."""
    me_id, admin_id, session_id = world["me"].id, world["admin"].id, world["s_msk"].id
    User = type(world["me"])
    url = _secret_url(db, world["me"], FeedKind.PERSONAL)
    _age(db, world["aged"])

    def poll(etag: str):
        db.session.remove()
        with count_queries(db.engine) as statements:
            response = client.get(url, headers={"If-None-Match": etag})
        return response, len(statements)

    def settle_and_remember() -> str:
        _age(db, world["aged"])
        etag = client.get(url).headers["ETag"]
        response, queries = poll(etag)
        assert (response.status_code, queries) == (304, 1)  # the marker alone: remembered
        return etag

    etag = settle_and_remember()
    # her registration changes: a new version, at the next poll
    mine = db.session.scalar(sa.select(Registration.id).where(Registration.user_id == me_id))
    registration.cancel(mine, db.session.get(User, me_id))
    db.session.commit()
    response, _ = poll(etag)
    assert response.status_code == 200 and "[Регистрация отменена]" in _unfold(response.get_data())

    etag = settle_and_remember()
    later = datetime.combine(DAY + timedelta(days=2), datetime.min.time())
    _edit(db.session.get(EventSession, session_id), db.session.get(User, admin_id), start=later.replace(hour=12),
          end=later.replace(hour=15))
    db.session.commit()
    assert poll(etag)[0].status_code == 200

    etag = settle_and_remember()
    auth.login(db.session.get(User, me_id))
    assert client.post("/calendar/personal/alarm", data={"personal-alarm": "60"}).status_code == 303
    auth.logout()
    assert poll(etag)[0].status_code == 200

    etag = settle_and_remember()
    auth.login(db.session.get(User, admin_id))
    assert client.post(f"/admin/users/{me_id}/active").status_code == 303
    auth.logout()
    assert poll(etag)[0].status_code == 404  # switched off: no feed, even to a poll

    def switch(active: bool) -> None:  # by any code path, not only the admin's page
        db.session.get(User, me_id).is_active = active
        db.session.commit()

    switch(True)
    etag = settle_and_remember()
    switch(False)
    assert poll(etag)[0].status_code == 404
    switch(True)
    etag = settle_and_remember()
    auth.login(db.session.get(User, me_id))
    assert client.post("/calendar/personal/reset").status_code == 303
    auth.logout()
    assert poll(etag)[0].status_code == 404


def test_bad_tokens_all_answer_the_same_404(client, db, app, world):
    me, leader = world["me"], world["leader"]
    url = _secret_url(db, me, FeedKind.PERSONAL)
    leader_url = _secret_url(db, leader, FeedKind.LEADER)
    token = url.rsplit("/", 1)[1][:-4]
    selector, signature = token[:tokens.SELECTOR_LENGTH], token[tokens.SELECTOR_LENGTH:]
    assert client.get(url).status_code == 200 and client.get(leader_url).status_code == 200
    stored = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.selector == selector))
    # the database holds the selector, never the signature: the column alone is no URL
    assert signature not in repr([getattr(stored, c.key) for c in CalendarFeed.__table__.columns])
    other_key = hmac.new(b"another server's key", f"personal:{selector}".encode(), hashlib.sha256).digest()
    forged_sig = ("A" if signature[0] != "A" else "B") + signature[1:]
    bad = [
        f"/calendar/my/{selector}{forged_sig}.ics",
        f"/calendar/my/{token[:-1]}.ics",
        f"/calendar/my/{selector}.ics",
        f"/calendar/my/{selector}{urlsafe_b64encode(other_key[:24]).decode()}.ics",
        f"/calendar/sites/{token}.ics",  # a personal token at the leader feed
        f"/calendar/sites/{selector}{tokens.signature('leader', selector)}.ics",  # signed for the other kind
        f"/calendar/my/{tokens.token_for('personal', tokens.new_selector())}.ics",  # unknown selector
        "/calendar/my/" + "x" * tokens.TOKEN_LENGTH + ".ics",
    ]
    responses = [client.get(u) for u in bad]
    me.is_active = False
    db.session.commit()
    responses.append(client.get(url))
    bodies = {r.get_data() for r in responses}
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert len(bodies) == 1 and "Календарь не найден" in bodies.pop().decode()
    assert all(r.headers["Cache-Control"] == "no-store" for r in responses)


# -- privacy ---------------------------------------------------------------------------------

def test_public_feed_has_no_personal_data(client, db, make, world):
    s, people = make.session_with_registrants(world["site_msk"], 3, timedelta(days=5),
                                              person={"first_name": "Евдокия", "middle_name": "Павловна"})
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                             .where(Registration.session_id == s.id)) == 3
    for url in ("/calendar/plan.ics", f"/sessions/{s.id}/event.ics", f"/calendar/plan.ics?site={world['site_msk'].id}"):
        text = _unfold(client.get(url).get_data())
        assert _uid(s) in text
        without_uids = "\n".join(line for line in text.splitlines() if not line.startswith("UID:"))
        assert not EMAIL.search(without_uids), EMAIL.search(without_uids).group(0)
        for person in [*people, world["me"]]:
            assert person.last_name not in text and person.email not in text
        assert "Евдокия" not in text and "Павловна" not in text and "Подписчикова" not in text


# -- query counts ----------------------------------------------------------------------------

def _feed_queries(client, db, url: str, headers=None) -> tuple[int, int]:
    db.session.remove()
    with count_queries(db.engine) as statements:
        response = client.get(url, headers=headers or {})
    return response.status_code, len(statements)


def test_public_feed_queries_do_not_grow_and_304_costs_one(client, db, make, world):
    ids = {key: world[key].id for key in ("site_msk", "audience", "form", "direction")}
    me_id = world["me"].id

    def grow_to(n):
        site, audience = db.session.get(Site, ids["site_msk"]), db.session.get(Audience, ids["audience"])
        while db.session.scalar(sa.select(sa.func.count()).select_from(EventSession)) < n:
            make.session(site=site, form_id=ids["form"], direction_id=ids["direction"], audiences=[audience],
                         title=f"Семинар {n}")
        db.session.commit()

    urls = ["/calendar/plan.ics", f"/calendar/plan.ics?municipality={world['msk'].id}&form={ids['form']}&q=семинар"]
    grow_to(5)
    small = [_feed_queries(client, db, u) for u in urls]
    grow_to(50)
    large = [_feed_queries(client, db, u) for u in urls]
    assert [status for status, _ in small + large] == [200] * 4
    assert small == large, (small, large)
    assert all(count <= 6 for _, count in large)
    assert len(_events(_parse(client.get(urls[0]))[0])) == 50
    etag = client.get(urls[0]).headers["ETag"]
    assert _feed_queries(client, db, urls[0], {"If-None-Match": etag}) == (304, 1)
    last_modified = client.get(urls[1]).headers["Last-Modified"]
    assert _feed_queries(client, db, urls[1], {"If-Modified-Since": last_modified}) == (304, 1)
    # once every change has settled the version is remembered: a 304 of the public feed or of a
    # personal one served before reads only the change marker (the tests re-read the marker every
    # time: CALENDAR_MARKER_SECONDS is 0; in production polls share it for a second)
    personal = _secret_url(db, db.session.get(type(world["me"]), me_id), FeedKind.PERSONAL)
    _age(db, world["aged"])
    etags = {url: client.get(url).headers["ETag"] for url in (urls[0], personal)}
    for url, etag in etags.items():
        assert _feed_queries(client, db, url, {"If-None-Match": etag}) == (304, 1), url
    app = client.application
    app.config["CALENDAR_MARKER_SECONDS"] = 60
    try:
        client.get(urls[0], headers={"If-None-Match": etags[urls[0]]})
        assert _feed_queries(client, db, urls[0], {"If-None-Match": etags[urls[0]]}) == (304, 0)
        assert _feed_queries(client, db, personal, {"If-None-Match": etags[personal]}) == (304, 0)
    finally:
        app.config["CALENDAR_MARKER_SECONDS"] = 0
    make.session(site=db.session.get(Site, ids["site_msk"]))
    db.session.commit()
    assert client.get(urls[0], headers={"If-None-Match": etags[urls[0]]}).status_code == 200


# -- pages -----------------------------------------------------------------------------------

def test_plan_page_offers_the_selection_as_a_feed(client, world):
    m = world["msk"].id
    page = client.get(f"/?municipality={m}&delivery=in_person&year={DAY.year}&month={DAY.year}-{DAY.month:02d}&page=2")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Подписаться на эту подборку" in body
    url = html.unescape(re.search(r'id="plan-feed-url"[^>]*value="([^"]+)"', body).group(1))
    parts = urlsplit(url)
    assert parts.path == "/calendar/plan.ics"
    assert parse_qs(parts.query) == {"municipality": [str(m)], "delivery": ["in_person"]}
    webcal = [html.unescape(h) for h in re.findall(r'href="(webcal://[^"]+)"', body)]
    assert webcal == ["webcal://" + url.split("://", 1)[1]]
    cal, _ = _parse(client.get(f"{parts.path}?{parts.query}"))
    assert "г. Москва" in str(cal["X-WR-CALNAME"]) and "очно" in str(cal["X-WR-CALNAME"])
    assert set(_events(cal)) == {_uid(world["s_msk"])}
    # without filters: the whole plan
    plain = client.get("/").get_data(as_text=True)
    assert 'value="http://localhost/calendar/plan.ics"' in plain


def test_session_page_offers_download_and_google_link(client, world):
    s = world["s_ekb"]
    body = client.get(f"/sessions/{s.id}").get_data(as_text=True)
    assert "Скачать в календарь (.ics)" in body
    assert f'href="/sessions/{s.id}/event.ics"' in body or f'href="http://localhost/sessions/{s.id}/event.ics"' in body
    link = html.unescape(re.search(r'href="(https://calendar\.google\.com/calendar/render\?[^"]+)"', body).group(1))
    query = parse_qs(urlsplit(link).query)
    day = DAY.strftime("%Y%m%d")
    assert query["dates"] == [f"{day}T050000Z/{day}T080000Z"]  # 10:00–13:00 in Yekaterinburg, in UTC
    assert query["text"] == ["Вебинар о цифровых сервисах"] and query["ctz"] == ["Asia/Yekaterinburg"]
    assert query["location"] == ["Онлайн"]
    download = client.get(f"/sessions/{s.id}/event.ics")
    assert download.headers["Content-Disposition"] == f'attachment; filename="event-{s.id}.ics"'
    assert set(_events(_parse(download)[0])) == {_uid(s)}


def test_single_session_etag_is_stable_and_does_not_depend_on_the_process(client, db, world, monkeypatch):
    import webapp.calendar.feeds as feeds_module
    import webapp.calendar.routes as routes

    url = f"/sessions/{world['s_msk'].id}/event.ics"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"[^"]+"', etag) and first.last_modified == world["aged"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    # another worker salts str hashes differently (PYTHONHASHSEED): the ETag must not use them
    for module in (routes, feeds_module):
        monkeypatch.setattr(module, "hash", lambda value: 12345678, raising=False)
    assert client.get(url).headers["ETag"] == etag
    _edit(db.session.get(EventSession, world["s_msk"].id), world["admin"], title="Новое название")
    db.session.commit()
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_feeds_do_not_vary_by_cookie_but_pages_do(client, db, auth, world):
    """A feed is the same whoever asks (public) or decided by its token (secret): no `Vary: Cookie`,
    so a shared cache keeps one copy, even when a logged-in browser opens it. Pages still vary."""
    personal = _secret_url(db, world["me"], FeedKind.PERSONAL)
    for logged_in in (False, True):
        if logged_in:
            auth.login(world["me"])
        for url in ("/calendar/plan.ics", personal, "/healthz"):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "cookie" not in response.headers.get("Vary", "").lower(), (url, logged_in)
            assert "Set-Cookie" not in response.headers, (url, logged_in)
        assert "Cookie" in client.get("/").headers["Vary"]
