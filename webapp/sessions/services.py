"""Rules for sessions: creating, moving, cancelling, materials. Functions flush, never commit."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from webapp.audit.models import record
from webapp.dbtypes import utcnow
from webapp.extensions import db
from webapp.orgs.models import Municipality
from webapp.plan.models import PlanItem
from webapp.sessions.models import ApprovalMode, Delivery, EventSession, SessionMaterial, SessionStatus
from webapp.sites.models import Level, Site
from webapp.taxonomy.models import Audience
from webapp.timefmt import format_dt, is_valid_timezone, local, to_utc



def lock_session(session_id: int) -> EventSession | None:
    """Take the session's write lock for this transaction and return the session as it is now
    (None: no such session). Every change of who holds a seat or a mark goes through it.

    PostgreSQL: ``SELECT … FOR UPDATE`` on the row; others wait until the holder commits. SQLite:
    a write to the row takes the database write lock up front (SQLite allows one writer), before
    anything is read for the decision. The same statement brings what the rules and the e-mails
    read (plan, site, its organization), so the lock is held for as few round trips as possible.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(sa.text("UPDATE event_sessions SET queue_counter = queue_counter WHERE id = :id"),
                           {"id": session_id})
    return db.session.execute(
        sa.select(EventSession).where(EventSession.id == session_id)
        .options(sa.orm.joinedload(EventSession.plan_item).joinedload(PlanItem.plan),
                 sa.orm.joinedload(EventSession.site).joinedload(Site.organization))
        .with_for_update(of=EventSession)
        .execution_options(populate_existing=True)
    ).unique().scalar_one_or_none()

def load_visible_session(session_id: int, *options) -> EventSession:
    """The session (with the loader `options` a view needs), or 404 — also for a session of a
    draft plan, which does not exist for anyone who cannot manage it."""
    from flask import abort
    from flask_login import current_user

    from webapp.accounts import auth

    session = db.session.scalars(
        sa.select(EventSession).where(EventSession.id == session_id)
        .options(sa.orm.joinedload(EventSession.plan_item).joinedload(PlanItem.plan), *options)
    ).unique().one_or_none()
    if session is None:
        abort(404)
    user = current_user if current_user.is_authenticated else None
    if session.is_draft and not auth.can_manage_session(user, session):
        abort(404)
    return session


