"""Registration rules, called as a request would: seats, the waiting list, approvals, quotas,
who may take part, cancellation, history, e-mails and reminders.

Each step commits, as one request would; `_refused` checks that a refusal leaves the database
as it was (no row, no history, no e-mail).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.accounts.models import Role
from webapp.dbtypes import utcnow
from webapp.mail.models import OutboxMessage
from webapp.mail.services import render_pending
from webapp.registration import services
from webapp.registration.models import Registration, RegistrationChange, RegStatus
from webapp.sessions.models import ApprovalMode, EventSession
from webapp.sessions.services import SessionError, cancel_session, form_data_for, restore_session, save_session
from webapp.taxonomy.models import Audience

MY_URL = "http://localhost/my/registrations"


# -- helpers ---------------------------------------------------------------------------------

@pytest.fixture
def w(make, db):
    """A municipality with two schools (each with its coordinator), a site, its leader, a methodist."""
    m = make.municipality(name="Кореновский район")
    school_a = make.organization(municipality=m)
    school_b = make.organization(municipality=m)
    site = make.site(organization=make.organization(municipality=m))
    w = SimpleNamespace(
        m=m, school_a=school_a, school_b=school_b, site=site,
        methodist=make.user(Role.METHODIST, scope=m, last_name="Методистова"),
        leader=make.user(Role.SITE_LEADER, scope=site, last_name="Ведущая"),
        coord_a=make.user(Role.COORDINATOR, scope=school_a, organization=school_a, last_name="Завучева"),
        coord_b=make.user(Role.COORDINATOR, scope=school_b, organization=school_b, last_name="Завучкина"),
    )

    def teachers(n, org=school_a, **kw):
        return [make.user(organization=org, last_name=f"Учитель{make._next()}", **kw) for _ in range(n)]

    def session(**kw):
        return make.session(site=site, **kw)

    w.teachers, w.session = teachers, session
    return w


def _register(db, s, user, actor=None, **kw) -> Registration:
    reg = services.register(s.id, user, actor or user, **kw)
    db.session.commit()
    return reg


def _snapshot(db) -> tuple:
    def count(model):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))

    seats = tuple(db.session.execute(
        sa.select(EventSession.id, EventSession.seats_taken, EventSession.queue_counter).order_by(EventSession.id)))
    regs = tuple(db.session.execute(
        sa.select(Registration.id, Registration.status, Registration.queue_ticket).order_by(Registration.id)))
    return count(Registration), count(RegistrationChange), count(OutboxMessage), seats, regs


def _refused(db, call, *args, **kw) -> services.RegistrationError:
    """Run a service that must refuse; the database is left exactly as it was.

    The people passed in are reloaded after the commit, as a request loads its current user
    (test_nominating_with_an_actor_loaded_before_a_commit covers expired ones).
    """
    db.session.commit()
    for value in (*args, *kw.values()):
        if hasattr(value, "_sa_instance_state"):
            db.session.refresh(value)
    before = _snapshot(db)
    with pytest.raises(services.RegistrationError) as caught:
        call(*args, **kw)
    db.session.rollback()
    assert _snapshot(db) == before
    assert caught.value.message and caught.value.message == str(caught.value)
    return caught.value


def _fresh(db, reg: Registration) -> Registration:
    db.session.expire_all()
    return db.session.get(Registration, reg.id)


def _status_counts(db, s) -> dict[RegStatus, int]:
    return dict(db.session.execute(sa.select(Registration.status, sa.func.count()).where(
        Registration.session_id == s.id).group_by(Registration.status)).all())


def _positions(db, s) -> dict[int, int]:
    """user id → waiting-list position."""
    regs = list(db.session.scalars(sa.select(Registration).where(Registration.session_id == s.id)))
    by_reg = services.waitlist_positions(regs)
    return {r.user_id: by_reg[r.id] for r in regs if r.id in by_reg}


def _mails(db, user=None, subject: str | None = None) -> list[OutboxMessage]:
    """Queued messages, rendered as the sender would."""
    render_pending()
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if user is not None:
        stmt = stmt.where(OutboxMessage.recipient == user.email)
    if subject is not None:
        stmt = stmt.where(OutboxMessage.subject.startswith(subject))
    return list(db.session.scalars(stmt))


def _history(db, reg) -> list[tuple]:
    return [(c.from_status, c.to_status, c.actor_id, c.reason) for c in db.session.scalars(
        sa.select(RegistrationChange).where(RegistrationChange.registration_id == reg.id)
        .order_by(RegistrationChange.id))]


def _edit(s, actor, **changes) -> EventSession:
    """save_session with the session's current values (as the edit form would post them) and changes."""
    data = {**form_data_for(s), "title": s.title, "site_id": s.site_id, "capacity": s.capacity,
            "address": s.address, "org_quota": s.org_quota, "invitation_only": s.invitation_only,
            "audience_restricted": s.audience_restricted, "waitlist_enabled": s.waitlist_enabled, **changes}
    return save_session(s, data, actor)


def _assert_ics(message: OutboxMessage, session: EventSession) -> str:
    assert len(message.attachments) == 1
    ics = message.attachments[0]
    assert ics["filename"].endswith(".ics") and ics["content_type"].startswith("text/calendar")
    content = ics["content"]
    assert content.startswith("BEGIN:VCALENDAR")
    assert f"UID:session-{session.id}@" in content
    assert f"SEQUENCE:{session.revision}" in content
    assert f"DTSTART;TZID={session.timezone}:" in content
    assert "BEGIN:VTIMEZONE" in content and f"TZID:{session.timezone}" in content
    return content


