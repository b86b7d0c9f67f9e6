"""Invitations: an imported colleague sets her password and gives her consent through a link."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from conftest import HX, text_of

from webapp.accounts import services
from webapp.accounts.models import User
from webapp.audit.models import AuditEntry
from webapp.mail.models import OutboxMessage

NEW_PASSWORD = "my-own-password"


@pytest.fixture
def invited(make, db):
    """Someone a coordinator added: an account without a password and without consent."""
    org = make.organization(name="МБОУ СОШ № 5")
    user = User(email="invited@example.org", password_hash="", last_name="Новикова", first_name="Дарья",
                middle_name="Петровна", organization_id=org.id, consent_dt=None)
    user.refresh_search_text()
    db.session.add(user)
    db.session.commit()
    return user


def accept(client, token, **overrides):
    data = {"password": NEW_PASSWORD, "password2": NEW_PASSWORD, "consent": "y", **overrides}
    return client.post(f"/invite/{token}", data=data)


def test_the_invitation_page_sets_the_password_and_records_consent(client, invited, db):
    token = services.make_invitation_token(invited)
    page = client.get(f"/invite/{token}")
    assert page.status_code == 200
    text = text_of(page)
    assert "Новикова Дарья Петровна, МБОУ СОШ № 5" in text and "invited@example.org" in text
    assert "152-ФЗ" in text
    response = accept(client, token)
    assert response.status_code == 303 and response.headers["Location"].endswith("/profile")
    db.session.refresh(invited)
    assert invited.check_password(NEW_PASSWORD) and invited.consent_dt is not None
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_id == invited.id)) \
        == "invitation_accepted"
    # she is signed in, and can sign in again with her password
    assert client.get("/profile").status_code == 200
    client.post("/logout")
    assert client.post("/login", data={"email": "invited@example.org", "password": NEW_PASSWORD}).status_code == 303


def test_no_consent_no_account(client, invited, db):
    token = services.make_invitation_token(invited)
    response = client.post(f"/invite/{token}", data={"password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 422
    assert "Без согласия на обработку персональных данных" in text_of(response)
    db.session.refresh(invited)
    assert invited.password_hash == "" and invited.consent_dt is None


@pytest.mark.parametrize("overrides,message", [
    ({"password2": "something-else"}, "Пароли не совпадают"),
    ({"password": "short", "password2": "short"}, "от 8 до 128 символов"),
])
def test_bad_passwords_are_refused_with_a_message(client, invited, db, overrides, message):
    token = services.make_invitation_token(invited)
    response = accept(client, token, **overrides)
    assert response.status_code == 422 and message in text_of(response)
    htmx = client.post(f"/invite/{token}", data={"password": "short", "password2": "short", "consent": "y"},
                       headers=HX)
    assert htmx.status_code == 422 and 'id="invitation-form"' in htmx.get_data(as_text=True)
    assert "<html" not in htmx.get_data(as_text=True)
    db.session.refresh(invited)
    assert invited.password_hash == ""


def test_an_invitation_works_once(client, invited, db):
    token = services.make_invitation_token(invited)
    assert accept(client, token).status_code == 303
    client.post("/logout")
    again = client.get(f"/invite/{token}")
    assert again.status_code == 410
    text = text_of(again)
    assert "Приглашение уже принято" in text and "Получить новую ссылку" in text
    # posting through the used link changes nothing
    assert accept(client, token, password="hijacked-pass", password2="hijacked-pass").status_code == 410
    db.session.refresh(invited)
    assert invited.check_password(NEW_PASSWORD)


def test_an_expired_invitation_says_so(client, invited, db, app, monkeypatch):
    token = services.make_invitation_token(invited)
    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE", -1)
    response = client.get(f"/invite/{token}")
    assert response.status_code == 410
    assert "Срок действия приглашения истёк" in text_of(response)
    assert 'href="/password/forgot"' in response.get_data(as_text=True)
    assert accept(client, token).status_code == 410
    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE", 14 * 24 * 3600)
    assert client.get(f"/invite/{token}").status_code == 200  # the same link, within its life


def test_invitations_live_fourteen_days_by_default(app):
    assert services.invitation_max_age() == 14 * 24 * 3600


@pytest.mark.parametrize("forge", [
    lambda token: token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
    lambda token: "not-a-token",
    lambda token: token.split(".")[0],
])
def test_a_forged_invitation_is_refused(client, invited, db, forge):
    token = forge(services.make_invitation_token(invited))
    response = client.get(f"/invite/{token}")
    assert response.status_code == 404 and "Ссылка недействительна" in text_of(response)
    accept(client, token)
    db.session.refresh(invited)
    assert invited.password_hash == "" and invited.consent_dt is None


def test_a_reset_link_is_not_an_invitation_and_back(client, invited, make, db):
    reset = services.make_reset_token(invited)
    assert client.get(f"/invite/{reset}").status_code == 404
    member = make.user(email="member@example.org")
    db.session.commit()
    invitation = services.make_invitation_token(member)
    assert client.get(f"/password/reset/{invitation}").status_code == 302  # to «forgot password»
    # a member who already gave consent has no invitation to accept
    assert client.get(f"/invite/{invitation}").status_code == 410


def test_a_blocked_persons_invitation_is_refused(client, invited, db):
    token = services.make_invitation_token(invited)
    invited.is_active = False
    db.session.commit()
    assert client.get(f"/invite/{token}").status_code == 404


def test_before_accepting_she_cannot_sign_in(client, invited):
    response = client.post("/login", data={"email": "invited@example.org", "password": ""})
    assert response.status_code == 422
    assert client.post("/login", data={"email": "invited@example.org", "password": "anything1"}).status_code == 422


def test_forgot_password_sends_a_fresh_invitation_to_someone_who_never_accepted(client, invited, db):
    assert client.post("/password/forgot", data={"email": "Invited@Example.org"}).status_code == 303
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.recipient == "invited@example.org" and message.subject == "Задайте пароль для входа"
    assert "/invite/" in message.body and "/password/reset/" not in message.body
    link = re.search(r"http://\S+/invite/\S+", message.body).group(0)
    token = link.rsplit("/", 1)[1]
    assert accept(client, token).status_code == 303
    db.session.refresh(invited)
    assert invited.consent_dt is not None


def test_an_old_reset_link_of_someone_without_consent_leads_to_the_invitation(client, invited, db):
    token = services.make_reset_token(invited)
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 302 and "/invite/" in response.headers["Location"]
    assert client.get(response.headers["Location"]).status_code == 200


def test_the_invitation_email_reads_well(app, invited, db):
    with app.test_request_context():
        message = services.invitation_messages([invited], organization="МБОУ СОШ № 5", inviter="Кравец Ольга")[0]
    assert message["subject"] == "Приглашение в сеть стажировочных площадок"
    assert message["body"].startswith("Здравствуйте, Дарья Петровна!")
    assert "Кравец Ольга добавил(а) вас в список сотрудников организации «МБОУ СОШ № 5»" in message["body"]
    assert "14 дн." in message["body"] and "invited@example.org" in message["body"]
    assert "<a href=\"http://localhost/invite/" in message["html"]
    token = re.search(r"/invite/(\S+)", message["body"]).group(1)
    assert services.check_invitation_token(token) == (invited, None)
