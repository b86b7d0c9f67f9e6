"""The feedback report: satisfaction index and means per site, direction, check-list and month,
response rates, the year-on-year comparison, «мало ответов» for small groups, filters, the page
and its fragment, permissions, the export, empty data, and a constant number of queries.

Responses go through the real path (attendance → invitation → answering.submit), so the tallies
are those submission writes. The scenario: municipalities A and B; in A site «Альфа» (direction
«Наставничество», check-list X with a 1–5 scale and a 1–5 matrix) and site «Гамма» («ИКТ»,
check-list Y with a 1–10 scale); in B site «Бета» (check-list X). October 2026 is this period,
October 2025 a year earlier.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from conftest import HX, count_queries, text_of
from openpyxl import load_workbook
from werkzeug.datastructures import MultiDict

from webapp.accounts.models import Role
from webapp.attendance.models import Attendance, AttendanceStatus
from webapp.checklists import answering, building
from webapp.checklists.models import ChecklistAssignment, ChecklistInvitation, OpensOn, RespondentRole
from webapp.reports import feedback as service
from webapp.reports.scope import ReportFilters
from webapp.taxonomy.models import Direction

OCT = datetime(2026, 10, 15, 9, 0, tzinfo=timezone.utc)
LAST_YEAR = datetime(2025, 10, 14, 9, 0, tzinfo=timezone.utc)
PERIOD = {"from": "2026-09-01", "to": "2027-08-31"}
URL = "/reports/feedback"
EXPORT = "/reports/feedback/export"


def template_data(title: str, items: list[dict]) -> dict:
    return {"format": building.EXPORT_FORMAT, "format_version": building.EXPORT_FORMAT_VERSION, "title": title,
            "instructions": "", "items": items}


X = template_data("После семинара", [
    {"key": "useful", "kind": "scale", "text": "Насколько полезно?", "settings": {"max": 5}},
    {"key": "parts", "kind": "matrix", "text": "Оцените части", "settings": {"max": 5, "rows": [
        {"key": "r1", "label": "Теория"}, {"key": "r2", "label": "Практикум"}]}},
    {"key": "lessons", "kind": "number", "text": "Сколько уроков?", "settings": {"min": 0, "max": 100}},
    {"key": "note", "kind": "long_text", "text": "Что примените?"},
])
Y = template_data("Итоги мастер-класса", [
    {"key": "overall", "kind": "scale", "text": "Общая оценка", "settings": {"max": 10}},
])


def assign(db, template, site, anonymous=False, role=RespondentRole.PARTICIPANT) -> ChecklistAssignment:
    assignment = ChecklistAssignment(template_id=template.id, site_id=site.id, role=role,
                                     opens_on=OpensOn.ATTENDANCE, anonymous=anonymous, open_days=30)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def form_of(template, answers: dict) -> MultiDict:
    items = {i.key: i for i in template.current_version.items}
    form = MultiDict()
    for key, value in answers.items():
        if isinstance(value, dict):
            for row, v in value.items():
                form.add(answering.field_name(items[key], row), v)
        else:
            form.add(answering.field_name(items[key]), value)
    return form


def invite(w, db, session, when):
    """A participant marked present at `session`: invited, not answered yet."""
    person = w.make.user(organization=session.site.organization)
    db.session.add(Attendance(session_id=session.id, user_id=person.id, organization_id=person.organization_id,
                              status=AttendanceStatus.PRESENT, marked_dt=when))
    db.session.flush()
    answering.sync_invitations(now=when, user=person)
    db.session.commit()
    return person


def respond(w, db, session, template, answers: dict, when=OCT):
    person = invite(w, db, session, when)
    invitation = db.session.scalars(sa.select(ChecklistInvitation).where(
        ChecklistInvitation.user_id == person.id, ChecklistInvitation.session_id == session.id)).one()
    answering.submit(invitation.id, person, form_of(template, answers), now=when + timedelta(minutes=5))
    db.session.commit()


@pytest.fixture
def w(make, db):
    w = SimpleNamespace(make=make)
    w.mun_a, w.mun_b = make.municipality(name="Район А"), make.municipality(name="Район Б")
    w.org_a, w.org_b = make.organization(municipality=w.mun_a), make.organization(municipality=w.mun_b)
    w.site_a = make.site(organization=w.org_a, name="Альфа")
    w.site_g = make.site(organization=w.org_a, name="Гамма")
    w.site_b = make.site(organization=w.org_b, name="Бета")
    w.d1, w.d2 = Direction(name="Наставничество", position=1), Direction(name="ИКТ", position=2)
    db.session.add_all([w.d1, w.d2])
    db.session.flush()
    w.admin = make.user(role=Role.ADMIN, last_name="Админова")
    w.methodist_a = make.user(role=Role.METHODIST, scope=w.mun_a, last_name="Методистова")
    w.methodist_b = make.user(role=Role.METHODIST, scope=w.mun_b, last_name="Бэшная")
    w.teacher = make.user(organization=w.org_a, last_name="Учителева")
    w.coordinator = make.user(role=Role.COORDINATOR, scope=w.org_a, organization=w.org_a)
    w.leader = make.user(role=Role.SITE_LEADER, scope=w.site_a, organization=w.org_a)
    w.x = building.import_template(X, w.admin)
    w.y = building.import_template(Y, w.admin)
    for template, site in ((w.x, w.site_a), (w.y, w.site_g), (w.x, w.site_b)):
        assign(db, template, site)
    w.session_a = make.session(site=w.site_a, start=OCT - timedelta(days=1), direction=w.d1, title="Семинар Альфы")
    w.session_a_before = make.session(site=w.site_a, start=LAST_YEAR - timedelta(days=1), direction=w.d1)
    w.session_g = make.session(site=w.site_g, start=OCT - timedelta(days=1), direction=w.d2)
    w.session_b = make.session(site=w.site_b, start=OCT - timedelta(days=1), direction=w.d1)
    db.session.commit()
    return w


@pytest.fixture
def answered(w, db):
    """This period: three answers to X at Альфа (and one invitation unanswered), two to Y at Гамма,
    three at Бета (municipality B). A year earlier: three answers to X at Альфа."""
    for useful, parts in (("5", {"r1": "5", "r2": "4"}), ("4", {"r1": "3"}), ("3", {})):
        respond(w, db, w.session_a, w.x, {"useful": useful, "parts": parts, "lessons": "50", "note": "Приёмы"})
    invite(w, db, w.session_a, OCT)
    for overall in ("10", "9"):
        respond(w, db, w.session_g, w.y, {"overall": overall})
    for _ in range(3):
        respond(w, db, w.session_b, w.x, {"useful": "1"})
    for _ in range(3):
        respond(w, db, w.session_a_before, w.x, {"useful": "3", "parts": {"r1": "3"}}, when=LAST_YEAR)
    return w


def filters(w, **kw) -> ReportFilters:
    return ReportFilters(start=datetime(2026, 9, 1).date(), end=datetime(2027, 8, 31).date(),
                         scope_ids=(w.mun_a.id,), **kw)


def row(grouping: service.Grouping, label: str) -> service.Row:
    return next(r for r in grouping.rows if r.label == label)


# -- the service -----------------------------------------------------------------------------

def test_index_means_and_rates(answered):
    w = answered
    report = service.build(filters(w))
    alpha = row(report.groupings["site"], "Альфа")
    # positions: useful 5→1, 4→.75, 3→.5; parts 5→1, 4→.75, 3→.5 — mean .75
    assert alpha.current.responses == 3 and round(alpha.current.index, 1) == 75.0
    assert (alpha.current.invited, alpha.current.answered, alpha.current.rate) == (4, 3, 75.0)
    # a year earlier: every answer 3 of 5 → 50 %; all three invited answered
    assert round(alpha.previous.index, 1) == 50.0 and alpha.previous.rate == 100.0
    assert round(alpha.index_change, 1) == 25.0 and alpha.rate_change == -25.0
    x = row(report.groupings["template"], "После семинара")
    assert x.scale == "1–5"
    assert x.current.means == [service.Mean(1.0, 5.0, 4.0)] and x.previous.means == [service.Mean(1.0, 5.0, 3.0)]
    assert x.mean_changes == [service.Mean(1.0, 5.0, 1.0)]
    # the number item («lessons», 50) is not a scale: it does not move the mean
    direction = row(report.groupings["direction"], "Наставничество")
    assert direction.current.responses == 3  # Бета is in municipality B
    october = row(report.groupings["month"], "Октябрь 2026")
    assert october.previous_label == "Октябрь 2025" and october.previous.responses == 3
    assert len(report.groupings["month"].rows) == 12  # every month of the period, with data or not
    assert report.total.current.responses == 5 and report.total.previous.responses == 3


def test_scales_of_different_lengths_share_the_index(answered, make, db):
    w = answered
    respond(w, db, w.session_g, w.y, {"overall": "1"})
    report = service.build(filters(w))
    gamma = row(report.groupings["site"], "Гамма")
    # 1–10: 10→1, 9→8/9, 1→0
    assert round(gamma.current.index, 2) == round(100 * (1 + 8 / 9 + 0) / 3, 2)
    y = row(report.groupings["template"], "Итоги мастер-класса")
    assert y.scale == "1–10" and [(m.high, round(m.value, 2)) for m in y.current.means] == [(10.0, round(20 / 3, 2))]


def test_a_template_with_two_scales_has_a_mean_on_each(w, db, make, client, auth):
    mixed = building.import_template(template_data("Смешанный", [
        {"key": "a", "kind": "scale", "text": "Пять баллов", "settings": {"max": 5}},
        {"key": "b", "kind": "scale", "text": "Десять баллов", "settings": {"max": 10}},
    ]), w.admin)
    site = make.site(organization=w.org_a, name="Дельта")
    assign(db, mixed, site)
    session = make.session(site=site, start=OCT - timedelta(days=1), direction=w.d1)
    db.session.commit()
    for a, b in (("5", "10"), ("4", "8"), ("3", "6")):
        respond(w, db, session, mixed, {"a": a, "b": b})
    template = row(service.build(filters(w)).groupings["template"], "Смешанный")
    assert template.scale == "1–5, 1–10"
    assert [(m.high, round(m.value, 2)) for m in template.current.means] == [(5.0, 4.0), (10.0, 8.0)]
    # positions: (1 + .75 + .5 + 1 + 7/9 + 5/9) / 6
    assert round(template.current.index, 2) == round(100 * (2.25 + 1 + 12 / 9) / 6, 2)
    auth.login(w.methodist_a)
    assert "4 из 5; 8 из 10" in text_of(client.get(URL, query_string=PERIOD))


def test_an_answer_on_an_earlier_longer_scale_counts_as_the_top(w, db, make):
    """A scale shortened from 1–10 to 1–5 in a new version: an old «8» is the top, not 175 %."""
    template = building.import_template(template_data("Укороченная шкала", [
        {"key": "q", "kind": "scale", "text": "Оценка", "settings": {"max": 10}}]), w.admin)
    site = make.site(organization=w.org_a, name="Эпсилон")
    assign(db, template, site)
    session = make.session(site=site, start=OCT - timedelta(days=1), direction=w.d1)
    db.session.commit()
    for value in ("8", "8", "1"):
        respond(w, db, session, template, {"q": value})
    building.update_item(template, w.admin, "q", {"text": "Оценка", "settings": {"max": 5}})
    db.session.commit()
    report = service.build(filters(w))
    epsilon = row(report.groupings["site"], "Эпсилон")
    assert row(report.groupings["template"], "Укороченная шкала").scale == "1–5"
    assert round(epsilon.current.index, 2) == round(100 * 2 / 3, 2)


def test_a_group_of_two_shows_no_scores(answered):
    report = service.build(filters(answered))
    gamma = row(report.groupings["site"], "Гамма")
    assert gamma.current.responses == 2 and gamma.current.hidden
    assert gamma.current.index is None and gamma.index_change is None
    assert row(report.groupings["template"], "Итоги мастер-класса").current.means == []


def test_anonymous_responses_one_or_two_hide_the_group():
    assert service.Figures(responses=10, anonymous=2, answers=10, positions=5).index is None
    assert service.Figures(responses=10, anonymous=3, answers=10, positions=5).index == 50.0
    assert service.Figures(responses=0).index is None and not service.Figures(responses=0).hidden


def test_filters_site_direction_role_and_scope(answered):
    w = answered
    assert [r.label for r in service.build(filters(w, site_id=w.site_g.id)).groupings["site"].rows] == ["Гамма"]
    by_direction = service.build(filters(w, direction_id=w.d1.id))
    assert by_direction.total.current.responses == 3
    hosts = service.build(filters(w), service.FeedbackOptions(role=RespondentRole.HOST))
    assert hosts.total.current.responses == 0 and hosts.is_empty
    network = service.build(ReportFilters(start=filters(w).start, end=filters(w).end, scope_ids=None))
    assert row(network.groupings["site"], "Бета").current.responses == 3
    assert network.total.current.responses == 8


def test_period_counts_whole_months_and_compares_a_year_earlier(answered):
    w = answered
    f = ReportFilters(start=datetime(2026, 10, 20).date(), end=datetime(2026, 10, 21).date(), scope_ids=(w.mun_a.id,))
    report = service.build(f)
    assert report.current.label == "Октябрь 2026" and report.previous.label == "Октябрь 2025"
    assert report.total.current.responses == 5 and report.total.previous.responses == 3


def test_summary_for_the_annual_report(answered):
    summary = service.summary(filters(answered))
    assert summary.total.current.responses == 5
    assert [r.label for r in summary.by_direction] == ["Наставничество", "ИКТ"]
    assert {r.label for r in summary.by_template} == {"После семинара", "Итоги мастер-класса"}


# -- the page --------------------------------------------------------------------------------

def test_page_shows_the_figures(client, auth, answered):
    w = answered
    auth.login(w.methodist_a)
    response = client.get(URL, query_string=PERIOD)
    assert response.status_code == 200
    text = text_of(response)
    assert "Обратная связь" in text and "Район А" in text
    assert "0 % — низшая оценка, 100 % — высшая" in text
    alpha = text.split("По площадкам")[1].split("Альфа")[1].split("Гамма")[0]
    assert "75 %" in alpha and "+25 п. п." in alpha and "3 из 4" in alpha
    assert "4 из 5" in text  # X's mean on its own scale
    assert "Бета" not in text
    html = response.get_data(as_text=True)
    assert " style=" not in html and "css/reports-map.css" in html and '<svg class="chart chart-bars"' in html


def test_page_group_of_two_responses_shows_no_figures(client, auth, answered):
    auth.login(answered.methodist_a)
    text = text_of(client.get(URL, query_string=PERIOD))
    gamma = text.split("По площадкам")[1].split("Гамма")[1].split("По месяцам")[0]
    assert "мало ответов" in gamma
    # 10 and 9 on 1–10: index 94,4 %, mean 9,5 — neither may show anywhere
    assert "94,4" not in text and "9,5" not in text


def test_sites_fragment(client, auth, answered):
    auth.login(answered.methodist_a)
    response = client.get(URL, query_string={**PERIOD, "spage": "1"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="fb-sites"')
    assert "Альфа" in html and "<h1>" not in html and "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("args, note", [
    ({"role": "boss"}, "«boss» — нет такой группы отвечающих"),
    ({"to": "31.02.2027"}, "Дата окончания «31.02.2027» не распознана"),
    ({"site": "x1"}, "Площадка указана неверно"),
    ({"spage": "abc"}, ""),
    ({"spage": "100000"}, ""),
])
def test_bad_filters_are_ignored_with_a_note(client, auth, answered, args, note):
    auth.login(answered.methodist_a)
    response = client.get(URL, query_string={**PERIOD, **args})
    assert response.status_code == 200 and note in text_of(response)


def test_empty_municipality(client, auth, make):
    methodist = make.user(role=Role.METHODIST, scope=make.municipality(name="Новый район"))
    auth.login(methodist)
    response = client.get(URL)
    assert response.status_code == 200
    assert "ответов на чек-листы и приглашений нет" in text_of(response)
    response = client.get(EXPORT)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book["Площадки"].max_row == 1
    assert list(book["Итого"].iter_rows(min_row=2, values_only=True))[0][:3] == ("Итого", 0, 0)


# -- permissions -----------------------------------------------------------------------------

@pytest.mark.parametrize("url", [URL, EXPORT])
def test_permissions(client, auth, w, url):
    assert client.get(url).status_code == 302
    for who in (w.teacher, w.coordinator, w.leader):
        auth.login(who)
        assert client.get(url).status_code == 403
    auth.login(w.methodist_b)
    assert client.get(url, query_string={"municipality": w.mun_a.id}).status_code == 403
    assert client.get(url, query_string={"site": w.site_a.id}).status_code == 403
    assert client.get(url).status_code == 200
    auth.login(w.methodist_a)
    assert client.get(url, query_string={"municipality": w.mun_a.id}).status_code == 200
    auth.login(w.admin)
    assert client.get(url, query_string={"municipality": w.mun_b.id}).status_code == 200


# -- the export ------------------------------------------------------------------------------

def test_xlsx_export(client, auth, answered):
    auth.login(answered.methodist_a)
    response = client.get(EXPORT, query_string={**PERIOD, "fmt": "xlsx"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Итого", "Площадки", "Направления", "Чек-листы", "Месяцы", "Пояснения"]
    sites = list(book["Площадки"].iter_rows(values_only=True))
    header = sites[0]
    assert header[:2] == ("Площадка", "Ответов") and "Индекс удовлетворённости, %" in header
    by_site = {r[0]: dict(zip(header, r, strict=True)) for r in sites[1:]}
    assert by_site["Альфа"]["Ответов"] == 3 and by_site["Альфа"]["Доля ответивших, %"] == 75.0
    assert by_site["Альфа"]["Индекс удовлетворённости, %"] == 75.0
    assert by_site["Альфа"]["Изменение индекса, п. п."] == 25.0
    assert by_site["Гамма"]["Индекс удовлетворённости, %"] == "мало ответов"
    templates = list(book["Чек-листы"].iter_rows(values_only=True))
    by_template = {r[0]: dict(zip(templates[0], r, strict=True)) for r in templates[1:]}
    assert by_template["После семинара"]["Средняя оценка"] == 4.0
    assert by_template["Итоги мастер-класса"]["Средняя оценка"] == "мало ответов"
    months = list(book["Месяцы"].iter_rows(min_row=2, values_only=True))
    assert ("Октябрь 2026", "Октябрь 2025") in [r[:2] for r in months] and len(months) == 12


def test_export_refuses_csv(client, auth, w):
    auth.login(w.methodist_a)
    response = client.get(EXPORT, query_string={"fmt": "csv"})
    assert response.status_code == 400 and "только в Excel" in text_of(response)


# -- queries ---------------------------------------------------------------------------------

def _count(client, db, url, **kw) -> int:
    db.session.remove()
    with count_queries(db.engine) as statements:
        response = client.get(url, **kw)
    assert response.status_code == 200
    return len(statements)


def _grow(make, db, ids, n: int):
    """n more sites of A, each with a session and three answers to X (and one a year earlier)."""
    from webapp.checklists.models import ChecklistTemplate
    from webapp.orgs.models import Organization

    org = db.session.get(Organization, ids.org_a)
    x = db.session.get(ChecklistTemplate, ids.x)
    direction = db.session.get(Direction, ids.d2)
    w = SimpleNamespace(make=make)
    for _ in range(n):
        site = make.site(organization=org)
        assign(db, x, site)
        session = make.session(site=site, start=OCT - timedelta(days=2), direction=direction)
        before = make.session(site=site, start=LAST_YEAR - timedelta(days=2), direction=direction)
        db.session.commit()
        for value in ("5", "4", "2"):
            respond(w, db, session, x, {"useful": value})
        respond(w, db, before, x, {"useful": "4"}, when=LAST_YEAR)


def test_query_count_does_not_grow(client, auth, make, db, answered):
    w = answered
    ids = SimpleNamespace(org_a=w.org_a.id, x=w.x.id, d2=w.d2.id)
    auth.login(w.methodist_a)
    urls = [(URL, {"query_string": PERIOD}), (URL, {"query_string": {**PERIOD, "spage": "2"}, "headers": HX}),
            (EXPORT, {"query_string": PERIOD})]
    small = [_count(client, db, url, **kw) for url, kw in urls]
    _grow(make, db, ids, 4)
    large = [_count(client, db, url, **kw) for url, kw in urls]
    assert small == large
    assert max(large) <= 16
