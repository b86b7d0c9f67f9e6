"""Sites: the public catalogue and site pages; editing for methodists and admins."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from flask import Blueprint, abort, flash, request
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts import auth
from webapp.accounts.models import Role, RoleGrant, User
from webapp.audit.models import record
from webapp.extensions import db
from webapp.htmx import redirect_after_post, render
from webapp.htmx_forms import form_response
from webapp.orgs.models import Municipality, Organization
from webapp.plan.queries import visible_sessions
from webapp.sessions.models import EventSession
from webapp.sites.forms import SiteForm
from webapp.sites.models import Level, Site, SiteKind, site_directions
from webapp.taxonomy.models import Direction
from webapp.taxonomy.services import choices
from webapp.ui import Page, id_arg, parse_page

bp = Blueprint("sites", __name__, url_prefix="/sites")

PER_PAGE = 30
SESSIONS_PER_PAGE = 10


def _user():
    return current_user if current_user.is_authenticated else None


@bp.get("/")
def index():
    kind = SiteKind.parse(request.args.get("kind"))
    municipality = id_arg("municipality")
    direction = id_arg("direction")
    page_no = parse_page(request.args.get("page"))
    stmt = sa.select(Site).join(Organization, Site.organization_id == Organization.id).where(Site.is_active)
    if kind:
        stmt = stmt.where(Site.kind == kind)
    if municipality:
        stmt = stmt.where(Organization.municipality_id == municipality)
    if direction:
        stmt = stmt.where(sa.exists().where(site_directions.c.site_id == Site.id,
                                            site_directions.c.direction_id == direction))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(
        stmt.options(selectinload(Site.directions)).order_by(Site.kind, Site.name)
        .limit(PER_PAGE).offset((page_no - 1) * PER_PAGE)
    ).unique().all()
    page = Page(items=list(rows), page=page_no, per_page=PER_PAGE, total=total)
    municipalities = db.session.execute(sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)).all()
    return render("sites/index.html", "sites/_list.html", page=page, kinds=SiteKind, kind=kind,
                  municipality=municipality, direction=direction, municipalities=municipalities,
                  directions=choices(Direction), can_create=auth.can_create_plans(_user()))


@bp.get("/<int:site_id>")
def detail(site_id: int):
    site = db.session.scalars(
        sa.select(Site).where(Site.id == site_id)
        .options(selectinload(Site.directions), joinedload(Site.curator),
                 selectinload(Site.leader_grants).joinedload(RoleGrant.user))
    ).unique().one_or_none() or abort(404)
    now = datetime.now(timezone.utc)
    past = request.args.get("when") == "past"
    page_no = parse_page(request.args.get("page"))
    stmt = visible_sessions().where(EventSession.site_id == site.id)
    stmt = stmt.where(EventSession.end_dt < now) if past else stmt.where(EventSession.end_dt >= now)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    order = EventSession.start_dt.desc() if past else EventSession.start_dt
    rows = db.session.scalars(
        stmt.options(joinedload(EventSession.site), joinedload(EventSession.form), joinedload(EventSession.direction),
                     joinedload(EventSession.municipality), selectinload(EventSession.audiences))
        .order_by(order, EventSession.id).limit(SESSIONS_PER_PAGE).offset((page_no - 1) * SESSIONS_PER_PAGE)
    ).unique().all()
    page = Page(items=list(rows), page=page_no, per_page=SESSIONS_PER_PAGE, total=total)
    user = _user()
    return render("sites/detail.html", "sites/_sessions.html", site=site, page=page, past=past,
                  can_manage=auth.can_manage_site(user, site),
                  can_add_session=auth.can_create_sessions(user) and (
                      auth.can_manage_site(user, site) or site.id in (user.scope_ids(Role.SITE_LEADER) if user else set())))


def _site_form(site: Site | None) -> SiteForm:
    user = _user()
    form = SiteForm(obj=site)
    if site is not None and request.method == "GET":
        form.direction_ids.data = [d.id for d in site.directions]
        form.kind.data, form.level.data = site.kind.value, site.level.value
    orgs = sa.select(Organization.id, Organization.name, Municipality.name.label("m")).join(Municipality)
    if not auth.is_admin(user):
        orgs = orgs.where(Organization.municipality_id.in_(user.scope_ids(Role.METHODIST)))
    form.organization_id.set_choices(
        [(r.id, f"{r.name} ({r.m})") for r in db.session.execute(orgs.order_by(Municipality.name, Organization.name))])
    methodists = db.session.execute(
        sa.select(User.id, User.last_name, User.first_name, User.middle_name).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role.in_([Role.METHODIST, Role.ADMIN])).distinct().order_by(User.last_name)).all()
    form.curator_id.set_choices([(r.id, f"{r.last_name} {r.first_name} {r.middle_name}".strip()) for r in methodists])
    form.direction_ids.choices = choices(Direction, [d.id for d in site.directions] if site else [])
    return form


def _save_site(site: Site | None, form: SiteForm, actor) -> Site:
    fields = {
        "name": form.name.data.strip(), "kind": SiteKind(form.kind.data), "level": Level(form.level.data),
        "organization_id": form.organization_id.data, "curator_id": form.curator_id.data,
        "description": (form.description.data or "").strip(), "programme": (form.programme.data or "").strip(),
        "order_number": (form.order_number.data or "").strip(), "order_date": form.order_date.data,
        "period_start": form.period_start.data, "period_end": form.period_end.data,
        "is_active": bool(form.is_active.data),
    }
    directions = list(db.session.scalars(sa.select(Direction).where(Direction.id.in_(form.direction_ids.data or []))))
    created = site is None
    changes = {}
    if created:
        site = Site(**fields)
        db.session.add(site)
    else:
        for name, value in fields.items():
            if getattr(site, name) != value:
                changes[name] = [str(getattr(site, name) or ""), str(value or "")]
                setattr(site, name, value)
    site.directions = directions
    db.session.flush()
    record("site", site.id, "created" if created else "updated", actor, changes)
    return site


def _save_view(site: Site | None):
    form = _site_form(site)
    if form.validate_on_submit():
        org = db.session.get(Organization, form.organization_id.data)
        auth.require(org is not None and auth.can_manage_org(_user(), org))
        site = _save_site(site, form, _user())
        db.session.commit()
        flash("Площадка сохранена.", "success")
        return redirect_after_post("sites.detail", site_id=site.id)
    return form_response("sites/_form.html", form, "Изменение площадки" if site else "Новая площадка", site=site)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    auth.require(auth.can_create_plans(_user()))
    return _save_view(None)


@bp.route("/<int:site_id>/edit", methods=["GET", "POST"])
@login_required
def edit(site_id: int):
    site = db.session.get(Site, site_id) or abort(404)
    auth.require(auth.can_manage_site(_user(), site))
    return _save_view(site)
