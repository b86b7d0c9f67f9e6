"""The template builder: methodists and admins list, create, import, edit, export, copy and archive
check-list templates.

The editor is one region (`#builder`: the items, the add/edit form and the live preview): every
edit over htmx answers with that region re-rendered, a plain form post with a redirect back (303)
or the whole page with the messages (422). The rules are in `building`; views commit once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import aliased, joinedload

from webapp.accounts import auth
from webapp.accounts.models import Role, User
from webapp.checklists import building
from webapp.checklists.building import CONDITION_SOURCES, ChecklistError, answer_values, can_build, can_edit
from webapp.checklists.forms import (
    NETWORK_LABEL,
    ActionForm,
    CopyForm,
    HeadingForm,
    ImportForm,
    ItemForm,
    MoveForm,
    TemplateForm,
)
from webapp.checklists.models import ChecklistItem, ChecklistTemplate, ChecklistVersion, ItemKind
from webapp.checklists.routes import bp
from webapp.extensions import db
from webapp.htmx import is_fragment_request, redirect_after_post, render
from webapp.orgs.models import Municipality
from webapp.ui import Page, parse_page, plural

PER_PAGE = 50
MAX_IMPORT_BYTES = 1024 * 1024
IMPORT_PREFIX = "import"
REGION = "checklists/_builder_region.html"
NO_ITEM = "Такого вопроса в чек-листе нет (возможно, его уже удалили)."


def _user() -> User | None:
    return current_user if current_user.is_authenticated else None


def _builder() -> User:
    """The signed-in methodist or admin (403 for everyone else)."""
    user = _user()
    auth.require(can_build(user))
    return user


def _load(template_id: int) -> tuple[User, ChecklistTemplate]:
    """The builder and a template she may see: 404 for an unknown id, 403 for another territory's."""
    user = _builder()
    row = db.session.execute(
        sa.select(ChecklistTemplate, building.visible_templates_clause(user).label("visible"))
        .where(ChecklistTemplate.id == template_id)).first()
    if row is None:
        abort(404)
    auth.require(bool(row.visible))
    return user, row[0]


def _load_editable(template_id: int) -> tuple[User, ChecklistTemplate]:
    user, template = _load(template_id)
    auth.require(can_edit(user, template))
    return user, template


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _owner_label(template: ChecklistTemplate) -> str:
    return template.municipality.name if template.municipality_id else NETWORK_LABEL


# -- who may own what ------------------------------------------------------------------------

def _owners(user: User) -> tuple[bool, list[tuple[int, str]]]:
    """(the network may own it, the municipalities that may): an admin's are all of them, a
    methodist's are hers."""
    if user.is_admin:
        return True, list(db.session.execute(
            sa.select(Municipality.id, Municipality.name).order_by(Municipality.name)).tuples())
    ids = user.scope_ids(Role.METHODIST)
    if len(ids) == 1:
        return False, [(next(iter(ids)), "")]  # never shown: no query for a name
    return False, list(db.session.execute(
        sa.select(Municipality.id, Municipality.name).where(Municipality.id.in_(ids))
        .order_by(Municipality.name)).tuples())


def _with_owners(form, user: User, owners=None):
    form.offer_owners(*(owners or _owners(user)))
    return form


def _copy_form(user: User, formdata=None) -> CopyForm:
    """Admins copy into the network's templates; a methodist into (one of) her municipalities."""
    form = CopyForm(formdata=formdata)
    if user.is_admin:
        form.offer_owners(True, [])
    else:
        form.offer_owners(*_owners(user))
    return form


def _show_errors(form, error: ChecklistError, fallback: str) -> None:
    """The service's messages under the form's fields (the rest under `fallback`)."""
    for name, message in error.errors.items():
        field = form[name] if name and name in form else form[fallback]
        field.errors = [*field.errors, message]


# -- the list --------------------------------------------------------------------------------

@dataclass(frozen=True)
class TemplateRow:
    template: ChecklistTemplate
    version: int
    questions: int


def _template_rows(user: User, page_no: int) -> Page:
    """A page of the templates she may see, newest first: three queries whatever their number."""
    visible = building.visible_templates_clause(user)
    total = db.session.scalar(sa.select(sa.func.count(ChecklistTemplate.id)).where(visible)) or 0
    current = aliased(ChecklistVersion)
    latest = (sa.select(sa.func.max(ChecklistVersion.number))
              .where(ChecklistVersion.template_id == ChecklistTemplate.id)
              .correlate(ChecklistTemplate).scalar_subquery())
    questions = (sa.select(sa.func.count(ChecklistItem.id))
                 .where(ChecklistItem.version_id == current.id, ChecklistItem.kind != ItemKind.SECTION)
                 .correlate(current).scalar_subquery())
    rows = db.session.execute(
        sa.select(ChecklistTemplate, current.number, questions)
        .join(current, sa.and_(current.template_id == ChecklistTemplate.id, current.number == latest))
        .where(visible)
        .options(joinedload(ChecklistTemplate.municipality))
        .order_by(ChecklistTemplate.created_dt.desc(), ChecklistTemplate.id.desc())
        .limit(PER_PAGE).offset((page_no - 1) * PER_PAGE)).all()
    return Page(items=[TemplateRow(t, number, count) for t, number, count in rows], page=page_no,
                per_page=PER_PAGE, total=total)


