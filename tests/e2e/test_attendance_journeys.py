"""Attendance journeys in a real browser: marking on a phone, marking offline, QR self check-in.

Chromium against the live demo server of conftest.py (real CSRF in htmx headers, the CSP of
production). Each journey builds its own session in the server's database from this process: a
session at the demo leader's site that started half an hour ago (marking and the QR check-in are
open) with a few confirmed registrants, so that the journeys depend neither on the date the demo
data was loaded on nor on what the other journeys marked before.
"""

from __future__ import annotations

import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo12345"  # webapp/demo/seed.py
LEADER = "leader@demo.local"
PHONE = {"width": 360, "height": 740}
#: what Chromium and htmx log while the network is down (expected in the offline journey only)
OFFLINE_NOISE = ("ERR_INTERNET_DISCONNECTED", "htmx:sendError", "htmx:afterRequest", "ERR_NETWORK_CHANGED")


# -- the server's database -------------------------------------------------------------------

@pytest.fixture
def server_db(e2e_app):
    """server_db(): a context with the live server's database session (closed on exit)."""
    from webapp.extensions import db

    @contextmanager
    def opened():
        with e2e_app.app_context():
            yield db.session

    return opened


@dataclass
class OnNow:
    session_id: int
    title: str
    #: the registrants' user ids, in the roster's order (by last name)
    people: list[int]
    #: the e-mail of the first registrant, who can log in with DEMO_PASSWORD
    email: str


_LAST_NAMES = ("Абрамова", "Белова", "Воронова", "Гусева", "Давыдова", "Егорова")


@pytest.fixture
def on_now(server_db):
    """on_now(registrants): a session at the demo leader's site, started 30 minutes ago, with that
    many new teachers as confirmed registrants (the first one with the demo password)."""
    from webapp.accounts.models import Role, User
    from webapp.registration.models import Registration, RegStatus
    from webapp.sessions.models import Delivery, EventSession
    from webapp.sessions.services import refresh_search_text
    from webapp.sites.models import Site

    def build(registrants: int = 4) -> OnNow:
        tag = uuid.uuid4().hex[:6]
        with server_db() as db:
            leader = db.scalar(sa.select(User).where(User.email == LEADER))
            site = db.get(Site, sorted(leader.scope_ids(Role.SITE_LEADER))[0])
            municipality = site.organization.municipality
            start = datetime.now(timezone.utc).replace(second=0, microsecond=0) - timedelta(minutes=30)
            title = f"Практикум по отметке посещаемости {tag}"
            s = EventSession(title=title, site=site, municipality=municipality, start_dt=start,
                             end_dt=start + timedelta(hours=3), timezone=municipality.timezone,
                             delivery=Delivery.IN_PERSON, address="ул. Ленина, 1", capacity=None)
            refresh_search_text(s)
            db.add(s)
            db.flush()
            people, email = [], f"att-{tag}-0@example.org"
            for i in range(registrants):
                user = User(email=f"att-{tag}-{i}@example.org", last_name=_LAST_NAMES[i], first_name="Ольга",
                            middle_name="Петровна", organization_id=site.organization_id, position="Учитель",
                            consent_dt=datetime.now(timezone.utc))
                if i == 0:
                    user.set_password(DEMO_PASSWORD)
                user.refresh_search_text()
                db.add(user)
                db.flush()
                db.add(Registration(session_id=s.id, user_id=user.id, organization_id=user.organization_id,
                                    status=RegStatus.CONFIRMED))
                people.append(user.id)
            db.commit()
            return OnNow(s.id, title, people, email)

    return build


def marks_of(server_db, session_id: int) -> dict[int, tuple[str, str]]:
    """user id → (status, source) of every mark at the session, as the server stored it."""
    from webapp.attendance.models import Attendance

    with server_db() as db:
        rows = db.execute(sa.select(Attendance.user_id, Attendance.status, Attendance.source)
                          .where(Attendance.session_id == session_id)).all()
        return {user_id: (status.value, source.value) for user_id, status, source in rows}


# -- the browser -----------------------------------------------------------------------------

