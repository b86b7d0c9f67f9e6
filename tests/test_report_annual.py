"""The annual report: the figures and sentences of every section on a small hand-built network,
Russian word forms, an empty municipality, who may read it, the chooser and the network-wide
report, the workbook, and a constant number of queries.

The network (times relative to now; the period is now ± 90 days): municipality A («Павловский
район») with schools 1–3, sites at schools 1 and 2, two directions and two forms; a published
plan of four items (held, planned ×2, cancelled); sessions — three held (school 1: семинар-
практикум and мастер-класс in «Наставничество»; school 2: семинар-практикум in «ИКТ»), one to
come, one cancelled, one long ago. Eight teachers: three of school 1 (one young) attended the first
seminar and answered its check-list (5, 4, 3 on a 1–5 scale), a deputy head of school 2 attended
the ИКТ seminar, a teacher of school 3 registered for the master class and did not come; three
more of school 1 (a teacher, the coordinator, the site leader) took part in nothing.
Municipality B has a session and a teacher of its own; «Новый район» has nothing.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from conftest import count_queries, text_of
from openpyxl import load_workbook
from werkzeug.datastructures import MultiDict

from webapp.accounts.models import Role, RoleGrant
from webapp.attendance.models import Attendance, AttendanceStatus
from webapp.checklists import answering, building
from webapp.checklists.models import ChecklistAssignment, ChecklistInvitation, OpensOn, RespondentRole
from webapp.orgs.models import Municipality, OrgKind
from webapp.plan.models import ItemStatus
from webapp.registration.models import Registration, RegStatus
from webapp.reports import annual as service
from webapp.reports import feedback, indicators, interaction_map, participation
from webapp.reports.fulfilment import FulfilmentSummary, ItemCounts, SessionCounts
from webapp.reports.models import Indicator, Measure
from webapp.reports.scope import ReportFilters
from webapp.sessions.models import SessionStatus
from webapp.taxonomy.models import Direction, EventForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOW = datetime.now(timezone.utc).replace(microsecond=0)
START, END = (NOW - timedelta(days=90)).date(), (NOW + timedelta(days=90)).date()
PERIOD = {"from": START.isoformat(), "to": END.isoformat()}
URL, EXPORT = "/reports/annual", "/reports/annual/export"

CHECKLIST = {"format": building.EXPORT_FORMAT, "format_version": building.EXPORT_FORMAT_VERSION,
             "title": "После семинара", "instructions": "",
             "items": [{"key": "useful", "kind": "scale", "text": "Насколько полезно?", "settings": {"max": 5}}]}


def attend(db, session, person, status=AttendanceStatus.PRESENT, register=True):
    if register:
        db.session.add(Registration(session_id=session.id, user_id=person.id, organization_id=person.organization_id,
                                    status=RegStatus.CONFIRMED))
    if status is not None:
        db.session.add(Attendance(session_id=session.id, user_id=person.id, organization_id=person.organization_id,
                                  status=status, marked_dt=session.start_dt + timedelta(minutes=5)))
    db.session.flush()


def answer(db, template, session, person, value: int):
    """Her invitation (she attended) answered with `value` on the scale, through the real path."""
    when = session.end_dt + timedelta(hours=1)
    answering.sync_invitations(now=when, user=person)
    invitation = db.session.scalars(sa.select(ChecklistInvitation).where(
        ChecklistInvitation.user_id == person.id, ChecklistInvitation.session_id == session.id)).one()
    item = template.current_version.items[0]
    answering.submit(invitation.id, person, MultiDict({answering.field_name(item): str(value)}), now=when)
    db.session.flush()


@pytest.fixture
def w(make, db):
    w = SimpleNamespace(make=make)
    w.d1, w.d2 = Direction(name="Наставничество", position=1), Direction(name="ИКТ-компетенции", position=2)
    w.seminar, w.master = EventForm(name="Семинар-практикум", position=1), EventForm(name="Мастер-класс", position=2)
    db.session.add_all([w.d1, w.d2, w.seminar, w.master])
    db.session.flush()
    w.a = make.municipality(name="Павловский район")
    w.b = make.municipality(name="Кореновский район")
    w.empty = make.municipality(name="Новый район")
    w.s1, w.s2, w.s3 = (make.organization(municipality=w.a, name=f"МБОУ СОШ № {n}") for n in (1, 2, 3))
    w.sb = make.organization(municipality=w.b, name="МБОУ СОШ № 9")
    w.site1 = make.site(organization=w.s1, name="Гимназия № 1")
    w.site2 = make.site(organization=w.s2, name="Лицей № 2")
    w.site_b = make.site(organization=w.sb, name="Площадка Б")

    w.plan = make.plan(municipality=w.a, period_start=START, period_end=END)
    w.i1 = make.item(plan=w.plan, direction_id=w.d1.id, status=ItemStatus.HELD)
    w.i2 = make.item(plan=w.plan, direction_id=w.d1.id, status=ItemStatus.PLANNED)
    w.i3 = make.item(plan=w.plan, direction_id=w.d2.id, status=ItemStatus.CANCELLED)
    w.i4 = make.item(plan=w.plan, direction_id=w.d2.id, status=ItemStatus.PLANNED)

    def session(site, days, direction, form=None, **kw):
        return make.session(site=site, start=NOW + timedelta(days=days), direction_id=direction.id,
                            form_id=form.id if form else None, **kw)

    w.p1 = session(w.site1, -20, w.d1, w.seminar, plan_item_id=w.i1.id, title="Семинар о наставничестве")
    w.p2 = session(w.site1, -10, w.d1, w.master, title="Мастер-класс наставника")
    w.p3 = session(w.site2, -5, w.d2, w.seminar, title="Цифровой урок")
    w.future = session(w.site2, 10, w.d1, w.seminar, plan_item_id=w.i2.id)
    w.cancelled = session(w.site1, -7, w.d2, status=SessionStatus.CANCELLED)
    w.old = session(w.site1, -200, w.d1, w.seminar)
    w.session_b = session(w.site_b, -8, w.d1, w.master)

    w.young = make.user(organization=w.s1, last_name="Молодая", years_experience=2)
    w.t4 = make.user(organization=w.s1, last_name="Опытная", years_experience=10)
    w.t5 = make.user(organization=w.s1, last_name="Вторая", years_experience=12)
    w.deputy = make.user(organization=w.s2, last_name="Завучева", position="Заместитель директора",
                         years_experience=20)
    w.absent = make.user(organization=w.s3, last_name="Неявкина", years_experience=8)
    w.tb = make.user(organization=w.sb, last_name="Гостья", years_experience=5)

    w.admin = make.user(Role.ADMIN, last_name="Админова", first_name="Ирина", middle_name="Петровна")
    w.template = building.import_template(CHECKLIST, w.admin)
    db.session.add(ChecklistAssignment(template_id=w.template.id, site_id=w.site1.id, role=RespondentRole.PARTICIPANT,
                                       opens_on=OpensOn.ATTENDANCE, anonymous=False, open_days=60))
    db.session.flush()
    for person, value in ((w.young, 5), (w.t4, 4), (w.t5, 3)):
        attend(db, w.p1, person)
        answer(db, w.template, w.p1, person, value)
    attend(db, w.p3, w.deputy)
    attend(db, w.p2, w.absent, status=None)
    attend(db, w.session_b, w.tb)
    attend(db, w.old, w.t4)

    db.session.add_all([
        Indicator(name="Доля педагогов, посетивших мероприятия", measure=Measure.TEACHERS_TRAINED, target_value=41,
                  period_start=START, period_end=END, position=1),
        Indicator(name="Число сетевых мероприятий", measure=Measure.EVENTS_HELD, target_value=5,
                  period_start=START, period_end=END, position=2),
    ])
    w.methodist = make.user(Role.METHODIST, scope=w.a, email="methodist-a@example.org",
                            last_name="Методистова", first_name="Анна", middle_name="Сергеевна")
    w.methodist_b = make.user(Role.METHODIST, scope=w.b, email="methodist-b@example.org")
    w.methodist_new = make.user(Role.METHODIST, scope=w.empty, email="methodist-new@example.org")
    w.teacher = make.user(organization=w.s1, email="teacher@example.org")
    w.coordinator = make.user(Role.COORDINATOR, scope=w.s1, organization=w.s1)
    w.leader = make.user(Role.SITE_LEADER, scope=w.site1, organization=w.s1)
    db.session.commit()
    return w


def filters(w, municipality=None, **kw) -> ReportFilters:
    m = municipality or w.a
    return ReportFilters(**{"start": START, "end": END, "scope_ids": (m.id,), "municipality_id": m.id,
                            "municipality_name": m.name, **kw})


def page_text(client, auth, user, **args) -> str:
    auth.login(user)
    response = client.get(URL, query_string={**PERIOD, **args})
    assert response.status_code == 200
    return text_of(response)


# -- the figures ---------------------------------------------------------------------------------

def test_plan_fulfilment(w):
    r = service.build(filters(w), now=NOW)
    i, s = r.fulfilment.items, r.fulfilment.sessions
    assert (i.total, i.held, i.planned, i.cancelled) == (4, 1, 2, 1)
    assert (s.total, s.held, s.planned, s.cancelled) == (5, 3, 1, 1)
    assert r.fulfilment.items_without_session == 1
    assert r.plan_text == [
        "В плане на период — 4 пункта: проведено 1 (25\u00a0%), запланировано 2, отменено 1.",
        "Проведено 3 мероприятия из 5 назначенных на период (60\u00a0%), ещё 1 предстоит, отменено 1.",
        "По 1 пункту плана мероприятия ещё не назначены.",
    ]


def test_events_by_direction_and_form(w):
    ev = service.build(filters(w), now=NOW).events
    assert (ev.held, ev.hosts, ev.direction_count) == (3, 2, 2)
    assert [(f.label, f.held, round(f.share, 1)) for f in ev.forms] == [
        ("Семинар-практикум", 2, 66.7), ("Мастер-класс", 1, 33.3)]
    rows = {d.label: d for d in ev.directions}
    assert list(rows) == ["Наставничество", "ИКТ-компетенции"]
    d1, d2 = rows["Наставничество"], rows["ИКТ-компетенции"]
    assert (d1.items.total, d1.sessions.held, d1.sessions.planned, d1.hosts) == (2, 2, 1, 1)
    assert d1.forms_text == "семинар-практикум — 1, мастер-класс — 1"
    assert (d2.items.total, d2.sessions.held, d2.sessions.cancelled, d2.hosts) == (2, 1, 1, 1)
    assert service.events_sentences(ev) == [
        "Проведено 3 мероприятия на базе 2 организаций по 2 направлениям.",
        "Основные формы проведения: семинар-практикум (2), мастер-класс (1).",
    ]


def test_coverage(w):
    r = service.build(filters(w), now=NOW)
    t = r.participation.coverage.total
    assert (t.teachers, t.reached, t.young, t.young_reached) == (8, 4, 1, 1)
    assert (r.schools.organizations, r.schools.reached, r.schools.management) == (3, 2, 1)
    totals = r.participation.totals
    assert (totals.registrations, totals.attended, totals.no_shows, totals.due) == (5, 4, 1, 5)
    assert r.coverage_text == [
        "Хотя бы одно мероприятие посетили 4 из 8 педагогов (50\u00a0%), в том числе 1 из 1 молодого педагога "
        "(100\u00a0%).",
        "На мероприятия подано 5 заявок, отмечено 4 посещения; неявки — 20\u00a0% подтверждённых заявок на "
        "прошедшие мероприятия.",
        "В мероприятиях участвовали педагоги 2 из 3 школ (66,7\u00a0%), в том числе управленческие команды 1 школы "
        "(33,3\u00a0%; цель — 100\u00a0%).",
        "Пока не охвачена 1 школа.",
    ]


def test_feedback_and_indicators(w):
    r = service.build(filters(w), now=NOW)
    c = r.feedback.total.current
    assert (c.responses, c.invited, c.answered) == (3, 3, 3)
    assert round(c.index, 1) == 75.0
    assert r.feedback_text == [
        "Получено 3 ответа на чек-листы обратной связи; ответили 3 из 3 приглашённых (100\u00a0%).",
        "Индекс удовлетворённости — 75\u00a0%.",
    ]
    assert [(row.name, row.actual_text, row.status) for row in r.indicators.rows] == [
        ("Доля педагогов, посетивших мероприятия", "50\u00a0%", "met"),
        ("Число сетевых мероприятий", "3", "running"),
    ]
    assert r.indicators_text == ["Достигнут 1 из 2 показателей.",
                                 "По 1 показателю период ещё не завершён: значение может измениться."]


def test_the_municipality_alone(w):
    """B's session, teacher and response count nowhere in A's report; A's in none of B's."""
    r = service.build(filters(w, municipality=w.b), now=NOW)
    assert (r.events.held, r.events.hosts) == (1, 1)
    assert r.fulfilment.items.total == 0
    assert r.participation.coverage.total.teachers == 1


def test_the_query_of_its_own_matches_fulfilment(w):
    """«Held» here is fulfilment's «held»: the two counts agree per direction."""
    r = service.build(filters(w), now=NOW)
    assert sum(f.held for f in r.events.forms) == r.events.held == r.fulfilment.sessions.held


