"""The plan fulfilment report page and its Excel export (admins and methodists)."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import make_response, render_template, request, url_for
from flask_login import login_required

from webapp.errors import render_error
from webapp.htmx import is_fragment_request
from webapp.reports import cache
from webapp.reports import fulfilment as service
from webapp.reports.routes import available_reports, bp, current_filters
from webapp.spreadsheets import SheetSpec, xlsx_download
from webapp.ui import parse_page

BREAKDOWN_WIDTHS = (44, 12, 14, 11, 12, 11, 14, 11, 11, 11, 14)


def report_response(page_template: str, body, f, endpoint: str, exports: list[tuple[str, str]]):
    """The report's partial alone for htmx (a page of a list, a tab), else the whole page around it."""
    if is_fragment_request():
        response = make_response(body)
    else:
        # the filter form's choices (municipalities, sites, directions) change as rarely as the rest
        choices = cache.choices(f)
        response = make_response(render_template(page_template, f=f, report_html=body, endpoint=endpoint,
                                                 reports=available_reports(), choices=choices, exports=exports))
    response.vary.add("HX-Request")
    return response


@bp.get("/fulfilment")
@login_required
def fulfilment():
    """Planned, held, moved, cancelled — plan items and sessions — by direction, site and month,
    and the items without a session. An htmx request (pages of a list) gets the report alone."""
    f = current_filters()
    page, sites_page = parse_page(request.args.get("page")), parse_page(request.args.get("sites_page"))
    body = cache.cached_fragment(
        ("fulfilment", cache.filters_key(f), page, sites_page), "reports/_fulfilment_report.html",
        lambda now: {"f": f, "report": service.report(f, page=page, sites_page=sites_page, now=now)})
    return report_response("reports/fulfilment.html", body, f, "reports.fulfilment",
                           [("Excel", url_for("reports.fulfilment_export", fmt="xlsx", **f.args()))])


@bp.get("/fulfilment/export")
@login_required
def fulfilment_export():
    """A workbook: a sheet per breakdown (direction, site, month) and the items without a session."""
    f = current_filters()
    fmt = request.args.get("fmt") or "xlsx"
    if fmt != "xlsx":
        return render_error(400, "Выполнение плана выгружается только в Excel (fmt=xlsx).")
    now = datetime.now(timezone.utc)
    header = service.BREAKDOWN_HEADER
    sheets = [
        SheetSpec("По направлениям", ("Направление", *header),
                  service.breakdown_rows(service.by_direction(f, now)), BREAKDOWN_WIDTHS),
        SheetSpec("По площадкам", ("Площадка", *header), service.all_sites(f, now), BREAKDOWN_WIDTHS),
        SheetSpec("По месяцам", ("Месяц", *header), service.breakdown_rows(service.by_month(f, now)),
                  BREAKDOWN_WIDTHS),
        SheetSpec("Пункты без мероприятий", service.ITEMS_HEADER, service.all_without_session(f),
                  (40, 8, 60, 30, 16)),
    ]
    return xlsx_download(sheets, "plan-fulfilment", f"Выполнение плана — {f.scope_label} — {f.period_label}")
