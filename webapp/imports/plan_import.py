"""Importing a plan's items from a spreadsheet: read, match columns, preview, apply.

A methodist's plan typed in Excel (№, Мероприятие, Сроки, Форма, Аудитория, Ответственный,
Прогнозируемый результат, maybe Направление and Площадка, in any order, with a title above the
table) becomes the items of one plan. Nothing is written until the preview is confirmed, and the
preview is computed exactly as the apply is (`build_preview`), from the stored file and the
database as they are at that moment.

Rules the preview shows and the apply follows:

- an item is its number within the plan: a row whose number the plan has updates that item, a
  new number creates one; re-importing the same file changes nothing; items of the plan the file
  does not mention are left alone;
- only the columns the file has are compared and stored (a file without «Форма» keeps the forms
  set on the site); an empty cell in a column the file has empties the field;
- fields are compared as the plan service stores them (plan.services.item_values): texts
  stripped, the period recomputed only when the timing text changed;
- a form, direction, audience or site is looked up by name in the taxonomies; an unknown name is
  a warning with the closest known name as a suggestion, and the field is not set (an existing
  item keeps its value);
- a row with an error (no number, a number twice in the file, no title, a text too long) is
  skipped on apply, the others are imported.

Speed: the file is read once per request; the plan's items (with their audiences) and the
taxonomies are loaded in one query each; new items are inserted in one flush.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from webapp.dbtypes import utcnow
from webapp.extensions import db
from webapp.imports.batches import discard, discard_stale_batches, lock_batch  # noqa: F401
from webapp.imports.models import ImportBatch, ImportKind, ImportStatus
from webapp.imports.reading import Table, cell_text, normalize_header, read_table
from webapp.plan import services as plan_services
from webapp.plan.models import Plan, PlanItem
from webapp.sites.models import Site
from webapp.taxonomy.models import Audience, Direction, EventForm
from webapp.timefmt import format_day

#: the separators of several audiences in one cell
AUDIENCE_SEPARATORS = re.compile(r"[;,\n]+")
#: how many «нет в файле» items the preview names (the rest are counted)
MISSING_SHOWN = 50


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    #: must be mapped to a column before a preview
    required: bool
    #: normalized headers (reading.normalize_header) that surely name this field
    headers: tuple[str, ...]
    #: word stems that make a header a likely guess for this field (offered on the mapping page)
    stems: tuple[str, ...] = ()


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("number", "№", True,
              ("№", "№ п п", "№п п", "№ пп", "№пп", "n", "n п п", "no", "номер", "номер пункта", "п п", "пп",
               "№ пункта", "№ мероприятия"), ("номер", "№", "пункт")),
    FieldSpec("title", "Мероприятие", True,
              ("мероприятие", "мероприятия", "наименование мероприятия", "наименование мероприятий",
               "название мероприятия", "мероприятия программы", "мероприятие программы", "перечень мероприятий",
               "содержание", "содержание работы", "содержание деятельности", "содержание мероприятия",
               "деятельность", "вид деятельности", "тема", "тема мероприятия", "наименование", "название",
               "мероприятие тема"),
              ("мероприят", "наименован", "содержан", "тема")),
    FieldSpec("timing", "Сроки", False,
              ("сроки", "срок", "сроки проведения", "срок проведения", "дата", "даты", "дата проведения",
               "даты проведения", "сроки выполнения", "срок выполнения", "срок выполнения начало завершение",
               "сроки реализации", "срок реализации", "срок исполнения", "сроки исполнения", "период",
               "период проведения", "время проведения", "когда", "дата сроки", "сроки дата"),
              ("срок", "дат", "период", "когда")),
    FieldSpec("form", "Форма", False,
              ("форма", "форма проведения", "форма мероприятия", "форма работы", "формы работы",
               "форма проведения мероприятия", "вид мероприятия", "формы"), ("форм",)),
    FieldSpec("audiences", "Аудитория", False,
              ("аудитория", "целевая аудитория", "участники", "участники мероприятия", "категория участников",
               "категории участников", "категория педагогов", "категория слушателей", "для кого", "слушатели"),
              ("аудитор", "участник", "категори")),
    FieldSpec("responsible", "Ответственный", False,
              ("ответственный", "ответственные", "ответственный исполнитель", "ответственные исполнители",
               "ответственное лицо", "ответственные лица", "исполнитель", "исполнители", "ответственный за проведение",
               "ответственные за проведение", "ответственный за исполнение"), ("ответствен", "исполнител")),
    FieldSpec("expected_result", "Прогнозируемый результат", False,
              ("прогнозируемый результат", "прогнозируемые результаты", "ожидаемый результат",
               "ожидаемые результаты", "планируемый результат", "планируемые результаты", "результат",
               "результаты", "итог", "продукт"), ("результат",)),
    FieldSpec("direction", "Направление", False,
              ("направление", "направления", "направление деятельности", "направление работы", "раздел",
               "раздел плана"), ("направлен",)),
    FieldSpec("site", "Площадка", False,
              ("площадка", "площадки", "стажировочная площадка", "место проведения", "место", "база проведения",
               "на базе", "база"), ("площадк", "место")),
)
FIELD_BY_KEY = {spec.key: spec for spec in FIELDS}
HEADER_HINTS = tuple(h for spec in FIELDS for h in spec.headers)
#: the template file's columns, in the order of the seeds' plans
TEMPLATE_HEADER = ("№", "Мероприятие", "Сроки", "Форма", "Аудитория", "Ответственный", "Прогнозируемый результат",
                   "Направление", "Площадка")
TEMPLATE_WIDTHS = (7, 60, 22, 26, 30, 30, 44, 30, 30)
#: the item field each plain text column is stored in
TEXT_FIELDS = {"number": "number", "title": "title", "timing": "timing_text", "responsible": "responsible",
               "expected_result": "expected_result"}


class RowState:
    NEW = "new"
    CHANGED = "changed"
    SAME = "same"
    ERROR = "error"


STATE_LABELS = {RowState.NEW: "новый", RowState.CHANGED: "изменится", RowState.SAME: "без изменений",
                RowState.ERROR: "ошибка"}


@dataclass
class PlanRow:
    """One data row of the file as it will be imported."""

    #: the row number as Excel shows it
    line: int
    number: str = ""
    title: str = ""
    timing_text: str = ""
    #: the period the timing covers (None, None when it is kept as text only)
    period: tuple[date | None, date | None] = (None, None)
    responsible: str = ""
    expected_result: str = ""
    direction: str = ""
    form: str = ""
    audiences: list[str] = field(default_factory=list)
    site: str = ""
    #: the number's cell held a fraction (Excel drops a trailing zero of those: 2.10 → 2.1)
    number_is_fraction: bool = False
    state: str = RowState.ERROR
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: field → [old, new] for a changed item (as its history will show it)
    changes: dict[str, list[str]] = field(default_factory=dict)
    #: what the apply stores: plan.services.item_values and the audiences (None: leave them)
    values: dict = field(default_factory=dict, repr=False)
    audience_terms: list | None = field(default=None, repr=False)
    item: PlanItem | None = field(default=None, repr=False)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def period_text(self) -> str:
        return period_text(*self.period)


@dataclass
class Preview:
    rows: list[PlanRow]
    counts: dict[str, int]
    #: the plan's items the file does not mention (left alone), the first MISSING_SHOWN of them
    missing: list[PlanItem]
    missing_count: int
    #: the mapped fields, in FIELDS order
    fields: list[FieldSpec]


def period_text(start: date | None, end: date | None) -> str:
    """«1 апреля 2026 – 31 мая 2026», one day alone; "" when there is no period."""
    if start is None or end is None:
        return ""
    if start == end:
        return format_day(start)
    return f"{format_day(start)} – {format_day(end)}"


# -- the upload -------------------------------------------------------------------------------


def read_plan_table(data: bytes, file_name: str) -> Table:
    """The file's table (reading.Table); raises reading.ImportFileError with a Russian message."""
    return read_table(data, file_name, HEADER_HINTS)