class SessionError(Exception):
    """A rule was broken; field names the form field, message is for the user."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


#: changes to these bump the revision: calendars must pick them up
MOVE_FIELDS = ("start_dt", "end_dt", "timezone", "delivery", "address", "online_url", "site_id")


def refresh_search_text(session: EventSession) -> None:
    parts = [session.title, session.description]
    if session.site is not None:
        parts += [session.site.name, session.site.organization.name]
    if session.address:
        parts.append(session.address)
    session.search_text = " ".join(p for p in parts if p).casefold()


def save_session(session: EventSession | None, data: dict, actor) -> EventSession:
    """Create or update a session from form data given in local time.

    Time, place and delivery changes are a «move»: recorded and counted in `revision`.
    """
    if session is not None:
        # the seat counter must not move between the capacity check and the update
        session = lock_session(session.id)
    site = db.session.get(Site, data["site_id"]) if data.get("site_id") else None
    municipality_id = data.get("municipality_id") or (site.organization.municipality_id if site else None)
    if municipality_id is None:
        raise SessionError("site_id", "Выберите площадку или территорию.")
    municipality = db.session.get(Municipality, municipality_id)
    if municipality is None:
        raise SessionError("municipality_id", "Территория не найдена.")
    tz = (data.get("timezone") or "").strip() or municipality.timezone
    if not is_valid_timezone(tz):
        raise SessionError("timezone", "Неизвестный часовой пояс.")
    start, end = to_utc(data["start"], tz), to_utc(data["end"], tz)
    if end <= start:
        raise SessionError("end", "Окончание должно быть позже начала.")
    opens = to_utc(data["registration_opens"], tz) if data.get("registration_opens") else None
    closes = to_utc(data["registration_closes"], tz) if data.get("registration_closes") else None
    if closes and closes > end:
        raise SessionError("registration_closes", "Регистрация не может закрываться после окончания мероприятия.")
    if opens and closes and closes <= opens:
        raise SessionError("registration_closes", "Регистрация должна закрываться позже, чем открывается.")
    delivery = Delivery(data.get("delivery") or Delivery.IN_PERSON)
    online_url = (data.get("online_url") or "").strip()
    if delivery != Delivery.IN_PERSON and not online_url:
        raise SessionError("online_url", "Для дистанционного или смешанного формата нужна ссылка на подключение.")
    address = (data.get("address") or "").strip()
    if delivery != Delivery.ONLINE and not address and site is not None:
        address = site.organization.address
    deadline = to_utc(data["cancel_deadline"], tz) if data.get("cancel_deadline") else None
    if deadline and deadline > start:
        raise SessionError("cancel_deadline", "Отмена участниками возможна не позже начала мероприятия.")
    capacity = data.get("capacity")
    if capacity is not None and session is not None and capacity < session.seats_taken:
        raise SessionError("capacity", f"Нельзя меньше уже занятых мест ({session.seats_taken}).")
    plan_item_id = data.get("plan_item_id")
    if plan_item_id is not None and db.session.get(PlanItem, plan_item_id) is None:
        raise SessionError("plan_item_id", "Пункт плана не найден.")

    fields = {
        "title": data["title"].strip(),
        "description": (data.get("description") or "").strip(),
        "plan_item_id": plan_item_id,
        "site_id": site.id if site else None,
        "municipality_id": municipality.id,
        "form_id": data.get("form_id"),
        "direction_id": data.get("direction_id"),
        "level": Level(data["level"]) if data.get("level") else None,
        "start_dt": start,
        "end_dt": end,
        "timezone": tz,
        "delivery": delivery,
        "address": "" if delivery == Delivery.ONLINE else address,
        "online_url": online_url,
        "capacity": capacity,
        "registration_opens_dt": opens,
        "registration_closes_dt": closes,
        "approval": ApprovalMode(data.get("approval") or ApprovalMode.NONE),
        "org_quota": data.get("org_quota") or None,
        "invitation_only": bool(data.get("invitation_only")),
        "audience_restricted": bool(data.get("audience_restricted")),
        "waitlist_enabled": bool(data.get("waitlist_enabled", True)),
        "cancel_deadline_dt": deadline,
        "academic_hours": data.get("academic_hours") or None,
        "late_after_minutes": 10 if data.get("late_after_minutes") is None else data["late_after_minutes"],
        "walk_ins_allowed": bool(data.get("walk_ins_allowed")),
    }
    audiences = list(db.session.scalars(
        sa.select(Audience).where(Audience.id.in_(data.get("audience_ids") or [])).order_by(Audience.position)))
    allowed = list(db.session.scalars(
        sa.select(Municipality).where(Municipality.id.in_(data.get("allowed_municipality_ids") or []))
        .order_by(Municipality.name)))

    if session is None:
        session = EventSession(created_by_id=getattr(actor, "id", None), **fields)
        session.site = site
        session.audiences = audiences
        session.allowed_municipalities = allowed
        refresh_search_text(session)
        db.session.add(session)
        db.session.flush()
        record("session", session.id, "created", actor)
        return session

    changes: dict[str, list[str]] = {}
    for name, value in fields.items():
        old = getattr(session, name)
        if old != value:
            changes[name] = [_show(old, session.timezone), _show(value, tz)]
            setattr(session, name, value)
    if {a.id for a in session.audiences} != {a.id for a in audiences}:
        changes["audiences"] = [", ".join(a.name for a in session.audiences), ", ".join(a.name for a in audiences)]
        session.audiences = audiences
    if {m.id for m in session.allowed_municipalities} != {m.id for m in allowed}:
        changes["allowed_municipalities"] = [", ".join(m.name for m in session.allowed_municipalities),
                                             ", ".join(m.name for m in allowed)]
        session.allowed_municipalities = allowed
    if not changes:
        return session
    # also when only the audiences changed (no column of the row did)
    session.updated_dt = session.changed_dt = utcnow()
    moved = any(name in changes for name in MOVE_FIELDS)
    if moved:
        session.revision += 1
    session.site = site
    refresh_search_text(session)
    db.session.flush()
    record("session", session.id, "moved" if moved else "updated", actor, changes)
    from webapp.registration import notify
    from webapp.registration.services import active_registrants, fill_free_seats

    if moved:
        notify.session_changed(session, "moved", active_registrants(session.id))
    if {"capacity", "org_quota", "approval"} & changes.keys():
        fill_free_seats(session, actor)
    return session


def _show(value, tz: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_dt(value, tz)
    return getattr(value, "label", None) or str(value)


def cancel_session(session: EventSession, reason: str, actor) -> None:
    """Cancel, never delete: the session stays visible as «Отменено» and in reports."""
    if session.is_cancelled:
        return  # a double click cancels once
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason.strip()
    session.revision += 1
    session.cancelled_dt = session.changed_dt = utcnow()
    db.session.flush()
    record("session", session.id, "cancelled", actor, {"status": ["Запланировано", "Отменено"],
                                                       "reason": ["", session.cancel_reason]})
    _tell_registrants(session, "cancelled")


def restore_session(session: EventSession, actor) -> None:
    if not session.is_cancelled:
        return
    session.status = SessionStatus.SCHEDULED
    session.cancel_reason = ""
    session.revision += 1
    session.cancelled_dt = None
    session.changed_dt = utcnow()
    db.session.flush()
    record("session", session.id, "restored", actor, {"status": ["Отменено", "Запланировано"]})
    _tell_registrants(session, "restored")


def _tell_registrants(session: EventSession, kind: str) -> None:
    """Registrations stay as they are (a restored session needs its people back); all are told."""
    from webapp.registration import notify
    from webapp.registration.services import active_registrants

    notify.session_changed(session, kind, active_registrants(session.id))


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def add_material(session: EventSession, title: str, url: str, upload, actor) -> SessionMaterial:
    """Attach a link or a file. The file is stored under a random name, never the user's."""
    material = SessionMaterial(session=session, title=title.strip(), url=(url or "").strip())
    if upload is not None and getattr(upload, "filename", ""):
        stored = secrets.token_hex(16)
        target = upload_dir() / stored
        upload.save(target)
        material.stored_name = stored
        material.file_name = Path(upload.filename).name[:255]
        material.content_type = upload.mimetype or "application/octet-stream"
        material.size = target.stat().st_size
        material.url = ""
    db.session.add(material)
    db.session.flush()
    record("session", session.id, "updated", actor, {"materials": ["", f"добавлен «{material.title}»"]})
    return material


