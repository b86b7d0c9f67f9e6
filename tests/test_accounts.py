"""Accounts: sign-up, login and logout, profile, password change, admin creation and the mail outbox."""

from __future__ import annotations

import logging
import socket
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from conftest import PASSWORD, text_of

from webapp.accounts.models import Role, User
from webapp.audit.models import AuditEntry
from webapp.mail.models import OutboxMessage


def _logged_in_user_id(client) -> str | None:
    with client.session_transaction() as sess:
        return sess.get("_user_id")


# -- sign-up ---------------------------------------------------------------------------------

def test_signup_creates_a_teacher_with_consent_time_and_logs_in(make, client, db):
    org = make.organization(name="МБОУ Гимназия № 3")
    db.session.commit()
    before = datetime.now(timezone.utc)
    response = client.post("/signup", data={
        "last_name": "Смирнова", "first_name": "Ольга", "middle_name": "Ивановна",
        "email": "Olga.Smirnova@Example.org", "org_q": "гимназия", "organization_id": str(org.id),
        "position": "Учитель истории", "subjects": "история, обществознание", "years_experience": "12",
        "password": "secret-pass-1", "password2": "secret-pass-1", "consent": "y"})
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/"
    user = db.session.scalar(sa.select(User).where(User.email == "olga.smirnova@example.org"))
    assert user is not None
    assert user.consent_dt is not None and before - timedelta(seconds=5) <= user.consent_dt \
        <= datetime.now(timezone.utc) + timedelta(seconds=5)
    assert user.organization_id == org.id and user.full_name == "Смирнова Ольга Ивановна"
    assert user.years_experience == 12 and user.grants == []
    # the password is stored hashed, never as typed
    assert user.password_hash and "secret-pass-1" not in user.password_hash
    assert user.check_password("secret-pass-1") and not user.check_password("secret-pass-2")
    # signed in straight away, greeted on the next page
    assert _logged_in_user_id(client) == str(user.id)
    page = text_of(client.get("/"))
    assert "Добро пожаловать! Учётная запись создана." in page
    assert "Смирнова О. И." in page
    assert client.get("/profile").status_code == 200


def test_signed_in_user_is_sent_away_from_signup(make, auth, client):
    auth.login(make.user())
    assert client.get("/signup").status_code == 302


# -- login and logout ------------------------------------------------------------------------

def test_login_with_any_case_of_email_then_logout(make, client, db):
    user = make.user(email="anna@example.org", first_name="Анна")
    db.session.commit()
    response = client.post("/login", data={"email": " ANNA@Example.org", "password": PASSWORD})
    assert response.status_code == 303 and urlsplit(response.headers["Location"]).path == "/"
    assert _logged_in_user_id(client) == str(user.id)
    assert "Здравствуйте, Анна!" in text_of(client.get("/"))
    assert client.get("/profile").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 303
    assert _logged_in_user_id(client) is None
    assert "Вы вышли из системы." in text_of(client.get("/"))
    response = client.get("/profile")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(make, client, db):
    make.user(email="anna@example.org")
    db.session.commit()
    wrong_password = client.post("/login", data={"email": "anna@example.org", "password": "not-my-password"})
    no_such_user = client.post("/login", data={"email": "nobody@example.org", "password": "not-my-password"})
    for response in (wrong_password, no_such_user):
        assert response.status_code == 422
        assert "Неверная электронная почта или пароль." in text_of(response)
    assert _logged_in_user_id(client) is None


def test_disabled_account_cannot_log_in(make, client, db):
    make.user(email="gone@example.org", is_active=False)
    db.session.commit()
    response = client.post("/login", data={"email": "gone@example.org", "password": PASSWORD})
    assert response.status_code == 422 and _logged_in_user_id(client) is None


def test_login_returns_to_the_page_asked_for_but_never_off_site(make, client, db):
    make.user(email="anna@example.org")
    db.session.commit()
    response = client.get("/profile")
    assert response.status_code == 302
    next_url = response.headers["Location"]
    response = client.post(next_url, data={"email": "anna@example.org", "password": PASSWORD})
    assert urlsplit(response.headers["Location"]).path == "/profile"
    client.post("/logout")
    for evil in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post("/login", query_string={"next": evil},
                               data={"email": "anna@example.org", "password": PASSWORD})
        assert response.status_code == 303
        assert urlsplit(response.headers["Location"]).netloc in ("", "localhost"), evil
        assert urlsplit(response.headers["Location"]).path == "/", evil
        client.post("/logout")


