"""Bad input is never a 500: forms answer 422 with a Russian message at the field, keeping what was typed;
unknown ids are 404; tokens, CSRF and the login rate limit refuse politely."""

from __future__ import annotations

import html as html_lib
import io
import re
from datetime import timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import PASSWORD, text_of

from webapp import create_app
from webapp.accounts import services as account_services
from webapp.accounts.models import Role, User
from webapp.audit.models import AuditEntry
from webapp.extensions import limiter
from webapp.mail.models import OutboxMessage
from webapp.plan.models import Plan, PlanItem
from webapp.sessions.models import EventSession, SessionMaterial, SessionStatus

# -- helpers ---------------------------------------------------------------------------------

def field_errors(response, field_id: str) -> list[str]:
    """The messages shown under one field (the <p class="error" id="err-…"> the form macro renders)."""
    html = response.get_data(as_text=True)
    return [html_lib.unescape(m) for m in re.findall(rf'<p class="error" id="err-{field_id}">(.*?)</p>', html)]


def summary_names_field(response, field_id: str, label: str) -> bool:
    """The error summary at the top links the field by its Russian label."""
    html = response.get_data(as_text=True)
    return bool(re.search(rf'<a href="#{re.escape(field_id)}">{re.escape(label)}</a>:', html))


def input_value(response, field_id: str) -> str | None:
    html = response.get_data(as_text=True)
    tag = re.search(rf'<input[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    if not tag:
        select = re.search(rf'<select[^>]*\bid="{re.escape(field_id)}"[^>]*>(.*?)</select>', html, re.S)
        chosen = select and re.search(r'<option[^>]*\bselected[^>]*\bvalue="([^"]*)"|<option[^>]*\bvalue="([^"]*)"[^>]*\bselected',
                                      select.group(1))
        return html_lib.unescape(chosen.group(1) or chosen.group(2)) if chosen else None
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html_lib.unescape(value.group(1)) if value else ""


def is_russian(message: str) -> bool:
    """Written in Russian: the first word is Cyrillic (examples such as «Europe/Moscow» may follow)."""
    first = re.search(r"[^\W\d_]+", message)
    return bool(first) and bool(re.fullmatch(r"[а-яё]+", first.group(0), re.I))


def assert_refused(response, field_id: str, label: str, message: str | None = None):
    """422, a Russian message under the field and in the summary, naming the field."""
    assert response.status_code == 422, text_of(response)[:500]
    errors = field_errors(response, field_id)
    assert errors, f"no message under «{label}»: {text_of(response)[:600]}"
    if message is not None:
        assert any(message in e for e in errors), errors
    assert all(is_russian(e) for e in errors), errors
    assert summary_names_field(response, field_id, label)


# -- sessions --------------------------------------------------------------------------------

@pytest.fixture
def methodist_world(make, db, auth):
    m = make.municipality(name="Кореновский район")
    site = make.site(organization=make.organization(municipality=m), name="Площадка «Наставник»")
    item = make.item(plan=make.plan(municipality=m))
    methodist = make.user(Role.METHODIST, scope=m)
    auth.login(methodist)
    return {"m": m, "site": site, "item": item, "user": methodist}


def _session_body(w, **changes):
    body = {"title": "Семинар «Смысловое чтение»", "site_id": str(w["site"].id), "municipality_id": "",
            "plan_item_id": str(w["item"].id), "delivery": "in_person", "address": "ул. Мира, 5",
            "start": "2031-03-12T10:00", "end": "2031-03-12T13:00", "capacity": "30", "timezone": ""}
    body.update(changes)
    return body


SESSION_CASES = [
    pytest.param({"end": "2031-03-12T09:00"}, "end", "Окончание", "Окончание должно быть позже начала.",
                 id="end-before-start"),
    pytest.param({"capacity": "-1"}, "capacity", "Количество мест", "От 0 до 10000.", id="capacity-negative"),
    pytest.param({"capacity": "10001"}, "capacity", "Количество мест", "От 0 до 10000.", id="capacity-too-big"),
    pytest.param({"registration_closes": "2031-03-12T14:00"}, "registration_closes", "Регистрация закрывается",
                 "Регистрация не может закрываться после окончания мероприятия.", id="closes-after-end"),
    pytest.param({"registration_opens": "2031-03-10T10:00", "registration_closes": "2031-03-09T10:00"},
                 "registration_closes", "Регистрация закрывается",
                 "Регистрация должна закрываться позже, чем открывается.", id="opens-after-closes"),
    pytest.param({"timezone": "Mars/Olympus"}, "timezone", "Часовой пояс", "Неизвестный часовой пояс",
                 id="timezone-mars"),
    pytest.param({"delivery": "online", "online_url": ""}, "online_url", "Ссылка на подключение",
                 "нужна ссылка на подключение", id="online-without-link"),
    pytest.param({"site_id": "999999"}, "site_id", "Площадка", None, id="unknown-site"),
    pytest.param({"plan_item_id": "999999"}, "plan_item_id", "Пункт плана", None, id="unknown-plan-item"),
    pytest.param({"capacity": "много"}, "capacity", "Количество мест", None, id="capacity-not-a-number"),
]


@pytest.mark.parametrize(("changes", "field_id", "label", "message"), SESSION_CASES)
def test_session_form_refuses_bad_input_at_the_field(changes, field_id, label, message, methodist_world, client, db):
    response = client.post("/sessions/new", data=_session_body(methodist_world, **changes))
    assert_refused(response, field_id, label, message)
    # what was typed is still there to correct
    assert input_value(response, "title") == "Семинар «Смысловое чтение»"
    for name, value in changes.items():
        if name not in ("delivery", "site_id", "plan_item_id") and value:
            assert input_value(response, name) == value, name
    assert db.session.scalar(sa.select(sa.func.count(EventSession.id))) == 0


def test_session_form_refuses_the_same_on_edit(methodist_world, make, client, db):
    session = make.session(site=methodist_world["site"], title="Старое название")
    db.session.commit()
    response = client.post(f"/sessions/{session.id}/edit",
                           data=_session_body(methodist_world, end="2031-03-12T09:00", title="Новое название"))
    assert_refused(response, "end", "Окончание", "Окончание должно быть позже начала.")
    assert input_value(response, "title") == "Новое название"
    db.session.expire_all()
    assert db.session.get(EventSession, session.id).title == "Старое название"


def test_htmx_session_form_error_is_the_fragment_with_422(methodist_world, client):
    response = client.post("/sessions/new", data=_session_body(methodist_world, capacity="-1"),
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="session-form"' in body and "От 0 до 10000." in body


# -- plans and items -------------------------------------------------------------------------

def test_plan_form_refuses_end_before_start(methodist_world, client, db):
    response = client.post("/plans/new", data={
        "title": "План на 2030/31 учебный год", "kind": "year", "municipality_id": str(methodist_world["m"].id),
        "period_start": "2031-05-31", "period_end": "2030-09-01", "status": "draft"})
    assert_refused(response, "period_end", "Конец периода", "Конец периода раньше начала.")
    assert input_value(response, "title") == "План на 2030/31 учебный год"
    assert input_value(response, "period_end") == "2030-09-01"
    assert db.session.scalar(sa.select(sa.func.count(Plan.id))) == 1  # only the scenario's plan


def test_plan_item_number_is_unique_within_its_plan(methodist_world, make, client, db):
    plan = methodist_world["item"].plan
    make.item(plan=plan, number="2.1")
    db.session.commit()
    response = client.post(f"/plans/{plan.id}/items/new", data={
        "number": "2.1", "title": "Стажировка по наставничеству", "status": "planned"})
    assert_refused(response, "number", "№", "Пункт № 2.1 уже есть в этом плане.")
    assert "Стажировка по наставничеству" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(PlanItem.id)).where(PlanItem.plan_id == plan.id)) == 2
    # the same number in another plan is fine
    other = make.plan(municipality=methodist_world["m"])
    db.session.commit()
    assert client.post(f"/plans/{other.id}/items/new", data={
        "number": "2.1", "title": "Стажировка по наставничеству", "status": "planned"}).status_code == 303