def _assert_tells_how_to_cancel(message: OutboxMessage) -> None:
    assert MY_URL in message.body
    assert message.html_body.lstrip().startswith("<!doctype html>")
    assert MY_URL in message.html_body


# -- seats and the waiting list --------------------------------------------------------------

def test_seats_first_then_a_waiting_list_without_gaps(db, w):
    s = w.session(capacity=2)
    people = w.teachers(6)
    regs = [_register(db, s, p) for p in people]
    assert [r.status for r in regs] == [RegStatus.CONFIRMED] * 2 + [RegStatus.WAITLISTED] * 4
    assert db.session.get(EventSession, s.id).seats_taken == 2
    assert _positions(db, s) == {people[2].id: 1, people[3].id: 2, people[4].id: 3, people[5].id: 4}
    assert "вы 3-й в листе ожидания" in _mails(db, people[4])[0].body

    # someone in the middle of the list leaves, then the last one: nobody moves up into a gap
    services.cancel(regs[3].id, people[3])
    db.session.commit()
    assert _positions(db, s) == {people[2].id: 1, people[4].id: 2, people[5].id: 3}
    services.cancel(regs[5].id, people[5])
    db.session.commit()
    assert _positions(db, s) == {people[2].id: 1, people[4].id: 2}
    # whoever joins now queues behind them, and a waiting-list cancellation frees no seat
    late = w.teachers(1)[0]
    _register(db, s, late)
    assert _positions(db, s) == {people[2].id: 1, people[4].id: 2, late.id: 3}
    assert db.session.get(EventSession, s.id).seats_taken == 2
    assert _status_counts(db, s) == {RegStatus.CONFIRMED: 2, RegStatus.WAITLISTED: 3, RegStatus.CANCELLED: 2}


def test_a_participant_cancelling_gives_her_seat_to_the_first_in_line(db, w):
    s = w.session(capacity=1)
    first, second, third = w.teachers(3)
    mine = _register(db, s, first)
    r2, r3 = _register(db, s, second), _register(db, s, third)

    services.cancel(mine.id, first)
    db.session.commit()

    assert _fresh(db, r2).status == RegStatus.CONFIRMED and _fresh(db, r2).queue_ticket is None
    assert _fresh(db, r3).status == RegStatus.WAITLISTED
    assert _positions(db, s) == {third.id: 1}
    assert db.session.get(EventSession, s.id).seats_taken == 1
    assert _history(db, r2)[-1] == (RegStatus.WAITLISTED, RegStatus.CONFIRMED, first.id, "")
    (promoted,) = _mails(db, second, "Освободилось место")
    assert "оно ваше" in promoted.body and "вы зарегистрированы" in promoted.body
    _assert_ics(promoted, db.session.get(EventSession, s.id))
    _assert_tells_how_to_cancel(promoted)
    assert _mails(db, third, "Освободилось место") == []


def test_rejecting_a_pending_application_frees_its_seat(db, w):
    s = w.session(capacity=1, approval=ApprovalMode.STAFF)
    applicant, waiting = w.teachers(2)
    r1, r2 = _register(db, s, applicant), _register(db, s, waiting)
    assert (r1.status, r2.status) == (RegStatus.PENDING, RegStatus.WAITLISTED)

    error = _refused(db, services.reject, r1.id, w.leader, "  ")
    assert error.status == 422 and "причину" in error.message

    services.reject(r1.id, w.leader, "Семинар для руководителей, а вы учитель")
    db.session.commit()
    r1, r2 = _fresh(db, r1), _fresh(db, r2)
    assert r1.status == RegStatus.REJECTED and r1.reason == "Семинар для руководителей, а вы учитель"
    # the seat goes to the next in line, who still needs the organizer's approval
    assert r2.status == RegStatus.PENDING
    assert db.session.get(EventSession, s.id).seats_taken == 1
    (rejected,) = _mails(db, applicant, "Заявка отклонена")
    assert "Причина: Семинар для руководителей, а вы учитель" in rejected.body
    (promoted,) = _mails(db, waiting, "Освободилось место")
    assert "заявка ждёт подтверждения" in promoted.body


def test_raising_the_capacity_promotes_the_first_in_line(db, w):
    s = w.session(capacity=2)
    people = w.teachers(5)
    regs = [_register(db, s, p) for p in people]

    _edit(db.session.get(EventSession, s.id), w.methodist, capacity=4)
    db.session.commit()

    assert [_fresh(db, r).status for r in regs] == [RegStatus.CONFIRMED] * 4 + [RegStatus.WAITLISTED]
    assert _positions(db, s) == {people[4].id: 1}
    assert db.session.get(EventSession, s.id).seats_taken == 4
    assert [len(_mails(db, p, "Освободилось место")) for p in people] == [0, 0, 1, 1, 0]
    assert _history(db, regs[2])[-1] == (RegStatus.WAITLISTED, RegStatus.CONFIRMED, w.methodist.id, "")

    # no limit at all: everyone waiting gets a seat
    _edit(db.session.get(EventSession, s.id), w.methodist, capacity=None)
    db.session.commit()
    assert _status_counts(db, s) == {RegStatus.CONFIRMED: 5}


def test_lowering_the_capacity_below_the_taken_seats_is_refused(db, w):
    s = w.session(capacity=5)
    for p in w.teachers(3):
        _register(db, s, p)
    before = _snapshot(db)
    with pytest.raises(SessionError) as caught:
        _edit(db.session.get(EventSession, s.id), w.methodist, capacity=2)
    db.session.rollback()
    assert caught.value.field == "capacity"
    assert caught.value.message == "Нельзя меньше уже занятых мест (3)."
    assert _snapshot(db) == before
    assert db.session.get(EventSession, s.id).capacity == 5
    # down to exactly the taken seats is fine
    _edit(db.session.get(EventSession, s.id), w.methodist, capacity=3)
    db.session.commit()
    assert db.session.get(EventSession, s.id).capacity == 3


