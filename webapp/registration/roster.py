"""The roster of a session: staff's list of registrants, approvals, the waiting list, exports.

Staff of the session (its site's leaders, the methodist of its municipality, admins) see everyone
who registered, decide on applications one by one or in bulk, take people from the waiting list
out of turn, add people and export the list. Approve and reject also serve the school coordinator
(her page /school posts plain forms here); the services decide what each person may do.

The page and every action answer with the same fragment (`#roster`), re-rendered with the filters
the action's form carried, so a decision never loses the list the person was looking at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, flash, get_flashed_messages, redirect, request, url_for
from flask_login import login_required
from sqlalchemy.orm import contains_eager, joinedload

from webapp import spreadsheets
from webapp.accounts import auth
from webapp.accounts.models import User
from webapp.dbtypes import matches_words
from webapp.extensions import db, savepoint
from webapp.htmx import is_fragment_request, render
from webapp.orgs.models import Organization
from webapp.registration import services
from webapp.registration.models import Registration, RegistrationChange, RegStatus
from webapp.registration.routes import _safe_next, _user, bp, load_registration, load_session
from webapp.sessions.models import EventSession
from webapp.timefmt import local
from webapp.ui import Page, parse_id, parse_page

PER_PAGE = 50
PEOPLE_LIMIT = 10
MAX_QUERY = 100

#: the roster's order: decisions to take first, then the seats, the queue, and the rest
STATUS_ORDER = (RegStatus.PENDING, RegStatus.CONFIRMED, RegStatus.WAITLISTED, RegStatus.REJECTED,
                RegStatus.CANCELLED)
#: rows that can be ticked for a bulk decision
DECIDABLE = (RegStatus.PENDING, RegStatus.WAITLISTED)


@dataclass(frozen=True)
class RosterFilters:
    """What the roster shows; malformed values are dropped, never an error."""

    status: RegStatus | None = None
    org: int | None = None
    q: str = ""
    page: int = 1

    @classmethod
    def from_values(cls, values) -> RosterFilters:
        return cls(status=RegStatus.parse(values.get("status")), org=parse_id(values.get("org")),
                   q=(values.get("q") or "").strip()[:MAX_QUERY], page=parse_page(values.get("page")))

    @property
    def is_filtered(self) -> bool:
        return bool(self.status or self.org or self.q)

    def args(self, **changes) -> dict[str, str | int]:
        """Query arguments for url_for and hidden inputs; empty ones left out."""
        values = {"status": self.status.value if self.status else None, "org": self.org, "q": self.q,
                  "page": self.page if self.page > 1 else None}
        values.update(changes)
        return {name: value for name, value in values.items() if value not in (None, "")}


# -- reading ---------------------------------------------------------------------------------

def _matching(session_id: int, f: RosterFilters) -> sa.Select:
    stmt = (sa.select(Registration).join(Registration.user)
            .where(Registration.session_id == session_id))
    if f.status is not None:
        stmt = stmt.where(Registration.status == f.status)
    if f.org is not None:
        stmt = stmt.where(Registration.organization_id == f.org)
    if f.q:
        stmt = stmt.where(matches_words(User.search_text, f.q))
    return stmt


def _ordered(stmt: sa.Select) -> sa.Select:
    rank = sa.case({status: n for n, status in enumerate(STATUS_ORDER)}, value=Registration.status,
                   else_=len(STATUS_ORDER))
    # Organization.municipality is joined by the organization's own mapping.
    return (stmt.options(contains_eager(Registration.user), joinedload(Registration.organization))
            .order_by(rank, Registration.queue_ticket, User.last_name, User.first_name, User.middle_name,
                      Registration.id))


def _history(reg_ids: list[int]) -> dict[int, list[RegistrationChange]]:
    """Every change of the given registrations, oldest first, in one query."""
    history: dict[int, list[RegistrationChange]] = {}
    if not reg_ids:
        return history
    for change in db.session.scalars(
            sa.select(RegistrationChange).where(RegistrationChange.registration_id.in_(reg_ids))
            .order_by(RegistrationChange.created_dt, RegistrationChange.id)):
        history.setdefault(change.registration_id, []).append(change)
    return history


def _people(ids: set[int | None]) -> dict[int, User]:
    """Nominators, approvers and history actors of a page, in one query."""
    ids = ids - {None}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}


def _roster_context(session: EventSession, f: RosterFilters, *, message: str = "", error: str = "",
                    errors: list[str] | None = None, candidates: list[User] | None = None,
                    people_q: str = "", registered: dict[int, Registration] | None = None) -> dict:
    counts = dict(db.session.execute(
        sa.select(Registration.status, sa.func.count()).where(Registration.session_id == session.id)
        .group_by(Registration.status)).all())
    orgs = db.session.execute(
        sa.select(Organization.id, Organization.name).where(Organization.id.in_(
            sa.select(Registration.organization_id).where(Registration.session_id == session.id)))
        .order_by(Organization.name)).all()
    stmt = _matching(session.id, f)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    rows = list(db.session.scalars(_ordered(stmt).limit(PER_PAGE).offset((f.page - 1) * PER_PAGE)))
    history = _history([r.id for r in rows])
    involved = {i for r in rows for i in (r.nominated_by_id, r.coordinator_approved_by_id, r.staff_approved_by_id)}
    involved |= {c.actor_id for changes in history.values() for c in changes}
    # flashes only reach the fragment after a redirect (cancel answers so); the page shows them itself
    flashed = get_flashed_messages(with_categories=True) if is_fragment_request() else []
    return dict(s=session, f=f, page=Page(items=rows, page=f.page, per_page=PER_PAGE, total=total),
                counts=counts, total_all=sum(counts.values()), statuses=list(STATUS_ORDER), orgs=orgs,
                positions=services.waitlist_positions(rows), history=history, people=_people(involved),
                bulk_ids={r.id for r in rows if r.status in DECIDABLE},
                message=message, error=error, errors=errors or [], flashed=flashed,
                candidates=candidates, people_q=people_q, registered=registered or {})


def _roster_response(session: EventSession, f: RosterFilters, status: int = 200, **extra):
    return render("registration/roster.html", "registration/_roster.html", status=status,
                  **_roster_context(session, f, **extra))


def _staff_session(session_id: int) -> EventSession:
    session = load_session(session_id)
    auth.require(services.is_staff(_user(), session))
    return session


@bp.get("/sessions/<int:session_id>/roster")
@login_required
def roster(session_id: int):
    """Everyone registered for a session, with counts, filters and inline decisions."""
    session = _staff_session(session_id)
    return _roster_response(session, RosterFilters.from_values(request.args))


# -- decisions -------------------------------------------------------------------------------

def _back_url(session_id: int) -> str:
    """Where a plain form goes after a decision: its `next`, else the roster or the coordinator's page."""
    target = _safe_next(request.form.get("next") or "")
    if target:
        return target
    user = _user()
    if services.is_staff(user, db.session.get(EventSession, session_id)):
        return url_for("registration.roster", session_id=session_id,
                       **RosterFilters.from_values(request.form).args())
    if auth.is_coordinator(user):
        return url_for("registration.school")
    return url_for("sessions.detail", session_id=session_id)


