"""Settings from config.toml and the command line that reports their problems."""

from __future__ import annotations

import re
import typing
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel

from bot.__main__ import main
from bot.app.config import (
    CONFIG_ENV,
    TOKEN_ENV,
    ConfigError,
    Settings,
    load_settings,
    require_token,
    settings_from_mapping,
)
from bot.domain.models import Language
from storage.migrate import available_migrations

FILE_TOKEN = "123456:file-secret"
ENV_TOKEN = "654321:env-secret"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No token or config path leaks in from the developer's shell or working directory."""
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    monkeypatch.chdir(tmp_path)


def write_config(folder: Path, text: str, name: str = "config.toml") -> Path:
    """Write a config file and return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def config_error(path: Path) -> ConfigError:
    """The ConfigError that loading `path` raises."""
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    return caught.value


def assert_one_line_per_problem(error: ConfigError, path: Path, count: int = 1) -> None:
    """Every line is "FILE: key: message" on a single line."""
    assert len(error.lines) == count, error.lines
    for line in error.lines:
        assert "\n" not in line
        assert re.match(rf"^{re.escape(str(path))}: (\(top level\)|[\w.]+): \S", line), line
    assert str(error) == "\n".join(error.lines)


# ---------------------------------------------------------------------------- defaults


def test_defaults_serve_shanghai_in_chinese_by_polling() -> None:
    settings = settings_from_mapping({})

    assert settings.community.timezone == "Asia/Shanghai"
    assert settings.community.tz == ZoneInfo("Asia/Shanghai")
    assert settings.community.default_language is Language.ZH
    assert settings.mode == "polling"
    assert settings.token is None
    assert settings.storage.database == Path("shangliang.db")
    assert (settings.quiet_hours.start, settings.quiet_hours.end) == (time(22), time(7))
    assert str(settings.bot.base_url) == "https://api.telegram.org/bot"


def test_missing_optional_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "absent.toml", required=False)

    assert settings == settings_from_mapping({})


def test_settings_are_frozen() -> None:
    settings = settings_from_mapping({})

    with pytest.raises(ValueError, match="frozen"):
        settings.mode = "webhook"  # type: ignore[misc]


# ---------------------------------------------------------------------------- loading


def test_load_settings_reads_every_section(tmp_path: Path) -> None:
    database = tmp_path / "data" / "bot.db"
    path = write_config(
        tmp_path,
        f"""
mode = "webhook"

[bot]
token = "{FILE_TOKEN}"
username = "shangliang_bot"

[storage]
database = "{database.as_posix()}"

[community]
name = "幸福里社区"
timezone = "Asia/Urumqi"
default_language = "en"

[quiet_hours]
start = 21:30:00
end = 08:00:00

[roles]
staff = [42, 43]

