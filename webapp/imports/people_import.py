"""Importing an organization's staff from a spreadsheet: read, check, preview, apply.

A coordinator's list from 1C or a methodist's Excel file becomes accounts of the organization.
Nothing is written until the person confirms the preview, and the preview is computed the same
way the apply is (`analyze`), from the stored file and the database as they are at that moment.

Rules the preview shows and the apply follows:

- a person is her e-mail: rows with the same address are merged (the first row's values win,
  later rows fill its blanks, a conflicting value is a warning) and an existing account with that
  address is updated, never doubled;
- an existing account keeps what the file leaves blank, and keeps her name (she typed it herself);
  only a blank part of the name is filled in;
- an account of another organization is not moved, a blocked account is not reactivated: both
  rows are skipped with a warning;
- a row with an error (no e-mail or a wrong one, no surname or name, a bad «стаж», text too long)
  is skipped, the others are imported;
- new people get an account without a password and an invitation e-mail to set one (and to give
  their consent to personal-data processing) — one per person, ever: re-importing the same file
  changes nothing and invites nobody.

Speed: a 5,000-person file is read once per request, the existing accounts are loaded by the
file's e-mails in one query per thousand, new accounts, their audit entries and their invitations
are inserted in batches, and no password is hashed.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email

from webapp.accounts import auth
from webapp.accounts.models import Role, RoleGrant, User
from webapp.accounts.services import invitation_messages, normalize_email
from webapp.audit.models import AuditEntry
from webapp.dbtypes import utcnow
from webapp.extensions import db
from webapp.imports.batches import discard, discard_stale_batches, lock_batch  # noqa: F401
from webapp.imports.models import ImportBatch, ImportKind, ImportStatus
from webapp.imports.reading import cell_text, normalize_header, read_table
from webapp.mail.models import OutboxMessage
from webapp.orgs.models import Organization

#: e-mails per IN (...) when loading the existing accounts: well under every driver's parameter limit
EMAIL_CHUNK = 1000
MAX_YEARS = 80
#: cells that mean «nothing here» in Russian office habits
BLANKS = {"-", "—", "–", "нет данных", "н/д"}
#: column lengths of the users table
MAX_LENGTHS = {"email": 254, "last_name": 100, "first_name": 100, "middle_name": 100, "position": 200,
               "subjects": 300}


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    #: must be mapped to a column (the name is checked apart: ФИО, or Фамилия and Имя)
    required: bool
    #: normalized headers (see reading.normalize_header) that name this field
    headers: tuple[str, ...]
    #: a word stem a header containing it most likely means this field (after exact matches)
    stem: str = ""


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("full_name", "ФИО (одним столбцом)", False,
              ("фио", "ф и о", "фамилия имя отчество", "фамилия имя отчество полностью", "сотрудник",
               "работник", "педагог", "фио сотрудника", "фио педагога", "фио полностью"), "фио"),
    FieldSpec("last_name", "Фамилия", False, ("фамилия",), "фамил"),
    FieldSpec("first_name", "Имя", False, ("имя",)),
    FieldSpec("middle_name", "Отчество", False, ("отчество",), "отчеств"),
    FieldSpec("email", "E-mail", True,
              ("e mail", "email", "e mail адрес", "адрес e mail", "электронная почта", "эл почта",
               "адрес электронной почты", "электронный адрес", "почта", "емейл", "емэйл", "mail"),
              "почт"),
    FieldSpec("position", "Должность", False, ("должность", "занимаемая должность", "должность по штату"),
              "должност"),
    FieldSpec("subjects", "Предметы", False,
              ("предметы", "предмет", "преподаваемые предметы", "преподаваемый предмет", "дисциплины",
               "учебные предметы"), "предмет"),
    FieldSpec("years", "Стаж (лет в профессии)", False,
              ("стаж", "стаж лет", "стаж лет в профессии", "педагогический стаж", "педстаж", "стаж работы",
               "стаж в профессии", "стаж работы в профессии", "общий стаж", "педагогический стаж лет"), "стаж"),
)
FIELD_LABELS = {spec.key: spec.label for spec in FIELDS}
HEADER_HINTS = tuple(h for spec in FIELDS for h in spec.headers)
TEMPLATE_HEADER = ("Фамилия", "Имя", "Отчество", "E-mail", "Должность", "Предметы", "Стаж (лет в профессии)")

#: how changed account fields read in the preview and the result
CHANGE_LABELS = {"organization_id": "организация", "last_name": "фамилия", "first_name": "имя",
                 "middle_name": "отчество", "position": "должность", "subjects": "предметы",
                 "years_experience": "стаж"}


class RowState(enum.Enum):
    NEW = "new"
    UPDATE = "update"
    SAME = "same"
    MERGED = "merged"
    SKIPPED = "skipped"
    ERROR = "error"


#: the row filters of the preview and result pages: key (a RowState value, or all / warnings) → tab label
FILTERS = {
    "all": "Все строки",
    "new": "Новые",
    "update": "Изменятся",
    "same": "Без изменений",
    "merged": "Повторы",
    "skipped": "Пропущены",
    "warnings": "С предупреждениями",
    "error": "С ошибками",
}


@dataclass
class PersonRow:
    """One data row of the file as it will be imported."""

    row: int
    email: str = ""
    last_name: str = ""
    first_name: str = ""
    middle_name: str = ""
    position: str = ""
    subjects: str = ""
    years: int | None = None
    #: the «стаж» cell as written (shown when it is not a number)
    years_text: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    state: RowState = RowState.ERROR
    #: account field → (old, new) as display strings
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: the row this duplicate was merged into
    merged_into: int | None = None
    user_id: int | None = None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def shown(self, personal: bool = True) -> dict:
        """The row for the preview and result pages (and the batch summary: JSON). A row with an
        error keeps only its number and messages once applied (`personal=False`): it was not
        imported, so its personal data is not kept."""
        shown = {"row": self.row, "state": self.state.value, "errors": self.errors, "warnings": self.warnings,
                 "merged_into": self.merged_into}
        if personal:
            shown.update(name=self.full_name, email=self.email, position=self.position, subjects=self.subjects,
                         years=self.years if self.years is not None else self.years_text,
                         changes=[[CHANGE_LABELS[k], old, new] for k, (old, new) in self.changes.items()])
        return shown


@dataclass
class Preview:
    rows: list[PersonRow]
    counts: dict[str, int]
    #: the file's header row (for naming the mapped columns)
    header: list[str] = field(default_factory=list)

    def shown(self, show: str = "all") -> list[dict]:
        return [r.shown() for r in self.rows if matches_filter(r.state.value, bool(r.warnings), show)]


def matches_filter(state: str, has_warnings: bool, show: str) -> bool:
    if show == "warnings":
        return has_warnings
    return show == "all" or state == show


# -- the upload -------------------------------------------------------------------------------


def read_people_table(batch_or_data, file_name: str | None = None):
    """The file's table (reading.Table); raises ImportFileError with a Russian message."""
    if isinstance(batch_or_data, ImportBatch):
        return read_table(batch_or_data.content, batch_or_data.file_name, HEADER_HINTS)
    return read_table(batch_or_data, file_name or "", HEADER_HINTS)


