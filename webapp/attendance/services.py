"""Attendance rules: who is on a session's roster, who may mark it and when, marking one person,
everyone at once, closing the roster, walk-ins and QR self check-in.

Every change locks the session row first (the same lock as registration), so two people marking
one roster at once serialize per mark: each mark reads the row it changes under the lock, the
audit trail records the true old value, and «mark all» / «close» only fill rows nobody marked.
Services flush, never commit; each runs a constant number of statements, whatever the roster size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

from webapp.accounts import auth
from webapp.accounts.models import Role, User
from webapp.accounts.services import normalize_email
from webapp.attendance.models import (
    ATTENDED_STATUSES,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    MarkSource,
)
from webapp.dbtypes import utcnow
from webapp.errors import RuleError
from webapp.extensions import db
from webapp.registration.models import Registration, RegStatus
from webapp.sessions import services as sessions
from webapp.sessions.models import EventSession
from webapp.timefmt import format_moment

MAX_REMARK = 500

#: defaults; each can be changed in the app config
DEFAULTS = {
    # staff may start marking this long before the start (people arrive early)
    "ATTENDANCE_OPENS_MINUTES": 60,
    # site leaders may change marks for this many days after the roster is closed (or the session
    # ended, if nobody closed it); later only the methodist of the municipality or an admin
    "ATTENDANCE_EDIT_DAYS": 14,
    # QR self check-in works from this long before the start until the end
    "CHECKIN_OPENS_MINUTES": 30,
    # a QR link works this long after it was shown (the screen shows a new one every 30 seconds)
    "CHECKIN_LINK_SECONDS": 60,
}


def setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


class AttendanceError(RuleError):
    """An attendance rule said no."""


# -- locking and rights ----------------------------------------------------------------------

def lock_session(session_id: int) -> EventSession:
    """The session, locked (sessions.services.lock_session; marks and seats share the lock), or
    AttendanceError 404."""
    session = sessions.lock_session(session_id)
    if session is None:
        raise AttendanceError("Мероприятие не найдено.", 404)
    return session


def can_mark(user: User | None, session: EventSession) -> bool:
    """Leaders of its site, the methodist of its municipality, admins."""
    return auth.can_manage_session(user, session)


def managed_sessions(user: User):
    """The sessions this person may mark, as a condition on EventSession: admins all, a methodist
    her municipalities', a site leader her sites' (the rule of can_mark, for lists)."""
    if auth.is_admin(user):
        return sa.true()
    conditions = []
    if municipalities := user.scope_ids(Role.METHODIST):
        conditions.append(EventSession.municipality_id.in_(municipalities))
    if sites := user.scope_ids(Role.SITE_LEADER):
        conditions.append(EventSession.site_id.in_(sites))
    return sa.or_(*conditions) if conditions else sa.false()


def can_edit_after_period(user: User | None, session: EventSession) -> bool:
    return auth.is_admin(user) or auth.methodist_of(user, session.municipality_id)


def marking_opens_at(session: EventSession) -> datetime:
    return session.start_dt - timedelta(minutes=setting("ATTENDANCE_OPENS_MINUTES"))


def edit_deadline(session: EventSession) -> datetime:
    """Until then site leaders may change marks; afterwards only methodists and admins."""
    return (session.roster_closed_dt or session.end_dt) + timedelta(days=setting("ATTENDANCE_EDIT_DAYS"))


def marking_refusal(session: EventSession, user: User | None, now: datetime | None = None) -> str | None:
    """Why this person cannot change marks of the session now, or None. Rights are checked apart
    (a stranger gets 403/404 before she learns anything about the session's state)."""
    now = now or utcnow()
    if session.is_draft:
        return "План ещё не опубликован: отмечать посещаемость пока нельзя."
    if session.is_cancelled:
        return "Мероприятие отменено: посещаемость не отмечается."
    if now < marking_opens_at(session):
        return f"Отмечать посещаемость можно с {format_moment(marking_opens_at(session), session.timezone)}."
    if now > edit_deadline(session) and not can_edit_after_period(user, session):
        return (f"Срок правки отметок истёк {format_moment(edit_deadline(session), session.timezone)}. "
                "Изменить отметку может методист.")
    return None


def _check_marking(session: EventSession, actor: User, now: datetime) -> None:
    if not can_mark(actor, session):
        raise AttendanceError("Отмечать посещаемость этого мероприятия могут только его организаторы.", 403)
    reason = marking_refusal(session, actor, now)
    if reason:
        raise AttendanceError(reason, 409)


# -- the roster ------------------------------------------------------------------------------

def roster_members(session_ids: list[int]):
    """(session_id, user_id) of everyone on these sessions' rosters: confirmed registrants and
    everyone already marked (walk-ins too)."""
    return sa.union(
        sa.select(Registration.session_id.label("session_id"), Registration.user_id.label("user_id")).where(
            Registration.session_id.in_(session_ids), Registration.status == RegStatus.CONFIRMED),
        sa.select(Attendance.session_id.label("session_id"), Attendance.user_id.label("user_id"))
        .where(Attendance.session_id.in_(session_ids)),
    ).subquery("roster")


def roster_user_ids(session_id: int):
    """Who is on one session's roster (a subquery with user_id)."""
    return roster_members([session_id])


@dataclass
class RosterRow:
    user: User
    attendance: Attendance | None

    @property
    def status(self) -> AttendanceStatus | None:
        return self.attendance.status if self.attendance else None


@dataclass
class RosterCounts:
    total: int = 0
    by_status: dict[AttendanceStatus, int] = field(default_factory=dict)

    @property
    def marked(self) -> int:
        return sum(self.by_status.values())

    @property
    def unmarked(self) -> int:
        return max(self.total - self.marked, 0)

    @property
    def attended(self) -> int:
        return sum(self.by_status.get(s, 0) for s in ATTENDED_STATUSES)


def roster_counts(session_id: int) -> RosterCounts:
    """Two queries, whatever the roster's size."""
    roster = roster_user_ids(session_id)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(roster)) or 0
    rows = db.session.execute(
        sa.select(Attendance.status, sa.func.count()).where(Attendance.session_id == session_id)
        .group_by(Attendance.status)).all()
    return RosterCounts(total=total, by_status={status: n for status, n in rows})


