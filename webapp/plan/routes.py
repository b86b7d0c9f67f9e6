"""The public plan (home page), plan documents and their management."""

from __future__ import annotations

from calendar import Calendar

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, request
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts import auth
from webapp.accounts.models import Role
from webapp.audit.models import history as audit_history
from webapp.extensions import db
from webapp.htmx import redirect_after_post, render
from webapp.htmx_forms import form_response
from webapp.orgs.models import Municipality
from webapp.pagecache import public_page
from webapp.plan import queries
from webapp.plan.forms import PlanForm, PlanItemForm
from webapp.plan.models import Plan, PlanItem, PlanStatus
from webapp.plan.services import PlanError, save_item, save_plan
from webapp.sessions.models import EventSession
from webapp.sites.models import Site
from webapp.taxonomy.models import Audience, Direction, EventForm
from webapp.taxonomy.services import choices
from webapp.timefmt import local
from webapp.ui import Page, parse_page

bp = Blueprint("plan", __name__)

ITEMS_PER_PAGE = 50


def _user():
    return current_user if current_user.is_authenticated else None


@bp.get("/")
@public_page(queries.content_version)
def index():
    """The network event plan: sessions of the academic year, as a list or a month calendar."""
    f = queries.PlanFilters.from_args(request.args)
    context = {"f": f}
    if f.view == "calendar":
        year, month, sessions, truncated = queries.calendar_month(f)
        by_day: dict = {}
        for s in sessions:
            by_day.setdefault(local(s.start_dt, s.timezone).date(), []).append(s)
        context.update(cal_year=year, cal_month=month, by_day=by_day, truncated=truncated,
                       weeks=Calendar(firstweekday=0).monthdatescalendar(year, month))
    else:
        context["page"] = queries.plan_page(f, current_app.config["PER_PAGE"])
    context["options"] = queries.filter_options(f)
    context["feed"] = _feed_links(f, context["options"])
    return render("plan/index.html", "plan/_results.html", **context)


def _feed_links(f: queries.PlanFilters, options: queries.FilterOptions) -> dict:
    """The calendar feed of the page's selection (its filters, not its year, month or page)."""
    from webapp.calendar import feeds
    from webapp.calendar.routes import public_feed_url, webcal

    selection = feeds.PublicSelection(municipality=f.municipality, direction=f.direction, form=f.form,
                                      audience=f.audience, site=f.site, delivery=f.delivery, q=f.q)
    url = public_feed_url(selection)
    # the names are those of the filter pickers already loaded (a retired term is not offered: query)
    names = {}
    for field, rows in (("municipality", options.municipalities), ("direction", options.directions),
                        ("form", options.forms), ("audience", options.audiences), ("site", options.sites or [])):
        chosen = getattr(selection, field)
        names.update({field: row[1] for row in rows if row[0] == chosen})
    if any(getattr(selection, field) and field not in names
           for field in ("municipality", "direction", "form", "audience", "site")):
        names = feeds.selection_names(selection)
    return {"url": url, "webcal": webcal(url), "name": feeds.public_name(selection, names)}


# -- plan documents --------------------------------------------------------------------------

def _manageable_plans_condition(user):
    if auth.is_admin(user):
        return sa.true()
    ids = user.scope_ids(Role.METHODIST) if user else set()
    return Plan.municipality_id.in_(ids) if ids else sa.false()


@bp.get("/plans")
def plans():
    user = _user()
    visible = Plan.status == PlanStatus.PUBLISHED
    if user:
        visible = sa.or_(visible, _manageable_plans_condition(user))
    page_no = parse_page(request.args.get("page"))
    stmt = sa.select(Plan).where(visible)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(
        stmt.order_by(Plan.period_start.desc(), Plan.title).limit(ITEMS_PER_PAGE)
        .offset((page_no - 1) * ITEMS_PER_PAGE)
    ).all()
    counts = dict(db.session.execute(
        sa.select(PlanItem.plan_id, sa.func.count()).where(PlanItem.plan_id.in_([p.id for p in rows]))
        .group_by(PlanItem.plan_id)
    ).all()) if rows else {}
    page = Page(items=list(rows), page=page_no, per_page=ITEMS_PER_PAGE, total=total)
    return render("plan/plans.html", "plan/_plans_table.html", page=page, counts=counts,
                  can_create=auth.can_create_plans(user))


def _get_plan(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id) or abort(404)
    # A draft is invisible, not forbidden, to those who cannot manage it.
    if not plan.is_published and not auth.can_manage_plan(_user(), plan):
        abort(404)
    return plan


def _get_managed_plan(plan_id: int) -> Plan:
    """A plan the user manages: 404 if she may not even see it, 403 if she may only read it."""
    plan = _get_plan(plan_id)
    auth.require(auth.can_manage_plan(_user(), plan))
    return plan


