"""Times staff type, read in community time against a fixed `now`: tables of inputs and the
moment each names, or the answer it gets (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import BadTime
from bot.domain.models import Language
from bot.domain.when import NotAfter, PastTime, TooFarAhead, UnreadableTime, read_time
from bot.domain.wording import spell
from bot.i18n import t

ZONE = "Asia/Shanghai"
SHANGHAI = ZoneInfo(ZONE)


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in community time, as the parser answers it (UTC)."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def said(params: dict[str, object]) -> dict[str, object]:
    """A refusal's parameters as a Chinese reader sees them."""
    return {name: spell(v, "zh-CN") if isinstance(v, str) else v for name, v in params.items()}


NOW = local(2026, 11, 22, 9)  # Sunday 09:00
LATE = local(2026, 11, 22, 23, 50)  # Sunday 23:50, ten minutes before midnight
EARLY = local(2026, 11, 23, 0, 30)  # Monday 00:30: still Sunday 16:30 in UTC
LEAP = local(2028, 2, 28, 20)  # Monday 28 February 2028, the eve of a leap day
YEAR_END = local(2026, 12, 31, 20)  # Thursday 31 December, 20:00


@pytest.mark.parametrize(
    ("now", "typed", "expected"),
    [
        # The forms of issue 20, at Sunday 09:00.
        (NOW, "明天上午9点", local(2026, 11, 23, 9)),
        (NOW, "下午3点", local(2026, 11, 22, 15)),
        (NOW, "今天晚上8点", local(2026, 11, 22, 20)),
        (NOW, "后天10点", local(2026, 11, 24, 10)),
        (NOW, "12月4日19:30", local(2026, 12, 4, 19, 30)),
        (NOW, "12月4日晚上7点半", local(2026, 12, 4, 19, 30)),
        (NOW, "周六晚上7点半", local(2026, 11, 28, 19, 30)),
        (NOW, "下周一上午10点", local(2026, 11, 23, 10)),  # Sunday: next week starts tomorrow
        (NOW, "12-04 19:30", local(2026, 12, 4, 19, 30)),
        (NOW, "2026-12-04 19:30", local(2026, 12, 4, 19, 30)),
        (NOW, "19:30", local(2026, 11, 22, 19, 30)),
        (NOW, "tomorrow 9am", local(2026, 11, 23, 9)),
        (NOW, "3pm", local(2026, 11, 22, 15)),
        (NOW, "Sat 7:30 pm", local(2026, 11, 28, 19, 30)),
        (NOW, "4 Dec 19:30", local(2026, 12, 4, 19, 30)),
        (NOW, "Dec 4 7:30pm", local(2026, 12, 4, 19, 30)),
        # More ways to say it.
        (NOW, "今晚8点", local(2026, 11, 22, 20)),
        (NOW, "今晚八点", local(2026, 11, 22, 20)),
        (NOW, "明早7点", local(2026, 11, 23, 7)),
        (NOW, "大后天上午10点", local(2026, 11, 25, 10)),
        (NOW, "明天中午", local(2026, 11, 23, 12)),
        (NOW, "中午1点", local(2026, 11, 22, 13)),
        (NOW, "明天凌晨2点", local(2026, 11, 23, 2)),
        (NOW, "晚上12点", local(2026, 11, 23, 0)),  # the midnight that ends today
        (NOW, "下午三点一刻", local(2026, 11, 22, 15, 15)),
        (NOW, "十点半", local(2026, 11, 22, 10, 30)),
        (NOW, "下午4点45分", local(2026, 11, 22, 16, 45)),
        (NOW, "19点30", local(2026, 11, 22, 19, 30)),
        (NOW, "下午15点", local(2026, 11, 22, 15)),
        (NOW, "19：30", local(2026, 11, 22, 19, 30)),  # a full-width colon
        (NOW, "１９:３０", local(2026, 11, 22, 19, 30)),  # full-width digits
        (NOW, "  明天 上午 9点 ", local(2026, 11, 23, 9)),
        (NOW, "十二月四日 19:30", local(2026, 12, 4, 19, 30)),
        (NOW, "12月4号 19:30", local(2026, 12, 4, 19, 30)),
        (NOW, "2026年12月4日 19:30", local(2026, 12, 4, 19, 30)),
        (NOW, "2026/12/4 19:30", local(2026, 12, 4, 19, 30)),
        (NOW, "30号9点", local(2026, 11, 30, 9)),
        (NOW, "星期六 19:30", local(2026, 11, 28, 19, 30)),
        (NOW, "下下周一9点", local(2026, 11, 30, 9)),
        (NOW, "周日10点", local(2026, 11, 22, 10)),  # today is Sunday, 10:00 is ahead
        (NOW, "周日8点", local(2026, 11, 29, 8)),  # today's 08:00 has passed: next Sunday
        (NOW, "tomorrow at noon", local(2026, 11, 23, 12)),
        (NOW, "tomorrow 12am", local(2026, 11, 23, 0)),
        (NOW, "12pm", local(2026, 11, 22, 12)),
        (NOW, "tonight 8pm", local(2026, 11, 22, 20)),
        (NOW, "Saturday 9 a.m.", local(2026, 11, 28, 9)),
        (NOW, "next Mon 10am", local(2026, 11, 23, 10)),
        (NOW, "Dec 4, 7:30 PM", local(2026, 12, 4, 19, 30)),
        (NOW, "4th December 2026 19:30", local(2026, 12, 4, 19, 30)),
        # Around midnight: days count from the community's date, not UTC's.
        (LATE, "明天上午9点", local(2026, 11, 23, 9)),
        (LATE, "今晚11点55", local(2026, 11, 22, 23, 55)),
        (LATE, "晚上12点", local(2026, 11, 23, 0)),
        (EARLY, "明天上午9点", local(2026, 11, 24, 9)),
        (EARLY, "上午9点", local(2026, 11, 23, 9)),
        (EARLY, "今天上午9点", local(2026, 11, 23, 9)),
        (EARLY, "周一10点", local(2026, 11, 23, 10)),
        (EARLY, "下周一10点", local(2026, 11, 30, 10)),
        (EARLY, "这周六晚上7点半", local(2026, 11, 28, 19, 30)),
        # A leap day.
        (LEAP, "明天上午9点", local(2028, 2, 29, 9)),
        (LEAP, "2月29日10点", local(2028, 2, 29, 10)),
        (LEAP, "2028-02-29 10:00", local(2028, 2, 29, 10)),
        (LEAP, "后天9点", local(2028, 3, 1, 9)),
        # The year's end: a date without a year is next year's once this year's has gone.
        (YEAR_END, "明天上午9点", local(2027, 1, 1, 9)),
        (YEAR_END, "1月2日10点", local(2027, 1, 2, 10)),
        (YEAR_END, "1-2 10:00", local(2027, 1, 2, 10)),
        (YEAR_END, "Jan 2 10am", local(2027, 1, 2, 10)),
        (YEAR_END, "12-31 21:00", local(2026, 12, 31, 21)),
        (YEAR_END, "周六晚上7点半", local(2027, 1, 2, 19, 30)),
        (YEAR_END, "下周一9点", local(2027, 1, 4, 9)),
    ],
)
def test_a_typed_time_is_read_in_community_time(
    now: datetime, typed: str, expected: datetime
) -> None:
    moment = read_time(typed, now, ZONE)
    assert moment == expected
    assert moment.tzinfo is UTC


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "昨天",  # a day, no hour
        "明晚",
        "明天下午",
        "不知道",
        "9",  # a bare number: no 点, no colon, no am/pm
        "25:00",
        "12:75",
        "上午15点",
        "13月5日 10:00",
        "2月30日 10:00",
        "2027-02-29 10:00",  # no leap day in 2027
        "next week",
        "明天上午9点 和 10点",
    ],
)
def test_words_that_are_no_time_are_unreadable(typed: str) -> None:
    with pytest.raises(UnreadableTime) as refused:
        read_time(typed, NOW, ZONE)
    assert refused.value.key == "bc.bad_time"
    assert refused.value.params == {}