def remove_material(material: SessionMaterial, actor) -> None:
    session_id, title = material.session_id, material.title
    if material.stored_name:
        # The file goes after commit would be ideal; a leftover file harms no one, a dangling row would.
        (upload_dir() / material.stored_name).unlink(missing_ok=True)
    db.session.delete(material)
    db.session.flush()
    record("session", session_id, "updated", actor, {"materials": [f"удалён «{title}»", ""]})


def form_data_for(session: EventSession) -> dict:
    """A session as the form shows it: local wall-clock times in its zone."""
    tz = session.timezone
    return {
        "start": local(session.start_dt, tz).replace(tzinfo=None),
        "end": local(session.end_dt, tz).replace(tzinfo=None),
        "registration_opens": local(session.registration_opens_dt, tz).replace(tzinfo=None)
        if session.registration_opens_dt else None,
        "registration_closes": local(session.registration_closes_dt, tz).replace(tzinfo=None)
        if session.registration_closes_dt else None,
        "cancel_deadline": local(session.cancel_deadline_dt, tz).replace(tzinfo=None)
        if session.cancel_deadline_dt else None,
        "audience_ids": [a.id for a in session.audiences],
        "allowed_municipality_ids": [m.id for m in session.allowed_municipalities],
        "approval": session.approval.value,
        "level": session.level.value if session.level else "",
        "delivery": session.delivery.value,
    }
