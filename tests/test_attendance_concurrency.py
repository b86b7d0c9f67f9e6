"""Two people mark the same roster at once (a leader and her colleague, or a leader and QR
check-ins while someone presses «отметить остальных»): no mark is lost, none is overwritten by the
bulk action, and every mark's audit trail chains (each change starts from the previous one's value).

Each thread is one request: its own app context, database session and connection, one commit.
"""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from webapp.accounts.models import Role, User
from webapp.attendance import services
from webapp.attendance.models import Attendance, AttendanceChange, AttendanceStatus
from webapp.dbtypes import utcnow
from webapp.registration import services as registration

pytestmark = pytest.mark.postgres

P, L, A, E = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)


@pytest.fixture
def postgres(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("real row-lock concurrency needs PostgreSQL (TEST_DATABASE_URL)")


@pytest.fixture
def roster(make, db, postgres):
    m = make.municipality()
    site = make.site(organization=make.organization(municipality=m))
    leaders = [make.user(Role.SITE_LEADER, scope=site, last_name=f"Ведущая{i}") for i in range(2)]
    s = make.session(site=site, capacity=None)
    org = make.organization(municipality=m)
    people = [make.user(organization=org, last_name=f"Участник{i:03d}") for i in range(40)]
    for p in people:
        registration.register(s.id, p, p)
    start = utcnow().replace(microsecond=0) - timedelta(minutes=20)
    s.start_dt, s.end_dt = start, start + timedelta(hours=2)
    db.session.commit()
    return s.id, [u.id for u in leaders], [u.id for u in people]


def _run(app, db, jobs) -> list[BaseException]:
    """Run each job (a function of nothing) in its own thread and request, all released at once."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []
    guard = threading.Lock()

    def worker(job):
        try:
            with app.app_context():
                barrier.wait(timeout=60)
                job()
        except BaseException as error:  # noqa: BLE001 (reported by the test)
            with guard:
                errors.append(error)

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a mark hung"
    db.session.expire_all()
    return errors


def _one_request(call):
    from webapp.extensions import db

    def job():
        try:
            call()
            db.session.commit()
        except services.AttendanceError:
            db.session.rollback()
            raise
    return job


def test_two_markers_and_mark_all_lose_nothing(app, db, roster):
    session_id, (first, second), people = roster
    rng = random.Random(3)
    wanted = {uid: rng.choice([L, A, E]) for uid in people[:30]}  # people[30:] left for «mark all»

    def marks(leader_id, uids):
        def call():
            from webapp.extensions import db as _db
            leader = _db.session.get(User, leader_id)
            for uid in uids:  # one request per mark, as the page sends them
                services.mark(session_id, uid, wanted[uid], leader)
                _db.session.commit()
        return call

    def mark_all():
        from webapp.extensions import db as _db
        services.mark_all_present(session_id, _db.session.get(User, first))

    errors = _run(app, db, [marks(first, people[:15]), marks(second, people[15:30]), _one_request(mark_all)])
    assert not errors, errors
    got = dict(db.session.execute(sa.select(Attendance.user_id, Attendance.status)
                                  .where(Attendance.session_id == session_id)).all())
    assert len(got) == 40
    # every explicit mark survived; «mark all» filled only the rest (or was first, then overwritten)
    assert {uid: got[uid] for uid in wanted} == wanted
    assert {got[uid] for uid in people[30:]} == {P}
    _assert_audit_chains(db, session_id)


def test_the_same_person_marked_by_two_at_once_keeps_a_true_history(app, db, roster):
    session_id, (first, second), people = roster
    target = people[0]

    def flip(leader_id, statuses):
        def call():
            from webapp.extensions import db as _db
            leader = _db.session.get(User, leader_id)
            for status in statuses:
                services.mark(session_id, target, status, leader)
                _db.session.commit()
        return call

    errors = _run(app, db, [flip(first, [P, L, A] * 5), flip(second, [E, P, L] * 5)])
    assert not errors, errors
    _assert_audit_chains(db, session_id)
    final = db.session.scalar(sa.select(Attendance.status).where(Attendance.session_id == session_id,
                                                                 Attendance.user_id == target))
    last_change = db.session.scalars(
        sa.select(AttendanceChange).join(Attendance).where(Attendance.user_id == target)
        .order_by(AttendanceChange.id.desc())).first()
    assert final == last_change.to_status


def _assert_audit_chains(db, session_id: int) -> None:
    """For every mark: the first change starts from nothing, each next one from the previous value,
    and the last one ends at the stored value."""
    rows = db.session.execute(
        sa.select(Attendance.id, Attendance.status, AttendanceChange.from_status, AttendanceChange.to_status)
        .join(AttendanceChange, AttendanceChange.attendance_id == Attendance.id)
        .where(Attendance.session_id == session_id).order_by(Attendance.id, AttendanceChange.id)).all()
    by_mark: dict[int, list] = {}
    for att_id, stored, before, after in rows:
        by_mark.setdefault(att_id, []).append((stored, before, after))
    for att_id, changes in by_mark.items():
        previous = None
        for _, before, after in changes:
            assert before == previous, f"attendance {att_id}: a change started from {before}, not {previous}"
            previous = after
        assert changes[-1][0] == previous