def test_htmx_login_redirects_with_a_header(make, client, db):
    make.user(email="anna@example.org")
    db.session.commit()
    response = client.post("/login", data={"email": "anna@example.org", "password": PASSWORD},
                           headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/"


# -- profile and password --------------------------------------------------------------------

def test_profile_edit_saves_and_shows_the_new_data(make, auth, client, db):
    old_org = make.organization(name="МБОУ СОШ № 1")
    new_org = make.organization(name="МБОУ Лицей № 4")
    user = auth.login(make.user(organization=old_org))
    response = client.post("/profile", data={
        "last_name": "Кузнецова", "first_name": "Мария", "middle_name": "", "org_q": "", "organization_id":
        str(new_org.id), "position": "Заместитель директора", "subjects": "химия", "years_experience": "20"})
    assert response.status_code == 303
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.last_name, user.first_name, user.middle_name) == ("Кузнецова", "Мария", "")
    assert user.organization_id == new_org.id and user.position == "Заместитель директора"
    assert user.years_experience == 20 and "кузнецова" in user.search_text
    page = client.get("/profile")
    assert "Профиль сохранён." in text_of(page)
    assert 'value="Кузнецова"' in page.get_data(as_text=True)
    assert "МБОУ Лицей № 4" in text_of(page)


def test_profile_refuses_an_unknown_organization(make, auth, client, db):
    org = make.organization()
    user = auth.login(make.user(organization=org, last_name="Петрова"))
    response = client.post("/profile", data={"last_name": "Иванова", "first_name": "Анна", "org_q": "",
                                             "organization_id": "999999", "position": "Учитель"})
    assert response.status_code == 422
    assert "Организация не найдена" in text_of(response)
    db.session.expire_all()
    assert db.session.get(User, user.id).last_name == "Петрова"


def test_change_password(make, auth, client, db):
    user = auth.login(make.user(email="anna@example.org"))
    response = client.post("/profile/password", data={"current": "wrong-one", "password": "fresh-pass-1",
                                                      "password2": "fresh-pass-1"})
    assert response.status_code == 422
    assert "Текущий пароль введён неверно." in text_of(response)
    response = client.post("/profile/password", data={"current": PASSWORD, "password": "fresh-pass-1",
                                                      "password2": "fresh-pass-2"})
    assert response.status_code == 422 and "Пароли не совпадают." in text_of(response)
    response = client.post("/profile/password", data={"current": PASSWORD, "password": "fresh-pass-1",
                                                      "password2": "fresh-pass-1"})
    assert response.status_code == 303
    assert _logged_in_user_id(client) == str(user.id)  # this device stays signed in
    client.post("/logout")
    assert client.post("/login", data={"email": "anna@example.org", "password": PASSWORD}).status_code == 422
    assert client.post("/login", data={"email": "anna@example.org", "password": "fresh-pass-1"}).status_code == 303


def test_changing_the_password_voids_earlier_reset_links(make, auth, client, db):
    from webapp.accounts.services import make_reset_token

    user = make.user()
    db.session.commit()
    token = make_reset_token(user)
    auth.login(user)
    client.post("/profile/password", data={"current": PASSWORD, "password": "fresh-pass-1",
                                           "password2": "fresh-pass-1"})
    response = client.get(f"/password/reset/{token}", follow_redirects=True)
    assert "Ссылка недействительна или устарела" in text_of(response)


# -- flask create-admin ----------------------------------------------------------------------

def test_create_admin_command_makes_an_admin_who_can_open_the_user_list(runner, client, db):
    result = runner.invoke(args=["create-admin", "--email", "Boss@Example.org", "--last-name", "Иванов",
                                 "--first-name", "Иван", "--middle-name", "Петрович", "--password", "admin-pass-1"])
    assert result.exit_code == 0, result.output
    assert "Администратор сети: boss@example.org" in result.output
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.email == "boss@example.org"))
    assert user.is_admin and user.full_name == "Иванов Иван Петрович"
    assert client.post("/login", data={"email": "boss@example.org", "password": "admin-pass-1"}).status_code == 303
    page = client.get("/admin/users")
    assert page.status_code == 200 and "Иванов" in text_of(page)


