"""Exports of a template's results, with the filters of the results page: one row per response
(an answer per column), or the summary (item × value counts and means). CSV or XLSX through
webapp.spreadsheets (formula-safe, never cached).

The responses export runs a constant number of queries whatever the number of responses: the
responses with the names the file shows, then all their answers in one query over the same scope.
Like the attendance exports it is bounded (MAX_ROWS, MAX_XLSX_ROWS): a bigger export is refused
with a message saying how to narrow it.

Anonymous responses carry no person columns and only the month; the responses of an anonymous
assignment at a session (or a period survey) that has fewer than three of them are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import request
from flask_login import login_required
from sqlalchemy.orm import aliased

from webapp import spreadsheets
from webapp.accounts.models import User
from webapp.checklists import results as service
from webapp.checklists.building import YPN_VALUES
from webapp.checklists.models import ChecklistAnswer, ChecklistItem, ChecklistTemplate, ItemKind
from webapp.checklists.results import MIN_ANONYMOUS, RESPONSE, A, Filters, R, conditions, scope_of
from webapp.checklists.results_views import _user, bp, load_results_template
from webapp.errors import render_error
from webapp.extensions import db
from webapp.orgs.models import Municipality
from webapp.sessions.models import EventSession
from webapp.sites.models import Site

FORMATS = ("csv", "xlsx")
KINDS = ("responses", "summary")
#: the limits of the attendance exports (webapp/attendance/exports.py): past them, narrow the filters
MAX_ROWS = 100_000
MAX_XLSX_ROWS = 20_000
PERSON = "ФИО респондента"
SUBJECT = "ФИО оцениваемого педагога"
SUMMARY_COLUMNS = ("№", "Вопрос", "Строка матрицы", "Ответ", "Количество", "Доля, %", "Среднее")
SUMMARY_WIDTHS = (6, 60, 30, 40, 12, 10, 10)


def _limit(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


# -- one row per response --------------------------------------------------------------------

@dataclass
class ResponseTable:
    header: list[str]
    widths: list[int]
    rows: list[list]
    too_many: bool = False


def _columns(template: ChecklistTemplate) -> list[tuple[ChecklistItem, str | None, str]]:
    """(item, matrix row key, header) per column: an item each, a matrix a column per row."""
    out, number = [], 0
    for item in template.current_version.items:
        if item.kind == ItemKind.SECTION:
            continue
        number += 1
        if item.kind == ItemKind.MATRIX:
            out += [(item, row["key"], f"{number}. {item.text} — {row['label']}")
                    for row in (item.settings or {}).get("rows", [])]
        else:
            out.append((item, None, f"{number}. {item.text}"))
    return out


def _number(value: float | None):
    if value is None:
        return None
    return int(value) if value == int(value) else value


def _cell(item: ChecklistItem, row_key: str | None, given: list[tuple[str, str, float | None]],
          labels: dict[str, str]):
    """One answer as a person reads it: options by label, yes/partial/no in words, numbers as numbers."""
    if not given:
        return None
    kind = item.kind
    if kind == ItemKind.MATRIX:
        for row, text, number in given:
            if row == row_key:
                return _number(number) if number is not None else text
        return None
    if kind == ItemKind.MULTIPLE:
        return "; ".join(labels.get(text, text) for _, text, _ in given)
    _, text, number = given[0]
    if kind == ItemKind.SINGLE:
        return labels.get(text, text)
    if kind == ItemKind.YES_PARTIAL_NO:
        return YPN_VALUES.get(text, text)
    if kind in (ItemKind.SCALE, ItemKind.NUMBER) and number is not None:
        return _number(number)
    return text


def _not_in_small_anonymous_groups(template_id: int, where: list) -> sa.ColumnElement:
    """Leaves out the responses of an anonymous assignment at a session (0: a period survey)
    that has fewer than MIN_ANONYMOUS of them in the scope."""
    unit = sa.func.coalesce(R.session_id, 0)
    small = (sa.select(R.assignment_id, unit).join(A, A.id == R.assignment_id)
             .where(R.template_id == template_id, A.anonymous, *where)
             .group_by(R.assignment_id, unit).having(sa.func.count() < MIN_ANONYMOUS).correlate(None))
    return sa.tuple_(R.assignment_id, unit).not_in(small)


def response_table(template: ChecklistTemplate, user: User, filters: Filters) -> ResponseTable:
    """Every response in her scope and the filters, oldest first: two queries."""
    scope = scope_of(user)
    scoped = conditions(RESPONSE, scope, filters)
    where = [R.template_id == template.id, *scoped, _not_in_small_anonymous_groups(template.id, scoped)]
    respondent, subject, session = aliased(User), aliased(User), aliased(EventSession)
    rows = db.session.execute(
        sa.select(R.id, R.submitted_on, R.role, A.anonymous, session.title, Site.name, Municipality.name,
                  respondent.last_name, respondent.first_name, respondent.middle_name,
                  subject.last_name, subject.first_name, subject.middle_name)
        .join(A, A.id == R.assignment_id)
        .outerjoin(session, session.id == R.session_id)
        .outerjoin(Site, Site.id == session.site_id)
        .outerjoin(Municipality, Municipality.id == R.municipality_id)
        .outerjoin(respondent, respondent.id == R.user_id)
        .outerjoin(subject, subject.id == R.subject_user_id)
        .where(*where).order_by(R.submitted_on, R.id).limit(MAX_ROWS + 1)).all()
    columns = _columns(template)
    header = ["№", "Дата", "Роль", "Мероприятие", "Площадка", "Территория", *(c[2] for c in columns)]
    widths = [6, 12, 28, 44, 30, 22, *(24 for _ in columns)]
    if len(rows) > MAX_ROWS:
        return ResponseTable(header, widths, [], too_many=True)
    answers: dict[int, dict[str, list[tuple[str, str, float | None]]]] = {}
    for response_id, key, row_key, text, number in db.session.execute(
            sa.select(ChecklistAnswer.response_id, ChecklistAnswer.item_key, ChecklistAnswer.row_key,
                      ChecklistAnswer.value_text, ChecklistAnswer.value_num)
            .join(R, R.id == ChecklistAnswer.response_id).where(*where)
            .order_by(ChecklistAnswer.response_id, ChecklistAnswer.id)):
        answers.setdefault(response_id, {}).setdefault(key, []).append((row_key, text, number))
    named = any(not row.anonymous for row in rows)
    assessed = any(not row.anonymous and row[10] is not None for row in rows)
    if named:
        header.append(PERSON)
        widths.append(36)
    if assessed:
        header.append(SUBJECT)
        widths.append(36)
    labels = service.earlier_labels(template)
    lines = []
    for n, (rid, day, role, anonymous, title, site, municipality, *names) in enumerate(rows, start=1):
        given = answers.get(rid, {})
        line = [n, f"{day:%m.%Y}" if anonymous else day, role.label, title or "", site or "", municipality or ""]
        line += [_cell(item, row_key, given.get(item.key, []), labels.get(item.key, {}))
                 for item, row_key, _ in columns]
        if named:
            line.append("" if anonymous else " ".join(p for p in names[:3] if p))
        if assessed:
            line.append("" if anonymous else " ".join(p for p in names[3:] if p))
        lines.append(line)
    return ResponseTable(header, widths, lines)


# -- the summary -----------------------------------------------------------------------------

def _round(value: float | None, digits: int):
    return None if value is None else round(value, digits)


def summary_lines(report: service.Report) -> list[list]:
    """The group's counts, then per question: those who answered (and the mean), then a line
    per value (matrix: per row and value)."""
    group = report.groups[0]
    lines = [["", "Приглашено", "", "", group.invited, None, None],
             ["", "Ответили", "", "", group.responses, _round(group.rate, 1), None]]
    for result in report.items:
        if not result.sides:
            continue
        side, item = result.sides[0], result.item
        n, text = result.number, item.text
        lines.append([n, text, "", "Ответили на вопрос", side.answered, None, _round(side.mean, 2)])
        if item.kind == ItemKind.NUMBER and side.minimum is not None:
            lines.append([n, text, "", "Наименьшее", None, None, _number(side.minimum)])
            lines.append([n, text, "", "Наибольшее", None, None, _number(side.maximum)])
        for bar in side.bars:
            lines.append([n, text, "", bar.label, bar.count, _round(bar.share, 1), None])
        for row in side.rows:
            lines.append([n, text, row.label, "Ответили", row.answered, None, _round(row.mean, 2)])
            for bar in row.bars:
                lines.append([n, text, row.label, bar.label, bar.count, _round(bar.share, 1), None])
    return lines


# -- the view --------------------------------------------------------------------------------

@bp.get("/checklists/templates/<int:template_id>/results/export")
@login_required
def results_export(template_id: int):
    """A file of the results with the page's filters: ?kind=responses|summary&format=csv|xlsx."""
    template = load_results_template(template_id)
    fmt = (request.args.get("format") or "").strip().lower()
    kind = (request.args.get("kind") or "responses").strip().lower()
    if fmt not in FORMATS:
        return render_error(422, "Неизвестный формат файла: выберите CSV или Excel (xlsx).")
    if kind not in KINDS:
        return render_error(422, "Неизвестный вид выгрузки: выберите «ответы» или «сводку».")
    filters, _ = service.parse_args(request.args)
    if filters.notes:
        # a file of another scope than asked for would be read as the one asked for
        return render_error(422, " ".join(filters.notes))
    user = _user()
    day = date.today().strftime("%Y-%m-%d")
    title = template.title[:80]
    if kind == "summary":
        report = service.build(template, user, filters, None, with_choices=False)
        if report.groups[0].hidden:
            return render_error(422, service.HIDDEN_NOTICE)
        return spreadsheets.table_file(fmt, "Сводка", SUMMARY_COLUMNS, SUMMARY_WIDTHS, summary_lines(report),
                                       f"checklist-{template.id}-summary-{day}", f"Сводка — {title}")
    table = response_table(template, user, filters)
    if table.too_many:
        return render_error(422, f"В выгрузке больше {_limit(MAX_ROWS)} ответов: выберите период, площадку или "
                                 "мероприятие.")
    if fmt == "xlsx" and len(table.rows) > MAX_XLSX_ROWS:
        return render_error(422, f"В выгрузке {_limit(len(table.rows))} ответов, а файл Excel собирается для не "
                                 f"больше {_limit(MAX_XLSX_ROWS)}: выберите CSV (он открывается в Excel) или "
                                 "сузьте выборку.")
    return spreadsheets.table_file(fmt, "Ответы", table.header, table.widths, table.rows,
                                   f"checklist-{template.id}-responses-{day}", f"Ответы — {title}")
