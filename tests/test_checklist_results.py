"""Check-list results: distributions and means per kind of item, text answers page by page,
filters, who sees what, anonymity, comparisons, exports, and a constant number of queries.

Responses are made through the real path (attendance → invitations → answering.submit), so the
tallies the results read are the ones submission writes.

The scenario: municipalities A and B, each with a school and a site with its leader; a methodist
of A, an admin, a teacher. A template with an item of every kind, assigned to participants of
each site's sessions.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from conftest import HX, count_queries, text_of
from openpyxl import load_workbook
from werkzeug.datastructures import MultiDict

from webapp.accounts.models import Role
from webapp.attendance.models import Attendance, AttendanceStatus
from webapp.checklists import answering, building
from webapp.checklists import results as service
from webapp.checklists.models import (
    ChecklistAssignment,
    ChecklistInvitation,
    ChecklistTally,
    OpensOn,
    RespondentRole,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OCT = datetime(2026, 10, 15, 9, 0, tzinfo=timezone.utc)
NOV = datetime(2026, 11, 16, 9, 0, tzinfo=timezone.utc)
LAST_YEAR = datetime(2025, 10, 14, 9, 0, tzinfo=timezone.utc)

TEMPLATE = {
    "format": building.EXPORT_FORMAT, "format_version": building.EXPORT_FORMAT_VERSION,
    "title": "Обратная связь после семинара", "instructions": "",
    "items": [
        {"key": "sec", "kind": "section", "text": "Содержание"},
        {"key": "useful", "kind": "scale", "text": "Насколько семинар был полезен?",
         "settings": {"max": 5, "min_label": "бесполезен", "max_label": "очень полезен"}},
        {"key": "materials", "kind": "ypn", "text": "Получили ли вы материалы?"},
        {"key": "format", "kind": "single", "text": "Какой формат удобнее?", "settings": {"options": [
            {"value": "o1", "label": "Очно"}, {"value": "o2", "label": "Онлайн"}, {"value": "o3", "label": "Смешанно"}]}},
        {"key": "use", "kind": "multiple", "text": "Что пригодится?", "settings": {"options": [
            {"value": "o1", "label": "Презентация"}, {"value": "o2", "label": "Конспект"},
            {"value": "o3", "label": "Шаблоны"}]}},
        {"key": "parts", "kind": "matrix", "text": "Оцените части семинара", "settings": {"max": 5, "rows": [
            {"key": "r1", "label": "Теория"}, {"key": "r2", "label": "Практикум"}]}},
        {"key": "lessons", "kind": "number", "text": "Сколько уроков вы проведёте по теме?",
         "settings": {"min": 0, "max": 100, "integer": True}},
        {"key": "apply", "kind": "long_text", "text": "Что вы примените в работе?"},
    ],
}

#: three answers whose sums are easy to check by hand
THREE = [
    {"useful": "5", "materials": "yes", "format": "o1", "use": ["o1", "o2"], "parts": {"r1": "4", "r2": "2"},
     "lessons": "10", "apply": "Приём «мозговой штурм»"},
    {"useful": "4", "materials": "partial", "format": "o1", "use": ["o2"], "parts": {"r1": "5"},
     "lessons": "20", "apply": "Карты урока"},
    {"useful": "4", "materials": "no", "format": "o2", "use": ["o2", "o3"], "parts": {"r1": "3", "r2": "4"},
     "lessons": "0"},
]


# -- the scenario ----------------------------------------------------------------------------

@pytest.fixture
def w(make, db):
    w = SimpleNamespace(make=make)
    w.mun_a, w.mun_b = make.municipality(name="Район А"), make.municipality(name="Район Б")
    w.org_a, w.org_b = make.organization(municipality=w.mun_a), make.organization(municipality=w.mun_b)
    w.site_a = make.site(organization=w.org_a, name="Площадка Альфа")
    w.site_b = make.site(organization=w.org_b, name="Площадка Бета")
    w.admin = make.user(role=Role.ADMIN, last_name="Админова")
    w.methodist_a = make.user(role=Role.METHODIST, scope=w.mun_a, last_name="Методистова")
    w.leader_a = make.user(role=Role.SITE_LEADER, scope=w.site_a, organization=w.org_a, last_name="Лидерова")
    w.leader_b = make.user(role=Role.SITE_LEADER, scope=w.site_b, organization=w.org_b, last_name="Бетова")
    w.teacher = make.user(organization=w.org_a, last_name="Учителева")
    w.template = building.import_template(TEMPLATE, w.admin)
    past = OCT - timedelta(days=1)
    w.session_a = make.session(site=w.site_a, start=past, title="Семинар в Альфе")
    w.session_a2 = make.session(site=w.site_a, start=past, title="Второй семинар в Альфе")
    w.session_b = make.session(site=w.site_b, start=past, title="Семинар в Бете")
    w.assign_a = assign(db, w.template, site=w.site_a)
    w.assign_b = assign(db, w.template, site=w.site_b)
    db.session.commit()
    return w


def assign(db, template, *, site=None, session=None, role=RespondentRole.PARTICIPANT, anonymous=False,
           opens_on=OpensOn.ATTENDANCE) -> ChecklistAssignment:
    assignment = ChecklistAssignment(template_id=template.id, site_id=site.id if site else None,
                                     session_id=session.id if session else None, role=role, opens_on=opens_on,
                                     anonymous=anonymous, open_days=30)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def form_of(template, answers: dict) -> MultiDict:
    items = {i.key: i for i in template.current_version.items}
    form = MultiDict()
    for key, value in answers.items():
        item = items[key]
        if isinstance(value, dict):
            for row, v in value.items():
                form.add(answering.field_name(item, row), v)
        elif isinstance(value, list):
            for v in value:
                form.add(answering.field_name(item), v)
        else:
            form.add(answering.field_name(item), value)
    return form


def respond(w, db, session, answers: dict, when: datetime = OCT, person=None, assignment=None, **person_kw):
    """A participant marked present at `session` answers through the real path (the invitation of
    `assignment`, when the session has several)."""
    person = person or w.make.user(organization=session.site.organization, **person_kw)
    db.session.add(Attendance(session_id=session.id, user_id=person.id, organization_id=person.organization_id,
                              status=AttendanceStatus.PRESENT, marked_dt=when))
    db.session.flush()
    answering.sync_invitations(now=when, user=person)
    invitation = db.session.scalars(sa.select(ChecklistInvitation).where(
        ChecklistInvitation.user_id == person.id, ChecklistInvitation.session_id == session.id,
        *([ChecklistInvitation.assignment_id == assignment.id] if assignment else []))).one()
    response = answering.submit(invitation.id, person, form_of(w.template, answers), now=when + timedelta(minutes=5))
    db.session.commit()
    return response


def url(w, **args) -> str:
    return f"/checklists/templates/{w.template.id}/results" + _query(args)


def _query(args: dict) -> str:
    from urllib.parse import urlencode

    return ("?" + urlencode(args)) if args else ""


def report_for(w, user, **args):
    filters, compare = service.parse_args(MultiDict({k: str(v) for k, v in args.items()}))
    return service.build(service.load_template(w.template.id), user, filters, compare)


def item_of(report, key):
    return next(r for r in report.items if r.item.key == key)


def bars(side) -> dict[str, tuple[int, int]]:
    """label → (count, rounded percent)."""
    return {b.label: (b.count, round(b.share)) for b in side.bars}


# -- sums ------------------------------------------------------------------------------------

def test_distributions_and_means_of_every_kind(w, db):
    for answers in THREE:
        respond(w, db, w.session_a, answers)
    report = report_for(w, w.admin)
    group = report.groups[0]
    assert (group.responses, group.invited, round(group.rate)) == (3, 3, 100)

    scale = item_of(report, "useful").sides[0]
    assert scale.answered == 3 and round(scale.mean, 2) == 4.33
    assert bars(scale) == {"1": (0, 0), "2": (0, 0), "3": (0, 0), "4": (2, 67), "5": (1, 33)}

    assert bars(item_of(report, "materials").sides[0]) == {"Да": (1, 33), "Частично": (1, 33), "Нет": (1, 33)}
    assert bars(item_of(report, "format").sides[0]) == {"Очно": (2, 67), "Онлайн": (1, 33), "Смешанно": (0, 0)}
    # several choices each: shares of those who answered, summing over 100 %
    assert bars(item_of(report, "use").sides[0]) == {"Презентация": (1, 33), "Конспект": (3, 100), "Шаблоны": (1, 33)}

    matrix = item_of(report, "parts").sides[0]
    theory, practice = matrix.rows
    assert (theory.label, theory.answered, theory.mean) == ("Теория", 3, 4.0)
    assert (practice.label, practice.answered, practice.mean) == ("Практикум", 2, 3.0)
    assert {b.label: b.count for b in practice.bars} == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 0}

    number = item_of(report, "lessons").sides[0]
    assert (number.answered, number.mean, number.minimum, number.maximum) == (3, 10.0, 0, 20)
    assert sum(b.count for b in number.bars) == 3

    assert item_of(report, "apply").sides[0].answered == 2


def test_the_page_shows_the_figures_in_russian(w, db, client, auth):
    for answers in THREE:
        respond(w, db, w.session_a, answers)
    auth.login(w.admin)
    response = client.get(url(w))
    assert response.status_code == 200
    text = text_of(response)
    assert "Приглашено 3" in text and "Ответили 3" in text and "Доля ответов 100 %" in text
    assert "Среднее: 4,3 из 5" in text
    assert "Конспект" in text and "3 · 100 %" in text
    assert "больше 100 %" in text  # the multiple-choice note
    assert "наименьшее 0, наибольшее 20" in text
    html = response.get_data(as_text=True)
    assert 'role="img"' in html and "<title" in html and "style=" not in html
    assert 'hx-trigger="revealed"' in html


# -- text answers ----------------------------------------------------------------------------

def texts_url(w, **args) -> str:
    return f"/checklists/templates/{w.template.id}/results/texts" + _query({"item": "apply", **args})


def test_text_answers_page_by_page_newest_first(w, db, client, auth):
    for n in range(25):
        respond(w, db, w.session_a, {"apply": f"Ответ номер {n:02d}"}, when=OCT + timedelta(days=n % 5),
                last_name=f"Участник{n:02d}")
    auth.login(w.leader_a)
    first = client.get(texts_url(w), headers=HX)
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="texts-apply"') and "<html" not in html
    text = text_of(first)
    assert "Ответы 1–20 из 25" in text and text.count("Ответ номер") == 20
    # newest first: the fifth day's answers, then the fourth's…; the first day's are on page 2
    assert text.index("Ответ номер 24") < text.index("Ответ номер 19") < text.index("Ответ номер 23") \
        < text.index("Ответ номер 01")
    assert "Участник24 Анна Сергеевна" in text  # a named check-list shows who answered
    second = text_of(client.get(texts_url(w, page=2), headers=HX))
    assert "Ответы 21–25 из 25" in second
    assert [n for n in range(25) if f"Ответ номер {n:02d}" in second] == [0, 5, 10, 15, 20]
    # the same URL without htmx is a page of its own
    page = client.get(texts_url(w, page=2))
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    assert "Что вы примените в работе?" in text_of(page) and "Ко всем результатам" in text_of(page)


def test_texts_of_an_unknown_or_non_text_item_are_404(w, db, client, auth):
    auth.login(w.admin)
    assert client.get(texts_url(w, item="nope")).status_code == 404
    assert client.get(texts_url(w, item="useful")).status_code == 404


# -- filters ---------------------------------------------------------------------------------

def test_filters_by_session_site_period_and_role(w, db, client, auth):
    respond(w, db, w.session_a, {"useful": "5"})
    respond(w, db, w.session_a2, {"useful": "3"}, when=NOV)
    respond(w, db, w.session_b, {"useful": "1"})
    # the site's leader answers a host's check-list about her own session
    host = assign(db, w.template, session=w.session_a, role=RespondentRole.HOST, opens_on=OpensOn.SESSION_END)
    db.session.commit()
    answering.sync_invitations(now=OCT, user=w.leader_a)
    invitation = db.session.scalars(sa.select(ChecklistInvitation).where(
        ChecklistInvitation.assignment_id == host.id)).one()
    answering.submit(invitation.id, w.leader_a, form_of(w.template, {"useful": "2"}), now=OCT)
    db.session.commit()

    def mean(**args):
        r = report_for(w, w.admin, **args)
        return r.groups[0].responses, item_of(r, "useful").sides[0].mean

    assert mean() == (4, 2.75)
    assert mean(session_id=w.session_a.id) == (2, 3.5)
    assert mean(site_id=w.site_a.id) == (3, 10 / 3)
    assert mean(site_id=w.site_b.id) == (1, 1.0)
    assert mean(municipality_id=w.mun_b.id) == (1, 1.0)
    assert mean(**{"from": "2026-11"}) == (1, 3.0)
    assert mean(**{"to": "2026-10"}) == (3, 8 / 3)
    assert mean(role="host") == (1, 2.0)
    assert mean(role="participant", site_id=w.site_a.id) == (2, 4.0)
    assert mean(assignment_id=w.assign_b.id) == (1, 1.0)

    auth.login(w.admin)
    response = client.get(url(w, site_id=w.site_b.id), headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="cl-results"') and "<html" not in html
    assert "Ответили 1" in text_of(response)
    assert response.headers.get("Vary") and "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize("args", [
    {"site_id": "abc"}, {"session_id": "-1"}, {"session_id": "99999999999999"}, {"municipality_id": "1.5"},
    {"role": "boss"}, {"from": "2026-13"}, {"from": "октябрь"}, {"to": "2026-1"},
    {"from": "2026-11", "to": "2026-10"}, {"compare": "planet"}, {"compare": "site", "a": "x", "b": "1"},
    {"compare": "year", "a": "1999", "b": "2026"}, {"compare": "year", "a": "2026", "b": "2026"},
    {"page": "zzz"}, {"assignment_id": "\x00"}, {"direction_id": "²"},
])
def test_bad_filter_values_are_ignored_with_a_note(w, db, client, auth, args):
    respond(w, db, w.session_a, THREE[0])
    auth.login(w.admin)
    response = client.get(url(w, **args))
    assert response.status_code == 200
    text = text_of(response)
    assert "Ответили 1" in text
    if set(args) != {"page"}:
        assert "не применён" in text or "не применено" in text
    for path in (texts_url(w, **args), f"/checklists/templates/{w.template.id}/results/export"
                 + _query({"format": "csv", **args})):
        assert client.get(path).status_code < 500


def test_unknown_template_is_404(w, client, auth):
    auth.login(w.admin)
    assert client.get("/checklists/templates/9999/results").status_code == 404


# -- who sees what ---------------------------------------------------------------------------

def test_each_role_sees_only_its_scope(w, db, client, auth):
    respond(w, db, w.session_a, {"useful": "5", "apply": "Из Альфы"})
    respond(w, db, w.session_b, {"useful": "1", "apply": "Из Беты"})
    respond(w, db, w.session_b, {"useful": "2", "apply": "Тоже из Беты"})

    assert report_for(w, w.admin).groups[0].responses == 3
    for user, own, other in ((w.leader_a, 1, {"site_id": w.site_b.id}),
                             (w.methodist_a, 1, {"municipality_id": w.mun_b.id}),
                             (w.leader_b, 2, {"session_id": w.session_a.id})):
        assert report_for(w, user).groups[0].responses == own
        # a filter outside her scope shows nothing of others
        filtered = report_for(w, user, **other)
        assert filtered.groups[0].responses == 0 and filtered.groups[0].invited == 0

    auth.login(w.leader_a)
    page = text_of(client.get(url(w)))
    assert "Ответили 1" in page and "Приглашено 1" in page
    texts = text_of(client.get(texts_url(w), headers=HX))
    assert "Из Альфы" in texts and "Беты" not in texts
    assert "Беты" not in text_of(client.get(texts_url(w, site_id=w.site_b.id), headers=HX))
    rows = read_csv(client.get(export_url(w, "csv")))
    assert len(rows) == 2  # the header and her one response

    auth.login(w.teacher)
    assert client.get(url(w)).status_code == 403
    assert client.get(texts_url(w)).status_code == 403
    assert client.get(export_url(w, "csv")).status_code == 403
    assert client.get("/checklists/results").status_code == 403

    auth.logout()
    for path in (url(w), texts_url(w), export_url(w, "csv"), "/checklists/results"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_site_leader_cannot_open_a_template_used_elsewhere_only(w, db, client, auth, make):
    other = building.import_template({**TEMPLATE, "title": "Чужой чек-лист"}, w.admin, municipality_id=w.mun_b.id)
    assign(db, other, site=w.site_b)
    db.session.commit()
    auth.login(w.leader_a)
    assert client.get(f"/checklists/templates/{other.id}/results").status_code == 403
    auth.login(w.methodist_a)
    assert client.get(f"/checklists/templates/{other.id}/results").status_code == 403
    auth.login(w.leader_b)
    assert client.get(f"/checklists/templates/{other.id}/results").status_code == 200


def test_the_index_lists_templates_with_responses_in_her_scope(w, db, client, auth):
    respond(w, db, w.session_a, {"useful": "5"})
    respond(w, db, w.session_b, {"useful": "1"})
    respond(w, db, w.session_b, {"useful": "2"})
    auth.login(w.admin)
    response = client.get("/checklists/results")
    assert response.status_code == 200
    assert "Обратная связь после семинара 3" in text_of(response)
    assert f'href="/checklists/templates/{w.template.id}/results"' in response.get_data(as_text=True)
    auth.login(w.leader_b)
    assert "Обратная связь после семинара 2" in text_of(client.get("/checklists/results"))
    auth.login(w.methodist_a)
    assert "Обратная связь после семинара 1" in text_of(client.get("/checklists/results"))


# -- anonymity -------------------------------------------------------------------------------

@pytest.fixture
def anonymous(w, db, make):
    """A session at A's site with an anonymous check-list of its own (A's site-wide one asks too)."""
    session = make.session(site=w.site_a, start=OCT - timedelta(days=1), title="Анонимный семинар")
    session.anonymous_assignment = assign(db, w.template, session=session, anonymous=True)
    db.session.commit()
    return session


def test_fewer_than_three_anonymous_responses_show_nothing_but_counts(w, db, client, auth, anonymous):
    for answers in THREE[:2]:
        respond(w, db, anonymous, answers, assignment=anonymous.anonymous_assignment, last_name="Тайнова")
    auth.login(w.admin)
    page = text_of(client.get(url(w, session_id=anonymous.id)))
    assert "Ответили 2" in page
    assert "Ответов меньше трёх: результаты скрыты, чтобы сохранить анонимность" in page
    assert "Среднее" not in page and "Очно" not in page and "Теория" not in page
    texts = text_of(client.get(texts_url(w, session_id=anonymous.id), headers=HX))
    assert "скрыты" in texts and "Карты урока" not in texts
    # named responses elsewhere do not dilute two anonymous ones: the difference would show them
    respond(w, db, w.session_a, THREE[2])
    assert report_for(w, w.admin).groups[0].hidden
    assert client.get(export_url(w, "csv", kind="summary")).status_code == 422


def test_three_anonymous_responses_are_shown_without_who_or_when(w, db, client, auth, anonymous):
    for answers in THREE:
        respond(w, db, anonymous, answers, assignment=anonymous.anonymous_assignment, last_name="Тайнова")
    response = db.session.scalars(sa.select(service.R)).first()
    assert response.user_id is None
    auth.login(w.leader_a)
    page = text_of(client.get(url(w, session_id=anonymous.id)))
    assert "скрыты" not in page and "Среднее: 4,3 из 5" in page
    texts = text_of(client.get(texts_url(w, session_id=anonymous.id), headers=HX))
    assert "Карты урока" in texts and "Анонимно · Октябрь 2026" in texts
    assert "Тайнова" not in texts and "15.10.2026" not in texts


# -- comparisons -----------------------------------------------------------------------------

def test_compare_two_sites_side_by_side(w, db, client, auth):
    respond(w, db, w.session_a, {"useful": "5"})
    respond(w, db, w.session_a2, {"useful": "4"})
    respond(w, db, w.session_b, {"useful": "1"})
    report = report_for(w, w.admin, compare="site", a=w.site_a.id, b=w.site_b.id)
    a, b = report.groups
    assert (a.side.label, a.responses, b.side.label, b.responses) == (
        "Площадка «Площадка Альфа»", 2, "Площадка «Площадка Бета»", 1)
    a_side, b_side = item_of(report, "useful").sides
    assert (a_side.mean, b_side.mean) == (4.5, 1.0)
    auth.login(w.admin)
    page = text_of(client.get(url(w, compare="site", a=w.site_a.id, b=w.site_b.id)))
    assert "Среднее: 4,5 из 5" in page and "Среднее: 1 из 5" in page
    assert page.count("Площадка «Площадка Бета»") >= 2


def test_compare_two_academic_years(w, db, client, auth):
    respond(w, db, w.session_a, {"useful": "2", "apply": "Прошлый год"}, when=LAST_YEAR)
    respond(w, db, w.session_a, {"useful": "4", "apply": "Этот год"})
    respond(w, db, w.session_a2, {"useful": "5"}, when=NOV)
    report = report_for(w, w.admin, compare="year", a=2025, b=2026)
    a, b = report.groups
    assert (a.side.label, a.responses, b.responses) == ("2025/2026 учебный год", 1, 2)
    assert [s.mean for s in item_of(report, "useful").sides] == [2.0, 4.5]
    auth.login(w.admin)
    page = client.get(url(w, compare="year", a=2025, b=2026))
    assert "2026/2027 учебный год" in text_of(page)
    html = page.get_data(as_text=True)
    assert 'id="texts-apply-a"' in html and 'id="texts-apply-b"' in html
    texts = text_of(client.get(texts_url(w, compare="year", a=2025, b=2026, side="a"), headers=HX))
    assert "Прошлый год" in texts and "Этот год" not in texts


# -- exports ---------------------------------------------------------------------------------

def export_url(w, fmt, kind="responses", **args) -> str:
    return f"/checklists/templates/{w.template.id}/results/export" + _query({"format": fmt, "kind": kind, **args})


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    body = response.data.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_responses_export_has_a_row_per_response_and_a_column_per_item(w, db, client, auth):
    for answers in THREE:
        respond(w, db, w.session_a, answers, last_name="Иванова")
    auth.login(w.admin)
    header, *rows = read_csv(client.get(export_url(w, "csv")))
    assert header[:6] == ["№", "Дата", "Роль", "Мероприятие", "Площадка", "Территория"]
    # a column per question, a matrix a column per row
    assert header[6:] == [
        "1. Насколько семинар был полезен?", "2. Получили ли вы материалы?", "3. Какой формат удобнее?",
        "4. Что пригодится?", "5. Оцените части семинара — Теория", "5. Оцените части семинара — Практикум",
        "6. Сколько уроков вы проведёте по теме?", "7. Что вы примените в работе?", "ФИО респондента"]
    assert len(rows) == 3
    first = dict(zip(header, rows[0], strict=True))
    assert first["Дата"] == "15.10.2026" and first["Мероприятие"] == "Семинар в Альфе"
    assert first["Площадка"] == "Площадка Альфа" and first["Территория"] == "Район А"
    assert first["2. Получили ли вы материалы?"] == "Да" and first["3. Какой формат удобнее?"] == "Очно"
    assert first["4. Что пригодится?"] == "Презентация; Конспект"
    assert first["5. Оцените части семинара — Практикум"] == "2"
    assert first["ФИО респондента"] == "Иванова Анна Сергеевна"
    assert dict(zip(header, rows[1], strict=True))["5. Оцените части семинара — Практикум"] == ""

    response = client.get(export_url(w, "xlsx"))
    assert response.status_code == 200 and response.mimetype == XLSX
    assert response.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0]) == header and len(table) == 4
    assert table[1][6] == 5 and table[1][1].date() == date(2026, 10, 15)


def test_anonymous_export_has_no_person_columns_and_leaves_out_small_sessions(w, db, client, auth, make, anonymous):
    small = make.session(site=w.site_a, start=OCT - timedelta(days=1), title="Малый анонимный")
    small_assignment = assign(db, w.template, session=small, anonymous=True)
    db.session.commit()
    for answers in THREE:
        respond(w, db, anonymous, answers, assignment=anonymous.anonymous_assignment, last_name="Тайнова")
    respond(w, db, small, THREE[0], assignment=small_assignment, last_name="Тайнова")
    auth.login(w.admin)
    header, *rows = read_csv(client.get(export_url(w, "csv", site_id=w.site_a.id)))
    assert "ФИО респондента" not in header and len(rows) == 3
    assert {r[1] for r in rows} == {"10.2026"}  # the month only
    assert {r[3] for r in rows} == {"Анонимный семинар"}
    assert "Тайнова" not in "".join(";".join(r) for r in rows)


def test_the_head_s_assessment_names_the_assessed_teacher(w, db, client, auth, make):
    head = make.user(role=Role.COORDINATOR, scope=w.org_a, organization=w.org_a, last_name="Директорова")
    assign(db, w.template, session=w.session_a, role=RespondentRole.HEAD, opens_on=OpensOn.DAYS_AFTER)
    db.session.commit()
    respond(w, db, w.session_a, {"useful": "5"}, assignment=w.assign_a, last_name="Оцениваемая")
    answering.sync_invitations(now=OCT, user=head)
    invitation = db.session.scalars(sa.select(ChecklistInvitation).where(ChecklistInvitation.user_id == head.id)).one()
    answering.submit(invitation.id, head, form_of(w.template, {"useful": "4"}), now=OCT)
    db.session.commit()
    auth.login(w.admin)
    header, *rows = read_csv(client.get(export_url(w, "csv")))
    assert header[-2:] == ["ФИО респондента", "ФИО оцениваемого педагога"]
    by_role = {r[2]: r for r in rows}
    assert by_role[RespondentRole.HEAD.label][-2:] == ["Директорова Анна Сергеевна", "Оцениваемая Анна Сергеевна"]
    assert by_role[RespondentRole.PARTICIPANT.label][-2:] == ["Оцениваемая Анна Сергеевна", ""]


def test_summary_export_counts_values_and_means(w, db, client, auth):
    for answers in THREE:
        respond(w, db, w.session_a, answers)
    auth.login(w.admin)
    header, *rows = read_csv(client.get(export_url(w, "csv", kind="summary")))
    assert header == ["№", "Вопрос", "Строка матрицы", "Ответ", "Количество", "Доля, %", "Среднее"]
    assert rows[1][1:5] == ["Ответили", "", "", "3"]
    useful = [r for r in rows if r[1] == "Насколько семинар был полезен?"]
    assert useful[0][3:] == ["Ответили на вопрос", "3", "", "4.33"]
    assert ["4", "2", "66.7"] in [r[3:6] for r in useful]
    theory = [r for r in rows if r[2] == "Теория"]
    assert theory[0][3:] == ["Ответили", "3", "", "4.0"]
    workbook = client.get(export_url(w, "xlsx", kind="summary"))
    assert workbook.status_code == 200 and workbook.mimetype == XLSX


def test_exports_are_bounded_like_the_attendance_exports(w, db, client, auth, monkeypatch):
    from webapp.checklists import results_export

    for answers in THREE:
        respond(w, db, w.session_a, answers)
    auth.login(w.admin)
    monkeypatch.setattr(results_export, "MAX_XLSX_ROWS", 2)
    too_big = client.get(export_url(w, "xlsx"))
    assert too_big.status_code == 422 and "выберите CSV" in text_of(too_big)
    assert len(read_csv(client.get(export_url(w, "csv")))) == 4
    monkeypatch.setattr(results_export, "MAX_ROWS", 2)
    response = client.get(export_url(w, "csv"))
    assert response.status_code == 422 and "больше 2 ответов" in text_of(response)


def test_export_refuses_unknown_format_and_kind(w, client, auth):
    auth.login(w.admin)
    assert client.get(export_url(w, "pdf")).status_code == 422
    assert client.get(export_url(w, "csv", kind="everything")).status_code == 422


# -- versions and queries --------------------------------------------------------------------

def test_answers_to_an_earlier_version_count_with_the_same_item(w, db, client, auth):
    respond(w, db, w.session_a, {"useful": "5", "format": "o3"})
    # the first version is frozen by its answer: editing makes version 2, without «Смешанно»
    item = next(i for i in w.template.current_version.items if i.key == "format")
    building.update_item(w.template, w.admin, "format", {
        "kind": "single", "text": item.text,
        "settings": {"options": [{"value": "o1", "label": "Очно"}, {"value": "o2", "label": "Онлайн"}]}})
    db.session.commit()
    assert w.template.current_version.number == 2
    respond(w, db, w.session_a, {"useful": "3", "format": "o2"})
    report = report_for(w, w.admin)
    useful = item_of(report, "useful").sides[0]
    assert (useful.answered, useful.mean) == (2, 4.0)
    assert bars(item_of(report, "format").sides[0]) == {
        "Очно": (0, 0), "Онлайн": (1, 50), "Смешанно (вариант прежней версии)": (1, 50)}
    auth.login(w.admin)
    assert "Смешанно (вариант прежней версии)" in text_of(client.get(url(w)))


def test_the_results_page_runs_the_same_queries_for_3_and_30_responses(w, db, client, auth, app):
    auth.login(w.admin)
    page = url(w, site_id=w.site_a.id, compare="year", a=2025, b=2026)

    def queries() -> int:
        with count_queries(db.engine) as statements:
            response = client.get(page)
        assert response.status_code == 200
        return len(statements)

    for answers in THREE:
        respond(w, db, w.session_a, answers)
    few = queries()
    sessions = [w.session_a, w.session_a2]
    for n in range(27):
        respond(w, db, sessions[n % 2], THREE[n % 3], when=OCT + timedelta(days=n * 2))
    assert report_for(w, w.admin).groups[0].responses == 30
    assert queries() == few
    assert few <= 15


def test_tallies_the_page_reads_are_the_ones_submission_writes(w, db):
    """A guard on the contract results rely on: one "*" cell per response, one per answered item."""
    for answers in THREE:
        respond(w, db, w.session_a, answers)
    cells = dict(db.session.execute(
        sa.select(ChecklistTally.item_key, sa.func.sum(ChecklistTally.count))
        .where(ChecklistTally.value == "*", ChecklistTally.row_key == "").group_by(ChecklistTally.item_key)).all())
    assert cells == {"*": 3, "useful": 3, "materials": 3, "format": 3, "use": 3, "parts": 3, "lessons": 3, "apply": 2}


# -- the page kept rendered (results_cache) --------------------------------------------------

@pytest.fixture
def kept(app, monkeypatch):
    """The results page kept between requests, as in production (tests turn it off elsewhere), and
    at once: the changes tests make are younger than the settle period."""
    from webapp.checklists import results_cache as module
    from webapp.checklists.results_cache import results_cache

    monkeypatch.setattr(module, "SETTLE", timedelta(0))
    results_cache.clear()
    app.config["CHECKLIST_RESULTS_CACHE_SECONDS"] = 120
    yield results_cache
    app.config["CHECKLIST_RESULTS_CACHE_SECONDS"] = 0
    results_cache.clear()


def _same_page(data: bytes) -> bytes:
    """The page without its CSRF token (signed with the time: it changes from one second to the next)."""
    token = re.search(rb'"X-CSRFToken": "([^"]+)"', data).group(1)
    return data.replace(token, b"<token>")


def test_a_kept_page_costs_two_queries_and_shows_each_change_at_the_next_request(w, db, client, auth, kept):
    respond(w, db, w.session_a, THREE[0])
    # another check-list, answered later at another site
    other = building.import_template({**TEMPLATE, "title": "Другой чек-лист"}, w.admin)
    elsewhere = w.make.session(site=w.make.site(organization=w.org_a, name="Площадка Дельта"),
                               start=OCT - timedelta(days=1))
    assign(db, other, session=elsewhere)
    db.session.commit()
    auth.login(w.admin)
    page = url(w)
    first = client.get(page)
    assert "Ответили 1" in text_of(first)
    with count_queries(db.engine) as statements:
        again = client.get(page)
    assert _same_page(again.data) == _same_page(first.data)
    assert len(statements) == 2, [s[:60] + " … " + s[-80:] for s in statements]  # her account, the results version
    # answers and invitations of another check-list leave this page as it was (still two queries)
    person = w.make.user(organization=w.org_a)
    db.session.add(Attendance(session_id=elsewhere.id, user_id=person.id, organization_id=person.organization_id,
                              status=AttendanceStatus.PRESENT, marked_dt=OCT))
    db.session.flush()
    answering.sync_invitations(now=OCT, user=person)
    invitation = db.session.scalars(
        sa.select(ChecklistInvitation).where(ChecklistInvitation.user_id == person.id)).one()
    answering.submit(invitation.id, person, form_of(other, THREE[2]), now=OCT + timedelta(minutes=5))
    db.session.commit()
    with count_queries(db.engine) as statements:
        assert _same_page(client.get(page).data) == _same_page(first.data)
    assert len(statements) == 2
    # a new answer
    respond(w, db, w.session_a, THREE[1])
    assert "Ответили 2" in text_of(client.get(url(w)))
    # the template renamed, a question edited
    building.update_template(w.template, "Отзыв о семинаре", "")
    db.session.commit()
    assert "Отзыв о семинаре" in text_of(client.get(url(w)))
    building.update_item(w.template, w.admin, "useful", {"text": "Насколько семинар пригодится?", "max": "5",
                                                          "min_label": "", "max_label": ""})
    db.session.commit()
    assert "Насколько семинар пригодится?" in text_of(client.get(url(w)))
    # a site renamed (the filter choices show it)
    w.site_a.name = "Площадка Гамма"
    db.session.commit()
    assert "Площадка Гамма" in client.get(url(w)).get_data(as_text=True)
    # a new invitation moves the rate
    before = text_of(client.get(url(w)))
    respond(w, db, w.session_b, THREE[2])
    assert text_of(client.get(url(w))) != before
    # the htmx fragment is the same body, kept too
    fragment = client.get(url(w), headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert "Ответили 3" in text_of(fragment) and "HX-Request" in fragment.headers["Vary"]


def test_a_kept_page_is_kept_per_scope_filters_and_notes(w, db, client, auth, kept):
    respond(w, db, w.session_a, THREE[0])
    respond(w, db, w.session_b, THREE[1])
    respond(w, db, w.session_b, THREE[2])
    auth.login(w.admin)
    assert "Ответили 3" in text_of(client.get(url(w)))
    assert "Ответили 1" in text_of(client.get(url(w, site_id=w.site_a.id)))
    noted = text_of(client.get(url(w, site_id="abc")))
    assert "Ответили 3" in noted and "abc" in noted
    # the same page for another scope: her own sums, never the admin's page
    auth.login(w.leader_a)
    assert "Ответили 1" in text_of(client.get(url(w)))
    auth.login(w.teacher)
    assert client.get(url(w)).status_code == 403
    # a refusal is kept for its scope only
    other = building.import_template({**TEMPLATE, "title": "Чужой чек-лист"}, w.admin, municipality_id=w.mun_b.id)
    assign(db, other, site=w.site_b)
    db.session.commit()
    auth.login(w.leader_a)
    assert client.get(f"/checklists/templates/{other.id}/results").status_code == 403
    auth.login(w.leader_b)
    assert client.get(f"/checklists/templates/{other.id}/results").status_code == 200
    # a new assignment in her scope opens it at the next request
    assign(db, other, site=w.site_a)
    db.session.commit()
    auth.login(w.leader_a)
    assert client.get(f"/checklists/templates/{other.id}/results").status_code == 200
    assert client.get("/checklists/templates/999999/results").status_code == 404


def test_a_page_is_not_kept_while_a_change_it_shows_is_younger_than_the_settle_period(w, db, client, auth, kept,
                                                                                      monkeypatch):
    """A maximum of times does not move when a transaction that stamped an earlier time commits
    later: until its newest time is 30 s old the page is computed at each request."""
    from webapp.checklists import results_cache as module

    monkeypatch.setattr(module, "SETTLE", timedelta(seconds=30))
    respond(w, db, w.session_a, THREE[0])  # its invitation was made just now
    auth.login(w.admin)
    page = url(w)
    client.get(page)
    with count_queries(db.engine) as statements:
        client.get(page)
    assert len(statements) > 2  # computed again
    monkeypatch.setattr(module, "SETTLE", timedelta(0))
    client.get(page)
    with count_queries(db.engine) as statements:
        client.get(page)
    assert len(statements) == 2