def test_full_session_without_a_waiting_list_refuses(db, w):
    s = w.session(capacity=1, waitlist_enabled=False)
    first, second = w.teachers(2)
    _register(db, s, first)
    error = _refused(db, services.register, s.id, second, second)
    assert error.message == "Свободных мест нет, лист ожидания не ведётся."


def test_pending_applications_hold_seats(db, w):
    s = w.session(capacity=2, approval=ApprovalMode.STAFF)
    a, b, c = w.teachers(3)
    assert _register(db, s, a).status == RegStatus.PENDING
    assert _register(db, s, b).status == RegStatus.PENDING
    assert _register(db, s, c).status == RegStatus.WAITLISTED
    assert db.session.get(EventSession, s.id).seats_taken == 2
    # approving does not take a second seat
    for reg in db.session.scalars(sa.select(Registration).where(Registration.status == RegStatus.PENDING)).all():
        services.approve(reg.id, w.leader)
    db.session.commit()
    assert db.session.get(EventSession, s.id).seats_taken == 2
    assert _status_counts(db, s) == {RegStatus.CONFIRMED: 2, RegStatus.WAITLISTED: 1}


# -- school quotas ---------------------------------------------------------------------------

def test_the_quota_sends_the_next_one_from_a_school_to_the_waiting_list(db, w):
    s = w.session(capacity=10, org_quota=2)
    a1, a2, a3 = w.teachers(3, w.school_a)
    (b1,) = w.teachers(1, w.school_b)
    assert _register(db, s, a1).status == RegStatus.CONFIRMED
    assert _register(db, s, a2).status == RegStatus.CONFIRMED
    third = _register(db, s, a3)
    assert third.status == RegStatus.WAITLISTED
    assert third.reason == "Квота школы исчерпана: не более 2 мест от одной организации."
    assert _register(db, s, b1).status == RegStatus.CONFIRMED
    (waitlisted,) = _mails(db, a3, "Вы в листе ожидания")
    assert "Квота школы исчерпана" in waitlisted.body and "1-й в листе ожидания" in waitlisted.body
    assert _history(db, third) == [(None, RegStatus.WAITLISTED, a3.id, third.reason)]


def test_quota_without_a_waiting_list_explains_the_quota(db, w):
    s = w.session(capacity=10, org_quota=1, waitlist_enabled=False)
    a1, a2 = w.teachers(2, w.school_a)
    _register(db, s, a1)
    error = _refused(db, services.register, s.id, a2, a2)
    assert error.message.startswith("Квота школы исчерпана")


def test_promotion_skips_people_whose_school_is_at_its_quota(db, w):
    s = w.session(capacity=2, org_quota=1)
    a1, a2 = w.teachers(2, w.school_a)
    (b1,) = w.teachers(1, w.school_b)
    other = w.teachers(1, org=None)[0]  # nobody's quota applies to a person without a school

    ra1 = _register(db, s, a1)
    ra2 = _register(db, s, a2)       # quota: waits, ticket 1
    rb1 = _register(db, s, b1)       # the second seat
    rother = _register(db, s, other)  # full: waits, ticket 2
    assert (ra1.status, ra2.status, rb1.status, rother.status) == (
        RegStatus.CONFIRMED, RegStatus.WAITLISTED, RegStatus.CONFIRMED, RegStatus.WAITLISTED)

    services.cancel(rb1.id, b1)
    db.session.commit()
    # a2 is first in line but her school still holds its one seat: the next one gets it
    assert _fresh(db, ra2).status == RegStatus.WAITLISTED
    assert _fresh(db, ra2).reason.startswith("Квота школы исчерпана")
    assert _fresh(db, rother).status == RegStatus.CONFIRMED
    assert _positions(db, s) == {a2.id: 1}

    # once a1 leaves, a2's school is under its quota again and she moves up
    services.cancel(ra1.id, a1)
    db.session.commit()
    assert _fresh(db, ra2).status == RegStatus.CONFIRMED
    assert db.session.get(EventSession, s.id).seats_taken == 2


def test_raising_the_quota_promotes_those_who_waited_for_it(db, w):
    s = w.session(capacity=5, org_quota=1)
    a1, a2, a3 = w.teachers(3, w.school_a)
    regs = [_register(db, s, p) for p in (a1, a2, a3)]
    assert [r.status for r in regs] == [RegStatus.CONFIRMED, RegStatus.WAITLISTED, RegStatus.WAITLISTED]
    _edit(db.session.get(EventSession, s.id), w.methodist, org_quota=2)
    db.session.commit()
    assert [_fresh(db, r).status for r in regs] == [RegStatus.CONFIRMED, RegStatus.CONFIRMED,
                                                     RegStatus.WAITLISTED]
    assert _positions(db, s) == {a3.id: 1}
    assert len(_mails(db, a2, "Освободилось место")) == 1


# -- approvals -------------------------------------------------------------------------------