def _list_context(user: User, page_no: int, create_form: TemplateForm | None = None,
                  import_form: ImportForm | None = None) -> dict:
    owners = _owners(user)
    return dict(page=_template_rows(user, page_no),
                create_form=create_form or _with_owners(TemplateForm(formdata=None), user, owners),
                import_form=import_form or _with_owners(ImportForm(prefix=IMPORT_PREFIX, formdata=None), user, owners),
                plural=plural)


def _list_refused(user: User, **forms):
    """The list page with a refused create or import form (htmx picks the form out of it)."""
    response = make_response(render_template("checklists/templates.html", **_list_context(user, 1, **forms)), 422)
    response.vary.add("HX-Request")
    return response


@bp.get("/checklists/templates")
@login_required
def templates():
    """The templates she may see, with the forms to create one or load one from a file."""
    user = _builder()
    return render("checklists/templates.html", "checklists/_builder_list.html",
                  **_list_context(user, parse_page(request.args.get("page"))))


@bp.post("/checklists/templates")
@login_required
def create_template():
    user = _builder()
    form = _with_owners(TemplateForm(), user)
    if form.validate():
        try:
            template = building.create_template(user, form.title.data, form.instructions.data, form.owner())
        except ChecklistError as error:
            db.session.rollback()
            _show_errors(form, error, "title")
        else:
            db.session.commit()
            flash(f"Чек-лист «{template.title}» создан. Добавьте вопросы.", "success")
            return redirect_after_post("checklists.editor", template_id=template.id)
    return _list_refused(user, create_form=form)


def _read_upload(upload) -> object:
    """The JSON in an uploaded file, or ChecklistError({"file": …}) saying what is wrong with it."""
    if upload is None or not getattr(upload, "filename", ""):
        raise ChecklistError({"file": "Выберите файл чек-листа (.json), выгруженный кнопкой «Скачать JSON»."})
    body = upload.stream.read(MAX_IMPORT_BYTES + 1)
    if len(body) > MAX_IMPORT_BYTES:
        raise ChecklistError({"file": "Файл больше 1 МБ — это не файл чек-листа."})
    if not body.strip():
        raise ChecklistError({"file": "Файл пустой."})
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ChecklistError({"file": "Файл не в кодировке UTF-8: сохраните его заново в UTF-8."}) from None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise ChecklistError({"file": "Это не файл JSON: загрузите файл, выгруженный кнопкой «Скачать JSON»."}) from None


@bp.post("/checklists/templates/import")
@login_required
def import_template():
    """A new template from an exported file; a file with any fault writes nothing."""
    user = _builder()
    form = _with_owners(ImportForm(prefix=IMPORT_PREFIX), user)
    if form.validate():
        try:
            template = building.import_template(_read_upload(form.file.data), user, form.owner())
        except ChecklistError as error:
            db.session.rollback()
            _show_errors(form, error, "file")
        else:
            template_id, title, count = template.id, template.title, len(template.current_version.items)
            db.session.commit()
            flash(f"Чек-лист «{title}» загружен: {count} {plural(count, 'пункт', 'пункта', 'пунктов')}.", "success")
            return redirect_after_post("checklists.editor", template_id=template_id)
    return _list_refused(user, import_form=form)


# -- the editor ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemRow:
    item: ChecklistItem
    #: «показывается, если …», or ""
    condition: str


def _item_rows(items: list[ChecklistItem]) -> list[ItemRow]:
    by_key = {i.key: i for i in items}
    rows = []
    for item in items:
        condition = ""
        source = by_key.get(item.show_if_key or "")
        if source is not None:
            labels = dict(answer_values(source))
            wanted = " или ".join(f"«{labels.get(v, v)}»" for v in item.show_if_values or [])
            condition = f"показывается, если ответ на вопрос {source.position} — {wanted}"
        rows.append(ItemRow(item, condition))
    return rows


def _find_item(items: list[ChecklistItem], key: str | None) -> ChecklistItem | None:
    return next((i for i in items if i.key == key), None) if key else None


