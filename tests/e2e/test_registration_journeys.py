"""Registration journeys in a real browser: registering, «Мои мероприятия», the roster, nomination.

Chromium against the live demo server of conftest.py (real CSRF in htmx headers, the CSP of
production). The sessions are chosen from the server's own database by the rules the panel
applies (webapp.registration.services), so the journeys do not depend on the date the demo
data was loaded on nor on what the other journeys registered before.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo12345"  # webapp/demo/seed.py
TEACHER = "teacher@demo.local"
LEADER = "leader@demo.local"
COORDINATOR = "coordinator@demo.local"


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(r"/$"))


def panel(page):
    return page.locator("#registration-panel")


# -- the server's database -------------------------------------------------------------------

@pytest.fixture
def server_db(e2e_app):
    """server_db(): a context with the live server's database session (closed on exit, so the
    server's writers are never kept waiting by a read left open here)."""
    from webapp.extensions import db

    @contextmanager
    def opened():
        with e2e_app.app_context():
            yield db.session

    return opened


def _upcoming_sessions(session):
    """Sessions ahead (a day's margin: the window closes at the start), of published plans or none."""
    from datetime import timedelta

    from webapp.dbtypes import utcnow
    from webapp.plan.models import Plan, PlanItem, PlanStatus
    from webapp.sessions.models import EventSession

    return session.scalars(
        sa.select(EventSession).outerjoin(PlanItem, EventSession.plan_item_id == PlanItem.id)
        .outerjoin(Plan, PlanItem.plan_id == Plan.id)
        .where(EventSession.start_dt > utcnow() + timedelta(days=1),
               sa.or_(EventSession.plan_item_id.is_(None), Plan.status == PlanStatus.PUBLISHED))
        .order_by(EventSession.start_dt, EventSession.id)).all()


def _user(session, email: str):
    from webapp.accounts.models import User

    return session.scalar(sa.select(User).where(User.email == email))


def session_to_register(server_db, email: str) -> tuple[int, str]:
    """The first upcoming session whose panel offers this person «Зарегистрироваться» (a free seat,
    no approval, nothing in her way), where she has never registered."""
    from webapp.registration import services

    with server_db() as session:
        user = _user(session, email)
        for s in _upcoming_sessions(session):
            if services.registration_of(s.id, user) is not None:
                continue
            p = services.panel_for(s, user)
            if p.can_register and p.action_label == "Зарегистрироваться" and (s.free_seats is None or s.free_seats > 1):
                return s.id, s.title
    pytest.fail(f"the demo data has no upcoming session {email} could register for")


def registrations_of(server_db, session_id: int, email: str) -> tuple[list[str], int, int]:
    """Her registrations for the session (statuses), their history rows, the e-mails about it."""
    from webapp.mail.models import OutboxMessage
    from webapp.registration.models import Registration, RegistrationChange
    from webapp.sessions.models import EventSession

    with server_db() as session:
        user = _user(session, email)
        regs = session.scalars(sa.select(Registration).where(
            Registration.session_id == session_id, Registration.user_id == user.id)).all()
        changes = session.scalar(sa.select(sa.func.count()).select_from(RegistrationChange).where(
            RegistrationChange.registration_id.in_([r.id for r in regs]))) if regs else 0
        title = session.get(EventSession, session_id).title
        mails = session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.recipient == email, OutboxMessage.subject.contains(title)))
        return [r.status.value for r in regs], changes, mails


def open_from_the_plan(page, session_id: int) -> None:
    """Find the session's card in the plan (the upcoming list, page by page) and open it."""
    for number in range(1, 21):
        page.goto(f"/?page={number}")
        link = page.locator(f'#plan-results article.card h3 a[href="/sessions/{session_id}"]')
        if link.count():
            link.click()
            expect(page).to_have_url(re.compile(rf"/sessions/{session_id}$"))
            return
        if not page.locator("#plan-results nav.pagination a[rel=next]").count():
            break
    pytest.fail(f"session {session_id} is not in the plan's upcoming list")


def assert_fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"horizontal scrolling on a phone: the page is {scroll}px wide"


# -- a. a teacher registers on her phone, then cancels in «Мои мероприятия» ------------------

