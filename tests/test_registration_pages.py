"""Registration as a person meets it: the panel on the session page, «Мои мероприятия», team
nomination, the coordinator's page, and every kind of bad input (a clear message, a 4xx, the
database unchanged)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from conftest import HX, text_of

from webapp.accounts.models import Role
from webapp.mail.models import OutboxMessage
from webapp.mail.services import render_pending
from webapp.plan.models import PlanStatus
from webapp.registration import services
from webapp.registration.models import Registration, RegStatus
from webapp.sessions.models import ApprovalMode, SessionStatus


def _soon(days: float = 7) -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=days)


def _count(db, **where) -> int:
    stmt = sa.select(sa.func.count()).select_from(Registration)
    for key, value in where.items():
        stmt = stmt.where(getattr(Registration, key) == value)
    return db.session.scalar(stmt)


@pytest.fixture
def teacher(make, db):
    org = make.organization()
    return make.user(organization=org, email="teacher@example.org")


# -- the panel -------------------------------------------------------------------------------

def test_anonymous_visitor_sees_free_seats_and_a_login_link(client, make, db):
    s = make.session(capacity=30)
    db.session.commit()
    page = text_of(client.get(f"/sessions/{s.id}"))
    assert "Свободно мест: 30 из 30" in page
    assert "Войдите, чтобы зарегистрироваться" in page


def test_the_panel_polls_for_seats_only_while_they_can_change(client, make, db):
    from datetime import datetime, timedelta, timezone

    upcoming = make.session(capacity=30)
    unlimited = make.session(capacity=None)
    past = make.session(capacity=30, start=datetime.now(timezone.utc) - timedelta(days=2))
    db.session.commit()

    def polls(s) -> bool:
        return "every 30s" in client.get(f"/sessions/{s.id}/registration", headers=HX).get_data(as_text=True)

    assert polls(upcoming) and not polls(unlimited) and not polls(past)


def test_teacher_registers_in_place_and_the_panel_says_so(client, make, db, auth, teacher):
    s = make.session(capacity=2)
    auth.login(teacher)
    assert "Зарегистрироваться" in text_of(client.get(f"/sessions/{s.id}"))
    response = client.post(f"/sessions/{s.id}/register", headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'id="registration-panel"' in body and "<html" not in body
    assert "Вы зарегистрированы" in text_of(response)
    assert "Свободно мест: 1 из 2" in text_of(response)
    assert response.headers["HX-Trigger"] == "registration-changed"
    assert _count(db, status=RegStatus.CONFIRMED) == 1
    mail = db.session.scalars(sa.select(OutboxMessage)).one()
    assert mail.recipient == "teacher@example.org" and mail.subject.startswith("Вы зарегистрированы")


def test_plain_form_post_redirects_with_a_message(client, make, db, auth, teacher):
    s = make.session()
    auth.login(teacher)
    response = client.post(f"/sessions/{s.id}/register")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/sessions/{s.id}")
    assert "Вы зарегистрированы" in text_of(client.get(f"/sessions/{s.id}"))


def test_the_mail_is_queued_unrendered_and_the_sender_renders_it(client, make, db, auth, teacher, runner, app,
                                                                  monkeypatch):
    """A registration queues one row (template and context); `flask outbox send` renders it with
    the links of the site the person used and the session's .ics, then sends it."""
    s = make.session(title="Семинар «Наставничество»")
    auth.login(teacher)
    assert client.post(f"/sessions/{s.id}/register").status_code == 303
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.template == "registration" and message.body == "" and message.attachments == []
    assert message.subject == "Вы зарегистрированы: Семинар «Наставничество»"
    assert message.context["kind"] == "confirmed" and message.context["base_url"] == "http://localhost/"
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    assert "Отправлено: 1, ошибок: 0" in runner.invoke(args=["outbox", "send"]).output
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.sent_dt is not None and message.template == ""
    assert "Вы зарегистрированы." in message.body and f"http://localhost/sessions/{s.id}" in message.body
    assert "http://localhost/my/registrations" in message.html_body
    assert message.attachments[0]["content"].startswith("BEGIN:VCALENDAR")


