"""The message catalogs and the functions that fill them in."""

from __future__ import annotations

import pytest

from bot import i18n
from bot.domain.models import Language
from bot.i18n import (
    Html,
    MissingMessage,
    all_labels,
    catalogs,
    language_names,
    placeholders,
    plain,
    t,
)
from emulator.markup import EntityError, html_to_plain

HOSTILE = '<script>alert("x")</script> & <b>'


def catalog_mismatches(tables: dict[Language, dict[str, str]]) -> list[str]:
    """Keys missing from a language, or whose placeholders differ from the default's."""
    reference = tables[i18n.DEFAULT_LANGUAGE]
    problems = []
    for language, table in tables.items():
        for key in sorted(reference.keys() - table.keys()):
            problems.append(f"{language.value}: {key}: missing")
        for key in sorted(table.keys() - reference.keys()):
            problems.append(f"{language.value}: {key}: not in {i18n.DEFAULT_LANGUAGE.value}")
        for key in sorted(reference.keys() & table.keys()):
            if placeholders(table[key]) != placeholders(reference[key]):
                problems.append(
                    f"{language.value}: {key}: placeholders {sorted(placeholders(table[key]))}"
                    f" != {sorted(placeholders(reference[key]))}"
                )
    return problems


def every_message() -> list[tuple[Language, str]]:
    """Every (language, key) pair of the shipped catalogs."""
    return [(language, key) for language, table in catalogs().items() for key in sorted(table)]


def sample_params(template: str) -> dict[str, object]:
    """A hostile value for each placeholder of a template."""
    return {name: HOSTILE for name in placeholders(template)}


# ---------------------------------------------------------------------------- the catalogs


def test_both_catalogs_have_the_same_keys_and_placeholders() -> None:
    tables = catalogs()

    assert set(tables) == set(Language)
    assert catalog_mismatches(tables) == []


def test_mismatch_check_reports_missing_keys_and_different_placeholders() -> None:
    synthetic = {
        Language.ZH: {"a.greet": "你好，{name}", "a.count": "{n} 个", "a.only_zh": "只有中文"},
        Language.EN: {"a.greet": "Hello, {first}", "a.count": "{n} items", "a.only_en": "x"},
    }

    assert catalog_mismatches(synthetic) == [
        "en: a.only_zh: missing",
        "en: a.only_en: not in zh-CN",
        "en: a.greet: placeholders ['first'] != ['name']",
    ]


def test_catalogs_are_not_empty() -> None:
    for table in catalogs().values():
        assert len(table) >= 20
        assert all(text.strip() for text in table.values())


@pytest.mark.parametrize(("language", "key"), every_message())
def test_every_catalog_text_is_valid_telegram_html(language: Language, key: str) -> None:
    template = catalogs()[language][key]

    shown = html_to_plain(t(language, key, **sample_params(template)))

    assert "<b>" not in shown.replace(HOSTILE, "")  # tags are markup, not text


@pytest.mark.parametrize("language", list(Language))
def test_command_descriptions_fit_telegram_limits(language: Language) -> None:
    commands = {k: v for k, v in catalogs()[language].items() if k.startswith("commands.")}

    assert commands
    for key, text in commands.items():
        assert 1 <= len(text) <= 256, key
        assert html_to_plain(text) == text, f"{key} is shown as a plain command description"


def test_html_check_catches_a_broken_text() -> None:
    with pytest.raises(EntityError):
        html_to_plain("<b>不闭合")


# ---------------------------------------------------------------------------- t() and plain()


def test_t_escapes_html_in_parameters() -> None:
    text = t(Language.EN, "start.welcome", name=HOSTILE)

    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "&amp;" in text
    assert HOSTILE in html_to_plain(text)


def test_t_keeps_catalog_markup() -> None:
    assert "<b>Shangliang</b>" in t("en", "start.welcome", name="Ann")


def test_t_leaves_html_wrapped_parameters_alone() -> None:
    text = t(Language.ZH, "start.welcome", name=Html("<i>王阿姨</i>"))

    assert "<i>王阿姨</i>" in text
    assert "王阿姨" in html_to_plain(text)


def test_t_formats_numbers() -> None:
    assert t(Language.EN, "error.too_long", limit=500) == (
        "That is too long; please keep it under 500 characters."
    )


def test_t_without_language_speaks_chinese() -> None:
    assert t(None, "menu.help") == "❓ 帮助"
    assert t("en", "menu.help") == "❓ Help"


def test_unknown_key_raises_missing_message() -> None:
    with pytest.raises(MissingMessage):
        t(Language.EN, "no.such.key")
    with pytest.raises(KeyError):
        plain(Language.ZH, "no.such.key")


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="fr"):
        t("fr", "menu.help")


def test_key_missing_in_one_language_falls_back_to_chinese(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    synthetic = {Language.ZH: {"x.only_zh": "只有中文"}, Language.EN: {}}
    monkeypatch.setattr(i18n, "catalogs", lambda: synthetic)

    assert t(Language.EN, "x.only_zh") == "只有中文"


def test_plain_does_not_escape() -> None:
    text = plain(Language.EN, "start.welcome", name="<A & B>")

    assert "Hello, <A & B>!" in text


def test_placeholders_lists_the_named_fields() -> None:
    assert placeholders("{count} of {name}, {{literal}}") == {"count", "name"}
    assert placeholders("no fields") == set()


def test_all_labels_gives_the_text_in_every_language() -> None:
    assert all_labels("menu.help") == sorted(["❓ 帮助", "❓ Help"])


def test_language_names_are_each_in_their_own_language() -> None:
    assert language_names() == {Language.ZH: "简体中文", Language.EN: "English"}
