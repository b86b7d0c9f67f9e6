"""A small in-process cache of whole public pages for anonymous visitors.

The public plan is the page everyone opens and it changes rarely compared with how often it is
read. Each worker keeps the last rendered bodies, keyed by the URL, the rendering variant (page or
htmx fragment), the Moscow date and a *content version* read from the database with one cheap
query (indexed maxima and counts). Any change that the version sees shows at once, in every
worker; what it does not see (an organization or a taxonomy term renamed) shows within
``PUBLIC_PAGE_CACHE_SECONDS``.

Only anonymous GETs without pending flash messages are served from the cache; logged-in users
always get a fresh rendering. The CSRF token in the body is swapped for the visitor's own.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from functools import wraps

from flask import current_app, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from webapp.htmx import is_fragment_request
from webapp.timefmt import MOSCOW

TOKEN_PLACEHOLDER = "\x00csrf-token\x00"
MAX_ENTRIES = 512


class _Entry:
    __slots__ = ("body", "expires", "headers")

    def __init__(self, body: str, headers: list[tuple[str, str]], expires: float):
        self.body, self.headers, self.expires = body, headers, expires


class PageCache:
    def __init__(self, max_entries: int = MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.expires < time.monotonic():
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, entry: _Entry) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def cache_of(app) -> PageCache:
    return app.extensions.setdefault("page_cache", PageCache())


def _cacheable() -> bool:
    return (
        request.method == "GET"
        and current_app.config.get("PUBLIC_PAGE_CACHE_SECONDS", 0) > 0
        and not current_user.is_authenticated
        and not session.get("_flashes")
    )


def public_page(version: Callable[[], Hashable]):
    """Serve an anonymous GET of the decorated view from the cache while ``version()`` holds."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not _cacheable():
                return view(*args, **kwargs)
            cache = cache_of(current_app)
            key = (request.host_url, request.full_path, is_fragment_request(), datetime.now(MOSCOW).date(), version())
            entry = cache.get(key)
            if entry is None:
                response = make_response(view(*args, **kwargs))
                if response.status_code != 200 or response.direct_passthrough:
                    return response
                token = generate_csrf()
                body = response.get_data(as_text=True).replace(token, TOKEN_PLACEHOLDER)
                headers = [(k, v) for k, v in response.headers.items()
                           if k.lower() in {"vary", "content-type", "cache-control"}]
                ttl = current_app.config["PUBLIC_PAGE_CACHE_SECONDS"]
                cache.put(key, _Entry(body, headers, time.monotonic() + ttl))
                response.headers["X-Page-Cache"] = "miss"
                return response
            response = make_response(entry.body.replace(TOKEN_PLACEHOLDER, generate_csrf()))
            for name, value in entry.headers:
                response.headers[name] = value
            response.headers["X-Page-Cache"] = "hit"
            return response

        return wrapper

    return decorator
