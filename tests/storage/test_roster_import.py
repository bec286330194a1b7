"""`shangliang import-roster` on a real database: encodings, XLSX, updates, all-or-nothing."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.__main__ import main
from bot.app.config import Settings
from bot.domain.roster import AMBIGUOUS, BLANK, NO, YES
from bot.domain.roster_columns import COLUMNS, IGNORED

EXAMPLES = Path(__file__).parents[2] / "examples"
HEADER = ["小区", "楼栋", "单元", "房号", "楼层", "面积", "业主", "电话", "老人"]
ROWS = [
    ["幸福里小区", "1号楼", "1单元", "101", "1", "60.5", "王某", "13800000001", "是"],
    ["幸福里小区", "1号楼", "1单元", "102", "1", "70", "李某", "13800000002", ""],
    ["光明新村", "5号楼", "2单元", "301", "3", "80.25", "张某", "", ""],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    """A CSV roster in the given encoding."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def run(tmp_path: Path, settings: Settings, *args: str) -> int:
    """`shangliang --config <tmp config> import-roster …`."""
    config = tmp_path / "site.toml"
    config.write_text(f'[storage]\ndatabase = "{settings.storage.database}"\n', encoding="utf-8")
    return main(["--config", str(config), "import-roster", *args])


def households(settings: Settings) -> list[tuple[object, ...]]:
    """Every household row, for comparisons."""
    import sqlite3

    with sqlite3.connect(settings.storage.database) as conn:
        return conn.execute(
            "SELECT h.id, c.name, b.name, u.name, h.room, h.floor, h.area_centi, h.phone,"
            " h.elderly, h.updated_at FROM household h JOIN unit u ON u.id = h.unit_id"
            " JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id"
            " ORDER BY h.id"
        ).fetchall()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_imports_and_reimport_changes_nothing(
    tmp_path: Path, settings: Settings, encoding: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "roster.csv", ROWS, encoding)
    assert run(tmp_path, settings, str(path)) == 0
    first = households(settings)
    assert [row[1:9] for row in first] == [
        ("幸福里小区", "1号楼", "1单元", "101", 1, 6050, "13800000001", 1),
        ("幸福里小区", "1号楼", "1单元", "102", 1, 7000, "13800000002", 0),
        ("光明新村", "5号楼", "2单元", "301", 3, 8025, None, 0),
    ]
    assert run(tmp_path, settings, str(path)) == 0
    assert households(settings) == first
    out = capsys.readouterr().out
    assert "roster.csv: 0 added, 0 updated, 3 unchanged" in out
    assert "13800000001" not in out


def test_xlsx_with_numbers_as_excel_keeps_them(tmp_path: Path, settings: Settings) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["幸福里小区", "1号楼", "1单元", 101, 1, 60.5, "王某", 13800000001, "是"])
    path = tmp_path / "roster.xlsx"
    workbook.save(path)

    assert run(tmp_path, settings, str(path)) == 0
    [row] = households(settings)
    assert row[4:8] == ("101", 1, 6050, "13800000001")