@bp.get("/plans/<int:plan_id>")
def plan_detail(plan_id: int):
    plan = _get_plan(plan_id)
    page_no = parse_page(request.args.get("page"))
    total = db.session.scalar(sa.select(sa.func.count()).where(PlanItem.plan_id == plan.id))
    items = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.plan_id == plan.id)
        .options(joinedload(PlanItem.direction), joinedload(PlanItem.form), joinedload(PlanItem.site),
                 selectinload(PlanItem.audiences))
        .order_by(PlanItem.position, PlanItem.id).limit(ITEMS_PER_PAGE).offset((page_no - 1) * ITEMS_PER_PAGE)
    ).unique().all()
    can_manage = auth.can_manage_plan(_user(), plan)
    history = audit_history("plan", plan.id) if can_manage else []
    page = Page(items=list(items), page=page_no, per_page=ITEMS_PER_PAGE, total=total)
    return render("plan/plan.html", "plan/_items_table.html", plan=plan, page=page, can_manage=can_manage,
                  history=history)


def _plan_form(plan: Plan | None) -> PlanForm:
    form = PlanForm(obj=plan)
    user = _user()
    municipalities = db.session.execute(sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)).all()
    if not auth.is_admin(user):
        allowed = user.scope_ids(Role.METHODIST)
        municipalities = [m for m in municipalities if m.id in allowed]
        form.municipality_id.allow_blank = False
    form.municipality_id.set_choices(municipalities)
    return form


def _save_plan_view(plan: Plan | None):
    form = _plan_form(plan)
    if form.validate_on_submit():
        target_scope = type("Scope", (), {"municipality_id": form.municipality_id.data})
        auth.require(auth.can_manage_plan(_user(), target_scope))
        try:
            plan = save_plan(plan, form.data, _user())
        except PlanError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash("План сохранён.", "success")
            return redirect_after_post("plan.plan_detail", plan_id=plan.id)
    return form_response("plan/_plan_form.html", form, "Редактирование плана" if plan else "Новый план", plan=plan)


@bp.route("/plans/new", methods=["GET", "POST"])
@login_required
def plan_create():
    auth.require(auth.can_create_plans(_user()))
    return _save_plan_view(None)


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
@login_required
def plan_edit(plan_id: int):
    return _save_plan_view(_get_managed_plan(plan_id))


# -- plan items ------------------------------------------------------------------------------

@bp.get("/plan-items/<int:item_id>")
def item_detail(item_id: int):
    item = db.session.get(PlanItem, item_id) or abort(404)
    plan = _get_plan(item.plan_id)
    sessions = db.session.scalars(
        sa.select(EventSession).where(EventSession.plan_item_id == item.id)
        .options(joinedload(EventSession.site), joinedload(EventSession.form),
                 joinedload(EventSession.direction), joinedload(EventSession.municipality),
                 selectinload(EventSession.audiences))
        .order_by(EventSession.start_dt)
    ).unique().all()
    can_manage = auth.can_manage_plan(_user(), plan)
    return render("plan/item.html", "plan/_item.html", item=item, plan=plan, sessions=sessions,
                  can_manage=can_manage, can_add_session=auth.can_create_sessions(_user()),
                  history=audit_history("plan_item", item.id) if can_manage else [])


def _item_form(item: PlanItem | None) -> PlanItemForm:
    form = PlanItemForm(obj=item)
    if item is not None and request.method == "GET":
        form.audience_ids.data = [a.id for a in item.audiences]
    form.direction_id.set_choices(choices(Direction, [item.direction_id if item else None]))
    form.form_id.set_choices(choices(EventForm, [item.form_id if item else None]))
    form.audience_ids.choices = choices(Audience, [a.id for a in item.audiences] if item else [])
    form.site_id.set_choices(db.session.execute(
        sa.select(Site.id, Site.name).where(sa.or_(Site.is_active, Site.id == (item.site_id if item else None)))
        .order_by(Site.name)).all())
    return form


def _save_item_view(plan: Plan, item: PlanItem | None):
    form = _item_form(item)
    if form.validate_on_submit():
        try:
            item = save_item(plan, item, form.data, _user())
        except PlanError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash("Пункт плана сохранён.", "success")
            return redirect_after_post("plan.item_detail", item_id=item.id)
    return form_response("plan/_item_form.html", form, f"Пункт {item.number}" if item else "Новый пункт плана",
                         plan=plan, item=item)


@bp.route("/plans/<int:plan_id>/items/new", methods=["GET", "POST"])
@login_required
def item_create(plan_id: int):
    return _save_item_view(_get_managed_plan(plan_id), None)


@bp.route("/plan-items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def item_edit(item_id: int):
    item = db.session.get(PlanItem, item_id) or abort(404)
    return _save_item_view(_get_managed_plan(item.plan_id), item)
