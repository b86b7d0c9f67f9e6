"""Attendance rules, called as a request would: marking, «mark all», closing, the edit period,
walk-ins, QR check-in and its links, and the audit trail."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from webapp.accounts.models import Role, User
from webapp.attendance import services
from webapp.attendance.models import Attendance, AttendanceChange, AttendanceStatus, MarkSource

P, L, A, E = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT,
              AttendanceStatus.EXCUSED)


@pytest.fixture
def w(make, db):
    m = make.municipality(name="Кореновский район")
    school = make.organization(municipality=m)
    site = make.site(organization=make.organization(municipality=m))
    other_site = make.site(organization=make.organization(municipality=m))
    w = SimpleNamespace(
        m=m, school=school, site=site,
        leader=make.user(Role.SITE_LEADER, scope=site, last_name="Ведущая"),
        other_leader=make.user(Role.SITE_LEADER, scope=other_site, last_name="Чужая"),
        methodist=make.user(Role.METHODIST, scope=m, last_name="Методистова"),
    )

    def session_with(n, start_in=timedelta(minutes=-30), **kw):
        """A session that started `start_in` ago-ish with n confirmed registrants."""
        return make.session_with_registrants(site, n, start_in, organization=school, **kw)

    w.session_with = session_with
    return w


def _att(db, s, user) -> Attendance | None:
    return db.session.scalar(sa.select(Attendance).where(Attendance.session_id == s.id,
                                                         Attendance.user_id == user.id))


def _changes(db, s) -> list[tuple]:
    return [tuple(r) for r in db.session.execute(
        sa.select(Attendance.user_id, AttendanceChange.from_status, AttendanceChange.to_status,
                  AttendanceChange.source)
        .join(Attendance, Attendance.id == AttendanceChange.attendance_id)
        .where(Attendance.session_id == s.id).order_by(AttendanceChange.id))]


def _refused(db, call, *args, **kw) -> services.AttendanceError:
    before = (db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)),
              db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceChange)))
    with pytest.raises(services.AttendanceError) as info:
        call(*args, **kw)
    db.session.rollback()
    after = (db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)),
             db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceChange)))
    assert before == after
    return info.value


def test_marking_one_then_changing_keeps_the_audit_trail(db, w):
    s, (a, b) = w.session_with(2)
    services.mark(s.id, a.id, P, w.leader)
    db.session.commit()
    services.mark(s.id, a.id, L, w.leader, remark="  пришла   к 10:20 ")
    db.session.commit()
    services.mark(s.id, a.id, L, w.leader, remark="пришла к 10:20")  # the same again: nothing
    db.session.commit()
    att = _att(db, s, a)
    assert (att.status, att.remark, att.walk_in) == (L, "пришла к 10:20", False)
    assert _changes(db, s) == [(a.id, None, P, MarkSource.STAFF), (a.id, P, L, MarkSource.STAFF)]
    counts = services.roster_counts(s.id)
    assert (counts.total, counts.marked, counts.unmarked, counts.attended) == (2, 1, 1, 1)


def test_mark_all_fills_only_the_unmarked_and_closing_marks_the_rest_absent(db, w):
    s, people = w.session_with(5)
    services.mark(s.id, people[0].id, E, w.leader)
    db.session.commit()
    assert services.mark_all_present(s.id, w.leader) == 4
    db.session.commit()
    assert services.mark_all_present(s.id, w.leader) == 0
    assert _att(db, s, people[0]).status == E
    assert {_att(db, s, p).status for p in people[1:]} == {P}
    s2, more = w.session_with(3)
    services.mark(s2.id, more[0].id, P, w.leader)
    db.session.commit()
    assert services.close_roster(s2.id, w.leader) == 2
    db.session.commit()
    assert [_att(db, s2, p).status for p in more] == [P, A, A]
    assert s2.roster_closed_dt is not None
    error = _refused(db, services.close_roster, s2.id, w.leader)
    assert "уже закрыт" in error.message


def test_who_may_mark_and_when(db, w, app):
    s, (a,) = w.session_with(1)
    assert _refused(db, services.mark, s.id, a.id, P, w.other_leader).status == 403
    stranger = w.session_with(0)[0]
    outsider = db.session.get(User, a.id)
    error = _refused(db, services.mark, stranger.id, outsider.id, P, w.leader)
    assert error.status == 404 and "нет в списке" in error.message
    future, (f,) = w.session_with(1, start_in=timedelta(days=2))
    assert "можно с" in _refused(db, services.mark, future.id, f.id, P, w.leader).message
    soon, _ = w.session_with(1, start_in=timedelta(minutes=30))  # marking is open, the session not begun
    assert "после начала" in _refused(db, services.close_roster, soon.id, w.leader).message
    # long after: the leader may not, the methodist may
    old, (o,) = w.session_with(1, start_in=-timedelta(days=30))
    assert "Срок правки" in _refused(db, services.mark, old.id, o.id, P, w.leader).message
    services.mark(old.id, o.id, P, w.methodist)
    db.session.commit()
    with pytest.raises(services.AttendanceError):
        services.mark(s.id, a.id, P, w.leader, remark="x" * 501)
    db.session.rollback()


def test_walk_ins_never_double_people(db, w, make):
    s, _ = w.session_with(1)
    known = make.user(email="known@example.org", organization=w.school)
    att, created = services.add_walk_in(s.id, w.leader, person=services.NewPerson(
        "Другая", "Фамилия", "", "  KNOWN@example.org ", None))
    db.session.commit()
    assert (att.user_id, created, att.walk_in, att.status, att.source) == (known.id, False, True, P,
                                                                           MarkSource.WALK_IN)
    att2, created2 = services.add_walk_in(s.id, w.leader, person=services.NewPerson(
        "Новикова", "Ольга", "Ивановна", "new@example.org", w.school.id))
    db.session.commit()
    new = db.session.get(User, att2.user_id)
    assert created2 and new.password_hash == "" and new.full_name == "Новикова Ольга Ивановна"
    assert "уже в списке" in _refused(db, services.add_walk_in, s.id, w.leader, user_id=known.id).message
    assert services.roster_counts(s.id).total == 3


def test_qr_check_in(db, w, make, app):
    s, (a,) = w.session_with(1, start_in=timedelta(minutes=-5))
    att, changed = services.check_in(s.id, a)
    db.session.commit()
    assert changed and att.status == P and att.source == MarkSource.QR
    assert services.check_in(s.id, a)[1] is False
    db.session.rollback()
    late_s, (b,) = w.session_with(1, start_in=timedelta(minutes=-40))
    assert services.check_in(late_s.id, b)[0].status == L
    db.session.commit()
    stranger = make.user()
    db.session.commit()
    assert _refused(db, services.check_in, s.id, stranger).status == 403
    s.walk_ins_allowed = True
    db.session.commit()
    att, _ = services.check_in(s.id, stranger)
    db.session.commit()
    assert att.walk_in
    future, (f,) = w.session_with(1, start_in=timedelta(hours=2))
    assert "откроется" in _refused(db, services.check_in, future.id, f).message


def test_check_in_links_expire_and_cannot_be_forged(app, monkeypatch):
    with app.test_request_context():
        token = services.checkin_token(42)
        assert services.session_for_checkin_token(token) == 42
        with pytest.raises(services.AttendanceError) as bad:
            services.session_for_checkin_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
        assert bad.value.status == 400
        monkeypatch.setitem(app.config, "CHECKIN_LINK_SECONDS", -1)
        with pytest.raises(services.AttendanceError) as old:
            services.session_for_checkin_token(token)
        assert old.value.status == 410
