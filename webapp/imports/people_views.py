"""The staff import's pages: upload → (mapping) → preview → apply or discard → result.

Who may import an organization's staff: its coordinator, a methodist of its municipality, an
admin. A batch is seen only by the person who uploaded it (anyone else gets 404), and only while
she still may import for its organization (403 otherwise).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from webapp.accounts import auth
from webapp.accounts.models import Role, User
from webapp.extensions import db
from webapp.htmx import redirect_after_post, render
from webapp.imports import people_import
from webapp.imports.forms import UploadForm, column_name, mapping_form
from webapp.imports.models import ImportBatch, ImportKind, ImportStatus
from webapp.imports.people_import import FIELDS, FILTERS, RowState
from webapp.imports.reading import MAX_BYTES, ImportFileError, cell_text
from webapp.imports.routes import bp
from webapp.orgs.models import Organization
from webapp.spreadsheets import download
from webapp.ui import Page, parse_page, plural

ROWS_PER_PAGE = 100
RECENT_BATCHES = 5

#: a row's state in the preview (what will happen) and on the result page (what happened)
PREVIEW_LABELS = {"new": "новый — получит приглашение", "update": "изменится", "same": "без изменений",
                  "merged": "повтор — объединён", "skipped": "пропущен", "error": "ошибка — не загрузится"}
MAPPING_HINTS = {"full_name": "Или Фамилия и Имя отдельными столбцами.", "email": "Обязательно: это логин "
                 "человека, на него придёт приглашение."}
RESULT_LABELS = {"new": "добавлен, приглашение отправлено", "update": "изменён", "same": "без изменений",
                 "merged": "повтор — объединён", "skipped": "пропущен", "error": "не загружен: ошибка"}


def may_import_people(user: User | None, organization: Organization) -> bool:
    """Its coordinator, a methodist of its municipality, an admin."""
    return (auth.is_admin(user) or auth.methodist_of(user, organization.municipality_id)
            or auth.coordinator_of(user, organization.id))


def _organization(org_id: int) -> Organization:
    organization = db.session.get(Organization, org_id) or abort(404)
    auth.require(may_import_people(current_user, organization))
    return organization


def _batch(batch_id: int, lock: bool = False) -> ImportBatch:
    """The current user's people batch (404 for anyone else's), locked for an apply or discard:
    a double click waits for the first request, then sees the batch already applied."""
    stmt = sa.select(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.kind == ImportKind.PEOPLE)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    batch = db.session.scalar(stmt)
    if batch is None or batch.user_id != current_user.id:
        abort(404)
    auth.require(may_import_people(current_user, batch.organization))
    return batch


def _elsewhere(batch: ImportBatch):
    """Where an applied or discarded batch's pages lead instead (None while it awaits confirmation)."""
    if batch.status == ImportStatus.APPLIED:
        return redirect_after_post("imports.people_result", batch_id=batch.id)
    if batch.status == ImportStatus.DISCARDED:
        flash("Эта загрузка отменена, файл удалён. Загрузите его снова.", "info")
        return redirect_after_post("imports.people_upload", org_id=batch.organization_id)
    return None


def _unreadable(batch: ImportBatch, error: ImportFileError):
    response = make_response(render_template("imports/people_unreadable.html", batch=batch,
                                             message=error.message), 422)
    response.vary.add("HX-Request")
    return response


def _filter_arg() -> str:
    show = request.args.get("show", "all")
    return show if show in FILTERS else "all"


def _rows_page(rows: list[dict]) -> Page:
    page_no = parse_page(request.args.get("page"))
    start = (page_no - 1) * ROWS_PER_PAGE
    return Page(items=rows[start:start + ROWS_PER_PAGE], page=page_no, per_page=ROWS_PER_PAGE, total=len(rows))


# -- upload -----------------------------------------------------------------------------------

@bp.route("/organizations/<int:org_id>/people/upload", methods=["GET", "POST"])
@login_required
def people_upload(org_id: int):
    """The staff file's upload form; a readable file becomes a batch and goes to its mapping
    (when a column was not recognized) or straight to its preview. Nothing else is written."""
    organization = _organization(org_id)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(MAX_BYTES + 1)
        try:
            batch, recognized = people_import.create_batch(organization, current_user, upload.filename, data)
        except ImportFileError as error:
            db.session.rollback()
            form.file.errors = [*form.file.errors, error.message]
        else:
            db.session.commit()
            endpoint = "imports.people_preview" if recognized else "imports.people_mapping"
            return redirect_after_post(endpoint, batch_id=batch.id)
    recent = list(db.session.scalars(
        sa.select(ImportBatch).where(ImportBatch.kind == ImportKind.PEOPLE, ImportBatch.user_id == current_user.id,
                                     ImportBatch.organization_id == organization.id)
        .order_by(ImportBatch.created_dt.desc(), ImportBatch.id.desc()).limit(RECENT_BATCHES)))
    status = 422 if request.method == "POST" and form.errors else 200
    return render("imports/people_upload.html", "imports/_people_upload_form.html", status, form=form,
                  org=organization, recent=recent, statuses=ImportStatus)


@bp.get("/people/template.xlsx")
@login_required
def people_template():
    """The template file, for anyone who may import staff somewhere."""
    user = current_user
    auth.require(auth.is_admin(user) or user.has_role(Role.METHODIST) or user.has_role(Role.COORDINATOR))
    return download(people_import.template_bytes(), "xlsx", "staff-template", "Шаблон — сотрудники организации")


