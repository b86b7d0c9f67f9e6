"""Routes of the plan import: upload → (column mapping) → preview → apply or discard → result.

Who: those who manage the plan (auth.can_manage_plan) upload into it; a batch is its uploader's
alone (anyone else gets 404, as if it did not exist). The template file is for anyone who may
create plans.
"""

from __future__ import annotations

from flask import abort, flash, request
from flask_login import current_user, login_required

from webapp import spreadsheets
from webapp.accounts import auth
from webapp.extensions import db
from webapp.htmx import redirect_after_post, render
from webapp.imports import plan_import
from webapp.imports.forms import UploadForm, column_name, mapping_form
from webapp.imports.models import ImportBatch, ImportKind, ImportStatus
from webapp.imports.reading import ImportFileError, cell_text
from webapp.imports.routes import bp
from webapp.plan.models import Plan
from webapp.ui import Page, parse_page, plural

ROWS_PER_PAGE = 100
#: the preview's filters: key → label
SHOW = {"all": "Все строки", "new": "Новые", "changed": "Изменятся", "same": "Без изменений",
        "error": "С ошибками", "warnings": "С предупреждениями"}
#: rows of the file shown under the mapping form, so that the person sees what each column holds
SAMPLE_ROWS = 3


def _plan_for_import(plan_id: int) -> Plan:
    """A plan the user may import into: 404 if she may not even see it (a draft), 403 if she may
    only read it."""
    plan = db.session.get(Plan, plan_id) or abort(404)
    if not auth.can_manage_plan(current_user, plan):
        abort(403 if plan.is_published else 404)
    return plan


def _own_batch(batch_id: int) -> tuple[ImportBatch, Plan]:
    """The user's own plan import and its plan; someone else's batch is a 404. Her right to manage
    the plan is checked again: it may have been withdrawn since the upload."""
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.user_id != current_user.id or batch.kind != ImportKind.PLAN:
        abort(404)
    plan = db.session.get(Plan, batch.plan_id) or abort(404)
    auth.require(auth.can_manage_plan(current_user, plan))
    return batch, plan


def _after_upload(batch: ImportBatch):
    """Where a batch that can no longer be previewed sends the person."""
    if batch.status == ImportStatus.APPLIED:
        return redirect_after_post("imports.plan_result", batch_id=batch.id)
    flash("Эта загрузка отменена, ничего не записано. Загрузите файл снова.", "info")
    return redirect_after_post("imports.plan_upload", plan_id=batch.plan_id)


def _file_problem(plan: Plan, message: str):
    """The stored file no longer reads (it did at upload): say so; nothing was written."""
    return render("imports/plan_problem.html", "imports/_plan_problem.html", status=422, plan=plan,
                  message=message)


@bp.route("/plans/<int:plan_id>/upload", methods=["GET", "POST"])
@login_required
def plan_upload(plan_id: int):
    """The upload form; a table that reads goes to its preview, or to the mapping step when its
    headers are not all recognized. A bad file: 422 with the reason, nothing stored."""
    plan = _plan_for_import(plan_id)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            batch, sure = plan_import.create_batch(plan, current_user, upload.filename or "", upload.read())
        except ImportFileError as error:
            db.session.rollback()
            form.file.errors.append(error.message)
        else:
            db.session.commit()
            return redirect_after_post("imports.plan_preview" if sure else "imports.plan_mapping", batch_id=batch.id)
    status = 422 if request.method == "POST" else 200
    return render("imports/plan_upload.html", "imports/_plan_upload_form.html", status=status, plan=plan, form=form)


@bp.get("/plans/template.xlsx")
@login_required
def plan_template():
    """The XLSX to fill: the plan's columns, the instructions, the allowed names."""
    auth.require(auth.can_create_plans(current_user))
    return spreadsheets.download(plan_import.template_workbook(), "xlsx", "plan-import-template",
                                 "Шаблон импорта плана мероприятий")


@bp.route("/<int:batch_id>/mapping", methods=["GET", "POST"])
@login_required
def plan_mapping(batch_id: int):
    """Which column of the file holds each field, pre-filled with the best guesses. 422 when a
    required field is unmapped or two fields share a column."""
    batch, plan = _own_batch(batch_id)
    if batch.status != ImportStatus.UPLOADED:
        return _after_upload(batch)
    try:
        table = plan_import.read_plan_table(batch.content, batch.file_name)
    except ImportFileError as error:
        return _file_problem(plan, error.message)
    confirmed = plan_import.mapping_complete(batch.mapping, table.header)
    initial = batch.mapping if confirmed else plan_import.match_header(table.header)[0]
    form = mapping_form(plan_import.FIELDS, table.header, initial)
    if form.validate_on_submit():
        plan_import.set_mapping(batch, form.mapping())
        db.session.commit()
        return redirect_after_post("imports.plan_preview", batch_id=batch.id)
    columns = [(column_name(i, text), [cell_text(row[i]) for row in table.rows[:SAMPLE_ROWS]])
               for i, text in enumerate(table.header)]
    status = 422 if request.method == "POST" else 200
    return render("imports/plan_mapping.html", "imports/_plan_mapping_form.html", status=status, plan=plan,
                  batch=batch, form=form, columns=columns, fields=plan_import.FIELDS, sheet=table.sheet,
                  confirmed=confirmed)