def _prepare_item_form(form: ItemForm, items: list[ChecklistItem], editing: ChecklistItem | None) -> ItemForm:
    """Offer as condition sources the items above the one edited (all of them for a new one)."""
    earlier = items[:items.index(editing)] if editing is not None else items
    sources = [i for i in earlier if i.kind in CONDITION_SOURCES]
    source = _find_item(sources, form.show_if_key.data)
    form.prepare([(i.key, f"{i.position}. {_short(i.text)}") for i in sources],
                 answer_values(source) if source is not None else [])
    return form


def _new_item_form(items: list[ChecklistItem], kind: str | None = None) -> ItemForm:
    form = ItemForm(formdata=None)
    if ItemKind.parse(kind):
        form.kind.data = kind
    return _prepare_item_form(form, items, None)


def _editor_context(user: User, template: ChecklistTemplate, *, item_form: ItemForm | None = None,
                    editing: ChecklistItem | None = None, heading_form: HeadingForm | None = None,
                    copy_form: CopyForm | None = None, notice: str = "", error: str = "",
                    new_kind: str | None = None) -> dict:
    """`new_kind`: the kind the add form offers (the one just used, so a run of similar
    questions needs no re-selecting)."""
    version = template.current_version
    items = list(version.items)
    editable = can_edit(user, template)
    context = dict(template=template, version=version, items=items, rows=_item_rows(items), editable=editable,
                   owner=_owner_label(template), copy_form=copy_form or _copy_form(user),
                   notice=notice, error=error, region=REGION)
    if editable:
        context.update(
            frozen=building.is_frozen(version),
            heading_form=heading_form or HeadingForm(formdata=None, obj=template),
            item_form=item_form or _new_item_form(items, kind=new_kind or request.args.get("kind")),
            editing=editing)
    return context


def _editor_response(user: User, template: ChecklistTemplate, status: int = 200, **extra):
    """The editor page, or its region (`#builder`) for htmx."""
    return render("checklists/editor.html", REGION, status=status, **_editor_context(user, template, **extra))


def _saved(user: User, template: ChecklistTemplate, message: str, anchor: str | None = None,
           new_kind: str | None = None):
    """After a committed edit: the fresh region for htmx, back to the editor (303) otherwise."""
    if is_fragment_request():
        return _editor_response(user, template, notice=message, new_kind=new_kind)
    flash(message, "success")
    return redirect(url_for("checklists.editor", template_id=template.id, kind=new_kind, _anchor=anchor), code=303)


def _refused(user: User, template: ChecklistTemplate, error: ChecklistError, item_form: ItemForm | None = None,
             editing_key: str | None = None):
    """A broken rule: nothing is kept; the form shows what was typed with the messages (422), or
    the region says why (404: gone, 409: the order of conditions)."""
    db.session.rollback()
    if item_form is not None and error.status == 422:
        item_form.take_errors(error)
        items = list(template.current_version.items)
        editing = _find_item(items, editing_key)
        return _editor_response(user, template, 422, item_form=item_form, editing=editing)
    return _editor_response(user, template, error.status, error=error.message)


@bp.get("/checklists/templates/<int:template_id>")
@login_required
def editor(template_id: int):
    """The editor for those who may edit the template; otherwise its preview, export and a copy."""
    user, template = _load(template_id)
    return _editor_response(user, template)


@bp.post("/checklists/templates/<int:template_id>")
@login_required
def update_template(template_id: int):
    user, template = _load_editable(template_id)
    form = HeadingForm()
    if form.validate():
        try:
            building.update_template(template, form.title.data, form.instructions.data)
        except ChecklistError as error:
            db.session.rollback()
            _show_errors(form, error, "title")
        else:
            db.session.commit()
            return _saved(user, template, "Название и инструкция сохранены.", anchor="heading")
    return _editor_response(user, template, 422, heading_form=form)


@bp.get("/checklists/templates/<int:template_id>/items/form")
@login_required
def item_form(template_id: int):
    """The add (`kind`) or edit (`key`) form. With the form's values in the query (the kind or the
    condition changed) it re-renders them for the new choice, keeping what was typed."""
    user, template = _load_editable(template_id)
    items = list(template.current_version.items)
    editing = _find_item(items, request.args.get("key"))
    if request.args.get("key") and editing is None:
        abort(404)
    typed = "shown_kind" in request.args  # the form's own values, not a fresh form
    form = ItemForm(formdata=request.args if typed else None)
    if not typed:
        if editing is not None:
            form.fill_from(editing)
        elif ItemKind.parse(request.args.get("kind")):
            form.kind.data = request.args["kind"]
    _prepare_item_form(form, items, editing)
    if is_fragment_request():
        response = make_response(render_template("checklists/_builder_item_form.html", template=template,
                                                 item_form=form, editing=editing, items=items))
        response.vary.add("HX-Request")
        return response
    return _editor_response(user, template, item_form=form, editing=editing)


