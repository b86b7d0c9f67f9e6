"""Responses that are the same whoever asks carry no `Vary: Cookie`.

Flask adds `Vary: Cookie` to every response for which the session was read, and Flask-Login
reads it on every request (its remember-cookie check), so even a public calendar feed told
shared caches it differs per cookie: a cache in front of the app would then keep one copy per
visitor, or none. A view whose answer does not depend on who is logged in calls
`same_for_everyone()`; the session interface then leaves the header out, unless the session was
changed (then the cookie is set and the response is personal after all).
"""

from __future__ import annotations

from flask import g
from flask.sessions import SecureCookieSessionInterface


def same_for_everyone() -> None:
    """This request's answer is the same for every visitor, logged in or not."""
    g.same_for_everyone = True


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, minus `Vary: Cookie` where `same_for_everyone()` was said."""

    def save_session(self, app, session, response) -> None:
        if g.get("same_for_everyone") and not session.modified:
            session.accessed = False
        super().save_session(app, session, response)
