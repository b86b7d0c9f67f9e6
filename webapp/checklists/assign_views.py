"""Who answers, when (staff): the list of assignments, attaching a check-list, withdrawing one,
and the block of check-lists on a session's page."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from webapp.accounts import auth
from webapp.accounts.models import Role, User
from webapp.checklists import assigning
from webapp.checklists.assign_forms import AssignmentForm
from webapp.checklists.assigning import TargetKind
from webapp.checklists.building import ChecklistError
from webapp.checklists.models import ChecklistAssignment, ChecklistTemplate, RespondentRole
from webapp.checklists.routes import bp
from webapp.extensions import db
from webapp.htmx import is_fragment_request, redirect_after_post, render
from webapp.plan.models import PlanItem
from webapp.sessions.models import EventSession
from webapp.sites.models import Site
from webapp.ui import Page, id_arg, parse_id, parse_page

PER_PAGE = 50
STATES = {"active": "Действующие", "cancelled": "Отменённые"}
SESSION_OPTIONS_ID = "assign-session-options"


def _user() -> User | None:
    return current_user if current_user.is_authenticated else None


def _staff() -> User:
    """The signed-in person, if she may attach check-lists at all (else 403)."""
    user = _user()
    auth.require(assigning.can_assign(user))
    return user


# -- the list ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListFilters:
    template_id: int | None = None
    role: RespondentRole | None = None
    state: str = ""
    page: int = 1

    @classmethod
    def from_values(cls, values) -> ListFilters:
        state = values.get("state") or ""
        return cls(template_id=parse_id(values.get("template")), role=RespondentRole.parse(values.get("role")),
                   state=state if state in STATES else "", page=parse_page(values.get("page")))

    def args(self, **changes) -> dict:
        values = {"template": self.template_id, "role": self.role.value if self.role else None,
                  "state": self.state or None, "page": self.page if self.page > 1 else None}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}


def _list_context(user: User, f: ListFilters, error: str = "") -> dict:
    """The page of assignments with counts: a constant number of queries whatever the rows."""
    A = ChecklistAssignment
    stmt = sa.select(A).where(assigning.managed_assignments(user))
    templates = db.session.execute(
        sa.select(ChecklistTemplate.id, ChecklistTemplate.title)
        .where(ChecklistTemplate.id.in_(stmt.with_only_columns(A.template_id).distinct()))
        .order_by(ChecklistTemplate.title, ChecklistTemplate.id)).all()
    if f.template_id:
        stmt = stmt.where(A.template_id == f.template_id)
    if f.role:
        stmt = stmt.where(A.role == f.role)
    if f.state == "active":
        stmt = stmt.where(A.cancelled_dt.is_(None))
    elif f.state == "cancelled":
        stmt = stmt.where(A.cancelled_dt.is_not(None))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
    assignments = list(db.session.scalars(
        stmt.options(*assigning.list_options()).order_by(A.created_dt.desc(), A.id.desc())
        .limit(PER_PAGE).offset((f.page - 1) * PER_PAGE)).unique())
    return dict(f=f, page=Page(items=assigning.rows_for(assignments), page=f.page, per_page=PER_PAGE, total=total),
                templates=templates, roles=list(RespondentRole), states=STATES, error=error)


@bp.get("/checklists/assignments")
@login_required
def assignments():
    """The assignments she manages, newest first, with how many were asked and answered."""
    user = _staff()
    return render("checklists/assignments.html", "checklists/_assign_list.html",
                  **_list_context(user, ListFilters.from_values(request.args)))


# -- attaching ---------------------------------------------------------------------------------

def _form(user: User) -> AssignmentForm:
    form = AssignmentForm()
    may_plan = user.is_admin or user.has_role(Role.METHODIST)
    form.limit_to(periods=may_plan, plan_items=may_plan)
    form.template_id.set_choices(
        (t.id, t.title) for t in db.session.scalars(assigning.assignable_templates(user)))
    form.site_id.set_choices(assigning.site_choices(user))
    if may_plan:
        form.plan_item_id.set_choices(assigning.plan_item_choices(user))
        if not user.is_admin:
            # blank stays valid for the form (it matters only for a period); the rules ask for one
            form.municipality_id.blank_label = "— выберите территорию —"
        form.municipality_id.set_choices(db.session.execute(assigning.managed_municipalities(user)).tuples())
    else:
        form.plan_item_id.set_choices([])
        form.municipality_id.set_choices([])
    return form


def _prefill(form: AssignmentForm, user: User) -> None:
    """Links from session, site and plan item pages name the target: check it exists (404) and
    is hers (403)."""
    if session_id := id_arg("session_id"):
        session = db.session.get(EventSession, session_id) or abort(404)
        auth.require(assigning.may_manage_target(user, assigning.Target(session=session)))
        form.target.data, form.session_id.data = TargetKind.SESSION, str(session.id)
    elif site_id := id_arg("site_id"):
        site = db.session.get(Site, site_id) or abort(404)
        auth.require(assigning.may_manage_target(user, assigning.Target(site=site)))
        form.target.data, form.site_id.data = TargetKind.SITE, site.id
    elif item_id := id_arg("plan_item_id"):
        item = db.session.get(PlanItem, item_id) or abort(404)
        auth.require(assigning.may_manage_target(user, assigning.Target(plan_item=item)))
        form.target.data, form.plan_item_id.data = TargetKind.PLAN_ITEM, item.id
    municipalities = [value for value, _ in form.municipality_id.choices if value is not None]
    if form.municipality_id.data is None and not user.is_admin and len(municipalities) == 1:
        form.municipality_id.data = municipalities[0]
    if form.period_start.data is None and form.period_end.data is None:
        form.period_start.data, form.period_end.data = assigning.suggested_period()


def _picker(user: User, q: str, selected_id: int | None) -> dict:
    """What the session picker shows: her sessions matching what was typed, the chosen one first."""
    q = (q or "").strip()[:200]
    sessions, selected = assigning.session_options(user, q, selected_id)
    return dict(sessions=sessions, selected_id=selected.id if selected else None, q=q)


def _form_response(form: AssignmentForm, user: User, status: int = 200):
    return render("checklists/assignment_form.html", "checklists/_assign_form.html", status=status, form=form,
                  picker=_picker(user, form.session_q.data, form.picked_session_id()),
                  has_templates=len(form.template_id.choices) > 1)


@bp.route("/checklists/assignments/new", methods=["GET", "POST"])
@login_required
def new_assignment():
    """Attach a check-list. The session search box asks the same URL for its options only."""
    user = _staff()
    if request.method == "GET" and request.args.get("picker") == "session" and is_fragment_request():
        response = make_response(render_template("checklists/_assign_session_options.html",
                                                 picker=_picker(user, request.args.get("session_q", ""), None)))
        response.vary.add("HX-Request")
        return response
    form = _form(user)
    if request.method == "GET":
        form.session_q.data = (request.args.get("session_q") or "")[:200]
        _prefill(form, user)
        return _form_response(form, user)
    if not form.validate_on_submit():
        return _form_response(form, user, 422)
    try:
        assignment = assigning.create_assignment(user, **form.service_args())
    except ChecklistError as error:
        db.session.rollback()
        form.add_errors(error.errors)
        return _form_response(form, user, error.status)
    db.session.commit()
    flash(f"Чек-лист «{assignment.template.title}» прикреплён: {assigning.target_in_words(assignment)}.",
          "success")
    return redirect_after_post("checklists.assignments")


# -- withdrawing -------------------------------------------------------------------------------

@bp.post("/checklists/assignments/<int:assignment_id>/cancel")
@login_required
def cancel_assignment(assignment_id: int):
    """Withdraw an assignment: htmx gets the row back; a plain form the list."""
    user = _staff()
    assignment = assigning.load_assignment(assignment_id) or abort(404)
    f = ListFilters.from_values(request.form)
    try:
        assigning.cancel_assignment(user, assignment)
    except ChecklistError as error:
        db.session.rollback()
        if error.status == 403:
            abort(403)
        if is_fragment_request():
            return _row_response(assignment_id, f, error.status, error=error.message)
        return render("checklists/assignments.html", "checklists/_assign_list.html", status=error.status,
                      **_list_context(user, f, error=error.message))
    db.session.commit()
    if is_fragment_request():
        return _row_response(assignment_id, f, message="Назначение отменено: новых приглашений не будет.")
    flash("Назначение отменено: новых приглашений не будет, полученные ответы остаются в результатах.", "success")
    return redirect(url_for("checklists.assignments", **f.args()), code=303)


def _row_response(assignment_id: int, f: ListFilters, status: int = 200, error: str = "", message: str = ""):
    """The row as it now is (only htmx asks: a plain form is redirected to the list)."""
    assignment = assigning.load_assignment(assignment_id) or abort(404)
    response = make_response(render_template("checklists/_assign_row.html", row=assigning.rows_for([assignment])[0],
                                             f=f, error=error, message=message), status)
    response.vary.add("HX-Request")
    return response


# -- the block on a session's page -------------------------------------------------------------

def _results_url(template_id: int, session_id: int) -> str | None:
    """The results page, once that view exists (the session page must never break for it)."""
    if "checklists.results" not in current_app.view_functions:
        return None
    try:
        return url_for("checklists.results", template_id=template_id, session_id=session_id)
    except (BuildError, ValueError):
        return None


@bp.app_template_global("session_checklists")
def session_checklists(session: EventSession) -> list[dict]:
    """For templates/checklists/_assign_session_block.html: what covers this session (one query)."""
    return [dict(item=item, results_url=_results_url(item.assignment.template_id, session.id))
            for item in assigning.for_session(session)]
