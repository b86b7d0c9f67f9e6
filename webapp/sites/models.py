"""Sites: internship, support, innovation, consultation sites and resource centres."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.dbtypes import LabelledEnum, UTCDateTime, enum_column, utcnow
from webapp.extensions import db


class SiteKind(LabelledEnum):
    INTERNSHIP = "internship", "Стажировочная площадка"
    SUPPORT = "support", "Опорная площадка"
    INNOVATION = "innovation", "Инновационная площадка"
    CONSULTATION = "consultation", "Консультационная площадка"
    RESOURCE_CENTRE = "resource_centre", "Ресурсный центр"


class Level(LabelledEnum):
    FEDERAL = "federal", "Федеральный"
    REGIONAL = "regional", "Краевой (региональный)"
    MUNICIPAL = "municipal", "Муниципальный"
    SCHOOL = "school", "Школьный"


site_directions = sa.Table(
    "site_directions",
    db.metadata,
    sa.Column("site_id", sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("direction_id", sa.ForeignKey("directions.id"), primary_key=True, index=True),
)


class Site(db.Model):
    __tablename__ = "sites"
    __table_args__ = (
        sa.CheckConstraint("period_end IS NULL OR period_start IS NULL OR period_end >= period_start",
                           name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[SiteKind] = mapped_column(enum_column(SiteKind, "site_kind"), index=True)
    level: Mapped[Level] = mapped_column(enum_column(Level, "site_level"), default=Level.MUNICIPAL)
    #: the host organization (a school with proven practice, a centre…)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organizations.id"), index=True)
    #: the methodist who supervises the site (куратор)
    curator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: the modular programme, one module a line
    programme: Mapped[str] = mapped_column(sa.Text, default="")
    #: the order that assigned the status: «№ 1234» of order_date
    order_number: Mapped[str] = mapped_column(sa.String(100), default="")
    order_date: Mapped[date | None] = mapped_column(nullable=True)
    period_start: Mapped[date | None] = mapped_column(nullable=True)
    period_end: Mapped[date | None] = mapped_column(nullable=True)
    #: a site whose status ended stays for reports but leaves the pickers
    is_active: Mapped[bool] = mapped_column(default=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    organization = relationship("Organization", lazy="joined", innerjoin=True)
    curator = relationship("User", foreign_keys=[curator_id])
    directions = relationship("Direction", secondary=site_directions, order_by="Direction.position")
    leader_grants = relationship(
        "RoleGrant",
        primaryjoin="and_(RoleGrant.site_id == Site.id, RoleGrant.role == 'site_leader')",
        viewonly=True,
    )

    @property
    def municipality(self):
        return self.organization.municipality

    def __repr__(self) -> str:
        return f"<Site {self.id} {self.name!r}>"
