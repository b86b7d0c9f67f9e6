"""E-mails about registrations, queued in the outbox within the same transaction.

Each message has a plain-text and an HTML part (templates/mail/registration.*), says what
happened and how to cancel; confirmations and session changes carry the session's .ics.
"""

from __future__ import annotations

from flask import render_template

from webapp.calendar.ics import build_calendar
from webapp.mail.services import external_url, queue_email
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


def _position(reg: Registration) -> int | None:
    if reg.waitlist_position is not None:
        return reg.waitlist_position
    from webapp.registration.services import waitlist_position

    return waitlist_position(reg)


def _ics_attachment(session) -> dict:
    url = external_url("sessions.detail", session_id=session.id)
    content = build_calendar([session], lambda s: url, name=session.title).decode()
    return {"filename": "event.ics", "content_type": "text/calendar; charset=utf-8; method=PUBLISH",
            "content": content}


def send(reg: Registration, kind: str, attachment: dict | None = None, **extra) -> None:
    """Queue one message; `attachment`: the session's .ics when the caller built it already."""
    session, user = reg.session, reg.user
    if kind == "confirmed" and reg.status == RegStatus.PENDING:
        kind = "received"
    context = dict(
        kind=kind, reg=reg, session=session, user=user, position=_position(reg),
        session_url=external_url("sessions.detail", session_id=session.id),
        my_url=external_url("registration.mine"), **extra,
    )
    subject = f"{SUBJECTS[kind]}: {session.title}"
    if len(subject) > 300:
        subject = subject[:297] + "…"
    queue_email(user.email, subject, render_template("mail/registration.txt", **context),
                html=render_template("mail/registration.html", **context),
                attachments=[attachment or _ics_attachment(session)] if kind in WITH_ICS else [])


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

    attachment = _ics_attachment(session) if registrations else None  # the same file for everyone
    positions = waitlist_positions(registrations)  # one query for the whole list
    for reg in registrations:
        reg.waitlist_position = positions.get(reg.id)
        send(reg, f"session_{kind}", attachment)
