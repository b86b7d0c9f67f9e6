"""Attendance pages: the marking roster for a session and the leader's list of sessions to mark.

QR self check-in (checkin.py), the growth record (growth.py), exports (exports.py), the sign-in
sheet and certificates (documents.py) add their routes to the same blueprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import (Blueprint, flash, get_flashed_messages, make_response, redirect, render_template,
                   request, url_for)
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from webapp.accounts import auth
from webapp.accounts.models import User
from webapp.attendance import services
from webapp.attendance.forms import WalkInForm
from webapp.attendance.models import Attendance, AttendanceChange, AttendanceStatus
from webapp.dbtypes import matches_words, utcnow
from webapp.extensions import db
from webapp.htmx import is_fragment_request, render
from webapp.orgs.services import picker_context
from webapp.plan.models import Plan, PlanItem
from webapp.sessions.models import EventSession, SessionStatus
from webapp.sessions.services import load_visible_session
from webapp.ui import Page, parse_id, parse_page, plural

PER_PAGE = 100
SESSIONS_PER_PAGE = 20
PEOPLE_LIMIT = 10
MAX_QUERY = 100
HISTORY_LIMIT = 30

bp = Blueprint("attendance", __name__)


def _user() -> User | None:
    return current_user if current_user.is_authenticated else None


def load_session(session_id: int) -> EventSession:
    """The session with its plan and site, or 404 (drafts too, for those who cannot manage it)."""
    return load_visible_session(session_id, joinedload(EventSession.site))


def load_staff_session(session_id: int) -> EventSession:
    """For staff pages: 404 for an unknown session, 403 for someone who may not mark it."""
    session = load_session(session_id)
    auth.require(services.can_mark(_user(), session))
    return session



# -- the leader's list of sessions to mark ---------------------------------------------------

WHEN = {"current": "Сегодня", "past": "Прошедшие", "upcoming": "Предстоящие"}


def _managed_sessions(user: User) -> sa.Select:
    """Sessions of published plans (or of no plan) the user may mark, not cancelled."""
    return (sa.select(EventSession)
            .outerjoin(PlanItem, EventSession.plan_item_id == PlanItem.id)
            .outerjoin(Plan, PlanItem.plan_id == Plan.id)
            .where(EventSession.status == SessionStatus.SCHEDULED,
                   sa.or_(Plan.id.is_(None), Plan.status == "published"), services.managed_sessions(user)))


def _roster_sizes(session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """session id → (marked, on the roster), two queries for a whole page of sessions."""
    if not session_ids:
        return {}
    roster = services.roster_members(session_ids)
    totals = dict(db.session.execute(sa.select(roster.c.session_id, sa.func.count())
                                     .group_by(roster.c.session_id)).all())
    marked = dict(db.session.execute(sa.select(Attendance.session_id, sa.func.count())
                                     .where(Attendance.session_id.in_(session_ids))
                                     .group_by(Attendance.session_id)).all())
    return {i: (marked.get(i, 0), totals.get(i, 0)) for i in session_ids}


@bp.get("/attendance")
@login_required
def index():
    """Sessions to mark: today's first; past ones (to finish or close) and upcoming ones on tabs."""
    user = _user()
    auth.require(auth.can_create_sessions(user))
    when = request.args.get("when") if request.args.get("when") in WHEN else "current"
    page_no = parse_page(request.args.get("page"))
    now = utcnow()
    stmt = _managed_sessions(user)
    if when == "current":
        stmt = stmt.where(EventSession.end_dt >= now - timedelta(hours=12),
                          EventSession.start_dt <= now + timedelta(hours=36)).order_by(EventSession.start_dt)
    elif when == "past":
        stmt = stmt.where(EventSession.end_dt < now).order_by(EventSession.start_dt.desc())
    else:
        stmt = stmt.where(EventSession.start_dt > now).order_by(EventSession.start_dt)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    sessions = list(db.session.scalars(
        stmt.options(joinedload(EventSession.site)).order_by(EventSession.id)
        .limit(SESSIONS_PER_PAGE).offset((page_no - 1) * SESSIONS_PER_PAGE)))
    return render("attendance/index.html", "attendance/_index.html", when=when, whens=WHEN, now=now,
                  page=Page(items=sessions, page=page_no, per_page=SESSIONS_PER_PAGE, total=total),
                  sizes=_roster_sizes([s.id for s in sessions]))


# -- the marking roster ----------------------------------------------------------------------

@dataclass(frozen=True)
class MarkFilters:
    q: str = ""
    unmarked: bool = False
    page: int = 1

    @classmethod
    def from_values(cls, values) -> MarkFilters:
        return cls(q=(values.get("q") or "").strip()[:MAX_QUERY], unmarked=values.get("show") == "unmarked",
                   page=parse_page(values.get("page")))

    def args(self, **changes) -> dict:
        values = {"q": self.q, "show": "unmarked" if self.unmarked else None,
                  "page": self.page if self.page > 1 else None}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}