[webhook]
url = "https://bot.example.org/hook"
port = 8080
secret_token = "s3cret_-token"
""",
    )

    settings = load_settings(path)

    assert settings.token == FILE_TOKEN
    assert settings.bot.username == "shangliang_bot"
    assert settings.storage.database == database
    assert settings.community.name == "幸福里社区"
    assert settings.community.tz == ZoneInfo("Asia/Urumqi")
    assert settings.community.default_language is Language.EN
    assert settings.quiet_hours.start == time(21, 30)
    assert settings.roles.staff == [42, 43]
    assert settings.mode == "webhook"
    assert str(settings.webhook.url) == "https://bot.example.org/hook"
    assert settings.webhook.port == 8080


def test_load_settings_without_path_reads_the_file_named_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path, '[community]\nname = "光明社区"\n', name="elsewhere.toml")
    monkeypatch.setenv(CONFIG_ENV, str(path))

    assert load_settings().community.name == "光明社区"


def test_load_settings_without_path_reads_config_toml_in_the_working_directory(
    tmp_path: Path,
) -> None:
    write_config(tmp_path, '[community]\nname = "光明社区"\n')

    assert load_settings().community.name == "光明社区"


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ('[community]\ntimezone = "Mars/Olympus"\n', "community.timezone", "unknown time zone"),
        ('[bot]\ntoken = "not-a-token"\n', "bot.token", "BotFather token"),
        ('[bot]\ntoken = "abc:def"\n', "bot.token", "BotFather token"),
        ('[bot]\ntoken = "123456:"\n', "bot.token", "BotFather token"),
        ('[bot]\ntokn = "123456:abc"\n', "bot.tokn", "unknown key"),
        ('colour = "red"\n', "colour", "unknown key"),
        ('[webhook]\nport = "abc"\n', "webhook.port", "valid integer"),
        ("[webhook]\nport = 70000\n", "webhook.port", "less than or equal to 65535"),
        ('mode = "carrier-pigeon"\n', "mode", "'polling' or 'webhook'"),
        ("[roles]\nstaff = [-5]\n", "roles.staff", "-5 is not a Telegram user id"),
        ('[webhook]\nsecret_token = "has spaces"\n', "webhook.secret_token", "1-256"),
    ],
)
def test_each_invalid_value_is_one_line_naming_file_and_key(
    tmp_path: Path, text: str, key: str, message: str
) -> None:
    path = write_config(tmp_path, text)

    error = config_error(path)

    assert_one_line_per_problem(error, path)
    assert error.lines[0].startswith(f"{path}: {key}: ")
    assert message in error.lines[0]


def test_webhook_mode_without_url_is_refused_naming_webhook_url(tmp_path: Path) -> None:
    path = write_config(tmp_path, 'mode = "webhook"\n')

    error = config_error(path)

    assert_one_line_per_problem(error, path)
    assert error.lines[0].startswith(f"{path}: ")
    assert "webhook.url" in error.lines[0]


def test_several_problems_give_one_line_each(tmp_path: Path) -> None:
    path = write_config(
        tmp_path, '[community]\ntimezone = "Nowhere"\n[bot]\ntoken = "x"\nextra = 1\n'
    )

    error = config_error(path)

    assert_one_line_per_problem(error, path, count=3)
    keys = sorted(line.split(": ")[1] for line in error.lines)
    assert keys == ["bot.extra", "bot.token", "community.timezone"]


def test_invalid_toml_is_one_line_naming_file_and_position(tmp_path: Path) -> None:
    path = write_config(tmp_path, "[bot]\ntoken 123\n")

    error = config_error(path)

    assert len(error.lines) == 1
    assert error.lines[0].startswith(f"{path}: not valid TOML: ")
    assert "line 2" in error.lines[0]
    assert "\n" not in error.lines[0]


def test_missing_required_file_is_one_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"

    error = config_error(path)

    assert len(error.lines) == 1
    assert error.lines[0].startswith(f"{path}: file not found")


def test_settings_from_mapping_names_its_source() -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_mapping({"mode": "smoke-signals"}, source="demo")

    assert caught.value.lines[0].startswith("demo: mode: ")


# ---------------------------------------------------------------------------- the token


def test_token_from_environment_wins_over_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path, f'[bot]\ntoken = "{FILE_TOKEN}"\nusername = "shangliang_bot"\n')
    monkeypatch.setenv(TOKEN_ENV, f"  {ENV_TOKEN}\n")

    settings = load_settings(path)

    assert settings.token == ENV_TOKEN
    assert settings.bot.username == "shangliang_bot"  # the rest of [bot] still comes from the file


def test_blank_environment_token_leaves_the_file_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path, f'[bot]\ntoken = "{FILE_TOKEN}"\n')
    monkeypatch.setenv(TOKEN_ENV, "   ")

    assert load_settings(path).token == FILE_TOKEN


def test_malformed_environment_token_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path, "")
    monkeypatch.setenv(TOKEN_ENV, "oops")

    error = config_error(path)

    assert error.lines == [
        f"{path}: bot.token: does not look like a BotFather token (<digits>:<secret>)"
    ]


def test_empty_token_in_file_counts_as_no_token(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[bot]\ntoken = ""\n')

    assert load_settings(path).token is None


def test_require_token_says_where_to_put_it() -> None:
    with pytest.raises(ConfigError) as caught:
        require_token(settings_from_mapping({}), "my.toml")

    assert caught.value.lines == [f"my.toml: bot.token: missing (set it there or in ${TOKEN_ENV})"]


def test_secrets_never_appear_in_repr_or_str() -> None:
    settings = settings_from_mapping(
        {"bot": {"token": FILE_TOKEN}, "webhook": {"secret_token": "hush-hush"}}
    )

    for shown in (repr(settings), str(settings), repr(settings.bot), settings.model_dump_json()):
        assert "file-secret" not in shown
        assert "hush-hush" not in shown
    assert settings.token == FILE_TOKEN


# ---------------------------------------------------------------------------- the CLI


def test_cli_prints_one_line_per_problem_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_config(tmp_path, '[community]\ntimezone = "Nowhere"\n[bot]\ntoken = "x"\n')

    code = main(["--config", str(bad), "run"])

    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.splitlines()
    assert len(lines) == 2, captured.err
    assert all(line.startswith(f"{bad}: ") for line in lines)
    assert {line.split(": ")[1] for line in lines} == {"bot.token", "community.timezone"}
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_cli_run_with_invalid_toml_exits_2_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_config(tmp_path, "this is = not = toml\n")

    code = main(["--config", str(bad), "run"])

    err = capsys.readouterr().err
    assert code == 2
    assert len(err.splitlines()) == 1
    assert err.startswith(f"{bad}: not valid TOML")


def test_cli_run_without_token_exits_2_naming_bot_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(tmp_path, '[community]\nname = "幸福里社区"\n')  # ./config.toml, no token

    code = main(["run"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [
        f"config.toml: bot.token: missing (set it there or in ${TOKEN_ENV})"
    ]


def test_cli_run_without_token_names_the_file_given_by_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(tmp_path, "", name="site.toml")

    code = main(["--config", str(path), "run"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [f"{path}: bot.token: missing (set it there or in ${TOKEN_ENV})"]


def test_cli_run_without_token_names_the_file_given_by_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_config(tmp_path, "", name="site.toml")
    monkeypatch.setenv(CONFIG_ENV, str(path))

    code = main(["run"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [f"{path}: bot.token: missing (set it there or in ${TOKEN_ENV})"]


def test_cli_run_with_missing_config_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [
        "config.toml: file not found (copy config.example.toml to config.toml and edit it)"
    ]


@pytest.mark.parametrize(
    ("command", "described"),
    [
        ("run", "Needs bot.token"),
        ("demo", "--database"),
        ("migrate", "Apply the numbered SQL migrations"),
    ],
)
def test_each_subcommand_has_help(
    command: str, described: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])

    out = capsys.readouterr().out
    assert exited.value.code == 0
    assert out.startswith(f"usage: shangliang {command}")
    assert described in out


def test_cli_without_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])

    assert exited.value.code == 2
    assert "usage: shangliang" in capsys.readouterr().err


def test_cli_migrate_migrates_once_then_reports_the_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "db" / "bot.db"
    config = write_config(tmp_path, f'[storage]\ndatabase = "{database.as_posix()}"\n')
    latest = len(available_migrations())

    first = main(["--config", str(config), "migrate"])
    first_out = capsys.readouterr().out
    second = main(["--config", str(config), "migrate"])
    second_out = capsys.readouterr().out

    assert (first, second) == (0, 0)
    assert first_out.startswith(f"{database}: migrated from version 0 to {latest} (")
    assert "0001_initial.sql" in first_out
    assert second_out.strip() == f"{database}: already at version {latest}"
    assert database.exists()


def test_example_config_loads_and_documents_every_key() -> None:
    """config.example.toml is valid, and names every setting (commented or not)."""
    example = Path(__file__).parents[2] / "config.example.toml"
    settings = load_settings(example)
    assert settings.mode == "polling"
    assert settings.community.timezone == "Asia/Shanghai"

    text = example.read_text(encoding="utf-8")
    sections = {name: field.annotation for name, field in Settings.model_fields.items()}
    for name, annotation in sections.items():
        item = typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else None
        if isinstance(item, type) and issubclass(item, BaseModel):  # [[grids]] tables
            assert re.search(rf"^#? ?\[\[{name}\]\]$", text, re.MULTILINE), name
            for key in item.model_fields:
                assert re.search(rf"^#? ?{key} = ", text, re.MULTILINE), f"{name}.{key}"
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            assert f"[{name}]" in text, name
            for key in annotation.model_fields:
                assert re.search(rf"^#? ?{key} = ", text, re.MULTILINE), f"{name}.{key}"
        else:
            assert re.search(rf"^{name} = ", text, re.MULTILINE), name


def test_grids_and_building_leads_are_validated(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        """
[[grids]]
name = "第一网格"
buildings = ["幸福里小区/1号楼", " 幸福里小区 / 2号楼 "]
workers = [10002]

[[grids]]
name = "第二网格"
buildings = ["幸福里小区/1号楼"]

[[building_leads]]
building = "3号楼"
telegram_id = 0
""",
    )
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert raised.value.lines == [
        f"{path}: building_leads.0.building: '3号楼' must be '<compound>/<building>',"
        " e.g. '幸福里小区/3号楼'",
        f"{path}: building_leads.0.telegram_id: Input should be greater than 0",
    ]


def test_a_building_in_two_grids_is_refused(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        """
[[grids]]
name = "第一网格"
buildings = ["幸福里小区/1号楼", " 幸福里小区 / 2号楼 "]
workers = [10002]

[[grids]]
name = "第二网格"
buildings = ["幸福里小区/2号楼"]
""",
    )
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert raised.value.lines == [
        f"{path}: (top level): grids: 幸福里小区/2号楼 is in both '第一网格' and '第二网格'"
    ]
