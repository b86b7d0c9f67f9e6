"""E-mails about check-lists: «a check-list is open for you» and «it closes soon».

`flask checklists remind` (run it daily from cron) first makes the invitations that came due,
then tells each person once about what opened and reminds once before it closes. Idempotent:
each invitation records when it was announced and when reminded; run twice, send once. One
e-mail per person per run, listing everything new for her.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from webapp.checklists.answering import sync_invitations
from webapp.checklists.models import ChecklistAssignment, ChecklistInvitation
from webapp.dbtypes import utcnow
from webapp.extensions import db
from webapp.mail.services import external_url, queue_email
from webapp.timefmt import format_dt

#: remind this long before a check-list closes
REMIND_BEFORE = timedelta(days=3)


def _line(invitation: ChecklistInvitation) -> str:
    about = ""
    if invitation.session is not None:
        about = f" — {invitation.session.title}"
    if invitation.subject is not None:
        about += f" (оценка педагога: {invitation.subject.full_name})"
    return (f"• {invitation.assignment.template.title}{about}\n"
            f"  ответить до {format_dt(invitation.closes_dt, 'Europe/Moscow')}: "
            f"{external_url('checklists.answer', invitation_id=invitation.id)}")


def _open_unanswered(now: datetime):
    return (sa.select(ChecklistInvitation)
            .join(ChecklistAssignment, ChecklistInvitation.assignment_id == ChecklistAssignment.id)
            .where(ChecklistInvitation.answered.is_(False), ChecklistInvitation.opens_dt <= now,
                   ChecklistInvitation.closes_dt > now, ChecklistAssignment.cancelled_dt.is_(None))
            .order_by(ChecklistInvitation.user_id, ChecklistInvitation.closes_dt, ChecklistInvitation.id)
            .options(sa.orm.joinedload(ChecklistInvitation.assignment).joinedload(ChecklistAssignment.template),
                     sa.orm.joinedload(ChecklistInvitation.session), sa.orm.joinedload(ChecklistInvitation.subject),
                     sa.orm.joinedload(ChecklistInvitation.user)))


def _group(invitations) -> dict:
    people: dict = {}
    for invitation in invitations:
        people.setdefault(invitation.user, []).append(invitation)
    return people


def remind(now: datetime | None = None) -> tuple[int, int, int]:
    """(invitations made, people told of new check-lists, people reminded)."""
    now = now or utcnow()
    made = sync_invitations(now)
    fresh = db.session.scalars(_open_unanswered(now).where(ChecklistInvitation.notified_dt.is_(None))).unique().all()
    for user, invitations in _group(fresh).items():
        if user.is_active:
            queue_email(user.email, "Чек-лист обратной связи ждёт вашего ответа",
                        f"Здравствуйте, {user.first_name}{(' ' + user.middle_name) if user.middle_name else ''}!\n\n"
                        "Просим ответить на вопросы чек-листа — это займёт несколько минут и поможет сделать "
                        "следующие мероприятия полезнее:\n\n" + "\n\n".join(_line(i) for i in invitations) +
                        f"\n\nВсе ваши чек-листы: {external_url('checklists.mine')}\n\n—\nСеть стажировочных площадок. "
                        "Письмо отправлено автоматически.")
        for invitation in invitations:
            invitation.notified_dt = now
    closing = db.session.scalars(_open_unanswered(now).where(
        ChecklistInvitation.reminded_dt.is_(None), ChecklistInvitation.closes_dt <= now + REMIND_BEFORE,
        # just announced: no reminder in the same run
        ChecklistInvitation.notified_dt < now)).unique().all()
    for user, invitations in _group(closing).items():
        if user.is_active:
            queue_email(user.email, "Напоминание: скоро закроется чек-лист",
                        f"Здравствуйте, {user.first_name}{(' ' + user.middle_name) if user.middle_name else ''}!\n\n"
                        "Напоминаем: срок ответа на чек-лист скоро истекает.\n\n" +
                        "\n\n".join(_line(i) for i in invitations) +
                        "\n\nЕсли вы уже начали отвечать, черновик сохранён.\n\n—\nСеть стажировочных площадок. "
                        "Письмо отправлено автоматически.")
        for invitation in invitations:
            invitation.reminded_dt = now
    db.session.flush()
    return made, len(_group(fresh)), len(_group(closing))
