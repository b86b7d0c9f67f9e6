"""E-mails about registrations, queued in the outbox within the same transaction.

Each message has a plain-text and an HTML part (templates/mail/registration.*), says what
happened and how to cancel; confirmations and session changes carry the session's .ics.

Messages are queued unrendered — the recipient, the subject and a snapshot of what happened
(kind, status, reason, place in line) — and rendered by the sender (`render_message`): a
registration's transaction, which holds the session's lock, then only adds one row. What the
message says about the session (time, place, link) is as it is when the message is sent.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import render_template

from webapp.calendar.ics import build_calendar
from webapp.extensions import db
from webapp.mail.services import RenderError, external_url, templated_row
from webapp.mail.models import OutboxMessage
from webapp.registration.models import Registration, RegStatus

SUBJECTS = {
    "received": "Заявка принята",
    "confirmed": "Вы зарегистрированы",
    "approved": "Заявка подтверждена",
    "waitlisted": "Вы в листе ожидания",
    "promoted": "Освободилось место",
    "rejected": "Заявка отклонена",
    "cancelled": "Регистрация отменена",
    "session_moved": "Изменились время или место",
    "session_cancelled": "Мероприятие отменено",
    "session_restored": "Мероприятие снова в плане",
    "reminder": "Напоминание: завтра",
}
WITH_ICS = {"confirmed", "approved", "promoted", "session_moved", "session_cancelled", "session_restored",
            "reminder"}
FLAGS = ("nominated", "by_staff", "by_self")


def message_row(*, recipient: str, session_title: str, registration_id: int, kind: str, status: RegStatus,
                reason: str = "", position: int | None = None, coordinator_approved: bool = False,
                **flags: bool) -> dict:
    """The outbox row telling a participant what happened (column → value, for an INSERT)."""
    if kind == "confirmed" and status == RegStatus.PENDING:
        kind = "received"
    subject = f"{SUBJECTS[kind]}: {session_title}"
    if len(subject) > 300:
        subject = subject[:297] + "…"
    context = dict(registration_id=registration_id, kind=kind, status=status.value, reason=reason,
                   position=position, coordinator_approved=coordinator_approved,
                   **{flag: bool(flags.get(flag)) for flag in FLAGS})
    return templated_row(recipient, subject, "registration", context)


def _position(reg: Registration) -> int | None:
    if reg.waitlist_position is not None:
        return reg.waitlist_position
    from webapp.registration.services import waitlist_position

    return waitlist_position(reg)


def send(reg: Registration, kind: str, **flags: bool) -> None:
    """Queue one message about `reg` as it is now."""
    db.session.add(OutboxMessage(**message_row(
        recipient=reg.user.email, session_title=reg.session.title, registration_id=reg.id, kind=kind,
        status=reg.status, reason=reg.reason, position=_position(reg),
        coordinator_approved=reg.coordinator_approved_dt is not None, **flags)))


def _ics_attachment(session, cache: dict) -> dict:
    key = ("ics", session.id, session.revision, session.updated_dt)
    if key not in cache:
        url = external_url("sessions.detail", session_id=session.id)
        content = build_calendar([session], lambda s: url, name=session.title).decode()
        cache[key] = {"filename": "event.ics", "content_type": "text/calendar; charset=utf-8; method=PUBLISH",
                      "content": content}
    return cache[key]


def render_message(context: dict, cache: dict) -> dict:
    """The body, HTML and attachments of a queued message (see `message_row`)."""
    reg = db.session.get(Registration, context["registration_id"])
    if reg is None:
        raise RenderError(f"registration {context['registration_id']} not found")
    session, user, kind = reg.session, reg.user, context["kind"]
    snapshot = SimpleNamespace(status=RegStatus(context["status"]), reason=context.get("reason") or "",
                               coordinator_approved_dt=True if context.get("coordinator_approved") else None)
    values = dict(
        kind=kind, reg=snapshot, session=session, user=user, position=context.get("position"),
        session_url=external_url("sessions.detail", session_id=session.id),
        my_url=external_url("registration.mine"), **{flag: context.get(flag, False) for flag in FLAGS},
    )
    return dict(body=render_template("mail/registration.txt", **values),
                html=render_template("mail/registration.html", **values),
                attachments=[_ics_attachment(session, cache)] if kind in WITH_ICS else [])


def registration_changed(reg: Registration, *, nominated: bool = False, by_staff: bool = False,
                         by_self: bool = False, promoted: bool = False, approved: bool = False) -> None:
    """Tell the participant what just happened to her registration."""
    status = reg.status
    if status == RegStatus.CANCELLED:
        kind = "cancelled"
    elif status == RegStatus.REJECTED:
        kind = "rejected"
    elif status == RegStatus.WAITLISTED:
        kind = "waitlisted"
    elif promoted:
        kind = "promoted"
    elif approved:
        kind = "approved"
    else:
        kind = "confirmed"  # becomes «received» while pending
    send(reg, kind, nominated=nominated, by_staff=by_staff, by_self=by_self)


def session_changed(session, kind: str, registrations: list[Registration]) -> None:
    """Moved, cancelled or restored by staff: every active registrant is told."""
    from webapp.registration.services import waitlist_positions

    positions = waitlist_positions(registrations)  # one query for the whole list
    for reg in registrations:
        reg.waitlist_position = positions.get(reg.id)
        send(reg, f"session_{kind}")