def roster_query(session_id: int):
    """Rows of (User, Attendance | None) in ФИО order, organizations loaded: one query."""
    roster = roster_user_ids(session_id)
    return (
        sa.select(User, Attendance)
        .join(roster, roster.c.user_id == User.id)
        .outerjoin(Attendance, sa.and_(Attendance.session_id == session_id, Attendance.user_id == User.id))
        .options(joinedload(User.organization))
        .order_by(User.last_name, User.first_name, User.middle_name, User.id)
    )


def roster_row(session_id: int, user_id: int) -> RosterRow | None:
    row = db.session.execute(roster_query(session_id).where(User.id == user_id)).first()
    return RosterRow(row[0], row[1]) if row else None


# -- marking ---------------------------------------------------------------------------------

def _record(att: Attendance, before: AttendanceStatus | None, before_remark: str, actor_id: int | None,
            source: MarkSource, now: datetime) -> None:
    db.session.add(AttendanceChange(attendance_id=att.id, from_status=before, to_status=att.status,
                                    from_remark=before_remark, to_remark=att.remark, source=source,
                                    actor_id=actor_id, created_dt=now))


def clean_remark(remark: str | None) -> str:
    remark = " ".join((remark or "").split())
    if len(remark) > MAX_REMARK:
        raise AttendanceError(f"Примечание длиннее {MAX_REMARK} символов.", 422)
    return remark


def mark(session_id: int, user_id: int, status: AttendanceStatus, actor: User, *, remark: str | None = None,
         source: MarkSource = MarkSource.STAFF, now: datetime | None = None) -> Attendance:
    """Set one person's mark (and remark, when given). Marking the same again changes nothing."""
    now = now or utcnow()
    actor_id = actor.id
    session = lock_session(session_id)
    _check_marking(session, actor, now)
    if remark is not None:
        remark = clean_remark(remark)
    att = db.session.scalar(sa.select(Attendance).where(Attendance.session_id == session_id,
                                                        Attendance.user_id == user_id)
                            .execution_options(populate_existing=True))
    if att is None:
        reg = db.session.scalar(sa.select(Registration).where(
            Registration.session_id == session_id, Registration.user_id == user_id,
            Registration.status == RegStatus.CONFIRMED))
        if reg is None:
            raise AttendanceError("Этого человека нет в списке участников мероприятия.", 404)
        att = Attendance(session_id=session_id, user_id=user_id, registration_id=reg.id,
                         organization_id=reg.organization_id, status=status, remark=remark or "",
                         source=source, marked_by_id=actor_id, marked_dt=now, created_dt=now, updated_dt=now)
        db.session.add(att)
        db.session.flush()
        _record(att, None, "", actor_id, source, now)
        return att
    before, before_remark = att.status, att.remark
    if before == status and (remark is None or remark == before_remark):
        return att
    att.status = status
    if remark is not None:
        att.remark = remark
    att.source, att.marked_by_id, att.marked_dt = source, actor_id, now
    _record(att, before, before_remark, actor_id, source, now)
    return att


