"""Small helpers for one-URL-two-renderings views."""

from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for


def is_fragment_request() -> bool:
    """An htmx request that wants a fragment (a boosted request wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page_template: str, fragment_template: str, status: int = 200, **context):
    """The whole page, or just the partial the page includes, for an htmx request."""
    template = fragment_template if is_fragment_request() else page_template
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def redirect_after_post(endpoint: str, **values):
    """Post/redirect/get: a 303 for a plain form, HX-Redirect for htmx."""
    return redirect_to(url_for(endpoint, **values))


def redirect_to(target: str):
    """redirect_after_post for a URL at hand (e.g. a checked `next`)."""
    if getattr(request, "htmx", None):
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, code=303)


def with_trigger(response, event: str):
    response.headers["HX-Trigger"] = event
    return response