def _answer(session_id: int, *, message: str = "", error: str = "", errors: list[str] | None = None,
            status: int = 200):
    """The roster fragment for an htmx form of the roster; flash and 303 for a plain form."""
    if request.form.get("from") == "roster" and is_fragment_request():
        session = db.session.get(EventSession, session_id)
        if services.is_staff(_user(), session):
            response = _roster_response(session, RosterFilters.from_values(request.form), status=status,
                                        message=message, error=error, errors=errors)
            if status < 400:
                response.headers["HX-Trigger"] = "roster-changed"
            return response
    if message:
        flash(message, "success")
    for text in ([error] if error else []) + (errors or []):
        flash(text, "error")
    return redirect(_back_url(session_id), code=303)


def _may_decide(reg: Registration, user: User) -> bool:
    """Staff of the session and the coordinator of the participant's school (services refine)."""
    return services.is_staff(user, reg.session) or auth.coordinator_of(user, reg.organization_id)


def _decide(reg_id: int, allowed: Callable[[Registration, User], bool],
            act: Callable[[int, User], Registration], done: Callable[[Registration], str]):
    reg = load_registration(reg_id)
    user = _user()
    auth.require(allowed(reg, user))
    session_id = reg.session_id
    try:
        reg = act(reg.id, user)
        message = done(reg)
        db.session.commit()
    except services.RegistrationError as error:
        db.session.rollback()
        return _answer(session_id, error=error.message, status=error.status)
    return _answer(session_id, message=message)