def test_a_message_that_cannot_be_rendered_stays_queued_with_the_error(make, db, runner, app, monkeypatch):
    from webapp.mail.services import queue_templated

    queue_templated("someone@example.org", "Вы зарегистрированы: ?", "registration",
                    {"registration_id": 999999, "kind": "confirmed", "status": "confirmed"})
    db.session.commit()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    assert "Отправлено: 0, ошибок: 1" in runner.invoke(args=["outbox", "send"]).output
    db.session.expire_all()
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.sent_dt is None and "999999" in message.last_error and message.attempts == 1


def test_double_click_creates_one_registration_and_explains(client, make, db, auth, teacher):
    s = make.session()
    auth.login(teacher)
    client.post(f"/sessions/{s.id}/register", headers=HX)
    second = client.post(f"/sessions/{s.id}/register", headers=HX)
    assert second.status_code == 409
    assert "Вы уже зарегистрированы" in text_of(second)
    assert _count(db) == 1


def test_full_session_puts_her_on_the_waiting_list_with_her_place(client, make, db, auth, teacher):
    s = make.session(capacity=1)
    other = make.user(organization=make.organization())
    services.register(s.id, other, other)
    db.session.commit()
    auth.login(teacher)
    assert "Встать в лист ожидания" in text_of(client.get(f"/sessions/{s.id}"))
    response = client.post(f"/sessions/{s.id}/register", headers=HX)
    assert "вы 1-й в листе ожидания" in text_of(response)
    assert "Вы 1-й в листе ожидания" in text_of(client.get(f"/sessions/{s.id}"))


def test_cancel_from_the_panel_promotes_the_first_in_line(client, make, db, auth, teacher):
    s = make.session(capacity=1)
    waiting = make.user(organization=make.organization(), email="waiting@example.org")
    reg = services.register(s.id, teacher, teacher)
    services.register(s.id, waiting, waiting)
    db.session.commit()
    auth.login(teacher)
    response = client.post(f"/registrations/{reg.id}/cancel", data={"from": "panel"}, headers=HX)
    assert response.status_code == 200 and "Регистрация отменена" in text_of(response)
    promoted = db.session.scalar(sa.select(Registration).where(Registration.user_id == waiting.id))
    assert promoted.status == RegStatus.CONFIRMED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.recipient == "waiting@example.org", OutboxMessage.subject.like("Освободилось место%"))) == 1
    # she may register again: the seat is taken now, so the list
    again = client.post(f"/sessions/{s.id}/register", headers=HX)
    assert "листе ожидания" in text_of(again)


def test_panel_fragment_refreshes_and_plain_visit_redirects(client, make, db):
    s = make.session(capacity=5)
    db.session.commit()
    fragment = client.get(f"/sessions/{s.id}/registration", headers=HX)
    assert fragment.status_code == 200 and "Свободно мест: 5 из 5" in text_of(fragment)
    assert 'hx-trigger="every 30s' in fragment.get_data(as_text=True)
    assert client.get(f"/sessions/{s.id}/registration").status_code == 302


# -- refusals: a message, a 4xx, nothing written ---------------------------------------------

@pytest.mark.parametrize("case, expected_status, expected_text", [
    ("cancelled", 409, "Мероприятие отменено"),
    ("past", 409, "Мероприятие уже прошло"),
    ("not_open", 409, "Регистрация откроется"),
    ("closed", 409, "Регистрация закрылась"),
    ("full_no_waitlist", 409, "Свободных мест нет"),
    ("invitation", 403, "по приглашению"),
    ("audience", 403, "Только для: Управленческие команды"),
    ("municipality", 403, "Только для педагогов территорий"),
])
def test_refusals_explain_why_and_change_nothing(client, make, db, auth, teacher, case, expected_status,
                                                 expected_text):
    from webapp.taxonomy.models import Audience

    kwargs = {}
    if case == "cancelled":
        kwargs["status"] = SessionStatus.CANCELLED
    elif case == "past":
        kwargs["start"] = _soon(-3)
    elif case == "not_open":
        kwargs["registration_opens_dt"] = _soon(2)
    elif case == "closed":
        kwargs["registration_closes_dt"] = _soon(-1)
    elif case == "full_no_waitlist":
        kwargs.update(capacity=0, waitlist_enabled=False)
    elif case == "invitation":
        kwargs["invitation_only"] = True
    s = make.session(**kwargs)
    if case == "audience":
        managers = Audience(name="Управленческие команды")
        db.session.add(managers)
        s.audiences = [managers]
        s.audience_restricted = True
    if case == "municipality":
        s.allowed_municipalities = [make.municipality(name="Другой район")]
    db.session.commit()
    auth.login(teacher)
    page = text_of(client.get(f"/sessions/{s.id}"))
    assert expected_text in page  # the panel says it before she tries
    before = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
    response = client.post(f"/sessions/{s.id}/register", headers=HX)
    assert response.status_code == expected_status
    assert expected_text in text_of(response)
    assert _count(db) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == before
    plain = client.post(f"/sessions/{s.id}/register")
    assert plain.status_code == 303 and _count(db) == 0