def test_teacher_registers_on_a_phone_and_cancels(make_page, server_db, console, shot):
    session_id, title = session_to_register(server_db, TEACHER)
    page = make_page(width=360, height=740)
    login(page, TEACHER)
    open_from_the_plan(page, session_id)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    url = page.url
    page.evaluate("window.__marker = 1")  # a full page load would lose it

    button = panel(page).get_by_role("button", name="Зарегистрироваться")
    button.scroll_into_view_if_needed()
    expect(button).to_be_visible()
    expect(button).to_be_enabled()
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, f"the button is off the screen: {box}"
    assert box["height"] >= 32, f"the button is too small to tap: {box}"
    assert_fits(page, 360)
    with page.expect_response(lambda r: r.url.endswith(f"/sessions/{session_id}/register")) as answer:
        button.click()
    assert answer.value.status == 200 and answer.value.request.headers.get("hx-request") == "true"

    # the panel changed in place: no reload, same address, the message and the new state
    expect(panel(page)).to_contain_text("Вы зарегистрированы")
    expect(panel(page).locator(".my-status .badge")).to_have_text("Подтверждена")
    expect(panel(page).get_by_role("button", name="Отменить регистрацию")).to_be_visible()
    assert page.url == url
    assert page.evaluate("window.__marker") == 1, "registering reloaded the whole page"
    assert_fits(page, 360)
    shot(page, "reg-a-registered")

    # «Мои мероприятия» from the phone menu
    menu_link = page.locator("nav.nav").get_by_role("link", name="Мои мероприятия")
    expect(menu_link).to_be_hidden()
    page.locator("label.nav-toggle-label", has_text="Меню").click()
    expect(menu_link).to_be_visible()
    menu_link.click()
    expect(page).to_have_url(re.compile(r"/my/registrations$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои мероприятия")
    card = page.locator("#my-registrations li.card").filter(
        has=page.get_by_role("link", name=title, exact=True))
    expect(card).to_have_count(1)
    expect(card.locator(".badge")).to_have_text("Подтверждена")
    assert_fits(page, 360)

    # cancel: the confirm dialog (data-confirm) is accepted, the list changes in place
    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.evaluate("window.__marker = 2")
    with page.expect_response(lambda r: "/cancel" in r.url) as answer:
        card.get_by_role("button", name="Отменить").click()
    assert answer.value.status == 200
    assert dialogs and dialogs[0].startswith("Отменить регистрацию на «"), dialogs
    expect(page.locator("#my-registrations")).to_contain_text("Регистрация отменена")
    expect(card.locator(".badge")).to_have_text("Отменена")
    expect(card.get_by_role("button", name="Отменить")).to_have_count(0)
    assert page.evaluate("window.__marker") == 2, "cancelling reloaded the whole page"
    assert registrations_of(server_db, session_id, TEACHER)[0] == ["cancelled"]
    shot(page, "reg-a-cancelled")
    console.assert_clean()


# -- b. an impatient double click -------------------------------------------------------------

def test_double_click_registers_once(make_page, server_db, console, shot):
    session_id, _ = session_to_register(server_db, TEACHER)
    page = make_page()
    login(page, TEACHER)
    page.goto(f"/sessions/{session_id}")
    button = panel(page).get_by_role("button", name="Зарегистрироваться")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and r.url.endswith("/register") else None)
    button.dblclick()
    expect(panel(page)).to_contain_text("Вы зарегистрированы")
    page.wait_for_timeout(500)  # a second request, had one gone out, would have answered by now

    expect(panel(page).locator(".my-status .badge")).to_have_count(1)
    expect(panel(page).locator(".my-status .badge")).to_have_text("Подтверждена")
    expect(panel(page).locator(".notice.danger")).to_have_count(0)
    statuses, changes, mails = registrations_of(server_db, session_id, TEACHER)
    assert statuses == ["confirmed"] and changes == 1, (statuses, changes)
    assert mails == 1, f"{mails} confirmation e-mails for one registration"
    assert len(posts) == 1, f"the double click sent {len(posts)} registrations"
    page.reload()
    expect(panel(page).locator(".my-status .badge")).to_have_text("Подтверждена")
    shot(page, "reg-b-double-click")
    console.assert_clean()


# -- c. a site leader opens the roster and downloads it ---------------------------------------