def match_header(header: list[str]) -> tuple[dict[str, int], bool]:
    """Field key → column index from the header, and whether the match is sure: every required
    field is named by one of its usual headers and no other non-empty header is left unknown.
    Exact names first; then a telling word stem («Сроки проведения мероприятия» is the timing)
    as a guess for the mapping page. Each column serves one field."""
    normalized = [normalize_header(h) for h in header]
    compact = [text.replace(" ", "") for text in normalized]
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for spec in FIELDS:
        names = {h.replace(" ", "") for h in spec.headers}
        for index, text in enumerate(compact):
            if index not in taken and text and text in names:
                mapping[spec.key] = index
                taken.add(index)
                break
    unknown = [i for i, text in enumerate(normalized) if text and i not in taken]
    sure = all(spec.key in mapping for spec in FIELDS if spec.required) and not unknown
    for spec in FIELDS:
        if spec.key in mapping:
            continue
        for index in unknown:
            if index not in taken and any(stem in normalized[index] for stem in spec.stems):
                mapping[spec.key] = index
                taken.add(index)
                break
    return mapping, sure


def mapping_complete(mapping: dict, header: list[str]) -> bool:
    """Whether a stored mapping can drive a preview: every required field, valid distinct columns."""
    columns = [index for index in mapping.values()]
    return (all(spec.key in mapping for spec in FIELDS if spec.required)
            and all(isinstance(i, int) and 0 <= i < len(header) for i in columns)
            and len(set(columns)) == len(columns))


