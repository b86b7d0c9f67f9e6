"""The feedback report page and its export (service: webapp.reports.feedback).

Admins and methodists only (current_filters refuses everyone else and foreign municipalities).
For htmx (the sites table's pages) the view answers with the sites table alone."""

from __future__ import annotations

from flask import make_response, render_template, request, url_for
from flask_login import login_required

from webapp import spreadsheets
from webapp.checklists.models import RespondentRole
from webapp.errors import render_error
from webapp.htmx import is_fragment_request
from webapp.reports import cache
from webapp.reports import feedback as service
from webapp.reports.routes import available_reports, bp, current_filters
from webapp.ui import format_number, parse_page

SITES_TARGET = "fb-sites"


def percent(value: float | None) -> str:
    """«78,4 %», «—» when there is nothing to divide by."""
    return "—" if value is None else f"{format_number(value, 1)}\u00a0%"


def points(value: float | None, unit: str = "п.\u00a0п.") -> str:
    """A change: «+3,2 п. п.», «−0,4», «—» when one side has no figure."""
    if value is None:
        return "—"
    sign = "+" if value > 0.05 else "−" if value < -0.05 else "±"
    text = f"{sign}{format_number(abs(value), 1)}"
    return f"{text}\u00a0{unit}" if unit else text


def mean_text(m: service.Mean) -> str:
    """«4,38 из 5» (scales start at 1), «4,38 (0–5)» otherwise."""
    value = format_number(m.value, 2)
    return f"{value} из {m.high:g}" if m.low == 1 else f"{value} ({m.scale})"


def means_text(means: list[service.Mean]) -> str:
    """A template's means on each of its scales: «4,38 из 5; 7,1 из 10»; «—» without any."""
    return "; ".join(mean_text(m) for m in means) or "—"


def mean_changes_text(changes: list[service.Mean]) -> str:
    """«+0,3» on a template's one scale; «1–5: +0,3; 1–10: −0,5» on several."""
    if len(changes) == 1:
        return points(changes[0].value, "")
    return "; ".join(f"{m.scale}: {points(m.value, '')}" for m in changes) or "—"


def _context(f, options) -> dict:
    return {"f": f, "options": options, "args": {**f.args(), **options.args()}, "percent": percent,
            "points": points, "means_text": means_text, "mean_changes_text": mean_changes_text,
            "few": service.FEW_ANSWERS, "sites_target": SITES_TARGET}


@bp.get("/feedback")
@login_required
def feedback():
    """Averages and response rates by site, direction, check-list and month, year on year."""
    f = current_filters()
    options = service.parse_options(request.args)
    # tallies and invitations only: nothing depends on the clock
    report = cache.cached(("feedback", cache.filters_key(f), tuple(sorted(options.args().items()))),
                          lambda now: service.build(f, options), clock=False)
    sites = report.site_page(parse_page(request.args.get("spage")))
    context = _context(f, options)
    if is_fragment_request():
        template = "reports/_feedback_sites.html"
        response = make_response(render_template(template, report=report, sites=sites, **context))
    else:
        exports = [("Excel", url_for("reports.feedback_export", fmt="xlsx", **context["args"]))]
        body = cache.cached_fragment(
            ("feedback-body", cache.filters_key(f), tuple(sorted(options.args().items())), sites.page),
            "reports/_feedback_body.html", lambda now: {"report": report, "sites": sites, **context})
        response = make_response(render_template(
            "reports/feedback.html", reports=available_reports(), choices=cache.choices(f), exports=exports,
            roles=RespondentRole.choices(), report=report, body_html=body, **context))
    response.vary.add("HX-Request")
    return response


# -- the export --------------------------------------------------------------------------------

HEADER = ["Ответов", "Ответов год назад", "Приглашено", "Ответили на приглашение", "Доля ответивших, %",
          "Доля ответивших год назад, %", "Изменение доли, п. п.", "Индекс удовлетворённости, %",
          "Индекс год назад, %", "Изменение индекса, п. п."]
WIDTHS = [10, 12, 12, 14, 14, 16, 14, 16, 14, 16]


