"""Rules for organizations and municipalities. Functions flush, never commit."""

from __future__ import annotations

import enum

import sqlalchemy as sa

from webapp.audit.models import record
from webapp.dbtypes import matches_words
from webapp.extensions import db
from webapp.orgs.models import Municipality, Organization, OrgKind, SchoolCategory
from webapp.timefmt import is_valid_timezone

#: search words beyond this are ignored: a longer query only slows the LIKEs down
#: the shortest query the public picker answers (one letter matches half the region)
MIN_SEARCH_LENGTH = 2


class OrgError(Exception):
    """A rule was broken; the message is for the user and names the form field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def normalize_name(text: str | None) -> str:
    """Trimmed, with runs of spaces collapsed: «МБОУ  СОШ № 12 » and «МБОУ СОШ № 12» are one name."""
    return " ".join((text or "").split())


def search_condition(q: str) -> sa.ColumnElement[bool]:
    """Every word of q occurs in the organization's name or full name, case-insensitively.

    Organization.search_text is already casefolded, so a plain LIKE behaves the same on SQLite
    (whose LOWER() knows no Cyrillic) and PostgreSQL.
    """
    return matches_words(Organization.search_text, q)


def search_organizations(q: str, limit: int = 20) -> list[Organization]:
    """Organizations matching q for the sign-up picker; nothing for a query under two letters."""
    q = normalize_name(q)[:100]
    if len(q) < MIN_SEARCH_LENGTH:
        return []
    # Organization.municipality is joined eagerly: the picker shows it without a query per row.
    return list(db.session.scalars(
        sa.select(Organization).where(search_condition(q))
        .order_by(Organization.name, Organization.id).limit(limit)
    ).unique())


def picker_context(form) -> dict:
    """What the organization picker (templates/accounts/_org_picker.html) shows for a form with
    `org_q` and `organization_id` fields: the chosen organization, or matches for what was typed."""
    selected = None
    raw = form.organization_id.data
    if raw and str(raw).isdigit():
        selected = db.session.get(Organization, int(raw))
    q = (form.org_q.data or "").strip()
    orgs = [selected] if selected is not None else search_organizations(q)
    return {"orgs": orgs, "q": q, "field_name": "organization_id",
            "selected_id": selected.id if selected else None}


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, enum.Enum):
        return getattr(value, "label", str(value.value))
    return str(value)


def _apply(obj, fields: dict, display: dict | None = None) -> dict:
    """Set the fields that differ; return field -> [old, new] as display strings for the audit log."""
    changes = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            shown = (display or {}).get(name, _display)
            changes[name] = [shown(old), shown(value)]
            setattr(obj, name, value)
    return changes


def save_organization(org: Organization | None, data: dict, actor) -> Organization:
    """Create or update an organization; a second one with the same name in a municipality is refused.

    data: name, full_name, kind, municipality_id, address, category, low_results (raw form values).
    """
    name = normalize_name(data.get("name"))
    if not name:
        raise OrgError("name", "Укажите название организации.")
    municipality_id = data.get("municipality_id")
    if municipality_id is None or db.session.get(Municipality, municipality_id) is None:
        raise OrgError("municipality_id", "Выберите территорию.")
    kind = OrgKind.parse(data.get("kind"))
    if kind is None:
        raise OrgError("kind", "Выберите тип организации.")
    clash = sa.select(Organization.id).where(Organization.municipality_id == municipality_id,
                                             Organization.name == name)
    if org is not None:
        clash = clash.where(Organization.id != org.id)
    if db.session.scalar(clash.limit(1)) is not None:
        raise OrgError("name", "В этой территории уже есть организация с таким названием.")

    fields = {
        "name": name,
        "full_name": normalize_name(data.get("full_name")),
        "kind": kind,
        "municipality_id": municipality_id,
        "address": normalize_name(data.get("address")),
        "category": SchoolCategory.parse(data.get("category")),
        "low_results": bool(data.get("low_results")),
    }
    created = org is None
    if created:
        org = Organization(**fields)
        db.session.add(org)
        changes = {}
    else:
        names = dict(db.session.execute(sa.select(Municipality.id, Municipality.name).where(
            Municipality.id.in_([org.municipality_id, municipality_id]))).all())
        changes = _apply(org, fields, {"municipality_id": lambda i: names.get(i, "")})
    org.refresh_search_text()
    db.session.flush()
    if created or changes:
        record("organization", org.id, "created" if created else "updated", actor, changes)
    return org


def save_municipality(municipality: Municipality | None, data: dict, actor) -> Municipality:
    """Create or update a municipality; the name is unique and the time zone must exist."""
    name = normalize_name(data.get("name"))
    if not name:
        raise OrgError("name", "Укажите название территории.")
    timezone = (data.get("timezone") or "").strip()
    if not is_valid_timezone(timezone):
        raise OrgError("timezone", "Неизвестный часовой пояс")
    clash = sa.select(Municipality.id).where(Municipality.name == name)
    if municipality is not None:
        clash = clash.where(Municipality.id != municipality.id)
    if db.session.scalar(clash.limit(1)) is not None:
        raise OrgError("name", "Территория с таким названием уже есть.")

    fields = {"name": name, "timezone": timezone,
              "methodical_service": normalize_name(data.get("methodical_service"))}
    created = municipality is None
    if created:
        municipality = Municipality(**fields)
        db.session.add(municipality)
        changes = {}
    else:
        changes = _apply(municipality, fields)
    db.session.flush()
    if created or changes:
        record("municipality", municipality.id, "created" if created else "updated", actor, changes)
    return municipality