@pytest.mark.parametrize(
    ("now", "typed", "named"),
    [
        (NOW, "8:00", "11月22日（周日）上午8:00"),  # a bare time is today's, not tomorrow's
        (NOW, "9:00", "11月22日（周日）上午9:00"),  # now is not ahead
        (NOW, "今天上午8点", "11月22日（周日）上午8:00"),
        (NOW, "2026-11-22 08:00", "11月22日（周日）上午8:00"),
        (
            NOW,
            "11-21 08:00",
            "11月21日（周六）上午8:00",
        ),  # next year's is too far: this one was meant
        (NOW, "2026-11-01 10:00", "11月1日（周日）上午10:00"),
        (NOW, "本周日8点", "11月22日（周日）上午8:00"),  # this week's Sunday: today
        (NOW, "这周六晚上7点半", "11月21日（周六）晚上7:30"),  # weeks start on Monday: yesterday
        (LATE, "00:10", "11月22日（周日）凌晨0:10"),  # today's, ten minutes before midnight
        (LATE, "下午3点", "11月22日（周日）下午3:00"),
        (EARLY, "凌晨0点", "11月23日（周一）凌晨0:00"),
        (YEAR_END, "12-31 19:00", "12月31日（周四）晚上7:00"),
        (YEAR_END, "12-30 10:00", "12月30日（周三）上午10:00"),
        (YEAR_END, "Dec 30 10am", "12月30日（周三）上午10:00"),
    ],
)
def test_a_time_already_past_is_named_as_read(now: datetime, typed: str, named: str) -> None:
    with pytest.raises(PastTime) as refused:
        read_time(typed, now, ZONE)
    assert refused.value.key == "bc.past_time"
    assert said(refused.value.params) == {"when": named}


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("2027-03-01 10:00", "2027年3月1日（周一）上午10:00"),
        ("2-29 10:00", "2028年2月29日（周二）上午10:00"),  # the next leap day
        ("1月25日 10:00", "2027年1月25日（周一）上午10:00"),
    ],
)
def test_a_time_too_far_ahead_says_how_far_may_be(typed: str, named: str) -> None:
    with pytest.raises(TooFarAhead) as refused:
        read_time(typed, NOW, ZONE)
    assert said(refused.value.params) == {"when": named, "days": 60}


