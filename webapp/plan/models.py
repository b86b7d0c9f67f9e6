"""The network event plan: plans and their numbered items."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.dbtypes import LabelledEnum, UTCDateTime, enum_column, utcnow
from webapp.extensions import db


class PlanKind(LabelledEnum):
    YEAR = "year", "План на учебный год"
    PROGRAMME = "programme", "Многолетняя программа"


class PlanStatus(LabelledEnum):
    DRAFT = "draft", "Черновик"
    PUBLISHED = "published", "Опубликован"
    ARCHIVED = "archived", "В архиве"


class ItemStatus(LabelledEnum):
    PLANNED = "planned", "Запланировано"
    HELD = "held", "Проведено"
    MOVED = "moved", "Перенесено"
    CANCELLED = "cancelled", "Отменено"


class Plan(db.Model):
    __tablename__ = "plans"
    __table_args__ = (sa.CheckConstraint("period_end >= period_start", name="period_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    kind: Mapped[PlanKind] = mapped_column(enum_column(PlanKind, "plan_kind"), default=PlanKind.YEAR)
    #: None: a network-wide plan (the resource centre's)
    municipality_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("municipalities.id"), nullable=True, index=True
    )
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[PlanStatus] = mapped_column(
        enum_column(PlanStatus, "plan_status"), default=PlanStatus.DRAFT, index=True
    )
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    municipality = relationship("Municipality", lazy="joined")
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="PlanItem.position, PlanItem.id"
    )

    @property
    def is_published(self) -> bool:
        return self.status == PlanStatus.PUBLISHED

    @property
    def scope_label(self) -> str:
        return self.municipality.name if self.municipality else "Вся сеть"

    def __repr__(self) -> str:
        return f"<Plan {self.id} {self.title!r}>"


plan_item_audiences = sa.Table(
    "plan_item_audiences",
    db.metadata,
    sa.Column("plan_item_id", sa.ForeignKey("plan_items.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("audience_id", sa.ForeignKey("audiences.id"), primary_key=True, index=True),
)


class PlanItem(db.Model):
    __tablename__ = "plan_items"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "number"),
        sa.CheckConstraint(
            "period_end IS NULL OR period_start IS NULL OR period_end >= period_start", name="period_order"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    #: the number as written in the plan: «1.2», «14»
    number: Mapped[str] = mapped_column(sa.String(20))
    #: sort key derived from the number («1.10» after «1.9»)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.Text)
    direction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("directions.id"), nullable=True, index=True)
    form_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event_forms.id"), nullable=True, index=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id"), nullable=True, index=True)
    #: timing exactly as written: «Апрель–май, ежегодно», «Постоянно по запросам»
    timing_text: Mapped[str] = mapped_column(sa.String(300), default="")
    #: the normalized period the timing covers (None when it cannot be said)
    period_start: Mapped[date | None] = mapped_column(nullable=True)
    period_end: Mapped[date | None] = mapped_column(nullable=True)
    #: прогнозируемый результат
    expected_result: Mapped[str] = mapped_column(sa.Text, default="")
    #: the responsible person or body, as written in the plan
    responsible: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[ItemStatus] = mapped_column(
        enum_column(ItemStatus, "item_status"), default=ItemStatus.PLANNED, index=True
    )
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    plan: Mapped[Plan] = relationship(back_populates="items")
    direction = relationship("Direction")
    form = relationship("EventForm")
    site = relationship("Site")
    audiences = relationship("Audience", secondary=plan_item_audiences, order_by="Audience.position")
    sessions = relationship("EventSession", back_populates="plan_item", order_by="EventSession.start_dt")

    def __repr__(self) -> str:
        return f"<PlanItem {self.id} {self.number} {self.title[:30]!r}>"