# -- word forms ----------------------------------------------------------------------------------

def fulfilment_summary(held=0, planned=0, cancelled=0, moved=0, items=(0, 0, 0, 0), without=0):
    return FulfilmentSummary(items=ItemCounts(*items), sessions=SessionCounts(planned, held, moved, cancelled),
                             by_direction=[], items_without_session=without)


@pytest.mark.parametrize("n, word", [(1, "мероприятие"), (3, "мероприятия"), (5, "мероприятий"),
                                     (11, "мероприятий"), (21, "мероприятие"), (22, "мероприятия"),
                                     (1005, "мероприятий")])
def test_events_word_forms(n, word):
    ev = service.Events(held=n, hosts=0, directions=[], forms=[])
    assert service.events_sentences(ev) == [f"Проведено {service.num(n)} {word}."]


def test_the_sources_sentence():
    """Seed 003: «Проведено 21 мероприятие на базе 19 школ по семи направлениям»."""
    directions = [service.DirectionLine(i, f"Н{i}", ItemCounts(), SessionCounts(held=3)) for i in range(7)]
    forms = [service.FormLine(1, "Семинар-практикум", 9), service.FormLine(2, "Мастер-класс", 6),
             service.FormLine(3, "Деловая игра", 4), service.FormLine(4, "Фестиваль", 2)]
    ev = service.Events(held=21, hosts=19, directions=directions, forms=forms)
    assert service.events_sentences(ev) == [
        "Проведено 21 мероприятие на базе 19 организаций по 7 направлениям.",
        "Основные формы проведения: семинар-практикум (9), мастер-класс (6), деловая игра (4).",
    ]
    one = service.Events(held=1, hosts=21, directions=directions[:1], forms=forms[:1])
    assert service.events_sentences(one) == ["Проведено 1 мероприятие на базе 21 организации по 1 направлению.",
                                             "Основная форма проведения: семинар-практикум (9)."]