def test_registration_window_message_names_the_day_and_time(client, make, db, auth, teacher):
    opens = datetime(2031, 3, 1, 6, 0, tzinfo=timezone.utc)  # 09:00 in Moscow
    s = make.session(start=datetime(2031, 3, 12, 7, 0, tzinfo=timezone.utc), registration_opens_dt=opens)
    db.session.commit()
    auth.login(teacher)
    assert "Регистрация откроется 1 марта 2031 в 09:00" in text_of(client.get(f"/sessions/{s.id}"))


def test_unknown_and_draft_sessions_are_404(client, make, db, auth, teacher):
    draft = make.plan(status=PlanStatus.DRAFT)
    s = make.session(plan_item=make.item(plan=draft))
    auth.login(teacher)
    assert client.post("/sessions/999999/register", headers=HX).status_code == 404
    assert client.post(f"/sessions/{s.id}/register", headers=HX).status_code == 404
    assert client.post("/registrations/999999/cancel").status_code == 404
    assert _count(db) == 0


def test_anonymous_post_goes_to_login_and_writes_nothing(client, make, db):
    s = make.session()
    db.session.commit()
    response = client.post(f"/sessions/{s.id}/register")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _count(db) == 0


def test_cancelling_someone_elses_registration_is_forbidden(client, make, db, auth, teacher):
    s = make.session()
    other = make.user(organization=make.organization())
    reg = services.register(s.id, other, other)
    db.session.commit()
    auth.login(teacher)
    assert client.post(f"/registrations/{reg.id}/cancel", data={"reason": "x"}).status_code == 403
    assert db.session.get(Registration, reg.id).status == RegStatus.CONFIRMED


def test_participant_cannot_cancel_after_the_deadline(client, make, db, auth, teacher):
    s = make.session(cancel_deadline_dt=_soon(1))
    reg = services.register(s.id, teacher, teacher)
    db.session.commit()
    s.cancel_deadline_dt = _soon(-0.5)
    db.session.commit()
    auth.login(teacher)
    response = client.post(f"/registrations/{reg.id}/cancel", data={"from": "panel"}, headers=HX)
    assert response.status_code == 403
    assert "Обратитесь к организатору" in text_of(response)
    assert db.session.get(Registration, reg.id).status == RegStatus.CONFIRMED


def test_forged_or_missing_csrf_token_is_refused(app, client, make, db, auth, teacher, monkeypatch):
    s = make.session()
    auth.login(teacher)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    missing = client.post(f"/sessions/{s.id}/register", headers=HX)
    forged = client.post(f"/sessions/{s.id}/register", headers={**HX, "X-CSRFToken": "forged"})
    assert missing.status_code == 400 and forged.status_code == 400
    assert _count(db) == 0
    page = client.get(f"/sessions/{s.id}").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    ok = client.post(f"/sessions/{s.id}/register", headers={**HX, "X-CSRFToken": token})
    assert ok.status_code == 200 and _count(db) == 1


@pytest.mark.parametrize("target", ["//evil.example/", "/\t/evil.example", "/\\evil.example", "https://evil.example",
                                    "/\n/evil.example"])
def test_open_redirect_through_next_is_refused(client, make, db, auth, teacher, target):
    s = make.session()
    reg = services.register(s.id, teacher, teacher)
    db.session.commit()
    auth.login(teacher)
    response = client.post(f"/registrations/{reg.id}/cancel", data={"next": target})
    assert response.status_code == 303 and "evil" not in response.headers["Location"]


