"""One term for each thing across both catalogs (issue 20): the retired words, emoji that read
wrong and hand-written step counters are not in any text; the glossary heads zh-CN.toml."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from bot.domain.models import Language
from bot.i18n import catalogs

# Word → why it is retired (the glossary at the top of zh-CN.toml says what to write instead).
RETIRED = {
    "报修": "a resident 报事 (the property company's line is 物业维修)",
    "投票表决": "点单 for the menu, 表决 for consent: never one word for both",
    "征询": "a proposal is a 表决",
    "🤐": "abstaining is not keeping one's mouth shut (⚪ 弃权)",
    "♊": "a duplicate is not the zodiac twins (🔗 重复报事)",
    "🤝": "a handshake reads as agreement, not a dispute",
}
# Counters are the engine's dialog.step ("第 2/5 步"), never written into a step's text.
HAND_COUNTER = re.compile(r"第\s*\d+\s*步|[（(]\d+/\d+[）)]|step \d+ of \d+", re.IGNORECASE)
# A proposal is a "proposal" (a "consultation meeting" is 议事协商会, a kind of meeting).
EN_RETIRED = re.compile(r"consultations?\b(?! meeting)|resolution closed", re.IGNORECASE)


@pytest.mark.parametrize("language", list(Language))
def test_no_catalog_text_uses_a_retired_word(language: Language) -> None:
    found = [
        (key, word)
        for key, value in catalogs()[language].items()
        for word in RETIRED
        if word in value
    ]
    assert found == [], [(key, word, RETIRED[word]) for key, word in found]


def test_english_names_a_proposal_one_way() -> None:
    found = [key for key, value in catalogs()[Language.EN].items() if EN_RETIRED.search(value)]
    assert found == []


@pytest.mark.parametrize("language", list(Language))
def test_no_step_counter_is_written_by_hand(language: Language) -> None:
    table = catalogs()[language]
    found = [key for key, value in table.items() if HAND_COUNTER.search(value)]
    assert found == []
    assert table["dialog.step"] == {Language.ZH: "第 {number}/{total} 步"}.get(
        language, "Step {number}/{total}"
    )


def test_zh_catalog_opens_with_the_glossary() -> None:
    text = (resources.files("bot") / "locales" / "zh-CN.toml").read_text(encoding="utf-8")
    header = text.split("\n[", 1)[0]
    assert "用词表" in header
    for term in ("报事", "办结", "点单", "表决", "居民", "住户", "业主", "网格员"):
        assert f"#   {term}" in header, term


def test_the_menu_says_the_terms() -> None:
    zh = catalogs()[Language.ZH]
    assert zh["menu.report"] == "📝 报事"
    assert zh["menu.votes"] == "🗳 点单和表决"
    assert zh["report.status_closed"] == "已办结"
    assert zh["vote.answer_abstain"] == "⚪ 弃权"
