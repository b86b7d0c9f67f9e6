"""Attendance pages: the marking roster for a session and the leader's list of sessions to mark.

QR self check-in (checkin.py), the growth record (growth.py), exports (exports.py), the sign-in
sheet and certificates (documents.py) add their routes to the same blueprint.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from webapp.accounts import auth
from webapp.accounts.models import User
from webapp.attendance import services
from webapp.extensions import db
from webapp.plan.models import PlanItem
from webapp.sessions.models import EventSession

bp = Blueprint("attendance", __name__)


def _user() -> User | None:
    return current_user if current_user.is_authenticated else None


def load_session(session_id: int) -> EventSession:
    """The session with its plan and site, or 404 (drafts too, for those who cannot manage it)."""
    session = db.session.scalars(
        sa.select(EventSession).where(EventSession.id == session_id)
        .options(joinedload(EventSession.plan_item).joinedload(PlanItem.plan), joinedload(EventSession.site))
    ).one_or_none()
    if session is None:
        abort(404)
    if session.is_draft and not auth.can_manage_session(_user(), session):
        abort(404)
    return session


def load_staff_session(session_id: int) -> EventSession:
    """For staff pages: 404 for an unknown session, 403 for someone who may not mark it."""
    session = load_session(session_id)
    auth.require(services.can_mark(_user(), session))
    return session


# the other pages of the blueprint register their routes on import
from webapp.attendance import checkin, documents, exports, growth  # noqa: E402,F401
