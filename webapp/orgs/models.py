"""Municipalities and organizations."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.dbtypes import LabelledEnum, UTCDateTime, enum_column, utcnow
from webapp.extensions import db


class Municipality(db.Model):
    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: «г. Краснодар», «Павловский район»
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    #: IANA zone; session times are entered and shown in it
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Moscow")
    #: name of the municipal methodical service (ТМС/ММС)
    methodical_service: Mapped[str] = mapped_column(sa.String(300), default="")
    #: indexed: its maximum tells calendar feeds that a name they show changed
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<Municipality {self.id} {self.name!r}>"


class OrgKind(LabelledEnum):
    SCHOOL = "school", "Школа"
    KINDERGARTEN = "kindergarten", "Детский сад"
    SUPPLEMENTARY = "supplementary", "Дополнительное образование"
    METHODICAL_CENTRE = "methodical_centre", "Методический центр"
    INSTITUTE = "institute", "Институт / ЦНППМ"
    COLLEGE = "college", "Колледж"
    UNIVERSITY = "university", "Вуз"


class SchoolCategory(LabelledEnum):
    LEADER = "leader", "Школа-лидер (наставник)"
    PROMISING = "promising", "«Подающая надежды»"
    HIDDEN_RESERVE = "hidden_reserve", "«Скрытый резерв»"


class Organization(db.Model):
    __tablename__ = "organizations"
    __table_args__ = (sa.UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: short name as people write it: «МБОУ СОШ № 12»
    name: Mapped[str] = mapped_column(sa.String(300))
    full_name: Mapped[str] = mapped_column(sa.String(600), default="")
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind, "org_kind"))
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    address: Mapped[str] = mapped_column(sa.String(500), default="")
    category: Mapped[SchoolCategory | None] = mapped_column(
        enum_column(SchoolCategory, "school_category"), nullable=True
    )
    #: ШНОР: a school with low educational results
    low_results: Mapped[bool] = mapped_column(default=False)
    #: lower-cased name and full name, for search that works the same on SQLite and PostgreSQL
    search_text: Mapped[str] = mapped_column(sa.String(1000), default="", index=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: indexed: its maximum tells calendar feeds that a name or address they show changed
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    municipality: Mapped[Municipality] = relationship(lazy="joined", innerjoin=True)

    def refresh_search_text(self) -> None:
        self.search_text = f"{self.name} {self.full_name}".casefold()

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.name!r}>"
