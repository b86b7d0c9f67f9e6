"""A person's secret calendar feeds: «мои мероприятия» and, for site leaders, «сессии моих площадок»."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.dbtypes import LabelledEnum, UTCDateTime, enum_column, utcnow
from webapp.extensions import db

#: reminder choices offered for personal feeds, in minutes before the start (None: no reminder)
ALARM_CHOICES: list[tuple[int, str]] = [
    (15, "за 15 минут"), (30, "за 30 минут"), (60, "за 1 час"), (120, "за 2 часа"),
    (1440, "за 1 день"), (2880, "за 2 дня"),
]
MAX_ALARM_MINUTES = 10_080


class FeedKind(LabelledEnum):
    PERSONAL = "personal", "Мои мероприятия"
    LEADER = "leader", "Мероприятия моих площадок"


class CalendarFeed(db.Model):
    """One secret feed URL of a person.

    The URL carries the row's random ``selector`` and a signature of it made with the server's
    feed key (webapp/calendar/tokens.py), so the table alone — a leaked backup — gives no usable
    URL. «Сбросить ссылку» draws a new selector: the old URL then answers 404.
    """

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", name="uq_calendar_feeds_user_kind"),
        sa.CheckConstraint(f"alarm_minutes IS NULL OR (alarm_minutes > 0 AND alarm_minutes <= {MAX_ALARM_MINUTES})",
                           name="alarm_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[FeedKind] = mapped_column(enum_column(FeedKind, "calendar_feed_kind"))
    #: random, 128 bits, URL-safe; looked up by the feed route
    selector: Mapped[str] = mapped_column(sa.String(32), unique=True)
    #: a VALARM this many minutes before each session (None: no reminder)
    alarm_minutes: Mapped[int | None] = mapped_column(nullable=True)
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the last «Сбросить ссылку» (None: never reset)
    reset_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: moved by a change of the reminder or the selector, or of the account's standing (see
    #: `touch_feeds_of`): part of the feed's version, and its maximum tells every process that
    #: what it remembers of feeds may no longer hold
    updated_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    user = relationship("User")

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id} {self.kind.value} user={self.user_id}>"


def touch_feeds_of(user_id: int) -> None:
    """Mark a person's feeds changed (her account was switched off or on: the feeds answer 404, or
    again content), so that no process answers a poll of them from what it remembers."""
    db.session.execute(sa.update(CalendarFeed).where(CalendarFeed.user_id == user_id)
                       .values(updated_dt=utcnow()))
