"""Attendance: who came to a session (marked by staff or by QR self check-in), its audit trail,
and the certificates of participation issued for attended sessions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.dbtypes import LabelledEnum, UTCDateTime, enum_column, utcnow
from webapp.extensions import db


class AttendanceStatus(LabelledEnum):
    PRESENT = "present", "Присутствовал"
    LATE = "late", "Опоздал"
    ABSENT = "absent", "Отсутствовал"
    EXCUSED = "excused", "Уважительная причина"

    @property
    def attended(self) -> bool:
        """Counts as taking part: the growth record, hours, certificates, check-lists."""
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class MarkSource(LabelledEnum):
    """How a mark was made."""

    STAFF = "staff", "отметка организатора"
    BULK = "bulk", "«отметить всех присутствующими»"
    QR = "qr", "QR-код"
    CLOSING = "closing", "закрытие списка"
    WALK_IN = "walk_in", "добавлен на месте"


class Attendance(db.Model):
    """One person's attendance at one session. A row exists once she is marked; the roster's
    unmarked people are confirmed registrants without a row."""

    __tablename__ = "attendances"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "user_id", name="uq_attendances_session_user"),
        sa.Index("ix_attendances_session_status", "session_id", "status"),
        sa.Index("ix_attendances_user_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("event_sessions.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    #: the registration she came with (None: a walk-in)
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registrations.id"), nullable=True,
                                                        index=True)
    #: her organization when marked (reports count organizations as they were)
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organizations.id"), nullable=True,
                                                        index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus, "attendance_status"))
    remark: Mapped[str] = mapped_column(sa.String(500), default="")
    #: came without a registration and was added on the spot (by staff or by QR check-in)
    walk_in: Mapped[bool] = mapped_column(default=False)
    source: Mapped[MarkSource] = mapped_column(enum_column(MarkSource, "attendance_source"),
                                               default=MarkSource.STAFF)
    marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    marked_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    session = relationship("EventSession")
    user = relationship("User", foreign_keys=[user_id])
    organization = relationship("Organization")
    marked_by = relationship("User", foreign_keys=[marked_by_id])
    registration = relationship("Registration")

    @property
    def attended(self) -> bool:
        return self.status.attended

    def __repr__(self) -> str:
        return f"<Attendance s={self.session_id} u={self.user_id} {self.status}>"


class AttendanceChange(db.Model):
    """The audit trail of a mark: old → new status and remark, who, when, how."""

    __tablename__ = "attendance_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    attendance_id: Mapped[int] = mapped_column(sa.ForeignKey("attendances.id"), index=True)
    from_status: Mapped[AttendanceStatus | None] = mapped_column(
        enum_column(AttendanceStatus, "attendance_from_status"), nullable=True)
    to_status: Mapped[AttendanceStatus] = mapped_column(enum_column(AttendanceStatus, "attendance_to_status"))
    from_remark: Mapped[str] = mapped_column(sa.String(500), default="")
    to_remark: Mapped[str] = mapped_column(sa.String(500), default="")
    source: Mapped[MarkSource] = mapped_column(enum_column(MarkSource, "attendance_change_source"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), nullable=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attendance = relationship("Attendance")
    actor = relationship("User")

    def __repr__(self) -> str:
        return f"<AttendanceChange {self.attendance_id} {self.from_status}->{self.to_status}>"


class Certificate(db.Model):
    """A certificate of participation. The number is random (not a counter), so that the public
    verification page cannot be walked; it stays genuine only while the attendance counts."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    attendance_id: Mapped[int] = mapped_column(sa.ForeignKey("attendances.id"), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("event_sessions.id"), index=True)
    #: academic hours stated on the certificate when it was issued
    hours: Mapped[int]
    issued_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attendance = relationship("Attendance")
    user = relationship("User")
    session = relationship("EventSession")

    def __repr__(self) -> str:
        return f"<Certificate {self.number}>"
