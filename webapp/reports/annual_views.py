"""The annual report page and its workbook (admins and methodists; service: webapp.reports.annual).

A report is of one municipality: a methodist of one municipality gets hers by default; a reader
with several municipalities in scope who names none gets a chooser (a link per municipality)
instead. An admin may also ask for the whole network: «Вся сеть» in the chooser (?all=1), or «Вся
сеть» chosen in the filter form (an empty ?municipality=) — the resource centre's own report.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from flask import render_template, request, url_for
from flask_login import current_user, login_required

from webapp.errors import render_error
from webapp.reports import annual as service
from webapp.reports import cache
from webapp.reports.cache import cached_fragment, filters_key
from webapp.reports.routes import available_reports, bp, current_filters
from webapp.reports.scope import ReportFilters
from webapp.spreadsheets import SheetSpec, xlsx_download
from webapp.timefmt import MOSCOW, format_day

#: the query argument of an admin's network-wide report
NETWORK_ARG = "all"
CHOOSE_FIRST = "Выберите муниципалитет: годовой отчёт составляется для одного муниципалитета."


@dataclasses.dataclass
class NetworkFilters(ReportFilters):
    """An admin's network-wide report: its links (tabs, years, export) keep saying so."""

    def args(self, **override) -> dict[str, str]:
        return {**super().args(**override), NETWORK_ARG: "1"}


def _network_asked() -> bool:
    if request.args.get(NETWORK_ARG) == "1":
        return True
    # the filter form's «Вся сеть» sends the field empty; a link without it shows the chooser
    return "municipality" in request.args and not request.args["municipality"].strip()


def annual_filters() -> tuple[ReportFilters, bool]:
    """The request's filters narrowed to the report's area, and whether there is one (False: the
    chooser). 403 as current_filters (not a reader, a municipality outside her scope)."""
    f = current_filters()
    if f.municipality_id is not None:
        return f, True
    if f.scope_ids is not None:
        if len(f.scope_ids) == 1:
            return dataclasses.replace(f, municipality_id=f.scope_ids[0]), True
        return f, False
    if _network_asked():
        return NetworkFilters(**{fl.name: getattr(f, fl.name) for fl in dataclasses.fields(f)}), True
    return f, False


def _today():
    return datetime.now(MOSCOW).date()


@bp.get("/annual")
@login_required
def annual():
    """The report of one municipality (or of the network, for an admin) for the period, print-ready;
    without one, the chooser."""
    f, resolved = annual_filters()
    choices = cache.choices(f)
    context = {"f": f, "reports": available_reports(), "choices": choices, "today": _today(),
               "network_arg": NETWORK_ARG}
    if not resolved:
        return render_template("reports/annual.html", chooser=True, exports=[], report_html="", **context)
    body = cached_fragment(("annual", filters_key(f)), "reports/_annual_report.html",
                           lambda now: {"report": service.build(f, now=now), "percent": service.percent})
    exports = [("Excel", url_for("reports.annual_export", fmt="xlsx", **f.args()))]
    return render_template("reports/annual.html", chooser=False, exports=exports, report_html=body, **context)


@bp.get("/annual/export")
@login_required
def annual_export():
    """A workbook: the report's particulars, then one sheet per section with its conclusions."""
    f, resolved = annual_filters()
    fmt = request.args.get("fmt") or "xlsx"
    if fmt != "xlsx":
        return render_error(400, "Годовой отчёт выгружается только в Excel (fmt=xlsx).")
    if not resolved:
        return render_error(400, CHOOSE_FIRST)
    report = service.build(f)
    about = [["Отчёт", "Отчёт о работе сети стажировочных площадок"],
             ["Муниципалитет" if not report.is_network else "Охват", report.area],
             ["Период", f"{report.period_title} ({format_day(f.start)} — {format_day(f.end)})"],
             *([["Площадка", f.site_name]] if f.site_name else []),
             *([["Направление", f.direction_name]] if f.direction_name else []),
             ["Данные на", format_day(report.as_of)],
             ["Подготовлено", f"{format_day(_today())}, {current_user.full_name}"],
             [], [report.intro]]
    sheets = [
        SheetSpec("Сведения", ("Годовой отчёт", ""), about, (24, 90)),
        SheetSpec("1. Выполнение плана", service.PLAN_HEADER, service.plan_rows(report), (34, 10, 12, 16, 12, 12, 14)),
        SheetSpec("2. Направления и формы", service.EVENTS_HEADER, service.events_rows(report),
                  (44, 12, 14, 12, 12, 16, 60)),
        SheetSpec("3. Охват", service.COVERAGE_HEADER, service.coverage_rows(report), (52, 12, 12, 10, 14, 12, 10)),
        SheetSpec("4. Обратная связь", service.feedback_header(report), service.feedback_rows(report),
                  (44, 22, 22, 22)),
        SheetSpec("5. Показатели", service.INDICATORS_HEADER, service.indicator_rows(report),
                  (52, 34, 16, 12, 20, 18)),
    ]
    return xlsx_download(sheets, "annual-report", f"Годовой отчёт — {report.area} — {f.period_label}")