# -- «Мои мероприятия» -----------------------------------------------------------------------

def test_my_registrations_upcoming_and_past_with_status_and_place(client, make, db, auth, teacher):
    full = make.session(title="Полный семинар", capacity=1)
    mine = make.session(title="Мой семинар")
    past = make.session(title="Прошедший семинар", start=_soon(-10))
    other = make.user(organization=make.organization())
    services.register(full.id, other, other)
    services.register(full.id, teacher, teacher)
    services.register(mine.id, teacher, teacher)
    db.session.add(Registration(session=past, user_id=teacher.id, status=RegStatus.CONFIRMED))
    db.session.commit()
    auth.login(teacher)
    page = text_of(client.get("/my/registrations"))
    assert "Полный семинар" in page and "вы 1-й в листе ожидания" in page
    assert "Мой семинар" in page and "Подтверждена" in page
    assert "Прошедший семинар" not in page
    fragment = client.get("/my/registrations?tab=past", headers=HX)
    assert "<html" not in fragment.get_data(as_text=True) and "Прошедший семинар" in text_of(fragment)


def test_cancel_from_my_list_rerenders_the_list(client, make, db, auth, teacher):
    s = make.session(title="Семинар для отмены")
    reg = services.register(s.id, teacher, teacher)
    db.session.commit()
    auth.login(teacher)
    response = client.post(f"/registrations/{reg.id}/cancel", data={"from": "mine"}, headers=HX)
    assert response.status_code == 200
    assert 'id="my-registrations"' in response.get_data(as_text=True)
    assert "Регистрация отменена" in text_of(response)
    assert db.session.get(Registration, reg.id).status == RegStatus.CANCELLED


def test_my_registrations_needs_login(client):
    assert client.get("/my/registrations").status_code == 302


# -- team nomination and the coordinator's page ----------------------------------------------

@pytest.fixture
def school(make, db):
    org = make.organization(name="МБОУ СОШ № 71")
    coordinator = make.user(Role.COORDINATOR, scope=org, organization=org, email="coord@example.org")
    head = make.user(organization=org, last_name="Гончаров", position="Директор", email="head@example.org")
    deputy = make.user(organization=org, last_name="Белова", position="Заместитель директора",
                       email="deputy@example.org")
    stranger = make.user(organization=make.organization(), last_name="Чужой", email="stranger@example.org")
    return org, coordinator, head, deputy, stranger


def test_coordinator_nominates_a_team_and_each_is_told(client, make, db, auth, school):
    org, coordinator, head, deputy, stranger = school
    s = make.session(invitation_only=True, title="Стажировка управленческих команд")
    auth.login(coordinator)
    page = text_of(client.get(f"/sessions/{s.id}/nominate"))
    assert "Гончаров" in page and "Белова" in page and "Чужой" not in page
    found = client.get(f"/sessions/{s.id}/nominate?q=гонч", headers=HX)
    assert "Гончаров" in text_of(found) and "Белова" not in text_of(found)
    response = client.post(f"/sessions/{s.id}/nominate", data={"user_ids": [head.id, deputy.id]})
    assert response.status_code == 303
    regs = db.session.scalars(sa.select(Registration)).all()
    assert {r.user_id for r in regs} == {head.id, deputy.id}
    assert all(r.nominated_by_id == coordinator.id and r.status == RegStatus.CONFIRMED for r in regs)
    render_pending()  # as the sender will
    letters = db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.recipient.in_(["head@example.org", "deputy@example.org"]))).all()
    assert len(letters) == 2 and all("выдвинул" in m.body for m in letters)


def test_nominee_may_decline(client, make, db, auth, school):
    org, coordinator, head, deputy, stranger = school
    s = make.session()
    reg = services.register(s.id, head, coordinator, nominated=True)
    db.session.commit()
    auth.login(head)
    assert "Отказаться от участия" in text_of(client.get(f"/sessions/{s.id}"))
    client.post(f"/registrations/{reg.id}/cancel", data={"from": "panel"}, headers=HX)
    reg = db.session.get(Registration, reg.id)
    assert reg.status == RegStatus.CANCELLED and reg.reason == "Отказ от выдвижения"


