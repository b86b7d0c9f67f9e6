"""An uploaded import file between its preview and its confirmation, and what applying it did."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.dbtypes import LabelledEnum, UTCDateTime, enum_column, utcnow
from webapp.extensions import db


class ImportKind(LabelledEnum):
    PLAN = "plan", "План мероприятий"
    PEOPLE = "people", "Сотрудники организации"


class ImportStatus(LabelledEnum):
    UPLOADED = "uploaded", "Загружен, ждёт подтверждения"
    APPLIED = "applied", "Применён"
    DISCARDED = "discarded", "Отменён"


class ImportBatch(db.Model):
    """One upload. The file is kept only until it is applied or discarded (a staff list is
    personal data): then `content` is emptied and `summary` says what was done."""

    __tablename__ = "import_batches"
    __table_args__ = (
        sa.CheckConstraint("(kind = 'plan') = (plan_id IS NOT NULL)", name="plan_target"),
        sa.CheckConstraint("(kind = 'people') = (organization_id IS NOT NULL)", name="people_target"),
        sa.Index("ix_import_batches_user_created", "user_id", "created_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind] = mapped_column(enum_column(ImportKind, "import_kind"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: the plan a plan import fills (kind plan)
    plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plans.id"), nullable=True, index=True)
    #: the organization whose staff a people import brings (kind people)
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"), nullable=True,
                                                        index=True)
    file_name: Mapped[str] = mapped_column(sa.String(255), default="")
    file_size: Mapped[int] = mapped_column(default=0)
    #: the uploaded bytes, until applied or discarded
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, default=b"")
    #: field name -> column index in the file's header (the mapping step's answer)
    mapping: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus, "import_status"),
                                                 default=ImportStatus.UPLOADED)
    #: what applying did: counts and the changed rows, for the result page and the history
    summary: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user = relationship("User")
    plan = relationship("Plan")
    organization = relationship("Organization")

    def __repr__(self) -> str:
        return f"<ImportBatch {self.id} {self.kind} {self.status}>"