def test_create_admin_promotes_an_existing_user_once(make, runner, db):
    make.user(email="methodist@example.org", role=Role.METHODIST, scope=make.municipality())
    db.session.commit()
    args = ["create-admin", "--email", "methodist@example.org", "--last-name", "Петрова", "--first-name", "Анна",
            "--middle-name", "", "--password", "admin-pass-1"]
    assert runner.invoke(args=args).exit_code == 0
    assert runner.invoke(args=args).exit_code == 0
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.email == "methodist@example.org"))
    assert sorted(g.role.value for g in user.grants) == ["admin", "methodist"]
    assert user.check_password("admin-pass-1")


def test_create_admin_refuses_a_short_password(runner, db):
    result = runner.invoke(args=["create-admin", "--email", "boss@example.org", "--last-name", "Иванов",
                                 "--first-name", "Иван", "--middle-name", "", "--password", "short"])
    assert result.exit_code != 0
    assert "Пароль — не меньше 8 символов." in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


# -- flask outbox send -----------------------------------------------------------------------

def _queue_reset_mail(make, client, db) -> OutboxMessage:
    make.user(email="anna@example.org", first_name="Анна")
    db.session.commit()
    assert client.post("/password/forgot", data={"email": "anna@example.org"}).status_code == 303
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message is not None and message.sent_dt is None and message.attempts == 0
    assert message.recipient == "anna@example.org" and message.subject == "Восстановление пароля"
    assert "/password/reset/" in message.body
    return message


def test_outbox_send_writes_reset_mail_to_the_log_and_marks_it_sent(make, client, db, runner, app, monkeypatch,
                                                                    caplog):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    message = _queue_reset_mail(make, client, db)
    link = next(line for line in message.body.splitlines() if "/password/reset/" in line).strip()
    with caplog.at_level(logging.INFO):
        result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Отправлено: 1, ошибок: 0" in result.output
    assert any("anna@example.org" in r.getMessage() and link in r.getMessage() for r in caplog.records)
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.sent_dt is not None and message.attempts == 1 and message.last_error == ""
    # the link in the mail works
    assert client.get(urlsplit(link).path).status_code == 200
    # a second run sends nothing again
    assert "Отправлено: 0, ошибок: 0" in runner.invoke(args=["outbox", "send"]).output


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_outbox_send_keeps_mail_queued_when_smtp_fails(make, client, db, runner, app, monkeypatch):
    message = _queue_reset_mail(make, client, db)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _unused_port())
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "Отправлено: 0, ошибок: 1" in result.output
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert message.sent_dt is None and message.attempts == 1 and message.last_error
    # retried on the next run
    runner.invoke(args=["outbox", "send"])
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message.id).attempts == 2


def test_signup_is_recorded_in_the_audit_log(make, client, db):
    org = make.organization()
    db.session.commit()
    client.post("/signup", data={
        "last_name": "Смирнова", "first_name": "Ольга", "email": "olga@example.org", "org_q": "",
        "organization_id": str(org.id), "position": "Учитель", "password": "secret-pass-1",
        "password2": "secret-pass-1", "consent": "y"})
    user = db.session.scalar(sa.select(User).where(User.email == "olga@example.org"))
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.object_type == "user",
                                                          AuditEntry.object_id == user.id))
    assert entry.action == "created" and entry.actor_id == user.id


@pytest.mark.parametrize("email", ["anna@example.org", "ANNA@EXAMPLE.ORG"])
def test_reset_request_matches_email_in_any_case(email, make, client, db):
    make.user(email="anna@example.org")
    db.session.commit()
    client.post("/password/forgot", data={"email": email})
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


def test_profile_audiences_a_retired_one_can_be_kept_or_dropped_but_never_taken(make, db):
    from webapp.accounts.services import apply_profile
    from webapp.taxonomy.models import Audience

    active = Audience(name="Молодые педагоги", position=1)
    retired = Audience(name="Старая категория", position=2, is_active=False)
    other_retired = Audience(name="Другая старая", position=3, is_active=False)
    db.session.add_all([active, retired, other_retired])
    org = make.organization()
    user = make.user(organization=org)
    user.audiences = [retired]
    db.session.commit()
    base = {"organization_id": str(org.id), "last_name": "Петрова", "first_name": "Анна", "position": "Учитель"}

    apply_profile(user, {**base, "audience_ids": [active.id, retired.id, other_retired.id]})
    assert {a.name for a in user.audiences} == {"Молодые педагоги", "Старая категория"}
    apply_profile(user, {**base, "audience_ids": [active.id]})
    assert [a.name for a in user.audiences] == ["Молодые педагоги"]
