"""The change log: who changed what and when, for plans, items, sessions and role grants."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.dbtypes import UTCDateTime, utcnow
from webapp.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (sa.Index("ix_audit_entries_object", "object_type", "object_id", "created_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "session", "plan", "plan_item", "site", "user"…
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[int]
    #: "created", "updated", "moved", "cancelled", "role_granted"…
    action: Mapped[str] = mapped_column(sa.String(32))
    #: field -> [old, new], as display strings
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User", lazy="joined")

    def __repr__(self) -> str:
        return f"<AuditEntry {self.object_type}:{self.object_id} {self.action}>"


def record(object_type: str, object_id: int, action: str, actor, changes: dict | None = None) -> AuditEntry:
    """Add an audit entry to the current transaction (flushed with it, never committed here)."""
    entry = AuditEntry(
        object_type=object_type,
        object_id=object_id,
        action=action,
        actor_id=getattr(actor, "id", None),
        changes=changes or {},
    )
    db.session.add(entry)
    return entry


def history(object_type: str, object_id: int, limit: int = 20) -> list[AuditEntry]:
    """The latest changes of one object, newest first, with their authors (one query)."""
    return list(db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.created_dt.desc(), AuditEntry.id.desc()).limit(limit)))


#: how stored field names read in the change history
FIELD_LABELS = {
    "title": "название", "description": "описание", "plan_item_id": "пункт плана", "site_id": "площадка",
    "municipality_id": "территория", "form_id": "форма", "direction_id": "направление", "level": "уровень",
    "start_dt": "начало", "end_dt": "окончание", "timezone": "часовой пояс", "delivery": "формат",
    "address": "адрес", "online_url": "ссылка", "capacity": "мест", "registration_opens_dt": "регистрация с",
    "registration_closes_dt": "регистрация до", "approval": "подтверждение заявок",
    "org_quota": "квота на организацию", "invitation_only": "по приглашению",
    "audience_restricted": "только для аудитории", "waitlist_enabled": "лист ожидания",
    "cancel_deadline_dt": "отмена участником до",
    "academic_hours": "академических часов", "late_after_minutes": "опоздание после, мин",
    "walk_ins_allowed": "QR-отметка без регистрации", "allowed_municipalities": "территории",
    "status": "статус", "reason": "причина", "audiences": "аудитория", "materials": "материалы",
    "number": "№", "position": "порядок", "timing_text": "сроки", "period_start": "период с",
    "period_end": "период по", "expected_result": "прогнозируемый результат", "responsible": "ответственный",
    "kind": "вид", "name": "название", "full_name": "полное название", "organization_id": "организация",
    "curator_id": "куратор", "programme": "программа", "order_number": "приказ №", "order_date": "дата приказа",
    "is_active": "действует", "role": "роль",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)
