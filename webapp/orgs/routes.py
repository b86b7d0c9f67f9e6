"""Organizations (for methodists and admins), municipalities (admins) and the public org picker."""

from __future__ import annotations

import re
from types import SimpleNamespace

import sqlalchemy as sa
from flask import Blueprint, abort, flash, make_response, render_template, request
from flask_login import current_user, login_required

from webapp.accounts import auth
from webapp.accounts.models import Role
from webapp.extensions import db
from webapp.htmx import redirect_after_post, render
from webapp.htmx_forms import form_response
from webapp.orgs.forms import MunicipalityForm, OrganizationForm
from webapp.orgs.models import Municipality, Organization, OrgKind
from webapp.orgs.services import (
    OrgError,
    normalize_name,
    save_municipality,
    save_organization,
    search_condition,
    search_organizations,
)
from webapp.ui import Page, id_arg, parse_page

bp = Blueprint("orgs", __name__)

PER_PAGE = 50
DEFAULT_PICKER_FIELD = "organization_id"
_FIELD_NAME_RE = re.compile(r"[a-z_]{1,40}")


def _user():
    return current_user if current_user.is_authenticated else None


def _municipality_choices(user) -> list:
    """Municipalities the user may file an organization under: all for an admin, her own for a methodist."""
    stmt = sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)
    if not auth.is_admin(user):
        stmt = stmt.where(Municipality.id.in_(user.scope_ids(Role.METHODIST)))
    return db.session.execute(stmt).all()


# -- organizations ---------------------------------------------------------------------------

@bp.get("/organizations")
@login_required
def index():
    """The organization register with active search; methodists see all, edit their own."""
    user = _user()
    auth.require(auth.can_manage_orgs(user))
    q = normalize_name(request.args.get("q"))[:100]
    municipality = id_arg("municipality")
    kind = OrgKind.parse(request.args.get("kind"))
    page_no = parse_page(request.args.get("page"))

    conditions = []
    if q:
        conditions.append(search_condition(q))
    if municipality:
        conditions.append(Organization.municipality_id == municipality)
    if kind:
        conditions.append(Organization.kind == kind)
    total = db.session.scalar(sa.select(sa.func.count(Organization.id)).where(*conditions))
    # Organization.municipality is joined eagerly, so the rows come in one query.
    rows = db.session.scalars(
        sa.select(Organization).where(*conditions).order_by(Organization.name, Organization.id)
        .limit(PER_PAGE).offset((page_no - 1) * PER_PAGE)
    ).all()
    page = Page(items=list(rows), page=page_no, per_page=PER_PAGE, total=total)
    municipalities = db.session.execute(
        sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)).all()
    return render("orgs/index.html", "orgs/_results.html", page=page, q=q, municipality=municipality,
                  kind=kind, kinds=OrgKind, municipalities=municipalities,
                  is_filtered=bool(q or municipality or kind))


def _org_form(org: Organization | None) -> OrganizationForm:
    form = OrganizationForm(obj=org)
    if org is not None and request.method == "GET":
        form.fill_from(org)
    form.municipality_id.set_choices(_municipality_choices(_user()))
    return form


def _save_org_view(org: Organization | None):
    user = _user()
    form = _org_form(org)
    if form.validate_on_submit():
        # The choices already hold only her municipalities; this guards the rule, not the widget.
        auth.require(auth.can_manage_org(user, SimpleNamespace(municipality_id=form.municipality_id.data)))
        try:
            org = save_organization(org, form.data, user)
        except OrgError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash(f"Организация «{org.name}» сохранена.", "success")
            return redirect_after_post("orgs.index")
    return form_response("orgs/_form.html", form, "Изменение организации" if org else "Новая организация",
                         org=org)


@bp.route("/organizations/new", methods=["GET", "POST"])
@login_required
def create():
    auth.require(auth.can_manage_orgs(_user()))
    return _save_org_view(None)


@bp.route("/organizations/<int:org_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int):
    org = db.session.get(Organization, org_id) or abort(404)
    auth.require(auth.can_manage_org(_user(), org))
    return _save_org_view(org)


@bp.get("/organizations/search")
def search():
    """Public: the organization picker's options for the sign-up form (no login needed)."""
    q = normalize_name(request.args.get("q") or request.args.get("org_q"))[:100]
    field_name = request.args.get("name", "")
    if not _FIELD_NAME_RE.fullmatch(field_name):
        field_name = DEFAULT_PICKER_FIELD
    response = make_response(render_template(
        "orgs/_picker_options.html", orgs=search_organizations(q), q=q, field_name=field_name,
        selected_id=id_arg("selected")))
    response.vary.add("HX-Request")
    return response


# -- municipalities --------------------------------------------------------------------------

@bp.get("/municipalities")
@auth.admin_required
def municipalities():
    page_no = parse_page(request.args.get("page"))
    total = db.session.scalar(sa.select(sa.func.count(Municipality.id)))
    rows = db.session.scalars(
        sa.select(Municipality).order_by(Municipality.name).limit(PER_PAGE).offset((page_no - 1) * PER_PAGE)
    ).all()
    page = Page(items=list(rows), page=page_no, per_page=PER_PAGE, total=total)
    return render("orgs/municipalities.html", "orgs/_municipalities_table.html", page=page)


def _save_municipality_view(municipality: Municipality | None):
    form = MunicipalityForm(obj=municipality)
    form.offer_zones(municipality.timezone if municipality else None, form.timezone.data)
    if form.validate_on_submit():
        try:
            municipality = save_municipality(municipality, form.data, _user())
        except OrgError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash(f"Территория «{municipality.name}» сохранена.", "success")
            return redirect_after_post("orgs.municipalities")
    heading = "Изменение территории" if municipality else "Новая территория"
    return form_response("orgs/_municipality_form.html", form, heading, municipality=municipality)


@bp.route("/municipalities/new", methods=["GET", "POST"])
@auth.admin_required
def municipality_create():
    return _save_municipality_view(None)


@bp.route("/municipalities/<int:municipality_id>/edit", methods=["GET", "POST"])
@auth.admin_required
def municipality_edit(municipality_id: int):
    municipality = db.session.get(Municipality, municipality_id) or abort(404)
    return _save_municipality_view(municipality)