def _rows(session: EventSession, f: MarkFilters) -> Page:
    stmt = services.roster_query(session.id)
    if f.q:
        stmt = stmt.where(matches_words(User.search_text, f.q))
    if f.unmarked:
        stmt = stmt.where(Attendance.id.is_(None))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = [services.RosterRow(u, a) for u, a in db.session.execute(
        stmt.limit(PER_PAGE).offset((f.page - 1) * PER_PAGE)).all()]
    return Page(items=rows, page=f.page, per_page=PER_PAGE, total=total)


def _state(session: EventSession, now=None) -> dict:
    """What the counts block shows: the counts, and which bulk actions are open to this person."""
    now = now or utcnow()
    return dict(counts=services.roster_counts(session.id), statuses=list(AttendanceStatus),
                refusal=services.marking_refusal(session, _user(), now),
                can_close=session.roster_closed_dt is None and now >= session.start_dt,
                deadline=services.edit_deadline(session))


def _roster_context(session: EventSession, f: MarkFilters, *, message: str = "", error: str = "",
                    walk_in: WalkInForm | None = None, candidates: list | None = None, people_q: str = "") -> dict:
    now = utcnow()
    walk_in = walk_in or WalkInForm(formdata=None)
    history = list(db.session.scalars(
        sa.select(AttendanceChange).join(Attendance, Attendance.id == AttendanceChange.attendance_id)
        .where(Attendance.session_id == session.id)
        .options(joinedload(AttendanceChange.actor),
                 joinedload(AttendanceChange.attendance).joinedload(Attendance.user))
        .order_by(AttendanceChange.created_dt.desc(), AttendanceChange.id.desc()).limit(HISTORY_LIMIT)))
    flashed = get_flashed_messages(with_categories=True) if is_fragment_request() else []
    return dict(s=session, f=f, page=_rows(session, f), history=history, message=message, error=error,
                **_state(session, now),
                flashed=flashed, candidates=candidates, people_q=people_q, walk_in=walk_in,
                walk_in_open=bool(walk_in and (walk_in.errors or walk_in.last_name.data)),
                picker=picker_context(walk_in))


def _roster_response(session: EventSession, f: MarkFilters, status: int = 200, **extra):
    response = render("attendance/roster.html", "attendance/_roster.html", status=status,
                      **_roster_context(session, f, **extra))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/sessions/<int:session_id>/attendance")
@login_required
def roster(session_id: int):
    """The marking roster: every confirmed registrant and walk-in with a one-tap mark."""
    session = load_staff_session(session_id)
    return _roster_response(session, MarkFilters.from_values(request.args))


def _fragment(template: str, status: int = 200, **context):
    """A fragment only htmx asks for (plain forms of these routes are redirected before)."""
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    response.headers["Cache-Control"] = "no-store"
    return response


def _row_response(session: EventSession, user_id: int, status: int = 200, error: str = ""):
    """The row as it now is, with the counts swapped out of band; only the message when the
    person is not (or no longer) on the roster."""
    row = services.roster_row(session.id, user_id)
    if row is None:
        return _fragment("attendance/_row_missing.html", 404 if status < 400 else status, s=session,
                         user_id=user_id, error=error or "Этого человека нет в списке участников мероприятия.")
    return _fragment("attendance/_row.html", status, s=session, row=row, error=error, oob=True,
                     f=MarkFilters.from_values(request.form), **_state(session))


@bp.post("/sessions/<int:session_id>/attendance/<int:user_id>")
@login_required
def mark(session_id: int, user_id: int):
    """One mark (and remark). htmx gets the row back with the count; a plain form the roster."""
    session = load_staff_session(session_id)
    raw_status = request.form.get("status")
    status = AttendanceStatus.parse(raw_status)
    remark = request.form.get("remark")
    error, code = "", 200
    if raw_status and status is None:
        error, code = "Такой отметки нет: выберите «присутствовал», «опоздал», «отсутствовал» " \
                      "или «уважительная причина».", 422
    elif status is None:
        current = db.session.scalar(sa.select(Attendance.status).where(Attendance.session_id == session.id,
                                                                       Attendance.user_id == user_id))
        if current is None:
            error, code = "Сначала выберите отметку, потом примечание.", 422
        status = current
    if not error:
        try:
            services.mark(session.id, user_id, status, _user(), remark=remark)
            db.session.commit()
        except services.AttendanceError as e:
            db.session.rollback()
            error, code = e.message, e.status
    if not is_fragment_request():
        if error:
            flash(error, "error")
        return redirect(url_for("attendance.roster", session_id=session_id,
                                **MarkFilters.from_values(request.form).args(), _anchor=f"att-{user_id}"), code=303)
    return _row_response(session, user_id, code, error)


