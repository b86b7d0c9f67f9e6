"""The plan fulfilment report: plan items by status and sessions held, to come, moved and
cancelled — by direction, site and month — the items without a session, the page and its htmx
fragment, who may read it, bad filters, empty data, the Excel export and constant query counts.

The scenario (academic year 2026/27, «now» 15 January 2027 for the service): municipality A with
a published plan of four items (held in October, planned all year, cancelled in December, moved
to April–May), sessions held in October and on the night of 31 October → 1 November (Moscow:
November; moved once), cancelled in December and planned in February; a draft plan's item and
session, municipality B's plan and session, and a session before the period — none of which
A's report counts.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from conftest import HX, count_queries, text_of
from openpyxl import load_workbook

from webapp.accounts.models import Role
from webapp.audit.models import AuditEntry
from webapp.plan.models import ItemStatus, PlanStatus
from webapp.reports import fulfilment as service
from webapp.reports.cache import ReportCache, report_cache
from webapp.reports.scope import ReportFilters
from webapp.sessions.models import SessionStatus
from webapp.taxonomy.models import Direction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOW = datetime(2027, 1, 15, 12, 0, tzinfo=timezone.utc)
START, END = date(2026, 9, 1), date(2027, 8, 31)
PERIOD = "from=2026-09-01&to=2027-08-31"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def w(make, db):
    w = SimpleNamespace()
    w.a = make.municipality(name="Павловский район")
    w.b = make.municipality(name="Кореновский район")
    w.empty = make.municipality(name="Новый район")
    w.d1 = Direction(name="Молодые педагоги и наставничество", position=1)
    w.d2 = Direction(name="Предметные компетенции", position=2)
    db.session.add_all([w.d1, w.d2])
    w.site = make.site(organization=make.organization(municipality=w.a, name="Гимназия № 2"), name="Гимназия № 2")
    w.site2 = make.site(organization=make.organization(municipality=w.a, name="Лицей № 5"), name="Лицей № 5")
    w.site_b = make.site(organization=make.organization(municipality=w.b), name="Площадка Б")
    w.plan = make.plan(municipality=w.a, title="План ТМС 2026/27", period_start=START, period_end=END)
    w.draft = make.plan(municipality=w.a, title="Черновик", period_start=START, period_end=END,
                        status=PlanStatus.DRAFT)
    w.plan_b = make.plan(municipality=w.b, title="План Б", period_start=START, period_end=END)
    w.i_held = make.item(plan=w.plan, number="1.1", title="Семинар наставников", direction_id=w.d1.id,
                         site=w.site, status=ItemStatus.HELD, timing_text="Октябрь 2026",
                         period_start=date(2026, 10, 1), period_end=date(2026, 10, 31))
    w.i_year = make.item(plan=w.plan, number="1.2", title="Консультации по запросам", direction_id=w.d1.id,
                         timing_text="В течение учебного года", period_start=START, period_end=END)
    w.i_cancelled = make.item(plan=w.plan, number="2.1", title="Круглый стол", direction_id=w.d2.id, site=w.site,
                              status=ItemStatus.CANCELLED, timing_text="Декабрь 2026",
                              period_start=date(2026, 12, 1), period_end=date(2026, 12, 31))
    w.i_moved = make.item(plan=w.plan, number="2.2", title="Фестиваль открытых уроков", direction_id=w.d2.id,
                          site=w.site2, status=ItemStatus.MOVED, timing_text="Апрель–май, ежегодно",
                          period_start=date(2027, 4, 1), period_end=date(2027, 5, 31))
    w.i_draft = make.item(plan=w.draft, number="1", title="Черновой пункт")
    w.i_b = make.item(plan=w.plan_b, number="1", title="Пункт Б")
    w.s_oct = make.session(site=w.site, start=utc(2026, 10, 10, 7), plan_item=w.i_held, direction_id=w.d1.id)
    # 01:00 on 1 November in Moscow: a November session
    w.s_nov = make.session(site=w.site, start=utc(2026, 10, 31, 22), direction_id=w.d1.id)
    db.session.add(AuditEntry(object_type="session", object_id=w.s_nov.id, action="moved", changes={}))
    db.session.add(AuditEntry(object_type="session", object_id=w.s_nov.id, action="moved", changes={}))
    w.s_dec = make.session(site=w.site2, start=utc(2026, 12, 3, 7), plan_item=w.i_moved, direction_id=w.d2.id,
                           status=SessionStatus.CANCELLED)
    w.s_feb = make.session(site=w.site, start=utc(2027, 2, 10, 7), direction_id=w.d2.id)
    w.s_draft = make.session(site=w.site, start=utc(2026, 10, 12, 7), plan_item=w.i_draft)
    w.s_b = make.session(site=w.site_b, start=utc(2026, 10, 12, 7), plan_item=w.i_b)
    w.s_before = make.session(site=w.site, start=utc(2026, 8, 20, 7))
    # an unrelated audit entry for another object type with the same id must not mark anything moved
    db.session.add(AuditEntry(object_type="plan_item", object_id=w.s_feb.id, action="moved", changes={}))
    w.methodist = make.user(Role.METHODIST, scope=w.a, email="methodist-a@example.org")
    w.methodist_b = make.user(Role.METHODIST, scope=w.b, email="methodist-b@example.org")
    w.methodist_new = make.user(Role.METHODIST, scope=w.empty, email="methodist-new@example.org")
    w.admin = make.user(Role.ADMIN, email="admin@example.org")
    db.session.commit()
    return w


def filters(w, **kw) -> ReportFilters:
    return ReportFilters(**{"start": START, "end": END, "scope_ids": (w.a.id,), **kw})


def counts(c) -> tuple:
    return c.planned, c.held, c.moved, c.cancelled


# -- the service -------------------------------------------------------------------------------

def test_totals_count_items_by_status_and_sessions_by_what_happened(w):
    r = service.report(filters(w), now=NOW)
    assert counts(r.items) == (1, 1, 1, 1) and r.items.total == 4
    # held: October and November; planned: February; cancelled: December; the November one was moved
    assert counts(r.sessions) == (1, 2, 1, 1) and r.sessions.total == 4
    assert r.sessions.held_share == 50.0


def test_by_direction_in_taxonomy_order(w):
    rows = service.report(filters(w), now=NOW).by_direction
    assert [r.label for r in rows] == [w.d1.name, w.d2.name]
    d1, d2 = rows
    assert counts(d1.items) == (1, 1, 0, 0) and counts(d1.sessions) == (0, 2, 1, 0)
    assert counts(d2.items) == (0, 0, 1, 1) and counts(d2.sessions) == (1, 0, 0, 1)


def test_by_site_with_items_without_a_site_last(w):
    page = service.report(filters(w), now=NOW).by_site
    assert page.total == 3
    assert [r.label for r in page.items] == ["Гимназия № 2", "Лицей № 5", service.NO_SITE]
    gym, lyceum, none = page.items
    assert counts(gym.items) == (0, 1, 0, 1) and counts(gym.sessions) == (1, 2, 1, 0)
    assert counts(lyceum.items) == (0, 0, 1, 0) and counts(lyceum.sessions) == (0, 0, 0, 1)
    assert counts(none.items) == (1, 0, 0, 0) and none.sessions.total == 0


def test_by_month_lists_every_academic_month_in_moscow_time(w):
    rows = service.report(filters(w), now=NOW).by_month
    assert [r.label for r in rows] == [
        "Сентябрь 2026", "Октябрь 2026", "Ноябрь 2026", "Декабрь 2026", "Январь 2027", "Февраль 2027",
        "Март 2027", "Апрель 2027", "Май 2027", "Июнь 2027", "Июль 2027", "Август 2027", service.NO_MONTH]
    by = {r.label: r for r in rows}
    assert counts(by["Октябрь 2026"].items) == (0, 1, 0, 0) and by["Октябрь 2026"].sessions.held == 1
    # 22:00 UTC on 31 October is 01:00 on 1 November in Moscow
    assert by["Ноябрь 2026"].sessions.held == 1 and by["Ноябрь 2026"].sessions.moved == 1
    assert by["Декабрь 2026"].items.cancelled == 1 and by["Декабрь 2026"].sessions.cancelled == 1
    assert by["Февраль 2027"].sessions.planned == 1
    # «Апрель–май»: the month its timing starts; «В течение учебного года»: no month of its own
    assert by["Апрель 2027"].items.moved == 1 and by["Май 2027"].items.total == 0
    assert by[service.NO_MONTH].items.planned == 1
    assert by["Сентябрь 2026"].is_empty


def test_items_without_a_session(w):
    page = service.report(filters(w), now=NOW).without_session
    # the cancelled item needs none; the moved item's only session was cancelled
    assert [(i.number, i.title, i.timing_text, i.plan_title) for i in page.items] == [
        ("1.2", "Консультации по запросам", "В течение учебного года", "План ТМС 2026/27"),
        ("2.2", "Фестиваль открытых уроков", "Апрель–май, ежегодно", "План ТМС 2026/27")]
    assert page.total == 2


def test_site_and_direction_filters(w):
    r = service.report(filters(w, site_id=w.site.id), now=NOW)
    assert r.items.total == 2 and r.sessions.total == 3
    r = service.report(filters(w, direction_id=w.d2.id), now=NOW)
    assert counts(r.items) == (0, 0, 1, 1) and counts(r.sessions) == (1, 0, 0, 1)


def test_network_view_counts_every_municipality(w):
    r = service.report(filters(w, scope_ids=None), now=NOW)
    assert r.items.total == 5 and r.sessions.total == 5
    assert [r.label for r in r.by_direction][-1] == service.NO_DIRECTION


def test_before_anything_ends_everything_is_planned(w):
    r = service.report(filters(w), now=utc(2026, 9, 2))
    assert counts(r.sessions) == (3, 0, 1, 1)


def test_empty_municipality_gives_zeros(w):
    r = service.report(filters(w, scope_ids=(w.empty.id,)), now=NOW)
    assert r.is_empty and r.items.total == 0 and r.sessions.held_share is None and r.items.held_share is None
    assert r.by_direction == [] and r.by_site.total == 0 and r.without_session.total == 0
    assert len(r.by_month) == 12 and all(m.is_empty for m in r.by_month)


def test_summary_for_the_annual_report(w):
    s = service.summary(filters(w), now=NOW)
    assert counts(s.items) == (1, 1, 1, 1) and counts(s.sessions) == (1, 2, 1, 1)
    assert s.items_without_session == 2 and [r.label for r in s.by_direction] == [w.d1.name, w.d2.name]


def test_chart_geometry(w):
    items, sessions = service.chart(*service._totals(service.by_direction(filters(w), NOW)))
    assert items.total == 4 and [s.width for s in items.segments] == [75.0, 75.0, 75.0, 75.0]
    assert [s.x for s in items.segments] == [0.0, 75.0, 150.0, 225.0]
    assert sessions.total == 4 and [s.label for s in sessions.segments] == ["проведено", "предстоит", "отменено"]
    assert "переносились — 1" in sessions.text


# -- the page ----------------------------------------------------------------------------------

def test_page_for_her_municipality(w, client, auth):
    auth.login(w.methodist)
    response = client.get(f"/reports/fulfilment?{PERIOD}")
    assert response.status_code == 200
    text = text_of(response)
    assert "Выполнение плана" in text and "Павловский район" in text and "2026/2027 учебный год" in text
    assert "Пункты плана без мероприятий 2" in text
    assert "Консультации по запросам" in text and "Фестиваль открытых уроков" in text
    assert "Круглый стол" not in text and "Пункт Б" not in text and "Черновой пункт" not in text
    html = response.get_data(as_text=True)
    assert 'class="rep-chart"' in html and "css/reports.css" in html
    assert ' style="' not in html
    assert "/reports/fulfilment/export?" in html
    assert response.headers["Vary"] and "HX-Request" in response.headers["Vary"]


def test_htmx_request_gets_the_report_alone(w, client, auth):
    auth.login(w.methodist)
    response = client.get(f"/reports/fulfilment?{PERIOD}", headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="fulfilment-report"') or 'id="fulfilment-report"' in html[:400]
    assert "<html" not in html and "report-filters" not in html


def test_items_without_session_paginate(w, make, client, auth, db):
    for n in range(60):
        make.item(plan=w.plan, number=f"9.{n + 1}", position=900 + n, title=f"Дополнительный пункт {n + 1:02d}",
                  period_start=START, period_end=END)
    auth.login(w.methodist)
    first = text_of(client.get(f"/reports/fulfilment?{PERIOD}"))
    assert "Пункты плана без мероприятий 62" in first
    assert "Дополнительный пункт 48" in first and "Дополнительный пункт 49" not in first
    second = client.get(f"/reports/fulfilment?{PERIOD}&page=2", headers=HX)
    text = text_of(second)
    assert "Дополнительный пункт 49" in text and "Дополнительный пункт 60" in text
    assert "Консультации по запросам" not in text
    # a page past the end shows the last one
    assert "Дополнительный пункт 60" in text_of(client.get(f"/reports/fulfilment?{PERIOD}&page=99"))


def test_sites_paginate(w, make, client, auth):
    org = make.organization(municipality=w.a)
    for n in range(55):
        site = make.site(organization=org, name=f"Площадка {n + 1:02d}")
        make.item(plan=w.plan, number=f"5.{n + 1}", site=site, period_start=START, period_end=END)
    r = service.report(filters(w), now=NOW, sites_page=2)
    assert r.by_site.total == 58 and r.by_site.page == 2 and len(r.by_site.items) == 8
    auth.login(w.methodist)
    html = client.get(f"/reports/fulfilment?{PERIOD}").get_data(as_text=True)
    assert "sites_page=2" in html


@pytest.mark.parametrize("who, status", [
    ("anon", 302), ("teacher", 403), ("coordinator", 403), ("site_leader", 403),
    ("methodist_b", 403), ("methodist", 200), ("admin", 200)])
def test_who_may_read_it(w, make, client, auth, who, status):
    people = {
        "teacher": lambda: make.user(organization=w.site.organization),
        "coordinator": lambda: make.user(Role.COORDINATOR, scope=w.site.organization),
        "site_leader": lambda: make.user(Role.SITE_LEADER, scope=w.site),
        "methodist_b": lambda: w.methodist_b, "methodist": lambda: w.methodist, "admin": lambda: w.admin,
    }
    if who != "anon":
        auth.login(people[who]())
    for url in (f"/reports/fulfilment?{PERIOD}&municipality={w.a.id}",
                f"/reports/fulfilment/export?fmt=xlsx&{PERIOD}&municipality={w.a.id}"):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert "/login" in response.headers["Location"]


def test_a_site_of_another_municipality_is_refused(w, client, auth):
    auth.login(w.methodist)
    assert client.get(f"/reports/fulfilment?{PERIOD}&site={w.site_b.id}").status_code == 403


def test_bad_filters_become_notes(w, client, auth):
    auth.login(w.methodist)
    response = client.get("/reports/fulfilment?from=32.13.2026&to=вчера&direction=abc&site=99999&page=-3"
                          "&sites_page=x")
    assert response.status_code == 200
    text = text_of(response)
    assert "Дата начала «32.13.2026» не распознана" in text and "Дата окончания «вчера» не распознана" in text
    assert "Направление указано неверно" in text and "Такой площадки нет" in text


def test_new_municipality_shows_zeros_and_a_friendly_message(w, client, auth):
    auth.login(w.methodist_new)
    response = client.get(f"/reports/fulfilment?{PERIOD}")
    assert response.status_code == 200
    text = text_of(response)
    assert "Новый район" in text and "в плане нет ни пунктов, ни мероприятий" in text
    assert "Пунктов плана 0" in text and "Проведено пунктов 0 —" in text


# -- export ------------------------------------------------------------------------------------

def test_export_workbook_has_a_sheet_per_breakdown(w, client, auth):
    auth.login(w.methodist)
    response = client.get(f"/reports/fulfilment/export?fmt=xlsx&{PERIOD}")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert response.headers["Cache-Control"] == "no-store"
    assert "plan-fulfilment.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["По направлениям", "По площадкам", "По месяцам", "Пункты без мероприятий"]
    directions = list(book["По направлениям"].iter_rows(values_only=True))
    assert directions[0][:3] == ("Направление", "Пункты плана: всего", "запланировано")
    assert directions[1][0] == w.d1.name and directions[1][1] == 2
    assert directions[-1][0] == "Итого" and directions[-1][1] == 4 and directions[-1][6] == 4
    sites = list(book["По площадкам"].iter_rows(values_only=True))
    assert [r[0] for r in sites[1:]] == ["Гимназия № 2", "Лицей № 5", service.NO_SITE]
    months = list(book["По месяцам"].iter_rows(values_only=True))
    assert months[1][0] == "Сентябрь 2026" and months[-2][0] == service.NO_MONTH and months[-1][0] == "Итого"
    items = list(book["Пункты без мероприятий"].iter_rows(values_only=True))
    assert items[0] == service.ITEMS_HEADER
    assert items[1:] == [("План ТМС 2026/27", "1.2", "Консультации по запросам", "В течение учебного года",
                          "Запланировано"),
                         ("План ТМС 2026/27", "2.2", "Фестиваль открытых уроков", "Апрель–май, ежегодно",
                          "Перенесено")]


def test_export_of_an_empty_municipality_and_a_bad_format(w, client, auth):
    auth.login(w.methodist_new)
    response = client.get(f"/reports/fulfilment/export?{PERIOD}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert [r for r in book["Пункты без мероприятий"].iter_rows(values_only=True)] == [service.ITEMS_HEADER]
    response = client.get(f"/reports/fulfilment/export?fmt=pdf&{PERIOD}")
    assert response.status_code == 400 and "только в Excel" in text_of(response)


# -- a constant number of queries ----------------------------------------------------------------

def _grow(ids, make, db, n: int) -> None:
    """n more of everything: sites, items (some without a session), sessions (some moved)."""
    from webapp.orgs.models import Municipality
    from webapp.plan.models import Plan

    plan = db.session.get(Plan, ids.plan)
    org = make.organization(municipality=db.session.get(Municipality, ids.a))
    for k in range(n):
        site = make.site(organization=org)
        item = make.item(plan=plan, site=site, direction_id=ids.d1 if k % 2 else ids.d2,
                         period_start=date(2026, 9 + k % 4, 1), period_end=date(2026, 9 + k % 4, 20))
        make.item(plan=plan, site=site, period_start=START, period_end=END)
        s = make.session(site=site, start=utc(2026, 9 + k % 4, 5, 7), plan_item=item)
        db.session.add(AuditEntry(object_type="session", object_id=s.id, action="moved", changes={}))
    db.session.commit()


@pytest.mark.parametrize("who", ["methodist", "admin"])
def test_queries_do_not_grow_with_the_data(w, make, db, client, auth, who):
    auth.login(getattr(w, who))
    urls = [f"/reports/fulfilment?{PERIOD}", f"/reports/fulfilment?{PERIOD}&municipality={w.a.id}",
            f"/reports/fulfilment?{PERIOD}&site={w.site.id}&direction={w.d1.id}"]

    def measure() -> list[int]:
        out = []
        for url in urls:
            db.session.remove()
            with count_queries(db.engine) as statements:
                assert client.get(url).status_code == 200
            out.append(len(statements))
        return out

    ids = SimpleNamespace(a=w.a.id, plan=w.plan.id, d1=w.d1.id, d2=w.d2.id)
    _grow(ids, make, db, 2)
    small = measure()
    _grow(ids, make, db, 70)
    assert measure() == small
    assert max(small) <= 14


# -- the cache of computed reports -----------------------------------------------------------------

def test_a_repeated_request_is_served_from_the_cache_and_a_change_shows_at_once(w, make, db, app, client, auth,
                                                                              monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_CACHE_SECONDS", 60)
    report_cache.clear()
    auth.login(w.methodist)
    url, plan_id = f"/reports/fulfilment?{PERIOD}", w.plan.id
    assert "Пунктов плана 4" in text_of(client.get(url))
    db.session.remove()
    with count_queries(db.engine) as statements:
        again = client.get(url)
    # her login, her municipality's name, the data version: nothing is computed again
    assert "Пунктов плана 4" in text_of(again) and len(statements) == 3
    from webapp.plan.models import Plan

    make.item(plan=db.session.get(Plan, plan_id), number="7", title="Новый пункт", period_start=START,
              period_end=END)
    db.session.commit()
    assert "Пунктов плана 5" in text_of(client.get(url))


def test_cache_entries_end_with_the_data_version_the_next_session_end_and_the_time_limit():
    cache = ReportCache(max_entries=2)
    later = NOW + timedelta(hours=1)
    cache.put("a", (1,), later, 60, "A")
    assert cache.get("a", (1,), NOW) == "A"
    assert cache.get("a", (2,), NOW) is None and cache.get("a", (1,), NOW) is None  # a new version drops it
    cache.put("a", (1,), later, 60, "A")
    assert cache.get("a", (1,), later) is None  # a session has ended since: held figures moved
    cache.put("a", (1,), None, -1, "A")
    assert cache.get("a", (1,), NOW) is None  # past its time limit
    for key in "bcd":
        cache.put(key, (1,), None, 60, key)
    assert cache.get("b", (1,), NOW) is None and cache.get("d", (1,), NOW) == "d"  # the oldest make room


def test_cache_can_be_turned_off(w, app, db, client, auth, monkeypatch):
    auth.login(w.methodist)
    url = f"/reports/fulfilment?{PERIOD}"
    monkeypatch.setitem(app.config, "REPORT_CACHE_SECONDS", 0)
    client.get(url)
    db.session.remove()
    with count_queries(db.engine) as statements:
        client.get(url)
    assert len(statements) > 4
