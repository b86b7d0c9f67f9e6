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
    response = make_response(body)
    response.mimetype = CSV_MIME if fmt == "csv" else XLSX_MIME
    return _attachment_headers(response, fmt, ascii_stem, name_stem)


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


# -- large exports: memory stays flat whatever the number of rows ----------------------------

def _attachment_headers(response, fmt: str, ascii_stem: str, name_stem: str):
    """Content-Disposition with both names; personal data: no copies in shared caches or the browser's."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", name_stem)[:120].strip()
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_stem}.{fmt}"; '
        f"filename*=UTF-8''{quote(f'{name}.{fmt}', safe='')}")
    response.headers["Cache-Control"] = "no-store"
    return response


def stream_csv(header: Sequence[str], rows: Iterable[Sequence], ascii_stem: str, name_stem: str):
    """A CSV download sent while the rows are read (pass a lazy iterable, e.g. a result with
    yield_per): a 100,000-row export never sits in memory."""
    from flask import Response, stream_with_context

    response = Response(stream_with_context(_csv_chunks(header, rows)), mimetype=CSV_MIME)
    return _attachment_headers(response, "csv", ascii_stem, name_stem)


def _csv_chunks(header: Sequence[str], rows: Iterable[Sequence]):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralized(_text(v)) for v in row])
        if count % 500 == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


class SheetSpec:
    """One sheet of a workbook export: a title, a bold header, rows (any iterable), widths."""

    def __init__(self, title: str, header: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] = ()):
        self.title, self.header, self.rows, self.widths = title[:31], header, rows, widths


def xlsx_download(sheets: Sequence[SheetSpec], ascii_stem: str, name_stem: str):
    """A workbook written row by row (openpyxl's write-only mode keeps rows on disk, not in
    memory) into a temporary file, then sent from it: memory stays flat for any row count."""
    import tempfile

    from flask import send_file
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    for spec in sheets:
        sheet = book.create_sheet(spec.title)
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        head = []
        for value in spec.header:
            cell = WriteOnlyCell(sheet, value=clean_cell(value))
            cell.font = BOLD
            head.append(cell)
        sheet.append(head)
        for row in spec.rows:
            cells = []
            for value in row:
                if isinstance(value, (datetime, date)):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "DD.MM.YYYY HH:MM" if isinstance(value, datetime) else "DD.MM.YYYY"
                    cells.append(cell)
                else:
                    cells.append(clean_cell(value))
            sheet.append(cells)
    if not sheets:
        book.create_sheet("Лист1")
    spool = tempfile.TemporaryFile()
    book.save(spool)
    spool.seek(0)
    response = send_file(spool, mimetype=XLSX_MIME, as_attachment=False, max_age=0)
    return _attachment_headers(response, "xlsx", ascii_stem, name_stem)
