"""Who answers, when (staff): attaching check-lists to sessions, sites, plan items and periods;
the rules and who may; withdrawing; the list with its counts; the form; the block on a
session's page; and the way from an assignment to an invitation."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from conftest import HX, count_queries, text_of

from webapp.accounts.models import Role
from webapp.attendance.models import Attendance, AttendanceStatus
from webapp.checklists import answering, assigning, building
from webapp.checklists.building import ChecklistError
from webapp.checklists.models import ChecklistAssignment, ChecklistInvitation, OpensOn, RespondentRole
from webapp.dbtypes import utcnow
from webapp.plan.models import PlanStatus
from webapp.sessions.models import SessionStatus

SCALE = {"text": "Насколько семинар был полезен?", "required": True, "settings": {"max": 5}}


def _template(owner, title="Обратная связь после семинара", municipality_id=None, questions=True):
    template = building.create_template(owner, title, municipality_id=municipality_id)
    if questions:
        building.add_item(template, owner, "scale", SCALE)
    return template


@pytest.fixture
def w(make, db):
    """Two municipalities, a site in each, a session at each site, the people who run them."""
    a = make.municipality(name="Кореновский район")
    b = make.municipality(name="Павловский район")
    school = make.organization(municipality=a, name="МБОУ СОШ № 7")
    site = make.site(organization=make.organization(municipality=a), name="Стажировочная площадка «Ступеньки»")
    other_site = make.site(organization=make.organization(municipality=b), name="Площадка Павловская")
    admin = make.user(Role.ADMIN, last_name="Админова")
    w = SimpleNamespace(
        a=a, b=b, school=school, site=site, other_site=other_site, admin=admin,
        methodist=make.user(Role.METHODIST, scope=a, last_name="Методистова"),
        other_methodist=make.user(Role.METHODIST, scope=b, last_name="Чужеродова"),
        leader=make.user(Role.SITE_LEADER, scope=site, last_name="Ведущая"),
        other_leader=make.user(Role.SITE_LEADER, scope=other_site, last_name="Соседова"),
        teacher=make.user(organization=school, last_name="Учительница"),
        coordinator=make.user(Role.COORDINATOR, scope=school, last_name="Завучева"),
        session=make.session(site=site, title="Семинар «Формирующее оценивание»",
                             start=datetime(2027, 3, 12, 7, 0, tzinfo=timezone.utc)),
        other_session=make.session(site=other_site, title="Мастер-класс в Павловской"),
        plan=make.plan(municipality=a, title="План ТМС 2026/27"),
    )
    w.item = make.item(plan=w.plan, title="Педагогическая мастерская молодых педагогов")
    w.template = _template(admin)
    db.session.commit()
    return w


def _attach(user, template, **kw):
    kw.setdefault("role", RespondentRole.PARTICIPANT)
    kw.setdefault("opens_on", OpensOn.SESSION_END)
    return assigning.create_assignment(user, template_id=template.id, **kw)


def _refusal(call) -> ChecklistError:
    with pytest.raises(ChecklistError) as caught:
        call()
    return caught.value


# -- the rules ---------------------------------------------------------------------------------

def test_methodist_attaches_to_a_session_and_owner_is_its_municipality(w, db):
    a = _attach(w.methodist, w.template, session_id=w.session.id, anonymous=True)
    db.session.commit()
    assert (a.session_id, a.site_id, a.plan_item_id, a.period_start) == (w.session.id, None, None, None)
    assert a.municipality_id == w.a.id and a.created_by_id == w.methodist.id
    assert a.open_days == 14 and a.days_after == 0 and a.opens_dt is None and a.anonymous
    assert assigning.target_in_words(a) == "Мероприятие «Семинар «Формирующее оценивание»», 12 марта 2027"
    assert assigning.opening_in_words(a) == "после окончания мероприятия, на 14 дней"


def test_head_delayed_assessment_defaults_to_thirty_days(w, db):
    a = _attach(w.admin, w.template, site_id=w.site.id, role="head", opens_on="days_after", days_after=90)
    assert (a.days_after, a.open_days, a.role) == (90, 30, RespondentRole.HEAD)
    assert assigning.opening_in_words(a) == "через 90 дней после мероприятия, на 30 дней"
    assert assigning.target_in_words(a) == "Все мероприятия площадки «Стажировочная площадка «Ступеньки»»"


def test_date_opening_is_entered_in_moscow_time_and_stored_in_utc(w, db):
    a = _attach(w.methodist, w.template, plan_item_id=w.item.id, opens_on="date",
                opens_dt=datetime(2027, 3, 20, 9, 0), open_days=7)
    assert a.opens_dt == datetime(2027, 3, 20, 6, 0, tzinfo=timezone.utc)
    assert a.plan_item_id == w.item.id and a.municipality_id == w.a.id
    assert assigning.opening_in_words(a) == "с 20 марта 2027, 09:00, Мск, на 7 дней"
    assert assigning.target_in_words(a).startswith(f"Пункт плана № {w.item.number} «Педагогическая мастерская")


def test_period_survey_opens_on_its_first_day_unless_a_date_is_given(w, db):
    a = _attach(w.methodist, w.template, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30),
                municipality_id=w.a.id, role="municipality", opens_on="session_end", open_days=30)
    # a period has no session to end: the rule is a date, midnight of its first day in Moscow
    assert a.opens_on == OpensOn.DATE
    assert a.opens_dt == datetime(2026, 10, 31, 21, 0, tzinfo=timezone.utc)
    assert assigning.target_in_words(a) == "Период 01.11.2026–30.11.2026, территория: Кореновский район"
    b = _attach(w.admin, w.template, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30),
                role="municipality", opens_dt=datetime(2026, 11, 10, 8, 0))
    assert b.municipality_id is None and b.opens_dt == datetime(2026, 11, 10, 5, 0, tzinfo=timezone.utc)
    assert assigning.target_in_words(b).endswith("вся сеть")


PERIOD = dict(period_start=date(2026, 11, 1), period_end=date(2026, 11, 30), role="municipality")


@pytest.mark.parametrize("kw, field", [
    (dict(), "target"),
    (dict(session_id="S", site_id="SITE"), "target"),
    (dict(target="nonsense"), "target"),
    (dict(target="session"), "session_id"),
    (dict(session_id=999_999), "session_id"),
    (dict(session_id=-5), "session_id"),
    (dict(site_id=999_999), "site_id"),
    (dict(plan_item_id=999_999), "plan_item_id"),
    (dict(session_id="S", role="municipality"), "role"),
    (dict(session_id="S", role=None), "role"),
    (dict(session_id="S", role="boss"), "role"),
    (dict(**{**PERIOD, "role": "participant"}), "role"),
    (dict(session_id="S", opens_on=None), "opens_on"),
    (dict(session_id="S", opens_on="tomorrow"), "opens_on"),
    (dict(session_id="S", opens_on="date"), "opens_dt"),
    (dict(session_id="S", opens_on="date", opens_dt=datetime(1, 1, 1)), "opens_dt"),
    (dict(session_id="S", opens_on="days_after"), "days_after"),
    (dict(session_id="S", opens_on="days_after", days_after=0), "days_after"),
    (dict(session_id="S", opens_on="days_after", days_after=366), "days_after"),
    (dict(session_id="S", opens_on="days_after", days_after="девяносто"), "days_after"),
    (dict(session_id="S", open_days=0), "open_days"),
    (dict(session_id="S", open_days=366), "open_days"),
    (dict(**{**PERIOD, "period_end": date(2026, 10, 1)}), "period_end"),
    (dict(**{**PERIOD, "period_end": date(2028, 11, 30)}), "period_end"),
    (dict(**{**PERIOD, "period_end": None}), "period_end"),
    (dict(**{**PERIOD, "period_start": date(1, 1, 1)}), "period_start"),
    (dict(**PERIOD, opens_dt=datetime(2026, 12, 5, 9, 0)), "opens_dt"),
    (dict(**PERIOD, municipality_id=999_999), "municipality_id"),
])
def test_each_invalid_combination_names_its_field(w, db, kw, field):
    kw = {k: (w.session.id if v == "S" else w.site.id if v == "SITE" else v) for k, v in kw.items()}
    kw.setdefault("opens_on", "session_end")
    if "role" not in kw:
        kw["role"] = "participant"
    if "period_start" in kw and "municipality_id" not in kw:
        kw["municipality_id"] = w.a.id
    error = _refusal(lambda: assigning.create_assignment(w.admin, template_id=w.template.id, **kw))
    assert error.status == 422
    assert field in error.errors and error.errors[field]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChecklistAssignment)) == 0


def test_template_must_be_visible_not_archived_and_have_questions(w, db, make):
    foreign = _template(w.admin, "Анкета Павловского района", municipality_id=w.b.id)
    archived = _template(w.admin, "Старая анкета")
    archived.archived_dt = utcnow()
    empty = _template(w.admin, "Пустая анкета", questions=False)
    db.session.commit()
    for template, words in [(foreign, "не найден"), (archived, "в архиве"), (empty, "нет ни одного вопроса")]:
        error = _refusal(lambda: _attach(w.methodist, template, session_id=w.session.id))
        assert words in error.errors["template_id"]
    assert "Выберите чек-лист" in _refusal(lambda: assigning.create_assignment(
        w.methodist, template_id=None, role="participant", opens_on="session_end",
        session_id=w.session.id)).errors["template_id"]
    own = _template(w.methodist, "Анкета Кореновского района", municipality_id=w.a.id)
    assert _attach(w.methodist, own, session_id=w.session.id).template_id == own.id


def test_cancelled_session_cannot_get_a_check_list(w, db):
    w.session.status = SessionStatus.CANCELLED
    db.session.commit()
    assert "отменено" in _refusal(lambda: _attach(w.admin, w.template, session_id=w.session.id)).errors["session_id"]


def test_duplicate_is_refused_until_the_first_is_withdrawn(w, db):
    first = _attach(w.leader, w.template, session_id=w.session.id)
    db.session.commit()
    error = _refusal(lambda: _attach(w.methodist, w.template, session_id=w.session.id, opens_on="attendance"))
    assert error.status == 409 and "уже прикреплён" in error.message
    # another role, or the same role on the whole site, is not a duplicate
    _attach(w.leader, w.template, session_id=w.session.id, role="host")
    _attach(w.leader, w.template, site_id=w.site.id)
    assigning.cancel_assignment(w.methodist, first)
    db.session.commit()
    assert _attach(w.methodist, w.template, session_id=w.session.id).id != first.id


def test_duplicate_period_counts_its_municipality(w, db):
    _attach(w.admin, w.template, **PERIOD, municipality_id=w.a.id)
    _attach(w.admin, w.template, **PERIOD, municipality_id=w.b.id)
    _attach(w.admin, w.template, **PERIOD)
    assert _refusal(lambda: _attach(w.admin, w.template, **PERIOD)).status == 409


def test_cancel_sets_a_time_keeps_the_row_and_refuses_a_second_time(w, db):
    a = _attach(w.methodist, w.template, session_id=w.session.id)
    db.session.commit()
    assigning.cancel_assignment(w.leader, a)
    db.session.commit()
    db.session.expire_all()
    kept = db.session.get(ChecklistAssignment, a.id)
    assert kept is not None and kept.cancelled_dt is not None
    error = _refusal(lambda: assigning.cancel_assignment(w.methodist, kept))
    assert error.status == 409 and "уже отменено" in error.message


# -- who may -----------------------------------------------------------------------------------

def test_methodist_of_another_municipality_is_refused_everywhere(w, db):
    for target in (dict(session_id=w.session.id), dict(site_id=w.site.id), dict(plan_item_id=w.item.id),
                   dict(**PERIOD, municipality_id=w.a.id)):
        assert _refusal(lambda: _attach(w.other_methodist, w.template, **target)).status == 403, target
    assert _attach(w.other_methodist, w.template, session_id=w.other_session.id).municipality_id == w.b.id
    assert _attach(w.other_methodist, w.template, **PERIOD, municipality_id=w.b.id).municipality_id == w.b.id
    # a methodist may not ask the whole network
    assert "территорию" in _refusal(lambda: _attach(w.other_methodist, w.template, **PERIOD)).errors["municipality_id"]


def test_site_leader_attaches_to_her_site_and_its_sessions_only(w, db):
    assert _attach(w.leader, w.template, session_id=w.session.id).session_id == w.session.id
    assert _attach(w.leader, w.template, site_id=w.site.id, role="observer").site_id == w.site.id
    for role in ("host", "head"):
        _attach(w.leader, w.template, site_id=w.site.id, role=role)
    for target in (dict(session_id=w.session.id), dict(site_id=w.site.id)):
        assert _refusal(lambda: _attach(w.other_leader, w.template, **target)).status == 403
    assert _refusal(lambda: _attach(w.leader, w.template, plan_item_id=w.item.id)).status == 403
    assert _refusal(lambda: _attach(w.leader, w.template, **PERIOD, municipality_id=w.a.id)).status == 403


def test_teachers_and_coordinators_attach_nothing(w, db):
    for person in (w.teacher, w.coordinator, None):
        assert _refusal(lambda: _attach(person, w.template, session_id=w.session.id)).status == 403


def test_withdrawing_follows_the_same_rights(w, db):
    on_site = _attach(w.methodist, w.template, site_id=w.site.id)
    on_period = _attach(w.methodist, w.template, **PERIOD, municipality_id=w.a.id)
    db.session.commit()
    for person in (w.other_methodist, w.other_leader, w.teacher):
        assert _refusal(lambda: assigning.cancel_assignment(person, on_site)).status == 403
    assert _refusal(lambda: assigning.cancel_assignment(w.leader, on_period)).status == 403
    assigning.cancel_assignment(w.leader, on_site)
    assigning.cancel_assignment(w.methodist, on_period)
    assert on_site.cancelled_dt and on_period.cancelled_dt


def test_managed_assignments_are_scoped(w, db):
    mine = [_attach(w.admin, w.template, session_id=w.session.id), _attach(w.admin, w.template, site_id=w.site.id),
            _attach(w.admin, w.template, plan_item_id=w.item.id),
            _attach(w.admin, w.template, **PERIOD, municipality_id=w.a.id)]
    theirs = [_attach(w.admin, w.template, session_id=w.other_session.id),
              _attach(w.admin, w.template, **PERIOD, municipality_id=w.b.id), _attach(w.admin, w.template, **PERIOD)]
    db.session.commit()

    def ids(user):
        return set(db.session.scalars(sa.select(ChecklistAssignment.id).where(assigning.managed_assignments(user))))

    assert ids(w.methodist) == {a.id for a in mine}
    assert ids(w.leader) == {mine[0].id, mine[1].id}
    assert ids(w.admin) == {a.id for a in mine + theirs}
    assert ids(w.teacher) == set()


# -- from an assignment to an invitation -------------------------------------------------------

def test_site_assignment_invites_whoever_was_present_at_a_past_session_once(w, db, make):
    _attach(w.leader, w.template, site_id=w.site.id, role="participant", opens_on="session_end")
    past = make.session(site=w.site, start=utcnow() - timedelta(days=2))
    make.session(site=w.site, start=utcnow() + timedelta(days=5))  # not over yet: nobody asked
    absent = make.user(organization=w.school, last_name="Отсутствовавшая")
    db.session.add_all([
        Attendance(session_id=past.id, user_id=w.teacher.id, organization_id=w.school.id,
                   status=AttendanceStatus.PRESENT, marked_dt=past.start_dt),
        Attendance(session_id=past.id, user_id=absent.id, organization_id=w.school.id,
                   status=AttendanceStatus.ABSENT, marked_dt=past.start_dt)])
    db.session.commit()

    assert answering.sync_invitations() == 1
    invitation = db.session.scalar(sa.select(ChecklistInvitation))
    assert (invitation.user_id, invitation.session_id) == (w.teacher.id, past.id)
    assert invitation.opens_dt == past.end_dt and invitation.closes_dt == past.end_dt + timedelta(days=14)
    assert answering.sync_invitations() == 0


def test_withdrawn_assignment_invites_nobody(w, db, make):
    a = _attach(w.leader, w.template, site_id=w.site.id)
    past = make.session(site=w.site, start=utcnow() - timedelta(days=2))
    db.session.add(Attendance(session_id=past.id, user_id=w.teacher.id, status=AttendanceStatus.PRESENT))
    assigning.cancel_assignment(w.leader, a)
    db.session.commit()
    assert answering.sync_invitations() == 0


# -- the list ----------------------------------------------------------------------------------

def _invite(db, assignment, people, answered: int, session=None):
    now = utcnow()
    for i, person in enumerate(people):
        db.session.add(ChecklistInvitation(
            assignment_id=assignment.id, user_id=person.id, session_id=session.id if session else None,
            unit=f"{session.id if session else 0}:0", opens_dt=now, closes_dt=now + timedelta(days=14),
            answered=i < answered))
    db.session.flush()


def test_login_is_needed(client, w):
    for method, url in [("get", "/checklists/assignments"), ("get", "/checklists/assignments/new"),
                        ("post", "/checklists/assignments/new"), ("post", "/checklists/assignments/1/cancel")]:
        r = getattr(client, method)(url)
        assert r.status_code == 302 and "/login" in r.headers["Location"], url


def test_teachers_and_coordinators_get_403(client, auth, w):
    for person in (w.teacher, w.coordinator):
        auth.login(person)
        assert client.get("/checklists/assignments").status_code == 403
        assert client.get("/checklists/assignments/new").status_code == 403
        assert client.post("/checklists/assignments/new", data={}).status_code == 403


def test_list_shows_what_each_methodist_manages_with_counts(client, auth, db, make, w):
    mine = _attach(w.methodist, w.template, session_id=w.session.id, anonymous=True)
    _invite(db, mine, [make.user() for _ in range(4)], answered=3, session=w.session)
    _attach(w.methodist, w.template, **PERIOD, municipality_id=w.a.id)
    _attach(w.other_methodist, w.template, site_id=w.other_site.id)
    db.session.commit()
    auth.login(w.methodist)
    page = client.get("/checklists/assignments")
    assert page.status_code == 200 and "HX-Request" in page.headers["Vary"]
    text = text_of(page)
    assert "Мероприятие «Семинар «Формирующее оценивание»», 12 марта 2027" in text
    assert "Период 01.11.2026–30.11.2026, территория: Кореновский район" in text
    assert "Площадка Павловская" not in text
    assert "3 из 4 (75 %)" in text and "анонимно" in text and "приглашений пока нет" in text
    # newest first
    assert text.index("Период 01.11.2026") < text.index("Мероприятие «Семинар")
    fragment = client.get("/checklists/assignments", headers=HX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in html and 'id="assign-list"' in html
    assert "3 из 4" in text_of(fragment)


def test_list_filters_by_template_role_and_state(client, auth, db, w):
    other = _template(w.admin, "Самооценка ведущего")
    first = _attach(w.admin, w.template, session_id=w.session.id)
    _attach(w.admin, other, session_id=w.session.id, role="host")
    assigning.cancel_assignment(w.admin, first)
    db.session.commit()
    auth.login(w.admin)
    assert "Самооценка ведущего" not in text_of(client.get("/checklists/assignments?state=cancelled", headers=HX))
    assert "Самооценка ведущего" in text_of(client.get("/checklists/assignments?state=active", headers=HX))
    assert "Назначений: 1" in text_of(client.get(f"/checklists/assignments?template={other.id}", headers=HX))
    assert "Назначений: 1" in text_of(client.get("/checklists/assignments?role=participant", headers=HX))
    # junk in the filters is ignored, not a crash
    assert client.get("/checklists/assignments?template=abc&role=x&state=y&page=-3").status_code == 200


def test_list_site_leader_sees_her_sites_assignments(client, auth, db, w):
    _attach(w.methodist, w.template, site_id=w.site.id)
    _attach(w.methodist, w.template, plan_item_id=w.item.id)
    db.session.commit()
    auth.login(w.leader)
    text = text_of(client.get("/checklists/assignments"))
    assert "Все мероприятия площадки «Стажировочная площадка «Ступеньки»»" in text
    assert "Пункт плана" not in text


def test_list_query_count_does_not_grow_with_rows(client, auth, db, make, w, app):
    def fill(n):
        for i in range(n):
            kind = i % 4
            if kind == 0:
                a = _attach(w.admin, w.template, session_id=make.session(site=w.site).id)
            elif kind == 1:
                a = _attach(w.admin, w.template, site_id=make.site(organization=w.school).id)
            elif kind == 2:
                a = _attach(w.admin, w.template, plan_item_id=make.item(plan=w.plan).id)
            else:
                a = _attach(w.admin, w.template, period_start=date(2026, 11, 1) + timedelta(days=i),
                            period_end=date(2026, 12, 31), role="municipality", municipality_id=w.a.id)
            _invite(db, a, [w.teacher, w.coordinator], answered=1)
        db.session.commit()

    def measure():
        with count_queries(db.engine) as statements:
            r = client.get("/checklists/assignments")
        assert r.status_code == 200
        return len(statements)

    auth.login(w.methodist)
    fill(3)
    few = measure()
    fill(27)
    many = measure()
    assert "Назначений: 30" in text_of(client.get("/checklists/assignments"))
    assert few == many and many <= 8


def test_list_is_paginated(client, auth, db, make, w):
    for _ in range(51):
        _attach(w.admin, w.template, session_id=make.session(site=w.site).id)
    db.session.commit()
    auth.login(w.admin)
    first = client.get("/checklists/assignments")
    assert first.get_data(as_text=True).count('id="assignment-') == 50
    second = client.get("/checklists/assignments?page=2", headers=HX)
    assert second.get_data(as_text=True).count('id="assignment-') == 1


# -- the form ----------------------------------------------------------------------------------

def _form_data(w, **kw):
    data = {"template_id": str(w.template.id), "target": "session", "session_id": str(w.session.id),
            "role": "participant", "opens_on": "session_end", "days_after": "90", "open_days": ""}
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


def test_form_prefills_the_session_from_its_page(client, auth, w):
    auth.login(w.leader)
    r = client.get(f"/checklists/assignments/new?session_id={w.session.id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert re.search(rf'name="session_id" value="{w.session.id}"[^>]*checked', html)
    assert re.search(r'value="session"[^>]*checked', html) or re.search(r'checked[^>]*value="session"', html)
    assert "Формирующее оценивание" in text_of(r) and "Мастер-класс в Павловской" not in text_of(r)
    # a site leader is offered neither plan items nor periods
    assert 'value="period"' not in html and 'value="plan_item"' not in html and 'value="municipality"' not in html
    assert client.get(f"/checklists/assignments/new?site_id={w.site.id}").status_code == 200
    assert client.get(f"/checklists/assignments/new?session_id={w.other_session.id}").status_code == 403
    assert client.get("/checklists/assignments/new?session_id=999999").status_code == 404
    assert client.get("/checklists/assignments/new?session_id=abc").status_code == 200
    assert client.get("/checklists/assignments/new?site_id=999999").status_code == 404
    assert client.get(f"/checklists/assignments/new?site_id={w.other_site.id}").status_code == 403
    assert client.get(f"/checklists/assignments/new?plan_item_id={w.item.id}").status_code == 403


def test_form_offers_a_methodist_her_sites_plan_items_and_periods(client, auth, w):
    auth.login(w.methodist)
    r = client.get(f"/checklists/assignments/new?plan_item_id={w.item.id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert re.search(rf'<option selected value="{w.item.id}"|<option value="{w.item.id}" selected', html)
    assert "Стажировочная площадка" in html and "Площадка Павловская" not in html
    assert 'value="period"' in html and "Кореновский район" in html and "Павловский район" not in html
    assert 'href="' in html and "checklists-assign.css" in html


def test_session_picker_searches_her_sessions_only(client, auth, db, make, w):
    make.session(site=w.site, title="Вебинар по функциональной грамотности")
    db.session.commit()
    auth.login(w.methodist)
    r = client.get("/checklists/assignments/new?picker=session&session_q=функциональной", headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and html.lstrip().startswith('<div id="assign-session-options"')
    assert "Вебинар по функциональной грамотности" in html and "Формирующее" not in html
    nothing = client.get("/checklists/assignments/new?picker=session&session_q=Павловской", headers=HX)
    assert "Ничего не найдено" in text_of(nothing)


def test_create_with_a_plain_post_redirects_to_the_list(client, auth, db, w):
    auth.login(w.leader)
    r = client.post("/checklists/assignments/new", data=_form_data(w, anonymous="y"))
    assert r.status_code == 303 and r.headers["Location"].endswith("/checklists/assignments")
    a = db.session.scalar(sa.select(ChecklistAssignment))
    assert (a.session_id, a.role, a.opens_on, a.open_days, a.anonymous) == (
        w.session.id, RespondentRole.PARTICIPANT, OpensOn.SESSION_END, 14, True)
    page = client.get("/checklists/assignments")
    assert "прикреплён" in text_of(page) and "Семинар «Формирующее оценивание»" in text_of(page)


def test_create_with_htmx_answers_hx_redirect(client, auth, db, w):
    auth.login(w.methodist)
    r = client.post("/checklists/assignments/new", headers=HX, data=_form_data(
        w, target="period", session_id=None, period_start="2026-11-01", period_end="2026-11-30",
        municipality_id=str(w.a.id), role="municipality", opens_dt="2026-11-02T10:00", open_days="20"))
    assert r.status_code == 204 and r.headers["HX-Redirect"].endswith("/checklists/assignments")
    a = db.session.scalar(sa.select(ChecklistAssignment))
    assert (a.period_start, a.period_end, a.municipality_id, a.open_days) == (
        date(2026, 11, 1), date(2026, 11, 30), w.a.id, 20)
    assert a.opens_dt == datetime(2026, 11, 2, 7, 0, tzinfo=timezone.utc)


def test_invalid_post_answers_422_with_messages_and_keeps_what_was_typed(client, auth, db, w):
    auth.login(w.methodist)
    r = client.post("/checklists/assignments/new", headers=HX, data=_form_data(
        w, opens_on="days_after", days_after="0", open_days="21", role="head", session_q="Формирующее"))
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "<html" not in html and 'id="assign-form"' in html
    assert "Через сколько дней — целое число от 1 до 365" in text_of(r)
    assert re.search(r'name="days_after"[^>]*value="0"|value="0"[^>]*name="days_after"', html)
    assert re.search(r'name="open_days"[^>]*value="21"|value="21"[^>]*name="open_days"', html)
    assert re.search(r'value="head"[^>]*checked|checked[^>]*value="head"', html)
    assert re.search(rf'name="session_id" value="{w.session.id}"[^>]*checked', html)
    assert 'value="Формирующее"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChecklistAssignment)) == 0


@pytest.mark.parametrize("changes, message", [
    (dict(session_id=None), "Выберите мероприятие из списка"),
    (dict(session_id="abc"), "Мероприятие не найдено"),
    (dict(template_id="999999"), "Выберите чек-лист из списка"),
    (dict(template_id=None), "Выберите чек-лист"),
    (dict(opens_on="date", opens_dt="завтра"), "Дата и время открытия"),
    (dict(opens_on="date", opens_dt=""), "Укажите дату и время"),
    (dict(role="municipality"), "только на опрос за период"),
    (dict(target="site", site_id=""), "Выберите площадку"),
    (dict(target="period", period_start="2026-11-30", period_end="2026-11-01"), "не может быть раньше"),
    (dict(target="period", period_start="2026-11-01", period_end="2026-11-30"), "Выберите территорию"),
    (dict(open_days="много"), "Сколько дней принимаются ответы"),
])
def test_bad_input_is_a_422_with_a_message(client, auth, w, changes, message):
    auth.login(w.methodist)
    r = client.post("/checklists/assignments/new", data=_form_data(w, **changes))
    assert r.status_code == 422, text_of(r)
    assert message in text_of(r)


@pytest.mark.parametrize("changes", [
    dict(template_id="1e9"), dict(template_id="99999999999999999999"), dict(session_id="99999999999999999999"),
    dict(session_id="²"), dict(target=""), dict(target="everything"), dict(role=""), dict(opens_on=""),
    dict(target="period", period_start="0001-01-01", period_end="9999-12-31"),
    dict(target="period", period_start="2026-02-30", period_end="2026-11-30"),
    dict(opens_on="date", opens_dt="0001-01-01T00:00"), dict(opens_on="date", opens_dt="9999-12-31T23:59"),
    dict(opens_on="days_after", days_after="99999999999999999999999"), dict(open_days="-1"),
    dict(target="plan_item", plan_item_id="-1"), dict(target="site", site_id="²"),
    dict(target="period", period_start="2026-11-01", period_end="2026-11-30", municipality_id="x"),
])
def test_junk_is_refused_with_a_message_never_a_crash(client, auth, db, w, changes):
    auth.login(w.methodist)
    r = client.post("/checklists/assignments/new", data=_form_data(w, **changes))
    assert r.status_code == 422 and "Исправьте, пожалуйста" in text_of(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChecklistAssignment)) == 0


def test_duplicate_and_foreign_targets_through_the_form(client, auth, db, w):
    _attach(w.methodist, w.template, session_id=w.session.id)
    db.session.commit()
    auth.login(w.methodist)
    r = client.post("/checklists/assignments/new", data=_form_data(w))
    assert r.status_code == 409 and "уже прикреплён" in text_of(r)
    r = client.post("/checklists/assignments/new", data=_form_data(w, session_id=str(w.other_session.id)))
    assert r.status_code == 403 and "Вы не ведёте это" in text_of(r)
    r = client.post("/checklists/assignments/new", data=_form_data(w, target="site", site_id=str(w.other_site.id)))
    assert r.status_code == 422 and "Выберите площадку из списка" in text_of(r)
    auth.login(w.leader)
    r = client.post("/checklists/assignments/new", data=_form_data(
        w, target="period", period_start="2026-11-01", period_end="2026-11-30", role="municipality"))
    assert r.status_code == 403


# -- withdrawing -------------------------------------------------------------------------------

def test_cancel_with_a_plain_post_then_again(client, auth, db, w):
    a = _attach(w.methodist, w.template, session_id=w.session.id)
    db.session.commit()
    auth.login(w.leader)
    r = client.post(f"/checklists/assignments/{a.id}/cancel", data={"state": "active"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/checklists/assignments?state=active")
    assert db.session.get(ChecklistAssignment, a.id).cancelled_dt is not None
    again = client.post(f"/checklists/assignments/{a.id}/cancel")
    assert again.status_code == 409 and "уже отменено" in text_of(again)


def test_cancel_with_htmx_returns_the_row(client, auth, db, w):
    a = _attach(w.methodist, w.template, site_id=w.site.id)
    db.session.commit()
    auth.login(w.methodist)
    r = client.post(f"/checklists/assignments/{a.id}/cancel", headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and html.lstrip().startswith(f'<tr id="assignment-{a.id}"')
    assert "отменено" in text_of(r) and "/cancel" not in html
    again = client.post(f"/checklists/assignments/{a.id}/cancel", headers=HX)
    assert again.status_code == 409 and "уже отменено" in text_of(again)


def test_cancel_of_someone_elses_or_unknown_assignment(client, auth, db, w):
    a = _attach(w.methodist, w.template, session_id=w.session.id)
    db.session.commit()
    auth.login(w.other_methodist)
    assert client.post(f"/checklists/assignments/{a.id}/cancel").status_code == 403
    assert client.post("/checklists/assignments/999999/cancel").status_code == 404
    auth.login(w.teacher)
    assert client.post(f"/checklists/assignments/{a.id}/cancel").status_code == 403
    assert db.session.get(ChecklistAssignment, a.id).cancelled_dt is None


# -- the block on a session's page -------------------------------------------------------------

def test_session_page_shows_staff_what_covers_the_session(client, auth, db, make, w):
    other = _template(w.admin, "Самооценка ведущего")
    in_item = make.session(site=w.site, plan_item=w.item, title="Мастерская, первая встреча")
    _attach(w.methodist, w.template, site_id=w.site.id, role="head", opens_on="days_after", days_after=90)
    _attach(w.methodist, other, session_id=in_item.id, role="host")
    _attach(w.methodist, w.template, plan_item_id=w.item.id, role="observer")
    _attach(w.methodist, w.template, session_id=w.session.id)  # another session: not here
    withdrawn = _attach(w.methodist, other, site_id=w.site.id, role="observer")
    assigning.cancel_assignment(w.methodist, withdrawn)
    db.session.commit()

    auth.login(w.leader)
    page = client.get(f"/sessions/{in_item.id}")
    assert page.status_code == 200
    html, text = page.get_data(as_text=True), text_of(page)
    assert 'id="session-checklists"' in html
    assert "через 90 дней после мероприятия, на 30 дней (через площадку)" in text
    assert "Самооценка ведущего" in text and "(напрямую)" in text and "(через пункт плана)" in text
    assert text.count("Наблюдатель (методист территории)") == 1
    assert f"/checklists/assignments/new?session_id={in_item.id}" in html

    auth.login(w.teacher)
    page = client.get(f"/sessions/{in_item.id}")
    assert page.status_code == 200 and 'id="session-checklists"' not in page.get_data(as_text=True)
    auth.logout()
    page = client.get(f"/sessions/{in_item.id}")
    assert page.status_code == 200 and "Прикрепить чек-лист" not in text_of(page)


def test_session_block_costs_one_query(client, auth, db, make, w):
    auth.login(w.admin)
    db.session.commit()
    with count_queries(db.engine) as before:
        client.get(f"/sessions/{w.session.id}")
    for _ in range(5):
        _attach(w.admin, _template(w.admin, "Анкета"), session_id=w.session.id)
    db.session.commit()
    with count_queries(db.engine) as after:
        r = client.get(f"/sessions/{w.session.id}")
    assert r.status_code == 200 and text_of(r).count("Анкета") == 5
    assert len(after) == len(before)


def test_session_of_a_draft_plan_can_be_prepared(w, db, make):
    draft = make.plan(municipality=w.a, status=PlanStatus.DRAFT)
    s = make.session(site=w.site, plan_item=make.item(plan=draft))
    assert _attach(w.methodist, w.template, session_id=s.id).session_id == s.id