def test_coordinator_approval(db, w):
    s = w.session(capacity=5, approval=ApprovalMode.COORDINATOR)
    (teacher,) = w.teachers(1, w.school_a)
    reg = _register(db, s, teacher)
    assert reg.status == RegStatus.PENDING
    (received,) = _mails(db, teacher, "Заявка принята")
    assert "ждёт подтверждения координатора вашей школы" in received.body
    assert received.attachments == []
    _assert_tells_how_to_cancel(received)

    error = _refused(db, services.approve, reg.id, w.coord_b)
    assert error.status == 403 and error.message == "Нет прав подтвердить эту заявку."
    (colleague,) = w.teachers(1, w.school_a)
    assert _refused(db, services.approve, reg.id, colleague).status == 403

    services.approve(reg.id, w.coord_a)
    db.session.commit()
    reg = _fresh(db, reg)
    assert reg.status == RegStatus.CONFIRMED and reg.coordinator_approved_by_id == w.coord_a.id
    assert _history(db, reg) == [(None, RegStatus.PENDING, teacher.id, ""),
                                 (RegStatus.PENDING, RegStatus.CONFIRMED, w.coord_a.id, "")]
    (approved,) = _mails(db, teacher, "Заявка подтверждена")
    _assert_ics(approved, db.session.get(EventSession, s.id))
    _assert_tells_how_to_cancel(approved)
    # approving twice is refused with a message, not a second e-mail
    assert "не ждёт подтверждения" in _refused(db, services.approve, reg.id, w.coord_a).message


def test_staff_approval(db, w):
    s = w.session(capacity=5, approval=ApprovalMode.STAFF)
    (teacher,) = w.teachers(1, w.school_a)
    reg = _register(db, s, teacher)
    assert "ждёт подтверждения организатора" in _mails(db, teacher, "Заявка принята")[0].body
    # her coordinator is not the organizer
    _refused(db, services.approve, reg.id, w.coord_a)
    assert _fresh(db, reg).status == RegStatus.PENDING

    services.approve(reg.id, w.leader)
    db.session.commit()
    reg = _fresh(db, reg)
    assert reg.status == RegStatus.CONFIRMED and reg.staff_approved_by_id == w.leader.id
    assert len(_mails(db, teacher, "Заявка подтверждена")) == 1


def test_staff_only_approval_refuses_the_coordinator_without_claiming_she_approved(db, w):
    """In «staff» mode the coordinator never approved anything: the refusal must not say she did."""
    s = w.session(capacity=5, approval=ApprovalMode.STAFF)
    (teacher,) = w.teachers(1, w.school_a)
    reg = _register(db, s, teacher)
    error = _refused(db, services.approve, reg.id, w.coord_a)
    assert error.status == 403 and "Вы уже подтвердили" not in error.message


def test_staff_of_another_site_or_municipality_cannot_approve(db, w, make):
    s = w.session(capacity=5, approval=ApprovalMode.STAFF)
    (teacher,) = w.teachers(1, w.school_a)
    reg = _register(db, s, teacher)
    other_leader = make.user(Role.SITE_LEADER, scope=make.site())
    other_methodist = make.user(Role.METHODIST, scope=make.municipality())
    assert _refused(db, services.approve, reg.id, other_leader).status == 403
    assert _refused(db, services.approve, reg.id, other_methodist).status == 403
    assert _refused(db, services.reject, reg.id, other_leader, "Нет").status == 403


def test_both_approvals_coordinator_first(db, w):
    s = w.session(capacity=5, approval=ApprovalMode.BOTH)
    (teacher,) = w.teachers(1, w.school_a)
    reg = _register(db, s, teacher)
    assert _refused(db, services.approve, reg.id, w.coord_b).status == 403

    services.approve(reg.id, w.coord_a)
    db.session.commit()
    reg = _fresh(db, reg)
    assert reg.status == RegStatus.PENDING and reg.coordinator_approved_dt is not None
    assert reg.staff_approved_dt is None
    assert _mails(db, teacher, "Заявка подтверждена") == []
    # the coordinator cannot give the organizer's step too
    error = _refused(db, services.approve, reg.id, w.coord_a)
    assert "площадка или методист" in error.message

    services.approve(reg.id, w.methodist)
    db.session.commit()
    reg = _fresh(db, reg)
    assert reg.status == RegStatus.CONFIRMED and reg.staff_approved_by_id == w.methodist.id
    assert len(_mails(db, teacher, "Заявка подтверждена")) == 1


def test_both_approvals_staff_first_still_waits_for_the_coordinator(db, w):
    s = w.session(capacity=5, approval=ApprovalMode.BOTH)
    (teacher,) = w.teachers(1, w.school_a)
    reg = _register(db, s, teacher)
    services.approve(reg.id, w.leader)
    db.session.commit()
    reg = _fresh(db, reg)
    # her school has a coordinator: the organizer gives only his own step
    assert reg.status == RegStatus.PENDING and reg.staff_approved_dt is not None
    assert reg.coordinator_approved_dt is None
    services.approve(reg.id, w.coord_a)
    db.session.commit()
    assert _fresh(db, reg).status == RegStatus.CONFIRMED


@pytest.mark.parametrize("mode", [ApprovalMode.COORDINATOR, ApprovalMode.BOTH])
def test_staff_give_the_coordinator_step_when_the_school_has_no_coordinator(db, w, make, mode):
    s = w.session(capacity=5, approval=mode)
    school_c = make.organization(municipality=w.m)
    (teacher,) = w.teachers(1, school_c)
    reg = _register(db, s, teacher)
    assert _refused(db, services.approve, reg.id, w.coord_a).status == 403
    services.approve(reg.id, w.leader)
    db.session.commit()
    reg = _fresh(db, reg)
    assert reg.status == RegStatus.CONFIRMED
    assert reg.coordinator_approved_by_id == w.leader.id
    assert _history(db, reg)[-1] == (RegStatus.PENDING, RegStatus.CONFIRMED, w.leader.id, "")