def guess_mapping(header: list[str]) -> dict[str, int]:
    """Field key → column index from the header's words: exact names first, then a telling word
    stem («Стаж педагогической работы» is the «стаж»); each column serves one field."""
    normalized = [normalize_header(h) for h in header]
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for spec in FIELDS:
        for index, text in enumerate(normalized):
            if index not in taken and text in spec.headers:
                mapping[spec.key] = index
                taken.add(index)
                break
    for spec in FIELDS:
        if spec.key in mapping or not spec.stem:
            continue
        for index, text in enumerate(normalized):
            if index not in taken and spec.stem in text:
                mapping[spec.key] = index
                taken.add(index)
                break
    return mapping


def mapping_problem(mapping: dict[str, int]) -> str:
    """What a mapping lacks to import anything ("" when complete)."""
    if "email" not in mapping:
        return "Укажите столбец с e-mail: по нему узнаём человека и отправляем приглашение."
    if "full_name" not in mapping and not {"last_name", "first_name"} <= mapping.keys():
        return "Укажите столбец «ФИО» или столбцы «Фамилия» и «Имя»."
    return ""


def create_batch(organization: Organization, user: User, file_name: str, data: bytes) -> tuple[ImportBatch, bool]:
    """Store an upload for its preview once it reads as a table. Returns the batch and whether its
    columns were all recognized (else the mapping step comes first). Raises ImportFileError."""
    table = read_people_table(data, file_name)
    discard_stale_batches()
    mapping = guess_mapping(table.header)
    batch = ImportBatch(kind=ImportKind.PEOPLE, user_id=user.id, organization_id=organization.id,
                        file_name=(file_name or "")[:255], file_size=len(data), content=data, mapping=mapping,
                        status=ImportStatus.UPLOADED, summary={}, created_dt=utcnow())
    db.session.add(batch)
    db.session.flush()
    return batch, not mapping_problem(mapping)



