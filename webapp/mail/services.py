"""Queueing and sending e-mail through the outbox table."""

from __future__ import annotations

import importlib
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app, has_request_context, request, url_for

from webapp.dbtypes import utcnow
from webapp.extensions import db
from webapp.mail.models import OutboxMessage

MAX_ATTEMPTS = 10

#: template name → "module:function" that renders such a message from its stored context:
#: function(context: dict, cache: dict) -> dict(body=…, html=…, attachments=[…]); `cache` lives
#: for one sending run (e.g. one .ics per session for a hundred messages about it)
RENDERERS = {
    "registration": "webapp.registration.notify:render_message",
}


class RenderError(Exception):
    """The message cannot be rendered (what it is about is gone); it stays queued with the error."""


def queue_email(recipient: str, subject: str, body: str, html: str = "",
                attachments: list[dict] | None = None) -> OutboxMessage:
    """Store a message in the current transaction: it is sent only if the transaction commits."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, html_body=html,
                            attachments=attachments or [])
    db.session.add(message)
    return message


def templated_row(recipient: str, subject: str, template: str, context: dict) -> dict:
    """An outbox row (column → value) to be rendered by the sender: what a bulk INSERT takes.

    The links in it will point at this request's address (or PUBLIC_BASE_URL), as if rendered now.
    """
    if template not in RENDERERS:
        raise ValueError(f"unknown e-mail template {template!r}")
    if has_request_context() and not current_app.config.get("PUBLIC_BASE_URL"):
        context = {**context, "base_url": request.url_root}
    return dict(recipient=recipient, subject=subject[:300], body="", html_body="", attachments=[],
                template=template, context=context, created_dt=utcnow(), attempts=0, last_error="")


def queue_templated(recipient: str, subject: str, template: str, context: dict) -> OutboxMessage:
    """Store a message to be rendered when it is sent (same transaction rule as queue_email)."""
    message = OutboxMessage(**templated_row(recipient, subject, template, context))
    db.session.add(message)
    return message


def render(message: OutboxMessage, cache: dict | None = None) -> None:
    """Fill in the body, HTML and attachments of a message queued unrendered (no-op otherwise)."""
    if not message.template:
        return
    module, _, name = RENDERERS[message.template].partition(":")
    renderer = getattr(importlib.import_module(module), name)
    base_url = (message.context or {}).get("base_url")
    if base_url and not has_request_context():
        with current_app.test_request_context(base_url=base_url):
            parts = renderer(message.context, {} if cache is None else cache)
    else:
        parts = renderer(message.context, {} if cache is None else cache)
    message.body = parts["body"]
    message.html_body = parts.get("html", "")
    message.attachments = parts.get("attachments", [])
    message.template = ""


def render_pending() -> int:
    """Render every message still queued unrendered (tests and admins read bodies; sending renders too)."""
    messages = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.template != "")
                                  .order_by(OutboxMessage.id)).all()
    cache: dict = {}
    for message in messages:
        render(message, cache)
    db.session.flush()
    return len(messages)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail: PUBLIC_BASE_URL when set, else the current request's host."""
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url="http://127.0.0.1:5000"):
        return url_for(endpoint, _external=True, **values)


def _deliver(message: OutboxMessage) -> None:
    config = current_app.config
    if not config["MAIL_SERVER"]:
        current_app.logger.info("E-mail to %s: %s\n%s", message.recipient, message.subject, message.body)
        return
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid()
    email.set_content(message.body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    for item in message.attachments or []:
        maintype, _, subtype = item["content_type"].partition("/")
        email.add_attachment(item["content"].encode(), maintype=maintype, subtype=subtype.split(";")[0],
                             filename=item["filename"])
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def send_pending(limit: int = 500) -> tuple[int, int]:
    """Send unsent messages, committing after each so that a crash never sends one twice.

    Returns (sent, failed). A failed message stays queued and is retried next run.
    """
    sent = failed = 0
    cache: dict = {}
    ids = db.session.scalars(
        sa.select(OutboxMessage.id).where(OutboxMessage.sent_dt.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id).limit(limit)).all()
    for message_id in ids:
        message = db.session.get(OutboxMessage, message_id)
        message.attempts += 1
        try:
            render(message, cache)
            _deliver(message)
        except (OSError, smtplib.SMTPException, RenderError) as error:
            message.last_error = str(error)[:1000]
            failed += 1
        else:
            message.sent_dt = utcnow()
            message.last_error = ""
            sent += 1
        db.session.commit()
    return sent, failed