def test_a_nominated_colleague_needs_no_coordinator_approval(db, w):
    s = w.session(capacity=5, approval=ApprovalMode.COORDINATOR)
    (teacher,) = w.teachers(1, w.school_a)
    reg = _register(db, s, teacher, w.coord_a, nominated=True)
    assert reg.status == RegStatus.CONFIRMED and reg.nominated_by_id == w.coord_a.id
    (mail,) = _mails(db, teacher, "Вы зарегистрированы")
    assert "Координатор вашей школы выдвинул(а) вас" in mail.body


def test_a_coordinator_nominating_herself_vouches_for_nothing(db, w):
    invited = w.session(capacity=5, invitation_only=True)
    error = _refused(db, services.register, invited.id, w.coord_a, w.coord_a, nominated=True)
    assert error.status == 403 and "по приглашению" in error.message
    approved = w.session(capacity=5, approval=ApprovalMode.COORDINATOR)
    reg = _register(db, approved, w.coord_a, w.coord_a, nominated=True)
    assert reg.status == RegStatus.PENDING and reg.coordinator_approved_dt is None and reg.nominated_by_id is None


# -- who may take part -----------------------------------------------------------------------

def test_invitation_only(db, w):
    s = w.session(capacity=5, invitation_only=True)
    me, colleague = w.teachers(2, w.school_a)
    reg = _register(db, s, colleague, w.coord_a, nominated=True)
    assert reg.status == RegStatus.CONFIRMED and reg.nominated_by_id == w.coord_a.id

    error = _refused(db, services.register, s.id, me, me)
    assert error.status == 403 and "по приглашению" in error.message
    # staff may add anyone
    leader = db.session.get(type(w.leader), w.leader.id)
    (added,) = w.teachers(1, w.school_b)
    assert services.register(s.id, added, leader, by_staff=True).status == RegStatus.CONFIRMED
    db.session.commit()
    assert "Организатор записал(а) вас" in _mails(db, added)[0].body


def test_nominating_with_an_actor_loaded_before_a_commit(db, w):
    """A service caller that committed earlier passes objects whose attributes are expired;
    loading them must not flush the new registration before its state is set."""
    s = w.session(capacity=5)
    (colleague,) = w.teachers(1, w.school_a)
    db.session.commit()  # expires w.coord_a, as after any earlier step of the same job
    reg = _register(db, s, colleague, w.coord_a, nominated=True)
    assert reg.status == RegStatus.CONFIRMED and reg.nominated_by_id == w.coord_a.id


def test_audience_restricted(db, w):
    young = Audience(name="Молодые педагоги", position=1)
    heads = Audience(name="Руководители ОО", position=2)
    db.session.add_all([young, heads])
    db.session.flush()
    s = w.session(capacity=5, audience_restricted=True, audiences=[young])
    experienced, novice = w.teachers(2)
    experienced.audiences = [heads]
    novice.audiences = [young]
    error = _refused(db, services.register, s.id, experienced, experienced)
    assert error.status == 403
    assert error.message.startswith("Только для: Молодые педагоги.")
    assert _register(db, s, novice).status == RegStatus.CONFIRMED


def test_allowed_municipalities(db, w, make):
    elsewhere = make.municipality(name="Выселковский район")
    s = w.session(capacity=5, allowed_municipalities=[elsewhere])
    (local,) = w.teachers(1, w.school_a)
    (stranger,) = w.teachers(1, make.organization(municipality=elsewhere))
    (no_school,) = w.teachers(1, org=None)
    error = _refused(db, services.register, s.id, local, local)
    assert error.status == 403 and error.message == "Только для педагогов территорий: Выселковский район."
    assert _refused(db, services.register, s.id, no_school, no_school).status == 403
    # a nomination does not lift the territory limit
    assert _refused(db, services.register, s.id, local, w.coord_a, nominated=True).status == 403
    assert _register(db, s, stranger).status == RegStatus.CONFIRMED


@pytest.mark.parametrize("actor_name, kw", [
    ("stranger", {}),
    ("stranger", {"nominated": True}),
    ("coord_b", {"nominated": True}),
    ("stranger", {"by_staff": True}),
])
def test_registering_someone_else_needs_the_right(db, w, actor_name, kw):
    """A colleague, or a coordinator of another school, may not put her name down."""
    s = w.session(capacity=5)
    (teacher,) = w.teachers(1, w.school_a)
    (stranger,) = w.teachers(1, w.school_b)
    actor = {"stranger": stranger, "coord_b": w.coord_b}[actor_name]
    error = _refused(db, services.register, s.id, teacher, actor, **kw)
    assert error.status == 403


# -- the registration window -----------------------------------------------------------------

def test_registration_not_yet_open(db, w):
    start = datetime(2031, 3, 5, 7, 0, tzinfo=timezone.utc)
    s = w.session(start=start, registration_opens_dt=datetime(2031, 3, 1, 6, 0, tzinfo=timezone.utc))
    (teacher,) = w.teachers(1)
    error = _refused(db, services.register, s.id, teacher, teacher)
    assert error.message == "Регистрация откроется 1 марта 2031 в 09:00."