def test_an_update_keeps_the_household_and_its_members(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    assert run(tmp_path, settings, str(write_csv(tmp_path / "r.csv", ROWS))) == 0
    before = households(settings)
    with sqlite3.connect(settings.storage.database) as conn:
        conn.execute(
            "INSERT INTO user (id, channel, external_id, created_at)"
            " VALUES (1, 'telegram', '42', '2026-11-22T00:00:00+00:00')"
        )
        conn.execute(
            "INSERT INTO membership (user_id, household_id, status, created_at)"
            " VALUES (1, ?, 'approved', '2026-11-22T00:00:00+00:00')",
            (before[1][0],),
        )
    changed = [ROWS[0], [*ROWS[1][:5], "72.5", "李某", "13900000002", "是"]]
    assert run(tmp_path, settings, str(write_csv(tmp_path / "r.csv", changed))) == 0

    after = households(settings)
    assert [row[0] for row in after] == [row[0] for row in before]  # same ids, none removed
    assert after[1][6:9] == (7250, "13900000002", 1)
    assert after[2] == before[2]  # not in the file: kept as it was
    with sqlite3.connect(settings.storage.database) as conn:
        assert conn.execute("SELECT household_id FROM membership").fetchall() == [(before[1][0],)]
    out = capsys.readouterr().out
    assert "0 added, 1 updated, 1 unchanged" in out
    assert "1 household(s) in the database are not in the file (kept)" in out


def test_one_bad_row_and_nothing_is_written(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = [*ROWS, ["光明新村", "5号楼", "2单元", "302", "3", "八十"], ROWS[0]]
    assert run(tmp_path, settings, str(write_csv(tmp_path / "bad.csv", bad))) == 1
    assert capsys.readouterr().err.splitlines() == [
        "bad.csv: row 5: area '八十' is not a number",
        "bad.csv: row 6: duplicate room 幸福里小区 1号楼 1单元 101 (also row 2)",
        "bad.csv: nothing was imported",
    ]
    assert not Path(settings.storage.database).exists() or households(settings) == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("roster.txt", b"x", "unsupported file type '.txt'"),
        ("roster.xlsx", b"not a zip", "not a readable XLSX workbook"),
        ("roster.csv", b"", "the file is empty"),
        ("roster.csv", "小区".encode("utf-16"), "not UTF-8 or GB18030"),
    ],
)
def test_unreadable_files_get_one_clear_line(
    tmp_path: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    message: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert run(tmp_path, settings, str(path)) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_dry_run_shows_changes_and_writes_nothing(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "roster.csv", ROWS)
    assert run(tmp_path, settings, str(path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "  + 光明新村 5号楼 2单元 301" in out
    assert "(dry run: nothing written)" in out
    assert households(settings) == []


@pytest.mark.parametrize("name", ["roster.csv", "roster.xlsx"])
def test_the_sample_rosters_import_cleanly_and_agree(
    tmp_path: Path, settings: Settings, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(tmp_path, settings, str(EXAMPLES / name)) == 0
    assert len(households(settings)) == 48
    other = "roster.xlsx" if name == "roster.csv" else "roster.csv"
    assert run(tmp_path, settings, str(EXAMPLES / other)) == 0
    assert f"{other}: 0 added, 0 updated, 48 unchanged" in capsys.readouterr().out


def stored(settings: Settings) -> list[tuple[object, ...]]:
    """Every household's place and roster fields, as the database holds them."""
    import sqlite3

    with sqlite3.connect(settings.storage.database) as conn:
        return conn.execute(
            "SELECT c.name, b.name, u.name, h.room, h.floor, h.area_centi, h.owner_name,"
            " h.owner_key, h.phone, h.lives_alone, h.elderly, h.disabled"
            " FROM household h JOIN unit u ON u.id = h.unit_id"
            " JOIN building b ON b.id = u.building_id JOIN compound c ON c.id = b.compound_id"
            " ORDER BY h.id"
        ).fetchall()


def test_an_english_csv_as_an_export_names_its_columns(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "Compound,Building,Unit,Room,Floor,area_m2,Owner Name,owner_key,Phone,"
        "lives_alone,Elderly,Disabled\n"
        "光明新村,5号楼,2单元,301,3,80.25,张某,K-1,138-0000-0001,Y,no,N\n"
        "光明新村,5号楼,2单元,302,3.0,72.5 m²,李某,K-1,,yes,Yes,1\n",
        encoding="utf-8",
    )
    assert run(tmp_path, settings, str(path)) == 0
    assert stored(settings) == [
        ("光明新村", "5号楼", "2单元", "301", 3, 8025, "张某", "K-1", "13800000001", 1, 0, 0),
        ("光明新村", "5号楼", "2单元", "302", 3, 7250, "李某", "K-1", None, 1, 1, 1),
    ]
    assert "roster.csv: 2 added, 0 updated, 0 unchanged" in capsys.readouterr().out


def test_an_xlsx_with_the_headers_a_community_office_writes(
    tmp_path: Path, settings: Settings
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "序号",
            "小区名称",
            "楼号",
            "单元号",
            "室号",
            "所在楼层",
            "建筑面积（㎡）",
            "业主姓名",
            "联系电话",
            "是否独居",
            "高龄",
            "残疾人",
            "备注",
        ]
    )
    sheet.append([1, "幸福里小区", "1号楼", "1单元", 302, 3, 65.5, "王某", 13800000001, "√"])
    sheet.append(
        [2, "幸福里小区", "1号楼", "1单元", 401, "4层", "72.25㎡", "刘某", "", "空", "是"]
    )
    sheet.append(
        [3, "幸福里小区", "1号楼", "1单元", 501, 5.0, 60, "无", "无", "否", "—", "有", "三楼搬来"]
    )
    path = tmp_path / "花名册.xlsx"
    workbook.save(path)

    assert run(tmp_path, settings, str(path)) == 0
    assert stored(settings) == [
        ("幸福里小区", "1号楼", "1单元", "302", 3, 6550, "王某", "", "13800000001", 1, 0, 0),
        ("幸福里小区", "1号楼", "1单元", "401", 4, 7225, "刘某", "", None, 0, 1, 0),
        ("幸福里小区", "1号楼", "1单元", "501", 5, 6000, "", "", None, 0, 0, 1),
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_floor_of_3_5_is_refused_with_its_row_and_nothing_is_imported(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    bad = [*ROWS[:2], ["光明新村", "5号楼", "2单元", "301", "3.5", "80.25", "张某", "", ""]]
    if suffix == ".csv":
        path = write_csv(tmp_path / "bad.csv", bad)
    else:
        workbook = Workbook()
        sheet = workbook.active
        for row in [HEADER, *bad]:
            sheet.append([float(cell) if cell == "3.5" else cell for cell in row])
        path = tmp_path / "bad.xlsx"
        workbook.save(path)

    assert run(tmp_path, settings, str(path)) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"bad{suffix}: row 4: floor '3.5' is not a whole number",
        f"bad{suffix}: nothing was imported",
    ]
    assert not Path(settings.storage.database).exists() or households(settings) == []


def test_an_unknown_or_doubled_column_is_refused_and_points_to_the_help(
    tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typo.csv"
    path.write_text("小区,楼栋,单元,房号,aera,面积,建筑面积\na,b,c,1,,,\n", encoding="utf-8")
    assert run(tmp_path, settings, str(path)) == 1
    assert capsys.readouterr().err.splitlines() == [
        "typo.csv: row 1: unknown column 'aera'",
        "typo.csv: row 1: columns '面积' and '建筑面积' both name the area column",
        "typo.csv: `shangliang import-roster --help` lists the accepted column names",
        "typo.csv: nothing was imported",
    ]
    assert not Path(settings.storage.database).exists() or households(settings) == []


def test_help_lists_every_accepted_column_name(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["import-roster", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for column in COLUMNS:
        assert f"  {column.key}" in out
        for name in column.headers:
            assert re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", out), name
    for name in (*IGNORED, "面积(㎡)", "面积（m²）", "Area (m2)", "area_m2", "3.0", "3楼"):
        assert name in out
    for mark in (*YES, *NO, *AMBIGUOUS, *BLANK):
        assert mark in out