def _number(value: float | None, digits: int = 1):
    return "—" if value is None else round(value, digits)


def _score(figures: service.Figures, value: float | None, digits: int = 1):
    return service.FEW_ANSWERS if figures.hidden else _number(value, digits)


def _change(row: service.Row, value: float | None, digits: int = 1):
    return service.FEW_ANSWERS if row.current.hidden or row.previous.hidden else _number(value, digits)


def _figures(row: service.Row) -> list:
    c, p = row.current, row.previous
    return [c.responses, p.responses, c.invited, c.answered, _number(c.rate), _number(p.rate), _number(row.rate_change),
            _score(c, c.index), _score(p, p.index), _change(row, row.index_change)]


def _sheet(title: str, first: list[str], rows: list[service.Row], label) -> spreadsheets.SheetSpec:
    return spreadsheets.SheetSpec(title, [*first, *HEADER], [[*label(r), *_figures(r)] for r in rows],
                                  [40] * len(first) + WIDTHS)


def _means(figures: service.Figures):
    """A number on one scale (Excel can compute with it), words on several."""
    if figures.hidden:
        return service.FEW_ANSWERS
    means = figures.means
    return round(means[0].value, 2) if len(means) == 1 else means_text(means)


def _mean_changes(row: service.Row):
    if row.current.hidden or row.previous.hidden:
        return service.FEW_ANSWERS
    changes = row.mean_changes
    return round(changes[0].value, 2) if len(changes) == 1 else mean_changes_text(changes)


def _template_sheet(rows: list[service.Row]) -> spreadsheets.SheetSpec:
    header = ["Чек-лист", "Шкала", "Средняя оценка", "Средняя год назад", "Изменение средней", *HEADER]
    lines = [[r.label, r.scale, _means(r.current), _means(r.previous), _mean_changes(r), *_figures(r)] for r in rows]
    return spreadsheets.SheetSpec("Чек-листы", header, lines, [40, 12, 12, 14, 14, *WIDTHS])


@bp.get("/feedback/export")
@login_required
def feedback_export():
    """An XLSX workbook: the totals, then one sheet per grouping (sites, directions, check-lists,
    months), each with this period, a year earlier and the change. Figures are already grouped
    in SQL, so the sheets are small."""
    f = current_filters()
    options = service.parse_options(request.args)
    fmt = (request.args.get("fmt") or "xlsx").strip().lower()
    if fmt != "xlsx":
        return render_error(400, "Отчёт об обратной связи выгружается только в Excel (xlsx): в нём несколько листов.")
    report = service.build(f, options)
    about = [
        ["Период", f"{f.period_label} (по месяцам: {report.current.label})"],
        ["Сравнение", f"тот же период годом раньше: {report.previous.label}"],
        ["Охват", f.scope_label],
        ["Кто отвечал", report.role.label if report.role else "все"],
        ["Индекс удовлетворённости", "среднее положение ответов на шкале: 0 % — низшая оценка, 100 % — высшая"],
        ["Доля ответивших", "ответившие приглашения из всех приглашений"],
        ["Анонимность", f"группы, где меньше трёх ответов, — «{service.FEW_ANSWERS}»"],
    ]
    groupings = report.groupings
    sheets = [
        spreadsheets.SheetSpec("Итого", ["", *HEADER], [["Итого", *_figures(report.total)]], [20, *WIDTHS]),
        _sheet("Площадки", ["Площадка"], groupings["site"].rows, lambda r: [r.label]),
        _sheet("Направления", ["Направление"], groupings["direction"].rows, lambda r: [r.label]),
        _template_sheet(groupings["template"].rows),
        _sheet("Месяцы", ["Месяц", "Год назад"], groupings["month"].rows, lambda r: [r.label, r.previous_label]),
        spreadsheets.SheetSpec("Пояснения", ["", ""], about, [28, 90]),
    ]
    return spreadsheets.xlsx_download(sheets, f"feedback-{f.start:%Y-%m-%d}-{f.end:%Y-%m-%d}",
                                      f"Обратная связь — {f.scope_label} — {f.period_label}")