def test_registration_closed_started_past_cancelled(db, w):
    now = utcnow().replace(microsecond=0)
    closed = w.session(registration_closes_dt=now - timedelta(hours=1))
    started = w.session(start=now - timedelta(hours=1), hours=3)
    past = w.session(start=now - timedelta(days=2))
    cancelled = w.session()
    cancel_session(cancelled, "Болезнь ведущего", w.methodist)
    (teacher,) = w.teachers(1)
    assert _refused(db, services.register, closed.id, teacher, teacher).message.startswith("Регистрация закрылась ")
    assert _refused(db, services.register, started.id, teacher, teacher).message == (
        "Мероприятие уже началось, регистрация закрыта.")
    assert _refused(db, services.register, past.id, teacher, teacher).message == "Мероприятие уже прошло."
    assert _refused(db, services.register, cancelled.id, teacher, teacher).message == "Мероприятие отменено."
    # staff cannot add people to a cancelled or past session either
    assert _refused(db, services.register, cancelled.id, teacher, w.leader, by_staff=True).message == (
        "Мероприятие отменено.")
    assert _refused(db, services.register, past.id, teacher, w.leader, by_staff=True).message == (
        "Мероприятие уже прошло.")
    assert _refused(db, services.register, 10_000, teacher, teacher).status == 404


# -- twice, again, after a rejection ---------------------------------------------------------

def test_registering_twice_is_refused_and_leaves_one_row(db, w):
    s = w.session(capacity=1)
    me, other = w.teachers(2)
    _register(db, s, me)
    assert _refused(db, services.register, s.id, me, me).message == "Вы уже зарегистрированы."
    _register(db, s, other)
    assert _refused(db, services.register, s.id, other, other).message == "Вы уже в листе ожидания."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.user_id == me.id)) == 1


def test_register_again_after_cancelling(db, w):
    s = w.session(capacity=5)
    (me,) = w.teachers(1)
    first = _register(db, s, me)
    services.cancel(first.id, me)
    db.session.commit()
    assert db.session.get(EventSession, s.id).seats_taken == 0
    again = _register(db, s, me)
    assert again.id == first.id and again.status == RegStatus.CONFIRMED
    assert db.session.get(EventSession, s.id).seats_taken == 1
    assert [(f, t) for f, t, _, _ in _history(db, again)] == [
        (None, RegStatus.CONFIRMED), (RegStatus.CONFIRMED, RegStatus.CANCELLED),
        (RegStatus.CANCELLED, RegStatus.CONFIRMED)]
    assert len(_mails(db, me, "Вы зарегистрированы")) == 2


def test_rejected_cannot_register_again_herself_but_her_coordinator_can(db, w):
    s = w.session(capacity=5, approval=ApprovalMode.STAFF)
    (me,) = w.teachers(1, w.school_a)
    reg = _register(db, s, me)
    services.reject(reg.id, w.methodist, "Нет мест для учителей")
    db.session.commit()
    error = _refused(db, services.register, s.id, me, me)
    assert error.status == 403 and "отклонена" in error.message
    again = _register(db, s, me, w.coord_a, nominated=True)
    assert again.id == reg.id and again.status == RegStatus.PENDING  # the organizer still decides


# -- cancellation ----------------------------------------------------------------------------

def test_participant_cancels_until_the_deadline_then_only_staff(db, w):
    now = utcnow().replace(microsecond=0)
    s = w.session(capacity=5, cancel_deadline_dt=now - timedelta(hours=1))
    me, colleague = w.teachers(2, w.school_a)
    reg = _register(db, s, me)

    error = _refused(db, services.cancel, reg.id, me)
    assert error.status == 403 and error.message.startswith("Отменить самостоятельно можно было до ")
    assert "Обратитесь к организатору" in error.message
    assert _refused(db, services.cancel, reg.id, colleague, "Не придёт").status == 403
    # staff must say why: the participant reads it
    assert _refused(db, services.cancel, reg.id, w.leader).status == 422

    services.cancel(reg.id, w.leader, "Перенесено на другую группу")
    db.session.commit()
    reg = _fresh(db, reg)
    assert reg.status == RegStatus.CANCELLED and reg.reason == "Перенесено на другую группу"
    assert db.session.get(EventSession, s.id).seats_taken == 0
    (mail,) = _mails(db, me, "Регистрация отменена")
    assert "отменена организатором" in mail.body and "Причина: Перенесено на другую группу" in mail.body
    assert MY_URL in mail.body and mail.html_body
    assert _refused(db, services.cancel, reg.id, w.leader, "ещё раз").message == (
        "Регистрация уже отменена или отклонена.")


def test_default_deadline_is_the_start(db, w):
    s = w.session(capacity=5)
    (me,) = w.teachers(1)
    reg = _register(db, s, me)
    reg = _fresh(db, reg)
    assert services.can_cancel(reg, me, now=s.start_dt - timedelta(minutes=1))
    assert not services.can_cancel(reg, me, now=s.start_dt)
    assert services.can_cancel(reg, w.leader, now=s.start_dt + timedelta(hours=1))


def test_her_coordinator_may_cancel_with_a_reason(db, w):
    s = w.session(capacity=5)
    (me,) = w.teachers(1, w.school_a)
    reg = _register(db, s, me)
    assert _refused(db, services.cancel, reg.id, w.coord_b, "Нет").status == 403
    services.cancel(reg.id, w.coord_a, "Замена в расписании")
    db.session.commit()
    assert _history(db, reg)[-1] == (RegStatus.CONFIRMED, RegStatus.CANCELLED, w.coord_a.id, "Замена в расписании")


def test_a_nominee_may_decline(db, w):
    s = w.session(capacity=5)
    (colleague,) = w.teachers(1, w.school_a)
    reg = _register(db, s, colleague, w.coord_a, nominated=True)
    (told,) = _mails(db, colleague)
    assert "выдвинул(а)" in told.body and "отмените регистрацию" in told.body
    services.cancel(reg.id, colleague)
    db.session.commit()
    reg = _fresh(db, reg)
    assert reg.status == RegStatus.CANCELLED and reg.reason == "Отказ от выдвижения"
    assert _history(db, reg)[-1] == (RegStatus.CONFIRMED, RegStatus.CANCELLED, colleague.id, "Отказ от выдвижения")
    assert "Вы отменили регистрацию" in _mails(db, colleague, "Регистрация отменена")[0].body