def create_batch(plan: Plan, user, file_name: str, data: bytes) -> tuple[ImportBatch, bool]:
    """Store an upload for its preview once it reads as a table. Returns the batch and whether its
    columns were all recognized (else the mapping step comes first: the stored mapping stays empty
    until the person confirms it). Raises reading.ImportFileError; nothing is stored then."""
    table = read_plan_table(data, file_name)
    discard_stale_batches()
    mapping, sure = match_header(table.header)
    batch = ImportBatch(kind=ImportKind.PLAN, user_id=user.id, plan_id=plan.id, file_name=(file_name or "")[:255],
                        file_size=len(data), content=data, mapping=mapping if sure else {},
                        status=ImportStatus.UPLOADED, summary={}, created_dt=utcnow())
    db.session.add(batch)
    db.session.flush()
    return batch, sure


def set_mapping(batch: ImportBatch, mapping: dict[str, int]) -> None:
    """The person's answer on the mapping page."""
    batch.mapping = dict(mapping)
    db.session.flush()



# -- the taxonomies ---------------------------------------------------------------------------

def _name_key(text: str) -> str:
    """A name for matching: case, «ё», quotes and extra spaces do not matter."""
    text = text.casefold().replace("ё", "е")
    text = re.sub(r"[«»\"'“”„]+", "", text)
    return re.sub(r"\s+", " ", text).strip(" .;:")


class Terms:
    """One taxonomy (or the sites) by name, for looking up a file's words. Retired terms are known
    so that an item keeping its retired form is not a change, but are not offered for new ones."""

    def __init__(self, objects, word: str, without: str, neuter: bool = False, not_found: str = ""):
        self.objects = list(objects)
        self.by_key = {_name_key(o.name): o for o in self.objects}
        self.active_keys = [_name_key(o.name) for o in self.objects if _is_active(o)]
        #: «Форма», and how the messages about it read («пункт будет импортирован без формы»)
        self.word = word
        self.without = without
        self.not_found = not_found or ("не найдено в справочнике" if neuter else "не найдена в справочнике")
        self.kept = "останется прежним" if neuter else "останется прежней"
        self._suggestions: dict[str, str] = {}

    def find(self, text: str):
        return self.by_key.get(_name_key(text))

    def suggestion(self, text: str) -> str:
        """The closest active name: a name the text contains («Семинар-практикум по…»), else the
        most similar spelling (difflib); "" when none is close."""
        key = _name_key(text)
        if key not in self._suggestions:
            contained = [k for k in self.active_keys if len(k) >= 4 and k in key]
            close = contained and [max(contained, key=len)] or difflib.get_close_matches(
                key, self.active_keys, n=1, cutoff=0.6)
            self._suggestions[key] = self.by_key[close[0]].name if close else ""
        return self._suggestions[key]


def _is_active(term) -> bool:
    return bool(getattr(term, "is_active", True))


@dataclass
class Lookups:
    directions: Terms
    forms: Terms
    audiences: Terms
    sites: Terms


def load_lookups() -> Lookups:
    """Every taxonomy term and site, one query each (kept in the session: their names are shown
    in the changes without another query)."""
    return Lookups(
        directions=Terms(db.session.scalars(sa.select(Direction).order_by(Direction.position)), "Направление",
                         "без направления", neuter=True),
        forms=Terms(db.session.scalars(sa.select(EventForm).order_by(EventForm.position)), "Форма", "без формы"),
        audiences=Terms(db.session.scalars(sa.select(Audience).order_by(Audience.position)), "Аудитория",
                        "без аудитории"),
        sites=Terms(db.session.scalars(sa.select(Site).order_by(Site.name)), "Площадка", "без площадки",
                    not_found="не найдена среди площадок сети"),
    )