def leaders_session_with_registrants(server_db) -> tuple[int, list[str]]:
    """Her upcoming session with the most active registrations, and the names of everyone who
    ever registered there (the roster lists the cancelled too)."""
    from webapp.accounts.models import Role, User
    from webapp.registration.models import ACTIVE_STATUSES, Registration

    with server_db() as session:
        leader = _user(session, LEADER)
        sites = leader.scope_ids(Role.SITE_LEADER)
        best = None
        for s in _upcoming_sessions(session):
            if s.site_id not in sites:
                continue
            rows = session.execute(
                sa.select(User.last_name + " " + User.first_name, Registration.status)
                .join(Registration, Registration.user_id == User.id).where(Registration.session_id == s.id)).all()
            active = sum(1 for _, status in rows if status in ACTIVE_STATUSES)
            if active and (best is None or active > best[2]):
                best = (s.id, [name for name, _ in rows], active)
    if best is None:
        pytest.fail("the demo data has no upcoming session of leader@demo.local with registrants")
    return best[0], best[1]


def test_site_leader_opens_the_roster_and_downloads_csv(page, server_db, console, shot):
    session_id, names = leaders_session_with_registrants(server_db)
    login(page, LEADER)
    page.goto(f"/sessions/{session_id}")
    panel(page).get_by_role("link", name="Список участников").click()
    expect(page).to_have_url(re.compile(rf"/sessions/{session_id}/roster$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Список участников")
    roster = page.locator("#roster")
    expect(roster.locator(".roster-counts")).to_contain_text(f"Всего: {len(names)}")
    for name in names:
        expect(roster).to_contain_text(name)

    with page.expect_download() as download:
        roster.get_by_role("link", name="CSV").click()
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf"), "no BOM: Excel would show the Cyrillic as mojibake"
    lines = data.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[0] == "ФИО" and "Статус" in header, header
    assert len(lines) == 1 + len(names), lines
    assert download.value.suggested_filename.endswith(".csv")
    for name in names:
        assert any(line.startswith(name) for line in lines[1:]), (name, lines)
    shot(page, "reg-c-roster")
    console.assert_clean()


# -- d. a school coordinator nominates two colleagues -----------------------------------------

def session_for_nomination(server_db) -> tuple[int, list[str]]:
    """An upcoming session open to her school with two free seats, and two colleagues to nominate."""
    from webapp.accounts.models import User
    from webapp.registration import services
    from webapp.sessions.models import ApprovalMode

    with server_db() as session:
        coordinator = _user(session, COORDINATOR)
        colleagues = session.scalars(
            sa.select(User).where(User.organization_id == coordinator.organization_id, User.is_active,
                                  User.id != coordinator.id).order_by(User.last_name, User.first_name)).all()
        for s in _upcoming_sessions(session):
            if (s.approval != ApprovalMode.NONE or services.registration_closed_reason(s)
                    or (s.free_seats is not None and s.free_seats < 2)):
                continue
            free = [c for c in colleagues if services.registration_of(s.id, c) is None
                    and services.not_allowed_reason(s, c, nominated=True) is None]
            if len(free) >= 2:
                return s.id, [c.full_name for c in free[:2]]
    pytest.fail("the demo data has no upcoming session for nominating two colleagues of coordinator@demo.local")


def test_coordinator_nominates_two_colleagues(page, server_db, console, shot):
    session_id, people = session_for_nomination(server_db)
    login(page, COORDINATOR)
    page.goto(f"/sessions/{session_id}")
    panel(page).get_by_role("link", name="Выдвинуть коллег").click()
    expect(page).to_have_url(re.compile(rf"/sessions/{session_id}/nominate"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Выдвинуть коллег")
    for name in people:
        box = page.get_by_label(name)
        box.check()
        expect(box).to_be_checked()
    page.get_by_role("button", name="Выдвинуть отмеченных").click()

    expect(page).to_have_url(re.compile(rf"/sessions/{session_id}/nominate\?org=\d+$"))
    expect(page.locator(".flash-success")).to_contain_text("Выдвинуто: 2 из 2")
    expect(page.locator(".flash-error")).to_have_count(0)
    listed = page.locator("#nominate-people li")
    for name in people:
        row = listed.filter(has_text=name)
        expect(row.locator(".badge")).to_have_text("Подтверждена")
        expect(row.locator("input[type=checkbox]")).to_have_count(0)  # cannot be nominated twice
    shot(page, "reg-d-nominated")
    console.assert_clean()
