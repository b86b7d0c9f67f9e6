"""QR self check-in through the browser: the projector screen and its renewing code, the link in
the code (logged in, or via the login page), and every way the link is refused without a write."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from html import unescape
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tests.conftest import HX, PASSWORD, count_queries, text_of
from webapp.accounts.models import Role, User
from webapp.attendance import checkin, services
from webapp.attendance.models import Attendance, AttendanceChange, AttendanceStatus, MarkSource


@pytest.fixture
def w(make, db):
    m = make.municipality()
    school = make.organization(municipality=m)
    site = make.site(organization=make.organization(municipality=m))
    other_site = make.site(organization=make.organization(municipality=m))
    w = SimpleNamespace(
        site=site,
        leader=make.user(Role.SITE_LEADER, scope=site, last_name="Ведущая"),
        other_leader=make.user(Role.SITE_LEADER, scope=other_site, last_name="Чужая"),
        stranger=make.user(organization=school, last_name="Незаписанная"),
    )

    def session_with(n, start_in=timedelta(minutes=-5), **kw):
        """A session that starts `start_in` from now (in the past: begun) with n confirmed registrants."""
        return make.session_with_registrants(site, n, start_in, organization=school, **kw)

    w.session_with = session_with
    return w


def _writes(db) -> tuple[int, int]:
    return (db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)),
            db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceChange)))


def _att(db, s, user) -> Attendance | None:
    return db.session.scalar(sa.select(Attendance).where(Attendance.session_id == s.id,
                                                         Attendance.user_id == user.id))


def _link_on_screen(client, s) -> str:
    """The link the QR code on the screen holds, as a phone would read it."""
    response = client.get(f"/sessions/{s.id}/checkin-screen/code", headers=HX)
    assert response.status_code == 200
    found = re.search(r'data-checkin-url="([^"]+)"', response.get_data(as_text=True))
    assert found, "no code on the screen"
    return unescape(found.group(1))


def _path(link: str) -> str:
    return urlsplit(link).path


# -- the projector screen --------------------------------------------------------------------

def test_the_leader_opens_the_screen_and_its_code_renews_itself(client, auth, w):
    s, people = w.session_with(3)
    auth.login(w.leader)
    page = client.get(f"/sessions/{s.id}/checkin-screen")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = text_of(page)
    assert s.title in text and "Наведите камеру телефона на QR-код" in text
    assert "Отметились: 0 из 3" in text
    assert "<svg" in html and 'viewBox="' in html
    assert "style=" not in html.split('id="checkin-code"')[1]  # the CSP forbids inline styles
    assert "css/checkin.css" in html
    assert f'href="/sessions/{s.id}/attendance"' in html
    assert page.headers["Cache-Control"] == "no-store"

    code = client.get(f"/sessions/{s.id}/checkin-screen/code", headers=HX)
    assert code.status_code == 200 and code.headers["Cache-Control"] == "no-store"
    fragment = code.get_data(as_text=True)
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment
    assert 'id="checkin-code"' in fragment and "<svg" in fragment
    assert 'hx-trigger="every 30s"' in fragment and 'hx-swap="outerHTML"' in fragment
    assert f'hx-get="/sessions/{s.id}/checkin-screen/code"' in fragment

    token = _path(_link_on_screen(client, s)).rsplit("/", 1)[1]
    assert services.session_for_checkin_token(token) == s.id
    # a plain visit of the code's address shows the screen
    plain = client.get(f"/sessions/{s.id}/checkin-screen/code")
    assert plain.status_code == 302 and plain.headers["Location"].endswith(f"/sessions/{s.id}/checkin-screen")


def test_the_count_on_the_screen_follows_the_check_ins(client, auth, w):
    s, (a, b) = w.session_with(2)
    auth.login(a)
    client.get(_path(_link_on_screen_as(client, auth, w.leader, s)))
    auth.login(w.leader)
    assert "Отметились: 1 из 2" in text_of(client.get(f"/sessions/{s.id}/checkin-screen/code", headers=HX))


def _link_on_screen_as(client, auth, leader, s) -> str:
    with client.session_transaction() as sess:
        keep = dict(sess)
    auth.login(leader)
    link = _link_on_screen(client, s)
    with client.session_transaction() as sess:
        sess.clear()
        sess.update(keep)
    return link


def test_the_screen_before_the_window_says_when_it_opens_and_keeps_polling(client, auth, w):
    s, _ = w.session_with(1, start_in=timedelta(hours=2))
    auth.login(w.leader)
    response = client.get(f"/sessions/{s.id}/checkin-screen")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Отметка по QR-коду откроется" in text_of(response)
    assert "<svg" not in html and "data-checkin-url" not in html
    assert 'hx-trigger="every 30s"' in html


@pytest.mark.parametrize("who", ["teacher", "other_leader", "anonymous"])
def test_only_the_sessions_staff_see_the_screen(client, auth, w, who):
    s, (teacher,) = w.session_with(1)
    if who != "anonymous":
        auth.login(teacher if who == "teacher" else w.other_leader)
    screen = client.get(f"/sessions/{s.id}/checkin-screen")
    code = client.get(f"/sessions/{s.id}/checkin-screen/code", headers=HX)
    if who == "anonymous":
        assert screen.status_code == 302 and "/login" in screen.headers["Location"]
    else:
        assert screen.status_code == 403
    assert code.status_code == 403
    assert "<svg" not in screen.get_data(as_text=True) + code.get_data(as_text=True)


def test_an_unknown_session_has_no_screen(client, auth, w):
    auth.login(w.leader)
    assert client.get("/sessions/999999/checkin-screen").status_code == 404
    assert client.get("/sessions/999999/checkin-screen/code", headers=HX).status_code == 404


def test_the_code_runs_the_same_queries_for_a_small_and_a_big_roster(client, auth, w, db, monkeypatch):
    # registrants here never log in: spare the password hashing
    monkeypatch.setattr(User, "set_password", lambda user, password: setattr(user, "password_hash", "-"))
    small, _ = w.session_with(1)
    big, _ = w.session_with(30)
    auth.login(w.leader)
    counts = []
    for s in (small, big):
        client.get(f"/sessions/{s.id}/checkin-screen/code", headers=HX)  # warm up
        with count_queries(db.engine) as statements:
            response = client.get(f"/sessions/{s.id}/checkin-screen/code", headers=HX)
        assert response.status_code == 200
        counts.append(len([q for q in statements if q.lstrip().upper().startswith("SELECT")]))
    assert counts[0] == counts[1] and counts[0] <= 6


# -- the link in the code --------------------------------------------------------------------

def test_a_registrant_scans_and_is_marked_present_once(client, auth, w, db):
    s, (teacher,) = w.session_with(1, start_in=timedelta(minutes=-3))
    link = _path(_link_on_screen_as(client, auth, w.leader, s))
    auth.login(teacher)
    response = client.get(link)
    assert response.status_code == 200
    assert "Вы отмечены: присутствовал(а)" in text_of(response)
    assert s.title in text_of(response) and "/my/registrations" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    att = _att(db, s, teacher)
    assert (att.status, att.source, att.walk_in) == (AttendanceStatus.PRESENT, MarkSource.QR, False)
    before = _writes(db)

    again = client.get(link)
    assert again.status_code == 200 and "Вы уже отмечены" in text_of(again)
    assert _writes(db) == before


def test_after_the_late_minute_the_scan_marks_late(client, auth, w, db):
    s, (teacher,) = w.session_with(1, start_in=timedelta(minutes=-20), late_after_minutes=15)
    link = _path(_link_on_screen_as(client, auth, w.leader, s))
    auth.login(teacher)
    response = client.get(link)
    assert response.status_code == 200 and "Вы отмечены: опоздание" in text_of(response)
    assert _att(db, s, teacher).status == AttendanceStatus.LATE


def test_before_the_late_minute_the_same_delay_is_present(client, auth, w, db):
    s, (teacher,) = w.session_with(1, start_in=timedelta(minutes=-20), late_after_minutes=30)
    link = _path(_link_on_screen_as(client, auth, w.leader, s))
    auth.login(teacher)
    assert client.get(link).status_code == 200
    assert _att(db, s, teacher).status == AttendanceStatus.PRESENT


def test_a_visitor_not_logged_in_logs_in_and_comes_back_marked(client, auth, w, db):
    s, (teacher,) = w.session_with(1)
    link = _path(_link_on_screen_as(client, auth, w.leader, s))
    auth.logout()
    scanned = client.get(link)
    assert scanned.status_code == 302
    assert scanned.headers["Location"].endswith("/login?next=/checkin/complete")
    assert scanned.headers["Referrer-Policy"] == "no-referrer"
    assert _att(db, s, teacher) is None

    login_page = client.get("/login?next=%2Fcheckin%2Fcomplete")
    assert "Войдите, чтобы отметиться" in text_of(login_page)
    logged_in = client.post("/login?next=%2Fcheckin%2Fcomplete",
                            data={"email": teacher.email, "password": PASSWORD})
    assert logged_in.status_code == 303 and logged_in.headers["Location"].endswith("/checkin/complete")
    done = client.get("/checkin/complete")
    assert done.status_code == 200 and "Вы отмечены: присутствовал(а)" in text_of(done)
    assert _att(db, s, teacher).status == AttendanceStatus.PRESENT
    # the remembered scan is used once
    assert client.get("/checkin/complete").status_code == 410


def test_a_remembered_scan_older_than_fifteen_minutes_does_not_mark(client, auth, w, db):
    s, (teacher,) = w.session_with(1)
    auth.login(teacher)
    with client.session_transaction() as sess:
        sess[checkin.GRANT_KEY] = {"session_id": s.id, "granted_at": int(time.time()) - 16 * 60}
    response = client.get("/checkin/complete")
    assert response.status_code == 410 and "Отсканируйте QR-код" in text_of(response)
    assert _att(db, s, teacher) is None
    with client.session_transaction() as sess:
        sess[checkin.GRANT_KEY] = {"session_id": s.id, "granted_at": int(time.time()) - 14 * 60}
    assert client.get("/checkin/complete").status_code == 200
    assert _att(db, s, teacher) is not None


def test_an_expired_link_is_refused_and_writes_nothing(client, auth, w, db, app, monkeypatch):
    s, (teacher,) = w.session_with(1)
    link = _path(_link_on_screen_as(client, auth, w.leader, s))
    monkeypatch.setitem(app.config, "CHECKIN_LINK_SECONDS", -1)
    before = _writes(db)
    for logged_in in (True, False):
        auth.login(teacher) if logged_in else auth.logout()
        response = client.get(link)
        assert response.status_code == 410
        assert "Ссылка устарела" in text_of(response)
        assert response.headers["Referrer-Policy"] == "no-referrer"
    with client.session_transaction() as sess:
        assert checkin.GRANT_KEY not in sess
    assert _writes(db) == before


def test_a_tampered_link_is_refused(client, auth, w, db):
    s, (teacher,) = w.session_with(1)
    link = _path(_link_on_screen_as(client, auth, w.leader, s))
    auth.login(teacher)
    forged = link[:-3] + ("xyz" if not link.endswith("xyz") else "abc")
    other = services.checkin_token(s.id).split(".")[0] + ".AAAA.BBBB"
    for bad in (forged, f"/checkin/{other}", "/checkin/not-a-token"):
        response = client.get(bad)
        assert response.status_code == 400 and "Ссылка повреждена" in text_of(response)
    assert _writes(db) == (0, 0)


@pytest.mark.parametrize("start_in, words", [
    (timedelta(hours=2), "откроется"),
    (-timedelta(hours=4), "Мероприятие закончилось"),
])
def test_outside_the_window_the_link_is_refused(client, auth, w, db, start_in, words):
    s, (teacher,) = w.session_with(1, start_in=start_in)
    token = services.checkin_token(s.id)  # the screen shows no code then; a link made anyway
    for logged_in in (True, False):
        auth.login(teacher) if logged_in else auth.logout()
        response = client.get(f"/checkin/{token}")
        assert response.status_code == 409 and words in text_of(response)
        assert s.title in text_of(response)
    assert _writes(db) == (0, 0)


def test_someone_not_registered_is_refused_unless_walk_ins_are_allowed(client, auth, w, db):
    s, _ = w.session_with(1)
    link = _path(_link_on_screen_as(client, auth, w.leader, s))
    auth.login(w.stranger)
    response = client.get(link)
    assert response.status_code == 403 and "нет в списке участников" in text_of(response)
    assert _writes(db) == (0, 0)

    s.walk_ins_allowed = True
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 200 and "Вы отмечены" in text_of(response)
    att = _att(db, s, w.stranger)
    assert att.walk_in and att.status == AttendanceStatus.PRESENT and att.registration_id is None