# -- reading the rows -------------------------------------------------------------------------

def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _clean_number(text: str) -> str:
    """«1.», «№ 3», «2.1.» as people type them → «1», «3», «2.1»."""
    text = re.sub(r"^№\s*", "", text)
    return re.sub(r"[.\s]+$", "", text)


#: the advice when Excel did not keep a number as typed
TEXT_FORMAT_ADVICE = "Чтобы Excel не менял номера, задайте столбцу «№» формат «Текстовый» и введите их заново."


#: «02.окт» — a date cell of a Russian Excel saved as CSV
_SHORT_MONTHS = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "июн": 6, "июл": 7, "авг": 8,
                 "сен": 9, "окт": 10, "ноя": 11, "дек": 12}


def _item_number(value, today: date | None = None) -> tuple[str, str | None]:
    """An item's number from its cell, with a warning when Excel changed what was typed.

    - «2.10» typed in a Russian Excel becomes the date 2 October of this year: read back as
      day.month; «1.2.3» becomes 1 February 2003: day.month.yy; saved as CSV it shows as «02.окт»;
    - a number typed into a cell formatted as a date shows as a day of 1900: Excel's day count;
    - an English Excel keeps «2.10» as the number 2.1 (the zero lost): see `_mark_duplicates` and
      the check against the plan's item of that number in `_parse_row`.
    Each with a warning that says what was read and how to keep Excel from doing it."""
    if isinstance(value, datetime):
        if value.time() != time.min:
            return _clean_number(cell_text(value)), None
        value = value.date()
    if isinstance(value, date):
        shown = cell_text(value)
        if value.year == 1900:
            # Excel counts 1900-02-29, which never was: its days before March are one off
            number = str((value - date(1899, 12, 31 if value < date(1900, 3, 1) else 30)).days)
            return number, (f"№ пункта в ячейке с форматом даты ({shown}): прочитан как «{number}». "
                            + TEXT_FORMAT_ADVICE)
        this_year = (today or date.today()).year
        number = (f"{value.day}.{value.month}" if abs(value.year - this_year) <= 1
                  else f"{value.day}.{value.month}.{value.year % 100}")
        return number, f"Excel превратил № пункта в дату {shown}: прочитан как «{number}». " + TEXT_FORMAT_ADVICE
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{1,2})[.\- ]([а-яё]{3})[а-яё]*\.?", value.strip().lower())
        if match and match.group(2) in _SHORT_MONTHS:
            number = f"{int(match.group(1))}.{_SHORT_MONTHS[match.group(2)]}"
            return number, (f"№ пункта «{value.strip()}» — это дата, в которую его превратил Excel: прочитан как "
                            f"«{number}». " + TEXT_FORMAT_ADVICE)
    return _clean_number(cell_text(value)), None


