"""Registering, cancelling, «Мои мероприятия», team nomination and the coordinator's page.

The roster (staff's list of registrants, approvals, exports) lives in roster.py on the same
blueprint.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts import auth
from webapp.accounts.models import Role, User
from webapp.dbtypes import matches_words, utcnow
from webapp.extensions import db, savepoint
from webapp.htmx import is_fragment_request, render
from webapp.orgs.models import Organization
from webapp.registration import services
from webapp.registration.models import ACTIVE_STATUSES, Registration, RegStatus
from webapp.sessions.models import ApprovalMode, EventSession
from webapp.sessions.services import load_visible_session
from webapp.ui import Page, parse_id, parse_page
from webapp.ui import safe_next as _safe_next

bp = Blueprint("registration", __name__)

MY_PER_PAGE = 20
PEOPLE_PER_PAGE = 50


def _user() -> User | None:
    return current_user if current_user.is_authenticated else None


def load_session(session_id: int) -> EventSession:
    """The session with what the registration panel reads, or 404 (drafts too, for the public)."""
    return load_visible_session(session_id, selectinload(EventSession.audiences),
                                selectinload(EventSession.allowed_municipalities))


def load_registration(reg_id: int) -> Registration:
    reg = db.session.get(Registration, reg_id)
    if reg is None:
        abort(404)
    return reg


def _panel_response(session: EventSession, status: int = 200, message: str = "", error: str = "",
                    reg: Registration | None = None):
    panel = services.panel_for(session, _user(), message=message, error=error, reg=reg)
    response = render("registration/panel_page.html", "registration/_panel.html", status=status, panel=panel,
                      s=session, is_staff=services.is_staff(_user(), session),
                      is_coordinator=auth.is_coordinator(_user()))
    if status < 400:
        response.headers["HX-Trigger"] = "registration-changed"
    return response


# -- the registration panel on a session page ------------------------------------------------

@bp.get("/sessions/<int:session_id>/registration")
def panel(session_id: int):
    """The panel alone (htmx refreshes it); a plain visit goes to the session page."""
    session = load_session(session_id)
    if not is_fragment_request():
        return redirect(url_for("sessions.detail", session_id=session.id))
    return _panel_response(session)


@bp.post("/sessions/<int:session_id>/register")
@login_required
def register(session_id: int):
    """Register oneself. The hot path of a registration rush: the service holds the session's lock
    for a few plain statements, and the answer is built after the commit, once the lock is free."""
    user = _user()
    try:
        reg = services.register(session_id, user, user)
        message = _registered_message(reg)
        db.session.commit()
    except services.RegistrationError as error:
        db.session.rollback()
        if error.status == 404:
            abort(404)
        return _refused(session_id, error.message, error.status)
    except IntegrityError:
        # a double click that slipped past the lock (it cannot under it; kept as a net)
        db.session.rollback()
        return _refused(session_id, "Вы уже зарегистрированы.", 409)
    if getattr(request, "htmx", None):
        return _panel_response(load_session(session_id), message=message,
                               reg=services.registration_of(session_id, user))
    flash(message, "success")
    return redirect(url_for("sessions.detail", session_id=session_id), code=303)


def _registered_message(reg: Registration) -> str:
    if reg.status == RegStatus.CONFIRMED:
        return "Вы зарегистрированы. Подтверждение и файл для календаря отправлены на почту."
    if reg.status == RegStatus.PENDING:
        return "Заявка подана и ждёт подтверждения. Место за вами закреплено."
    return f"Свободных мест нет: вы {reg.waitlist_position}-й в листе ожидания." + (
        f" {reg.reason}" if reg.reason else "")


def _refused(session_id: int, message: str, status: int):
    if not getattr(request, "htmx", None):
        flash(message, "error")
        return redirect(url_for("sessions.detail", session_id=session_id), code=303)
    return _panel_response(load_session(session_id), status=status, error=message)


@bp.post("/registrations/<int:reg_id>/cancel")
@login_required
def cancel(reg_id: int):
    """Cancel a registration: the participant herself (until the deadline), staff, her coordinator."""
    reg = load_registration(reg_id)
    user = _user()
    own = reg.user_id == user.id
    if not own and not (services.is_staff(user, reg.session) or auth.coordinator_of(user, reg.organization_id)):
        abort(403)
    session_id = reg.session_id
    back = request.form.get("next") or ""
    try:
        services.cancel(reg.id, user, request.form.get("reason", "")[:services.MAX_REASON])
        db.session.commit()
    except services.RegistrationError as error:
        db.session.rollback()
        if request.form.get("from") == "panel" and getattr(request, "htmx", None):
            return _panel_response(load_session(session_id), status=error.status, error=error.message)
        if getattr(request, "htmx", None) and request.form.get("from") == "mine":
            return _mine_response(status=error.status, error=error.message)
        flash(error.message, "error")
        return redirect(_safe_next(back) or url_for("sessions.detail", session_id=session_id), code=303)
    message = "Регистрация отменена." if own else "Регистрация участника отменена, он получит письмо."
    if getattr(request, "htmx", None):
        if request.form.get("from") == "panel":
            return _panel_response(load_session(session_id), message=message)
        if request.form.get("from") == "mine":
            return _mine_response(message=message)
    flash(message, "success")
    return redirect(_safe_next(back) or url_for("sessions.detail", session_id=session_id), code=303)


# -- «Мои мероприятия» -----------------------------------------------------------------------

def _mine_response(status: int = 200, message: str = "", error: str = ""):
    user = _user()
    past = request.values.get("tab") == "past"
    page_no = parse_page(request.values.get("page"))
    now = utcnow()
    stmt = (sa.select(Registration).join(EventSession, Registration.session_id == EventSession.id)
            .where(Registration.user_id == user.id))
    if past:
        stmt = stmt.where(EventSession.end_dt <= now).order_by(EventSession.start_dt.desc())
    else:
        stmt = stmt.where(EventSession.end_dt > now).order_by(EventSession.start_dt)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.scalars(
        stmt.options(joinedload(Registration.session).joinedload(EventSession.site),
                     joinedload(Registration.nominated_by))
        .limit(MY_PER_PAGE).offset((page_no - 1) * MY_PER_PAGE)).all()
    page = Page(items=list(rows), page=page_no, per_page=MY_PER_PAGE, total=total)
    positions = services.waitlist_positions(page.items)
    cancellable = {r.id for r in page.items if services.can_cancel(r, user, now)}
    attendance, certificates = _my_attendance(user, page.items) if past else ({}, {})
    return render("registration/mine.html", "registration/_mine.html", status=status, page=page, past=past,
                  positions=positions, cancellable=cancellable, message=message, error=error,
                  attendance=attendance, certificates=certificates, now=now)


def _my_attendance(user: User, registrations: list[Registration]) -> tuple[dict, dict]:
    """Past tab: her marks by session id, and certificate numbers by session id (two queries)."""
    from webapp.attendance import certificates
    from webapp.attendance.models import Attendance

    session_ids = [r.session_id for r in registrations]
    if not session_ids:
        return {}, {}
    marks = {a.session_id: a for a in db.session.scalars(sa.select(Attendance).where(
        Attendance.user_id == user.id, Attendance.session_id.in_(session_ids)))}
    numbers = certificates.numbers_for(a.id for a in marks.values())
    return marks, {a.session_id: numbers[a.id] for a in marks.values() if a.id in numbers}


@bp.get("/my/registrations")
@login_required
def mine():
    return _mine_response()


# -- team nomination (school coordinator) ----------------------------------------------------

def _coordinator_orgs(user: User) -> list[Organization]:
    ids = user.scope_ids(Role.COORDINATOR)
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Organization).where(Organization.id.in_(ids)).order_by(Organization.name)))


def _pick_org(user: User) -> Organization:
    orgs = _coordinator_orgs(user)
    if not orgs:
        abort(403)
    wanted = parse_id(request.values.get("org"))
    for org in orgs:
        if org.id == wanted:
            return org
    return orgs[0]


@bp.route("/sessions/<int:session_id>/nominate", methods=["GET", "POST"])
@login_required
def nominate(session_id: int):
    """A coordinator registers colleagues of her school together (a management team as a team)."""
    session = load_session(session_id)
    user = _user()
    org = _pick_org(user)
    results: list[tuple[User, str, bool]] = []
    status = 200
    if request.method == "POST":
        ids = {parse_id(v) for v in request.form.getlist("user_ids")} - {None}
        people = list(db.session.scalars(sa.select(User).where(
            User.id.in_(ids), User.organization_id == org.id, User.is_active))) if ids else []
        if not ids:
            results.append((None, "Отметьте хотя бы одного коллегу.", False))
            status = 422
        elif len(people) != len(ids):
            abort(403)  # someone outside her school
        for person in sorted(people, key=lambda p: p.full_name):
            try:
                with savepoint():
                    reg = services.register(session.id, person, user, nominated=True)
                results.append((person, reg.status.label, True))
            except services.RegistrationError as error:
                results.append((person, error.message, False))
        db.session.commit()
        if not getattr(request, "htmx", None) and status == 200:
            done = sum(1 for _, _, ok in results if ok)
            flash(f"Выдвинуто: {done} из {len(results)}. Каждый получит письмо и сможет отказаться.", "success")
            for person, text, ok in results:
                if not ok:
                    flash(f"{person.full_name}: {text}", "error")
            return redirect(url_for("registration.nominate", session_id=session.id, org=org.id), code=303)
    q = (request.args.get("q") or "").strip()[:100]
    # ticks survive a search: the search sends them along and they come back ticked (or hidden)
    checked = {parse_id(v) for v in request.values.getlist("user_ids")} - {None}
    people_stmt = sa.select(User).where(User.organization_id == org.id, User.is_active, User.id != user.id)
    if q:
        people_stmt = people_stmt.where(matches_words(User.search_text, q))
    people = list(db.session.scalars(people_stmt.order_by(User.last_name, User.first_name).limit(200)))
    hidden_checked = sorted(checked - {p.id for p in people})
    regs = {r.user_id: r for r in db.session.scalars(sa.select(Registration).where(
        Registration.session_id == session.id, Registration.user_id.in_([p.id for p in people])))}
    return render("registration/nominate.html", "registration/_nominate_people.html", status=status, s=session,
                  org=org, orgs=_coordinator_orgs(user), people=people, regs=regs, q=q, results=results,
                  checked=checked if status != 200 or request.method == "GET" else set(),
                  hidden_checked=hidden_checked if request.method == "GET" else [])


# -- the school coordinator's page -----------------------------------------------------------

@bp.get("/school")
@login_required
def school():
    """Her school's people and their registrations; applications awaiting her approval first."""
    user = _user()
    org = _pick_org(user)
    now = utcnow()
    awaiting = list(db.session.scalars(
        sa.select(Registration).join(EventSession, Registration.session_id == EventSession.id).where(
            Registration.organization_id == org.id, Registration.status == RegStatus.PENDING,
            Registration.coordinator_approved_dt.is_(None), Registration.user_id != user.id,
            EventSession.end_dt > now,
            EventSession.approval.in_([mode for mode in ApprovalMode if mode.needs_coordinator]))
        .options(joinedload(Registration.user), joinedload(Registration.session))
        .order_by(EventSession.start_dt).limit(200)))
    page_no = parse_page(request.args.get("page"))
    q = (request.args.get("q") or "").strip()[:100]
    people_stmt = sa.select(User).where(User.organization_id == org.id)
    if q:
        people_stmt = people_stmt.where(matches_words(User.search_text, q))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(people_stmt.subquery()))
    people = list(db.session.scalars(people_stmt.order_by(User.last_name, User.first_name)
                                     .limit(PEOPLE_PER_PAGE).offset((page_no - 1) * PEOPLE_PER_PAGE)))
    regs_by_user: dict[int, list[Registration]] = {}
    if people:
        for reg in db.session.scalars(
                sa.select(Registration).join(EventSession, Registration.session_id == EventSession.id).where(
                    Registration.user_id.in_([p.id for p in people]), Registration.status.in_(ACTIVE_STATUSES),
                    EventSession.end_dt > now)
                .options(joinedload(Registration.session)).order_by(EventSession.start_dt)):
            regs_by_user.setdefault(reg.user_id, []).append(reg)
    page = Page(items=people, page=page_no, per_page=PEOPLE_PER_PAGE, total=total)
    return render("registration/school.html", "registration/_school_people.html", org=org,
                  orgs=_coordinator_orgs(user), awaiting=awaiting, page=page, regs_by_user=regs_by_user, q=q)


from webapp.registration import roster  # noqa: E402,F401  (its routes join this blueprint)
