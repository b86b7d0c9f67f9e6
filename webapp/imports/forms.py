"""Forms of the import flow: the upload (shared by every import) and the plan's column mapping."""

from __future__ import annotations

from flask import has_request_context, request
from flask_wtf.file import FileAllowed, FileField, FileRequired
from openpyxl.utils import get_column_letter
from wtforms import SelectField

from webapp.forms import BaseForm

#: what the upload accepts; the reader checks the content itself (a PDF renamed .xlsx is refused there)
UPLOAD_EXTENSIONS = ("xlsx", "csv")


class UploadForm(BaseForm):
    """One table file (.xlsx or .csv). The size, row and content limits are the reader's
    (webapp.imports.reading): a form cannot see inside the file."""

    file = FileField("Файл таблицы", validators=[
        FileRequired(message="Выберите файл таблицы (.xlsx или .csv)."),
        FileAllowed(UPLOAD_EXTENSIONS, message="Загрузите таблицу Excel (.xlsx) или CSV. Старый формат .xls "
                                               "сохраните в Excel как «Книга Excel (.xlsx)»."),
    ], render_kw={"accept": ".xlsx,.csv"})


#: the select value for «this field is not in my file»
NOT_IN_FILE = ""


class MappingForm(BaseForm):
    """For each field of the import, the column of the uploaded file that holds it. The selects
    are added per file (their choices are the file's columns): build it with `mapping_form`."""

    required_keys: tuple[str, ...] = ()
    field_keys: tuple[str, ...] = ()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        used: dict[str, str] = {}
        for key in self.field_keys:
            field = self[key]
            if field.data in (None, NOT_IN_FILE):
                if key in self.required_keys:
                    field.errors.append("Укажите столбец: без него строки не импортировать.")
                    valid = False
                continue
            if field.data in used:
                field.errors.append(f"Этот столбец уже выбран для поля «{self[used[field.data]].label.text}».")
                valid = False
            else:
                used[field.data] = key
        return valid

    def mapping(self) -> dict[str, int]:
        """The answer: field key → column index, for the mapped fields only."""
        return {key: int(self[key].data) for key in self.field_keys if self[key].data not in (None, NOT_IN_FILE)}


def column_name(index: int, text: str) -> str:
    """A column as the person sees it in Excel: «C: Сроки»."""
    return f"{get_column_letter(index + 1)}: {text or '(без заголовка)'}"


def mapping_form(fields, header: list[str], initial: dict[str, int]) -> MappingForm:
    """The mapping form for a file's header: one select per field (`fields` have key, label and
    required), pre-filled with `initial` (field key → column index); a POST fills it from the form."""
    options = [(NOT_IN_FILE, "— нет в файле —")] + [(str(i), column_name(i, text)) for i, text in enumerate(header)]
    attrs = {spec.key: SelectField(spec.label, choices=options, default=NOT_IN_FILE) for spec in fields}
    attrs["field_keys"] = tuple(spec.key for spec in fields)
    attrs["required_keys"] = tuple(spec.key for spec in fields if spec.required)
    form_class = type("FileMappingForm", (MappingForm,), attrs)
    if has_request_context() and request.method == "POST":
        # the person's answer alone: a select missing from the post is «нет в файле», not the guess
        form = form_class()
    else:
        form = form_class(data={spec.key: str(initial[spec.key]) if spec.key in initial else NOT_IN_FILE
                                for spec in fields})
    for key in form.required_keys:
        form[key].flags.required = True  # marked in the label; checked in validate()
    return form