# -- sign-up ---------------------------------------------------------------------------------

@pytest.fixture
def school(make, db):
    org = make.organization(name="МБОУ СОШ № 12", full_name="Средняя школа № 12 г. Кореновска")
    make.organization(name="МБДОУ д/с № 5", full_name="Детский сад № 5")
    db.session.commit()
    return org


def _signup_body(org, **changes):
    body = {"last_name": "Смирнова", "first_name": "Ольга", "middle_name": "Ивановна", "email": "olga@example.org",
            "org_q": "", "organization_id": str(org.id), "position": "Учитель начальных классов",
            "password": "long-enough-1", "password2": "long-enough-1", "consent": "y"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


SIGNUP_CASES = [
    pytest.param({"email": "not-an-email"}, "email", "Электронная почта", "Неверный адрес электронной почты.",
                 id="bad-email"),
    pytest.param({"password": "short", "password2": "short"}, "password", "Пароль", "Пароль — от 8 до 128 символов.",
                 id="short-password"),
    pytest.param({"password2": "something-else"}, "password2", "Пароль ещё раз", "Пароли не совпадают.",
                 id="mismatched-passwords"),
    pytest.param({"consent": None}, "consent", None, "Без согласия на обработку персональных данных", id="no-consent"),
    pytest.param({"organization_id": None}, "org_q", "Организация", "Выберите организацию из списка.",
                 id="no-organization"),
]


@pytest.mark.parametrize(("changes", "field_id", "label", "message"), SIGNUP_CASES)
def test_signup_refuses_bad_input_at_the_field(changes, field_id, label, message, school, client, db):
    response = client.post("/signup", data=_signup_body(school, **changes))
    assert response.status_code == 422
    errors = field_errors(response, field_id)
    assert any(message in e for e in errors), (errors, text_of(response)[:600])
    assert all(is_russian(e) for e in errors)
    if label:
        assert summary_names_field(response, field_id, label) or field_id == "org_q"
    assert input_value(response, "last_name") == "Смирнова"
    assert input_value(response, "position") == "Учитель начальных классов"
    if field_id != "email":
        assert input_value(response, "email") == "olga@example.org"
    # a password is never echoed back into the page
    assert "long-enough-1" not in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_signup_refuses_an_email_taken_in_another_case(school, make, client, db):
    make.user(email="teacher@example.org")
    db.session.commit()
    response = client.post("/signup", data=_signup_body(school, email="Teacher@Example.org"))
    assert_refused(response, "email", "Электронная почта", "Этот адрес уже зарегистрирован")
    assert input_value(response, "email") == "Teacher@Example.org"
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_signup_without_javascript_offers_matching_organizations(school, client, db):
    """Typed «СОШ 12» but no radio chosen (no JS): the form comes back with the matches to pick from."""
    response = client.post("/signup", data=_signup_body(school, organization_id=None, org_q="СОШ № 12"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(rf'<input type="radio" name="organization_id" value="{school.id}"', html)
    assert "МБОУ СОШ № 12" in text_of(response)
    assert "д/с № 5" not in text_of(response)
    assert input_value(response, "org_q") == "СОШ № 12"
    assert "Выберите организацию из списка." in field_errors(response, "org_q")
    # picking one of the offered radios then succeeds
    response = client.post("/signup", data=_signup_body(school, org_q="СОШ № 12"))
    assert response.status_code == 303


# -- materials -------------------------------------------------------------------------------

def test_material_upload_refuses_an_exe(methodist_world, make, client, db, app):
    session = make.session(site=methodist_world["site"])
    db.session.commit()
    files_before = set(Path(app.config["UPLOAD_DIR"]).glob("*")) if Path(app.config["UPLOAD_DIR"]).exists() else set()
    response = client.post(f"/sessions/{session.id}/materials", data={
        "title": "Программа", "url": "", "file": (io.BytesIO(b"MZ\x90\x00"), "setup.exe")},
        content_type="multipart/form-data")
    assert_refused(response, "file", "или файл", "Недопустимый тип файла.")
    assert input_value(response, "title") == "Программа"
    assert db.session.scalar(sa.select(sa.func.count(SessionMaterial.id))) == 0
    assert set(Path(app.config["UPLOAD_DIR"]).glob("*")) == files_before


def test_material_upload_over_the_size_limit_is_413_in_russian(methodist_world, make, client, db, app, monkeypatch):
    session = make.session(site=methodist_world["site"])
    db.session.commit()
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    response = client.post(f"/sessions/{session.id}/materials", data={
        "title": "Большой файл", "file": (io.BytesIO(b"%PDF-1.4\n" + b"x" * 4096), "big.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Файл слишком большой" in text_of(response)
    assert db.session.scalar(sa.select(sa.func.count(SessionMaterial.id))) == 0


# -- unknown ids -----------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/sessions/999999", "/sites/999999", "/plans/999999", "/plan-items/999999",
                                 "/admin/users/999999", "/sessions/999999/edit", "/plans/999999/edit",
                                 "/sessions/999999/materials/1", "/admin/taxonomies/planets"])
def test_unknown_ids_are_404_in_russian(url, make, auth, client):
    auth.login(make.user(Role.ADMIN))
    response = client.get(url)
    assert response.status_code == 404
    assert "Страница не найдена" in text_of(response)


def test_cancelling_twice_cancels_once(methodist_world, make, client, db):
    session = make.session(site=methodist_world["site"])
    db.session.commit()
    assert session.revision == 1
    first = client.post(f"/sessions/{session.id}/cancel", data={"reason": "Карантин"})
    second = client.post(f"/sessions/{session.id}/cancel", data={"reason": "Карантин (повторно)"})
    assert first.status_code == 303 and second.status_code == 303
    db.session.expire_all()
    s = db.session.get(EventSession, session.id)
    assert s.status == SessionStatus.CANCELLED and s.cancel_reason == "Карантин"
    assert s.revision == 2
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.object_type == "session", AuditEntry.object_id == s.id, AuditEntry.action == "cancelled")).all()
    assert len(entries) == 1


# -- password reset --------------------------------------------------------------------------

INVALID_LINK = "Ссылка недействительна или устарела"


def _token_for(user) -> str:
    return account_services.make_reset_token(user)


def test_reset_token_works_once(make, client, db):
    user = make.user(email="reset@example.org")
    db.session.commit()
    token = _token_for(user)
    assert client.get(f"/password/reset/{token}").status_code == 200
    response = client.post(f"/password/reset/{token}", data={"password": "brand-new-pass", "password2": "brand-new-pass"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert client.post("/login", data={"email": "reset@example.org", "password": "brand-new-pass"}).status_code == 303
    client.post("/logout")
    again = client.get(f"/password/reset/{token}")
    assert again.status_code == 302 and "/password/forgot" in again.headers["Location"]
    assert INVALID_LINK in text_of(client.get(again.headers["Location"]))
    # and posting through the used link changes nothing
    client.post(f"/password/reset/{token}", data={"password": "third-password", "password2": "third-password"})
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("brand-new-pass")


def test_tampered_reset_token_is_rejected(make, client, db):
    user = make.user()
    db.session.commit()
    token = _token_for(user)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    response = client.get(f"/password/reset/{tampered}", follow_redirects=True)
    assert INVALID_LINK in text_of(response)
    client.post(f"/password/reset/{tampered}", data={"password": "hijacked-pass", "password2": "hijacked-pass"})
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)


def test_expired_reset_token_is_rejected(make, client, db, app, monkeypatch):
    user = make.user()
    db.session.commit()
    token = _token_for(user)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    response = client.get(f"/password/reset/{token}", follow_redirects=True)
    assert INVALID_LINK in text_of(response)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", 7200)
    assert client.get(f"/password/reset/{token}").status_code == 200  # the same token, within its age


def test_reset_request_does_not_reveal_whether_an_account_exists(make, client, db):
    make.user(email="known@example.org")
    db.session.commit()
    unknown = client.post("/password/forgot", data={"email": "unknown@example.org"}, follow_redirects=True)
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0
    known = client.post("/password/forgot", data={"email": "KNOWN@example.org"}, follow_redirects=True)
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1
    message = "Если этот адрес зарегистрирован, мы отправили на него ссылку"
    assert message in text_of(unknown) and message in text_of(known)
    assert unknown.status_code == known.status_code == 200


# -- CSRF ------------------------------------------------------------------------------------

def test_post_without_csrf_token_is_refused_in_russian(make, client, db, app, monkeypatch):
    make.user(email="csrf@example.org")
    db.session.commit()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/login", data={"email": "csrf@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "Форма устарела" in text_of(response)
    with client.session_transaction() as sess:
        assert "_user_id" not in sess
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": "csrf@example.org", "password": PASSWORD},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 303
    with client.session_transaction() as sess:
        assert sess.get("_user_id")


# -- login rate limit ------------------------------------------------------------------------

def test_login_rate_limit_answers_429_in_russian(tmp_path):
    """A second app with the limiter on (the shared test app has it off)."""
    saved = dict(vars(limiter))  # the limiter is a module-level singleton: init_app rewrites its state
    try:
        rl_app = create_app({
            "TESTING": True, "APP_ENV": "testing", "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'ratelimit.sqlite3'}",
            "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT": "3 per minute", "UPLOAD_DIR": str(tmp_path / "uploads"), "SERVER_NAME": "localhost",
        })
        from webapp.extensions import db as _db

        with rl_app.app_context():
            _db.create_all()
            client = rl_app.test_client()
            statuses = [client.post("/login", data={"email": "guess@example.org",
                                                    "password": f"guess-{i}"}).status_code for i in range(3)]
            assert statuses == [422, 422, 422]
            fourth = client.post("/login", data={"email": "guess@example.org", "password": "guess-4"})
            assert fourth.status_code == 429
            assert "Слишком много попыток" in text_of(fourth)
            assert client.get("/login").status_code == 200  # only POSTs are counted
            _db.session.remove()
            _db.engine.dispose()
    finally:
        vars(limiter).clear()
        vars(limiter).update(saved)


def test_the_valid_body_the_cases_start_from_is_accepted(methodist_world, client, db):
    """Sanity for the cases above: a valid body is accepted, so each refusal is the bad field's doing."""
    response = client.post("/sessions/new", data=_session_body(methodist_world))
    assert response.status_code == 303
    s = db.session.scalar(sa.select(EventSession))
    assert s.start_dt.tzinfo is not None and s.start_dt.utcoffset() == timezone.utc.utcoffset(None)
