"""Times staff type, read in the community's time zone (pure).

"明天上午9点", "下午3点", "今晚8点", "后天10点", "12月4日19:30",
"12月4日晚上7点半", "周六晚上7点半", "下周一上午10点", "12-04 19:30",
"2026-12-04 19:30", "19:30"; in English "tomorrow 9am", "3pm", "Sat 7:30 pm",
"4 Dec 19:30", "Dec 4 7:30pm". 半 is :30; 上午/早上 (am), 中午 (12), 下午/晚上 (pm),
凌晨 (small hours). A time without a day is today's; a date without a year is the next
such date not in the past; a weekday is the next such day (下周 one: next week's).

What cannot be read is `UnreadableTime`; what has passed is `PastTime`, naming the time as it
was read; both are `BadTime`, so callers that catch that keep working.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.errors import BadTime
from bot.domain.wording import time_words

MAX_AHEAD = timedelta(days=60)  # how far ahead a typed time may be (after its anchor)


def shown(moment: datetime, now: datetime | None = None) -> str:
    """A time as it was read, named back in an answer the way every date reads
    ("12月5日（周六）晚上7:30"), in the moment's own (the community's) zone; with `now`, the
    year too when it is not this year's."""
    zone = moment.tzinfo
    name = zone.key if isinstance(zone, ZoneInfo) else "UTC"
    today = now.astimezone(zone).date() if now is not None else None
    return time_words(moment, name, today=today)


class UnreadableTime(BadTime):
    """Words that are not a time (no hour, no such date…): the answer shows examples."""

    key = "bc.bad_time"


class PastTime(BadTime):
    """A time that was read, and has already passed: the answer names it."""

    key = "bc.past_time"

    def __init__(self, moment: datetime) -> None:
        super().__init__("past", when=shown(moment))


class TooFarAhead(BadTime):
    """A time more than MAX_AHEAD ahead."""

    key = "bc.too_far"

    def __init__(self, moment: datetime, now: datetime | None = None) -> None:
        super().__init__("too far", when=shown(moment, now), days=MAX_AHEAD.days)


class NotAfter(BadTime):
    """A time that is not after the one it must follow (an end before its start)."""

    key = "bc.not_after"

    def __init__(self, moment: datetime, anchor: datetime) -> None:
        super().__init__("not after", when=shown(moment), after=shown(anchor))


# ---------------------------------------------------------------------------- the words

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"\d{1,2}|[零〇一二两三四五六七八九十]{1,3}"
_AM = {"凌晨", "早上", "早晨", "清晨", "上午", "早", "am"}
_PM = {"下午", "傍晚", "晚上", "夜里", "夜间", "晚间", "晚", "pm"}
_PERIODS = "凌晨|早上|早晨|清晨|上午|中午|下午|傍晚|晚上|夜里|夜间|晚间|早|晚"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAYS |= {str(n): n - 1 for n in range(1, 8)}
_EN_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = rf"\b(?P<mon>{'|'.join(_MONTHS)})[a-z]*\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR_AFTER = r"(?:,?\s+(?P<year>\d{4}))?(?![\d:])"

# Days that need no year: (word, days from today, the period it implies).
_RELATIVE = {
    "大后天": (3, None),
    "后天": (2, None),
    "明天": (1, None),
    "明日": (1, None),
    "明早": (1, "早"),
    "明晨": (1, "早"),
    "明晚": (1, "晚"),
    "今天": (0, None),
    "今日": (0, None),
    "今早": (0, "早"),
    "今晚": (0, "晚"),
    "day after tomorrow": (2, None),
    "tomorrow": (1, None),
    "today": (0, None),
    "tonight": (0, "pm"),
}
_RELATIVE_RE = "|".join(re.escape(word) for word in _RELATIVE)

