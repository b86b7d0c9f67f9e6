"""The indicators report (admins and methodists) and the admins' management of indicators."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import abort, flash, make_response, request, url_for
from flask_login import current_user, login_required

from webapp.accounts import auth
from webapp.extensions import db
from webapp.htmx import is_fragment_request, redirect_after_post, render
from webapp.orgs.models import Municipality
from webapp.reports import cache
from webapp.reports import indicators as service
from webapp.reports.indicators_forms import IndicatorForm
from webapp.reports.measures import MEASURE_HELP
from webapp.reports.models import Indicator, Measure
from webapp.reports.routes import available_reports, bp, current_filters
from webapp.spreadsheets import SheetSpec, stream_csv, xlsx_download
from webapp.taxonomy.models import Audience, Direction
from webapp.timefmt import MOSCOW, academic_year_bounds, academic_year_of
from webapp.ui import parse_page


def _user():
    return current_user if current_user.is_authenticated else None


@bp.get("/indicators")
@login_required
def indicators():
    """Target against actual of each indicator, per municipality of her scope (10 indicators a
    page; the htmx pages swap the report alone)."""
    f = current_filters()
    page, can_manage = parse_page(request.args.get("page")), auth.is_admin(_user())
    body = cache.cached_fragment(
        ("indicators", cache.filters_key(f), page, can_manage), "reports/_indicators_report.html",
        lambda now: {"f": f, "report": service.build_report(f, page), "can_manage": can_manage})
    if is_fragment_request():
        response = make_response(body)
        response.vary.add("HX-Request")
        return response
    return render("reports/indicators.html", "reports/_indicators_report.html", f=f, report_html=body,
                  can_manage=can_manage, reports=available_reports(), choices=cache.choices(f), exports=[
                      ("Excel", url_for("reports.indicators_export", fmt="xlsx", **f.args())),
                      ("CSV", url_for("reports.indicators_export", fmt="csv", **f.args()))])


@bp.get("/indicators/export")
@login_required
def indicators_export():
    """Every indicator's rows as one flat table (Excel by default, or CSV)."""
    f = current_filters()
    fmt = "csv" if request.args.get("fmt") == "csv" else "xlsx"
    rows = service.export_rows(f)
    stem = f"Показатели — {f.scope_label} — {f.period_label}"
    if fmt == "csv":
        return stream_csv(service.EXPORT_HEADER, rows, "indicators", stem)
    return xlsx_download([SheetSpec("Показатели", service.EXPORT_HEADER, rows, service.EXPORT_WIDTHS)],
                         "indicators", stem)


# -- management (admins) ----------------------------------------------------------------------

@bp.get("/indicators/manage")
@auth.admin_required
def indicators_manage():
    """Every indicator, archived ones too, 50 a page."""
    page = service.manage_page(parse_page(request.args.get("page")))
    return render("reports/indicators_manage.html", "reports/_indicators_manage_table.html", page=page)


def _terms(model, current_id: int | None) -> list[tuple[int, str]]:
    """Active terms, and the indicator's own even if retired since (so that editing keeps it)."""
    rows = db.session.execute(
        sa.select(model.id, model.name, model.is_active)
        .where(sa.or_(model.is_active.is_(True), model.id == (current_id or 0)))
        .order_by(model.position, model.name)).all()
    return [(r.id, r.name if r.is_active else f"{r.name} (в архиве)") for r in rows]


def _form(indicator: Indicator | None) -> IndicatorForm:
    form = IndicatorForm(obj=indicator)
    if indicator is None and request.method == "GET":
        # a new indicator most often covers the current academic year
        form.period_start.data, form.period_end.data = academic_year_bounds(
            academic_year_of(datetime.now(MOSCOW).date()))
    form.direction_id.set_choices(_terms(Direction, indicator.direction_id if indicator else None))
    form.audience_id.set_choices(_terms(Audience, indicator.audience_id if indicator else None))
    form.municipality_id.set_choices(db.session.execute(
        sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)).all())
    return form


def _save_view(indicator: Indicator | None):
    form = _form(indicator)
    if form.validate_on_submit():
        try:
            saved = service.save_indicator(indicator, form.data, _user())
        except service.IndicatorError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.commit()
            flash(f"Показатель «{saved.name}» сохранён.", "success")
            return redirect_after_post("reports.indicators_manage")
    failed = request.method == "POST"
    return render("reports/indicator_form.html", "reports/_indicator_form.html", status=422 if failed else 200,
                  form=form, indicator=indicator, measure_help=[(m, MEASURE_HELP[m]) for m in Measure],
                  heading="Показатель: изменение" if indicator else "Новый показатель")


@bp.route("/indicators/new", methods=["GET", "POST"])
@auth.admin_required
def indicator_create():
    return _save_view(None)


def _get(indicator_id: int) -> Indicator:
    return db.session.get(Indicator, indicator_id) or abort(404)


@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@auth.admin_required
def indicator_edit(indicator_id: int):
    return _save_view(_get(indicator_id))


@bp.post("/indicators/<int:indicator_id>/archive")
@auth.admin_required
def indicator_archive(indicator_id: int):
    indicator = _get(indicator_id)
    service.set_active(indicator, False, _user())
    db.session.commit()
    flash(f"Показатель «{indicator.name}» перенесён в архив: в отчёте его больше нет.", "success")
    return redirect_after_post("reports.indicators_manage")


@bp.post("/indicators/<int:indicator_id>/restore")
@auth.admin_required
def indicator_restore(indicator_id: int):
    indicator = _get(indicator_id)
    service.set_active(indicator, True, _user())
    db.session.commit()
    flash(f"Показатель «{indicator.name}» восстановлен.", "success")
    return redirect_after_post("reports.indicators_manage")
