"""The marking pages: the list of sessions to mark, the roster, one-tap marks (htmx and plain
forms), «mark all», closing, walk-ins; bad input; and constant query counts on a big roster."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from conftest import HX, count_queries, text_of

from webapp.accounts.models import Role, User
from webapp.attendance.models import Attendance, AttendanceChange, AttendanceStatus
from webapp.dbtypes import utcnow


@pytest.fixture
def w(make, db):
    m = make.municipality(name="Кореновский район")
    school = make.organization(municipality=m, name="МБОУ СОШ № 7")
    site = make.site(organization=make.organization(municipality=m))
    other_site = make.site(organization=make.organization(municipality=m))
    w = SimpleNamespace(m=m, school=school, site=site,
                        leader=make.user(Role.SITE_LEADER, scope=site, last_name="Ведущая"),
                        other_leader=make.user(Role.SITE_LEADER, scope=other_site, last_name="Чужая"),
                        teacher=make.user(organization=school, last_name="Учительница"))

    def session_with(n, start_in=timedelta(minutes=-30), **kw):
        return make.session_with_registrants(site, n, start_in, organization=school, capacity=None, **kw)

    w.session_with = session_with
    return w


def _status(db, s, user) -> AttendanceStatus | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Attendance.status).where(Attendance.session_id == s.id,
                                                                Attendance.user_id == user.id))


def _marks(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceChange))


def test_leader_marks_one_row_in_place(client, auth, db, w):
    s, people = w.session_with(3)
    auth.login(w.leader)
    page = client.get(f"/sessions/{s.id}/attendance")
    assert page.status_code == 200
    assert "Отмечено 0 из 3" in text_of(page)
    assert all(p.full_name in text_of(page) for p in people)
    r = client.post(f"/sessions/{s.id}/attendance/{people[0].id}", data={"status": "late", "remark": "10 минут"},
                    headers=HX)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert f'id="att-{people[0].id}"' in html and re.search(r'value="late"[^>]* checked', html)
    assert 'hx-swap-oob="true"' in html and "Отмечено 1 из 3" in text_of(r)
    assert _status(db, s, people[0]) == AttendanceStatus.LATE
    # a plain form (no JavaScript) goes back to the roster
    r = client.post(f"/sessions/{s.id}/attendance/{people[1].id}", data={"status": "present"})
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/sessions/{s.id}/attendance#att-{people[1].id}")


def test_mark_all_and_close(client, auth, db, w):
    s, people = w.session_with(4)
    auth.login(w.leader)
    client.post(f"/sessions/{s.id}/attendance/{people[0].id}", data={"status": "excused"}, headers=HX)
    r = client.post(f"/sessions/{s.id}/attendance/mark-all", headers=HX)
    assert r.status_code == 200 and "Отмечены присутствующими: 3 человека" in text_of(r)
    assert [_status(db, s, p) for p in people] == [AttendanceStatus.EXCUSED] + [AttendanceStatus.PRESENT] * 3
    r = client.post(f"/sessions/{s.id}/attendance/close", headers=HX)
    assert r.status_code == 200 and "Список закрыт" in text_of(r)
    r = client.post(f"/sessions/{s.id}/attendance/close", headers=HX)
    assert r.status_code == 409 and "уже закрыт" in text_of(r)


@pytest.mark.parametrize("data, code, text", [
    ({"status": "sleeping"}, 422, "Такой отметки нет"),
    ({"remark": "без отметки"}, 422, "Сначала выберите отметку"),
    ({"status": "present", "remark": "x" * 600}, 422, "длиннее 500"),
])
def test_bad_marks_change_nothing(client, auth, db, w, data, code, text):
    s, (p,) = w.session_with(1)
    auth.login(w.leader)
    r = client.post(f"/sessions/{s.id}/attendance/{p.id}", data=data, headers=HX)
    assert r.status_code == code and text in text_of(r)
    assert _status(db, s, p) is None and _marks(db) == 0


def test_marking_someone_not_on_the_roster_or_a_foreign_session(client, auth, db, w):
    s, (p,) = w.session_with(1)
    auth.login(w.leader)
    r = client.post(f"/sessions/{s.id}/attendance/{w.teacher.id}", data={"status": "present"}, headers=HX)
    assert r.status_code == 404 and "нет в списке" in text_of(r)
    assert client.post(f"/sessions/999999/attendance/{p.id}", data={"status": "present"}).status_code == 404
    auth.login(w.other_leader)
    assert client.post(f"/sessions/{s.id}/attendance/{p.id}", data={"status": "present"}).status_code == 403
    assert client.get(f"/sessions/{s.id}/attendance").status_code == 403
    auth.login(w.teacher)
    assert client.post(f"/sessions/{s.id}/attendance/{p.id}", data={"status": "present"}).status_code == 403
    assert _marks(db) == 0


def test_marking_after_the_edit_period_is_refused(client, auth, db, w):
    s, (p,) = w.session_with(1, start_in=-timedelta(days=40))
    auth.login(w.leader)
    r = client.post(f"/sessions/{s.id}/attendance/{p.id}", data={"status": "present"}, headers=HX)
    assert r.status_code == 409 and "Срок правки" in text_of(r)
    assert _marks(db) == 0


def test_walk_ins(client, auth, db, w, make):
    s, _ = w.session_with(1)
    auth.login(w.leader)
    r = client.get(f"/sessions/{s.id}/attendance/people", query_string={"people_q": "Учительница"}, headers=HX)
    assert r.status_code == 200 and w.teacher.full_name in text_of(r)
    r = client.post(f"/sessions/{s.id}/attendance/walk-in", data={"user_id": w.teacher.id}, headers=HX)
    assert r.status_code == 200 and "добавлен" in text_of(r)
    assert _status(db, s, w.teacher) == AttendanceStatus.PRESENT
    r = client.post(f"/sessions/{s.id}/attendance/walk-in", data={"user_id": w.teacher.id}, headers=HX)
    assert r.status_code == 409 and "уже в списке" in text_of(r)
    bad = {"last_name": "", "first_name": "Ольга", "email": "not-an-email", "position": "Учитель",
           "org_q": "СОШ 7", "organization_id": str(w.school.id)}
    r = client.post(f"/sessions/{s.id}/attendance/walk-in", data=bad, headers=HX)
    assert r.status_code == 422 and "Укажите фамилию" in text_of(r) and "ошибка" in text_of(r)
    assert 'value="Ольга"' in r.get_data(as_text=True)  # nothing the leader typed is lost
    assert re.search(rf'value="{w.school.id}"[^>]*checked', r.get_data(as_text=True))  # nor the organization
    r = client.post(f"/sessions/{s.id}/attendance/walk-in", data={**bad, "last_name": "Н", "email": "n@example.org",
                                                                   "org_q": "", "organization_id": "999999"}, headers=HX)
    assert r.status_code == 422 and "Выберите организацию из списка" in text_of(r)
    good = {"last_name": "Новикова", "first_name": "Ольга", "middle_name": "", "email": "Olga@Example.org",
            "organization_id": str(w.school.id)}
    r = client.post(f"/sessions/{s.id}/attendance/walk-in", data=good, headers=HX)
    assert r.status_code == 200 and "Забыли пароль" in text_of(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.email == "olga@example.org")) == 1
    r = client.post(f"/sessions/{s.id}/attendance/walk-in", data=good, headers=HX)
    assert r.status_code == 409  # the same e-mail again: the same person, already on the list


def test_index_lists_only_my_sessions(client, auth, db, w, make):
    s, _ = w.session_with(2)
    foreign = make.session(site=make.site(), title="Чужой семинар",
                           start=utcnow().replace(microsecond=0) + timedelta(hours=2))
    db.session.commit()
    auth.login(w.leader)
    r = client.get("/attendance")
    assert r.status_code == 200 and s.title in text_of(r) and foreign.title not in text_of(r)
    assert "Отмечено 0 из 2" in text_of(r)
    auth.login(w.teacher)
    assert client.get("/attendance").status_code == 403


def test_queries_stay_constant_on_a_big_roster(client, auth, db, w, app):
    small, small_people = w.session_with(3)
    big, big_people = w.session_with(60)
    auth.login(w.leader)
    engine = db.engine

    def measure(s, people):
        counts = []
        with count_queries(engine) as q:
            client.get(f"/sessions/{s.id}/attendance", headers=HX)
        counts.append(len(q))
        with count_queries(engine) as q:
            client.post(f"/sessions/{s.id}/attendance/{people[-1].id}", data={"status": "present"}, headers=HX)
        counts.append(len(q))
        with count_queries(engine) as q:
            client.post(f"/sessions/{s.id}/attendance/mark-all", headers=HX)
        counts.append(len(q))
        return counts

    small_counts, big_counts = measure(small, small_people), measure(big, big_people)
    print("queries (page, mark, mark all):", small_counts, big_counts)
    assert small_counts == big_counts
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)
                             .where(Attendance.session_id == big.id)) == 60