# -- history ---------------------------------------------------------------------------------

def test_every_change_is_in_the_history(db, w):
    s = w.session(capacity=1, approval=ApprovalMode.STAFF)
    first, second = w.teachers(2)
    r1 = _register(db, s, first)
    r2 = _register(db, s, second)
    services.approve(r1.id, w.leader)
    db.session.commit()
    services.cancel(r1.id, w.leader, "Заболела")
    db.session.commit()
    services.approve(r2.id, w.methodist)
    db.session.commit()
    assert _history(db, r1) == [
        (None, RegStatus.PENDING, first.id, ""),
        (RegStatus.PENDING, RegStatus.CONFIRMED, w.leader.id, ""),
        (RegStatus.CONFIRMED, RegStatus.CANCELLED, w.leader.id, "Заболела"),
    ]
    assert _history(db, r2) == [
        (None, RegStatus.WAITLISTED, second.id, ""),
        (RegStatus.WAITLISTED, RegStatus.PENDING, w.leader.id, ""),
        (RegStatus.PENDING, RegStatus.CONFIRMED, w.methodist.id, ""),
    ]
    changes = db.session.scalars(sa.select(RegistrationChange)).all()
    assert all(c.created_dt is not None and c.created_dt.tzinfo is not None for c in changes)


# -- e-mails ---------------------------------------------------------------------------------

def test_each_change_sends_one_russian_message_that_says_how_to_cancel(db, w):
    s = w.session(capacity=1, title="Семинар «Наставничество»")
    first, second = w.teachers(2)
    r1 = _register(db, s, first)
    _register(db, s, second)
    services.cancel(r1.id, first)
    db.session.commit()

    expected = [(first, "Вы зарегистрированы"), (second, "Вы в листе ожидания"),
                (first, "Регистрация отменена"), (second, "Освободилось место")]
    messages = _mails(db)
    assert [(m.recipient, m.subject) for m in messages] == [
        (u.email, f"{subject}: Семинар «Наставничество»") for u, subject in expected]
    session = db.session.get(EventSession, s.id)
    for message in messages:
        assert message.body.startswith("Здравствуйте, Анна Сергеевна!")
        assert "Семинар «Наставничество»" in message.body and "Семинар «Наставничество»" in message.html_body
        assert f"http://localhost/sessions/{s.id}" in message.body
        _assert_tells_how_to_cancel(message)
    for message in messages[:2] + messages[3:]:
        assert "отмените регистрацию" in message.body and "отмените регистрацию" in message.html_body
    with_ics = [m.subject.split(":")[0] for m in messages if m.attachments]
    assert with_ics == ["Вы зарегистрированы", "Освободилось место"]
    for message in messages:
        if message.attachments:
            _assert_ics(message, session)


def test_telling_a_waiting_list_about_a_cancelled_session_costs_the_same_for_2_or_8(db, w):
    from conftest import count_queries

    def statements(waiting: int) -> int:
        s = w.session(capacity=1)
        for teacher in w.teachers(1 + waiting):
            _register(db, s, teacher)
        session = db.session.get(EventSession, s.id)
        with count_queries(db.engine) as seen:
            cancel_session(session, "Отмена", w.methodist)
            db.session.flush()
        db.session.commit()
        return len([q for q in seen if q.lstrip().upper().startswith("SELECT")])

    assert statements(2) == statements(8)


def test_cancelling_the_session_tells_every_active_registrant(db, w):
    s = w.session(capacity=2, approval=ApprovalMode.STAFF)
    pending, confirmed, waiting, gone = w.teachers(4)
    r_pending = _register(db, s, pending)
    r_confirmed = _register(db, s, confirmed)
    services.approve(r_confirmed.id, w.leader)
    _register(db, s, waiting)
    r_gone = _register(db, s, gone)
    services.cancel(r_gone.id, gone)
    db.session.commit()
    before = {m.id for m in _mails(db)}

    cancel_session(db.session.get(EventSession, s.id), "Карантин в школе", w.methodist)
    db.session.commit()

    new = [m for m in _mails(db) if m.id not in before]
    assert sorted(m.recipient for m in new) == sorted(u.email for u in (pending, confirmed, waiting))
    session = db.session.get(EventSession, s.id)
    for message in new:
        assert message.subject.startswith("Мероприятие отменено: ")
        assert "Причина: Карантин в школе" in message.body
        content = _assert_ics(message, session)
        assert "STATUS:CANCELLED" in content and "SEQUENCE:2" in content
    # registrations stay as they were, so that restoring the session brings everyone back
    assert _fresh(db, r_pending).status == RegStatus.PENDING
    before = {m.id for m in _mails(db)}
    restore_session(db.session.get(EventSession, s.id), w.methodist)
    db.session.commit()
    restored = [m for m in _mails(db) if m.id not in before]
    assert sorted(m.recipient for m in restored) == sorted(u.email for u in (pending, confirmed, waiting))
    assert all(m.subject.startswith("Мероприятие снова в плане: ") for m in restored)
    assert all("SEQUENCE:3" in m.attachments[0]["content"] for m in restored)


