"""Tables as people open them: XLSX (openpyxl) and CSV in UTF-8 with a BOM (so that Excel
reads the Chinese right), as bytes or files."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

Cell = str | int | float | None


def table_xlsx(rows: Sequence[Sequence[Cell]], sheet: str = "data") -> bytes:
    """The rows as a workbook with one sheet, the header row frozen."""
    book = Workbook()
    worksheet = book.create_sheet(sheet, 0)  # the only sheet: the blank default goes
    book.remove(book.worksheets[1])
    for row in rows:
        worksheet.append(list(row))
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_csv(rows: Sequence[Sequence[Cell]]) -> bytes:
    """The rows as CSV, UTF-8 with a BOM."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(["" if cell is None else cell for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_tables(rows: Sequence[Sequence[Cell]], base: Path, sheet: str = "data") -> list[Path]:
    """`base`.xlsx and `base`.csv."""
    base.parent.mkdir(parents=True, exist_ok=True)
    xlsx, csv_path = base.with_suffix(".xlsx"), base.with_suffix(".csv")
    xlsx.write_bytes(table_xlsx(rows, sheet))
    csv_path.write_bytes(table_csv(rows))
    return [xlsx, csv_path]