def _multiline(value) -> str:
    """A text cell with its line breaks kept (a result written as a list stays a list), each line
    with single spaces; other cells as reading.cell_text gives them."""
    if not isinstance(value, str):
        return cell_text(value)
    lines = [re.sub(r"\s+", " ", line).strip() for line in value.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _reference(row: PlanRow, terms: Terms, text: str, current_id: int | None, values: dict, key: str) -> str:
    """Look up a form, direction or site; an unknown or retired name is a warning and leaves the
    field as it is (empty for a new item). Returns the name shown in the preview."""
    if not text:
        values[key] = None
        return ""
    term = terms.find(text)
    if term is not None and (_is_active(term) or term.id == current_id):
        values[key] = term.id
        return term.name
    kept = row.item is not None and current_id is not None
    outcome = terms.kept if kept else f"пункт будет импортирован {terms.without}"
    reason = "больше не используется" if term is not None else terms.not_found
    suggestion = terms.suggestion(text)
    hint = f" Возможно, имелось в виду «{suggestion}»." if suggestion else ""
    row.warnings.append(f"{terms.word} «{text}» {reason}: {outcome}.{hint}")
    return ""


def _audiences(row: PlanRow, terms: Terms, text: str) -> list | None:
    """The audiences of a cell («Педагоги ДОУ; молодые педагоги»); unknown ones are warnings.
    None: leave an existing item's audiences (the cell named none that is known)."""
    parts = [p.strip() for p in AUDIENCE_SEPARATORS.split(text) if p.strip()]
    found, current = [], {a.id for a in row.item.audiences} if row.item is not None else set()
    for part in parts:
        term = terms.find(part)
        if term is not None and (_is_active(term) or term.id in current):
            if term not in found:
                found.append(term)
            continue
        suggestion = terms.suggestion(part)
        hint = f" Возможно, имелась в виду «{suggestion}»." if suggestion else ""
        reason = "больше не используется" if term is not None else "не найдена в справочнике"
        row.warnings.append(f"Аудитория «{part}» {reason} и не будет указана.{hint}")
    if parts and not found:
        return None if row.item is not None else []
    return found


def _parse_row(line: int, cells: list, mapping: dict[str, int], plan: Plan, items: dict[str, PlanItem],
               lookups: Lookups) -> PlanRow:
    """One row of the file with its errors and warnings, compared with the plan's item of its number."""

    def get(key: str) -> str:
        index = mapping.get(key)
        return cell_text(cells[index]) if index is not None and index < len(cells) else ""

    def get_lines(key: str) -> str:
        index = mapping.get(key)
        return _multiline(cells[index]) if index is not None and index < len(cells) else ""

    index = mapping.get("number")
    raw = cells[index] if index is not None and index < len(cells) else None
    number, number_warning = _item_number(raw)
    row = PlanRow(line=line, number=number, title=get_lines("title"),
                  timing_text=get("timing"), responsible=get_lines("responsible"),
                  expected_result=get_lines("expected_result"))
    if number_warning:
        row.warnings.append(number_warning)
    row.number_is_fraction = isinstance(raw, float) and not raw.is_integer()
    row.item = items.get(row.number)
    if row.number_is_fraction and row.item is not None and row.title and _words(row.item.title) != _words(row.title):
        row.warnings.append(f"№ {row.number} записан в Excel числом, а пункт {row.number} плана называется "
                            f"«{row.item.title}»: если в файле имелся в виду «{row.number}0», Excel потерял ноль "
                            f"в конце, и строка изменит не тот пункт. " + TEXT_FORMAT_ADVICE)
    data: dict = {name: getattr(row, name) for key, name in TEXT_FIELDS.items() if key in mapping}
    if row.item is not None:
        del data["number"]  # the key it was found by: neither it nor its sort position is compared
    if not row.number:
        filled = sum(1 for key in mapping if get(key))
        row.errors.append("Нет номера пункта: похоже на заголовок раздела, строка не импортируется."
                          if filled == 1 else "Не указан № пункта.")
    if not row.title:
        row.errors.append("Не указано мероприятие.")
    for key, name in TEXT_FIELDS.items():
        limit = plan_services.ITEM_TEXT_LIMITS[name]
        value = getattr(row, name)
        if len(value) > limit:
            row.errors.append(f"«{FIELD_BY_KEY[key].label}» длиннее {limit} символов ({len(value)}): сократите текст.")
    references: dict = {}
    if "direction" in mapping:
        row.direction = _reference(row, lookups.directions, get("direction"),
                                   row.item.direction_id if row.item else None, references, "direction_id")
    if "form" in mapping:
        row.form = _reference(row, lookups.forms, get("form"), row.item.form_id if row.item else None,
                              references, "form_id")
    if "site" in mapping:
        row.site = _reference(row, lookups.sites, get("site"), row.item.site_id if row.item else None,
                              references, "site_id")
    data.update(references)
    if "audiences" in mapping:
        row.audience_terms = _audiences(row, lookups.audiences, get("audiences"))
        row.audiences = [a.name for a in (row.audience_terms or [])]
        if row.audience_terms is None:
            row.audiences = [a.name for a in row.item.audiences]
    if row.errors:
        row.state = RowState.ERROR
        if row.timing_text:  # shown all the same, to help fix the row
            row.period = plan_services.normalize_timing(row.timing_text, plan.period_start, plan.period_end)
        return row
    row.values = plan_services.item_values(plan, data, row.item)
    if "timing" in mapping:
        row.period = (row.values.get("period_start"), row.values.get("period_end")) if (
            "period_start" in row.values) else (row.item.period_start, row.item.period_end)
        start, end = row.period
        if start and end and (end < plan.period_start or start > plan.period_end):
            row.warnings.append("Сроки вне периода плана: проверьте год.")
    if row.item is None:
        row.state = RowState.NEW
    else:
        row.changes = plan_services.item_changes(row.item, row.values, row.audience_terms)
        row.state = RowState.CHANGED if row.changes else RowState.SAME
    return row


def _mark_duplicates(rows: list[PlanRow]) -> None:
    lines: dict[str, list[int]] = {}
    fractions: dict[str, bool] = {}  # a number some row's cell held as a fraction (2.1 for 2.10)
    for row in rows:
        if row.number:
            lines.setdefault(row.number, []).append(row.line)
            fractions[row.number] = fractions.get(row.number, False) or row.number_is_fraction
    for row in rows:
        same = lines.get(row.number, [])
        if len(same) > 1:
            others = [str(n) for n in same if n != row.line]
            where = f"строке {others[0]}" if len(others) == 1 else f"строках {', '.join(others)}"
            row.errors.append(f"№ {row.number} повторяется в файле (также в {where}): номер пункта должен "
                              "быть единственным." + (
                                  f" Если один из них — «{row.number}0», его ноль в конце потерял Excel: он хранит "
                                  "номер числом. " + TEXT_FORMAT_ADVICE if fractions.get(row.number) else ""))
            row.state = RowState.ERROR
            row.changes = {}


def load_items(plan: Plan) -> dict[str, PlanItem]:
    """The plan's items by number, with their audiences: two queries whatever their number."""
    items = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.plan_id == plan.id).options(selectinload(PlanItem.audiences)))
    return {item.number: item for item in items}