def _fill_unmarked(session_id: int, status: AttendanceStatus, source: MarkSource, actor_id: int | None,
                   now: datetime) -> int:
    """Mark every confirmed registrant without a mark: one INSERT … SELECT, one batch of history."""
    table = Attendance.__table__
    unmarked = sa.select(
        Registration.session_id, Registration.user_id, Registration.id, Registration.organization_id,
        sa.literal(status, table.c.status.type), sa.literal("", sa.String), sa.false(),
        sa.literal(source, table.c.source.type), sa.literal(actor_id, sa.Integer),
        sa.literal(now, table.c.marked_dt.type), sa.literal(now, table.c.created_dt.type),
        sa.literal(now, table.c.updated_dt.type),
    ).where(
        Registration.session_id == session_id, Registration.status == RegStatus.CONFIRMED,
        ~sa.exists().where(Attendance.session_id == session_id, Attendance.user_id == Registration.user_id),
    )
    columns = ["session_id", "user_id", "registration_id", "organization_id", "status", "remark", "walk_in",
               "source", "marked_by_id", "marked_dt", "created_dt", "updated_dt"]
    ids = db.session.execute(sa.insert(table).from_select(columns, unmarked).returning(table.c.id)).scalars().all()
    if ids:
        db.session.execute(sa.insert(AttendanceChange.__table__), [
            dict(attendance_id=i, from_status=None, to_status=status, from_remark="", to_remark="",
                 source=source, actor_id=actor_id, created_dt=now) for i in ids])
    return len(ids)


def mark_all_present(session_id: int, actor: User, now: datetime | None = None) -> int:
    """Everyone on the roster not yet marked becomes «присутствовал»; marks made stay as they are."""
    now = now or utcnow()
    actor_id = actor.id
    session = lock_session(session_id)
    _check_marking(session, actor, now)
    return _fill_unmarked(session_id, AttendanceStatus.PRESENT, MarkSource.BULK, actor_id, now)


def close_roster(session_id: int, actor: User, now: datetime | None = None) -> int:
    """After the start: the unmarked become «отсутствовал»; the edit period starts counting."""
    now = now or utcnow()
    actor_id = actor.id
    session = lock_session(session_id)
    _check_marking(session, actor, now)
    if now < session.start_dt:
        raise AttendanceError("Закрыть список можно после начала мероприятия.", 409)
    if session.roster_closed_dt is not None:
        raise AttendanceError(f"Список уже закрыт {format_moment(session.roster_closed_dt, session.timezone)}.",
                              409)
    n = _fill_unmarked(session_id, AttendanceStatus.ABSENT, MarkSource.CLOSING, actor_id, now)
    # the row is locked; a Core UPDATE keeps updated_dt (and so the plan's page cache) untouched
    db.session.execute(sa.update(EventSession.__table__).where(EventSession.__table__.c.id == session_id)
                       .values(roster_closed_dt=now, roster_closed_by_id=actor_id))
    session.roster_closed_dt, session.roster_closed_by_id = now, actor_id
    return n


# -- walk-ins --------------------------------------------------------------------------------

@dataclass
class NewPerson:
    last_name: str
    first_name: str
    middle_name: str
    email: str
    organization_id: int | None
    position: str = ""


def _walk_in_attendance(session: EventSession, user: User, status: AttendanceStatus, source: MarkSource,
                        actor_id: int | None, now: datetime) -> Attendance:
    reg = db.session.scalar(sa.select(Registration).where(Registration.session_id == session.id,
                                                          Registration.user_id == user.id))
    confirmed = reg is not None and reg.status == RegStatus.CONFIRMED
    att = Attendance(session_id=session.id, user_id=user.id, registration_id=reg.id if reg else None,
                     organization_id=user.organization_id, status=status, remark="", walk_in=not confirmed,
                     source=source, marked_by_id=actor_id, marked_dt=now, created_dt=now, updated_dt=now)
    db.session.add(att)
    db.session.flush()
    _record(att, None, "", actor_id, source, now)
    return att


def add_walk_in(session_id: int, actor: User, *, user_id: int | None = None, person: NewPerson | None = None,
                now: datetime | None = None) -> tuple[Attendance, bool]:
    """Add someone who came without a registration, marked present. An existing person is picked by
    id, or found by e-mail (never doubled); otherwise a participant without a password is created,
    who can claim the account later through «Забыли пароль?». Returns (attendance, created_person)."""
    now = now or utcnow()
    actor_id = actor.id
    session = lock_session(session_id)
    _check_marking(session, actor, now)
    created = False
    if user_id is not None:
        user = db.session.get(User, user_id)
        if user is None or not user.is_active:
            raise AttendanceError("Такого человека нет.", 404)
    elif person is not None:
        email = normalize_email(person.email)
        user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))
        if user is None:
            user = User(email=email, last_name=person.last_name.strip(), first_name=person.first_name.strip(),
                        middle_name=person.middle_name.strip(), organization_id=person.organization_id,
                        position=person.position.strip(), password_hash="", is_active=True)
            user.refresh_search_text()
            db.session.add(user)
            db.session.flush()
            created = True
        elif not user.is_active:
            raise AttendanceError("Учётная запись с этой почтой отключена: обратитесь к администратору.", 409)
    else:
        raise AttendanceError("Выберите человека или введите его данные.", 422)
    existing = db.session.scalar(sa.select(Attendance).where(Attendance.session_id == session_id,
                                                             Attendance.user_id == user.id))
    if existing is not None:
        raise AttendanceError(f"{user.short_name} уже в списке: {existing.status.label.lower()}.", 409)
    att = _walk_in_attendance(session, user, AttendanceStatus.PRESENT, MarkSource.WALK_IN, actor_id, now)
    return att, created