def _bulk_answer(session: EventSession, *, message: str = "", error: str = "", status: int = 200):
    f = MarkFilters.from_values(request.form)
    if is_fragment_request():
        return _roster_response(session, f, status=status, message=message, error=error)
    if message:
        flash(message, "success")
    if error:
        flash(error, "error")
    return redirect(url_for("attendance.roster", session_id=session.id, **f.args()), code=303)


def _people_word(n: int) -> str:
    return plural(n, "человек", "человека", "человек")


def _bulk(session_id: int, action, message_for):
    """Run a whole-roster action (its count of people marked → the message) in one request."""
    session = load_staff_session(session_id)
    try:
        n = action(session.id, _user())
        db.session.commit()
    except services.AttendanceError as e:
        db.session.rollback()
        return _bulk_answer(session, error=e.message, status=e.status)
    return _bulk_answer(session, message=message_for(n))


@bp.post("/sessions/<int:session_id>/attendance/mark-all")
@login_required
def mark_all(session_id: int):
    return _bulk(session_id, services.mark_all_present, lambda n: (
        f"Отмечены присутствующими: {n} {_people_word(n)}." if n else "Неотмеченных не осталось."))


@bp.post("/sessions/<int:session_id>/attendance/close")
@login_required
def close(session_id: int):
    days = services.setting("ATTENDANCE_EDIT_DAYS")
    return _bulk(session_id, services.close_roster, lambda n: (
        f"Список закрыт. Отсутствующими отмечены: {n} {_people_word(n)}. "
        f"Отметки можно исправить в течение {days} дн."))


# -- walk-ins --------------------------------------------------------------------------------

def _candidates(q: str) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.is_active, matches_words(User.search_text, q))
        .options(joinedload(User.organization)).order_by(User.last_name, User.first_name, User.id)
        .limit(PEOPLE_LIMIT)))


@bp.get("/sessions/<int:session_id>/attendance/people")
@login_required
def people(session_id: int):
    """People matching a search, to add as walk-ins (at least 3 characters; ten at most)."""
    session = load_staff_session(session_id)
    q = (request.args.get("people_q") or "").strip()[:MAX_QUERY]
    candidates = _candidates(q) if len(q) >= 3 else []
    on_roster = set()
    if candidates:
        on_roster = set(db.session.scalars(sa.select(Attendance.user_id).where(
            Attendance.session_id == session.id, Attendance.user_id.in_([u.id for u in candidates]))))
    if not is_fragment_request():
        return _roster_response(session, MarkFilters.from_values(request.args), candidates=candidates,
                                people_q=q)
    return _fragment("attendance/_people.html", s=session, candidates=candidates, people_q=q,
                     on_roster=on_roster, f=MarkFilters.from_values(request.args))


@bp.post("/sessions/<int:session_id>/attendance/walk-in")
@login_required
def walk_in(session_id: int):
    """Add someone who came without registering: an existing person, or a new one by e-mail."""
    session = load_staff_session(session_id)
    f = MarkFilters.from_values(request.form)
    form = WalkInForm()
    person = user_id = None
    if request.form.get("user_id"):
        user_id = parse_id(request.form["user_id"])
        if user_id is None:
            return _bulk_answer(session, error="Такого человека нет.", status=404)
    elif not form.validate():
        if is_fragment_request():
            return _roster_response(session, f, status=422, walk_in=form, error="Проверьте данные пришедшего.")
        for errors in form.errors.values():
            for text in errors:
                flash(text, "error")
        return redirect(url_for("attendance.roster", session_id=session.id, **f.args()), code=303)
    else:
        person = services.NewPerson(form.last_name.data, form.first_name.data, form.middle_name.data or "",
                                    form.email.data, form.organization, form.position.data or "")
    try:
        att, created = services.add_walk_in(session.id, _user(), user_id=user_id, person=person)
        name = att.user.short_name
        db.session.commit()
    except services.AttendanceError as e:
        db.session.rollback()
        if is_fragment_request():
            return _roster_response(session, f, status=e.status, error=e.message, walk_in=form)
        return _bulk_answer(session, error=e.message, status=e.status)
    message = f"{name} добавлен(а) и отмечен(а) присутствующим." + (
        " Заведена учётная запись без пароля: войти можно через «Забыли пароль?» с этой почтой." if created else
        "")
    return _bulk_answer(session, message=message)


# the other pages of the blueprint register their routes on import
from webapp.attendance import checkin, documents, exports, growth  # noqa: E402,F401
