"""How dates, money and areas read to people (pure, stdlib only).

A date reads "12月5日（周六）晚上7:30" ("今天晚上7:30", "明天上午9:00"; in English
"Sat 5 Dec, 7:30 pm", "today, 7:30 pm"), in the community's time zone; money "约60万元" when
it is an estimate and "¥1,234.50" when exact (English "about ¥600,000" / "¥1,234.50"); an area
"82.5㎡". Machine formats (exports, .ics, logs) do not come here.

A date or an amount is put into a message before the reader's language is known (a push is
rendered for each recipient), so `time_words`, `money_about` and `money_exact` return a
*token*: a short language-neutral string that `spell` turns into words when the message is
rendered (bot.i18n does that for every parameter). A token may sit inside a longer parameter
("A → B"); it survives JSON (the outbox stores pushes).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters: never typed, never shown
_TOKEN = re.compile(f"{_OPEN}([^{_OPEN}{_CLOSE}]*){_CLOSE}")

_ZH_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WAN = 10_000  # 万


# ---------------------------------------------------------------------------- dates


def time_words(at: datetime | None, timezone: str, *, today: date | None = None) -> str:
    """A time to show to a person: a token that `spell` reads in the reader's language; "—" if
    None. With `today` (the community's date now), that day and the next say 今天 / 明天;
    leave it out where the message may be read later (a push)."""
    if at is None:
        return "—"
    local = at.astimezone(ZoneInfo(timezone))
    return _token("t", local.strftime("%Y-%m-%d-%H-%M"), today.isoformat() if today else "")


def clock_words(at: datetime, timezone: str) -> str:
    """Only the time of day ("晚上7:30" / "7:30 pm"): a token."""
    return hour_words(at.astimezone(ZoneInfo(timezone)).time())


def hour_words(at: time) -> str:
    """A time of day with no date (duty hours: "上午8:30" / "8:30 am"): a token."""
    return _token("c", f"{at.hour:02d}-{at.minute:02d}")


def day_words(at: datetime, timezone: str) -> str:
    """Only the day ("12月5日（周六）" / "Sat 5 Dec"): a token."""
    return _token("d", at.astimezone(ZoneInfo(timezone)).date().isoformat())


def window_words(start: datetime, end: datetime, timezone: str) -> str:
    """From … to …: "12月5日（周六）上午9:00–中午12:00", both days when it spans days."""
    zone = ZoneInfo(timezone)
    if start.astimezone(zone).date() == end.astimezone(zone).date():
        return f"{time_words(start, timezone)}–{clock_words(end, timezone)}"
    return f"{time_words(start, timezone)} – {time_words(end, timezone)}"


def day_name(day: date, language: str) -> str:
    """ "12月5日（周六）" / "Sat 5 Dec"."""
    if language.startswith("en"):
        return f"{_EN_WEEKDAYS[day.weekday()]} {day.day} {_EN_MONTHS[day.month - 1]}"
    return f"{day.month}月{day.day}日（{_ZH_WEEKDAYS[day.weekday()]}）"


def day_time(local: datetime, language: str, *, today: date | None = None) -> str:
    """ "12月5日（周六）晚上7:30" / "Sat 5 Dec, 7:30 pm" for a time already in local time."""
    day = local.date()
    english = language.startswith("en")
    if today is not None and day in (today, date.fromordinal(today.toordinal() + 1)):
        word = (
            ("today" if english else "今天")
            if day == today
            else ("tomorrow" if english else "明天")
        )
        return f"{word}, {_en_clock(local)}" if english else f"{word}{_zh_clock(local)}"
    other_year = today is not None and day.year != today.year
    if english:
        named = day_name(day, language) + (f" {day.year}" if other_year else "")
        return f"{named}, {_en_clock(local)}"
    return f"{day.year}年" * other_year + f"{day_name(day, language)}{_zh_clock(local)}"


def _zh_clock(local: datetime) -> str:
    hour = local.hour
    if hour < 6:
        period, shown = "凌晨", hour
    elif hour < 12:
        period, shown = "上午", hour
    elif hour < 13:
        period, shown = "中午", hour
    elif hour < 18:
        period, shown = "下午", hour - 12
    else:
        period, shown = "晚上", hour - 12
    return f"{period}{shown}:{local.minute:02d}"


def _en_clock(local: datetime) -> str:
    shown = local.hour % 12 or 12
    return f"{shown}:{local.minute:02d} {'am' if local.hour < 12 else 'pm'}"


# ---------------------------------------------------------------------------- money


def money_about(fen: int) -> str:
    """An estimate ("约60万元" / "about ¥600,000"): a token; amounts in fen."""
    return _token("a", str(fen))


def money_exact(fen: int) -> str:
    """An exact amount ("¥1,234.50"; whole yuan "¥300,000"): a token; amounts in fen."""
    return _token("e", str(fen))


def rounded_yuan(fen: int) -> Decimal:
    """An estimate as people say it: whole yuan below 1万, else to the nearest 1,000 yuan."""
    yuan = Decimal(fen) / 100
    step = Decimal(1000) if yuan >= _WAN else Decimal(1)
    return (yuan / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def about_text(fen: int, language: str) -> str:
    """ "约60万元", "约1.2万元", "约3000元" / "about ¥600,000"."""
    yuan = rounded_yuan(fen)
    if language.startswith("en"):
        return f"about ¥{int(yuan):,}"
    if yuan >= _WAN:
        return f"约{_plain_number(yuan / _WAN)}万元"
    return f"约{int(yuan)}元"


def exact_text(fen: int) -> str:
    """ "¥1,234.50"; whole yuan without decimals ("¥300,000"); a minus sign in front."""
    sign, fen = ("-", -fen) if fen < 0 else ("", fen)
    whole, cents = divmod(fen, 100)
    return f"{sign}¥{whole:,}" + (f".{cents:02d}" if cents else "")


# ---------------------------------------------------------------------------- areas


def area(square_metres: Decimal | float | int | str) -> str:
    """ "82.5㎡", "1,234.5㎡": at most two decimals, no trailing zeros."""
    value = Decimal(str(square_metres)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, _, decimals = _plain_number(value).partition(".")
    return f"{int(whole):,}" + (f".{decimals}" if decimals else "") + "㎡"


def _plain_number(value: Decimal) -> str:
    """ "60", "1.2", "82.5" (one or two decimals kept only where they are not zero)."""
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------------------- tokens


def _token(kind: str, *parts: str) -> str:
    return f"{_OPEN}{kind}|{'|'.join(parts)}{_CLOSE}"


def spell(value: str, language: str) -> str:
    """`value` with every token in it turned into words of `language` ("zh-CN", "en")."""
    if _OPEN not in value:
        return value
    return _TOKEN.sub(lambda found: _words(found.group(1), language), value)


def _words(body: str, language: str) -> str:
    kind, *parts = body.split("|")
    if kind == "t":
        year, month, day, hour, minute = (int(n) for n in parts[0].split("-"))
        today = date.fromisoformat(parts[1]) if len(parts) > 1 and parts[1] else None
        return day_time(datetime(year, month, day, hour, minute), language, today=today)
    if kind == "c":
        hour, minute = (int(n) for n in parts[0].split("-"))
        local = datetime(2000, 1, 1, hour, minute)
        return _en_clock(local) if language.startswith("en") else _zh_clock(local)
    if kind == "d":
        return day_name(date.fromisoformat(parts[0]), language)
    if kind == "a":
        return about_text(int(parts[0]), language)
    return exact_text(int(parts[0]))