_DATES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("md", re.compile(r"(?<!\d)(?P<year>\d{4})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})[日号]?")),
    ("md", re.compile(rf"(?<!\d)(?P<m>{_NUM})月(?P<d>{_NUM})[日号]?")),
    ("md", re.compile(r"(?<![\d:])(?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d:])")),
    ("md", re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}){_ORDINAL}\s+{_MONTH}{_YEAR_AFTER}")),
    ("md", re.compile(rf"{_MONTH}\s*(?P<d>\d{{1,2}}){_ORDINAL}{_YEAR_AFTER}")),
    ("rel", re.compile(rf"(?:{_RELATIVE_RE})")),
    (
        "wd",
        re.compile(r"(?P<which>下下|下|这|本)?个?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7])"),
    ),
    (
        "wd",
        re.compile(rf"(?:\b(?P<which>next|this)\s+)?\b(?P<en>{'|'.join(_EN_WEEKDAYS)})[a-z]*\b"),
    ),
    ("d", re.compile(r"(?<![\d月])(?P<d>\d{1,2})[日号]")),
)

_TIME = re.compile(
    rf"^(?P<period>{_PERIODS})?\s*(?P<hour>{_NUM})\s*"
    rf"(?:(?P<colon>:)(?P<mm>\d{{2}})|(?P<dian>[点时])钟?"
    rf"(?P<tail>半|一刻|三刻|整|(?P<min>{_NUM})分?)?)?"
    r"\s*(?P<ampm>am|pm|a\.m\.|p\.m\.)?$"
)
_ALONE = {"中午": (12, 0), "noon": (12, 0)}  # a part of the day that is an hour by itself
_FILLER = re.compile(r"\bat\b|\bon\b|[,，、的]")


