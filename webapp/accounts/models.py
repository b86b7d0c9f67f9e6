"""People and their roles."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.dbtypes import LabelledEnum, UTCDateTime, enum_column, utcnow
from webapp.extensions import db


class Role(LabelledEnum):
    COORDINATOR = "coordinator", "Координатор ОО"
    SITE_LEADER = "site_leader", "Руководитель площадки"
    METHODIST = "methodist", "Методист ТМС"
    ADMIN = "admin", "Администратор сети"


#: the audiences a person belongs to (self-declared in the profile): «Молодые педагоги», …
user_audiences = sa.Table(
    "user_audiences",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("audience_id", sa.ForeignKey("audiences.id"), primary_key=True, index=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stored lower-cased; the login
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256), default="")
    last_name: Mapped[str] = mapped_column(sa.String(100))
    first_name: Mapped[str] = mapped_column(sa.String(100))
    middle_name: Mapped[str] = mapped_column(sa.String(100), default="")
    organization_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id"), nullable=True, index=True
    )
    position: Mapped[str] = mapped_column(sa.String(200), default="")
    #: free text: «Математика, информатика»
    subjects: Mapped[str] = mapped_column(sa.String(300), default="")
    years_experience: Mapped[int | None] = mapped_column(nullable=True)
    #: consent to personal-data processing (152-ФЗ); the time it was given
    consent_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: lower-cased ФИО and e-mail for the admin's search
    search_text: Mapped[str] = mapped_column(sa.String(700), default="", index=True)

    organization = relationship("Organization")
    audiences = relationship("Audience", secondary=user_audiences, order_by="Audience.position")
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="RoleGrant.user_id"
    )

    __table_args__ = (
        sa.CheckConstraint("years_experience IS NULL OR (years_experience >= 0 AND years_experience <= 80)",
                           name="years_experience_range"),
    )

    # -- identity ---------------------------------------------------------------------------
    @property
    def full_name(self) -> str:
        """ФИО in Russian order: Фамилия Имя Отчество."""
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def short_name(self) -> str:
        """Фамилия И. О."""
        initials = " ".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip()

    def refresh_search_text(self) -> None:
        self.search_text = f"{self.full_name} {self.email}".casefold()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    # -- roles ------------------------------------------------------------------------------
    def has_role(self, role: Role) -> bool:
        return any(g.role == role for g in self.grants)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    def scope_ids(self, role: Role) -> set[int]:
        """The organization, municipality or site ids a scoped role covers."""
        column = {Role.COORDINATOR: "organization_id", Role.METHODIST: "municipality_id",
                  Role.SITE_LEADER: "site_id"}[role]
        return {getattr(g, column) for g in self.grants if g.role == role}

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class RoleGrant(db.Model):
    """A role given to a person, with its scope: an organization, a municipality or a site."""

    __tablename__ = "role_grants"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "role", "organization_id", "municipality_id", "site_id",
                            name="uq_role_grants_scope"),
        sa.CheckConstraint(
            "(role = 'admin' AND organization_id IS NULL AND municipality_id IS NULL AND site_id IS NULL)"
            " OR (role = 'coordinator' AND organization_id IS NOT NULL AND municipality_id IS NULL AND site_id IS NULL)"
            " OR (role = 'methodist' AND municipality_id IS NOT NULL AND organization_id IS NULL AND site_id IS NULL)"
            " OR (role = 'site_leader' AND site_id IS NOT NULL AND organization_id IS NULL AND municipality_id IS NULL)",
            name="scope_matches_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"), nullable=True)
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipalities.id"), nullable=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id"), nullable=True, index=True)
    granted_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])
    organization = relationship("Organization")
    municipality = relationship("Municipality")
    site = relationship("Site")

    @property
    def scope_label(self) -> str:
        target = self.organization or self.municipality or self.site
        return getattr(target, "name", "") if target else "вся сеть"

    def __repr__(self) -> str:
        return f"<RoleGrant {self.user_id} {self.role}>"