def test_plan_word_forms():
    text = service.plan_sentences(fulfilment_summary(held=21, planned=2, moved=1, items=(3, 21, 1, 0), without=2))
    assert text == [
        "В плане на период — 25 пунктов: проведено 21 (84\u00a0%), запланировано 3, перенесено 1.",
        "Проведено 21 мероприятие из 23 назначенных на период (91,3\u00a0%), ещё 2 предстоит.",
        "Сроки 1 мероприятия переносились.",
        "По 2 пунктам плана мероприятия ещё не назначены.",
    ]
    text = service.plan_sentences(fulfilment_summary(planned=3, items=(1, 0, 0, 0)))
    assert text == ["В плане на период — 1 пункт: проведено 0 (0\u00a0%), запланировано 1.",
                    "Мероприятия за период ещё не проводились: назначено 3 мероприятия, ещё 3 предстоит."]


def test_coverage_and_feedback_word_forms():
    cov = participation.Coverage([], participation.CoverageRow(None, "Итого", 21, 21, 2, 1))
    p = participation.ParticipationSummary(totals=participation.Tally(confirmed=1, present=21), coverage=cov)
    schools = interaction_map.MapSummary(organizations=22, reached=21, management=21, by_direction=[])
    assert service.coverage_sentences(p, schools) == [
        "Хотя бы одно мероприятие посетил 21 из 21 педагога (100\u00a0%), в том числе 1 из 2 молодых педагогов "
        "(50\u00a0%).",
        "На мероприятия подана 1 заявка, отмечено 21 посещение.",
        "В мероприятиях участвовали педагоги 21 из 22 школ (95,5\u00a0%), в том числе управленческие команды 21 школы "
        "(95,5\u00a0%; цель — 100\u00a0%).",
        "Пока не охвачена 1 школа.",
    ]
    schools = interaction_map.MapSummary(organizations=2, reached=2, management=0, by_direction=[])
    assert service.coverage_sentences(p, schools)[-1] == (
        "В мероприятиях участвовали педагоги 2 из 2 школ (100\u00a0%); управленческие команды школ пока не "
        "участвовали (цель — 100\u00a0%).")
    row = feedback.Row("total", "Итого", current=feedback.Figures(responses=1, invited=2, answered=1))
    summary = feedback.FeedbackSummary("", "", row, [], [])
    assert service.feedback_sentences(summary) == [
        "Получен 1 ответ на чек-листы обратной связи; ответил 1 из 2 приглашённых (50\u00a0%).",
        "Оценки не приводятся: ответов слишком мало, чтобы сохранить анонимность.",
    ]


