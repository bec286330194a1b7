"""How dates, money and areas read to people (bot/domain/wording.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from bot.domain.models import Language
from bot.domain.wording import (
    area,
    day_words,
    hour_words,
    money_about,
    money_exact,
    spell,
    time_words,
    window_words,
)
from bot.i18n import plain, t

ZONE = "Asia/Shanghai"
SAT = date(2026, 12, 5)  # a Saturday


@pytest.mark.parametrize(
    ("at", "today", "zh", "en"),
    [
        (
            datetime(2026, 12, 5, 11, 30, tzinfo=UTC),
            None,
            "12月5日（周六）晚上7:30",
            "Sat 5 Dec, 7:30 pm",
        ),
        (
            datetime(2026, 12, 5, 1, 0, tzinfo=UTC),
            None,
            "12月5日（周六）上午9:00",
            "Sat 5 Dec, 9:00 am",
        ),
        (
            datetime(2026, 12, 5, 4, 5, tzinfo=UTC),
            None,
            "12月5日（周六）中午12:05",
            "Sat 5 Dec, 12:05 pm",
        ),
        (
            datetime(2026, 12, 5, 7, 0, tzinfo=UTC),
            None,
            "12月5日（周六）下午3:00",
            "Sat 5 Dec, 3:00 pm",
        ),
        (
            datetime(2026, 12, 4, 16, 30, tzinfo=UTC),
            None,
            "12月5日（周六）凌晨0:30",
            "Sat 5 Dec, 12:30 am",
        ),
        (
            datetime(2026, 12, 6, 22, 0, tzinfo=UTC),
            None,
            "12月7日（周一）上午6:00",
            "Mon 7 Dec, 6:00 am",
        ),
        (datetime(2026, 12, 5, 11, 30, tzinfo=UTC), SAT, "今天晚上7:30", "today, 7:30 pm"),
        (datetime(2026, 12, 6, 1, 0, tzinfo=UTC), SAT, "明天上午9:00", "tomorrow, 9:00 am"),
        (
            datetime(2026, 12, 7, 1, 0, tzinfo=UTC),
            SAT,
            "12月7日（周一）上午9:00",
            "Mon 7 Dec, 9:00 am",
        ),
        (
            datetime(2027, 1, 4, 1, 0, tzinfo=UTC),
            SAT,
            "2027年1月4日（周一）上午9:00",
            "Mon 4 Jan 2027, 9:00 am",
        ),
        (
            datetime(2026, 12, 31, 18, 0, tzinfo=UTC),
            None,
            "1月1日（周五）凌晨2:00",
            "Fri 1 Jan, 2:00 am",
        ),
    ],
)
def test_a_time_reads_in_community_time(
    at: datetime, today: date | None, zh: str, en: str
) -> None:
    token = time_words(at, ZONE, today=today)
    assert spell(token, "zh-CN") == zh
    assert spell(token, "en") == en


def test_no_time_is_a_dash() -> None:
    assert time_words(None, ZONE) == "—"


@pytest.mark.parametrize(
    ("fen", "zh", "en"),
    [
        (600_000_00, "约60万元", "about ¥600,000"),
        (12_000_00, "约1.2万元", "about ¥12,000"),
        (123_456_78, "约12.3万元", "about ¥123,000"),
        (1_234_567_00, "约123.5万元", "about ¥1,235,000"),
        (3_000_00, "约3000元", "about ¥3,000"),
        (9_999_60, "约1万元", "about ¥10,000"),
        (1_50, "约2元", "about ¥2"),
        (0, "约0元", "about ¥0"),
    ],
)
def test_an_estimate_reads_rounded(fen: int, zh: str, en: str) -> None:
    assert spell(money_about(fen), "zh-CN") == zh
    assert spell(money_about(fen), "en") == en


@pytest.mark.parametrize(
    ("fen", "shown"),
    [
        (1_234_50, "¥1,234.50"),
        (300_000_00, "¥300,000"),
        (5, "¥0.05"),
        (18_181_82, "¥18,181.82"),
        (0, "¥0"),
        (-1_00, "-¥1"),
    ],
)
def test_an_exact_amount_reads_to_the_fen(fen: int, shown: str) -> None:
    assert spell(money_exact(fen), "zh-CN") == shown
    assert spell(money_exact(fen), "en") == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("82.50"), "82.5㎡"),
        (Decimal("82"), "82㎡"),
        ("65.25", "65.25㎡"),
        (1234.5, "1,234.5㎡"),
        (Decimal("70.005"), "70.01㎡"),
        (0, "0㎡"),
    ],
)
def test_an_area_has_no_trailing_zeros(value: Decimal | float | str, shown: str) -> None:
    assert area(value) == shown


def test_tokens_inside_words_are_spelled_and_survive_escaping() -> None:
    before = time_words(datetime(2026, 12, 5, 11, 30, tzinfo=UTC), ZONE)
    after = time_words(datetime(2026, 12, 6, 1, 0, tzinfo=UTC), ZONE)
    assert (
        spell(f"{before} → {after}", "zh-CN")
        == "12月5日（周六）晚上7:30 → 12月6日（周日）上午9:00"
    )
    assert plain(Language.EN, "dialog.words", words=before) == "Sat 5 Dec, 7:30 pm"
    assert t(Language.ZH, "dialog.words", words=f"<{before}>") == "&lt;12月5日（周六）晚上7:30&gt;"
    assert spell("no token here", "en") == "no token here"


@pytest.mark.parametrize(
    ("hour", "minute", "zh", "en"),
    [
        (8, 30, "上午8:30", "8:30 am"),
        (17, 30, "下午5:30", "5:30 pm"),
        (12, 0, "中午12:00", "12:00 pm"),
        (0, 5, "凌晨0:05", "12:05 am"),
        (21, 0, "晚上9:00", "9:00 pm"),
    ],
)
def test_a_time_of_day_reads_with_its_part_of_the_day(
    hour: int, minute: int, zh: str, en: str
) -> None:
    token = hour_words(time(hour, minute))
    assert (spell(token, "zh-CN"), spell(token, "en")) == (zh, en)


def test_a_window_names_its_end_by_the_clock_or_by_its_day() -> None:
    start = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # Tue 09:00 in Shanghai
    same_day = window_words(start, datetime(2026, 11, 24, 4, 0, tzinfo=UTC), ZONE)
    assert spell(same_day, "zh-CN") == "11月24日（周二）上午9:00–中午12:00"
    assert spell(same_day, "en") == "Tue 24 Nov, 9:00 am–12:00 pm"
    overnight = window_words(start, datetime(2026, 11, 25, 10, 0, tzinfo=UTC), ZONE)
    assert spell(overnight, "zh-CN") == "11月24日（周二）上午9:00 – 11月25日（周三）晚上6:00"
    assert spell(day_words(start, ZONE), "en") == "Tue 24 Nov"
