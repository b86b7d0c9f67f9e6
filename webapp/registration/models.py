"""Registrations of people for sessions, and the history of every change of their state."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.dbtypes import LabelledEnum, UTCDateTime, enum_column, utcnow
from webapp.extensions import db


class RegStatus(LabelledEnum):
    PENDING = "pending", "Ожидает подтверждения"
    CONFIRMED = "confirmed", "Подтверждена"
    WAITLISTED = "waitlisted", "В листе ожидания"
    REJECTED = "rejected", "Отклонена"
    CANCELLED = "cancelled", "Отменена"

    @property
    def holds_seat(self) -> bool:
        """Capacity counts pending applications too, so that approvals can never overbook."""
        return self in (RegStatus.PENDING, RegStatus.CONFIRMED)

    @property
    def is_active(self) -> bool:
        return self in (RegStatus.PENDING, RegStatus.CONFIRMED, RegStatus.WAITLISTED)


ACTIVE_STATUSES = (RegStatus.PENDING, RegStatus.CONFIRMED, RegStatus.WAITLISTED)
SEAT_STATUSES = (RegStatus.PENDING, RegStatus.CONFIRMED)


class Registration(db.Model):
    """One person's place at one session (the row is reused when she registers again)."""

    __tablename__ = "registrations"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "user_id", name="uq_registrations_session_user"),
        # two people can never hold the same waiting-list ticket
        sa.UniqueConstraint("session_id", "queue_ticket", name="uq_registrations_session_ticket"),
        sa.CheckConstraint("(status = 'waitlisted') = (queue_ticket IS NOT NULL)", name="ticket_iff_waitlisted"),
        sa.Index("ix_registrations_session_status", "session_id", "status"),
        sa.Index("ix_registrations_user_status", "user_id", "status"),
        sa.Index("ix_registrations_org_status", "organization_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("event_sessions.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: the participant's organization when she registered (quotas and the coordinator's view)
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"), nullable=True)
    status: Mapped[RegStatus] = mapped_column(enum_column(RegStatus, "registration_status"))
    #: waiting-list order: the session's queue counter when she joined the list
    queue_ticket: Mapped[int | None] = mapped_column(nullable=True)
    #: why she waits («Квота школы исчерпана»), why rejected or cancelled
    reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    #: the coordinator who nominated her (team nomination), if any
    nominated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    coordinator_approved_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    coordinator_approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    staff_approved_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    staff_approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    #: the day-before reminder went out (flask reminders send is idempotent through it)
    reminded_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    session = relationship("EventSession")
    user = relationship("User", foreign_keys=[user_id])
    organization = relationship("Organization")
    nominated_by = relationship("User", foreign_keys=[nominated_by_id])

    #: her place in line, set by the service that just decided it (not stored: it moves)
    waitlist_position = None

    @property
    def holds_seat(self) -> bool:
        return self.status.holds_seat

    def __repr__(self) -> str:
        return f"<Registration {self.id} s={self.session_id} u={self.user_id} {self.status}>"


class RegistrationChange(db.Model):
    """The history of a registration: from, to, who, when, why."""

    __tablename__ = "registration_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(sa.ForeignKey("registrations.id"), index=True)
    from_status: Mapped[RegStatus | None] = mapped_column(enum_column(RegStatus, "registration_from_status"),
                                                          nullable=True)
    to_status: Mapped[RegStatus] = mapped_column(enum_column(RegStatus, "registration_to_status"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    registration = relationship("Registration")
    actor = relationship("User")

    def __repr__(self) -> str:
        return f"<RegistrationChange {self.registration_id} {self.from_status}->{self.to_status}>"