def test_indicator_word_forms():
    def row(status):
        return indicators.SummaryRow("П", Measure.EVENTS_HELD, "", 1, None, 0, None, status, "", "", "", "")

    summary = indicators.IndicatorSummary("A", [row("met")] * 21 + [row("nodata")] * 2)
    assert service.indicator_sentences(summary) == ["Достигнут 21 из 23 показателей.",
                                                    "По 2 показателям нет данных."]
    assert service.indicator_sentences(indicators.IndicatorSummary("A", [])) == [
        "Показатели на этот период не заданы."]


def test_period_titles():
    f = ReportFilters(start=date(2026, 9, 1), end=date(2027, 8, 31))
    assert service.period_title(f) == "за 2026/2027 учебный год"
    f = ReportFilters(start=date(2026, 9, 1), end=date(2027, 3, 15))
    assert service.period_title(f) == "за период с 1 сентября 2026 по 15 марта 2027"


# -- an empty municipality -------------------------------------------------------------------------

def test_an_empty_municipality_shows_zeros_and_friendly_sentences(w, client, auth):
    r = service.build(filters(w, municipality=w.empty), now=NOW)
    assert r.plan_text == [service.NO_EVENTS, "Пунктов плана на этот период нет."]
    assert r.events_text == [service.NO_EVENTS]
    assert r.coverage_text == ["Педагоги в системе пока не зарегистрированы.",
                               "Школы в справочник организаций пока не внесены."]
    assert r.feedback_text == ["За период отзывов по чек-листам обратной связи не поступало."]
    text = page_text(client, auth, w.methodist_new)
    assert "Муниципальное образование Новый район" in text
    assert "За период мероприятия не проводились." in text
    assert "Проведённых мероприятий нет." in text
    assert "Педагоги 0 0 —" in text


