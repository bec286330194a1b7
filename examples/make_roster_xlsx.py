"""Write examples/roster.xlsx from examples/roster.csv (the same households, as Excel keeps them).

Run: .venv/bin/python examples/make_roster_xlsx.py
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def main() -> None:
    """Numbers become numbers (as a grid worker's spreadsheet has them), text stays text."""
    with (HERE / "roster.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append(header)
    for row in rows:
        compound, building, unit, room, floor, area, *rest = row
        sheet.append(
            [compound, building, unit, int(room), int(floor), float(Decimal(area)), *rest]
        )
    workbook.save(HERE / "roster.xlsx")


if __name__ == "__main__":
    main()
