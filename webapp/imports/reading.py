"""Reading an uploaded table (XLSX or CSV) into rows, with limits and Russian error messages.

People upload what they have: a plan typed in Excel with a title above the table, a staff list
saved as CSV from 1C in Windows-1251 with «;» between columns. The reader finds the header row
(the first of the top rows that names at least two expected columns), keeps each data row's row
number as Excel shows it, and refuses what it cannot read before anything is written:
too big, too many rows, the old binary .xls, a broken or empty file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
#: columns beyond this are ignored (a sheet with formatting to column XFD would never end)
MAX_COLUMNS = 60
#: where the header row is looked for
HEADER_SCAN_ROWS = 20
CSV_DELIMITERS = ";,\t"


class ImportFileError(ValueError):
    """The file cannot be read; the message says why, in Russian, for the person who uploaded it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    #: header cells as written (stripped); "" for a blank header cell
    header: list[str]
    #: data rows, each as long as the header; values as the file holds them (str, int, float,
    #: date, datetime) or None for an empty cell
    rows: list[list] = field(default_factory=list)
    #: the row number of each data row as Excel or a text editor shows it (1-based)
    row_numbers: list[int] = field(default_factory=list)
    #: the sheet read ("" for CSV)
    sheet: str = ""


def normalize_header(text) -> str:
    """A header for matching: lower case, ё → е, no punctuation but «№», single spaces."""
    text = cell_text(text).casefold().replace("ё", "е")
    text = re.sub(r"[^\w№ ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def cell_text(value) -> str:
    """A cell as text: whole numbers without «.0», dates as дд.мм.гггг, text stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return re.sub(r"\s+", " ", str(value)).strip()


def read_table(data: bytes, file_name: str, header_hints: Iterable[str] = ()) -> Table:
    """The table in an uploaded file. header_hints are normalized header names the importer
    expects (any of their spellings): the header row is the first of the top rows where at least
    two cells match one of them (one, if only one hint is given); without a match, the first
    non-empty row. Raises ImportFileError."""
    if not data:
        raise ImportFileError("Файл пустой.")
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"Файл больше {MAX_BYTES // (1024 * 1024)} МБ. Разделите его на части.")
    name = (file_name or "").lower()
    if name.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError("Старый формат Excel (.xls) не поддерживается: сохраните файл как .xlsx "
                              "(«Файл → Сохранить как → Книга Excel») или как CSV.")
    if data[:2] == b"PK":
        raw_rows, sheet = _xlsx_rows(data)
    elif name.endswith((".xlsx", ".xlsm")):
        raise ImportFileError("Файл повреждён или это не книга Excel: откройте его в Excel и сохраните как .xlsx.")
    elif name.endswith((".csv", ".txt")) or not name:
        raw_rows, sheet = _csv_rows(data), ""
    else:
        raise ImportFileError("Загрузите таблицу Excel (.xlsx) или CSV.")
    return _table(raw_rows, sheet, {normalize_header(h) for h in header_hints} - {""})


def _xlsx_rows(data: bytes) -> tuple[Iterable[tuple[int, list]], str]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as exc:
        raise ImportFileError("Файл повреждён или это не книга Excel: откройте его в Excel и сохраните "
                              "как .xlsx.") from exc
    except Exception as exc:  # openpyxl raises many kinds on a malformed package
        raise ImportFileError("Не удалось прочитать книгу Excel: откройте её в Excel и сохраните заново.") from exc
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        raise ImportFileError("В книге нет листов.")
    if getattr(sheet, "sheet_state", "visible") != "visible":
        visible = [s for s in book.worksheets if getattr(s, "sheet_state", "visible") == "visible"]
        sheet = visible[0] if visible else sheet

    def rows():
        try:
            for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
                yield number, list(row)
        except Exception as exc:
            raise ImportFileError("Не удалось прочитать лист книги Excel: откройте её в Excel и сохраните "
                                  "заново.") from exc

    return rows(), sheet.title


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("Не удалось определить кодировку файла: сохраните его как CSV (UTF-8) или .xlsx.")


def _csv_rows(data: bytes) -> Iterable[tuple[int, list]]:
    if b"\x00" in data[:4096]:
        raise ImportFileError("Это не текстовый файл CSV: загрузите таблицу Excel (.xlsx) или CSV.")
    text = _decode(data)
    sample = text[:20_000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in CSV_DELIMITERS}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows():
        try:
            for row in reader:
                yield reader.line_num, [cell if cell.strip() else None for cell in row[:MAX_COLUMNS]]
        except csv.Error as exc:
            raise ImportFileError(f"Строка {reader.line_num}: файл CSV повреждён ({exc}).") from exc

    return rows()


def _blank(row: list) -> bool:
    return all(cell_text(v) == "" for v in row)


def _table(raw_rows: Iterable[tuple[int, list]], sheet: str, hints: set[str]) -> Table:
    top: list[tuple[int, list]] = []
    iterator = iter(raw_rows)
    for number, row in iterator:
        top.append((number, row))
        if len(top) >= HEADER_SCAN_ROWS:
            break
    non_empty = [(n, r) for n, r in top if not _blank(r)]
    if not non_empty:
        raise ImportFileError("В файле нет таблицы: первые строки пусты.")
    header_at = non_empty[0]
    if hints:
        need = 1 if len(hints) == 1 else 2
        for number, row in non_empty:
            if sum(1 for v in row if normalize_header(v) in hints) >= need:
                header_at = (number, row)
                break
    header_number, header_row = header_at
    header = [cell_text(v) for v in header_row]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise ImportFileError("Не найдена строка заголовков таблицы.")
    width = len(header)
    table = Table(header=header, sheet=sheet)

    def take(number: int, row: list) -> None:
        if number <= header_number or _blank(row[:width]):
            return
        if len(table.rows) >= MAX_ROWS:
            raise ImportFileError(f"В файле больше {MAX_ROWS:,} строк".replace(",", " ")
                                  + ": разделите его на части.")
        cells = row[:width] + [None] * (width - len(row))
        table.rows.append([v.strip() if isinstance(v, str) else v for v in cells])
        table.row_numbers.append(number)

    for number, row in top:
        take(number, row)
    for number, row in iterator:
        take(number, row)
    if not table.rows:
        raise ImportFileError("В таблице нет строк с данными под заголовком.")
    return table
