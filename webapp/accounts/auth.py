"""Login wiring and permission checks used by every blueprint."""

from __future__ import annotations

from functools import cache, wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from webapp.accounts.models import Role, User
from webapp.extensions import db, login_manager


def configure_login(app) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Войдите, чтобы продолжить."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        # One query: the user with the role grants every menu and permission check reads. The
        # statement is built once: every request runs it, and building it costs more than running it.
        user = db.session.execute(_user_statement(), {"user_id": int(user_id)}).unique().scalar_one_or_none()
        return user if user and user.is_active else None


@cache
def _user_statement():
    return select(User).options(joinedload(User.grants)).where(User.id == bindparam("user_id"))


def _user() -> User | None:
    return current_user if current_user.is_authenticated else None


# -- predicates: who may do what -------------------------------------------------------------

def is_admin(user: User | None) -> bool:
    return bool(user) and user.is_admin


def methodist_of(user: User | None, municipality_id: int | None) -> bool:
    return bool(user) and municipality_id is not None and municipality_id in user.scope_ids(Role.METHODIST)


def can_create_plans(user: User | None) -> bool:
    return is_admin(user) or (bool(user) and user.has_role(Role.METHODIST))


def can_manage_plan(user: User | None, plan) -> bool:
    """Admins manage every plan; a methodist the plans of her municipality (network-wide: admins)."""
    return is_admin(user) or methodist_of(user, plan.municipality_id)


def can_manage_site(user: User | None, site) -> bool:
    return is_admin(user) or methodist_of(user, site.organization.municipality_id)


def can_create_sessions(user: User | None) -> bool:
    return is_admin(user) or (bool(user) and (user.has_role(Role.METHODIST) or user.has_role(Role.SITE_LEADER)))


def can_manage_session(user: User | None, session) -> bool:
    """Admins; the methodist of the session's municipality; a leader of its site."""
    if is_admin(user) or methodist_of(user, session.municipality_id):
        return True
    return bool(user) and session.site_id is not None and session.site_id in user.scope_ids(Role.SITE_LEADER)


def can_manage_orgs(user: User | None) -> bool:
    return can_create_plans(user)


def can_manage_org(user: User | None, org) -> bool:
    return is_admin(user) or methodist_of(user, org.municipality_id)


def require(allowed: bool) -> None:
    """Abort with 403 unless allowed; views call it after loading the object (404 first)."""
    if not allowed:
        abort(403)


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        require(is_admin(_user()))
        return view(*args, **kwargs)

    return wrapper


def roles_required(*roles: Role):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            user = _user()
            require(is_admin(user) or any(user.has_role(r) for r in roles))
            return view(*args, **kwargs)

        return wrapper

    return decorator


def coordinator_of(user: User | None, organization_id: int | None) -> bool:
    return bool(user) and organization_id is not None and organization_id in user.scope_ids(Role.COORDINATOR)


def is_coordinator(user: User | None) -> bool:
    return bool(user) and user.has_role(Role.COORDINATOR)
