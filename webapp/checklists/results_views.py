"""Results of check-lists: the templates a person may read results of, one template's results
(filters, comparison), its text answers page by page, and the exports (results_export)."""

from __future__ import annotations

from flask import abort, make_response, render_template, request
from flask_login import current_user, login_required

from webapp.accounts import auth
from webapp.checklists import results as service
from webapp.checklists import results_cache
from webapp.checklists.models import ChecklistTemplate
from webapp.checklists.routes import bp
from webapp.htmx import is_fragment_request, render
from webapp.ui import parse_page


def _user():
    return current_user if current_user.is_authenticated else None


def load_results_template(template_id: int) -> ChecklistTemplate:
    """The template (404), if she may read its results (403): the check every results view makes."""
    user = _user()
    auth.require(service.can_see_results(user))
    template = service.load_template(template_id)
    if template is None:
        abort(404)
    auth.require(service.may_view(user, template))
    return template


@bp.get("/checklists/results")
@login_required
def results_index():
    """The templates whose results she may read, with the responses in her scope."""
    user = _user()
    auth.require(service.can_see_results(user))
    return render_template("checklists/results.html", view="index", rows=service.templates_with_results(user))


@bp.get("/checklists/templates/<int:template_id>/results")
@login_required
def results(template_id: int):
    """One template's results: filters, a comparison of two sites or two years, a chart per item.
    Filter values that make no sense are ignored with a note, never an error. Rendered once per
    results version (see results_cache)."""
    user = _user()
    auth.require(service.can_see_results(user))
    filters, compare = service.parse_args(request.args)
    summary = results_cache.summary(template_id, user, filters, compare)
    if summary is None:
        abort(404)
    auth.require(summary.allowed)
    if is_fragment_request():
        response = make_response(summary.body)
        response.vary.add("HX-Request")
        return response
    return render("checklists/results.html", "checklists/_results_body.html", view="summary", summary=summary)


@bp.get("/checklists/templates/<int:template_id>/results/texts")
@login_required
def results_texts(template_id: int):
    """The answers to one text item, 20 a page, newest first: the fragment the results page loads
    when the item scrolls into view, or a page of its own."""
    template = load_results_template(template_id)
    key = request.args.get("item") or ""
    item = next((i for i in template.current_version.items if i.key == key and i.kind.is_text), None)
    if item is None:
        abort(404)
    filters, compare = service.parse_args(request.args)
    sides = service.sides_of(compare, service.site_names_of([compare.a, compare.b]) if compare and compare.kind == "site"
                             else {})
    side = next((s for s in sides if s.key == (request.args.get("side") or "")), sides[0])
    texts = service.text_answers(template, item, _user(), filters, side, parse_page(request.args.get("page")))
    back_args = {**filters.args(), **(compare.args() if compare else {})}
    text_args = {**back_args, "item": item.key, **({"side": side.key} if side.key else {})}
    return render("checklists/results.html", "checklists/_results_texts.html", view="textpage", template=template,
                  texts=texts, filters=filters, back_args=back_args, text_args=text_args)


# the exports register their route on the same blueprint
from webapp.checklists import results_export  # noqa: E402,F401