def _approved_message(reg: Registration) -> str:
    if reg.status == RegStatus.CONFIRMED:
        return f"Заявка подтверждена: {reg.user.full_name}."
    return f"Подтверждение учтено: {reg.user.full_name}. Заявка ждёт второго подтверждения."


def _reason() -> str:
    return (request.form.get("reason") or "").strip()[:services.MAX_REASON]


@bp.post("/registrations/<int:reg_id>/approve")
@login_required
def approve(reg_id: int):
    return _decide(reg_id, _may_decide, services.approve, _approved_message)


@bp.post("/registrations/<int:reg_id>/reject")
@login_required
def reject(reg_id: int):
    return _decide(reg_id, _may_decide, lambda rid, user: services.reject(rid, user, _reason()),
                   lambda reg: f"Заявка отклонена: {reg.user.full_name}.")


@bp.post("/registrations/<int:reg_id>/promote")
@login_required
def promote(reg_id: int):
    """Take one person from the waiting list out of turn (only into a free seat)."""
    return _decide(reg_id, lambda reg, user: services.is_staff(user, reg.session), services.promote,
                   lambda reg: f"{reg.user.full_name}: переведён(а) из листа ожидания, "
                               f"{reg.status.label.lower()}.")


@bp.post("/sessions/<int:session_id>/roster/bulk")
@login_required
def roster_bulk(session_id: int):
    """Approve or reject the ticked applications; each on its own, so one refusal keeps the others."""
    session = _staff_session(session_id)
    user = _user()
    action = request.form.get("action")
    ids = {parse_id(v) for v in request.form.getlist("ids")} - {None}
    reason = _reason()
    problem = None
    if action not in ("approve", "reject"):
        problem = "Выберите действие: подтвердить или отклонить."
    elif not ids:
        problem = "Отметьте хотя бы одну заявку."
    elif action == "reject" and not reason:
        problem = "Укажите причину отклонения — её увидят участники."
    if problem:
        return _roster_response(session, RosterFilters.from_values(request.form), status=422, error=problem)
    chosen = db.session.execute(
        sa.select(Registration.id, User.last_name, User.first_name, User.middle_name)
        .join(Registration.user).where(Registration.id.in_(ids), Registration.session_id == session.id)
        .order_by(User.last_name, User.first_name, Registration.id)).all()
    done, errors = 0, []
    for reg_id, *name_parts in chosen:
        try:
            with savepoint():
                if action == "approve":
                    services.approve(reg_id, user)
                else:
                    services.reject(reg_id, user, reason)
            done += 1
        except services.RegistrationError as error:
            errors.append(f"{' '.join(p for p in name_parts if p)}: {error.message}")
    db.session.commit()
    message = f"{'Подтверждено' if action == 'approve' else 'Отклонено'}: {done}."
    return _answer(session.id, message=message, errors=errors)


# -- adding a person -------------------------------------------------------------------------

