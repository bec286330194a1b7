"""Reading a roster file: CSV in UTF-8 (with or without BOM) or GB18030, or XLSX."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class RosterFileError(Exception):
    """The file cannot be read as a roster; the message says why, in one line."""


Rows = list[tuple[int, list[Any]]]


def read_roster(path: Path) -> tuple[list[Any], Rows]:
    """The header and the numbered data rows (the header is row 1, as in a spreadsheet)."""
    if not path.is_file():
        raise RosterFileError("file not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path.read_bytes())
    elif suffix in {".xlsx", ".xlsm"}:
        table = _read_xlsx(path)
    else:
        raise RosterFileError(f"unsupported file type {suffix or '(none)'!r}: use .csv or .xlsx")
    if not table:
        raise RosterFileError("the file is empty")
    header, *rows = table
    return list(header), [(number, list(row)) for number, row in enumerate(rows, start=2)]


def _read_csv(data: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    raise RosterFileError("not UTF-8 or GB18030 text; save it as CSV UTF-8 or as XLSX")


def _read_xlsx(path: Path) -> list[list[Any]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise RosterFileError(f"not a readable XLSX workbook ({type(error).__name__})") from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
