"""Registration rules: who may register, seats, the waiting list, approvals, cancellation.

Every operation that changes who holds a seat first locks the session row (`lock_session`), so
the seat check, the waiting-list ticket and the insert are serialized per session: no overbooking,
no duplicate, no lost order, whatever the interleaving. Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from webapp.accounts import auth
from webapp.accounts.models import Role, RoleGrant, User
from webapp.dbtypes import utcnow
from webapp.errors import RuleError
from webapp.extensions import db
from webapp.mail.models import OutboxMessage
from webapp.plan.models import Plan, PlanItem, PlanStatus
from webapp.registration import notify
from webapp.registration.models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Registration,
    RegistrationChange,
    RegStatus,
)
from webapp.sessions import services as sessions
from webapp.sessions.models import (
    ApprovalMode,
    EventSession,
    SessionStatus,
    session_municipalities,
)
from webapp.timefmt import format_dt, format_moment

MAX_REASON = 1000
DRAFT_REASON = "План ещё не опубликован: регистрация откроется после публикации."


class RegistrationError(RuleError):
    """A registration rule said no."""


# -- locking ---------------------------------------------------------------------------------

def lock_session(session_id: int) -> EventSession:
    """The session, locked (sessions.services.lock_session), or RegistrationError 404."""
    session = sessions.lock_session(session_id)
    if session is None:
        raise RegistrationError("Мероприятие не найдено.", 404)
    return session


# -- who may register ------------------------------------------------------------------------

def is_staff(user: User | None, session: EventSession) -> bool:
    """Site leaders of its site, the methodist of its municipality, admins."""
    return auth.can_manage_session(user, session)


def registration_closed_reason(session: EventSession, now: datetime | None = None) -> str | None:
    """Why nobody can register right now, or None when the window is open."""
    now = now or utcnow()
    if session.is_draft:
        return DRAFT_REASON
    if session.is_cancelled:
        return "Мероприятие отменено."
    if session.end_dt <= now:
        return "Мероприятие уже прошло."
    if session.start_dt <= now:
        return "Мероприятие уже началось, регистрация закрыта."
    if session.registration_opens_dt and now < session.registration_opens_dt:
        return f"Регистрация откроется {format_moment(session.registration_opens_dt, session.timezone)}."
    if session.registration_closes_dt and now >= session.registration_closes_dt:
        return f"Регистрация закрылась {format_moment(session.registration_closes_dt, session.timezone)}."
    return None


def not_allowed_reason(session: EventSession, user: User, *, nominated: bool = False) -> str | None:
    """Why this person may not take part (audience, municipality, invitation), or None."""
    if session.allowed_municipalities:
        municipality_id = user.organization.municipality_id if user.organization else None
        if municipality_id not in {m.id for m in session.allowed_municipalities}:
            names = ", ".join(m.name for m in session.allowed_municipalities)
            return f"Только для педагогов территорий: {names}."
    if nominated:
        return None  # the coordinator vouches for audience and invitation
    if session.invitation_only:
        return "Участие по приглашению: обратитесь к координатору своей школы."
    if session.audience_restricted and session.audiences:
        if not {a.id for a in user.audiences} & {a.id for a in session.audiences}:
            names = ", ".join(a.name for a in session.audiences)
            return f"Только для: {names}. Если это вы, отметьте категорию в профиле."
    return None


def seat_count_for_org(session_id: int, organization_id: int | None) -> int:
    if organization_id is None:
        return 0
    return db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.session_id == session_id, Registration.organization_id == organization_id,
        Registration.status.in_(SEAT_STATUSES))) or 0


def _quota_reason(session: EventSession) -> str:
    return f"Квота школы исчерпана: не более {session.org_quota} мест от одной организации."


# -- state changes ---------------------------------------------------------------------------

def _change(reg: Registration, to: RegStatus, actor: User | None, reason: str = "") -> None:
    """Move a registration to a new state, keep the history, and keep the seat counter right."""
    before = reg.status
    session = reg.session
    if before is not None and before.holds_seat and not to.holds_seat:
        session.seats_taken -= 1
    if (before is None or not before.holds_seat) and to.holds_seat:
        session.seats_taken += 1
    if to == RegStatus.WAITLISTED and before != RegStatus.WAITLISTED:
        session.queue_counter += 1
        reg.queue_ticket = session.queue_counter
    elif to != RegStatus.WAITLISTED:
        reg.queue_ticket = None
    reg.status = to
    reg.reason = reason[:MAX_REASON]
    reg.updated_dt = utcnow()
    db.session.add(RegistrationChange(registration=reg, from_status=before, to_status=to,
                                      actor_id=getattr(actor, "id", None), reason=reg.reason))


def _approvals_complete(reg: Registration, session: EventSession) -> bool:
    mode = session.approval
    if mode == ApprovalMode.NONE:
        return True
    return ((not mode.needs_coordinator or reg.coordinator_approved_dt is not None)
            and (not mode.needs_staff or reg.staff_approved_dt is not None))


def _seat_status(reg: Registration, session: EventSession) -> RegStatus:
    return RegStatus.CONFIRMED if _approvals_complete(reg, session) else RegStatus.PENDING


def _has_free_seat(session: EventSession) -> bool:
    return session.capacity is None or session.seats_taken < session.capacity


# -- registering: the hot path of a registration rush -------------------------------------------
#
# Hundreds of people press the button in the same second, all for one session, so everything that
# happens while the session is locked is kept to plain statements built once (`_statements`):
# a locking read of the session and one read of her row and the counts, then four writes (the session's
# counters, the registration, its history row, the unrendered e-mail). The ORM session object is
# loaded only on the rare paths that need it (staff, drafts, restricted audiences).

@dataclass
class SeatState:
    """The session as the locking read saw it, plus her row and the counts the decision needs.

    Quacks like an EventSession for `registration_closed_reason`."""

    id: int
    title: str
    timezone: str
    status: object
    start_dt: datetime
    end_dt: datetime
    registration_opens_dt: datetime | None
    registration_closes_dt: datetime | None
    capacity: int | None
    seats_taken: int
    queue_counter: int
    waitlist_enabled: bool
    org_quota: int | None
    approval: ApprovalMode
    invitation_only: bool
    audience_restricted: bool
    plan_status: object
    municipality_limited: bool
    existing_id: int | None
    existing_status: RegStatus | None
    waitlisted: int  # people on the waiting list now
    org_seats: int  # seats held by her organization now

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_draft(self) -> bool:
        return self.plan_status is not None and self.plan_status != PlanStatus.PUBLISHED


_STATEMENTS: dict = {}


def _statements() -> dict:
    """The hot path's statements, built once per process (SQLAlchemy then reuses their compiled
    form without rebuilding them from Python on every request)."""
    if _STATEMENTS:
        return _STATEMENTS
    es, regs = EventSession.__table__, Registration.__table__
    items, plans = PlanItem.__table__, Plan.__table__
    state_columns = [es.c[name] for name in (
        "id", "title", "timezone", "status", "start_dt", "end_dt", "registration_opens_dt", "registration_closes_dt",
        "capacity", "seats_taken", "queue_counter", "waitlist_enabled", "org_quota", "approval", "invitation_only",
        "audience_restricted")]
    lock = (sa.select(
        *state_columns,
        plans.c.status.label("plan_status"),
        sa.exists().where(session_municipalities.c.session_id == es.c.id).label("municipality_limited"))
        .select_from(es.outerjoin(items, items.c.id == es.c.plan_item_id).outerjoin(plans, plans.c.id == items.c.plan_id))
        .where(es.c.id == sa.bindparam("session_id"))
        .with_for_update(of=es))
    # A separate statement, run once the lock is held: PostgreSQL evaluates a statement against the
    # snapshot taken when it started, so counts read by the locking statement itself would be those
    # from before it waited for the lock (a rush would hand out stale places in line).
    here = regs.c.session_id == sa.bindparam("session_id")
    mine = sa.select(regs.c.id).where(here, regs.c.user_id == sa.bindparam("user_id"))
    facts = sa.select(
        mine.scalar_subquery().label("existing_id"),
        mine.with_only_columns(regs.c.status).scalar_subquery().label("existing_status"),
        sa.select(sa.func.count()).where(here, regs.c.status == RegStatus.WAITLISTED)
        .scalar_subquery().label("waitlisted"),
        sa.select(sa.func.count()).where(here, regs.c.organization_id == sa.bindparam("organization_id"),
                                         regs.c.status.in_(SEAT_STATUSES)).scalar_subquery().label("org_seats"))
    _STATEMENTS.update(
        sqlite_write_lock=es.update().where(es.c.id == sa.bindparam("session_id"))
        .values(queue_counter=es.c.queue_counter),
        lock=lock,
        facts=facts,
        take_seat=es.update().where(es.c.id == sa.bindparam("session_id"))
        .values(seats_taken=es.c.seats_taken + 1, updated_dt=sa.bindparam("now")),
        take_ticket=es.update().where(es.c.id == sa.bindparam("session_id"))
        .values(queue_counter=es.c.queue_counter + 1, updated_dt=sa.bindparam("now")),
        insert_registration=regs.insert().returning(regs.c.id),
        update_registration=regs.update().where(regs.c.id == sa.bindparam("registration_id")),
        insert_change=RegistrationChange.__table__.insert(),
        insert_message=OutboxMessage.__table__.insert(),
    )
    return _STATEMENTS


def _lock_for_registration(session_id: int, user: User) -> SeatState:
    """Lock the session (as `lock_session` does), reading its settings and counters, then read what
    else the decision needs: her registration row, the waiting list's length, her school's seats."""
    conn, statements = db.session.connection(), _statements()
    if conn.dialect.name == "sqlite":
        conn.execute(statements["sqlite_write_lock"], {"session_id": session_id})
    row = conn.execute(statements["lock"], {"session_id": session_id}).first()
    if row is None:
        raise RegistrationError("Мероприятие не найдено.", 404)
    facts = conn.execute(statements["facts"], {"session_id": session_id, "user_id": user.id,
                                               "organization_id": user.organization_id}).one()
    status = facts.existing_status
    return SeatState(**row._asdict(), existing_id=facts.existing_id,
                     existing_status=RegStatus(status) if status is not None else None,
                     waitlisted=facts.waitlisted or 0, org_seats=facts.org_seats or 0)


def register(session_id: int, user: User, actor: User, *, nominated: bool = False,
             by_staff: bool = False) -> Registration:
    """Register a person: a seat if one is free (pending when approval is needed), else the list.

    `nominated`: her coordinator nominated her (counts as the coordinator's approval).
    `by_staff`: staff added her (counts as every approval; window and audience do not apply).
    """
    actor_id = actor.id  # read now: touching an expired actor later would autoflush a half-made row
    # nominating oneself is registering oneself: it vouches for nothing and approves nothing
    nominated = nominated and user.id != actor_id
    state = _lock_for_registration(session_id, user)

    def orm_session() -> EventSession:  # locked above; for the rules that read relations
        return db.session.get(EventSession, session_id)

    if by_staff and not is_staff(actor, orm_session()):
        raise RegistrationError("Нет прав добавлять участников.", 403)
    if user.id != actor_id and not (by_staff or (nominated and auth.coordinator_of(actor, user.organization_id))):
        raise RegistrationError("Записать другого участника может только координатор его школы или организатор.", 403)
    if state.is_draft:
        if not is_staff(actor, orm_session()):
            raise RegistrationError("Мероприятие не найдено.", 404)
        raise RegistrationError(DRAFT_REASON)
    now = utcnow()
    if by_staff:
        if state.is_cancelled:
            raise RegistrationError("Мероприятие отменено.")
        if state.end_dt <= now:
            raise RegistrationError("Мероприятие уже прошло.")
    else:
        closed = registration_closed_reason(state, now)
        if closed:
            raise RegistrationError(closed, 409)
        if state.municipality_limited or state.invitation_only or state.audience_restricted:
            not_allowed = not_allowed_reason(orm_session(), user, nominated=nominated)
            if not_allowed:
                raise RegistrationError(not_allowed, 403)
    before = state.existing_status
    if before is not None and before.is_active:
        who = "Вы уже" if user.id == actor_id else f"{user.short_name} уже"
        raise RegistrationError(f"{who} {_state_phrase(before)}.")
    if before == RegStatus.REJECTED and not (by_staff or nominated):
        raise RegistrationError("Заявка была отклонена; повторно записать может координатор или организатор.", 403)

    coordinator_ok = nominated or by_staff
    mode = state.approval
    approved = (not mode.needs_coordinator or coordinator_ok) and (not mode.needs_staff or by_staff)
    quota_full = (state.org_quota is not None and user.organization_id is not None
                  and state.org_seats >= state.org_quota)
    reason, ticket, position = "", None, None
    if _has_free_seat(state) and not quota_full:
        status = RegStatus.CONFIRMED if approved else RegStatus.PENDING
    elif state.waitlist_enabled or by_staff:
        status = RegStatus.WAITLISTED
        reason = _quota_reason(state) if quota_full else ""
        ticket = state.queue_counter + 1  # we hold the lock: the counter read is the counter now
        position = state.waitlisted + 1  # the newest ticket: behind everyone waiting now
    elif quota_full:
        raise RegistrationError(_quota_reason(state))
    else:
        raise RegistrationError("Свободных мест нет, лист ожидания не ведётся.")

    conn, statements = db.session.connection(), _statements()
    conn.execute(statements["take_seat" if status.holds_seat else "take_ticket"], {"session_id": state.id, "now": now})
    loaded = db.session.identity_map.get(sa.orm.util.identity_key(EventSession, state.id))
    if loaded is not None:  # keep an ORM copy in step with the row
        counter = "seats_taken" if status.holds_seat else "queue_counter"
        sa.orm.attributes.set_committed_value(loaded, counter, getattr(state, counter) + 1)
        sa.orm.attributes.set_committed_value(loaded, "updated_dt", now)

    values = dict(
        session_id=state.id, user_id=user.id, organization_id=user.organization_id, status=status,
        queue_ticket=ticket, reason=reason, nominated_by_id=actor_id if nominated else None,
        coordinator_approved_dt=now if coordinator_ok else None,
        coordinator_approved_by_id=actor_id if coordinator_ok else None,
        staff_approved_dt=now if by_staff else None, staff_approved_by_id=actor_id if by_staff else None,
        reminded_dt=None, updated_dt=now)
    if state.existing_id is None:
        values["created_dt"] = now
        reg_id = conn.execute(statements["insert_registration"], values).scalar_one()
    else:  # she cancelled (or was rejected) and registers again: the same row
        reg_id = state.existing_id
        conn.execute(statements["update_registration"], {**values, "registration_id": reg_id})
    conn.execute(statements["insert_change"], dict(
        registration_id=reg_id, from_status=before, to_status=status, actor_id=actor_id, reason=reason,
        created_dt=now))
    conn.execute(statements["insert_message"], notify.message_row(
        recipient=user.email, session_title=state.title, registration_id=reg_id,
        kind="waitlisted" if status == RegStatus.WAITLISTED else "confirmed", status=status, reason=reason,
        position=position, coordinator_approved=coordinator_ok, nominated=nominated, by_staff=by_staff))

    reg = _as_loaded(Registration, reg_id, values)
    reg.waitlist_position = position
    return reg


def _as_loaded(model, pk: int, values: dict):
    """The ORM object of a row this transaction has just written with Core, without reading it back.

    When the row is already in the session (loaded earlier), it is refreshed from `values`."""
    existing = db.session.identity_map.get(sa.orm.util.identity_key(model, pk))
    if existing is not None:
        for name, value in values.items():
            sa.orm.attributes.set_committed_value(existing, name, value)
        return existing
    obj = model(id=pk, **values)
    sa.orm.make_transient_to_detached(obj)
    db.session.add(obj)
    return obj


def waitlist_position(reg: Registration) -> int | None:
    """Her place in line (1-based): those ahead of her ticket, plus one."""
    if reg.status != RegStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(sa.select(sa.func.count()).select_from(Registration).where(
        Registration.session_id == reg.session_id, Registration.status == RegStatus.WAITLISTED,
        Registration.queue_ticket < reg.queue_ticket)) or 0
    return ahead + 1


def _state_phrase(status: RegStatus) -> str:
    return {RegStatus.PENDING: "подали заявку, она ждёт подтверждения",
            RegStatus.WAITLISTED: "в листе ожидания"}.get(status, "зарегистрированы")


def can_cancel(reg: Registration, user: User | None, now: datetime | None = None) -> bool:
    """The participant until the session's cancellation deadline; staff and her coordinator always."""
    if user is None or not reg.status.is_active:
        return False
    if is_staff(user, reg.session) or auth.coordinator_of(user, reg.organization_id):
        return True
    return reg.user_id == user.id and (now or utcnow()) < reg.session.self_cancel_until


def cancel(reg_id: int, actor: User, reason: str = "") -> Registration:
    reg = _load_locked(reg_id)
    if not reg.status.is_active:
        raise RegistrationError("Регистрация уже отменена или отклонена.")
    own = reg.user_id == actor.id
    if not can_cancel(reg, actor):
        if own:
            raise RegistrationError(
                f"Отменить самостоятельно можно было до {format_dt(reg.session.self_cancel_until, reg.session.timezone)}."
                " Обратитесь к организатору.", 403)
        raise RegistrationError("Нет прав отменить эту регистрацию.", 403)
    reason = reason.strip()
    if not own and not reason:
        raise RegistrationError("Укажите причину отмены — её увидит участник.", 422)
    freed = reg.holds_seat
    _change(reg, RegStatus.CANCELLED, actor, reason or ("Отказ от выдвижения" if reg.nominated_by_id else ""))
    db.session.flush()
    notify.registration_changed(reg, by_self=own)
    if freed:
        fill_free_seats(reg.session, actor)
    return reg


def _approval_steps(reg: Registration, user: User | None) -> tuple[bool, bool]:
    """Which of the two approvals (coordinator's, staff's) this person can give now."""
    if user is None or reg.status != RegStatus.PENDING:
        return False, False
    session, mode = reg.session, reg.session.approval
    staff = is_staff(user, session)
    if mode == ApprovalMode.NONE:
        return False, staff  # approval was switched off after she applied: staff confirm
    # nobody approves her own application: a coordinator's own goes to staff
    coordinator = auth.coordinator_of(user, reg.organization_id) and reg.user_id != user.id
    coord_step = mode.needs_coordinator and reg.coordinator_approved_dt is None and (
        coordinator or (staff and (mode == ApprovalMode.COORDINATOR
                                   or not _org_has_coordinator(reg.organization_id, besides=reg.user_id))))
    staff_step = mode.needs_staff and reg.staff_approved_dt is None and staff
    return bool(coord_step), bool(staff_step)


def _org_has_coordinator(organization_id: int | None, besides: int | None = None) -> bool:
    """Whether someone (other than `besides`) coordinates the organization."""
    if organization_id is None:
        return False
    return db.session.scalar(sa.select(sa.exists().where(
        RoleGrant.role == Role.COORDINATOR, RoleGrant.organization_id == organization_id,
        RoleGrant.user_id != (besides or 0)))) or False


def approve(reg_id: int, actor: User) -> Registration:
    reg = _load_locked(reg_id)
    if not (is_staff(actor, reg.session) or auth.coordinator_of(actor, reg.organization_id)):
        raise RegistrationError("Нет прав подтвердить эту заявку.", 403)  # before anything about its state
    if reg.status != RegStatus.PENDING:
        raise RegistrationError(f"Заявка не ждёт подтверждения: {reg.status.label.lower()}.")
    coord_step, staff_step = _approval_steps(reg, actor)
    if not (coord_step or staff_step):
        if (reg.session.approval.needs_staff and auth.coordinator_of(actor, reg.organization_id)
                and reg.coordinator_approved_dt is not None):
            raise RegistrationError("Вы уже подтвердили заявку; теперь её подтверждает площадка или методист.", 409)
        raise RegistrationError("Нет прав подтвердить эту заявку.", 403)
    now = utcnow()
    if coord_step:
        reg.coordinator_approved_dt, reg.coordinator_approved_by_id = now, actor.id
    if staff_step:
        reg.staff_approved_dt, reg.staff_approved_by_id = now, actor.id
    if _approvals_complete(reg, reg.session):
        _change(reg, RegStatus.CONFIRMED, actor)
        db.session.flush()
        notify.registration_changed(reg, approved=True)
    else:
        reg.updated_dt = now
        db.session.flush()
    return reg


def reject(reg_id: int, actor: User, reason: str) -> Registration:
    reg = _load_locked(reg_id)
    if not (is_staff(actor, reg.session) or auth.coordinator_of(actor, reg.organization_id)):
        raise RegistrationError("Нет прав отклонить эту заявку.", 403)
    if reg.status not in (RegStatus.PENDING, RegStatus.WAITLISTED):
        raise RegistrationError(f"Отклонить можно только заявку в ожидании, а эта: {reg.status.label.lower()}.")
    reason = reason.strip()
    if not reason:
        raise RegistrationError("Укажите причину отклонения — её увидит участник.", 422)
    freed = reg.holds_seat
    _change(reg, RegStatus.REJECTED, actor, reason)
    db.session.flush()
    notify.registration_changed(reg)
    if freed:
        fill_free_seats(reg.session, actor)
    return reg


def promote(reg_id: int, actor: User) -> Registration:
    """Staff take one person from the waiting list out of turn (only into a free seat)."""
    reg = _load_locked(reg_id)
    if not is_staff(actor, reg.session):
        raise RegistrationError("Нет прав менять лист ожидания.", 403)
    if reg.status != RegStatus.WAITLISTED:
        raise RegistrationError("Этот участник не в листе ожидания.")
    if not _has_free_seat(reg.session):
        raise RegistrationError("Свободных мест нет: увеличьте количество мест или отмените чью-то регистрацию.")
    reg.staff_approved_dt = reg.staff_approved_dt or utcnow()
    reg.staff_approved_by_id = reg.staff_approved_by_id or actor.id
    if reg.session.approval == ApprovalMode.COORDINATOR and reg.coordinator_approved_dt is None:
        reg.coordinator_approved_dt, reg.coordinator_approved_by_id = utcnow(), actor.id
    _change(reg, _seat_status(reg, reg.session), actor, "Переведён из листа ожидания организатором")
    db.session.flush()
    notify.registration_changed(reg, promoted=True)
    return reg


def fill_free_seats(session: EventSession, actor: User | None = None) -> list[Registration]:
    """Promote the first in line into every free seat, skipping people whose school is at quota.

    The caller holds the session lock (every path here comes from a locked operation).
    """
    promoted: list[Registration] = []
    if session.queue_counter == 0 or not _has_free_seat(session):
        return promoted  # no ticket was ever handed out, or no seat to give
    waiting = db.session.scalars(
        sa.select(Registration).where(Registration.session_id == session.id,
                                      Registration.status == RegStatus.WAITLISTED)
        .order_by(Registration.queue_ticket)
        .options(sa.orm.joinedload(Registration.user))
    ).all()
    if not waiting:
        return promoted
    per_org: dict[int, int] = {}
    if session.org_quota is not None:
        per_org = dict(db.session.execute(
            sa.select(Registration.organization_id, sa.func.count()).where(
                Registration.session_id == session.id, Registration.status.in_(SEAT_STATUSES),
                Registration.organization_id.is_not(None)).group_by(Registration.organization_id)).all())
    for reg in waiting:
        if not _has_free_seat(session):
            break
        org = reg.organization_id
        if session.org_quota is not None and org is not None and per_org.get(org, 0) >= session.org_quota:
            if not reg.reason:
                reg.reason = _quota_reason(session)
            continue
        _change(reg, _seat_status(reg, session), actor, "")
        per_org[org] = per_org.get(org, 0) + 1
        promoted.append(reg)
    db.session.flush()
    for reg in promoted:
        notify.registration_changed(reg, promoted=True)
    return promoted


def _load_locked(reg_id: int) -> Registration:
    session_id = db.session.scalar(sa.select(Registration.session_id).where(Registration.id == reg_id))
    if session_id is None:
        raise RegistrationError("Регистрация не найдена.", 404)
    lock_session(session_id)
    return db.session.execute(
        sa.select(Registration).where(Registration.id == reg_id).execution_options(populate_existing=True)
    ).scalar_one()


# -- reading ---------------------------------------------------------------------------------

def waitlist_positions(registrations: list[Registration]) -> dict[int, int]:
    """Registration id → place in its session's waiting list (1-based, no gaps), in one query."""
    session_ids = {r.session_id for r in registrations if r.status == RegStatus.WAITLISTED}
    if not session_ids:
        return {}
    rank = sa.func.row_number().over(partition_by=Registration.session_id, order_by=Registration.queue_ticket)
    rows = db.session.execute(
        sa.select(Registration.id, rank).where(Registration.session_id.in_(session_ids),
                                               Registration.status == RegStatus.WAITLISTED)).all()
    return dict(rows)


def registration_of(session_id: int, user: User | None) -> Registration | None:
    if user is None:
        return None
    return db.session.scalar(sa.select(Registration).where(
        Registration.session_id == session_id, Registration.user_id == user.id))


@dataclass
class Panel:
    """What the registration panel on a session page shows to one person."""

    session: EventSession
    registration: Registration | None
    position: int | None
    can_register: bool
    blocked_reason: str | None
    action_label: str
    can_cancel: bool
    message: str = ""
    error: str = ""

    @property
    def live(self) -> bool:
        """Seats can still change under her eyes (limited, not yet begun, not cancelled): poll."""
        s = self.session
        return s.capacity is not None and not s.is_cancelled and s.start_dt > utcnow()


def panel_for(session: EventSession, user: User | None, message: str = "", error: str = "",
              reg: Registration | None = None) -> Panel:
    """`reg`: her registration when the caller has it at hand (saves two queries)."""
    if reg is None:
        reg = registration_of(session.id, user)
    position = getattr(reg, "waitlist_position", None) if reg is not None else None
    if reg is not None and position is None and reg.status == RegStatus.WAITLISTED:
        position = waitlist_position(reg)
    active = reg is not None and reg.status.is_active
    blocked = None
    if not active:
        blocked = registration_closed_reason(session)
        if blocked is None and user is not None:
            blocked = not_allowed_reason(session, user)
            if blocked is None and reg is not None and reg.status == RegStatus.REJECTED:
                blocked = "Заявка отклонена" + (f": {reg.reason}" if reg.reason else ".")
        if blocked is None and not _has_free_seat(session) and not session.waitlist_enabled:
            blocked = "Свободных мест нет."
    full = not _has_free_seat(session)
    label = "Встать в лист ожидания" if full else ("Подать заявку" if session.approval_required else "Зарегистрироваться")
    return Panel(session=session, registration=reg, position=position,
                 can_register=not active and blocked is None, blocked_reason=blocked, action_label=label,
                 can_cancel=bool(reg is not None and can_cancel(reg, user)), message=message, error=error)


def active_registrants(session_id: int) -> list[Registration]:
    return list(db.session.scalars(
        sa.select(Registration).where(Registration.session_id == session_id,
                                      Registration.status.in_(ACTIVE_STATUSES))
        .options(sa.orm.joinedload(Registration.user))))


# -- reminders -------------------------------------------------------------------------------

REMINDER_WINDOW_HOURS = 36


def send_reminders(now: datetime | None = None) -> int:
    """Queue the day-before reminder for every confirmed participant of sessions starting soon.

    Idempotent: a reminded registration is marked, so a second run (or a cron job run every hour)
    sends nothing more. Each registration is marked in the same transaction as its message.
    """
    from datetime import timedelta

    from webapp.sessions.models import SessionStatus

    now = now or utcnow()
    regs = db.session.scalars(
        sa.select(Registration).join(EventSession, Registration.session_id == EventSession.id).where(
            Registration.status == RegStatus.CONFIRMED, Registration.reminded_dt.is_(None),
            EventSession.status == SessionStatus.SCHEDULED, EventSession.start_dt > now,
            EventSession.start_dt <= now + timedelta(hours=REMINDER_WINDOW_HOURS))
        .order_by(Registration.id)
        .options(sa.orm.joinedload(Registration.user), sa.orm.joinedload(Registration.session))
    ).all()
    for reg in regs:
        reg.reminded_dt = now
        notify.send(reg, "reminder")
    db.session.flush()
    return len(regs)