@bp.post("/checklists/templates/<int:template_id>/items")
@login_required
def add_item(template_id: int):
    user, template = _load_editable(template_id)
    items = list(template.current_version.items)
    form = _prepare_item_form(ItemForm(), items, None)
    if not form.validate():
        return _editor_response(user, template, 422, item_form=form)
    kind, raw = form.to_raw()
    try:
        item = building.add_item(template, user, kind, raw)
    except ChecklistError as error:
        return _refused(user, template, error, item_form=form)
    key = item.key
    db.session.commit()
    return _saved(user, template, "Вопрос добавлен.", anchor=f"item-{key}", new_kind=kind)


@bp.post("/checklists/templates/<int:template_id>/items/<key>")
@login_required
def update_item(template_id: int, key: str):
    user, template = _load_editable(template_id)
    items = list(template.current_version.items)
    editing = _find_item(items, key)
    if editing is None:
        return _refused(user, template, ChecklistError(NO_ITEM, 404))
    form = _prepare_item_form(ItemForm(), items, editing)
    if not form.validate():
        return _editor_response(user, template, 422, item_form=form, editing=editing)
    kind, raw = form.to_raw(editing)
    try:
        building.update_item(template, user, key, raw)
    except ChecklistError as error:
        return _refused(user, template, error, item_form=form, editing_key=key)
    db.session.commit()
    return _saved(user, template, "Изменения сохранены.", anchor=f"item-{key}")


@bp.post("/checklists/templates/<int:template_id>/items/<key>/move")
@login_required
def move_item(template_id: int, key: str):
    user, template = _load_editable(template_id)
    form = MoveForm()
    step = {"up": -1, "down": 1}.get(form.direction.data or "")
    if not form.validate() or step is None:
        return _editor_response(user, template, 422, error="Не указано, куда переместить вопрос: выше или ниже.")
    try:
        building.move_item(template, user, key, step)
    except ChecklistError as error:
        return _refused(user, template, error)
    db.session.commit()
    return _saved(user, template, "Порядок вопросов изменён.", anchor=f"item-{key}")


@bp.post("/checklists/templates/<int:template_id>/items/<key>/delete")
@login_required
def delete_item(template_id: int, key: str):
    user, template = _load_editable(template_id)
    if not ActionForm().validate():
        abort(400)
    try:
        building.delete_item(template, user, key)
    except ChecklistError as error:
        return _refused(user, template, error)
    db.session.commit()
    return _saved(user, template, "Вопрос удалён.", anchor="items")


@bp.post("/checklists/templates/<int:template_id>/archive")
@login_required
def archive_template(template_id: int):
    """Archive or restore (answers stay either way). The form says which, so a second click of a
    double click changes nothing; a bare post toggles."""
    user, template = _load_editable(template_id)
    if not ActionForm().validate():
        abort(400)
    wanted = request.form.get("state")
    archive = template.archived_dt is None if wanted not in ("archived", "active") else wanted == "archived"
    building.set_archived(template, archive)
    db.session.commit()
    message = ("Чек-лист в архиве: назначить его на новые мероприятия нельзя, данные ответов сохранены."
               if archive else "Чек-лист восстановлен из архива.")
    return _saved(user, template, message)


@bp.get("/checklists/templates/<int:template_id>/export")
@login_required
def export_template(template_id: int):
    """The template's current version as a JSON file to load into another network or territory."""
    _, template = _load(template_id)
    body = json.dumps(building.export_template(template), ensure_ascii=False, indent=2)
    name = " ".join(template.title.translate({ord(c): " " for c in '\\/:*?"<>|'}).split())[:120] or "чек-лист"
    response = make_response(body.encode("utf-8"))
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="checklist-{template.id}.json"; '
        f"filename*=UTF-8''{quote(name + '.json', safe='')}")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/checklists/templates/<int:template_id>/copy")
@login_required
def copy_template(template_id: int):
    """A copy of a template she can see, owned by her municipality (admins: by the network), to edit."""
    user, template = _load(template_id)
    form = _copy_form(user, request.form)
    error = ""
    if form.validate():
        try:
            if not template.current_version.items:
                raise ChecklistError("В чек-листе нет вопросов: копировать нечего.")
            copy = building.import_template(building.export_template(template), user, form.owner())
        except ChecklistError as refused:
            db.session.rollback()
            error = refused.message
        else:
            copy_id, owner = copy.id, _owner_label(copy)
            db.session.commit()
            flash(f"Создана копия для: {owner}. Её можно изменять.", "success")
            return redirect_after_post("checklists.editor", template_id=copy_id)
    return _editor_response(user, template, 422, copy_form=form, error=error)