# -- QR self check-in ------------------------------------------------------------------------

def _checkin_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="attendance-checkin")


def checkin_token(session_id: int) -> str:
    """A signed, timestamped link token; a new one every time the check-in screen refreshes."""
    return _checkin_serializer().dumps({"s": session_id})


def session_for_checkin_token(token: str) -> int:
    """The session id of a fresh, untampered token; AttendanceError otherwise."""
    try:
        data = _checkin_serializer().loads(token, max_age=setting("CHECKIN_LINK_SECONDS"))
    except SignatureExpired:
        raise AttendanceError("Ссылка устарела: отсканируйте QR-код на экране ещё раз.", 410) from None
    except BadSignature:
        raise AttendanceError("Ссылка повреждена: отсканируйте QR-код на экране ещё раз.", 400) from None
    session_id = data.get("s") if isinstance(data, dict) else None
    if not isinstance(session_id, int):
        raise AttendanceError("Ссылка повреждена: отсканируйте QR-код на экране ещё раз.", 400)
    return session_id


def checkin_window(session: EventSession) -> tuple[datetime, datetime]:
    return session.start_dt - timedelta(minutes=setting("CHECKIN_OPENS_MINUTES")), session.end_dt


def checkin_refusal(session: EventSession, now: datetime | None = None) -> str | None:
    now = now or utcnow()
    if session.is_draft or session.is_cancelled:
        return "Мероприятие отменено или не опубликовано: отметка не ведётся."
    opens, closes = checkin_window(session)
    if now < opens:
        return f"Отметка по QR-коду откроется {format_moment(opens, session.timezone)}."
    if now > closes:
        return "Мероприятие закончилось: отметка по QR-коду закрыта. Обратитесь к организатору."
    return None


def status_on_arrival(session: EventSession, now: datetime) -> AttendanceStatus:
    late_after = session.start_dt + timedelta(minutes=session.late_after_minutes)
    return AttendanceStatus.LATE if now > late_after else AttendanceStatus.PRESENT


def check_in(session_id: int, user: User, now: datetime | None = None) -> tuple[Attendance, bool]:
    """Mark oneself by the QR link: present, or late after the session's minute. Registrants only,
    or anyone when the session allows walk-ins. Returns (attendance, changed); checking in again
    changes nothing."""
    now = now or utcnow()
    user_id = user.id
    session = lock_session(session_id)
    reason = checkin_refusal(session, now)
    if reason:
        raise AttendanceError(reason, 409)
    status = status_on_arrival(session, now)
    att = db.session.scalar(sa.select(Attendance).where(Attendance.session_id == session_id,
                                                        Attendance.user_id == user_id)
                            .execution_options(populate_existing=True))
    if att is not None:
        if att.status.attended:
            return att, False
        before = att.status
        att.status, att.source, att.marked_by_id, att.marked_dt = status, MarkSource.QR, user_id, now
        _record(att, before, att.remark, user_id, MarkSource.QR, now)
        return att, True
    reg = db.session.scalar(sa.select(Registration.id).where(
        Registration.session_id == session_id, Registration.user_id == user_id,
        Registration.status == RegStatus.CONFIRMED))
    if reg is None and not session.walk_ins_allowed:
        raise AttendanceError("Вас нет в списке участников этого мероприятия. Подойдите к организатору: "
                              "он добавит вас вручную.", 403)
    return _walk_in_attendance(session, user, status, MarkSource.QR, user_id, now), True


# -- history ---------------------------------------------------------------------------------

def history(attendance_id: int, limit: int = 20) -> list[AttendanceChange]:
    return list(db.session.scalars(
        sa.select(AttendanceChange).where(AttendanceChange.attendance_id == attendance_id)
        .options(joinedload(AttendanceChange.actor))
        .order_by(AttendanceChange.created_dt.desc(), AttendanceChange.id.desc()).limit(limit)))
