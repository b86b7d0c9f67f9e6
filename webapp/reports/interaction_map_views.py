"""The school interaction map page and its export (service: webapp.reports.interaction_map).

Admins and methodists only (current_filters refuses everyone else and foreign municipalities).
One URL, three renderings: the page; for htmx, the map table (a page of organizations) or the
list of organizations not reached yet, whichever element asked (HX-Target)."""

from __future__ import annotations

from flask import make_response, render_template, request, url_for
from flask_login import login_required

from webapp import spreadsheets
from webapp.errors import render_error
from webapp.htmx import is_fragment_request
from webapp.orgs.models import OrgKind
from webapp.reports import cache
from webapp.reports import interaction_map as service
from webapp.reports.routes import available_reports, bp, current_filters
from webapp.ui import format_number, parse_page, plural

FORMATS = ("xlsx", "csv")
MAP_TARGET, UNREACHED_TARGET = "map-table", "map-unreached"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{format_number(value, 1)}\u00a0%"


def _context(f, options, page: int, upage: int) -> dict:
    args = {**f.args(), **options.args()}
    return {"f": f, "options": options, "args": args, "cell_text": service.CELL_TEXT, "percent": _percent,
            "plural": plural, "map_target": MAP_TARGET, "unreached_target": UNREACHED_TARGET,
            # each list's pager keeps the other list's page
            "page_args": {"page": page if page > 1 else None, "upage": upage if upage > 1 else None}}


def _fragment(template: str, **context):
    response = make_response(render_template(template, **context))
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


def _map_page(key: tuple, f, options, page: int):
    return cache.cached((*key, "page", page), lambda now: service.map_page(f, options, page, now=now))


@bp.get("/interaction-map")
@login_required
def interaction_map():
    """The map: headline figures, a page of organizations × directions, the not-reached list."""
    f = current_filters()
    options = service.parse_options(request.args)
    page, upage = parse_page(request.args.get("page")), parse_page(request.args.get("upage"))
    context = _context(f, options, page, upage)
    key = ("map", cache.filters_key(f), tuple(sorted(options.args().items())))
    summary = cache.cached((*key, "summary"), lambda now: service.summary(f, options, now=now))
    if is_fragment_request():
        if request.headers.get("HX-Target") == UNREACHED_TARGET:
            unreached = cache.cached((*key, "unreached", upage),
                                     lambda now: service.unreached_page(f, options, upage, summary.unreached))
            return _fragment("reports/_map_unreached.html", unreached=unreached, **context)
        return _fragment("reports/_map_table.html", map=_map_page(key, f, options, page), **context)
    exports = [("Excel", url_for("reports.interaction_map_export", fmt="xlsx", **context["args"])),
               ("CSV (только карта)", url_for("reports.interaction_map_export", fmt="csv", **context["args"]))]
    body = cache.cached_fragment((*key, "body", page, upage), "reports/_map_body.html", lambda now: {
        **context, "summary": summary, "map": _map_page(key, f, options, page),
        "unreached": cache.cached((*key, "unreached", upage),
                                  lambda now: service.unreached_page(f, options, upage, summary.unreached))})
    response = make_response(render_template(
        "reports/interaction_map.html", reports=available_reports(), choices=cache.choices(f), exports=exports,
        kinds=OrgKind.choices(), body_html=body, **context))
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


@bp.get("/interaction-map/export")
@login_required
def interaction_map_export():
    """XLSX: the map (a row per organization, a column per direction), the organizations not
    reached, the figures; CSV: the map alone. Rows are read lazily (flat memory)."""
    f = current_filters()
    options = service.parse_options(request.args)
    fmt = (request.args.get("fmt") or "xlsx").strip().lower()
    if fmt not in FORMATS:
        return render_error(400, "Неизвестный формат файла: выберите Excel (xlsx) или CSV.")
    columns = service.directions(f)
    header = ["Муниципалитет", "Организация", "Тип", *[name for _, name in columns]]
    widths = [24, 40, 22, *[18] * len(columns)]
    rows = service.export_map_rows(f, options, columns)
    ascii_stem = f"interaction-map-{f.start:%Y-%m-%d}-{f.end:%Y-%m-%d}"
    name_stem = f"Карта взаимодействия школ — {f.scope_label} — {f.period_label}"
    if fmt == "csv":
        return spreadsheets.stream_csv(header, rows, ascii_stem, name_stem)
    summary = service.summary(f, options)
    figures = [
        ["Период", f.period_label], ["Охват", f.scope_label],
        ["Тип организаций", options.kind.label if options.kind else "все"],
        ["Организаций", summary.organizations],
        ["Охвачено (хотя бы один участник)", summary.reached],
        ["Доля охваченных, %", _rounded(summary.reached_share)],
        ["Не охвачено", summary.unreached],
        ["Управленческие команды участвовали (организаций)", summary.management],
        ["Доля организаций с участием управленческих команд, % (цель — 100 %)", _rounded(summary.management_share)],
    ]
    by_direction = [[d.name, d.hosted, d.attended, d.both] for d in summary.by_direction]
    return spreadsheets.xlsx_download([
        spreadsheets.SheetSpec("Карта", header, rows, widths),
        spreadsheets.SheetSpec("Не охвачены", ["Муниципалитет", "Организация", "Тип"],
                               service.export_unreached_rows(f, options), [24, 40, 22]),
        spreadsheets.SheetSpec("Итоги", ["Показатель", "Значение"], figures, [60, 30]),
        spreadsheets.SheetSpec("По направлениям", ["Направление", "Проводили (организаций)",
                                                   "Участвовали (организаций)", "Проводили и участвовали"],
                               by_direction, [40, 22, 22, 24]),
    ], ascii_stem, name_stem)


def _rounded(value: float | None):
    return "—" if value is None else round(value, 1)
