"""Granting and revoking roles."""

from __future__ import annotations

import sqlalchemy as sa

from webapp.accounts.models import Role, RoleGrant, User
from webapp.audit.models import record
from webapp.extensions import db
from webapp.orgs.models import Municipality, Organization
from webapp.sites.models import Site


class GrantError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


SCOPE = {
    Role.COORDINATOR: ("organization_id", Organization, "Выберите организацию."),
    Role.METHODIST: ("municipality_id", Municipality, "Выберите территорию."),
    Role.SITE_LEADER: ("site_id", Site, "Выберите площадку."),
}


def grant_role(user: User, role: Role, scope_ids: dict, actor) -> RoleGrant:
    """Give a role with exactly the scope it needs; granting the same twice is a no-op."""
    values = {"organization_id": None, "municipality_id": None, "site_id": None}
    scope_label = "вся сеть"
    if role in SCOPE:
        column, model, message = SCOPE[role]
        target = db.session.get(model, scope_ids.get(column)) if scope_ids.get(column) else None
        if target is None:
            raise GrantError(column, message)
        values[column] = target.id
        scope_label = target.name
    existing = db.session.scalar(sa.select(RoleGrant).filter_by(user_id=user.id, role=role, **values))
    if existing is not None:
        return existing
    grant = RoleGrant(user_id=user.id, role=role, granted_by_id=getattr(actor, "id", None), **values)
    db.session.add(grant)
    db.session.flush()
    record("user", user.id, "role_granted", actor, {"role": ["", f"{role.label}: {scope_label}"]})
    return grant


def revoke_grant(grant: RoleGrant, actor) -> None:
    if grant.role == Role.ADMIN:
        admins = db.session.scalar(sa.select(sa.func.count()).where(RoleGrant.role == Role.ADMIN))
        if admins <= 1:
            raise GrantError("role", "Нельзя снять роль с последнего администратора сети.")
    record("user", grant.user_id, "role_revoked", actor, {"role": [grant.role.label, ""]})
    db.session.delete(grant)
    db.session.flush()
