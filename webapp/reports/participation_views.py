"""The participation and attendance report page and its exports (admins and methodists)."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import request, url_for
from flask_login import login_required

from webapp.errors import render_error
from webapp.reports import participation as service
from webapp.reports.cache import cached_fragment, filters_key
from webapp.reports.fulfilment_views import report_response
from webapp.reports.routes import bp, current_filters
from webapp.spreadsheets import SheetSpec, stream_csv, xlsx_download
from webapp.ui import parse_page

FORMATS = ("xlsx", "csv")


@bp.get("/participation")
@login_required
def participation():
    """Registrations, attendance and no-shows grouped by `?by=`, young teachers reached, coverage
    of each municipality's teachers. An htmx request (a grouping tab, a page) gets the report alone."""
    f = current_filters()
    by = service.parse_by(request.args.get("by"), f.notes)
    page = parse_page(request.args.get("page"))
    body = cached_fragment(
        ("participation", filters_key(f), by, page), "reports/_participation_report.html",
        lambda now: {"f": f, "report": service.report(f, by=by, page=page, now=now),
                     "dimensions": service.DIMENSIONS})
    return report_response("reports/participation.html", body, f, "reports.participation", [
        ("Excel", url_for("reports.participation_export", fmt="xlsx", by=by, **f.args())),
        ("CSV", url_for("reports.participation_export", fmt="csv", by=by, **f.args())),
    ])


@bp.get("/participation/export")
@login_required
def participation_export():
    """The chosen grouping, every row (CSV streamed; a workbook with the grouping, the coverage of
    the municipalities' teachers and the totals)."""
    f = current_filters()
    by = service.parse_by(request.args.get("by"), f.notes)
    fmt = request.args.get("fmt") or "xlsx"
    if fmt not in FORMATS:
        return render_error(400, "Формат выгрузки: xlsx (Excel) или csv.")
    now = datetime.now(timezone.utc)
    header = service.group_header(by)
    rows = (service.group_cells(by, row) for row in service.all_groups(f, now, by))
    stem = f"Участие — {service.DIMENSIONS[by].lower()} — {f.scope_label} — {f.period_label}"
    ascii_stem = f"participation-{by}"
    if fmt == "csv":
        return stream_csv(header, rows, ascii_stem, stem)
    widths = (50, *([18, 34] if by == "session" else [30] if by == "organization" else []), *[14] * 13)
    # the small tables first: the grouping's rows are read lazily while the workbook is written
    cov = service.coverage(f)
    summary = _summary_lines(f, service.totals(f, now), cov.total)
    return xlsx_download([
        SheetSpec(service.DIMENSIONS[by], header, rows, widths),
        SheetSpec("Охват педагогов", service.COVERAGE_HEADER,
                  [service.coverage_cells(r) for r in (*cov.rows, cov.total)], (40, 12, 16, 10, 14, 14, 14)),
        SheetSpec("Итоги", ("Показатель", "Значение"), summary, (56, 16)),
    ], ascii_stem, stem)


def _summary_lines(f, t: service.Tally, total: service.CoverageRow) -> list[list]:
    return [["Период", f.period_label], ["Охват", f.scope_label],
            *([label, value] for label, value in zip(service.TALLY_HEADER, service.tally_cells(t), strict=True)),
            *([label, value] for label, value in zip(service.COVERAGE_HEADER[1:], service.coverage_cells(total)[1:],
                                                     strict=True))]
