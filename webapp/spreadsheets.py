"""Files for Excel in a Russian locale, shared by every export (rosters, attendance, growth record).

CSV is UTF-8 with a BOM and «;» between columns (what Excel opens without an import dialog); XLSX
is built with openpyxl. Both neutralize cells Excel would run as formulas (CSV injection), and
downloads carry personal data, so they are never cached.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from urllib.parse import quote

from flask import make_response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_TEXT = "%d.%m.%Y %H:%M"
DATE_TEXT = "%d.%m.%Y"
#: a cell starting with one of these is a formula to Excel and LibreOffice (CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)


def neutralized(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def clean_cell(value):
    """A value safe for a spreadsheet: no formula start, no characters XLSX cannot hold."""
    if isinstance(value, str):
        return neutralized(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(DATETIME_TEXT)
    if isinstance(value, date):
        return value.strftime(DATE_TEXT)
    return str(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralized(_text(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(sheet: Worksheet, value, bold: bool) -> Cell:
    cell = Cell(sheet, value=clean_cell(value))
    if isinstance(value, datetime):
        cell.number_format = "DD.MM.YYYY HH:MM"
    elif isinstance(value, date):
        cell.number_format = "DD.MM.YYYY"
    if bold:
        cell.font = BOLD
    return cell


def append_row(sheet: Worksheet, row: Sequence, bold: bool = False) -> None:
    """One row, formatted as it is built (dates and times become real Excel dates; naive: already
    local). Never looks the row up again: openpyxl finds the last row by scanning every cell."""
    sheet.append([_cell(sheet, v, bold) for v in row])


def fill_table(sheet: Worksheet, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int]) -> None:
    """A table sheet: a bold, frozen header with filters, then the rows."""
    append_row(sheet, header, bold=True)
    for row in rows:
        append_row(sheet, row)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(body: bytes, fmt: str, ascii_stem: str, name_stem: str):
    """An attachment with an ASCII name for old clients and the Russian one for the rest (RFC 5987)."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name_stem)[:120].strip()
    response = make_response(body)
    response.mimetype = CSV_MIME if fmt == "csv" else XLSX_MIME
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_stem}.{fmt}"; '
        f"filename*=UTF-8''{quote(f'{name}.{fmt}', safe='')}")
    # personal data: no copies in shared caches or the browser's
    response.headers["Cache-Control"] = "no-store"
    return response


def table_file(fmt: str, sheet_title: str, header: Sequence[str], widths: Sequence[int], rows: Iterable[Sequence],
               ascii_stem: str, name_stem: str):
    """Rows as CSV or a one-sheet workbook, downloaded."""
    if fmt == "csv":
        return download(csv_bytes(header, rows), fmt, ascii_stem, name_stem)
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    fill_table(sheet, header, rows, widths)
    return download(workbook_bytes(book), fmt, ascii_stem, name_stem)
