"""User journeys in a real browser: Chromium against a live server with the demo data.

Each test is what one person does, asserted on what they would see (the Russian texts of the
templates). Every journey also checks the browser console: the CSP allows no inline script or
style, so a violation, a JavaScript error or an htmx error shows up there.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo12345"  # webapp/demo/seed.py


def cards(page):
    return page.locator("#plan-results article.card")


def login(page, email: str, password: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Войти").click()


HISTORY_FILTER_BUG = (
    "App bug: after the browser's Back button the filter form shows «Формат: Все» while the URL "
    "and the results are for delivery=online. htmx restores its history snapshot (innerHTML), which "
    "keeps the <option selected> attributes rendered at page load, not the values chosen since; the "
    "filter form in templates/plan/index.html is outside the swapped #plan-results, so nothing "
    "re-renders it. The next change of any filter then silently drops delivery=online.")


# -- 1. a visitor ------------------------------------------------------------------------------

def test_visitor_filters_the_plan_and_opens_a_session(page, console, shot):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("План сетевых мероприятий")
    expect(cards(page).first).to_be_visible()
    total = cards(page).count()
    page.evaluate("window.__marker = 1")  # a full page load would lose it

    # Формат → Дистанционно: htmx swaps the results and pushes the URL, no reload.
    with page.expect_response(lambda r: "delivery=online" in r.url and r.request.headers.get("hx-request")):
        page.select_option("#f-delivery", label="Дистанционно")
    expect(page).to_have_url(re.compile(r"delivery=online"))
    expect(page.locator("#plan-results .count")).to_contain_text("Найдено мероприятий")
    assert page.evaluate("window.__marker") == 1, "the filter reloaded the whole page"
    online = cards(page)
    expect(online.first).to_be_visible()
    n_online = online.count()
    assert 0 < n_online <= total
    for i in range(n_online):
        expect(online.nth(i).locator(".where .badge")).to_have_text("онлайн")

    # Search narrows the list further (debounced input, still no reload).
    with page.expect_response(lambda r: "q=" in r.url and r.request.headers.get("hx-request")):
        page.fill("#f-q", "Вебинар")
    expect(page).to_have_url(re.compile(r"q=%D0%92%D0%B5%D0%B1%D0%B8%D0%BD%D0%B0%D1%80|q=Вебинар"))
    expect(cards(page)).not_to_have_count(n_online)
    n_found = cards(page).count()
    assert 0 < n_found < n_online
    for i in range(n_found):
        expect(cards(page).nth(i).locator(".where .badge")).to_have_text("онлайн")
    expect(cards(page).locator("h3", has_text="Вебинар").first).to_be_visible()
    assert page.evaluate("window.__marker") == 1

    # Back: the previous state (online, no search) comes back.
    page.go_back()
    expect(page).to_have_url(re.compile(r"delivery=online"))
    expect(page).not_to_have_url(re.compile(r"q=\w"))
    expect(cards(page)).to_have_count(n_online)
    expect(page.locator("#f-q")).to_have_value("")
    known_bugs = []
    if page.locator("#f-delivery").input_value() != "online":
        known_bugs.append(HISTORY_FILTER_BUG)

    # The first session's page.
    first = cards(page).first.locator("h3 a")
    title = first.inner_text().strip()
    first.click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("dl.facts dt", has_text="Когда")).to_be_visible()
    expect(page.locator("dl.facts dt", has_text="Формат")).to_be_visible()
    expect(page.get_by_role("heading", name="Материалы")).to_be_visible()

    # The calendar view: a month grid.
    page.goto("/")
    page.get_by_role("link", name="Календарь").click()
    expect(page).to_have_url(re.compile(r"view=calendar"))
    calendar = page.locator("table.calendar")
    expect(calendar).to_be_visible()
    expect(calendar.locator("thead th")).to_have_text(["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"])
    assert calendar.locator("tbody tr").count() >= 4
    shot(page, "1-visitor-calendar")
    console.assert_clean()
    if known_bugs:
        pytest.xfail(" ".join(known_bugs))


# -- 2. a teacher signs up ---------------------------------------------------------------------

LIVE_PICKER_BUG = (
    "App bug 1: the live organization picker on /signup shows nothing. templates/accounts/_org_picker.html "
    "sends the typed text as `org_q` (the input's name) but webapp/orgs/routes.py search() reads "
    "request.args['q']; and the input inherits hx-select=\"#signup-form\" and hx-disabled-elt from "
    "edit_form() in templates/_macros/forms.html, so the swapped-in options are selected away "
    "(#org-options is replaced by nothing) and htmx logs «The selector \"find button[type=submit]\" "
    "on hx-disabled-elt returned no matches!».")
LOST_ORG_BUG = (
    "App bug 2 (blocks sign-up in a browser): the chosen organization is lost on every submit. "
    "form.hidden_tag() in edit_form() (templates/_macros/forms.html) renders the SignupForm's "
    "HiddenField organization_id (webapp/accounts/forms.py, ProfileFieldsMixin) as "
    "<input type=hidden name=organization_id value=\"\"> before the picker's radios of the same name; "
    "the browser posts both and WTForms takes the first, empty, value, so /signup always answers "
    "«Выберите организацию из списка.» (the same applies to /profile).")


def signup_picks(page):
    return page.locator("#signup-form label.pick")


def test_teacher_signs_up_logs_out_and_logs_in(page, console, shot):
    known_bugs = []
    email = f"teacher-{uuid.uuid4().hex[:10]}@example.org"
    password = "sekret-pass-42"
    page.goto("/signup")
    expect(page.get_by_role("heading", level=1)).to_have_text("Регистрация педагога")
    page.get_by_label("Фамилия").fill("Смирнова")
    page.get_by_label("Имя", exact=True).fill("Ольга")
    page.get_by_label("Отчество").fill("Петровна")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Должность").fill("Учитель математики")

    # The organization picker: type, htmx brings the options, choose one.
    with page.expect_response(lambda r: "/organizations/search" in r.url) as search:
        page.locator("#org_q").press_sequentially("СОШ", delay=30)
    search.value.finished()
    picks = signup_picks(page)
    console.allow_status(422)
    try:
        expect(picks.first).to_be_visible(timeout=3_000)
    except AssertionError:
        known_bugs.append(LIVE_PICKER_BUG)
        console.allow_known("on hx-disabled-elt returned no matches")
        # The no-JS path: submitting shows the matches for what was typed (422, fields kept).
        page.get_by_role("button", name="Зарегистрироваться").click()
        expect(page.locator("#err-org_q")).to_have_text("Выберите организацию из списка.")
        expect(picks.first).to_be_visible()
    choice = picks.first
    org_name = choice.inner_text().split("\n")[0].strip()
    choice.click()
    expect(choice.locator("input[type=radio]")).to_be_checked()

    page.get_by_label("Пароль", exact=True).fill(password)
    page.get_by_label("Пароль ещё раз").fill(password)

    # First without consent: a 422 in place, everything typed kept.
    with page.expect_response(lambda r: r.url.endswith("/signup") and r.request.method == "POST") as first:
        page.get_by_role("button", name="Зарегистрироваться").click()
    assert first.value.status == 422
    expect(page.locator("#err-consent")).to_have_text(
        "Без согласия на обработку персональных данных регистрация невозможна.")
    expect(page.locator(".form-errors")).to_contain_text("согласи")
    expect(page).to_have_url(re.compile(r"/signup$"))
    expect(page.get_by_label("Фамилия")).to_have_value("Смирнова")
    expect(page.get_by_label("Имя", exact=True)).to_have_value("Ольга")
    expect(page.get_by_label("Отчество")).to_have_value("Петровна")
    expect(page.get_by_label("Электронная почта")).to_have_value(email)
    expect(page.get_by_label("Должность")).to_have_value("Учитель математики")
    if page.locator("#err-org_q").count():
        known_bugs.append(LOST_ORG_BUG)
        shot(page, "2-teacher-signup-blocked")
        pytest.xfail(" ".join(known_bugs))
    chosen = picks.filter(has=page.locator("input:checked"))
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text(org_name)

    # Consent ticked: signed up, signed in, back on the plan.
    page.get_by_label("Пароль", exact=True).fill(password)
    page.get_by_label("Пароль ещё раз").fill(password)
    page.get_by_label(re.compile("Даю согласие")).check()
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".flash")).to_contain_text("Учётная запись создана")
    nav = page.locator("nav.nav")
    expect(nav.get_by_role("link", name="Смирнова О. П.")).to_be_visible()

    # Log out, then back in with the same credentials.
    nav.get_by_role("button", name="Выйти").click()
    expect(page.locator(".flash")).to_contain_text("Вы вышли из системы.")
    expect(nav.get_by_role("link", name="Войти")).to_be_visible()
    login(page, email, password)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".flash")).to_contain_text("Здравствуйте, Ольга!")
    expect(nav.get_by_role("link", name="Смирнова О. П.")).to_be_visible()
    shot(page, "2-teacher-signed-up")
    console.assert_clean()
    if known_bugs:
        pytest.xfail(" ".join(known_bugs))


def test_teacher_logs_in_out_and_mistypes_password(page, console, shot):
    """The login half of journey 2 with a demo teacher: runs even while sign-up is broken."""
    nav = page.locator("nav.nav")
    console.allow_status(422)  # a wrong password answers 422 with the message in place

    # A wrong password: a message in place, no hint which part was wrong, the email kept.
    login(page, "teacher@demo.local", "not-the-password")
    expect(page.locator("#err-password")).to_have_text("Неверная электронная почта или пароль.")
    expect(page.get_by_label("Электронная почта")).to_have_value("teacher@demo.local")
    expect(page).to_have_url(re.compile(r"/login$"))

    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator(".flash")).to_contain_text("Здравствуйте, Полина!")
    expect(nav.get_by_role("link", name="Соколова П. А.")).to_be_visible()
    expect(nav.get_by_role("link", name="Новое мероприятие")).to_have_count(0)  # a teacher creates nothing

    nav.get_by_role("button", name="Выйти").click()
    expect(page.locator(".flash")).to_contain_text("Вы вышли из системы.")
    expect(nav.get_by_role("link", name="Войти")).to_be_visible()
    expect(nav.get_by_role("link", name="Соколова П. А.")).to_have_count(0)

    login(page, "teacher@demo.local", DEMO_PASSWORD)
    expect(nav.get_by_role("link", name="Соколова П. А.")).to_be_visible()
    shot(page, "2b-teacher-logged-in")
    console.assert_clean()


# -- 3. a methodist creates a session ----------------------------------------------------------

def test_methodist_creates_a_session(page, console, shot):
    title = f"Семинар-практикум «Проверка e2e {uuid.uuid4().hex[:6]}»"
    login(page, "metodist@demo.local", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.locator("nav.nav").get_by_role("link", name="Новое мероприятие").click()
    expect(page).to_have_url(re.compile(r"/sessions/new$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Новое мероприятие")

    page.fill("#title", title)
    site_options = page.locator("#site_id option").filter(has_not_text="без площадки")
    assert site_options.count() > 0, "the methodist should see her municipality's sites"
    site_name = site_options.first.inner_text().strip()
    page.select_option("#site_id", label=site_name)
    page.fill("#start", "2027-03-12T10:00")
    page.fill("#end", "2027-03-12T09:00")

    # End before start: a 422 in place, the title kept.
    console.allow_status(422)
    with page.expect_response(lambda r: "/sessions/new" in r.url and r.request.method == "POST") as first:
        page.get_by_role("button", name="Сохранить").click()
    assert first.value.status == 422
    expect(page.locator("#err-end")).to_have_text("Окончание должно быть позже начала.")
    expect(page).to_have_url(re.compile(r"/sessions/new$"))
    expect(page.locator("#title")).to_have_value(title)
    expect(page.locator("#site_id option:checked")).to_have_text(site_name)

    page.fill("#end", "2027-03-12T13:00")
    page.fill("#capacity", "25")
    page.get_by_role("button", name="Сохранить").click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+$"))
    expect(page.locator(".flash")).to_contain_text("Мероприятие сохранено.")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("dl.facts")).to_contain_text("12 марта 2027, 10:00–13:00")
    expect(page.locator("#registration-panel")).to_contain_text("Свободно мест: 25 из 25")
    expect(page.locator("dl.facts")).to_contain_text(site_name)

    # It is in the public plan for March 2027.
    page.goto("/?year=2026&month=2027-03")
    expect(page.locator("#f-month")).to_have_value("2027-03")
    card = cards(page).filter(has=page.locator("h3", has_text=title))
    expect(card).to_have_count(1)
    expect(card.locator(".when")).to_contain_text("12 марта 2027, 10:00–13:00")
    expect(card.locator(".seats")).to_contain_text("Свободно мест: 25 из 25")
    shot(page, "3-methodist-session-in-plan")
    console.assert_clean()


# -- 4. a phone --------------------------------------------------------------------------------

def test_mobile_plan_fits_and_menu_opens(make_page, console, shot):
    page = make_page(width=360, height=740)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("План сетевых мероприятий")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"horizontal scrolling on a phone: the page is {width}px wide"

    nav_link = page.locator("nav.nav").get_by_role("link", name="Площадки")
    expect(nav_link).to_be_hidden()
    page.locator("label.nav-toggle-label", has_text="Меню").click()
    expect(nav_link).to_be_visible()
    expect(page.locator("nav.nav").get_by_role("link", name="Войти")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "4-mobile-menu")
    nav_link.click()
    expect(page).to_have_url(re.compile(r"/sites"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "4-mobile-sites")
    console.assert_clean()