def _number(said: str) -> int:
    """12 from "12" or "十二"; ValueError for what is no number."""
    if said.isdigit():
        return int(said)
    if "十" in said:
        tens, _, ones = said.partition("十")
        value = (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
        return value
    if len(said) == 1:
        return _CN_DIGITS[said]
    raise ValueError(said)


def _hour(period: str | None, hour: int) -> tuple[int, int]:
    """The hour on a 24-hour clock and the days it moves on (晚上12点 is the next 00:00)."""
    if period is None:
        if hour > 23:
            raise ValueError(hour)
        return hour, 0
    if period in {"am", "凌晨"}:
        if hour > 12:
            raise ValueError(hour)
        return hour % 12, 0
    if period in _AM:
        if hour > 12:
            raise ValueError(hour)
        return hour, 0
    if period == "中午":
        if 1 <= hour <= 3:
            return hour + 12, 0
        if 10 <= hour <= 14:
            return hour, 0
        raise ValueError(hour)
    # the afternoon and evening
    if hour == 12:
        return (12, 0) if period in {"pm", "下午"} else (0, 1)
    if 1 <= hour < 12:
        return hour + 12, 0
    if 12 < hour <= 23:
        return hour, 0
    raise ValueError(hour)


def _clock(said: str, implied: str | None) -> tuple[int, int, int]:
    """(hour, minute, days it moves on) of what remains once the day is taken out."""
    if said in _ALONE:
        return (*_ALONE[said], 0)
    match = _TIME.match(said)
    if match is None or not (match["colon"] or match["dian"] or match["ampm"]):
        raise ValueError(said)
    period = match["period"] or implied
    if match["ampm"]:
        period = match["ampm"].replace(".", "")
    minute = 0
    if match["mm"]:
        minute = int(match["mm"])
    elif match["min"]:
        minute = _number(match["min"])
    elif match["tail"]:
        minute = {"半": 30, "一刻": 15, "三刻": 45}.get(match["tail"], 0)
    if minute > 59:
        raise ValueError(minute)
    hour, later = _hour(period, _number(match["hour"]))
    return hour, minute, later


# ---------------------------------------------------------------------------- the days


def _week_day(match: re.Match[str], today: date) -> tuple[date, bool]:
    """The day a weekday names, and whether it is the plain one (rolls on a week if past)."""
    said = match.groupdict()
    wd = _WEEKDAYS[said["wd"]] if said.get("wd") else _EN_WEEKDAYS.index(said["en"][:3])
    which = said["which"]
    monday = today - timedelta(days=today.weekday())
    if which in {"下", "next"}:
        return monday + timedelta(days=7 + wd), False
    if which == "下下":
        return monday + timedelta(days=14 + wd), False
    if which in {"这", "本", "this"}:
        return monday + timedelta(days=wd), False
    return today + timedelta(days=(wd - today.weekday()) % 7), True


def _next_date(month: int, day: int, base: date) -> tuple[date | None, date]:
    """This year's `month`-`day` if it is one (None if not), and the first on or after `base`
    (leap days wait for their year; UnreadableTime for a date no year has)."""
    this_year = _valid(base.year, month, day)
    for year in range(base.year, base.year + 5):
        found = _valid(year, month, day)
        if found is not None and found >= base:
            return this_year, found
    raise UnreadableTime(f"{month}-{day}")


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(day: int, base: date) -> date:
    """The first `day` of a month on or after `base`."""
    year, month = base.year, base.month
    for _ in range(13):
        found = _valid(year, month, day)
        if found is not None and found >= base:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise UnreadableTime(str(day))


# ---------------------------------------------------------------------------- reading


def read_time(
    text: str, now: datetime, timezone: str, *, after: datetime | None = None
) -> datetime:
    """The moment `text` names, in community time, as a tz-aware UTC datetime.

    Days are counted from `now`'s local date. `after` is the time this one must follow (an end
    after its start): a bare time is then the first such time after it, and a date without a
    year the first on or after its day. When that date is next year's and too far ahead while
    this year's is nearer (typed "11-20" on 22 November), this year's was meant: it has passed.
    UnreadableTime for words that are no time, PastTime for a time not after `now`, NotAfter
    for one not after `after`, TooFarAhead beyond MAX_AHEAD (after `after`, or `now`)."""
    zone = ZoneInfo(timezone)
    anchor = (now if after is None else after).astimezone(zone)
    today = now.astimezone(zone).date()
    said = unicodedata.normalize("NFKC", text).strip().lower()
    kind, match = _find_day(said)
    rest = said if match is None else said[: match.start()] + " " + said[match.end() :]
    rest = re.sub(r"\s+", " ", _FILLER.sub(" ", rest)).strip()
    implied = _RELATIVE[match[0]][1] if kind == "rel" and match is not None else None
    try:
        hour, minute, later = _clock(rest, implied)
        if match is None:  # a bare time: today's, or the first after the anchor
            day, passed = (today, None) if after is None else (anchor.date(), None)
            rolls = 0 if after is None else 1
        else:
            day, passed, rolls = _day(kind, match, today, anchor.date())
    except (ValueError, KeyError):
        raise UnreadableTime(text) from None

    def at(day: date) -> datetime:
        moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
        return moment + timedelta(days=later)

    moment = at(day)
    if rolls and moment <= anchor:
        moment += timedelta(days=rolls)
    if (
        moment - anchor > MAX_AHEAD
        and passed is not None
        and anchor - at(passed) < moment - anchor
    ):
        moment = at(passed)  # next year's is too far, this year's nearer: it was meant
    return _checked(moment, now, after)


def _find_day(said: str) -> tuple[str, re.Match[str] | None]:
    """The first kind of day the words name, and where."""
    for kind, pattern in _DATES:
        if match := pattern.search(said):
            return kind, match
    return "", None


def _day(
    kind: str, match: re.Match[str], today: date, base: date
) -> tuple[date, date | None, int]:
    """The day the words name; this year's one when the next year's was taken (a date without
    a year); the days to move on when that day's time is not after the anchor (a weekday)."""
    named = match.groupdict()
    if kind == "rel":
        return today + timedelta(days=_RELATIVE[match[0]][0]), None, 0
    if kind == "wd":
        day, plain = _week_day(match, today)
        return day, None, 7 if plain else 0
    if kind == "d":
        return _month_day(int(named["d"]), base), None, 0
    month = _MONTHS.index(named["mon"]) + 1 if named.get("mon") else _number(named["m"])
    if named.get("year"):
        return date(int(named["year"]), month, _number(named["d"])), None, 0
    passed, day = _next_date(month, _number(named["d"]), base)
    return day, passed if passed != day else None, 0


def _checked(moment: datetime, now: datetime, after: datetime | None) -> datetime:
    """`moment` in UTC once it is ahead of `now` (and `after`) and not too far."""
    result = moment.astimezone(UTC)
    if result <= now:
        raise PastTime(moment)
    if after is not None and result <= after:
        raise NotAfter(moment, after.astimezone(moment.tzinfo))
    if result - (now if after is None else after) > MAX_AHEAD:
        raise TooFarAhead(moment, now)
    return result