@pytest.fixture
def new_context(browser, live_server, console):
    """new_context(phone=False): a fresh browser context (own cookies), its pages wired to `console`."""
    contexts = []

    def make(phone: bool = False):
        options = dict(base_url=live_server, locale="ru-RU", timezone_id="Europe/Moscow")
        if phone:
            options.update(viewport=PHONE, has_touch=True, is_mobile=True)
        else:
            options.update(viewport={"width": 1280, "height": 900})
        ctx = browser.new_context(**options)
        ctx.set_default_timeout(10_000)
        ctx.on("page", lambda page: (page.on("console", console.on_console),
                                     page.on("pageerror", console.on_pageerror)))
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Through the login form, as a person does (wherever it sends her next)."""
    if "/login" not in page.url:
        page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Войти").click()


def row(page, user_id: int):
    return page.locator(f"#att-{user_id}")


def radio(page, user_id: int, status: str):
    return row(page, user_id).locator(f"input[name=status][value={status}]")


def assert_fits(page, width: int = PHONE["width"]) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"horizontal scrolling on a phone: the page is {scroll}px wide"


def pending_marks(page, session_id: int) -> list[str]:
    """The marks of this session that attendance.js keeps on the device as not sent."""
    return page.evaluate("(prefix) => Object.keys(JSON.parse(localStorage.getItem('attendance-pending') || '{}'))"
                         ".filter((key) => key.indexOf(prefix) === 0)", f"{session_id}-")


def mark_response(session_id: int, user_id: int):
    return lambda r: r.request.method == "POST" and r.url.endswith(f"/sessions/{session_id}/attendance/{user_id}")


# -- a. a site leader marks on her phone ------------------------------------------------------

def test_site_leader_marks_attendance_on_a_phone(new_context, on_now, server_db, console, shot):
    s = on_now(4)
    n = len(s.people)
    first, second = s.people[0], s.people[1]
    page = new_context(phone=True).new_page()
    login(page, LEADER)
    expect(page).to_have_url(re.compile(r"/$"))

    # «Посещаемость» from the phone menu, then the session on now
    menu_link = page.locator("nav.nav").get_by_role("link", name="Посещаемость")
    expect(menu_link).to_be_hidden()
    page.locator("label.nav-toggle-label", has_text="Меню").tap()
    expect(menu_link).to_be_visible()
    menu_link.tap()
    expect(page).to_have_url(re.compile(r"/attendance$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Посещаемость")
    card = page.locator("#att-sessions li.card").filter(has=page.get_by_role("link", name=s.title, exact=True))
    expect(card).to_contain_text(f"Отмечено 0 из {n}")
    assert_fits(page)
    card.get_by_role("link", name=s.title, exact=True).tap()
    expect(page).to_have_url(re.compile(rf"/sessions/{s.session_id}/attendance$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Отметка посещаемости")
    count = page.locator("#att-count")
    expect(count).to_contain_text(f"Отмечено 0 из {n}")
    expect(page.locator("ol.att-list > li.att-row")).to_have_count(n)
    assert_fits(page)
    page.evaluate("window.__marker = 1")  # a full page load would lose it

    # one tap: «Опоздал» for the first person; the row and the count change in place
    late = row(page, first).locator("label.att-late")
    late.scroll_into_view_if_needed()
    box = late.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"off the screen: {box}"
    assert box["height"] >= 32, f"too small to tap: {box}"
    with page.expect_response(mark_response(s.session_id, first)) as answer:
        late.tap()
    assert answer.value.status == 200 and answer.value.request.headers.get("hx-request") == "true"
    expect(count).to_contain_text(f"Отмечено 1 из {n}")
    expect(radio(page, first, "late")).to_be_checked()
    expect(row(page, first)).to_have_class(re.compile(r"\bmarked\b"))
    assert page.evaluate("window.__marker") == 1, "marking reloaded the whole page"

    # the keyboard: Tab from the first person's remark lands on the second person's radios, Space marks
    row(page, first).locator("input[name=remark]").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.name, document.activeElement.value,"
                            " document.activeElement.closest('li') && document.activeElement.closest('li').id]")
    assert focused == ["status", "present", f"att-{second}"], f"Tab went to {focused}"
    with page.expect_response(mark_response(s.session_id, second)) as answer:
        page.keyboard.press("Space")
    assert answer.value.status == 200
    expect(count).to_contain_text(f"Отмечено 2 из {n}")
    expect(radio(page, second, "present")).to_be_checked()
    assert page.evaluate("window.__marker") == 1

    # the rest in one go
    rest = page.get_by_role("button", name=re.compile(r"^Отметить остальных присутствующими"))
    expect(rest).to_have_text(f"Отметить остальных присутствующими ({n - 2})")
    with page.expect_response(lambda r: r.url.endswith(f"/sessions/{s.session_id}/attendance/mark-all")) as answer:
        rest.tap()
    assert answer.value.status == 200
    expect(count).to_contain_text(f"Отмечено {n} из {n}")
    expect(page.locator("#attendance")).to_contain_text(f"Отмечены присутствующими: {n - 2}")
    expect(rest).to_have_count(0)
    assert page.evaluate("window.__marker") == 1
    assert_fits(page)
    assert pending_marks(page, s.session_id) == []  # saved marks must not wait on the device to be resent

    # stored: a reload shows the same marks (and nothing waits to be sent)
    page.reload()
    expect(page.locator("#att-count")).to_contain_text(f"Отмечено {n} из {n}")
    expect(radio(page, first, "late")).to_be_checked()
    expect(radio(page, second, "present")).to_be_checked()
    for user_id in s.people[2:]:
        expect(radio(page, user_id, "present")).to_be_checked()
    stored = marks_of(server_db, s.session_id)
    assert stored == {first: ("late", "staff"), second: ("present", "staff"),
                      **{u: ("present", "bulk") for u in s.people[2:]}}, stored
    expect(page.locator("#att-offline")).to_be_hidden()
    assert_fits(page)
    shot(page, "att-a-marked-on-a-phone")
    console.assert_clean()


# -- b. the network drops while marking --------------------------------------------------------

def test_a_mark_made_offline_is_sent_when_the_network_is_back(new_context, on_now, server_db, console, shot):
    s = on_now(2)
    person = s.people[1]
    context = new_context(phone=True)
    page = context.new_page()
    login(page, LEADER)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(f"/sessions/{s.session_id}/attendance")
    banner = page.locator("#att-offline")
    expect(banner).to_be_hidden()
    page.evaluate("window.__marker = 1")

    context.set_offline(True)
    with page.expect_event("requestfailed"):
        row(page, person).locator("label.att-absent").tap()
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Не отправлено отметок: 1")
    expect(row(page, person)).to_contain_text("Не сохранено: нет связи с сервером")
    expect(radio(page, person, "absent")).to_be_checked()  # the tap is not lost on screen
    assert marks_of(server_db, s.session_id) == {}
    # no screenshot here: Playwright's caret hiding leaves style="" on every input, which htmx then
    # copies onto the swapped-in row (its attribute settling) and the CSP rightly reports

    # back online: the mark goes by itself, without a reload, and the banner goes away
    with page.expect_response(mark_response(s.session_id, person), timeout=20_000) as answer:
        context.set_offline(False)
    assert answer.value.status == 200
    expect(page.locator("#att-count")).to_contain_text(f"Отмечено 1 из {len(s.people)}")
    expect(radio(page, person, "absent")).to_be_checked()
    expect(row(page, person)).not_to_contain_text("Не сохранено")
    assert page.evaluate("window.__marker") == 1, "the resend reloaded the whole page"
    assert marks_of(server_db, s.session_id) == {person: ("absent", "staff")}
    expect(banner).to_be_hidden()
    assert pending_marks(page, s.session_id) == []

    page.reload()
    expect(radio(page, person, "absent")).to_be_checked()
    expect(page.locator("#att-offline")).to_be_hidden()
    assert pending_marks(page, s.session_id) == []
    shot(page, "att-b-back-online")
    errors = [e for e in console.unexpected() if not any(noise in e for noise in OFFLINE_NOISE)]
    assert not errors, "browser console errors / CSP violations:\n" + "\n".join(errors)


# -- c. QR self check-in -----------------------------------------------------------------------

def test_teacher_checks_in_by_the_qr_code_after_logging_in(new_context, on_now, server_db, console, shot):
    s = on_now(2)
    teacher = s.people[0]
    screen = new_context().new_page()
    login(screen, LEADER)
    expect(screen).to_have_url(re.compile(r"/$"))
    screen.goto(f"/sessions/{s.session_id}/attendance")
    screen.get_by_role("link", name="Экран QR-отметки").click()
    expect(screen).to_have_url(re.compile(rf"/sessions/{s.session_id}/checkin-screen$"))
    code = screen.locator("#checkin-code")
    expect(code.locator("svg")).to_have_count(1)
    expect(code.locator("svg")).to_be_visible()
    expect(code).to_contain_text(f"Отметились: 0 из {len(s.people)}")
    link = code.get_attribute("data-checkin-url")
    assert link and re.search(r"/checkin/[\w.\-]+$", link), link
    caption = code.locator(".checkin-link").inner_text()
    assert caption.endswith("…") and link.split("://", 1)[1].startswith(caption[:-1]), (caption, link)
    shot(screen, "att-c-screen")

    # her phone, not logged in: the link → the login page → «Вы отмечены»
    phone = new_context(phone=True).new_page()
    phone.goto(link)
    expect(phone).to_have_url(re.compile(r"/login\?next=%2Fcheckin%2Fcomplete$|/login\?next=/checkin/complete$"))
    expect(phone.locator("main")).to_contain_text(f"Войдите, чтобы отметиться на мероприятии «{s.title}»")
    login(phone, s.email)
    expect(phone).to_have_url(re.compile(r"/checkin/complete$"))
    expect(phone.locator("h1")).to_contain_text("Вы отмечены")
    expect(phone.locator("main")).to_contain_text(s.title)
    assert_fits(phone)
    assert marks_of(server_db, s.session_id) == {teacher: ("late", "qr")}  # half an hour after the start
    shot(phone, "att-c-checked-in")

    # the screen counts her (at its next refresh; a reload rather than waiting 30 seconds)
    screen.reload()
    expect(screen.locator("#checkin-code")).to_contain_text(f"Отметились: 1 из {len(s.people)}")
    console.assert_clean()
