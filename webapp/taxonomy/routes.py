"""Admin editing of the taxonomies: each action a plain POST that htmx turns into a list swap."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for

from webapp.accounts import auth
from webapp.extensions import db
from webapp.htmx import is_fragment_request, render
from webapp.taxonomy.editing import TermError, add_term, move_term, ordered, rename_term, set_active
from webapp.taxonomy.forms import TermForm
from webapp.taxonomy.models import TAXONOMIES
from webapp.ui import Page, parse_page

bp = Blueprint("taxonomy", __name__, url_prefix="/admin/taxonomies")

PER_PAGE = 50
ADD_PREFIX = "new"


def _taxonomy(kind: str):
    """(model, plural title, singular) for a URL slug, or 404."""
    return TAXONOMIES.get(kind) or abort(404)


def _load_term(kind: str, term_id: int):
    model = _taxonomy(kind)[0]
    return model, db.session.get(model, term_id) or abort(404)


def _posted_page() -> int:
    """The list page an action was taken on (a hidden field; a query arg for the rename link)."""
    return parse_page(request.values.get("page"))


def _rename_prefix(term) -> str:
    return f"t{term.id}"


@bp.get("/")
@auth.admin_required
def index():
    rows = []
    for kind, (model, title, _singular) in TAXONOMIES.items():
        total, active = db.session.execute(sa.select(
            sa.func.count(model.id), sa.func.coalesce(sa.func.sum(sa.case((model.is_active, 1), else_=0)), 0)
        )).one()
        rows.append({"kind": kind, "title": title, "total": total, "active": active})
    return render_template("taxonomy/index.html", rows=rows)


def _list_context(kind: str, page_no: int, **extra) -> dict:
    model, title, singular = _taxonomy(kind)
    total = db.session.scalar(sa.select(sa.func.count(model.id)))
    terms = db.session.scalars(ordered(model).limit(PER_PAGE).offset((page_no - 1) * PER_PAGE)).all()
    context = {
        "kind": kind, "title": title, "singular": singular,
        "page": Page(items=list(terms), page=page_no, per_page=PER_PAGE, total=total),
        "add_form": TermForm(prefix=ADD_PREFIX, formdata=None),
        "editing_id": None, "rename_form": None,
    }
    context.update(extra)
    return context


def _list_response(kind: str, page_no: int, status: int = 200, **extra):
    """The terms page, or for htmx the list partial (id="terms")."""
    return render("taxonomy/terms.html", "taxonomy/_terms.html", status=status,
                  **_list_context(kind, page_no, **extra))


def _done(kind: str, page_no: int, message: str):
    """After a successful action: the fresh list for htmx, post/redirect/get (303) otherwise."""
    if is_fragment_request():
        response = _list_response(kind, page_no)
        # The inline rename form targets its own row; success replaces the whole list instead.
        response.headers["HX-Retarget"] = "#terms"
        response.headers["HX-Reswap"] = "outerHTML"
        return response
    flash(message, "success")
    return redirect(url_for("taxonomy.terms", kind=kind, page=page_no if page_no > 1 else None), code=303)


@bp.get("/<kind>")
@auth.admin_required
def terms(kind: str):
    return _list_response(kind, parse_page(request.args.get("page")))


@bp.post("/<kind>/add")
@auth.admin_required
def add(kind: str):
    model = _taxonomy(kind)[0]
    form = TermForm(prefix=ADD_PREFIX)
    if form.validate_on_submit():
        try:
            term = add_term(model, form.name.data)
        except TermError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            # A new term goes to the end: show the page it landed on.
            total = db.session.scalar(sa.select(sa.func.count(model.id)))
            last_page = Page(items=[], page=1, per_page=PER_PAGE, total=total).pages
            return _done(kind, last_page, f"«{term.name}» добавлено.")
    return _list_response(kind, _posted_page(), status=422, add_form=form)


@bp.route("/<kind>/<int:term_id>/rename", methods=["GET", "POST"])
@auth.admin_required
def rename(kind: str, term_id: int):
    """The inline rename form (a row for htmx, the list with that row open otherwise) and its submit."""
    model, term = _load_term(kind, term_id)
    page_no = _posted_page()
    form = TermForm(prefix=_rename_prefix(term), obj=term)
    if form.validate_on_submit():
        try:
            rename_term(model, term, form.name.data)
        except TermError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            return _done(kind, page_no, f"Переименовано: «{term.name}».")
    status = 422 if request.method == "POST" else 200
    if is_fragment_request():
        response = make_response(render_template(
            "taxonomy/_term_row.html", kind=kind, term=term, page_no=page_no, editing_id=term.id,
            rename_form=form), status)
        response.vary.add("HX-Request")
        return response
    return _list_response(kind, page_no, status=status, editing_id=term.id, rename_form=form)


@bp.post("/<kind>/<int:term_id>/move/<any(up, down):direction>")
@auth.admin_required
def move(kind: str, term_id: int, direction: str):
    model, term = _load_term(kind, term_id)
    move_term(model, term, -1 if direction == "up" else 1)
    db.session.commit()
    return _done(kind, _posted_page(), f"Порядок изменён: «{term.name}».")


@bp.post("/<kind>/<int:term_id>/retire")
@auth.admin_required
def retire(kind: str, term_id: int):
    _model, term = _load_term(kind, term_id)
    set_active(term, False)
    db.session.commit()
    return _done(kind, _posted_page(), f"«{term.name}» перенесено в архив.")


@bp.post("/<kind>/<int:term_id>/restore")
@auth.admin_required
def restore(kind: str, term_id: int):
    _model, term = _load_term(kind, term_id)
    set_active(term, True)
    db.session.commit()
    return _done(kind, _posted_page(), f"«{term.name}» снова действует.")
