"""A person's secret calendar feeds: «мои мероприятия» and, for site leaders, «сессии моих площадок»."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

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


def touch_feeds_of(session: Session, user_ids: list[int]) -> None:
    """Mark these people's feeds changed, so that no process answers a poll of them from what it
    remembers (webapp.calendar.feeds.known_personal_version)."""
    table = CalendarFeed.__table__
    session.connection().execute(sa.update(table).where(table.c.user_id.in_(user_ids))
                                 .values(updated_dt=utcnow()))


@sa.event.listens_for(Session, "before_flush")
def _account_switched(session: Session, flush_context, instances) -> None:
    """An account switched off (or on again), by any code path: her feeds answer 404 (or content
    again) at the next poll, not only at the next change elsewhere."""
    from webapp.accounts.models import User

    switched = [user.id for user in session.dirty
                if isinstance(user, User) and user.id is not None
                and sa.inspect(user).attrs.is_active.history.has_changes()]
    if switched:
        touch_feeds_of(session, switched)
