"""Secret tokens of personal feed URLs.

A token is ``selector + signature``:

- the selector is random (128 bits, ``secrets.token_urlsafe(16)``, 22 characters) and stored in
  ``calendar_feeds`` so the route can find the feed with an index lookup;
- the signature is HMAC-SHA256 of the feed kind and selector under the feed key (``FEED_TOKEN_KEY``,
  derived from ``SECRET_KEY`` unless set), 192 bits shown, never stored.

So the URL can be shown again whenever its owner opens «Календарь» (calendars are subscribed
from a phone and a laptop at different times), while a copy of the database alone yields no
usable URL. The signature is compared with ``hmac.compare_digest``; an unknown selector costs the
same HMAC, and both answer the same 404. Tokens are independent of the password: changing it
does not break subscriptions, «Сбросить ссылку» does (a new selector).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app

SELECTOR_LENGTH = 22  # secrets.token_urlsafe(16)
SIGNATURE_LENGTH = 32  # 24 bytes of the HMAC, base64url
TOKEN_LENGTH = SELECTOR_LENGTH + SIGNATURE_LENGTH
_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def new_selector() -> str:
    selector = secrets.token_urlsafe(16)
    assert len(selector) == SELECTOR_LENGTH
    return selector


def _key() -> bytes:
    config = current_app.config
    key = config.get("FEED_TOKEN_KEY")
    if key:
        return key.encode() if isinstance(key, str) else key
    cached = current_app.extensions.get("feed_token_key")
    if cached is None:
        secret = config["SECRET_KEY"]
        secret = secret.encode() if isinstance(secret, str) else secret
        cached = hmac.new(secret, b"calendar-feed-token-key", hashlib.sha256).digest()
        current_app.extensions["feed_token_key"] = cached
    return cached


def signature(kind: str, selector: str) -> str:
    digest = hmac.new(_key(), f"{kind}:{selector}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def token_for(kind: str, selector: str) -> str:
    return selector + signature(kind, selector)


def split(token: str) -> tuple[str, str] | None:
    """The selector and signature of a well-formed token, else None (no lookup needed)."""
    if len(token) != TOKEN_LENGTH or not set(token) <= _ALPHABET:
        return None
    return token[:SELECTOR_LENGTH], token[SELECTOR_LENGTH:]


def verify(kind: str, selector: str | None, given_signature: str) -> bool:
    """Whether the signature belongs to the selector (None: no such feed; the same work is done)."""
    expected = signature(kind, selector if selector is not None else "-" * SELECTOR_LENGTH)
    return hmac.compare_digest(expected, given_signature) and selector is not None
