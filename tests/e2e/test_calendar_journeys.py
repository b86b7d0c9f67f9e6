"""Calendar journeys in a real browser: subscribing to a plan selection, one's own feed, a session's .ics.

Chromium against the live demo server of conftest.py. The feeds are fetched the way a calendar
application fetches them: plain HTTP GETs of the URL the page shows, without the browser's cookies.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo12345"  # webapp/demo/seed.py
TEACHER = "teacher@demo.local"
LEADER = "leader@demo.local"


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(r"/$"))


def fetch_calendar(playwright_request, url: str) -> tuple[int, Calendar | None, dict]:
    """GET a feed as a calendar app would: a fresh client, no cookies of the page."""
    response = playwright_request.get(url)
    body = response.body()
    parsed = Calendar.from_ical(body) if response.status == 200 else None
    return response.status, parsed, response.headers


@pytest.fixture
def api(browser, live_server):
    """A cookie-less HTTP client (a calendar application), separate from the pages' contexts."""
    from playwright.sync_api import sync_playwright  # noqa: F401  (the browser fixture started it)

    context = browser.new_context(base_url=live_server)
    yield context.request
    context.close()


def assert_fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page is wider than the screen: {scroll} > {width}"


def test_visitor_subscribes_to_a_municipality_selection(make_page, api, console, shot):
    page = make_page(width=390, height=844)
    page.goto("/")
    municipality = page.locator("#f-municipality")
    # the demo's network centre: sessions all year round, including the last 90 days
    option = municipality.locator("option", has_text="Тимашевский район")
    name, value = option.inner_text().strip(), option.get_attribute("value")
    with page.expect_response(lambda r: "municipality=" in r.url and r.request.headers.get("hx-request") == "true"):
        municipality.select_option(value)

    box = page.locator("#plan-subscribe")
    box.get_by_text("Подписаться на эту подборку").click()
    url_field = box.locator("#plan-feed-url")
    expect(url_field).to_be_visible()
    feed_url = url_field.input_value()
    parts = urlsplit(feed_url)
    assert parts.path == "/calendar/plan.ics"
    assert parse_qs(parts.query) == {"municipality": [value]}, "the feed carries the filters, not the year or page"
    webcal = box.get_by_role("link", name="Открыть в приложении «Календарь»")
    assert webcal.get_attribute("href") == "webcal://" + feed_url.split("://", 1)[1]
    expect(box).to_contain_text(f"План сетевых мероприятий: {name}")

    box.get_by_role("button", name="Копировать").click()
    expect(box.get_by_role("button", name=re.compile("Скопировано|Выделено"))).to_be_visible()
    box.get_by_text("Как подписаться: Google, Яндекс, Outlook, Apple").click()
    for client in ("Google Календарь", "Яндекс Календарь", "Outlook", "Apple (iPhone, Mac)"):
        expect(box.locator("dt", has_text=client)).to_be_visible()
    assert_fits(page, 390)
    shot(page, "cal-a-plan-subscribe")

    status, cal, headers = fetch_calendar(api, feed_url)
    assert status == 200 and headers["content-type"] == "text/calendar; charset=utf-8"
    assert str(cal["X-WR-CALNAME"]) == f"План сетевых мероприятий: {name}"
    events = cal.walk("VEVENT")
    assert events, "the municipality's feed has its sessions"
    # a calendar's next poll with the validator it got: 304, nothing re-sent
    again = api.get(feed_url, headers={"If-None-Match": headers["etag"]})
    assert again.status == 304 and again.body() == b""
    console.assert_clean()


