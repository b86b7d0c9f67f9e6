"""The one pattern every edit form follows: 200 to show, 422 with messages when invalid."""

from __future__ import annotations

from flask import request

from webapp.htmx import render


def form_response(fragment: str, form, heading: str, failed: bool | None = None, **context):
    """A form as a whole page (form_page.html around the partial) or the partial alone.

    A submitted form that failed answers 422 with its messages and everything typed kept.
    """
    if failed is None:
        failed = request.method == "POST" and bool(form.errors)
    return render("form_page.html", fragment, status=422 if failed else 200, form=form,
                  fragment=fragment, heading=heading, **context)
