"""The outbox: every e-mail is stored first and sent by `flask outbox send`.

A message is queued either rendered (subject, body, HTML, attachments) or as a template name and
its context, rendered by the sender (`webapp.mail.services.render`): queueing then costs one
INSERT, which keeps hot transactions — a registration rush holds the session lock while it
queues — short.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.dbtypes import UTCDateTime, utcnow
from webapp.extensions import db


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_messages_pending", "sent_dt", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    #: the same message as HTML (optional); `body` is the plain-text part
    html_body: Mapped[str] = mapped_column(sa.Text, default="")
    #: [{"filename", "content_type", "content"}] with text content (e.g. an .ics invitation)
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: the renderer of a message queued unrendered ("" once rendered or when queued rendered)
    template: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    #: what the renderer needs: ids and a snapshot of what happened (JSON; no markup)
    context: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default="{}")
    created_dt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_dt: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.String(1000), default="")

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} to={self.recipient}>"
