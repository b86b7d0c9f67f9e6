"""The reports area: a list of the reports, each report a page with the shared filters and an
Excel export. Report pages register their routes on this blueprint (one module per report)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from webapp.reports import scope

bp = Blueprint("reports", __name__, url_prefix="/reports")

#: (endpoint, title, what it answers) of every report, in the order of the tabs
REPORTS: list[tuple[str, str, str]] = [
    ("reports.fulfilment", "Выполнение плана",
     "Запланировано, проведено, перенесено и отменено — по направлениям, площадкам и месяцам."),
    ("reports.participation", "Участие и посещаемость",
     "Заявки, посещения и неявки; молодые педагоги; охват педагогов муниципалитетов."),
    ("reports.interaction_map", "Карта взаимодействия школ",
     "Какая школа проводила и какая участвовала по каждому направлению; охват управленческих команд."),
    ("reports.feedback", "Обратная связь",
     "Средние оценки и доля ответивших по площадкам, направлениям и чек-листам, год к году."),
    ("reports.indicators", "Показатели",
     "Целевые и фактические значения показателей по муниципалитетам."),
    ("reports.annual", "Годовой отчёт",
     "Отчёт муниципалитета за учебный год для печати (А4)."),
]


def available_reports() -> list[tuple[str, str, str]]:
    """The report tabs (every report page exists)."""
    return REPORTS


def current_filters() -> scope.ReportFilters:
    """The request's filters for the signed-in user (403 outside her scope)."""
    user = current_user if current_user.is_authenticated else None
    return scope.parse_filters(request.args, user)


@bp.get("/")
@login_required
def index():
    f = current_filters()
    return render_template("reports/index.html", f=f, reports=available_reports())


# each report module adds its routes to bp
from webapp.reports import (  # noqa: E402,F401
    annual_views,
    feedback_views,
    fulfilment_views,
    indicators_views,
    interaction_map_views,
    participation_views,
)