# -- the page ------------------------------------------------------------------------------------

def test_the_methodist_gets_her_municipality(w, client, auth):
    text = page_text(client, auth, w.methodist)
    assert "Отчёт о работе сети стажировочных площадок Муниципальное образование Павловский район" in text
    for heading in ("1. Выполнение плана", "2. Мероприятия по направлениям и формам",
                    "3. Охват педагогов и образовательных организаций", "4. Обратная связь", "5. Показатели"):
        assert heading in text
    assert "Проведено 3 мероприятия на базе 2 организаций по 2 направлениям." in text
    assert "Наставничество 2 2 1 0 1 семинар-практикум — 1, мастер-класс — 1" in text
    assert "Индекс удовлетворённости — 75 %." in text.replace("\u00a0", " ")
    assert "Подготовлено: " in text and "Методистова Анна Сергеевна" in text
    assert "Ctrl + P" in text


def test_a_site_or_direction_narrows_the_report_and_says_so(w, client, auth):
    text = page_text(client, auth, w.methodist, site=w.site2.id)
    assert "Отчёт ограничен площадкой «Лицей № 2»." in text
    assert "Проведено 1 мероприятие на базе 1 организации по 1 направлению." in text
    text = page_text(client, auth, w.methodist, direction=w.d1.id)
    assert "Отчёт ограничен направлением «Наставничество»." in text
    assert "Проведено 2 мероприятия на базе 1 организации по 1 направлению." in text