# -- mapping ----------------------------------------------------------------------------------

@bp.route("/<int:batch_id>/people-mapping", methods=["GET", "POST"])
@login_required
def people_mapping(batch_id: int):
    """Which column of her file holds which field, pre-filled with the guesses."""
    batch = _batch(batch_id)
    if (elsewhere := _elsewhere(batch)) is not None:
        return elsewhere
    try:
        table = people_import.read_people_table(batch)
    except ImportFileError as error:
        return _unreadable(batch, error)
    form = mapping_form(FIELDS, table.header, batch.mapping or {})
    problem = ""
    if form.validate_on_submit():
        mapping = form.mapping()
        problem = people_import.mapping_problem(mapping)
        if not problem:
            batch.mapping = mapping
            db.session.commit()
            return redirect_after_post("imports.people_preview", batch_id=batch.id)
        form.full_name.errors = [*form.full_name.errors, problem]
    elif request.method == "GET":
        problem = people_import.mapping_problem(batch.mapping or {})
    failed = request.method == "POST"
    return render("imports/people_mapping.html", "imports/_people_mapping_form.html", 422 if failed else 200,
                  form=form, batch=batch, org=batch.organization, header=table.header,
                  sample=[[cell_text(v) for v in row] for row in table.rows[:3]],
                  problem=problem, fields=FIELDS, hints=MAPPING_HINTS, column_name=column_name)


# -- preview, apply, discard, result ----------------------------------------------------------

@bp.get("/<int:batch_id>/people-preview")
@login_required
def people_preview(batch_id: int):
    """Every row as it will be imported, with counts; nothing is written until she confirms."""
    batch = _batch(batch_id)
    if (elsewhere := _elsewhere(batch)) is not None:
        return elsewhere
    if people_import.mapping_problem(batch.mapping or {}):
        return redirect(url_for("imports.people_mapping", batch_id=batch.id))
    try:
        preview = people_import.analyze(batch, current_user)
    except ImportFileError as error:
        return _unreadable(batch, error)
    show = _filter_arg()
    header = preview.header
    mapped = [(spec.label, column_name(index, header[index] if index < len(header) else ""))
              for spec in FIELDS if (index := batch.mapping.get(spec.key)) is not None]
    return render("imports/people_preview.html", "imports/_people_rows.html", batch=batch, org=batch.organization,
                  counts=preview.counts, page=_rows_page(preview.shown(show)), show=show, filters=FILTERS,
                  labels=PREVIEW_LABELS, rows_endpoint="imports.people_preview", mapped=mapped, plural=plural)


@bp.post("/<int:batch_id>/people-apply")
@login_required
def people_apply(batch_id: int):
    """Import the batch once: a second confirmation (double click, back button) finds it applied
    and shows its result."""
    batch = _batch(batch_id, lock=True)
    if batch.status == ImportStatus.APPLIED:
        flash("Этот файл уже загружен — вот что было сделано.", "info")
    if (elsewhere := _elsewhere(batch)) is not None:
        return elsewhere
    if people_import.mapping_problem(batch.mapping or {}):
        return redirect_after_post("imports.people_mapping", batch_id=batch.id)
    try:
        summary = people_import.apply(batch, current_user)
        db.session.commit()
    except ImportFileError as error:
        db.session.rollback()
        return _unreadable(batch, error)
    except IntegrityError:
        # someone signed up with one of these addresses (or another import added it) meanwhile
        db.session.rollback()
        flash("Пока вы смотрели предпросмотр, одна из учётных записей в файле изменилась. Проверьте строки ещё "
              "раз и подтвердите загрузку.", "error")
        return redirect_after_post("imports.people_preview", batch_id=batch_id)
    counts = summary["counts"]
    flash(f"Сотрудники загружены: новых — {counts['new']} (им отправлены приглашения), "
          f"изменено — {counts['update']}, без изменений — {counts['same']}.", "success")
    return redirect_after_post("imports.people_result", batch_id=batch_id)


@bp.post("/<int:batch_id>/people-discard")
@login_required
def people_discard(batch_id: int):
    """Drop the upload: nothing is imported and the file is deleted."""
    batch = _batch(batch_id, lock=True)
    if batch.status == ImportStatus.APPLIED:
        return redirect_after_post("imports.people_result", batch_id=batch.id)
    if batch.status == ImportStatus.UPLOADED:
        people_import.discard(batch)
        db.session.commit()
        flash("Загрузка отменена, файл удалён. Ничего не изменилось.", "info")
    return redirect_after_post("imports.people_upload", org_id=batch.organization_id)


@bp.get("/<int:batch_id>/people-result")
@login_required
def people_result(batch_id: int):
    """What the applied import did, row by row (from the batch's summary: the file is gone)."""
    batch = _batch(batch_id)
    if batch.status != ImportStatus.APPLIED:
        if batch.status == ImportStatus.UPLOADED:
            return redirect(url_for("imports.people_preview", batch_id=batch.id))
        return _elsewhere(batch)
    show = _filter_arg()
    rows = [row for row in batch.summary.get("rows", [])
            if people_import.matches_filter(row["state"], bool(row.get("warnings")), show)]
    return render("imports/people_result.html", "imports/_people_rows.html", batch=batch, org=batch.organization,
                  counts=batch.summary.get("counts", {}), page=_rows_page(rows), show=show, filters=FILTERS,
                  labels=RESULT_LABELS, rows_endpoint="imports.people_result", plural=plural,
                  states=RowState)