@bp.get("/<int:batch_id>/preview")
@login_required
def plan_preview(batch_id: int):
    """Every row as it will be imported (100 a page, filterable), with the counts on top. Nothing
    is written here."""
    batch, plan = _own_batch(batch_id)
    if batch.status != ImportStatus.UPLOADED:
        return _after_upload(batch)
    try:
        table = plan_import.read_plan_table(batch.content, batch.file_name)
        if not plan_import.mapping_complete(batch.mapping, table.header):
            return redirect_after_post("imports.plan_mapping", batch_id=batch.id)
        preview = plan_import.build_preview(batch, plan, table)
    except ImportFileError as error:
        return _file_problem(plan, error.message)
    show = request.args.get("show") if request.args.get("show") in SHOW else "all"
    rows = [row for row in preview.rows
            if show == "all" or (bool(row.warnings) if show == "warnings" else row.state == show)]
    page_no = parse_page(request.args.get("page"))
    page_no = min(page_no, max(1, -(-len(rows) // ROWS_PER_PAGE)))
    page = Page(items=rows[(page_no - 1) * ROWS_PER_PAGE:page_no * ROWS_PER_PAGE], page=page_no,
                per_page=ROWS_PER_PAGE, total=len(rows))
    return render("imports/plan_preview.html", "imports/_plan_preview_rows.html", plan=plan, batch=batch,
                  preview=preview, page=page, show=show, filters=SHOW, plural=plural)


@bp.post("/<int:batch_id>/apply")
@login_required
def plan_apply(batch_id: int):
    """Import the previewed rows. The batch row is locked and its status checked, so a double
    click or a resent form applies once; an applied batch shows its result."""
    _own_batch(batch_id)
    batch = plan_import.lock_batch(batch_id)
    if batch.status == ImportStatus.UPLOADED:
        plan = db.session.get(Plan, batch.plan_id)
        try:
            table = plan_import.read_plan_table(batch.content, batch.file_name)
            if not plan_import.mapping_complete(batch.mapping, table.header):
                db.session.rollback()
                return redirect_after_post("imports.plan_mapping", batch_id=batch.id)
            summary = plan_import.apply(batch, current_user)
        except ImportFileError as error:
            db.session.rollback()
            return _file_problem(plan, error.message)
        db.session.commit()
        flash(f"Импорт выполнен: добавлено пунктов — {len(summary['created'])}, "
              f"изменено — {len(summary['updated'])}.", "success")
    elif batch.status == ImportStatus.DISCARDED:
        db.session.rollback()
        return _after_upload(batch)
    else:
        db.session.rollback()
    return redirect_after_post("imports.plan_result", batch_id=batch_id)


@bp.post("/<int:batch_id>/discard")
@login_required
def plan_discard(batch_id: int):
    """Drop the upload: its file is deleted, nothing is imported."""
    _own_batch(batch_id)
    batch = plan_import.lock_batch(batch_id)
    if batch.status == ImportStatus.APPLIED:
        db.session.rollback()
        flash("Этот файл уже импортирован: отменить импорт нельзя.", "error")
        return redirect_after_post("imports.plan_result", batch_id=batch_id)
    if batch.status == ImportStatus.UPLOADED:
        plan_import.discard(batch)
        db.session.commit()
    flash("Загрузка отменена, ничего не записано.", "success")
    return redirect_after_post("plan.plan_detail", plan_id=batch.plan_id)


@bp.get("/<int:batch_id>/result")
@login_required
def plan_result(batch_id: int):
    """What an applied import did: the items created and updated (100 a page), the rows skipped."""
    batch, plan = _own_batch(batch_id)
    if batch.status != ImportStatus.APPLIED:
        if batch.status == ImportStatus.UPLOADED:
            return redirect_after_post("imports.plan_preview", batch_id=batch.id)
        return _after_upload(batch)
    summary = batch.summary or {}
    done = ([("new", *entry, []) for entry in summary.get("created", [])]
            + [("changed", *entry) for entry in summary.get("updated", [])])
    page_no = parse_page(request.args.get("page"))
    page_no = min(page_no, max(1, -(-len(done) // ROWS_PER_PAGE)))
    page = Page(items=done[(page_no - 1) * ROWS_PER_PAGE:page_no * ROWS_PER_PAGE], page=page_no,
                per_page=ROWS_PER_PAGE, total=len(done))
    return render("imports/plan_result.html", "imports/_plan_result_rows.html", plan=plan, batch=batch,
                  summary=summary, page=page, plural=plural)