def test_moving_the_session_tells_every_active_registrant(db, w):
    s = w.session(capacity=1)
    confirmed, waiting, gone = w.teachers(3)
    _register(db, s, confirmed)
    _register(db, s, waiting)
    r_gone = _register(db, s, gone)
    services.cancel(r_gone.id, gone)
    db.session.commit()
    before = {m.id for m in _mails(db)}

    session = db.session.get(EventSession, s.id)
    data = form_data_for(session)
    _edit(session, w.methodist, start=data["start"] + timedelta(days=1), end=data["end"] + timedelta(days=1))
    db.session.commit()

    new = [m for m in _mails(db) if m.id not in before]
    assert sorted(m.recipient for m in new) == sorted([confirmed.email, waiting.email])
    session = db.session.get(EventSession, s.id)
    assert session.revision == 2
    for message in new:
        assert message.subject.startswith("Изменились время или место: ")
        content = _assert_ics(message, session)
        assert "SEQUENCE:2" in content
        _assert_tells_how_to_cancel(message)

    # a change that is not a move (the title) e-mails nobody
    before = {m.id for m in _mails(db)}
    _edit(db.session.get(EventSession, s.id), w.methodist, title="Семинар с новым названием")
    db.session.commit()
    assert [m for m in _mails(db) if m.id not in before] == []


# -- reminders -------------------------------------------------------------------------------

def registration_of(db, s, user) -> Registration:
    return db.session.scalar(sa.select(Registration).where(Registration.session_id == s.id,
                                                           Registration.user_id == user.id))


@pytest.fixture
def tomorrow(db, w):
    """A session starting in 20 hours (two confirmed, one waiting, one cancelled), one in three days,
    one tomorrow but cancelled."""
    now = utcnow().replace(microsecond=0)
    s = w.session(capacity=2, start=now + timedelta(hours=20), title="Завтрашний семинар")
    later = w.session(capacity=5, start=now + timedelta(days=3), title="Семинар через три дня")
    off = w.session(capacity=5, start=now + timedelta(hours=10), title="Отменённый семинар")
    a, b, c, d = w.teachers(4)
    for person in (a, b, c):
        _register(db, s, person)
    _register(db, s, d)
    services.cancel(registration_of(db, s, d).id, d)
    _register(db, later, a)
    _register(db, off, b)
    cancel_session(db.session.get(EventSession, off.id), "Отмена", w.methodist)
    db.session.commit()
    return SimpleNamespace(s=s, now=now, confirmed=[a, b], waiting=c)


def test_reminders_go_once_to_confirmed_participants_of_tomorrows_sessions(db, tomorrow):
    assert services.send_reminders(now=tomorrow.now) == 2
    db.session.commit()
    reminders = _mails(db, subject="Напоминание: завтра")
    assert sorted(m.recipient for m in reminders) == sorted(u.email for u in tomorrow.confirmed)
    session = db.session.get(EventSession, tomorrow.s.id)
    for message in reminders:
        assert message.subject == "Напоминание: завтра: Завтрашний семинар"
        assert "мероприятие уже завтра" in message.body and "отмените регистрацию" in message.body
        _assert_ics(message, session)

    # a second run (cron every hour) sends nothing
    assert services.send_reminders(now=tomorrow.now + timedelta(hours=1)) == 0
    db.session.commit()
    assert len(_mails(db, subject="Напоминание")) == 2


def test_reminders_command_is_idempotent(db, runner, tomorrow):
    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0, first.output
    assert "Напоминаний поставлено в очередь: 2." in first.output
    second = runner.invoke(args=["reminders", "send"])
    assert second.exit_code == 0, second.output
    assert "Напоминаний поставлено в очередь: 0." in second.output
    db.session.expire_all()
    assert len(_mails(db, subject="Напоминание")) == 2


def test_registering_again_after_a_reminder_gets_a_new_reminder(db, w, tomorrow):
    person = tomorrow.confirmed[0]
    services.send_reminders(now=tomorrow.now)
    db.session.commit()
    reg = registration_of(db, tomorrow.s, person)
    services.cancel(reg.id, person)
    db.session.commit()
    # her seat went to the waiting person, who has not been reminded yet
    assert services.send_reminders(now=tomorrow.now) == 1
    db.session.commit()
    assert [m.recipient for m in _mails(db, subject="Напоминание")][-1] == tomorrow.waiting.email


# -- constraints in the database -------------------------------------------------------------

def test_the_database_refuses_a_second_row_for_the_same_person(db, w):
    s = w.session(capacity=5)
    (me,) = w.teachers(1)
    _register(db, s, me)
    db.session.add(Registration(session_id=s.id, user_id=me.id, status=RegStatus.CONFIRMED))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_more_seats_than_capacity(db, w):
    s = w.session(capacity=2)
    db.session.commit()
    db.session.get(EventSession, s.id).seats_taken = 3
    with pytest.raises(IntegrityError) as caught:
        db.session.flush()
    assert "seats_within_capacity" in str(caught.value)
    db.session.rollback()


def test_the_database_refuses_a_ticket_held_twice_or_a_waiting_row_without_one(db, w):
    s = w.session(capacity=5)
    a, b = w.teachers(2)
    db.session.add_all([Registration(session_id=s.id, user_id=a.id, status=RegStatus.WAITLISTED, queue_ticket=1),
                        Registration(session_id=s.id, user_id=b.id, status=RegStatus.WAITLISTED, queue_ticket=1)])
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    s = w.session(capacity=5)
    (c,) = w.teachers(1)
    db.session.add(Registration(session_id=s.id, user_id=c.id, status=RegStatus.WAITLISTED))
    with pytest.raises(IntegrityError) as caught:
        db.session.flush()
    assert "ticket_iff_waitlisted" in str(caught.value)
    db.session.rollback()
