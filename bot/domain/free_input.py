"""What a person most likely means by words, a voice note or a photo sent outside any flow,
by keyword rules (Chinese and English), and what is kept of it until they choose; and which
question of a grid worker a plain answer goes to."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from pydantic import Field

from bot.domain.models import Frozen
from bot.domain.reports import MAX_DESCRIPTION, MAX_PHOTOS, EventKind, TicketEvent


class Guess(StrEnum):
    """What free words most likely are."""

    PROBLEM = "problem"  # a problem to report (the report is offered)
    UNSURE = "unsure"  # words that name nothing known: most likely a problem too
    REPORT = "report"  # "报事": the report flow, nothing to keep
    MY_REPORTS = "my_reports"
    VOTES = "votes"  # 投票, 点单, 表决
    MEETINGS = "meetings"
    NOTICES = "notices"  # 通知, 停水…
    HOME = "home"
    GREETING = "greeting"
    THANKS = "thanks"
    NOTHING = "nothing"  # no words at all ("?", "👍")


# A problem wins over a feature's name ("会议室的灯坏了" is a problem).
PROBLEM_WORDS = (
    "坏", "漏", "渗水", "滴水", "堵", "不亮", "不通", "不能用", "用不了", "不好用", "不出水",
    "没电", "跳闸", "裂", "脱落", "掉下", "松动", "故障", "维修", "修理", "修一下", "破",
    "臭", "脏", "噪音", "太吵", "垃圾", "积水", "异味", "老化", "断了", "危险", "隐患",
    "冒烟", "着火", "起火", "生锈", "塌", "倒了", "蚊子", "老鼠",
    "broken", "leak", "leaking", "dripping", "stuck", "blocked", "clogged", "not working",
    "doesn't work", "does not work",
    "crack", "smell", "noise", "noisy", "repair", "fix", "damaged", "dirty", "rubbish",
    "garbage", "trash", "out of order", "flood", "fire", "smoke", "danger",
)  # fmt: skip
# The first feature whose word is in the text; longer names before the words inside them.
FEATURE_WORDS: tuple[tuple[Guess, tuple[str, ...]], ...] = (
    (Guess.MY_REPORTS, ("我的报事", "报事进度", "处理进度", "my reports", "my report")),
    (Guess.REPORT, ("报事", "报修", "report", "repair request")),
    (Guess.VOTES, ("投票", "点单", "表决", "vote", "voting", "poll", "menu", "consent")),
    (Guess.MEETINGS, ("会议", "开会", "meeting")),
    (
        Guess.NOTICES,
        ("通知", "公告", "停水", "停电", "停气", "施工", "notice", "notification", "outage"),
    ),
    (Guess.HOME, ("我的家", "我家信息", "my home")),
)
GREETINGS = (
    "你好", "您好", "嗨", "哈喽", "早上好", "上午好", "下午好", "晚上好", "在吗", "在不在",
    "hello", "hi", "hey", "good morning", "good afternoon", "good evening",
)  # fmt: skip
THANKS = ("谢谢", "多谢", "感谢", "辛苦了", "thanks", "thank you", "thx")
SHORT = 8  # a greeting or a thanks is a few characters, not a story
_WORDLESS = re.compile(r"^[\W_]*\Z")  # punctuation, emoji, spaces only


def _has(text: str, word: str) -> bool:
    """`word` in `text`: Chinese anywhere, English as a whole word (or its plural)."""
    if word.isascii():
        found = re.search(rf"(?<![a-z]){re.escape(word)}(?:s|es)?(?![a-z])", text)
        return found is not None
    return word in text


def _any(text: str, words: Iterable[str]) -> bool:
    return any(_has(text, word) for word in words)


def guess(words: str) -> Guess:
    """What these free words most likely are."""
    said = " ".join(words.lower().split())
    if _WORDLESS.match(said):
        return Guess.NOTHING
    if _any(said, PROBLEM_WORDS):
        return Guess.PROBLEM
    for feature, names in FEATURE_WORDS:
        if _any(said, names):
            return feature
    bare = re.sub(r"[\W_]", "", said)
    if len(bare) <= SHORT or len(said.split()) <= 2:
        if _any(said, GREETINGS):
            return Guess.GREETING
        if _any(said, THANKS):
            return Guess.THANKS
    return Guess.UNSURE


class KeptInput(Frozen):
    """What a person sent outside any flow, kept until they say what it is for: their words
    (one line a message), the latest voice note and the photos (channel references)."""

    words: tuple[str, ...] = ()
    voice: str | None = None
    photos: tuple[str, ...] = Field(default=(), max_length=MAX_PHOTOS * 3)

    def adding(
        self, *, words: str = "", voice: str | None = None, photo: str | None = None
    ) -> KeptInput:
        """One more message kept (photos beyond what a report can hold are not)."""
        said = words.strip()
        photos = self.photos
        if photo is not None and len(photos) < MAX_PHOTOS:
            photos = (*photos, photo)
        return KeptInput(
            words=(*self.words, said) if said else self.words,
            voice=voice or self.voice,
            photos=photos,
        )

    @property
    def description(self) -> str:
        """The words as a report's description (within its limit)."""
        return "\n".join(self.words)[:MAX_DESCRIPTION]

    @property
    def empty(self) -> bool:
        """Nothing kept."""
        return not (self.words or self.voice or self.photos)


ANSWER_WINDOW_HOURS = 72  # a question older than this is not answered by plain words


def open_question(events: Iterable[TicketEvent], since: datetime) -> TicketEvent | None:
    """The latest question of a ticket's history asked at or after `since` with no answer
    after it; None if there is none."""
    last: TicketEvent | None = None
    for event in sorted(events, key=lambda e: e.id):
        if event.kind is EventKind.QUESTION:
            last = event
        elif event.kind is EventKind.ANSWER:
            last = None
    return last if last is not None and last.at >= since else None


def answerable(said: Guess) -> bool:
    """Words that may answer a grid worker's question (not a greeting, nor a feature's name)."""
    return said in (Guess.PROBLEM, Guess.UNSURE)