def _candidates(session_id: int, q: str) -> tuple[list[User], dict[int, Registration]]:
    """Active people matching the query (two letters at least) and their registrations here."""
    if len(q) < 2:
        return [], {}
    people = list(db.session.scalars(
        sa.select(User).where(User.is_active, matches_words(User.search_text, q))
        .options(joinedload(User.organization))
        .order_by(User.last_name, User.first_name, User.id).limit(PEOPLE_LIMIT)))
    registered = {}
    if people:
        registered = {r.user_id: r for r in db.session.scalars(sa.select(Registration).where(
            Registration.session_id == session_id, Registration.user_id.in_([p.id for p in people])))}
    return people, registered


@bp.get("/sessions/<int:session_id>/roster/people")
@login_required
def roster_people(session_id: int):
    """People to add, for the roster's search box; without JS, the roster page with the results."""
    session = _staff_session(session_id)
    q = (request.args.get("q") or "").strip()[:MAX_QUERY]
    candidates, registered = _candidates(session.id, q)
    if is_fragment_request():
        return render("registration/roster.html", "registration/_roster_people.html", s=session,
                      candidates=candidates, registered=registered, people_q=q)
    return _roster_response(session, RosterFilters(), candidates=candidates, registered=registered, people_q=q)


@bp.post("/sessions/<int:session_id>/roster/add")
@login_required
def roster_add(session_id: int):
    """Staff register a person themselves: every approval given, window and audience do not apply."""
    session = _staff_session(session_id)
    user_id = parse_id(request.form.get("user_id"))
    person = db.session.get(User, user_id) if user_id else None
    if person is None or not person.is_active:
        abort(404)
    try:
        reg = services.register(session.id, person, _user(), by_staff=True)
        message = _added_message(reg, person)
        db.session.commit()
    except services.RegistrationError as error:
        db.session.rollback()
        return _answer(session.id, error=error.message, status=error.status)
    return _answer(session.id, message=message)


def _added_message(reg: Registration, person: User) -> str:
    if reg.status == RegStatus.WAITLISTED:
        position = services.waitlist_positions([reg]).get(reg.id)
        return f"{person.full_name}: мест нет, добавлен(а) в лист ожидания — № {position} в очереди."
    return f"{person.full_name}: добавлен(а), {reg.status.label.lower()}."


# -- exports ---------------------------------------------------------------------------------

EXPORT_COLUMNS = ("ФИО", "Организация", "Территория", "Должность", "E-mail", "Статус", "Место в очереди",
                  "Причина", "Дата регистрации", "Последнее изменение")
EXPORT_WIDTHS = (36, 34, 24, 26, 30, 22, 12, 40, 18, 18)
def _export_rows(session: EventSession, f: RosterFilters) -> list[list]:
    """One row per registration matching the filters (all pages); dates as local naive times."""
    regs = list(db.session.scalars(_ordered(_matching(session.id, f))))
    positions = services.waitlist_positions(regs)
    rows = []
    for reg in regs:
        org, person = reg.organization, reg.user
        rows.append([person.full_name, org.name if org else "", org.municipality.name if org else "",
                     person.position, person.email, reg.status.label, positions.get(reg.id), reg.reason,
                     local(reg.created_dt, session.timezone).replace(tzinfo=None),
                     local(reg.updated_dt, session.timezone).replace(tzinfo=None)])
    return rows


def _roster_file(session_id: int, fmt: str):
    session = _staff_session(session_id)
    return spreadsheets.table_file(fmt, "Участники", EXPORT_COLUMNS, EXPORT_WIDTHS,
                                   _export_rows(session, RosterFilters.from_values(request.args)),
                                   f"roster-{session.id}", f"Участники — {session.title[:80]}")


@bp.get("/sessions/<int:session_id>/roster.csv")
@login_required
def roster_csv(session_id: int):
    """The roster for Excel in a Russian locale: UTF-8 with BOM, «;» between columns."""
    return _roster_file(session_id, "csv")


@bp.get("/sessions/<int:session_id>/roster.xlsx")
@login_required
def roster_xlsx(session_id: int):
    return _roster_file(session_id, "xlsx")
