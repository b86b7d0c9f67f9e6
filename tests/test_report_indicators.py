"""Indicators: the admin defines them (forms, bad input, archive), the report shows target against
actual per municipality with a bar (admins and methodists, each her scope), its export, the
annual report's summary, the demo seed, and a constant number of queries.

The scenario: municipalities A and B (and C, with nothing in it). A has a school with four
teachers, two of whom attended a seminar in October 2025; B's school has two teachers, none of whom
attended. People: an admin, the methodist of A, the methodist of B, a teacher, a coordinator and a
site leader (of A).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from conftest import HX, count_queries, text_of
from openpyxl import load_workbook

from webapp.accounts import models as user_models
from webapp.accounts.models import Role
from webapp.attendance.models import Attendance, AttendanceStatus
from webapp.reports import indicators as service
from webapp.reports.demo import DEMO_INDICATORS, seed_indicators
from webapp.reports.models import Indicator, Measure
from webapp.reports.scope import parse_filters
from webapp.taxonomy.models import Audience, Direction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
START, END = date(2025, 9, 1), date(2026, 8, 31)
PERIOD = "from=2025-09-01&to=2026-08-31"


def _attend(db, session, people):
    db.session.add_all(Attendance(session_id=session.id, user_id=p.id, organization_id=p.organization_id,
                                  status=AttendanceStatus.PRESENT) for p in people)


@pytest.fixture
def w(make, db):
    w = SimpleNamespace()
    w.direction = Direction(name="Методические компетенции")
    w.other_direction = Direction(name="ИКТ-компетенции")
    w.audience = Audience(name="Учителя-предметники")
    db.session.add_all([w.direction, w.other_direction, w.audience])
    w.a, w.b, w.c = (make.municipality(name=f"Муниципалитет {k}") for k in "ABC")
    school_a = make.organization(municipality=w.a, name="МБОУ СОШ № 1")
    school_b = make.organization(municipality=w.b, name="МБОУ СОШ № 2")
    w.teachers_a = [make.user(organization=school_a, years_experience=10) for _ in range(4)]
    w.teachers_b = [make.user(organization=school_b, years_experience=10) for _ in range(2)]
    w.site = make.site(organization=school_a)
    w.seminar = make.session(site=w.site, start=datetime(2025, 10, 15, 9, tzinfo=timezone.utc),
                             direction=w.direction)
    _attend(db, w.seminar, w.teachers_a[:2])
    w.admin = make.user(Role.ADMIN)
    w.methodist = make.user(Role.METHODIST, scope=w.a)
    w.methodist_b = make.user(Role.METHODIST, scope=w.b)
    w.teacher = w.teachers_a[3]
    w.coordinator = make.user(Role.COORDINATOR, scope=school_a)
    w.leader = make.user(Role.SITE_LEADER, scope=w.site)
    w.trained = _indicator(db, name="Педагоги, прошедшие обучение", measure=Measure.TEACHERS_TRAINED, target=41)
    db.session.commit()
    return w


def _indicator(db, name="Показатель", measure=Measure.TEACHERS_TRAINED, target=41.0, **kw):
    ind = Indicator(name=name, measure=measure, target_value=target, period_start=kw.pop("start", START),
                    period_end=kw.pop("end", END), **kw)
    db.session.add(ind)
    db.session.flush()
    return ind


def _filters(user, args=PERIOD):
    from werkzeug.datastructures import MultiDict
    return parse_filters(MultiDict([tuple(pair.split("=", 1)) for pair in args.split("&") if pair]), user)


def _rows(report_or_blocks, name):
    blocks = report_or_blocks.blocks if hasattr(report_or_blocks, "blocks") else report_or_blocks
    block = next(b for b in blocks if b.indicator.name == name)
    return {r.label: r for r in block.rows}


# -- the report (service) ------------------------------------------------------------------------

def test_rows_per_municipality_and_the_network_total_for_an_admin(w, db):
    report = service.build_report(_filters(w.admin), today=date(2026, 12, 1))
    rows = _rows(report, "Педагоги, прошедшие обучение")
    assert list(rows) == ["Муниципалитет A", "Муниципалитет B", "Муниципалитет C", "По сети"]
    a, b, c, total = rows.values()
    assert (a.ratio_text, a.actual_text, a.status) == ("2 из 4", "50\u00a0%", "met")
    assert (b.ratio_text, b.actual_text, b.status) == ("0 из 2", "0\u00a0%", "unmet")
    # nobody to count: no value, no verdict, no division by zero
    assert (c.ratio_text, c.actual_text, c.status, c.status_label) == ("0 из 0", "—", "nodata", "Нет данных")
    assert (total.ratio_text, total.status) == ("2 из 6", "unmet")
    assert total.actual_text == "33,3\u00a0%"
    # the bar: half of 200 units, the target mark at 41 %
    assert (a.bar_width, a.target_x) == (100.0, 82.0)


def test_a_methodist_sees_her_municipality_without_a_total(w, db):
    rows = _rows(service.build_report(_filters(w.methodist)), "Педагоги, прошедшие обучение")
    assert list(rows) == ["Муниципалитет A"]


def test_an_indicator_of_one_municipality_has_one_row_and_others_do_not_see_it(w, db):
    _indicator(db, name="Только для B", municipality_id=w.b.id, target=10)
    db.session.commit()
    rows = _rows(service.build_report(_filters(w.admin)), "Только для B")
    assert list(rows) == ["Муниципалитет B"]
    assert "Только для B" not in [b.indicator.name for b in service.build_report(_filters(w.methodist)).blocks]


def test_a_running_period_says_not_yet(w, db):
    today = datetime.now(timezone.utc).date()
    _indicator(db, name="Текущий год", start=date(today.year, 1, 1), end=date(today.year + 1, 12, 31))
    db.session.commit()
    args = f"from={today.year}-01-01&to={today.year}-12-31"
    rows = _rows(service.build_report(_filters(w.admin, args)), "Текущий год")
    assert rows["Муниципалитет A"].status == "running"
    assert rows["Муниципалитет A"].status_label == "Пока не достигнут"


def test_counts_scale_their_bars_and_sum_their_targets(w, db, make):
    _indicator(db, name="Семинары", measure=Measure.EVENTS_HELD, target=2)
    make.session(site=w.site, start=datetime(2026, 3, 2, 9, tzinfo=timezone.utc))
    make.session(site=w.site, start=datetime(2026, 4, 2, 9, tzinfo=timezone.utc))
    db.session.commit()
    rows = _rows(service.build_report(_filters(w.admin)), "Семинары")
    a, b, total = rows["Муниципалитет A"], rows["Муниципалитет B"], rows["По сети"]
    assert (a.actual_text, a.ratio_text, a.status) == ("3", "", "met")
    assert (b.actual_text, b.status) == ("0", "unmet")
    # three municipalities, two events each
    assert (total.target, total.actual_text, total.status) == (6, "3", "unmet")
    assert a.bar_width == 200 and a.target_x == pytest.approx(133.3)


def test_filters_choose_the_indicators(w, db):
    _indicator(db, name="По направлению", direction_id=w.direction.id)
    _indicator(db, name="Прошлый год", start=date(2024, 9, 1), end=date(2025, 8, 31))
    _indicator(db, name="В архиве", is_active=False)
    db.session.commit()
    names = [b.indicator.name for b in service.build_report(_filters(w.admin)).blocks]
    assert names == ["Педагоги, прошедшие обучение", "По направлению"]
    by_direction = service.build_report(_filters(w.admin, f"{PERIOD}&direction={w.direction.id}"))
    assert [b.indicator.name for b in by_direction.blocks] == ["По направлению"]
    with_site = service.build_report(_filters(w.admin, f"{PERIOD}&site={w.site.id}"))
    assert with_site.notes == [service.SITE_IGNORED]


def test_the_same_question_is_asked_once(w, db):
    for n in range(3):
        _indicator(db, name=f"Копия {n}", target=10 * n)
    db.session.commit()
    f = _filters(w.admin)
    with count_queries(db.engine) as statements:
        report = service.build_report(f)
    # count, indicators, municipalities, one measure query for the four identical questions
    assert len(report.blocks) == 4
    assert len(statements) == 4


def test_summary_for_the_annual_report(w, db):
    summary = service.summary(_filters(w.admin, f"{PERIOD}&municipality={w.a.id}"), today=date(2026, 12, 1))
    assert summary.area == "Муниципалитет A"
    [row] = summary.rows
    assert (row.name, row.actual, row.numerator, row.denominator, row.met) == (
        "Педагоги, прошедшие обучение", 50.0, 2, 4, True)
    assert (row.target_text, row.actual_text, row.ratio_text) == ("не менее 41\u00a0%", "50\u00a0%", "2 из 4")
    network = service.summary(_filters(w.admin), today=date(2026, 12, 1))
    assert (network.area, network.rows[0].ratio_text, network.rows[0].met) == ("Вся сеть", "2 из 6", False)
    assert network.met_count == 0


def test_summary_of_a_methodist_of_two_municipalities_adds_them_up(w, db, make):
    both = make.user(Role.METHODIST, scope=w.a)
    db.session.add(user_models.RoleGrant(user_id=both.id, role=Role.METHODIST, municipality_id=w.b.id))
    db.session.commit()
    db.session.refresh(both)
    summary = service.summary(_filters(both))
    assert (summary.area, summary.rows[0].ratio_text) == ("Мои муниципалитеты", "2 из 6")


# -- saving (service) ----------------------------------------------------------------------------

def _data(**kw):
    return {"name": "Доля педагогов", "description": "", "measure": "teachers_trained", "direction_id": None,
            "audience_id": None, "target_value": 41.0, "period_start": START, "period_end": END,
            "municipality_id": None, **kw}


@pytest.mark.parametrize("changes, field", [
    ({"name": "  "}, "name"),
    ({"target_value": -1.0}, "target_value"),
    ({"target_value": 100.5}, "target_value"),
    ({"measure": "events_held", "target_value": 10_000_000.0}, "target_value"),
    ({"measure": "events_held", "target_value": 2.5}, "target_value"),
    ({"measure": "young_reached", "audience_id": 1}, "audience_id"),
    ({"period_end": date(2025, 8, 1)}, "period_end"),
    ({"direction_id": 999_999}, "direction_id"),
    ({"municipality_id": 999_999}, "municipality_id"),
])
def test_save_refuses_broken_rules(w, db, changes, field):
    with pytest.raises(service.IndicatorError) as error:
        service.save_indicator(None, _data(**changes), w.admin)
    assert error.value.field == field


def test_the_database_refuses_a_share_above_100(w, db):
    db.session.add(Indicator(name="x", measure=Measure.TEACHERS_TRAINED, target_value=150, period_start=START,
                             period_end=END))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
    # a count may be above 100
    db.session.add(Indicator(name="x", measure=Measure.EVENTS_HELD, target_value=150, period_start=START,
                             period_end=END))
    db.session.flush()


def test_save_and_archive(w, db):
    ind = service.save_indicator(None, _data(measure="events_held", target_value=3.0), w.admin)
    assert ind.position == w.trained.position + 1 and ind.measure == Measure.EVENTS_HELD
    service.set_active(ind, False, w.admin)
    assert not ind.is_active
    db.session.commit()
    assert "Доля педагогов" not in [b.indicator.name for b in service.build_report(_filters(w.admin)).blocks]


# -- pages -----------------------------------------------------------------------------------------

def test_the_page_shows_target_and_actual_with_a_bar(w, client, auth):
    auth.login(w.admin)
    response = client.get(f"/reports/indicators?{PERIOD}")
    assert response.status_code == 200
    text = text_of(response)
    assert "Педагоги, прошедшие обучение" in text
    assert "Цель: не менее 41 %" in text.replace("\u00a0", " ")
    assert "2 из 4" in text and "0 из 0" in text and "По сети" in text and "Достигнут" in text
    html = response.get_data(as_text=True)
    assert "<svg class=\"ind-bar ind-met\"" in html
    assert "style=" not in html
    assert "reports-indicators.css" in html
    assert "Управление показателями" in text


def test_the_htmx_request_gets_the_report_alone(w, client, auth):
    auth.login(w.methodist)
    response = client.get(f"/reports/indicators?{PERIOD}", headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="indicators-report"')
    assert "Муниципалитет A" in html and "Муниципалитет B" not in html
    assert "HX-Request" in response.headers.get("Vary", "")
    assert "Управление показателями" not in html


def test_an_empty_period_says_so(w, client, auth):
    auth.login(w.admin)
    response = client.get("/reports/indicators?from=2030-09-01&to=2031-08-31")
    assert response.status_code == 200
    assert "На этот период показателей нет." in text_of(response)


def test_a_municipality_with_nothing_yet_gets_a_friendly_message(w, client, auth):
    auth.login(w.admin)
    response = client.get(f"/reports/indicators?{PERIOD}&municipality={w.c.id}")
    assert response.status_code == 200
    text = text_of(response)
    assert "Данных пока нет" in text and "0 из 0" in text and "Нет данных" in text and "По сети" not in text


def test_pages_of_ten_indicators(w, client, auth, db):
    for n in range(12):
        _indicator(db, name=f"Показатель {n:02d}")
    auth.login(w.admin)
    first = text_of(client.get(f"/reports/indicators?{PERIOD}"))
    second = text_of(client.get(f"/reports/indicators?{PERIOD}&page=2"))
    assert "Показатель 08" in first and "Показатель 09" not in first
    assert "Показатель 09" in second and "Показатель 11" in second
    # past the last page: the last page
    assert "Показатель 11" in text_of(client.get(f"/reports/indicators?{PERIOD}&page=99"))


@pytest.mark.parametrize("who, status", [
    ("anon", 302), ("teacher", 403), ("coordinator", 403), ("leader", 403), ("methodist", 200), ("admin", 200)])
def test_who_may_read_the_report(w, client, auth, who, status):
    if who != "anon":
        auth.login(getattr(w, who))
    assert client.get(f"/reports/indicators?{PERIOD}").status_code == status
    assert client.get(f"/reports/indicators/export?{PERIOD}").status_code == status


def test_a_methodist_cannot_ask_for_another_municipality(w, client, auth):
    auth.login(w.methodist)
    assert client.get(f"/reports/indicators?{PERIOD}&municipality={w.b.id}").status_code == 403
    assert client.get(f"/reports/indicators/export?{PERIOD}&municipality={w.b.id}").status_code == 403
    assert client.get(f"/reports/indicators?{PERIOD}&municipality={w.a.id}").status_code == 200


def test_excel_and_csv_exports(w, client, auth):
    auth.login(w.admin)
    response = client.get(f"/reports/indicators/export?fmt=xlsx&{PERIOD}")
    assert response.status_code == 200 and response.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(service.EXPORT_HEADER)
    by_area = {r[6]: r for r in rows[1:]}
    assert by_area["Муниципалитет A"][7:] == (41, 50, 2, 4, "Достигнут")
    assert by_area["Муниципалитет C"][8] == "—"
    response = client.get(f"/reports/indicators/export?fmt=csv&{PERIOD}")
    assert response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert lines[0] == service.EXPORT_HEADER and len(lines) == 5


# -- management pages --------------------------------------------------------------------------------

MANAGE_GETS = ["/reports/indicators/manage", "/reports/indicators/new", "/reports/indicators/{id}/edit"]
MANAGE_POSTS = ["/reports/indicators/{id}/archive", "/reports/indicators/{id}/restore"]


@pytest.mark.parametrize("who, status", [
    ("anon", 302), ("teacher", 403), ("coordinator", 403), ("leader", 403), ("methodist", 403),
    ("methodist_b", 403), ("admin", 200)])
def test_only_admins_manage_indicators(w, client, auth, db, who, status):
    if who != "anon":
        auth.login(getattr(w, who))
    for url in MANAGE_GETS:
        assert client.get(url.format(id=w.trained.id)).status_code == status, url
    for url in MANAGE_POSTS:
        assert client.post(url.format(id=w.trained.id)).status_code == (303 if status == 200 else status), url
    assert client.post("/reports/indicators/new", data=_form()).status_code == (303 if status == 200 else status)


def test_manage_lists_archived_ones_too(w, client, auth, db):
    _indicator(db, name="Старый показатель", is_active=False)
    auth.login(w.admin)
    text = text_of(client.get("/reports/indicators/manage"))
    assert "Старый показатель" in text and "В архиве" in text and "Восстановить" in text
    fragment = client.get("/reports/indicators/manage", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="indicators-manage"')


def _form(**kw):
    return {"name": "Молодые педагоги, охваченные сопровождением", "measure": "young_reached",
            "target_value": "50,5", "period_start": "2025-09-01", "period_end": "2026-08-31",
            "municipality_id": "", "direction_id": "", "audience_id": "", "description": "Из концепции", **kw}


def test_create_and_edit(w, client, auth, db):
    auth.login(w.admin)
    response = client.post("/reports/indicators/new", data=_form(direction_id=str(w.direction.id),
                                                                 municipality_id=str(w.a.id)))
    assert response.status_code == 303
    ind = db.session.scalar(sa.select(Indicator).where(Indicator.name.like("Молодые%")))
    assert (ind.measure, ind.target_value, ind.direction_id, ind.municipality_id) == (
        Measure.YOUNG_REACHED, 50.5, w.direction.id, w.a.id)
    page = client.get(f"/reports/indicators/{ind.id}/edit").get_data(as_text=True)
    assert 'value="50,5"' in page
    assert re.search(r'<option selected value="young_reached">', page)
    response = client.post(f"/reports/indicators/{ind.id}/edit", data=_form(name="Новое имя", target_value="0"))
    assert response.status_code == 303
    db.session.refresh(ind)
    assert (ind.name, ind.target_value, ind.municipality_id) == ("Новое имя", 0, None)


def test_archive_and_restore(w, client, auth, db):
    auth.login(w.admin)
    assert client.post(f"/reports/indicators/{w.trained.id}/archive").status_code == 303
    db.session.refresh(w.trained)
    assert not w.trained.is_active
    report = client.get(f"/reports/indicators?{PERIOD}", headers=HX).get_data(as_text=True)
    assert "Педагоги, прошедшие обучение" not in report and "На этот период показателей нет." in report
    assert client.post(f"/reports/indicators/{w.trained.id}/restore").status_code == 303
    db.session.refresh(w.trained)
    assert w.trained.is_active


def test_unknown_ids_are_404(w, client, auth):
    auth.login(w.admin)
    assert client.get("/reports/indicators/999999/edit").status_code == 404
    assert client.post("/reports/indicators/999999/edit", data=_form()).status_code == 404
    assert client.post("/reports/indicators/999999/archive").status_code == 404
    assert client.post("/reports/indicators/999999/restore").status_code == 404


def _errors(response, field_id):
    html = response.get_data(as_text=True)
    return re.findall(rf'<p class="error" id="err-{field_id}">(.*?)</p>', html)


@pytest.mark.parametrize("changes, field, message", [
    ({"name": ""}, "name", "Укажите название показателя."),
    ({"name": "Я" * 301}, "name", "Название длиннее 300 знаков: сократите его."),
    ({"target_value": ""}, "target_value", "Укажите целевое значение."),
    ({"target_value": "много"}, "target_value", "Введите число, например 41 или 41,5."),
    ({"target_value": "nan"}, "target_value", "Введите число, например 41 или 41,5."),
    ({"target_value": "-5"}, "target_value", "Целевое значение не может быть отрицательным."),
    ({"target_value": "150"}, "target_value", "Доля не может быть больше 100 %."),
    ({"target_value": "2,5", "measure": "events_held"}, "target_value", "Число мероприятий — целое число, например 3."),
    ({"target_value": "1e9", "measure": "events_held"}, "target_value",
     "Слишком большое число: не больше 100\u00a0000."),
    ({"period_end": "2025-08-01"}, "period_end", "Конец периода раньше начала."),
    ({"period_start": "31.02.2025"}, "period_start", None),
    ({"measure": "everything"}, "measure", "Выберите, что измеряет показатель, из списка."),
    ({"direction_id": "999999"}, "direction_id", "Такого направления нет: выберите из списка."),
    ({"direction_id": "abc"}, "direction_id", "Такого направления нет: выберите из списка."),
    ({"audience_id": "999999", "measure": "teachers_trained"}, "audience_id",
     "Такой аудитории нет: выберите из списка."),
    ({"municipality_id": "999999"}, "municipality_id", "Такого муниципалитета нет: выберите из списка."),
    ({"audience_id": "AUDIENCE"}, "audience_id",
     "Аудитория учитывается только в показателе «Доля педагогов, посетивших хотя бы одно мероприятие»."),
])
def test_bad_input_is_422_with_a_russian_message_and_the_input_kept(w, client, auth, db, changes, field, message):
    if changes.get("audience_id") == "AUDIENCE":
        changes = {**changes, "audience_id": str(w.audience.id)}
    auth.login(w.admin)
    before = db.session.scalar(sa.select(sa.func.count(Indicator.id)))
    response = client.post("/reports/indicators/new", data=_form(**changes))
    assert response.status_code == 422
    errors = _errors(response, field)
    assert errors and re.match(r"[А-ЯЁ]", errors[0]), errors
    if message:
        assert message in errors
    html = response.get_data(as_text=True)
    assert 'value="Молодые педагоги, охваченные сопровождением"' in html or changes.get("name") is not None
    if "target_value" in changes and changes["target_value"]:
        assert f'value="{changes["target_value"]}"' in html
    assert db.session.scalar(sa.select(sa.func.count(Indicator.id))) == before


def test_bad_input_in_htmx_swaps_the_form(w, client, auth):
    auth.login(w.admin)
    response = client.post("/reports/indicators/new", data=_form(name=""), headers=HX)
    assert response.status_code == 422
    assert response.get_data(as_text=True).lstrip().startswith('<form id="indicator-form"')


def test_a_retired_direction_stays_offered_to_the_indicator_that_has_it(w, client, auth, db):
    ind = _indicator(db, name="Со старым направлением", direction_id=w.other_direction.id)
    w.other_direction.is_active = False
    db.session.commit()
    auth.login(w.admin)
    assert "ИКТ-компетенции (в архиве)" in client.get(f"/reports/indicators/{ind.id}/edit").get_data(as_text=True)
    assert "ИКТ-компетенции" not in client.get("/reports/indicators/new").get_data(as_text=True)


# -- demo ------------------------------------------------------------------------------------------

def test_demo_indicators_are_seeded_once(app, db):
    assert seed_indicators(date(2026, 1, 10)) == len(DEMO_INDICATORS)
    assert seed_indicators(date(2026, 1, 10)) == 0
    rows = db.session.scalars(sa.select(Indicator).order_by(Indicator.position)).all()
    assert [r.target_value for r in rows[:2]] == [41, 20]
    assert {(r.period_start, r.period_end) for r in rows} == {(START, END)}


# -- queries ---------------------------------------------------------------------------------------

def _grow(make, db, ids, teachers: int, sessions: int):
    """More data of every kind the measures read, in A and B."""
    import random

    from webapp.orgs.models import Municipality
    from webapp.sites.models import Site

    rng = random.Random(teachers)
    a, b = db.session.get(Municipality, ids.a), db.session.get(Municipality, ids.b)
    site = db.session.get(Site, ids.site)
    orgs = [make.organization(municipality=m) for m in (a, b) for _ in range(3)]
    people = [make.user(organization=rng.choice(orgs), years_experience=rng.randint(0, 30),
                        position=rng.choice(["Учитель", "Директор"])) for _ in range(teachers)]
    for n in range(sessions):
        s = make.session(site=site, start=datetime(2025, 10, 1 + n % 28, 9, tzinfo=timezone.utc))
        _attend(db, s, rng.sample(people, min(len(people), 5)))
    plan = make.plan(municipality=a, period_start=START, period_end=END)
    for _ in range(sessions):
        make.item(plan=plan)
    db.session.commit()


def test_queries_do_not_grow_with_the_data(w, client, auth, db, make):
    for measure in Measure:
        _indicator(db, name=f"Показатель: {measure.label}", measure=measure, target=10,
                   direction_id=w.direction.id if measure == Measure.EVENTS_HELD else None)
    db.session.commit()
    auth.login(w.admin)
    ids = SimpleNamespace(a=w.a.id, b=w.b.id, site=w.site.id)
    urls = [f"/reports/indicators?{PERIOD}", f"/reports/indicators?{PERIOD}&municipality={w.a.id}",
            "/reports/indicators/manage"]

    def measure():
        counts = []
        for url in urls:
            db.session.remove()
            with count_queries(db.engine) as statements:
                assert client.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    _grow(make, db, ids, teachers=5, sessions=2)
    small = measure()
    _grow(make, db, ids, teachers=60, sessions=20)
    large = measure()
    assert small == large
    # the user, the filters' three lists, the count, the indicators, the municipalities, the measures
    assert large[0] == 8


def test_results_are_cached_until_the_data_changes(w, db, app, monkeypatch):
    from flask import g

    from webapp.reports import cache

    monkeypatch.setitem(app.config, "REPORT_CACHE_SECONDS", 60)
    cache.report_cache.clear()
    f = _filters(w.admin)
    with count_queries(db.engine) as first:
        service.build_report(f)
    with count_queries(db.engine) as second:
        report = service.build_report(f)
    # count, indicators, municipalities, the data version (once per request: both calls here are
    # in one), then the measure and the next session end (the first time only)
    assert (len(first), len(second)) == (6, 3)
    assert any("GROUP BY" in s for s in first) and not any("GROUP BY" in s for s in second)
    assert _rows(report, "Педагоги, прошедшие обучение")["По сети"].ratio_text == "2 из 6"
    # a new mark changes the version: counted at once (by the next request, which reads it anew)
    _attend(db, w.seminar, w.teachers_b[:1])
    db.session.commit()
    g.pop("report_data_version", None)
    assert _rows(service.build_report(f), "Педагоги, прошедшие обучение")["По сети"].ratio_text == "3 из 6"
    cache.report_cache.clear()
