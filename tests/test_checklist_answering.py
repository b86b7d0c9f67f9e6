"""Answering check-lists: who is invited and when, «Мои чек-листы», drafts, submission once,
every kind of bad input, anonymity, tallies, and `flask checklists remind`."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from conftest import HX, count_queries, text_of
from werkzeug.datastructures import MultiDict

from webapp.accounts.models import Role
from webapp.attendance.models import Attendance, AttendanceStatus
from webapp.checklists import answering, building
from webapp.checklists.models import (
    ChecklistAnswer,
    ChecklistAssignment,
    ChecklistDraft,
    ChecklistInvitation,
    ChecklistResponse,
    ChecklistTally,
    OpensOn,
    RespondentRole,
)
from webapp.mail.models import OutboxMessage

NOW = datetime.now(timezone.utc).replace(microsecond=0)

TEMPLATE = {
    "format": "network-checklist", "format_version": 1, "title": "Обратная связь после семинара",
    "instructions": "Пять минут, пожалуйста.",
    "items": [
        {"key": "part", "kind": "section", "text": "О содержании"},
        {"key": "useful", "kind": "scale", "text": "Насколько семинар был полезен?", "required": True,
         "settings": {"max": 5, "min_label": "совсем нет", "max_label": "очень"}},
        {"key": "hard", "kind": "ypn", "text": "Остались ли трудности?", "required": True},
        {"key": "which", "kind": "long_text", "text": "Какие трудности остались?", "required": True,
         "settings": {"max_length": 50}, "show_if": {"key": "hard", "values": ["yes", "partial"]}},
        {"key": "take", "kind": "multiple", "text": "Что возьмёте в работу?", "settings": {
            "options": [{"value": "a", "label": "Приёмы"}, {"value": "b", "label": "Шаблоны"},
                        {"value": "c", "label": "Презентацию"}], "max_choices": 2}},
        {"key": "lessons", "kind": "number", "text": "На скольких уроках примените?",
         "settings": {"min": 0, "max": 40}},
        {"key": "parts", "kind": "matrix", "text": "Оцените части", "required": True,
         "settings": {"max": 5, "rows": [{"key": "t", "label": "Теория"}, {"key": "p", "label": "Практика"}]}},
        {"key": "format", "kind": "single", "text": "Удобный формат", "settings": {
            "options": [{"value": "in", "label": "Очно"}, {"value": "on", "label": "Онлайн"}]}},
    ],
}

GOOD = {"a-useful": "4", "a-hard": "partial", "a-which": "Оценивание", "a-take": ["a", "b"], "a-lessons": "6",
        "a-parts-t": "3", "a-parts-p": "5", "a-format": "in"}


@pytest.fixture
def world(make, db):
    """A municipality with a school, a site and its leader, a methodist, the school's coordinator,
    a session that ended an hour ago with two teachers present, one absent; a check-list template."""
    w = type("World", (), {})()
    w.municipality = make.municipality()
    w.school = make.organization(municipality=w.municipality)
    w.site = make.site(organization=w.school)
    w.leader = make.user(role=Role.SITE_LEADER, scope=w.site, last_name="Ведущая")
    w.methodist = make.user(role=Role.METHODIST, scope=w.municipality, last_name="Методист")
    w.coordinator = make.user(role=Role.COORDINATOR, scope=w.school, organization=w.school, last_name="Завуч")
    w.admin = make.user(role=Role.ADMIN)
    w.session = make.session(site=w.site, start=NOW - timedelta(hours=4))
    w.teacher = make.user(organization=w.school, last_name="Иванова", email="teacher@example.org")
    w.colleague = make.user(organization=w.school, last_name="Сидорова")
    w.absent = make.user(organization=w.school, last_name="Отсутствующая")
    for person, status in ((w.teacher, AttendanceStatus.PRESENT), (w.colleague, AttendanceStatus.LATE),
                           (w.absent, AttendanceStatus.ABSENT)):
        db.session.add(Attendance(session_id=w.session.id, user_id=person.id, organization_id=w.school.id,
                                  status=status, marked_dt=NOW - timedelta(hours=3)))
    w.template = building.import_template(TEMPLATE, w.admin)
    db.session.commit()
    return w


def _assign(db, w, role=RespondentRole.PARTICIPANT, **kw) -> ChecklistAssignment:
    values = dict(template_id=w.template.id, session_id=w.session.id, role=role, opens_on=OpensOn.SESSION_END,
                  municipality_id=w.municipality.id, open_days=14)
    values.update(kw)
    assignment = ChecklistAssignment(**values)
    db.session.add(assignment)
    db.session.commit()
    return assignment


def _invitation(db, user) -> ChecklistInvitation:
    answering.sync_invitations()
    db.session.commit()
    return db.session.scalars(sa.select(ChecklistInvitation).where(ChecklistInvitation.user_id == user.id)).one()


def _submit(db, invitation, user, data=GOOD, **kw):
    return answering.submit(invitation.id, user, MultiDict(
        [(k, v) for k, vs in data.items() for v in (vs if isinstance(vs, list) else [vs])]), **kw)


# -- who is asked, and when -------------------------------------------------------------------

def test_participants_present_or_late_are_invited_once_after_the_end(db, world):
    _assign(db, world)
    assert answering.sync_invitations() == 2
    db.session.commit()
    invited = {i.user_id for i in db.session.scalars(sa.select(ChecklistInvitation))}
    assert invited == {world.teacher.id, world.colleague.id}
    assert answering.sync_invitations() == 0  # idempotent
    invitation = db.session.scalars(sa.select(ChecklistInvitation).where(
        ChecklistInvitation.user_id == world.teacher.id)).one()
    assert invitation.opens_dt == world.session.end_dt
    assert invitation.closes_dt == world.session.end_dt + timedelta(days=14)


def test_nothing_opens_before_its_time(db, world, make):
    later = make.session(site=world.site, start=NOW + timedelta(days=2))
    db.session.add(Attendance(session_id=later.id, user_id=world.teacher.id, organization_id=world.school.id,
                              status=AttendanceStatus.PRESENT))
    db.session.commit()
    _assign(db, world, session_id=None, site_id=world.site.id)
    _assign(db, world, role=RespondentRole.HEAD, opens_on=OpensOn.DAYS_AFTER, days_after=90, open_days=30)
    answering.sync_invitations()
    db.session.commit()
    sessions = [i.session_id for i in db.session.scalars(sa.select(ChecklistInvitation))]
    assert sessions.count(world.session.id) == 2 and later.id not in sessions  # the 90-day one is not due
    answering.sync_invitations(now=NOW + timedelta(days=91))
    heads = db.session.scalars(sa.select(ChecklistInvitation).where(ChecklistInvitation.subject_user_id.is_not(None))).all()
    # the coordinator assesses each of her teachers who attended the session the assignment names
    assert {(i.user_id, i.subject_user_id, i.session_id) for i in heads} == {
        (world.coordinator.id, world.teacher.id, world.session.id),
        (world.coordinator.id, world.colleague.id, world.session.id)}
    # the site's later session has ended by then: its participant is asked too
    assert db.session.scalar(sa.select(sa.func.count(ChecklistInvitation.id)).where(
        ChecklistInvitation.session_id == later.id, ChecklistInvitation.user_id == world.teacher.id)) == 1


def test_hosts_observers_and_a_municipality_survey(db, world, make):
    _assign(db, world, role=RespondentRole.HOST)
    _assign(db, world, role=RespondentRole.OBSERVER)
    _assign(db, world, session_id=None, period_start=date.today(), period_end=date.today() + timedelta(days=30),
            role=RespondentRole.MUNICIPALITY, opens_on=OpensOn.DATE)
    elsewhere = make.user(organization=make.organization(), last_name="Чужая")
    db.session.commit()
    answering.sync_invitations()
    rows = db.session.execute(sa.select(ChecklistInvitation.user_id, ChecklistAssignment.role).join(
        ChecklistAssignment, ChecklistInvitation.assignment_id == ChecklistAssignment.id)).all()
    by_role: dict = {}
    for uid, role in rows:
        by_role.setdefault(role, set()).add(uid)
    assert by_role[RespondentRole.HOST] == {world.leader.id}
    assert by_role[RespondentRole.OBSERVER] == {world.methodist.id}
    # everyone whose organization is in the municipality (the leader and methodist have none here)
    assert by_role[RespondentRole.MUNICIPALITY] == {world.coordinator.id, world.teacher.id, world.colleague.id,
                                                     world.absent.id}
    assert elsewhere.id not in by_role[RespondentRole.MUNICIPALITY]


def test_a_cancelled_assignment_or_session_invites_no_one(db, world):
    assignment = _assign(db, world)
    assignment.cancelled_dt = NOW
    db.session.commit()
    assert answering.sync_invitations() == 0


# -- pages -----------------------------------------------------------------------------------

def test_my_checklists_lists_what_waits_and_the_answer_page_shows_the_questions(db, world, client, auth):
    _assign(db, world)
    auth.login(world.teacher)
    page = client.get("/my/checklists")
    assert page.status_code == 200
    text = text_of(page)
    assert "Обратная связь после семинара" in text and world.session.title in text and "Ответить" in text
    invitation = db.session.scalars(sa.select(ChecklistInvitation).where(
        ChecklistInvitation.user_id == world.teacher.id)).one()  # made by opening the page
    answer = client.get(f"/my/checklists/{invitation.id}")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'name="a-useful"' in body and 'name="a-parts-t"' in body and 'data-show-if="hard"' in body
    assert "Пять минут, пожалуйста." in body


def test_my_checklists_costs_the_same_however_many_assignments_the_network_has(db, world, client, auth, make):
    _assign(db, world)
    auth.login(world.teacher)
    client.get("/my/checklists")

    def queries() -> int:
        with count_queries(db.engine) as statements:
            assert client.get("/my/checklists").status_code == 200
        return len(statements)

    few = queries()
    for _ in range(30):  # other sessions' check-lists: nothing to do with her
        other = make.session(site=make.site(), start=NOW - timedelta(days=3))
        _assign(db, world, session_id=other.id)
    assert queries() == few


def test_someone_elses_checklist_is_not_found(db, world, client, auth):
    _assign(db, world)
    invitation = _invitation(db, world.colleague)
    auth.login(world.teacher)
    assert client.get(f"/my/checklists/{invitation.id}").status_code == 404
    assert client.post(f"/my/checklists/{invitation.id}", data=GOOD).status_code == 404
    assert client.post(f"/my/checklists/{invitation.id}/draft", data=GOOD, headers=HX).status_code == 404
    assert client.get("/my/checklists/999999").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(ChecklistResponse.id))) == 0


def test_the_draft_saves_while_typing_and_comes_back(db, world, client, auth):
    _assign(db, world)
    invitation = _invitation(db, world.teacher)
    auth.login(world.teacher)
    saved = client.post(f"/my/checklists/{invitation.id}/draft", data={"a-useful": "5", "a-which": "Про оценки"},
                        headers=HX)
    assert saved.status_code == 200 and "Черновик сохранён" in text_of(saved)
    draft = db.session.scalars(sa.select(ChecklistDraft)).one()
    assert draft.answers == {"useful": "5", "which": "Про оценки"}
    body = client.get(f"/my/checklists/{invitation.id}").get_data(as_text=True)
    assert 'value="5" checked' in body and "Про оценки" in body
    plain = client.post(f"/my/checklists/{invitation.id}/draft", data={"a-useful": "2"})
    assert plain.status_code == 303
    assert db.session.scalars(sa.select(ChecklistDraft)).one().answers == {"useful": "2"}


def test_submitting_once_writes_the_response_and_the_tallies(db, world, client, auth):
    _assign(db, world)
    invitation = _invitation(db, world.teacher)
    auth.login(world.teacher)
    client.post(f"/my/checklists/{invitation.id}/draft", data={"a-useful": "5"}, headers=HX)
    data = dict(GOOD)
    response = client.post(f"/my/checklists/{invitation.id}", data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith("/my/checklists")
    saved = db.session.scalars(sa.select(ChecklistResponse)).one()
    assert saved.user_id == world.teacher.id and saved.session_id == world.session.id
    answers = {(a.item_key, a.row_key, a.value_text) for a in db.session.scalars(sa.select(ChecklistAnswer))}
    assert answers == {("useful", "", "4"), ("hard", "", "partial"), ("which", "", "Оценивание"), ("take", "", "a"),
                       ("take", "", "b"), ("lessons", "", "6"), ("parts", "t", "3"), ("parts", "p", "5"),
                       ("format", "", "in")}
    assert db.session.scalar(sa.select(sa.func.count(ChecklistDraft.id))) == 0
    invitation = db.session.get(ChecklistInvitation, invitation.id)
    assert invitation.answered and invitation.answered_dt is not None
    cells = {(t.item_key, t.row_key, t.value): t.count for t in db.session.scalars(sa.select(ChecklistTally))}
    assert cells[("*", "", "*")] == 1 and cells[("useful", "", "4")] == 1 and cells[("take", "", "*")] == 1
    assert cells[("take", "", "a")] == 1 and cells[("parts", "p", "5")] == 1 and cells[("which", "", "*")] == 1
    # a second submission is refused and changes nothing
    again = client.post(f"/my/checklists/{invitation.id}", data=data)
    assert again.status_code == 409 and "уже ответили" in text_of(again)
    assert db.session.scalar(sa.select(sa.func.count(ChecklistResponse.id))) == 1
    # the colleague's answer adds to the same tally cells
    other = _invitation(db, world.colleague)
    _submit(db, other, world.colleague, {**GOOD, "a-useful": "4", "a-hard": "no", "a-which": ""})
    db.session.commit()
    cells = {(t.item_key, t.row_key, t.value): t.count for t in db.session.scalars(sa.select(ChecklistTally))}
    assert cells[("*", "", "*")] == 2 and cells[("useful", "", "4")] == 2 and cells[("which", "", "*")] == 1
    assert cells[("hard", "", "no")] == 1 and cells[("hard", "", "partial")] == 1


@pytest.mark.parametrize("change, key, message", [
    ({"a-useful": ""}, "useful", "Ответьте на вопрос «Насколько семинар был полезен?»"),
    ({"a-useful": "7"}, "useful", "выберите значение от 1 до 5"),
    ({"a-hard": "maybe"}, "hard", "«да», «частично» или «нет»"),
    ({"a-which": ""}, "which", "Ответьте на вопрос «Какие трудности остались?»"),  # shown: hard = partial
    ({"a-which": "x" * 51}, "which", "не длиннее 50 символов"),
    ({"a-take": ["a", "b", "c"]}, "take", "не больше 2, выбрано 3"),
    ({"a-take": ["z"]}, "take", "выберите из предложенных"),
    ({"a-lessons": "много"}, "lessons", "введите число"),
    ({"a-lessons": "41"}, "lessons", "число от 0 до 40"),
    ({"a-lessons": "2.5"}, "lessons", "целое число"),
    ({"a-parts-p": ""}, "parts", "оцените строку «Практика»"),
    ({"a-parts-p": "9"}, "parts", "строка «Практика»: выберите значение от 1 до 5"),
    ({"a-format": "tv"}, "format", "один из предложенных"),
])
def test_each_bad_answer_is_refused_naming_the_item_and_the_draft_is_kept(db, world, client, auth, change, key,
                                                                         message):
    _assign(db, world)
    invitation = _invitation(db, world.teacher)
    auth.login(world.teacher)
    data = {**GOOD, **change}
    response = client.post(f"/my/checklists/{invitation.id}", data=data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert message in text_of(response)
    assert f'href="#q-{key}"' in body
    assert db.session.scalar(sa.select(sa.func.count(ChecklistResponse.id))) == 0
    assert not db.session.get(ChecklistInvitation, invitation.id).answered
    draft = db.session.scalars(sa.select(ChecklistDraft)).one()
    assert draft.answers["format" if key != "format" else "useful"] == ("in" if key != "format" else "4")
    assert 'value="Оценивание"' in body or "Оценивание" in body or key == "which"


def test_a_hidden_question_is_neither_required_nor_kept(db, world):
    _assign(db, world)
    invitation = _invitation(db, world.teacher)
    response = _submit(db, invitation, world.teacher, {**GOOD, "a-hard": "no", "a-which": "не должно сохраниться"})
    db.session.commit()
    assert "which" not in {a.item_key for a in response.answers}


def test_closed_foreign_and_tampered_submissions(db, world, client, auth):
    _assign(db, world, open_days=1)
    invitation = _invitation(db, world.teacher)
    auth.login(world.teacher)
    # a form of another template's version
    other = building.import_template({**TEMPLATE, "title": "Другой"}, world.admin)
    db.session.commit()
    tampered = client.post(f"/my/checklists/{invitation.id}", data={**GOOD, "version_id": other.current_version.id})
    assert tampered.status_code == 422 and "Форма не от этого чек-листа" in text_of(tampered)
    assert db.session.scalar(sa.select(sa.func.count(ChecklistResponse.id))) == 0
    # closed: a day after it opened (the session ended an hour ago: it closes in 23 hours)
    with pytest.raises(answering.AnswerError) as caught:
        _submit(db, invitation, world.teacher, now=NOW + timedelta(days=2))
    assert caught.value.status == 409 and "Срок ответа истёк" in caught.value.message
    with pytest.raises(answering.AnswerError) as caught:
        answering.save_draft(invitation.id, world.teacher, MultiDict({"a-useful": "3"}), now=NOW + timedelta(days=2))
    assert caught.value.status == 409
    with pytest.raises(answering.AnswerError) as caught:
        _submit(db, invitation, world.colleague)
    assert caught.value.status == 404


def test_anonymous_answers_are_kept_apart_from_the_person(db, world):
    _assign(db, world, anonymous=True)
    invitation = _invitation(db, world.teacher)
    response = _submit(db, invitation, world.teacher)
    db.session.commit()
    assert response.user_id is None and response.subject_user_id is None and response.submitted_dt is None
    assert response.submitted_on is not None
    invitation = db.session.get(ChecklistInvitation, invitation.id)
    assert invitation.answered and invitation.answered_dt is None


# -- e-mails ---------------------------------------------------------------------------------

def test_remind_announces_once_and_reminds_once_before_closing(db, world, runner):
    _assign(db, world)
    first = runner.invoke(args=["checklists", "remind"])
    assert first.exit_code == 0, first.output
    assert "Новых приглашений: 2; писем о новых чек-листах: 2; напоминаний: 0" in first.output
    mails = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert {m.recipient for m in mails} == {world.teacher.email, world.colleague.email}
    assert all("/my/checklists/" in m.body and "Обратная связь после семинара" in m.body for m in mails)
    assert "писем о новых чек-листах: 0; напоминаний: 0" in runner.invoke(args=["checklists", "remind"]).output
    # twelve days on, two days before it closes: one reminder each, once
    from webapp.checklists.notify import remind

    invitation = _invitation(db, world.teacher)
    _submit(db, invitation, world.teacher)  # she answered: no reminder for her
    db.session.commit()
    assert remind(now=NOW + timedelta(days=12))[2] == 1
    assert remind(now=NOW + timedelta(days=12, hours=1))[2] == 0
    db.session.commit()
    reminders = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.subject.like("Напоминание%"))).all()
    assert [m.recipient for m in reminders] == [world.colleague.email]


# -- concurrency (PostgreSQL) ------------------------------------------------------------------

@pytest.fixture
def postgres(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("real row-lock concurrency needs PostgreSQL (TEST_DATABASE_URL)")


def test_a_double_submission_and_many_respondents_at_once(app, db, world, make, postgres):
    """Eight submissions of the same invitation at once give one response; twenty people answering
    at once all land in the tallies (the upsert never loses a count)."""
    import threading

    from webapp.accounts.models import User

    _assign(db, world)
    people = [make.user(organization=world.school, last_name=f"Участник{i}") for i in range(20)]
    for person in people:
        db.session.add(Attendance(session_id=world.session.id, user_id=person.id, organization_id=world.school.id,
                                  status=AttendanceStatus.PRESENT, marked_dt=NOW - timedelta(hours=3)))
    db.session.commit()
    answering.sync_invitations()
    db.session.commit()
    invitations = {i.user_id: i.id for i in db.session.scalars(sa.select(ChecklistInvitation))}
    jobs = [(world.teacher.id, invitations[world.teacher.id])] * 8 + [(p.id, invitations[p.id]) for p in people]
    barrier = threading.Barrier(len(jobs))
    outcomes: list = []
    guard = threading.Lock()
    form = MultiDict([(k, v) for k, vs in GOOD.items() for v in (vs if isinstance(vs, list) else [vs])])

    def one(user_id: int, invitation_id: int) -> None:
        with app.app_context():
            barrier.wait(timeout=60)
            try:
                answering.submit(invitation_id, db.session.get(User, user_id), form)
                db.session.commit()
                result = "ok"
            except answering.AnswerError as error:
                db.session.rollback()
                result = error.message
            except BaseException as error:  # noqa: BLE001 (reported below)
                result = repr(error)
            with guard:
                outcomes.append((user_id, result))

    threads = [threading.Thread(target=one, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    mine = [r for uid, r in outcomes if uid == world.teacher.id]
    assert mine.count("ok") == 1 and all("уже ответили" in r for r in mine if r != "ok")
    assert [r for uid, r in outcomes if uid != world.teacher.id] == ["ok"] * 20
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(ChecklistResponse.id))) == 21
    cells = {(t.item_key, t.value): t.count for t in db.session.scalars(sa.select(ChecklistTally))}
    assert cells[("*", "*")] == 21 and cells[("useful", "4")] == 21 and cells[("take", "a")] == 21
