"""Session pages: what a participant needs, and editing for those who run the session."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, request, send_from_directory
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts import auth
from webapp.accounts.models import Role
from webapp.audit.models import history as audit_history
from webapp.extensions import db
from webapp.htmx import redirect_after_post, render
from webapp.htmx_forms import form_response
from webapp.orgs.models import Municipality
from webapp.plan.models import Plan, PlanItem, PlanStatus
from webapp.sessions import services
from webapp.sessions.forms import CancelForm, MaterialForm, SessionForm
from webapp.sessions.models import EventSession, SessionMaterial
from webapp.sites.models import Site
from webapp.taxonomy.models import Audience, Direction, EventForm
from webapp.taxonomy.services import choices

bp = Blueprint("sessions", __name__, url_prefix="/sessions")


def _user():
    return current_user if current_user.is_authenticated else None


def _load(session_id: int) -> EventSession:
    return services.load_visible_session(
        session_id, joinedload(EventSession.site), joinedload(EventSession.form), joinedload(EventSession.direction),
        joinedload(EventSession.municipality), selectinload(EventSession.audiences),
        selectinload(EventSession.materials), selectinload(EventSession.allowed_municipalities))


@bp.get("/<int:session_id>")
def detail(session_id: int):
    session = _load(session_id)
    return render("sessions/detail.html", "sessions/_detail.html", **_page_context(session))


def _page_context(session: EventSession, **overrides) -> dict:
    """Everything the session page needs; views replace one form to show its errors."""
    from webapp.registration.services import panel_for

    user = _user()
    can_manage = auth.can_manage_session(user, session)
    context = dict(s=session, can_manage=can_manage, panel=panel_for(session, user), is_staff=can_manage,
                   is_coordinator=auth.is_coordinator(user), cancel_form=CancelForm(), material_form=MaterialForm(),
                   history=audit_history("session", session.id) if can_manage else [])
    context.update(overrides)
    return context


# -- editing ---------------------------------------------------------------------------------

def _allowed_sites(user) -> sa.Select:
    stmt = sa.select(Site.id, Site.name).where(Site.is_active).order_by(Site.name)
    if auth.is_admin(user):
        return stmt
    from webapp.orgs.models import Organization

    return stmt.join(Organization, Site.organization_id == Organization.id).where(sa.or_(
        Organization.municipality_id.in_(user.scope_ids(Role.METHODIST)),
        Site.id.in_(user.scope_ids(Role.SITE_LEADER))))


def _session_form(session: EventSession | None) -> SessionForm:
    user = _user()
    form = SessionForm(data=services.form_data_for(session) if session else None, obj=session)
    if session is None and request.method == "GET":
        item_id = request.args.get("plan_item", type=int)
        item = db.session.get(PlanItem, item_id) if item_id else None
        if item is not None:
            form.plan_item_id.data = item.id
            form.title.data = item.title[:500]
            form.form_id.data, form.direction_id.data, form.site_id.data = item.form_id, item.direction_id, item.site_id
            form.audience_ids.data = [a.id for a in item.audiences]
        site_id = request.args.get("site", type=int)
        if site_id:
            form.site_id.data = site_id
    # Keep the session's zone, or what was submitted, selectable: nothing entered is lost.
    known = {value for value, _ in form.timezone.choices}
    for zone in {session.timezone if session else None, form.timezone.data}:
        if zone and zone not in known:
            form.timezone.choices = [*form.timezone.choices, (zone, zone)]
    keep_site = [session.site_id] if session else []
    sites = db.session.execute(_allowed_sites(user)).all()
    if session and session.site_id and session.site_id not in {s.id for s in sites}:
        sites += db.session.execute(sa.select(Site.id, Site.name).where(Site.id.in_(keep_site))).all()
    form.site_id.set_choices(sites)
    municipalities = sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)
    if not auth.is_admin(user):
        municipalities = municipalities.where(Municipality.id.in_(user.scope_ids(Role.METHODIST)))
    form.municipality_id.set_choices(db.session.execute(municipalities).all())
    items = sa.select(PlanItem.id, PlanItem.number, PlanItem.title, Plan.title.label("plan_title")).join(Plan)
    if not auth.is_admin(user):
        items = items.where(sa.or_(Plan.status == PlanStatus.PUBLISHED,
                                   Plan.municipality_id.in_(user.scope_ids(Role.METHODIST)),
                                   PlanItem.id == (session.plan_item_id if session else None)))
    rows = db.session.execute(items.order_by(Plan.period_start.desc(), Plan.id, PlanItem.position)).all()
    form.plan_item_id.set_choices([(r.id, f"{r.number}. {r.title[:90]} ({r.plan_title[:40]})") for r in rows])
    form.form_id.set_choices(choices(EventForm, [session.form_id if session else None]))
    form.direction_id.set_choices(choices(Direction, [session.direction_id if session else None]))
    form.audience_ids.choices = choices(Audience, [a.id for a in session.audiences] if session else [])
    form.allowed_municipality_ids.choices = [tuple(row) for row in db.session.execute(
        sa.select(Municipality.id, Municipality.name).order_by(Municipality.name))]
    return form


def _save_view(session: EventSession | None):
    form = _session_form(session)
    if form.validate_on_submit():
        try:
            saved = services.save_session(session, form.data, _user())
        except services.SessionError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            if not auth.can_manage_session(_user(), saved):
                db.session.rollback()
                abort(403)
            db.session.commit()
            flash("Мероприятие сохранено.", "success")
            return redirect_after_post("sessions.detail", session_id=saved.id)
    heading = "Изменение мероприятия" if session else "Новое мероприятие"
    return form_response("sessions/_form.html", form, heading, session=session)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    auth.require(auth.can_create_sessions(_user()))
    return _save_view(None)


@bp.route("/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit(session_id: int):
    session = _load(session_id)
    auth.require(auth.can_manage_session(_user(), session))
    return _save_view(session)


@bp.post("/<int:session_id>/cancel")
@login_required
def cancel(session_id: int):
    session = _load(session_id)
    auth.require(auth.can_manage_session(_user(), session))
    form = CancelForm()
    if not form.validate_on_submit():
        return render("sessions/detail.html", "sessions/_cancel.html", status=422,
                      **_page_context(session, cancel_form=form))
    services.cancel_session(session, form.reason.data, _user())
    db.session.commit()
    flash("Мероприятие отменено. Оно остаётся в плане с пометкой «Отменено».", "success")
    return redirect_after_post("sessions.detail", session_id=session.id)


@bp.post("/<int:session_id>/restore")
@login_required
def restore(session_id: int):
    session = _load(session_id)
    auth.require(auth.can_manage_session(_user(), session))
    services.restore_session(session, _user())
    db.session.commit()
    flash("Мероприятие восстановлено.", "success")
    return redirect_after_post("sessions.detail", session_id=session.id)


# -- materials -------------------------------------------------------------------------------

@bp.post("/<int:session_id>/materials")
@login_required
def material_add(session_id: int):
    session = _load(session_id)
    auth.require(auth.can_manage_session(_user(), session))
    form = MaterialForm()
    if not form.validate_on_submit():
        return render("sessions/detail.html", "sessions/_materials.html", status=422,
                      **_page_context(session, material_form=form))
    services.add_material(session, form.title.data, form.url.data, form.file.data, _user())
    db.session.commit()
    flash("Материал добавлен.", "success")
    return redirect_after_post("sessions.detail", session_id=session.id)


@bp.post("/<int:session_id>/materials/<int:material_id>/delete")
@login_required
def material_delete(session_id: int, material_id: int):
    session = _load(session_id)
    auth.require(auth.can_manage_session(_user(), session))
    material = db.session.get(SessionMaterial, material_id)
    if material is None or material.session_id != session.id:
        abort(404)
    services.remove_material(material, _user())
    db.session.commit()
    flash("Материал удалён.", "success")
    return redirect_after_post("sessions.detail", session_id=session.id)


@bp.get("/<int:session_id>/materials/<int:material_id>")
def material_download(session_id: int, material_id: int):
    session = _load(session_id)
    material = db.session.get(SessionMaterial, material_id)
    if material is None or material.session_id != session.id or not material.stored_name:
        abort(404)
    return send_from_directory(services.upload_dir(), material.stored_name, as_attachment=True,
                               download_name=material.file_name, mimetype=material.content_type)