def build_preview(batch: ImportBatch, plan: Plan, table: Table | None = None) -> Preview:
    """Every row of the batch's file (`table`, when already read) as it will be imported, compared
    with the plan as it is now. The same computation drives the apply. Raises
    reading.ImportFileError."""
    table = table or read_plan_table(batch.content, batch.file_name)
    mapping = {key: int(index) for key, index in (batch.mapping or {}).items() if key in FIELD_BY_KEY}
    items = load_items(plan)
    lookups = load_lookups()
    rows = [_parse_row(line, cells, mapping, plan, items, lookups)
            for line, cells in zip(table.row_numbers, table.rows, strict=True)]
    _mark_duplicates(rows)
    counts = {state: 0 for state in STATE_LABELS}
    for row in rows:
        counts[row.state] += 1
    counts["warnings"] = sum(1 for row in rows if row.warnings)
    counts["total"] = len(rows)
    mentioned = {row.number for row in rows if row.number}
    missing = sorted((item for number, item in items.items() if number not in mentioned),
                     key=lambda item: (item.position, item.id))
    return Preview(rows=rows, counts=counts, missing=missing[:MISSING_SHOWN], missing_count=len(missing),
                   fields=[spec for spec in FIELDS if spec.key in mapping])


# -- applying ---------------------------------------------------------------------------------


def apply(batch: ImportBatch, actor) -> dict:
    """Create the new items and update the changed ones of a batch (locked with lock_batch, status
    uploaded); rows with errors are skipped. The file is then deleted and `summary` keeps what was
    done for the result page. The plan row is locked too: two imports into one plan take turns
    (each sees the other's items). Raises reading.ImportFileError (the file no longer reads)."""
    db.session.execute(sa.select(Plan.id).where(Plan.id == batch.plan_id).with_for_update())
    plan = db.session.get(Plan, batch.plan_id)
    preview = build_preview(batch, plan)
    new_rows = [row for row in preview.rows if row.state == RowState.NEW]
    created = plan_services.create_items(
        plan, [(row.values, row.audience_terms or []) for row in new_rows], actor)
    updated = []
    for row in preview.rows:
        if row.state == RowState.CHANGED:
            plan_services.update_item(row.item, row.values, row.audience_terms, actor)
            updated.append(row)
    db.session.flush()
    batch.summary = {
        "created": [[item.id, item.number, item.title] for item in created],
        "updated": [[row.item.id, row.item.number, row.item.title,
                     [[name, old, new] for name, (old, new) in row.changes.items() if name != "position"]]
                    for row in updated],
        "unchanged": preview.counts[RowState.SAME],
        "skipped": [[row.line, row.number, row.errors] for row in preview.rows if row.state == RowState.ERROR],
        "warnings": preview.counts["warnings"],
        "missing": preview.missing_count,
        "total": preview.counts["total"],
    }
    batch.status = ImportStatus.APPLIED
    batch.applied_dt = utcnow()
    batch.content = b""
    db.session.flush()
    return batch.summary