def test_the_academic_year_heading(w, client, auth):
    text = page_text(client, auth, w.methodist, **{"from": "2026-09-01", "to": "2027-08-31"})
    assert "за 2026/2027 учебный год" in text


def test_a_print_stylesheet_for_a4(w, client, auth):
    auth.login(w.methodist)
    html = client.get(URL, query_string=PERIOD).get_data(as_text=True)
    assert "css/reports-annual.css" in html and "style=" not in html
    css = client.get("/static/css/reports-annual.css").get_data(as_text=True)
    assert "size: A4" in css and "@media print" in css and ".topbar" in css


def test_the_chooser_for_a_methodist_of_several(w, client, auth, db, make):
    both = make.user(Role.METHODIST, scope=w.a, email="both@example.org")
    db.session.add(RoleGrant(user_id=both.id, role=Role.METHODIST, municipality_id=w.b.id))
    auth.login(both)
    response = client.get(URL, query_string=PERIOD)
    text = text_of(response)
    assert response.status_code == 200 and "Выберите муниципалитет" in text
    assert "Павловский район" in text and "Кореновский район" in text and "Новый район" not in text
    assert "Вся сеть" not in text and "1. Выполнение плана" not in text
    html = response.get_data(as_text=True)
    assert f"municipality={w.a.id}" in html
    # the network is not hers to ask for: still the chooser
    assert "Выберите муниципалитет" in text_of(client.get(URL, query_string={**PERIOD, "all": "1"}))
    assert "5. Показатели" in text_of(client.get(URL, query_string={**PERIOD, "municipality": w.b.id}))


def test_the_admin_chooses_a_municipality_or_the_network(w, client, auth):
    auth.login(w.admin)
    text = text_of(client.get(URL, query_string=PERIOD))
    assert "Выберите муниципалитет" in text and "Новый район" in text and "Вся сеть" in text
    text = text_of(client.get(URL, query_string={**PERIOD, "municipality": w.a.id}))
    assert "Муниципальное образование Павловский район" in text
    for args in ({"all": "1"}, {"municipality": ""}):
        response = client.get(URL, query_string={**PERIOD, **args})
        text = text_of(response)
        assert "Все муниципалитеты сети" in text and "по всей сети" in text
        # the network: A's three held sessions and B's one; coverage per municipality
        assert "Проведено 4 мероприятия на базе 3 организаций по 2 направлениям." in text
        assert "Охват педагогов по муниципалитетам" in text
        # its links keep saying «the network»
        assert "all=1" in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["teacher", "coordinator", "leader"])
def test_others_are_refused(w, client, auth, who):
    auth.login(getattr(w, who))
    assert client.get(URL, query_string=PERIOD).status_code == 403
    assert client.get(EXPORT, query_string=PERIOD).status_code == 403


def test_another_municipality_is_refused(w, client, auth):
    auth.login(w.methodist_b)
    assert client.get(URL, query_string={**PERIOD, "municipality": w.a.id}).status_code == 403
    assert client.get(EXPORT, query_string={**PERIOD, "municipality": w.a.id}).status_code == 403


