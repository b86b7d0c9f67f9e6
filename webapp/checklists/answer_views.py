"""«Мои чек-листы» and answering one: the draft saved while typing, the submission once."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from webapp.checklists import answering
from webapp.checklists.models import ChecklistAssignment, ChecklistDraft, ChecklistInvitation
from webapp.checklists.routes import bp
from webapp.dbtypes import utcnow
from webapp.extensions import db
from webapp.htmx import is_fragment_request, render
from webapp.timefmt import format_dt
from webapp.ui import Page, parse_page

ANSWERED_PER_PAGE = 20


@bp.get("/my/checklists")
@login_required
def mine():
    """What waits for her answer (made due just now if the nightly job has not run yet), and
    what she has answered."""
    if answering.sync_invitations(user=current_user):
        db.session.commit()
    waiting = answering.waiting_for(current_user)
    drafts = set(db.session.scalars(sa.select(ChecklistDraft.invitation_id).where(
        ChecklistDraft.invitation_id.in_([i.id for i in waiting] or [0]))))
    answered_stmt = (sa.select(ChecklistInvitation)
                     .where(ChecklistInvitation.user_id == current_user.id, ChecklistInvitation.answered.is_(True)))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(answered_stmt.subquery())) or 0
    number = parse_page(request.args.get("page"))
    answered = db.session.scalars(
        answered_stmt.order_by(ChecklistInvitation.opens_dt.desc(), ChecklistInvitation.id.desc())
        .limit(ANSWERED_PER_PAGE).offset((number - 1) * ANSWERED_PER_PAGE)
        .options(sa.orm.joinedload(ChecklistInvitation.assignment).joinedload(ChecklistAssignment.template),
                 sa.orm.joinedload(ChecklistInvitation.session), sa.orm.joinedload(ChecklistInvitation.subject))).all()
    page = Page(items=list(answered), page=number, per_page=ANSWERED_PER_PAGE, total=total)
    return render("checklists/mine.html", "checklists/_mine_answered.html", waiting=waiting, drafts=drafts,
                  page=page, now=utcnow())


def _own_invitation(invitation_id: int) -> ChecklistInvitation:
    """Hers or 404: whether someone else's exists is not told."""
    invitation = db.session.get(ChecklistInvitation, invitation_id)
    if invitation is None or invitation.user_id != current_user.id:
        abort(404)
    return invitation


def _page(invitation: ChecklistInvitation, answers: dict | None = None, errors: dict | None = None,
          status: int = 200, notice: str = ""):
    draft, version = answering.draft_and_version(invitation)
    if answers is None:
        answers = draft.answers if draft else {}
    return render("checklists/answer.html", "checklists/answer.html", status=status, invitation=invitation,
                  assignment=invitation.assignment, template=invitation.assignment.template, version=version,
                  items=version.items, answers=answers, errors=errors or {}, notice=notice,
                  is_open=answering.is_open(invitation), now=utcnow())


@bp.get("/my/checklists/<int:invitation_id>")
@login_required
def answer(invitation_id: int):
    return _page(_own_invitation(invitation_id))


def _posted_version() -> int | None:
    value = request.form.get("version_id", "")
    return int(value) if value.isdigit() else None


@bp.post("/my/checklists/<int:invitation_id>/draft")
@login_required
def save_draft(invitation_id: int):
    """Autosave (htmx, on every change) and the «Сохранить черновик» button (plain post)."""
    invitation = _own_invitation(invitation_id)
    try:
        draft = answering.save_draft(invitation.id, current_user, request.form, _posted_version())
        db.session.commit()
    except answering.AnswerError as error:
        db.session.rollback()
        if is_fragment_request():
            return render("checklists/_draft_status.html", "checklists/_draft_status.html", status=error.status,
                          error=error.message)
        flash(error.message, "error")
        return redirect(url_for("checklists.answer", invitation_id=invitation_id), code=303)
    saved = format_dt(draft.updated_dt, "Europe/Moscow", with_zone=False)
    if is_fragment_request():
        return render("checklists/_draft_status.html", "checklists/_draft_status.html", saved=saved)
    flash(f"Черновик сохранён ({saved}). Вернуться к ответам можно до закрытия чек-листа.", "success")
    return redirect(url_for("checklists.answer", invitation_id=invitation_id), code=303)


@bp.post("/my/checklists/<int:invitation_id>")
@login_required
def submit(invitation_id: int):
    """Send the answers, once. Errors: 422 with each item named; what she typed stays on the page
    and in the draft."""
    invitation = _own_invitation(invitation_id)
    version_id = _posted_version()
    try:
        answering.submit(invitation.id, current_user, request.form, version_id)
        db.session.commit()
    except answering.AnswerError as error:
        db.session.rollback()
        if error.status != 422:
            return _page(db.session.get(ChecklistInvitation, invitation_id), status=error.status, notice=error.message)
        try:  # keep what she typed
            answering.save_draft(invitation_id, current_user, request.form, version_id)
            db.session.commit()
        except answering.AnswerError:
            db.session.rollback()
        invitation = db.session.get(ChecklistInvitation, invitation_id)
        _, version = answering.draft_and_version(invitation)
        return _page(invitation, answers=answering.parse_form(version.items, request.form), errors=error.errors,
                     status=422)
    flash("Спасибо! Ответы отправлены.", "success")
    return redirect(url_for("checklists.mine"), code=303)