def test_coordinator_cannot_nominate_people_of_another_school(client, make, db, auth, school):
    org, coordinator, head, deputy, stranger = school
    s = make.session()
    auth.login(coordinator)
    assert client.post(f"/sessions/{s.id}/nominate", data={"user_ids": [stranger.id]}).status_code == 403
    assert client.post(f"/sessions/{s.id}/nominate", data={}).status_code == 422
    assert _count(db) == 0


def test_nomination_page_is_for_coordinators_only(client, make, db, auth, teacher):
    s = make.session()
    auth.login(teacher)
    assert client.get(f"/sessions/{s.id}/nominate").status_code == 403
    assert client.get("/school").status_code == 403


def test_school_page_lists_pending_approvals_first(client, make, db, auth, school):
    org, coordinator, head, deputy, stranger = school
    s = make.session(title="Семинар с подтверждением", approval=ApprovalMode.COORDINATOR)
    reg = services.register(s.id, deputy, deputy)
    db.session.commit()
    assert reg.status == RegStatus.PENDING
    auth.login(coordinator)
    page = text_of(client.get("/school"))
    assert page.index("Ждут вашего подтверждения") < page.index("Педагоги и их записи")
    assert "Белова" in page and "Семинар с подтверждением" in page
    fragment = client.get("/school?q=белова", headers=HX)
    assert "<html" not in fragment.get_data(as_text=True) and "Белова" in text_of(fragment)


def test_coordinator_does_not_approve_her_own_application(client, make, db, auth, school):
    org, coordinator, head, deputy, stranger = school
    s = make.session(approval=ApprovalMode.COORDINATOR)
    reg = services.register(s.id, coordinator, coordinator)
    db.session.commit()
    auth.login(coordinator)
    assert "Ждут вашего подтверждения" in text_of(client.get("/school"))
    assert "Заявок, которые ждут вашего решения, нет" in text_of(client.get("/school"))
    response = client.post(f"/registrations/{reg.id}/approve", data={"next": "/school"})
    assert response.status_code == 303
    assert db.session.get(Registration, reg.id).status == RegStatus.PENDING
    # the site's staff approve it instead
    leader = make.user(Role.SITE_LEADER, scope=s.site, email="leader@example.org")
    auth.login(leader)
    client.post(f"/registrations/{reg.id}/approve", data={"next": f"/sessions/{s.id}/roster"})
    assert db.session.get(Registration, reg.id).status == RegStatus.CONFIRMED


@pytest.mark.parametrize("field, value, message", [
    ("org_quota", "0", "От 1 до 10000"),
    ("org_quota", "много", ""),
    ("cancel_deadline", "2031-03-13T10:00", "Отмена участниками возможна не позже начала мероприятия."),
    ("approval", "everyone", ""),
])
def test_session_form_refuses_bad_registration_settings(client, make, db, auth, field, value, message):
    site = make.site()
    methodist = make.user(Role.METHODIST, scope=site.organization.municipality)
    auth.login(methodist)
    body = {"title": "Семинар с правилами", "site_id": site.id, "delivery": "in_person", "address": "ул. Мира, 5",
            "start": "2031-03-12T10:00", "end": "2031-03-12T13:00", "capacity": "20", field: value}
    response = client.post("/sessions/new", data=body, headers=HX)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="err-{field}"' in page
    if message:
        assert message in text_of(response)
    assert 'value="Семинар с правилами"' in page  # nothing typed is lost


def test_nomination_search_keeps_what_was_ticked(client, make, db, auth, school):
    org, coordinator, head, deputy, stranger = school
    s = make.session()
    auth.login(coordinator)
    response = client.get(f"/sessions/{s.id}/nominate?q=белова&user_ids={head.id}", headers=HX)
    body = response.get_data(as_text=True)
    assert "Белова" in body and "Гончаров" not in body
    assert f'<input type="hidden" name="user_ids" value="{head.id}">' in body  # ticked, filtered out, kept
    back = client.get(f"/sessions/{s.id}/nominate?q=&user_ids={head.id}", headers=HX).get_data(as_text=True)
    assert re.search(rf'value="{head.id}"\s+checked', back)