def test_teacher_subscribes_sets_a_reminder_and_resets_her_link(make_page, api, console, shot):
    page = make_page()
    login(page, TEACHER)
    page.goto("/my/registrations")
    page.get_by_role("link", name="Подписаться на мои мероприятия в календаре").click()
    expect(page).to_have_url(re.compile(r"/calendar$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Календарь")
    card = page.locator("#feed-personal")
    expect(page.locator("#feed-leader")).to_have_count(0)  # a teacher leads no site
    old_url = card.locator("#feed-personal-url").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/calendar/my/[A-Za-z0-9_-]{54}\.ics", old_url), old_url

    status, cal, headers = fetch_calendar(api, old_url)
    assert status == 200 and "private" in headers["cache-control"]
    events = cal.walk("VEVENT")
    assert events, "the demo teacher is registered for sessions"
    assert not any(e.walk("VALARM") for e in events)

    # a reminder an hour before: saved, and in the feed at its next fetch
    card.get_by_label("Напоминание в календаре").select_option(label="за 1 час")
    card.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".flash-success")).to_contain_text("Напоминание сохранено")
    expect(page.locator("#feed-personal").get_by_label("Напоминание в календаре")).to_have_value("60")
    status, cal, headers = fetch_calendar(api, old_url)
    alarms = [a for e in cal.walk("VEVENT") for a in e.walk("VALARM")]
    assert alarms and all(str(a["TRIGGER"].to_ical().decode()) == "-PT1H" for a in alarms)
    etag = headers["etag"]
    assert api.get(old_url, headers={"If-None-Match": etag}).status == 304  # her calendar's next poll

    # the link leaked: reset it (after a confirmation); the old one is dead, the new one works
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#feed-personal").get_by_role("button", name="Сбросить ссылку").click()
    expect(page.locator(".flash-success")).to_contain_text("Ссылка сброшена")
    new_url = page.locator("#feed-personal-url").input_value()
    assert new_url != old_url
    assert api.get(old_url).status == 404
    assert api.get(old_url, headers={"If-None-Match": etag}).status == 404  # a poll too: no «nothing changed»
    status, cal, _ = fetch_calendar(api, new_url)
    assert status == 200 and cal.walk("VEVENT")
    shot(page, "cal-b-teacher-feed")
    console.assert_clean()


def test_leader_sees_her_sites_feed_on_a_phone(make_page, api, console, shot):
    page = make_page(width=360, height=740)
    login(page, LEADER)
    page.goto("/calendar")
    leader_card = page.locator("#feed-leader")
    expect(leader_card.get_by_role("heading", name="Мероприятия моих площадок")).to_be_visible()
    url = leader_card.locator("#feed-leader-url").input_value()
    assert "/calendar/sites/" in url
    assert_fits(page, 360)
    status, cal, _ = fetch_calendar(api, url)
    assert status == 200 and cal.walk("VEVENT"), "the demo leader's sites have sessions"
    # the bad choice a tampered form could send: a Russian message, nothing lost
    page.evaluate("""() => { const o = document.createElement('option'); o.value = '7'; o.text = '7';
                             document.querySelector('#leader-alarm').append(o); }""")
    console.allow_status(422)
    leader_card.get_by_label("Напоминание в календаре").select_option("7")
    with page.expect_response(lambda r: r.url.endswith("/calendar/leader/alarm")) as answer:
        leader_card.get_by_role("button", name="Сохранить").click()
    assert answer.value.status == 422
    expect(page.locator("#feed-leader .error")).to_be_visible()
    expect(page.locator("#feed-leader-url")).to_have_value(url)
    shot(page, "cal-c-leader-phone")
    console.assert_clean()


def test_session_page_offers_ics_and_google_calendar(page, api, console):
    page.goto("/")
    first = page.locator("#plan-results ol.cards a").first
    first.click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+$"))
    session_id = int(page.url.rsplit("/", 1)[1])
    title = page.get_by_role("heading", level=1).inner_text().strip()

    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать в календарь (.ics)").click()
    assert download.value.suggested_filename == f"event-{session_id}.ics"
    cal = Calendar.from_ical(open(download.value.path(), "rb").read())
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]).startswith(f"session-{session_id}@")
    assert str(event["SUMMARY"]) == title

    google = page.get_by_role("link", name="Добавить в Google Календарь")
    href = google.get_attribute("href")
    parts = urlsplit(href)
    assert parts.netloc == "calendar.google.com"
    query = parse_qs(parts.query)
    assert query["action"] == ["TEMPLATE"] and query["text"] == [title]
    start = event["DTSTART"].dt.astimezone(__import__("datetime").timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    assert query["dates"][0].startswith(start + "/")
    assert google.get_attribute("target") == "_blank"
    console.assert_clean()