def test_anonymous_goes_to_login(w, client):
    for url in (URL, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_bad_filters_are_noted_not_fatal(w, client, auth):
    auth.login(w.methodist)
    response = client.get(URL, query_string={"from": "вчера", "to": "2027-13-45", "direction": "abc"})
    assert response.status_code == 200
    assert "не распознана" in text_of(response)


# -- the workbook --------------------------------------------------------------------------------

def test_the_workbook_has_a_sheet_per_section(w, client, auth):
    auth.login(w.methodist)
    response = client.get(EXPORT, query_string={**PERIOD, "fmt": "xlsx"})
    assert response.status_code == 200 and response.mimetype == XLSX
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Сведения", "1. Выполнение плана", "2. Направления и формы", "3. Охват",
                               "4. Обратная связь", "5. Показатели"]
    about = [r for r in book["Сведения"].iter_rows(values_only=True)]
    assert ("Муниципалитет", "Павловский район") in about
    assert any(r[0] == "Подготовлено" and "Методистова Анна Сергеевна" in r[1] for r in about)
    plan = list(book["1. Выполнение плана"].iter_rows(values_only=True))
    assert plan[1][:7] == ("Пункты плана", 4, 1, 2, 0, 1, 25)
    assert plan[2][:7] == ("Мероприятия", 5, 3, 1, 0, 1, 60)
    assert ("Выводы",) == tuple(v for v in plan[-4] if v is not None)
    events = list(book["2. Направления и формы"].iter_rows(values_only=True))
    assert events[1][:7] == ("Наставничество", 2, 2, 1, 0, 1, "семинар-практикум — 1, мастер-класс — 1")
    assert ("Семинар-практикум", 2, 66.7) in [r[:3] for r in events]
    assert any(r[0] == "Проведено 3 мероприятия на базе 2 организаций по 2 направлениям." for r in events)
    coverage = list(book["3. Охват"].iter_rows(values_only=True))
    assert coverage[1][:4] == ("Педагоги", 8, 4, 50)
    indicator_rows = list(book["5. Показатели"].iter_rows(values_only=True))
    assert indicator_rows[1][0] == "Доля педагогов, посетивших мероприятия" and indicator_rows[1][5] == "Достигнут"


def test_the_workbook_needs_an_area_and_xlsx(w, client, auth):
    auth.login(w.admin)
    response = client.get(EXPORT, query_string=PERIOD)
    assert response.status_code == 400 and "Выберите муниципалитет" in text_of(response)
    assert client.get(EXPORT, query_string={**PERIOD, "all": "1"}).status_code == 200
    response = client.get(EXPORT, query_string={**PERIOD, "municipality": w.a.id, "fmt": "pdf"})
    assert response.status_code == 400


def test_an_empty_workbook(w, client, auth):
    auth.login(w.methodist_new)
    response = client.get(EXPORT, query_string=PERIOD)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    rows = list(book["2. Направления и формы"].iter_rows(values_only=True))
    assert any(r[0] == service.NO_EVENTS for r in rows)


# -- queries -------------------------------------------------------------------------------------

def grow(db, make, ids: dict, n: int):
    """n more held sessions of A, each with a new teacher of a new school who attended (or not)."""
    a = db.session.get(Municipality, ids["a"])
    for k in range(n):
        school = make.organization(municipality=a, kind=OrgKind.SCHOOL)
        site = make.site(organization=school)
        s = make.session(site=site, start=NOW - timedelta(days=30 + k % 40), direction_id=ids["direction"],
                         form_id=ids["form"])
        person = make.user(organization=school, years_experience=k % 6)
        attend(db, s, person, AttendanceStatus.PRESENT if k % 3 else AttendanceStatus.ABSENT)
    db.session.commit()


def test_queries_do_not_grow_with_the_data(w, client, auth, db, make):
    auth.login(w.methodist)
    ids = {"a": w.a.id, "direction": w.d2.id, "form": w.master.id}

    def measure(url: str) -> int:
        db.session.remove()
        with count_queries(db.engine) as statements:
            response = client.get(url, query_string=PERIOD)
        assert response.status_code == 200
        return len(statements)

    small = (measure(URL), measure(EXPORT))
    grow(db, make, ids, 5)
    medium = (measure(URL), measure(EXPORT))
    grow(db, make, ids, 30)
    large = (measure(URL), measure(EXPORT))
    assert small == medium == large, (small, medium, large)
    assert large[0] <= 25, large