START = local(2026, 11, 24, 9)  # what an end must follow


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12:00", local(2026, 11, 24, 12)),  # a bare time: the first after the start
        ("08:00", local(2026, 11, 25, 8)),
        ("下午5点", local(2026, 11, 24, 17)),
        ("后天下午5点", local(2026, 11, 24, 17)),  # days still count from today
        ("11-26 18:00", local(2026, 11, 26, 18)),
        ("周三 18:00", local(2026, 11, 25, 18)),
    ],
)
def test_a_time_after_another_is_read_from_it(typed: str, expected: datetime) -> None:
    assert read_time(typed, NOW, ZONE, after=START) == expected


@pytest.mark.parametrize(
    ("typed", "error", "params"),
    [
        (
            "11-23 09:00",
            NotAfter,
            {"when": "11月23日（周一）上午9:00", "after": "11月24日（周二）上午9:00"},
        ),
        (
            "明天17点",
            NotAfter,
            {"when": "11月23日（周一）下午5:00", "after": "11月24日（周二）上午9:00"},
        ),
        (
            "11-24 09:00",
            NotAfter,
            {"when": "11月24日（周二）上午9:00", "after": "11月24日（周二）上午9:00"},
        ),
        ("11-21 09:00", PastTime, {"when": "11月21日（周六）上午9:00"}),
        ("晚些时候", UnreadableTime, {}),
    ],
)
def test_a_time_not_after_the_one_it_follows_is_refused(
    typed: str, error: type[BadTime], params: dict[str, object]
) -> None:
    with pytest.raises(error) as refused:
        read_time(typed, NOW, ZONE, after=START)
    assert said(refused.value.params) == params


@pytest.mark.parametrize("language", list(Language))
def test_unreadable_and_past_get_different_answers_each_with_an_example(
    language: Language,
) -> None:
    unreadable = UnreadableTime("明晚")
    past = PastTime(datetime(2026, 11, 22, 8, tzinfo=SHANGHAI))
    said_unreadable = t(language, unreadable.key, **unreadable.params)
    said_past = t(language, past.key, **past.params)
    assert said_unreadable != said_past
    assert said_unreadable.count("<code>") >= 2  # examples of what is read
    assert "<code>" in said_past
    assert (
        "11月22日（周日）上午8:00" if language is Language.ZH else "Sun 22 Nov, 8:00 am"
    ) in said_past  # the time, as it was read
    assert all(isinstance(error, BadTime) for error in (unreadable, past))
