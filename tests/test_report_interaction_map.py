"""The school interaction map: cells (hosted / attended / both / neither), the management-team
share, the organizations not reached, filters, pages and fragments, permissions, the export,
empty data, and a constant number of queries.

The scenario: municipalities A and B; in A a school hosting site «Альфа» (school 1), two more
schools and a kindergarten; in B a school hosting site «Бета». Directions «Наставничество» (d1)
and «ИКТ» (d2). Sessions a week or so ago: at Альфа in d1 (school 1 and school 2 attend, school 3
is marked absent), at Бета in d2 (the kindergarten's director and a school 1 teacher attend);
at Альфа in d2 one cancelled and one still to come (neither counts as hosted).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from conftest import HX, count_queries, text_of
from openpyxl import load_workbook

from webapp.accounts.models import Role
from webapp.attendance.models import Attendance, AttendanceStatus
from webapp.orgs.models import Municipality, OrgKind
from webapp.reports import interaction_map as service
from webapp.reports.scope import ReportFilters
from webapp.sessions.models import SessionStatus
from webapp.sites.models import Site
from webapp.taxonomy.models import Direction

NOW = datetime.now(timezone.utc).replace(microsecond=0)
TODAY = NOW.date()
PERIOD = {"from": (TODAY - timedelta(days=60)).isoformat(), "to": (TODAY + timedelta(days=60)).isoformat()}
URL = "/reports/interaction-map"
EXPORT = "/reports/interaction-map/export"


def mark(db, session, person, status=AttendanceStatus.PRESENT):
    db.session.add(Attendance(session_id=session.id, user_id=person.id, organization_id=person.organization_id,
                              status=status, marked_dt=session.start_dt))
    db.session.flush()


@pytest.fixture
def w(make, db):
    w = SimpleNamespace(make=make)
    w.mun_a, w.mun_b = make.municipality(name="Район А"), make.municipality(name="Район Б")
    w.school1 = make.organization(municipality=w.mun_a, name="Школа 1")
    w.school2 = make.organization(municipality=w.mun_a, name="Школа 2")
    w.school3 = make.organization(municipality=w.mun_a, name="Школа 3")
    w.kinder = make.organization(municipality=w.mun_a, name="Детский сад 1", kind=OrgKind.KINDERGARTEN)
    w.school_b = make.organization(municipality=w.mun_b, name="Школа Б")
    w.site_a = make.site(organization=w.school1, name="Альфа")
    w.site_b = make.site(organization=w.school_b, name="Бета")
    w.d1, w.d2 = Direction(name="Наставничество", position=1), Direction(name="ИКТ", position=2)
    db.session.add_all([w.d1, w.d2])
    db.session.flush()
    past = NOW - timedelta(days=7)
    w.s1 = make.session(site=w.site_a, start=past, direction=w.d1)
    w.s2 = make.session(site=w.site_b, start=past, direction=w.d2)
    make.session(site=w.site_a, start=past, direction=w.d2, status=SessionStatus.CANCELLED, cancel_reason="болезнь")
    make.session(site=w.site_a, start=NOW + timedelta(days=20), direction=w.d2)
    w.t1 = make.user(organization=w.school1, last_name="Первая")
    w.t1b = make.user(organization=w.school1, last_name="Перваябис")
    w.t2 = make.user(organization=w.school2, last_name="Вторая")
    w.t3 = make.user(organization=w.school3, last_name="Третья")
    w.director = make.user(organization=w.kinder, last_name="Заведующая", position="Директор")
    mark(db, w.s1, w.t1)
    mark(db, w.s1, w.t2, AttendanceStatus.LATE)
    mark(db, w.s1, w.t3, AttendanceStatus.ABSENT)
    mark(db, w.s2, w.director)
    mark(db, w.s2, w.t1b)
    w.admin = make.user(role=Role.ADMIN, last_name="Админова")
    w.methodist_a = make.user(role=Role.METHODIST, scope=w.mun_a, last_name="Методистова")
    w.methodist_b = make.user(role=Role.METHODIST, scope=w.mun_b, last_name="Бэшная")
    w.teacher = make.user(organization=w.school2, last_name="Учителева")
    w.coordinator = make.user(role=Role.COORDINATOR, scope=w.school1, organization=w.school1)
    w.leader = make.user(role=Role.SITE_LEADER, scope=w.site_a, organization=w.school1)
    db.session.commit()
    return w


def filters_a(w, **kw) -> ReportFilters:
    return ReportFilters(start=TODAY - timedelta(days=60), end=TODAY + timedelta(days=60), scope_ids=(w.mun_a.id,),
                         **kw)


def cells_by_name(page: service.MapPage) -> dict[str, list[str]]:
    return {row.name: row.cells for row in page.rows}


# -- the service -----------------------------------------------------------------------------

def test_cells_show_hosted_attended_both_and_neither(w):
    page = service.map_page(filters_a(w), service.MapOptions(), 1)
    assert [name for _, name in page.directions] == ["Наставничество", "ИКТ"]
    assert cells_by_name(page) == {
        # hosted and attended in d1; a teacher attended Бета's d2 session (another municipality counts)
        "Школа 1": [service.BOTH, service.ATTENDED],
        # «опоздал» counts as attended; the cancelled and the future d2 sessions of Альфа host nothing
        "Школа 2": [service.ATTENDED, service.NEITHER],
        # marked absent: not attended
        "Школа 3": [service.NEITHER, service.NEITHER],
        "Детский сад 1": [service.NEITHER, service.ATTENDED],
    }
    assert page.page.total == 4


def test_summary_counts_management_teams_and_reach(w):
    summary = service.summary(filters_a(w))
    assert (summary.organizations, summary.reached, summary.management, summary.unreached) == (4, 3, 1, 1)
    assert summary.management_share == 25.0
    assert summary.management_bar == 75.0
    by_direction = {d.name: (d.hosted, d.attended, d.both) for d in summary.by_direction}
    assert by_direction == {"Наставничество": (1, 2, 1), "ИКТ": (0, 2, 0)}


def test_management_by_audience_counts_too(w, db):
    from webapp.reports.people import MANAGEMENT_AUDIENCE
    from webapp.taxonomy.models import Audience

    audience = Audience(name=MANAGEMENT_AUDIENCE)
    db.session.add(audience)
    db.session.flush()
    w.t2.audiences.append(audience)
    db.session.commit()
    assert service.summary(filters_a(w)).management == 2
    # the whole network finds its managers another way (a set computed once): the same answer
    network = ReportFilters(start=TODAY - timedelta(days=60), end=TODAY + timedelta(days=60), scope_ids=None)
    assert service.summary(network).management == 2


def test_unreached_list_and_filters(w):
    f = filters_a(w)
    summary = service.summary(f)
    assert service.unreached_count(f, service.MapOptions()) == summary.unreached == 1
    page = service.unreached_page(f, service.MapOptions(), 1, summary.unreached)
    assert [o.name for o in page.items] == ["Школа 3"]
    only = service.map_page(f, service.MapOptions(only_unreached=True), 1)
    assert list(cells_by_name(only)) == ["Школа 3"]
    kinder = service.map_page(f, service.MapOptions(kind=OrgKind.KINDERGARTEN), 1)
    assert list(cells_by_name(kinder)) == ["Детский сад 1"]
    assert service.summary(f, service.MapOptions(kind=OrgKind.KINDERGARTEN)).management_share == 100.0


def test_direction_filter_narrows_to_one_column_and_reach(w):
    f = filters_a(w, direction_id=w.d1.id)
    page = service.map_page(f, service.MapOptions(), 1)
    assert [name for _, name in page.directions] == ["Наставничество"]
    assert cells_by_name(page)["Школа 1"] == [service.BOTH]
    summary = service.summary(f)
    # the kindergarten attended only in d2: not reached in d1
    assert (summary.reached, summary.unreached, summary.management) == (2, 2, 0)


def test_period_outside_sessions_reaches_nobody(w):
    f = ReportFilters(start=TODAY + timedelta(days=100), end=TODAY + timedelta(days=200), scope_ids=None)
    summary = service.summary(f)
    assert summary.organizations == 5 and summary.reached == 0 and summary.management_share == 0.0
    assert all(set(row.cells) == {service.NEITHER} for row in service.map_page(f, service.MapOptions(), 1).rows)


def test_pages_of_fifty(w, make, db):
    for n in range(60):
        make.organization(municipality=w.mun_a, name=f"Школа {n + 100}")
    db.session.commit()
    first = service.map_page(filters_a(w), service.MapOptions(), 1)
    last = service.map_page(filters_a(w), service.MapOptions(), 99)
    assert len(first.rows) == 50 and first.page.pages == 2
    assert last.page.page == 2 and len(last.rows) == 14


# -- the page --------------------------------------------------------------------------------

def test_page_for_methodist(client, auth, w):
    auth.login(w.methodist_a)
    response = client.get(URL, query_string=PERIOD)
    assert response.status_code == 200
    text = text_of(response)
    assert "Карта взаимодействия школ" in text and "Район А" in text
    assert "25 %" in text and "1 из 4" in text
    # every cell has words beside its symbol, and the legend explains them
    html = response.get_data(as_text=True)
    assert 'class="map-cell map-both" title="проводила и участвовала"' in html
    assert "проводила и участвовала" in text and "не проводила и не участвовала" in text
    assert "Школа Б" not in text  # another municipality's organization
    assert "Школа 3" in text.split("ещё не охвачены")[1]
    assert "css/reports-map.css" in html and " style=" not in html


def test_map_fragment_and_unreached_fragment(client, auth, w):
    auth.login(w.methodist_a)
    response = client.get(URL, query_string={**PERIOD, "page": "1"}, headers={**HX, "HX-Target": "map-table"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="map-table"')
    assert "<h1>" not in html and "HX-Target" in response.headers.get("Vary", "")
    response = client.get(URL, query_string=PERIOD, headers={**HX, "HX-Target": "map-unreached"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="map-unreached"') and "Школа 3" in html and "Школа 1" not in html


def test_admin_sees_every_municipality(client, auth, w):
    auth.login(w.admin)
    text = text_of(client.get(URL, query_string=PERIOD))
    assert "Школа Б" in text and "Вся сеть" in text


def test_kind_and_unreached_filters_on_the_page(client, auth, w):
    auth.login(w.methodist_a)
    text = text_of(client.get(URL, query_string={**PERIOD, "kind": "kindergarten"}))
    assert "Детский сад 1" in text and "Школа 2" not in text
    text = text_of(client.get(URL, query_string={**PERIOD, "unreached": "1"}))
    map_part = text.split("Карта по направлениям")[1].split("ещё не охвачены")[0]
    assert "Школа 3" in map_part and "Школа 2" not in map_part


@pytest.mark.parametrize("args, note", [
    ({"kind": "zoo"}, "Тип организации «zoo» не распознан"),
    ({"from": "вчера"}, "Дата начала «вчера» не распознана"),
    ({"municipality": "abc"}, "Муниципалитет указан неверно"),
    ({"direction": "999999"}, "Такого направления нет"),
    ({"page": "abc", "upage": "-3"}, ""),
    ({"page": "99999"}, ""),
])
def test_bad_filters_are_ignored_with_a_note(client, auth, w, args, note):
    auth.login(w.methodist_a)
    response = client.get(URL, query_string={**PERIOD, **args})
    assert response.status_code == 200
    assert note in text_of(response)
    assert "Школа 1" in text_of(response)


def test_empty_municipality(client, auth, make, db):
    empty = make.municipality(name="Новый район")
    methodist = make.user(role=Role.METHODIST, scope=empty)
    auth.login(methodist)
    response = client.get(URL)
    assert response.status_code == 200
    text = text_of(response)
    assert "нет организаций" in text and "Не охваченных организаций нет" in text
    response = client.get(EXPORT, query_string={"fmt": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book["Карта"].max_row == 1 and book["Не охвачены"].max_row == 1


def test_empty_network_for_admin(client, auth, make):
    auth.login(make.user(role=Role.ADMIN))
    text = text_of(client.get(URL))
    assert "В справочнике нет направлений" in text


# -- permissions -----------------------------------------------------------------------------

@pytest.mark.parametrize("url", [URL, EXPORT])
def test_permissions(client, auth, w, url):
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for who in (w.teacher, w.coordinator, w.leader):
        auth.login(who)
        assert client.get(url).status_code == 403
    auth.login(w.methodist_b)
    assert client.get(url, query_string={"municipality": w.mun_a.id}).status_code == 403
    assert client.get(url).status_code == 200
    auth.login(w.methodist_a)
    assert client.get(url, query_string={"municipality": w.mun_a.id}).status_code == 200
    auth.login(w.admin)
    assert client.get(url, query_string={"municipality": w.mun_b.id}).status_code == 200


def test_methodist_b_does_not_see_a(client, auth, w):
    auth.login(w.methodist_b)
    text = text_of(client.get(URL, query_string=PERIOD))
    assert "Школа Б" in text and "Школа 1" not in text


# -- the export ------------------------------------------------------------------------------

def test_xlsx_export(client, auth, w):
    auth.login(w.methodist_a)
    response = client.get(EXPORT, query_string={**PERIOD, "fmt": "xlsx"})
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet") and response.headers["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Карта", "Не охвачены", "Итоги", "По направлениям"]
    rows = list(book["Карта"].iter_rows(values_only=True))
    assert rows[0] == ("Муниципалитет", "Организация", "Тип", "Наставничество", "ИКТ")
    by_name = {r[1]: r[3:] for r in rows[1:]}
    assert by_name == {
        "Детский сад 1": ("—", "участвовала"),
        "Школа 1": ("проводила и участвовала", "участвовала"),
        "Школа 2": ("участвовала", "—"),
        "Школа 3": ("—", "—"),
    }
    assert [r[1] for r in book["Не охвачены"].iter_rows(min_row=2, values_only=True)] == ["Школа 3"]
    figures = {r[0]: r[1] for r in book["Итоги"].iter_rows(min_row=2, values_only=True)}
    assert figures["Организаций"] == 4 and figures["Управленческие команды участвовали (организаций)"] == 1


def test_csv_export_and_filters(client, auth, w):
    auth.login(w.methodist_a)
    response = client.get(EXPORT, query_string={**PERIOD, "fmt": "csv", "kind": "school", "direction": w.d2.id})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Муниципалитет", "Организация", "Тип", "ИКТ"]
    assert [r[1:] for r in rows[1:]] == [["Школа 1", "Школа", "участвовала"], ["Школа 2", "Школа", "—"],
                                         ["Школа 3", "Школа", "—"]]


def test_export_bad_format(client, auth, w):
    auth.login(w.methodist_a)
    response = client.get(EXPORT, query_string={"fmt": "pdf"})
    assert response.status_code == 400 and "Неизвестный формат" in text_of(response)


# -- queries ---------------------------------------------------------------------------------

def _grow(make, db, ids, n: int, start: int = 0):
    """n more organizations in A, each with a teacher who attended a new session at Альфа."""
    municipality, site = db.session.get(Municipality, ids.mun_a), db.session.get(Site, ids.site_a)
    d1, d2 = db.session.get(Direction, ids.d1), db.session.get(Direction, ids.d2)
    for i in range(start, start + n):
        org = make.organization(municipality=municipality, name=f"Школа роста {i:03d}")
        person = make.user(organization=org, position="Заместитель директора" if i % 2 else "Учитель")
        session = make.session(site=site, start=NOW - timedelta(days=3 + i % 20), direction=d1 if i % 2 else d2)
        mark(db, session, person)
    db.session.commit()


def _count(client, db, url, **kw) -> int:
    db.session.remove()
    with count_queries(db.engine) as statements:
        response = client.get(url, **kw)
    assert response.status_code == 200
    return len(statements)


def test_query_count_does_not_grow(client, auth, make, db, w):
    auth.login(w.methodist_a)
    urls = [(URL, {"query_string": PERIOD}),
            (URL, {"query_string": {**PERIOD, "page": "2"}, "headers": {**HX, "HX-Target": "map-table"}}),
            (URL, {"query_string": PERIOD, "headers": {**HX, "HX-Target": "map-unreached"}}),
            (EXPORT, {"query_string": {**PERIOD, "fmt": "xlsx"}})]
    ids = SimpleNamespace(mun_a=w.mun_a.id, site_a=w.site_a.id, d1=w.d1.id, d2=w.d2.id)
    _grow(make, db, ids, 3)
    small = [_count(client, db, url, **kw) for url, kw in urls]
    _grow(make, db, ids, 70, start=3)
    large = [_count(client, db, url, **kw) for url, kw in urls]
    assert small == large
    assert max(large) <= 16


def test_summary_for_the_annual_report(w):
    summary = service.summary(ReportFilters(start=date(2000, 1, 1), end=date(2000, 12, 31), scope_ids=(w.mun_a.id,)))
    assert summary.organizations == 4 and summary.reached_share == 0.0


def test_changing_the_period_keeps_the_maps_own_options(client, auth, w):
    """The shared filter form and the year links carry the kind and «только не охваченные»."""
    auth.login(w.methodist_a)
    html = client.get(URL, query_string={**PERIOD, "kind": "school", "unreached": "1"}).get_data(as_text=True)
    form = html[html.index('class="filters report-filters"'):]
    form = form[:form.index("</form>")]
    assert '<input type="hidden" name="kind" value="school">' in form
    assert '<input type="hidden" name="unreached" value="1">' in form
    years = html[html.index('class="report-years"'):]
    assert "kind=school" in years[:years.index("</p>")]
