"""Administration: people and their roles (network admins only)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, request
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts.auth import admin_required
from webapp.accounts.models import Role, RoleGrant, User
from webapp.admin.forms import GrantForm
from webapp.admin.services import GrantError, grant_role, revoke_grant
from webapp.dbtypes import matches_words
from webapp.extensions import db
from webapp.htmx import redirect_after_post, render
from webapp.orgs.models import Municipality, Organization
from webapp.sites.models import Site
from webapp.ui import Page, parse_page

bp = Blueprint("admin", __name__, url_prefix="/admin")

PER_PAGE = 50


@bp.get("/users")
@admin_required
def users():
    q = (request.args.get("q") or "").strip()[:100]
    role = Role.parse(request.args.get("role"))
    page_no = parse_page(request.args.get("page"))
    stmt = sa.select(User)
    if q:
        stmt = stmt.where(matches_words(User.search_text, q))
    if role:
        stmt = stmt.where(sa.exists().where(RoleGrant.user_id == User.id, RoleGrant.role == role))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(
        stmt.options(joinedload(User.organization), selectinload(User.grants))
        .order_by(User.last_name, User.first_name, User.id).limit(PER_PAGE).offset((page_no - 1) * PER_PAGE)
    ).unique().all()
    page = Page(items=list(rows), page=page_no, per_page=PER_PAGE, total=total)
    return render("admin/users.html", "admin/_users_table.html", page=page, q=q, role=role, roles=Role)


def _grant_form() -> GrantForm:
    form = GrantForm()
    orgs = db.session.execute(
        sa.select(Organization.id, Organization.name, Municipality.name).join(Municipality)
        .order_by(Municipality.name, Organization.name)).tuples()
    form.organization_id.set_choices([(i, f"{n} ({m})") for i, n, m in orgs])
    form.municipality_id.set_choices(db.session.execute(
        sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)).tuples().all())
    form.site_id.set_choices(db.session.execute(sa.select(Site.id, Site.name).order_by(Site.name)).tuples().all())
    return form


def _load_user(user_id: int) -> User:
    return db.session.scalars(
        sa.select(User).where(User.id == user_id).options(
            joinedload(User.organization),
            selectinload(User.grants).options(joinedload(RoleGrant.organization), joinedload(RoleGrant.municipality),
                                              joinedload(RoleGrant.site)))
    ).unique().one_or_none() or abort(404)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_detail(user_id: int):
    user = _load_user(user_id)
    form = _grant_form()
    status = 200
    if form.validate_on_submit():
        try:
            grant_role(user, Role(form.role.data), form.data, current_user)
        except GrantError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            db.session.commit()
            flash("Роль назначена.", "success")
            return redirect_after_post("admin.user_detail", user_id=user.id)
    if request.method == "POST":
        status = 422
    return render("admin/user.html", "admin/_roles.html", status=status, user=user, form=form)


@bp.post("/users/<int:user_id>/grants/<int:grant_id>/revoke")
@admin_required
def revoke(user_id: int, grant_id: int):
    user = _load_user(user_id)
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or grant.user_id != user.id:
        abort(404)
    try:
        revoke_grant(grant, current_user)
    except GrantError as error:
        db.session.rollback()
        form = _grant_form()
        form.role.errors = [error.message]
        return render("admin/user.html", "admin/_roles.html", status=422, user=_load_user(user_id), form=form)
    db.session.commit()
    flash("Роль снята.", "success")
    return redirect_after_post("admin.user_detail", user_id=user.id)


@bp.post("/users/<int:user_id>/active")
@admin_required
def toggle_active(user_id: int):
    user = _load_user(user_id)
    if user.id == current_user.id:
        abort(403)
    user.is_active = not user.is_active
    db.session.commit()
    flash("Учётная запись " + ("включена." if user.is_active else "отключена."), "success")
    return redirect_after_post("admin.user_detail", user_id=user.id)