def template_bytes() -> bytes:
    """The downloadable template: the staff sheet (first, as the reader takes the first sheet)
    with its header and a whole-number check on «стаж», and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.datavalidation import DataValidation

    from webapp.spreadsheets import fill_table, workbook_bytes

    book = Workbook()
    sheet = book.active
    sheet.title = "Сотрудники"
    fill_table(sheet, TEMPLATE_HEADER, [], (20, 16, 20, 30, 28, 30, 14))
    years = DataValidation(type="whole", operator="between", formula1="0", formula2=str(MAX_YEARS),
                           allow_blank=True, showErrorMessage=True, errorTitle="Стаж",
                           error=f"Целое число лет от 0 до {MAX_YEARS}.")
    years.add(f"G2:G{10_001}")
    sheet.add_data_validation(years)

    notes = book.create_sheet("Инструкция")
    fill_table(notes, ("Столбец", "Обязательный", "Что писать"), [
        ("Фамилия", "да", f"Как в документах, до {MAX_LENGTHS['last_name']} символов."),
        ("Имя", "да", f"Полностью, не инициалом, до {MAX_LENGTHS['first_name']} символов."),
        ("Отчество", "нет", f"Если есть, до {MAX_LENGTHS['middle_name']} символов."),
        ("E-mail", "да", "Личный адрес сотрудника: это его логин, на него придёт приглашение. "
                         "Один адрес — один человек: строки с одинаковым адресом объединяются."),
        ("Должность", "нет", f"Например: учитель математики, заместитель директора по УВР. До "
                             f"{MAX_LENGTHS['position']} символов."),
        ("Предметы", "нет", f"Через запятую: математика, информатика. До {MAX_LENGTHS['subjects']} символов."),
        ("Стаж (лет в профессии)", "нет", f"Целое число лет от 0 до {MAX_YEARS}."),
        ("", "", ""),
        ("ФИО", "", "Можно одним столбцом «ФИО» вместо трёх: «Петрова Анна Сергеевна»."),
        ("Порядок столбцов", "", "Любой; названия могут отличаться — после загрузки вы укажете, где что."),
        ("Формат файла", "", "Excel (.xlsx) или CSV, до 5 МБ и 10 000 строк; старый .xls сохраните как .xlsx."),
        ("Кто уже зарегистрирован", "", "Найдётся по e-mail и обновится (должность, предметы, стаж); ФИО он "
                                        "правит сам. Сотрудник другой организации не переносится."),
        ("Новые сотрудники", "", "Получат письмо-приглашение: зададут пароль и дадут согласие на обработку "
                                 "персональных данных."),
    ], (26, 14, 90))
    for row in notes.iter_rows(min_row=2, min_col=3, max_col=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(book)


# -- reading the rows -------------------------------------------------------------------------

def _text(value) -> str:
    text = cell_text(value)
    return "" if text.casefold() in BLANKS else text


def _name_case(text: str) -> str:
    """«ПЕТРОВА АННА» and «петрова анна» (1C exports, hurried typing) as «Петрова Анна»; a mixed
    case is kept as written («Гусейн оглы», «де Голль»)."""
    if text.isupper() or text.islower():
        return re.sub(r"[^\s-]+", lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), text)
    return text


_INITIAL_RE = re.compile(r"^[A-ZА-ЯЁ]\.?$", re.IGNORECASE)
_YEARS_RE = re.compile(r"^(\d{1,3})(?:[.,]0+)?(?:\s*(?:год|года|лет|г\.?))?$", re.IGNORECASE)


def _years(value, row: PersonRow) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        row.years_text = cell_text(value)
        row.errors.append(f"Стаж «{row.years_text}» — не число: укажите целое число лет.")
        return
    if isinstance(value, (int, float)):
        number = value
        row.years_text = cell_text(value)
    else:
        row.years_text = _text(value)
        if not row.years_text:
            return
        match = _YEARS_RE.match(row.years_text)
        if match is None:
            row.errors.append(f"Стаж «{row.years_text[:40]}» — не число: укажите целое число лет.")
            return
        number = int(match.group(1))
    if isinstance(number, float) and not number.is_integer():
        row.errors.append(f"Стаж «{row.years_text}» — укажите целое число лет.")
    elif not 0 <= number <= MAX_YEARS:
        row.errors.append(f"Стаж {row.years_text} — вне пределов: от 0 до {MAX_YEARS} лет.")
    else:
        row.years = int(number)


def parse_row(number: int, cells: list, mapping: dict[str, int]) -> PersonRow:
    """One row of the file with its errors (not yet compared with anything)."""
    def get(key: str):
        index = mapping.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    row = PersonRow(row=number)
    row.email = normalize_email(_text(get("email")))
    row.last_name, row.first_name, row.middle_name = (_name_case(_text(get(k)))
                                                       for k in ("last_name", "first_name", "middle_name"))
    if not (row.last_name or row.first_name) and "full_name" in mapping:
        words = _name_case(_text(get("full_name"))).split()
        row.last_name = words[0] if words else ""
        row.first_name = words[1] if len(words) > 1 else ""
        # «Гусейн оглы»: everything after the name is the patronymic
        row.middle_name = " ".join(words[2:])
    row.position = _text(get("position"))
    row.subjects = _text(get("subjects"))
    _years(get("years"), row)

    if not row.email:
        row.errors.append("Не указан e-mail.")
    else:
        try:
            validate_email(row.email, check_deliverability=False)
        except EmailNotValidError:
            row.errors.append(f"Неверный адрес электронной почты: «{row.email[:80]}».")
    if not row.last_name:
        row.errors.append("Не указана фамилия.")
    if not row.first_name:
        row.errors.append("Не указано имя.")
    for key, limit in MAX_LENGTHS.items():
        if len(getattr(row, key)) > limit:
            label = {"email": "E-mail", "last_name": "Фамилия", "first_name": "Имя", "middle_name": "Отчество",
                     "position": "Должность", "subjects": "Предметы"}[key]
            row.errors.append(f"{label}: длиннее {limit} символов.")
    if row.first_name and _INITIAL_RE.match(row.first_name) and not row.errors:
        row.warnings.append("Имя указано инициалом: человек сможет исправить его в профиле.")
    row.state = RowState.ERROR if row.errors else RowState.NEW
    return row


_MERGED_FIELDS = (("last_name", "фамилия"), ("first_name", "имя"), ("middle_name", "отчество"),
                  ("position", "должность"), ("subjects", "предметы"), ("years", "стаж"))


def _same(a, b) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold().replace("ё", "е") == b.casefold().replace("ё", "е")
    return a == b


def merge_duplicates(rows: list[PersonRow]) -> list[PersonRow]:
    """Rows with the same e-mail become one person: the first row's values, its blanks filled from
    later rows; a later row that disagrees gets a warning. Returns the first rows (one per person)."""
    first: dict[str, PersonRow] = {}
    for row in rows:
        if row.state == RowState.ERROR:
            continue
        primary = first.get(row.email)
        if primary is None:
            first[row.email] = row
            continue
        row.state, row.merged_into = RowState.MERGED, primary.row
        for key, label in _MERGED_FIELDS:
            mine, theirs = getattr(row, key), getattr(primary, key)
            if mine in ("", None):
                continue
            if theirs in ("", None):
                setattr(primary, key, mine)
            elif not _same(mine, theirs):
                row.warnings.append(f"{label.capitalize()} «{mine}» не совпадает со строкой {primary.row} "
                                    f"(«{theirs}»): оставлено значение из строки {primary.row}.")
    return list(first.values())


# -- comparing with the accounts --------------------------------------------------------------

def _existing_accounts(emails: list[str]) -> dict[str, sa.Row]:
    """The accounts with these e-mails (and their organization's name), by e-mail: one query per
    EMAIL_CHUNK addresses."""
    found: dict[str, sa.Row] = {}
    for start in range(0, len(emails), EMAIL_CHUNK):
        chunk = emails[start:start + EMAIL_CHUNK]
        for account in db.session.execute(
                sa.select(User.id, User.email, User.last_name, User.first_name, User.middle_name,
                          User.organization_id, User.position, User.subjects, User.years_experience,
                          User.is_active, Organization.name.label("organization_name"),
                          Organization.municipality_id.label("organization_municipality_id"),
                          sa.exists().where(RoleGrant.user_id == User.id,
                                            RoleGrant.role.in_(NETWORK_ROLES)).label("network_staff"))
                .outerjoin(Organization, Organization.id == User.organization_id)
                .where(User.email.in_(chunk))):
            found[account.email] = account
    return found


def _shown(value) -> str:
    return "—" if value in (None, "") else str(value)


#: accounts of the network's staff: a school's file never takes them into the school
NETWORK_ROLES = (Role.ADMIN, Role.METHODIST)
#: an account's old value, to someone who may not read it
NOT_SHOWN = "не показано"
#: the neutral word on an account the uploader may not see
EXISTS_ELSEWHERE = ("С этим e-mail уже есть учётная запись — не изменится (подключить её к организации может "
                    "администратор).")


def _may_see_account(viewer: User | None, account, organization: Organization) -> bool:
    """Whether the uploader may read what the account holds (where she works, name, position,
    state): the school's own staff; another organization's to an admin, a methodist of its
    municipality or its coordinator (another school's coordinator may not: an e-mail typed into
    her file must not tell her another school's staff); an account of no organization only to an
    admin (it could be anyone's)."""
    if account.organization_id == organization.id:
        return True
    if account.organization_id is None:
        return auth.is_admin(viewer)
    return (auth.is_admin(viewer) or auth.methodist_of(viewer, account.organization_municipality_id)
            or auth.coordinator_of(viewer, account.organization_id))


def _compare(row: PersonRow, account, organization: Organization, viewer: User | None = None) -> None:
    row.user_id = account.id
    sees = _may_see_account(viewer, account, organization)
    if account.organization_id is not None and account.organization_id != organization.id:
        row.state = RowState.SKIPPED
        if sees:
            row.warnings.append(f"Уже работает в организации «{account.organization_name}» — не изменится.")
        else:
            row.warnings.append("С этим e-mail уже есть учётная запись в другой организации — не изменится "
                                "(перевести сотрудника может методист или администратор).")
        return
    if not account.is_active:
        row.state = RowState.SKIPPED
        row.warnings.append("Учётная запись заблокирована — не изменится (разблокирует администратор)."
                            if sees else EXISTS_ELSEWHERE)
        return
    if account.organization_id is None and account.network_staff and not auth.is_admin(viewer):
        row.state = RowState.SKIPPED  # a methodist's or an admin's account is no school's staff
        row.warnings.append(EXISTS_ELSEWHERE)
        return
    shown_old = _shown if sees else (lambda value: NOT_SHOWN)
    changes: dict[str, tuple[str, str]] = {}
    if account.organization_id is None:
        changes["organization_id"] = ("—", organization.name)
    differs = False
    for key in ("last_name", "first_name", "middle_name"):
        old, new = getattr(account, key) or "", getattr(row, key)
        if not new:
            continue
        if not old:
            changes[key] = (shown_old(old), new)
        elif not _same(old, new):
            differs = True
    if differs and sees:
        current = " ".join(p for p in (account.last_name, account.first_name, account.middle_name) if p)
        row.warnings.append(f"В учётной записи ФИО «{current}» — оно не изменится (человек правит его сам "
                            "в профиле).")
    elif differs:
        row.warnings.append("В учётной записи ФИО записано иначе — оно не изменится (человек правит его сам "
                            "в профиле).")
    for key, new in (("position", row.position), ("subjects", row.subjects), ("years_experience", row.years)):
        old = getattr(account, key)
        if new not in ("", None) and old != new:
            changes[key] = (shown_old(old), _shown(new))
    row.changes = changes
    row.state = RowState.UPDATE if changes else RowState.SAME


def analyze(batch: ImportBatch, viewer: User | None = None) -> Preview:
    """Every row of the batch's file as it would be imported now, in the words `viewer` may read
    (another school's name only for those who may see it). Raises ImportFileError."""
    table = read_people_table(batch)
    rows = [parse_row(number, cells, batch.mapping)
            for number, cells in zip(table.row_numbers, table.rows, strict=True)]
    people = merge_duplicates(rows)
    accounts = _existing_accounts([p.email for p in people])
    for person in people:
        account = accounts.get(person.email)
        if account is not None:
            _compare(person, account, batch.organization, viewer)
    counts = {state.value: 0 for state in RowState}
    for row in rows:
        counts[row.state.value] += 1
    counts["warnings"] = sum(1 for row in rows if row.warnings)
    counts["rows"] = len(rows)
    return Preview(rows=rows, counts=counts, header=table.header)


# -- applying ---------------------------------------------------------------------------------

def apply(batch: ImportBatch, actor: User) -> dict:
    """Import the batch (the caller holds its row lock and has checked it is still uploaded):
    create the new accounts with their invitations, update the others, delete the file.
    Flushes, never commits. Returns the summary stored on the batch."""
    preview = analyze(batch, actor)
    organization = batch.organization
    now = utcnow()
    people = [row for row in preview.rows if row.state in (RowState.NEW, RowState.UPDATE)]

    new_users = [User(email=row.email, password_hash="", last_name=row.last_name, first_name=row.first_name,
                      middle_name=row.middle_name, organization_id=organization.id, position=row.position,
                      subjects=row.subjects, years_experience=row.years, consent_dt=None, is_active=True,
                      created_dt=now)
                 for row in people if row.state == RowState.NEW]
    columns = ("email", "password_hash", "last_name", "first_name", "middle_name", "organization_id", "position",
               "subjects", "years_experience", "consent_dt", "is_active", "created_dt", "search_text")
    for user in new_users:
        user.refresh_search_text()
    # The objects stay out of the session (a flush would insert them one by one to read each id).
    inserted = _insert_many(User.__table__, [{c: getattr(u, c) for c in columns} for u in new_users],
                            returning=(User.__table__.c.email, User.__table__.c.id))
    ids = dict(inserted)
    for user in new_users:
        user.id = ids[user.email]

    updates = []
    for row in people:
        if row.state == RowState.NEW:
            row.user_id = ids[row.email]
            continue
        values = {"id": row.user_id}
        for key in row.changes:
            values[key] = organization.id if key == "organization_id" else (
                row.years if key == "years_experience" else getattr(row, key))
        if row.changes.keys() & {"last_name", "first_name", "middle_name"}:
            values["search_text"] = None  # filled below, from the whole name
        updates.append(values)
    if updates:
        _fill_search_text(updates)
        for group in _by_keys(updates).values():
            db.session.execute(sa.update(User), group)

    _insert_many(OutboxMessage.__table__, [
        dict(recipient=m["recipient"], subject=m["subject"], body=m["body"], html_body=m["html"], attachments=[],
             template="", context={}, created_dt=now, sent_dt=None, attempts=0, last_error="")
        for m in invitation_messages(new_users, organization=organization.name, inviter=actor.full_name)])
    _insert_many(AuditEntry.__table__, [
        dict(object_type="user", object_id=row.user_id, action="imported" if row.state == RowState.NEW else "updated",
             actor_id=actor.id, created_dt=now,
             changes={CHANGE_LABELS[k]: [old, new] for k, (old, new) in row.changes.items()})
        for row in people])

    summary = {"counts": preview.counts, "invited": len(new_users),
               "rows": [row.shown(personal=row.state != RowState.ERROR) for row in preview.rows]}
    batch.status = ImportStatus.APPLIED
    batch.applied_dt = now
    batch.content = b""
    batch.summary = summary
    db.session.flush()
    return summary


def _insert_many(table: sa.Table, rows: list[dict], returning: tuple = ()) -> list[tuple]:
    """Insert rows in multi-row INSERT statements and return their `returning` columns (the
    primary key when none are asked for). Asking for RETURNING is what makes SQLAlchemy batch an
    executemany into INSERT ... VALUES (...), (...) of a thousand rows ("insertmanyvalues", one
    cached statement); without it psycopg sends a statement per row."""
    if not rows:
        return []
    stmt = sa.insert(table).returning(*(returning or tuple(table.primary_key.columns)))
    return [tuple(row) for row in db.session.execute(stmt, rows)]


def _fill_search_text(updates: list[dict]) -> None:
    """search_text of renamed accounts, from the stored name parts the update leaves alone."""
    renamed = [u for u in updates if "search_text" in u]
    if not renamed:
        return
    stored = {r.id: r for r in db.session.execute(
        sa.select(User.id, User.email, User.last_name, User.first_name, User.middle_name)
        .where(User.id.in_([u["id"] for u in renamed])))}
    for values in renamed:
        account = stored[values["id"]]
        probe = User(email=account.email, **{k: values.get(k, getattr(account, k))
                                             for k in ("last_name", "first_name", "middle_name")})
        probe.refresh_search_text()
        values["search_text"] = probe.search_text


def _by_keys(updates: list[dict]) -> dict[tuple, list[dict]]:
    """Bulk UPDATE by primary key sends one statement per set of columns."""
    groups: dict[tuple, list[dict]] = {}
    for values in updates:
        groups.setdefault(tuple(sorted(values)), []).append(values)
    return groups