# -- the template file ------------------------------------------------------------------------

def template_workbook() -> bytes:
    """The file to fill: the «План» sheet with the columns (form and direction offer the
    taxonomy's names in a drop-down, other values are allowed), «Инструкция» with the rules and
    examples, «Справочники» with the allowed names. Three queries."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from webapp import spreadsheets

    directions = list(db.session.scalars(sa.select(Direction.name).where(Direction.is_active)
                                         .order_by(Direction.position, Direction.name)))
    forms = list(db.session.scalars(sa.select(EventForm.name).where(EventForm.is_active)
                                    .order_by(EventForm.position, EventForm.name)))
    audiences = list(db.session.scalars(sa.select(Audience.name).where(Audience.is_active)
                                        .order_by(Audience.position, Audience.name)))
    sites = list(db.session.scalars(sa.select(Site.name).where(Site.is_active).order_by(Site.name)))

    book = Workbook()
    sheet = book.active
    sheet.title = "План"
    spreadsheets.fill_table(sheet, TEMPLATE_HEADER, [], TEMPLATE_WIDTHS)
    sheet.auto_filter.ref = None
    lists = book.create_sheet("Справочники")
    columns = (("Направления", directions), ("Формы", forms), ("Аудитории", audiences), ("Площадки", sites))
    longest = max([len(values) for _, values in columns] + [0])
    spreadsheets.fill_table(lists, [title for title, _ in columns],
                            [[values[i] if i < len(values) else None for _, values in columns]
                             for i in range(longest)], (40, 40, 40, 50))
    for column, values, target in ((1, directions, "H"), (2, forms, "D")):
        if values:
            letter = get_column_letter(column)
            validation = DataValidation(type="list", formula1=f"'Справочники'!${letter}$2:${letter}${len(values) + 1}",
                                        allow_blank=True, showErrorMessage=False)
            sheet.add_data_validation(validation)
            validation.add(f"{target}2:{target}2000")

    guide = book.create_sheet("Инструкция")
    guide.column_dimensions["A"].width = 110
    lines = [
        ("Как заполнить план для импорта", True),
        ("Заполните лист «План»: одна строка — один пункт плана. Порядок столбцов любой, лишние столбцы можно "
         "не заполнять. Над таблицей может быть заголовок.", False),
        ("Обязательные столбцы: «№» (номер пункта: 1, 2, 2.1 — не повторяется) и «Мероприятие».", False),
        ("Повторная загрузка того же файла ничего не меняет; исправленный файл обновит изменённые пункты "
         "(пункт узнаётся по номеру). Пункты плана, которых нет в файле, не удаляются.", False),
        ("Пустая ячейка в столбце, который есть в файле, очищает это поле пункта. Если столбца нет в файле — "
         "поле пункта не меняется.", False),
        ("«Сроки» пишите как в плане: «Январь 2025», «Апрель–май, ежегодно», «Декабрь, апрель», «2025–2027», "
         "«I полугодие», «до 25 мая», «В течение учебного года», «Постоянно по запросам», «4 раза в год». "
         "Сроки, которые не удалось распознать, сохраняются как текст.", False),
        ("«Форма», «Направление», «Площадка» — одно значение из листа «Справочники». Незнакомое значение не "
         "будет записано: предпросмотр предложит похожее.", False),
        ("«Аудитория» — одно или несколько значений из листа «Справочники» через запятую или точку с запятой.",
         False),
        ("Файл: .xlsx или .csv, не больше 5 МБ и 10 000 строк. Старый формат .xls сохраните как .xlsx.", False),
        ("Перед записью вы увидите предпросмотр: что будет добавлено, что изменится, ошибки и предупреждения.",
         False),
    ]
    for text, bold in lines:
        guide.append([text])
        cell = guide.cell(row=guide.max_row, column=1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True, size=13)
    return spreadsheets.workbook_bytes(book)
