"""Paper: the sign-in sheet, certificates of participation (issuing, who sees them, their wording)
and the public verification page (genuine, annulled, unknown, junk)."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from conftest import HX, count_queries, text_of

from webapp import create_app
from webapp.accounts.models import Role
from webapp.attendance import certificates, services
from webapp.attendance.models import AttendanceStatus, Certificate
from webapp.extensions import limiter
from webapp.registration import services as registration
from webapp.taxonomy.models import EventForm
from webapp.timefmt import MOSCOW

P, A = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT
NUMBER = re.compile(r"^20[0-9]{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}$")


@pytest.fixture
def w(make, db):
    m = make.municipality(name="Кореновский район")
    school = make.organization(municipality=m, name="МБОУ СОШ № 7")
    site = make.site(organization=make.organization(municipality=m, name="МАОУ Лицей № 1"))
    other_site = make.site(organization=make.organization(municipality=m))
    w = SimpleNamespace(
        m=m, school=school, site=site,
        leader=make.user(Role.SITE_LEADER, scope=site, last_name="Ведущая"),
        other_leader=make.user(Role.SITE_LEADER, scope=other_site, last_name="Чужая"),
        methodist=make.user(Role.METHODIST, scope=m, last_name="Методистова"),
        coordinator=make.user(Role.COORDINATOR, scope=school, last_name="Координаторова"),
        stranger=make.user(organization=make.organization(municipality=m), last_name="Посторонняя"),
    )

    def session_with(n, start_in=timedelta(hours=-4), hours=3, **kw):
        """A session that started `start_in` from now (by default over an hour ago) with n
        confirmed registrants of the school, in ФИО order."""
        return make.session_with_registrants(site, n, start_in, hours=hours, organization=school,
                                             person={"middle_name": "Ивановна", "position": "Учитель физики"}, **kw)

    w.session_with = session_with
    return w


def _mark(db, w, s, person, status=P):
    services.mark(s.id, person.id, status, w.leader)
    db.session.commit()


def _certificates(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Certificate))


def _issue(client, s, **form):
    return client.post(f"/sessions/{s.id}/certificate", data=form)


def _number_of(response) -> str:
    assert response.status_code == 303, response.status_code
    match = re.search(r"/certificates/([^/?]+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


# -- the sign-in sheet -----------------------------------------------------------------------

def test_sign_in_sheet_lists_the_roster_in_fio_order_with_ten_blank_rows(client, auth, db, w, make):
    s, people = w.session_with(3, start_in=timedelta(days=1))
    # 10:00–13:00 Moscow tomorrow: a start late in the evening would run past midnight (another format)
    start = (s.start_dt.astimezone(MOSCOW) + timedelta(days=1)).replace(hour=10, minute=0, second=0)
    s.start_dt, s.end_dt = start, start + timedelta(hours=3)
    s.form = EventForm(name="Семинар-практикум")
    gone = make.user(organization=w.school, last_name="Ушедшая")
    reg = registration.register(s.id, gone, gone)
    registration.cancel(reg.id, gone, "")
    db.session.commit()
    auth.login(w.leader)
    response = client.get(f"/sessions/{s.id}/sign-in-sheet")
    assert response.status_code == 200
    page, html = text_of(response), response.get_data(as_text=True)
    assert "Лист регистрации участников" in page and s.title in page
    assert "Семинар-практикум" in page and "МАОУ Лицей № 1" in page and "ул. Ленина, 1" in page
    assert re.search(r"\d+ [а-я]+ \d{4}, \d\d:\d\d–\d\d:\d\d", page)  # the date and time in Russian
    assert "№ ФИО Организация Должность Подпись" in page
    names = [p.full_name for p in sorted(people, key=lambda p: p.last_name)]
    positions = [page.index(f"{i} {name} МБОУ СОШ № 7 Учитель физики") for i, name in enumerate(names, 1)]
    assert positions == sorted(positions)
    assert "Ушедшая" not in page  # cancelled: not on the roster
    assert html.count('<tr class="blank">') == 10
    assert re.search(r'<td class="num">13</td>(<td></td>){4}</tr>', html)
    assert "Ответственный:" in page
    assert "css/documents.css" in html and "js/print.js" in html and "Ctrl+P" in page


def test_sign_in_sheet_shows_walk_ins_too(client, auth, db, w):
    s, people = w.session_with(1, start_in=timedelta(minutes=-10))
    services.add_walk_in(s.id, w.leader, person=services.NewPerson(
        last_name="Аистова", first_name="Ольга", middle_name="Петровна", email="walkin@example.org",
        organization_id=w.school.id, position="Завуч"))
    db.session.commit()
    auth.login(w.leader)
    page = text_of(client.get(f"/sessions/{s.id}/sign-in-sheet"))
    assert "1 Аистова Ольга Петровна МБОУ СОШ № 7 Завуч" in page
    assert f"2 {people[0].full_name}" in page


def test_sign_in_sheet_is_for_the_session_staff_only(client, auth, db, w):
    s, (teacher,) = w.session_with(1, start_in=timedelta(days=1))
    url = f"/sessions/{s.id}/sign-in-sheet"
    assert "/login" in client.get(url).headers["Location"]
    for user, status in [(w.other_leader, 403), (teacher, 403), (w.coordinator, 403), (w.methodist, 200),
                         (w.leader, 200)]:
        auth.login(user)
        assert client.get(url).status_code == status, user.last_name
    assert client.get("/sessions/999999/sign-in-sheet").status_code == 404


def test_sign_in_sheet_runs_the_same_queries_for_3_or_30_people(client, auth, db, w):
    small, _ = w.session_with(3, start_in=timedelta(days=1))
    big, _ = w.session_with(30, start_in=timedelta(days=1))
    auth.login(w.leader)
    counts = []
    for session_id, n in ((small.id, 3), (big.id, 30)):
        db.session.remove()
        with count_queries(db.engine) as statements:
            response = client.get(f"/sessions/{session_id}/sign-in-sheet")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("Учитель физики") == n
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 8


# -- issuing certificates --------------------------------------------------------------------

def test_participant_present_gets_a_certificate_with_her_name_hours_and_number(client, auth, db, w):
    s, (teacher,) = w.session_with(1, hours=3)
    _mark(db, w, s, teacher)
    auth.login(teacher)
    number = _number_of(_issue(client, s))
    assert NUMBER.match(number)
    assert number.startswith(f"{s.start_dt.year}-")
    response = client.get(f"/certificates/{number}")
    assert response.status_code == 200
    page, html = text_of(response), response.get_data(as_text=True)
    assert "Сертификат участника" in page
    assert teacher.full_name in page and "приняла участие в мероприятии" in page and s.title in page
    assert "в объёме 4 академических часов" in page  # 3 hours = 180 minutes = 4 academic hours
    assert "МАОУ Лицей № 1" in page and number in page
    assert f"http://localhost/verify/{number}" in page
    assert "<svg" in html and "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "Сохранить как PDF" in page
    assert "аннулирован" not in page.lower()


def test_issuing_twice_gives_the_same_certificate(client, auth, db, w):
    s, (teacher,) = w.session_with(1)
    _mark(db, w, s, teacher)
    auth.login(teacher)
    first = _number_of(_issue(client, s))
    second = _number_of(_issue(client, s))
    assert first == second and _certificates(db) == 1
    auth.login(w.leader)
    assert _number_of(_issue(client, s, user_id=str(teacher.id))) == first
    assert _certificates(db) == 1


@pytest.mark.parametrize("status", [A, AttendanceStatus.EXCUSED, None])
def test_no_certificate_for_the_absent_or_unmarked(client, auth, db, w, status):
    s, (teacher,) = w.session_with(1)
    if status is not None:
        _mark(db, w, s, teacher, status)
    auth.login(teacher)
    response = _issue(client, s)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/sessions/{s.id}")
    assert _certificates(db) == 0
    assert "только участникам, отмеченным как присутствовавшие" in text_of(client.get(f"/sessions/{s.id}"))
    htmx = client.post(f"/sessions/{s.id}/certificate", headers=HX)
    assert htmx.status_code == 409 and "присутствовавшие" in text_of(htmx)
    assert _certificates(db) == 0


def test_no_certificate_before_the_session_ends(client, auth, db, w):
    s, (teacher,) = w.session_with(1, start_in=timedelta(minutes=-20))
    _mark(db, w, s, teacher)
    auth.login(teacher)
    response = _issue(client, s)
    assert response.status_code == 303 and _certificates(db) == 0
    assert "Сертификат выдаётся после окончания мероприятия" in text_of(client.get(f"/sessions/{s.id}"))
    with pytest.raises(certificates.CertificateError) as info:
        certificates.issue(services.roster_row(s.id, teacher.id).attendance, teacher)
    assert info.value.status == 409 and "после окончания" in info.value.message


def test_only_staff_issue_for_somebody_else(client, auth, db, w):
    s, (a, b) = w.session_with(2)
    _mark(db, w, s, a)
    auth.login(b)
    assert _issue(client, s, user_id=str(a.id)).status_code == 403
    auth.login(w.other_leader)
    assert _issue(client, s, user_id=str(a.id)).status_code == 403
    assert _issue(client, s, user_id="1; drop").status_code == 404
    assert _certificates(db) == 0
    auth.logout()
    assert "/login" in _issue(client, s).headers["Location"]
    auth.login(w.leader)
    number = _number_of(_issue(client, s, user_id=str(a.id)))
    assert db.session.scalar(sa.select(Certificate.user_id).where(Certificate.number == number)) == a.id


def test_who_may_see_a_certificate(client, auth, db, w):
    s, (teacher, colleague) = w.session_with(2)
    _mark(db, w, s, teacher)
    auth.login(teacher)
    url = f"/certificates/{_number_of(_issue(client, s))}"
    for user, status in [(colleague, 403), (w.stranger, 403), (w.other_leader, 403), (w.coordinator, 200),
                         (w.leader, 200), (w.methodist, 200), (teacher, 200)]:
        auth.login(user)
        assert client.get(url).status_code == status, user.last_name
    assert client.get("/certificates/2027-22222-22222").status_code == 404
    assert client.get("/certificates/" + "Ж" * 300).status_code == 404
    assert client.get(url.lower()).status_code == 302  # found, sent to the canonical address
    auth.logout()
    assert "/login" in client.get(url).headers["Location"]


# -- verification ----------------------------------------------------------------------------

def test_verification_says_genuine_then_annulled_after_the_mark_changes(client, auth, db, w):
    s, (teacher,) = w.session_with(1, hours=3)
    _mark(db, w, s, teacher)
    auth.login(teacher)
    number = _number_of(_issue(client, s))
    auth.logout()
    response = client.get(f"/verify/{number}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = text_of(response)
    assert "Сертификат подлинный" in page and number in page
    assert teacher.full_name in page and s.title in page and "4 академических часа" in page
    assert "МАОУ Лицей № 1" in page
    assert teacher.email not in page and "МБОУ СОШ № 7" not in page  # nothing the certificate does not say
    # typed by hand: lower case, no dashes, spaces around; or through the form
    assert "Сертификат подлинный" in text_of(client.get(f"/verify/ {number.replace('-', '').lower()} "))
    assert "Сертификат подлинный" in text_of(client.get("/verify", query_string={"number": number.lower()}))

    _mark(db, w, s, teacher, A)
    response = client.get(f"/verify/{number}")
    assert response.status_code == 200
    page = text_of(response)
    assert "Сертификат аннулирован" in page and "подлинный" not in page
    auth.login(teacher)
    assert "аннулирован" in text_of(client.get(f"/certificates/{number}"))
    assert _issue(client, s).status_code == 303 and _certificates(db) == 1  # not issued again either


def test_verification_of_an_unknown_number_is_404(client, db):
    response = client.get("/verify/2027-7KQ4M-2XPRD")
    assert response.status_code == 404
    assert "Сертификат с таким номером не найден" in text_of(response)
    assert response.headers["Cache-Control"] == "no-store"
    empty = client.get("/verify")
    assert empty.status_code == 200 and "Номер сертификата" in text_of(empty)
    assert "не найден" not in text_of(empty)


@pytest.mark.parametrize("junk", [
    "x" * 5000, "2027-7KQ4M-2XPR", "2027-7KQ4M-2XPRDD", "2027-0OQ4M-2XPRD", "сертификат", "٢٠٢٧-7KQ4M-2XPRD",
    "<script>alert(1)</script>", "' OR 1=1 --", "%00", "2027-7KQ4M-2XPRD\x00", "🙂" * 10, "..",
])
def test_junk_numbers_get_a_message_never_a_500(client, db, junk):
    for response in (client.get("/verify", query_string={"number": junk}), client.get(f"/verify/{junk}")):
        assert response.status_code in (400, 404), (junk, response.status_code)
        page = text_of(response)
        assert "Номер сертификата" in page or "не найден" in page or "Страница не найдена" in page
        assert "<script>alert" not in response.get_data(as_text=True)
    assert client.get("/verify", query_string={"number": junk}).status_code == 400


@pytest.mark.parametrize("path", ["/verify/2027/7KQ4M/2XPRD", "/verify/..%2F..%2Fetc%2Fpasswd",
                                  "/verify/2027-7KQ4M-2XPRD/", "/certificates/a/b"])
def test_slashes_in_numbers_are_simply_not_found(client, db, path):
    assert client.get(path).status_code == 404


def test_verification_is_rate_limited(tmp_path):
    """A second app with the limiter on (the shared test app has it off)."""
    saved = dict(vars(limiter))  # the limiter is a module-level singleton: init_app rewrites its state
    try:
        rl_app = create_app({
            "TESTING": True, "APP_ENV": "testing", "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'ratelimit.sqlite3'}",
            "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://", "VERIFY_RATE_LIMIT": "3 per minute",
            "UPLOAD_DIR": str(tmp_path / "uploads"), "SERVER_NAME": "localhost",
        })
        from webapp.extensions import db as _db

        with rl_app.app_context():
            _db.create_all()
            client = rl_app.test_client()
            statuses = [client.get(url).status_code
                        for url in ("/verify/2027-7KQ4M-2XPRD", "/verify?number=2027-22222-22222", "/verify/x")]
            assert statuses == [404, 404, 400]
            fourth = client.get("/verify/2027-33333-33333")  # both addresses share one budget
            assert fourth.status_code == 429
            assert "Слишком много попыток" in text_of(fourth)
            _db.session.remove()
            _db.engine.dispose()
    finally:
        vars(limiter).clear()
        vars(limiter).update(saved)


# -- numbers and wording ---------------------------------------------------------------------

def test_numbers_are_random_readable_and_distinct():
    numbers = {certificates.new_number(2027) for _ in range(5000)}
    assert len(numbers) == 5000
    assert all(NUMBER.match(n) and n.startswith("2027-") for n in numbers)
    used = set("".join(n[5:] for n in numbers).replace("-", ""))
    assert not used & set("01OILU") and len(used) == len(certificates.ALPHABET)


def test_typed_numbers_are_normalized():
    canonical = "2027-7KQ4M-2XPRD"
    for typed in (canonical, " 2027-7kq4m-2xprd ", "20277KQ4M2XPRD", "2027 7KQ4M 2XPRD", "2027–7KQ4М–2ХРRD"):
        assert certificates.normalize_number(typed) == canonical, typed
    for junk in ("", "2027", "x" * 41, "2027-7KQ4M-2XPR0", "2027-7KQ4M-2XPRD-1"):
        with pytest.raises(certificates.CertificateError) as info:
            certificates.normalize_number(junk)
        assert info.value.status == 400 and "2027-7KQ4M-2XPRD" in info.value.message


def test_a_taken_number_is_replaced_by_a_fresh_one(client, auth, db, w, monkeypatch):
    s, (a, b) = w.session_with(2)
    _mark(db, w, s, a)
    _mark(db, w, s, b)
    parts = iter(["AAAAABBBBB", "AAAAABBBBB", "CCCCCDDDDD"])
    monkeypatch.setattr(certificates, "_random_part", lambda: next(parts))
    auth.login(a)
    first = _number_of(_issue(client, s))
    auth.login(b)
    second = _number_of(_issue(client, s))
    assert (first[5:], second[5:]) == ("AAAAA-BBBBB", "CCCCC-DDDDD")
    assert _certificates(db) == 2


@pytest.mark.parametrize("hours, text, alone", [
    (1, "1 академического часа", "1 академический час"),
    (2, "2 академических часов", "2 академических часа"),
    (4, "4 академических часов", "4 академических часа"),
    (5, "5 академических часов", "5 академических часов"),
    (11, "11 академических часов", "11 академических часов"),
    (12, "12 академических часов", "12 академических часов"),
    (21, "21 академического часа", "21 академический час"),
    (72, "72 академических часов", "72 академических часа"),
    (111, "111 академических часов", "111 академических часов"),
])
def test_hours_are_worded_in_russian(hours, text, alone):
    assert certificates.hours_text(hours) == text
    assert certificates.hours_count(hours) == alone


def test_took_part_follows_the_patronymic():
    person = SimpleNamespace
    assert certificates.took_part(person(middle_name="Сергеевна")) == "приняла"
    assert certificates.took_part(person(middle_name="Ильич")) == "принял"
    assert certificates.took_part(person(middle_name="Петрович")) == "принял"
    assert certificates.took_part(person(middle_name="")) == "принял(а)"
