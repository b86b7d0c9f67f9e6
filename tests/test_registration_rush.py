"""Many people press «Зарегистрироваться» at the same moment.

Each thread is one request: its own app context, hence its own database session and connection
(Flask-SQLAlchemy 3.1 scopes `db.session` by the id of the current app context), and one commit.
Whatever the interleaving: no overbooking, no duplicate, no lost waiting-list order.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from webapp.accounts.models import User
from webapp.mail.models import OutboxMessage
from webapp.mail.services import render_pending
from webapp.registration import services
from webapp.registration.models import Registration, RegistrationChange, RegStatus
from webapp.sessions.models import EventSession


@pytest.fixture
def postgres(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("real row-lock concurrency needs PostgreSQL (TEST_DATABASE_URL)")


def _rush(app, db, session_id: int, user_ids: list[int]) -> tuple[list[str], list[BaseException]]:
    """Start one thread per user id at the same moment; each registers that user and commits.

    Returns the refusals (RegistrationError messages) and anything else that went wrong.
    """
    barrier = threading.Barrier(len(user_ids))
    refusals: list[str] = []
    errors: list[BaseException] = []
    sessions: list[int] = []
    guard = threading.Lock()

    def one_request(user_id: int) -> None:
        try:
            with app.app_context():
                with guard:
                    sessions.append(id(db.session()))
                # every thread loads its user after the barrier: none holds a pooled connection
                # while waiting for the others
                barrier.wait(timeout=60)
                user = db.session.get(User, user_id)
                try:
                    services.register(session_id, user, user)
                    db.session.commit()
                except services.RegistrationError as error:
                    db.session.rollback()
                    with guard:
                        refusals.append(error.message)
        except BaseException as error:  # noqa: BLE001 (reported by the test, never swallowed)
            with guard:
                errors.append(error)

    threads = [threading.Thread(target=one_request, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a registration hung"
    # each request had a session of its own, not the test's and not another thread's
    assert len(set(sessions)) == len(user_ids) and id(db.session()) not in sessions
    db.session.expire_all()
    return refusals, errors


def _people(make, db, n: int) -> list[int]:
    org = make.organization()
    return [make.user(organization=org, last_name=f"Участник{i}").id for i in range(n)]


def _assert_fair(db, session_id: int, people: int, capacity: int) -> None:
    """Seats to the first `capacity` through the lock, the rest queued 1..n in the order they came."""
    session = db.session.get(EventSession, session_id)
    regs = list(db.session.scalars(
        sa.select(Registration).where(Registration.session_id == session_id).order_by(Registration.id)))
    waiting = people - capacity

    assert len(regs) == people
    assert len({r.user_id for r in regs}) == people
    assert Counter(r.status for r in regs) == {RegStatus.CONFIRMED: capacity, RegStatus.WAITLISTED: waiting}
    assert session.seats_taken == capacity
    assert session.queue_counter == waiting

    listed = [r for r in regs if r.status == RegStatus.WAITLISTED]
    assert sorted(r.queue_ticket for r in listed) == list(range(1, waiting + 1))
    positions = services.waitlist_positions(regs)
    assert sorted(positions.values()) == list(range(1, waiting + 1))
    assert all(positions[r.id] == r.queue_ticket for r in listed)
    # rows are numbered inside the lock: the seats went to the first ones through it, and the
    # waiting list is in the same order
    confirmed_ids = [r.id for r in regs if r.status == RegStatus.CONFIRMED]
    assert max(confirmed_ids) < min(r.id for r in listed)
    assert [r.id for r in sorted(listed, key=lambda r: r.queue_ticket)] == [r.id for r in listed]

    changes = list(db.session.scalars(sa.select(RegistrationChange).join(Registration).where(
        Registration.session_id == session_id)))
    assert len(changes) == people
    assert Counter(c.registration_id for c in changes) == {r.id: 1 for r in regs}
    assert all(c.from_status is None and c.actor_id is not None for c in changes)

    # one e-mail each, and each waiting person is told the place she really holds
    render_pending()  # as the sender will
    mails = {m.recipient: m for m in db.session.scalars(sa.select(OutboxMessage))}
    emails = dict(db.session.execute(sa.select(User.id, User.email).where(
        User.id.in_([r.user_id for r in regs]))).all())
    assert len(mails) == people
    for reg in regs:
        mail = mails[emails[reg.user_id]]
        if reg.status == RegStatus.CONFIRMED:
            assert mail.subject.startswith("Вы зарегистрированы")
        else:
            assert mail.subject.startswith("Вы в листе ожидания")
            assert f"вы {reg.queue_ticket}-й в листе ожидания" in mail.body


@pytest.mark.postgres
@pytest.mark.parametrize("round_no", [1, 2, 3])
def test_forty_people_five_seats(app, db, make, postgres, round_no):
    session_id = make.session(capacity=5).id
    people = _people(make, db, 40)
    db.session.commit()

    refusals, errors = _rush(app, db, session_id, people)

    assert errors == []
    assert refusals == []
    _assert_fair(db, session_id, people=40, capacity=5)


@pytest.mark.postgres
def test_everyone_clicks_twice(app, db, make, postgres):
    session_id = make.session(capacity=5).id
    people = _people(make, db, 40)
    db.session.commit()

    refusals, errors = _rush(app, db, session_id, people + people)

    assert errors == []
    assert len(refusals) == 40
    assert set(refusals) <= {"Вы уже зарегистрированы.", "Вы уже в листе ожидания."}
    _assert_fair(db, session_id, people=40, capacity=5)


def test_a_few_at_once_on_any_database(app, db, make):
    """The same rules with a handful of threads; on SQLite the write lock is taken up front
    (one writer at a time, the others wait for it within the driver's busy timeout)."""
    session_id = make.session(capacity=3).id
    people = _people(make, db, 8)
    db.session.commit()

    refusals, errors = _rush(app, db, session_id, people + people[:2])

    assert errors == []
    assert sorted(refusals) in (["Вы уже зарегистрированы."] * 2,
                                ["Вы уже в листе ожидания."] * 2,
                                ["Вы уже в листе ожидания.", "Вы уже зарегистрированы."])
    _assert_fair(db, session_id, people=8, capacity=3)
