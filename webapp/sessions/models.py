"""Sessions: dated occurrences of plan items or of a site's programme, with their materials."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.dbtypes import LabelledEnum, UTCDateTime, enum_column, utcnow
from webapp.extensions import db
from webapp.sites.models import Level

MAX_CAPACITY = 10_000


ACADEMIC_HOUR_MINUTES = 45


def session_hours(academic_hours: int | None, start: datetime, end: datetime) -> int:
    """Academic hours (45 minutes): as set by hand, or from the span rounded half up, at least one."""
    if academic_hours:
        return academic_hours
    minutes = (end - start).total_seconds() / 60
    return max(1, int(minutes / ACADEMIC_HOUR_MINUTES + 0.5))


class Delivery(LabelledEnum):
    IN_PERSON = "in_person", "Очно"
    ONLINE = "online", "Дистанционно"
    BLENDED = "blended", "Смешанно"


class ApprovalMode(LabelledEnum):
    """Who must approve an application before it becomes a confirmed seat."""

    NONE = "none", "Без подтверждения"
    COORDINATOR = "coordinator", "Координатор школы участника"
    STAFF = "staff", "Руководитель площадки или методист"
    BOTH = "both", "Координатор школы, затем площадка или методист"

    @property
    def needs_coordinator(self) -> bool:
        return self in (ApprovalMode.COORDINATOR, ApprovalMode.BOTH)

    @property
    def needs_staff(self) -> bool:
        return self in (ApprovalMode.STAFF, ApprovalMode.BOTH)


class SessionStatus(LabelledEnum):
    SCHEDULED = "scheduled", "Запланировано"
    CANCELLED = "cancelled", "Отменено"


session_audiences = sa.Table(
    "session_audiences",
    db.metadata,
    sa.Column("session_id", sa.ForeignKey("event_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("audience_id", sa.ForeignKey("audiences.id"), primary_key=True, index=True),
)

#: registration limited to people of these municipalities (none: everyone)
session_municipalities = sa.Table(
    "session_municipalities",
    db.metadata,
    sa.Column("session_id", sa.ForeignKey("event_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("municipality_id", sa.ForeignKey("municipalities.id"), primary_key=True, index=True),
)


class EventSession(db.Model):
    __tablename__ = "event_sessions"
    __table_args__ = (
        sa.CheckConstraint("end_dt > start_dt", name="ends_after_start"),
        sa.CheckConstraint(f"capacity IS NULL OR (capacity >= 0 AND capacity <= {MAX_CAPACITY})",
                           name="capacity_range"),
        sa.CheckConstraint("seats_taken >= 0", name="seats_taken_nonnegative"),
        sa.CheckConstraint("registration_closes_dt IS NULL OR registration_closes_dt <= end_dt",
                           name="registration_closes_before_end"),
        sa.CheckConstraint(
            "registration_opens_dt IS NULL OR registration_closes_dt IS NULL"
            " OR registration_opens_dt < registration_closes_dt",
            name="registration_window_order",
        ),
        sa.CheckConstraint("delivery = 'in_person' OR online_url <> ''", name="online_has_link"),
        sa.CheckConstraint("revision >= 1", name="revision_positive"),
        sa.CheckConstraint("org_quota IS NULL OR org_quota >= 1", name="org_quota_positive"),
        sa.CheckConstraint("queue_counter >= 0", name="queue_counter_nonnegative"),
        # the last line of defence against overbooking, under the service's row lock
        sa.CheckConstraint("capacity IS NULL OR seats_taken <= capacity", name="seats_within_capacity"),
        sa.CheckConstraint("academic_hours IS NULL OR (academic_hours >= 1 AND academic_hours <= 200)",
                           name="academic_hours_range"),
        sa.CheckConstraint("late_after_minutes >= 0 AND late_after_minutes <= 600", name="late_after_range"),
        sa.Index("ix_event_sessions_status_start", "status", "start_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan_items.id"), nullable=True, index=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sites.id"), nullable=True, index=True)
    #: whose methodist owns it, and whose time zone is the default
    municipality_id: Mapped[int] = mapped_column(sa.ForeignKey("municipalities.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    form_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event_forms.id"), nullable=True, index=True)
    direction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("directions.id"), nullable=True, index=True)
    level: Mapped[Level | None] = mapped_column(enum_column(Level, "session_level"), nullable=True)
    start_dt: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end_dt: Mapped[datetime] = mapped_column(UTCDateTime)
    #: IANA zone the times were entered in and are shown in
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Moscow")
    delivery: Mapped[Delivery] = mapped_column(
        enum_column(Delivery, "delivery"), default=Delivery.IN_PERSON, index=True
    )
    address: Mapped[str] = mapped_column(sa.String(500), default="")
    online_url: Mapped[str] = mapped_column(sa.String(1000), default="")
    #: None: no limit
    capacity: Mapped[int | None] = mapped_column(nullable=True)
    #: seats held by registrations (maintained by the registration service)
    seats_taken: Mapped[int] = mapped_column(default=0)
    registration_opens_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    registration_closes_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    approval: Mapped[ApprovalMode] = mapped_column(enum_column(ApprovalMode, "approval_mode"),
                                                   default=ApprovalMode.NONE)
    #: at most this many seats for people of one organization (None: no quota)
    org_quota: Mapped[int | None] = mapped_column(nullable=True)
    #: only people nominated by their coordinator or added by staff may take part
    invitation_only: Mapped[bool] = mapped_column(default=False)
    #: only people who belong to one of the session's audiences may register
    audience_restricted: Mapped[bool] = mapped_column(default=False)
    #: when the session is full, further applications join a waiting list (else they are refused)
    waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    #: participants may cancel themselves until then (None: until the start)
    cancel_deadline_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: the last waiting-list ticket handed out; tickets order the list
    queue_counter: Mapped[int] = mapped_column(default=0)
    #: duration in academic hours, when set by hand (None: from the start and end, 45 minutes each)
    academic_hours: Mapped[int | None] = mapped_column(nullable=True)
    #: QR check-in after this many minutes past the start marks «опоздал»
    late_after_minutes: Mapped[int] = mapped_column(default=10, server_default="10")
    #: people without a registration may check in by QR code (staff can always add walk-ins)
    walk_ins_allowed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: the roster was closed (unmarked → absent); marks stay editable for a while after it
    roster_closed_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    roster_closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus, "session_status"), default=SessionStatus.SCHEDULED
    )
    cancel_reason: Mapped[str] = mapped_column(sa.String(1000), default="")
    #: when it was cancelled (None: it is not): calendar feeds keep a cancelled session 60 days
    cancelled_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: bumped whenever time, place or status changes (calendar SEQUENCE)
    revision: Mapped[int] = mapped_column(default=1)
    #: lower-cased title, description, site and organization, for the free-text filter
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the last change of what the session says about itself (set by the session service; unlike
    #: updated_dt, a registration moving the seat counters does not touch it): calendars' DTSTAMP
    changed_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: indexed: its maximum is part of the public page cache's content version
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    plan_item = relationship("PlanItem", back_populates="sessions")
    site = relationship("Site")
    municipality = relationship("Municipality")
    form = relationship("EventForm")
    direction = relationship("Direction")
    audiences = relationship("Audience", secondary=session_audiences, order_by="Audience.position")
    allowed_municipalities = relationship("Municipality", secondary=session_municipalities,
                                          order_by="Municipality.name")
    materials: Mapped[list[SessionMaterial]] = relationship(
        back_populates="session", order_by="SessionMaterial.id", cascade="all, delete-orphan"
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_draft(self) -> bool:
        """A session of an unpublished plan: it does not exist for the public yet."""
        plan = self.plan_item.plan if self.plan_item else None
        return plan is not None and plan.status.value != "published"

    @property
    def approval_required(self) -> bool:
        return self.approval != ApprovalMode.NONE

    @property
    def self_cancel_until(self) -> datetime:
        return self.cancel_deadline_dt or self.start_dt

    @property
    def place(self) -> str:
        """Where it happens, in words: «Онлайн», else the address (of the host school by default)."""
        if self.delivery == Delivery.ONLINE:
            return "Онлайн"
        return self.address or (self.site.organization.address if self.site else "")

    @property
    def hours(self) -> int:
        """Academic hours (45 minutes): as set, or from the duration, at least one."""
        return session_hours(self.academic_hours, self.start_dt, self.end_dt)

    @property
    def free_seats(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    def __repr__(self) -> str:
        return f"<EventSession {self.id} {self.title[:30]!r}>"


class SessionMaterial(db.Model):
    """A handout: a link, or a file uploaded to the instance's upload folder."""

    __tablename__ = "session_materials"
    __table_args__ = (sa.CheckConstraint("url <> '' OR stored_name <> ''", name="link_or_file"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("event_sessions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    url: Mapped[str] = mapped_column(sa.String(1000), default="")
    #: the user's file name, shown and offered on download
    file_name: Mapped[str] = mapped_column(sa.String(255), default="")
    #: random name on disk; never derived from user input
    stored_name: Mapped[str] = mapped_column(sa.String(64), default="")
    content_type: Mapped[str] = mapped_column(sa.String(100), default="")
    size: Mapped[int] = mapped_column(default=0)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[EventSession] = relationship(back_populates="materials")

    @property
    def is_file(self) -> bool:
        return bool(self.stored_name)

    def __repr__(self) -> str:
        return f"<SessionMaterial {self.id} {self.title!r}>"
