"""The keyword rules that say what free words most likely are, what is kept of free input,
and which grid worker's question plain words answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.free_input import Guess, KeptInput, answerable, guess, open_question
from bot.domain.reports import MAX_DESCRIPTION, MAX_PHOTOS, EventKind, TicketEvent

TABLE = [
    ("楼道灯坏了，好几天了", Guess.PROBLEM),
    ("天花板，还在滴水", Guess.PROBLEM),
    ("厨房下水道堵了", Guess.PROBLEM),
    ("你好，楼道灯不亮", Guess.PROBLEM),  # a greeting before a problem: the problem
    ("会议室的灯坏了", Guess.PROBLEM),  # a problem wins over a feature's name
    ("The lift is broken again", Guess.PROBLEM),
    ("water leaking from the ceiling", Guess.PROBLEM),
    ("投票", Guess.VOTES),
    ("我想看看点单", Guess.VOTES),
    ("表决", Guess.VOTES),
    ("votes", Guess.VOTES),
    ("Is there a poll?", Guess.VOTES),
    ("会议", Guess.MEETINGS),
    ("when is the meeting", Guess.MEETINGS),
    ("通知", Guess.NOTICES),
    ("停水", Guess.NOTICES),
    ("Notifications", Guess.NOTICES),
    ("我的家", Guess.HOME),
    ("my home", Guess.HOME),
    ("报事", Guess.REPORT),
    ("我要报修", Guess.REPORT),
    ("我的报事", Guess.MY_REPORTS),
    ("你好", Guess.GREETING),
    ("您好！", Guess.GREETING),
    ("在吗", Guess.GREETING),
    ("Hello", Guess.GREETING),
    ("hi there", Guess.GREETING),
    ("谢谢", Guess.THANKS),
    ("Thank you!", Guess.THANKS),
    ("好的", Guess.UNSURE),
    ("明天上午九点以后都在家", Guess.UNSURE),
    ("history", Guess.UNSURE),  # "hi" inside a word is no greeting
    ("this is a long story about hi-fi speakers and more", Guess.UNSURE),
    ("?", Guess.NOTHING),
    ("👍", Guess.NOTHING),
    ("   ", Guess.NOTHING),
]


@pytest.mark.parametrize(("words", "expected"), TABLE)
def test_what_free_words_most_likely_are(words: str, expected: Guess) -> None:
    assert guess(words) is expected


def test_only_problems_and_unknown_words_answer_a_question() -> None:
    assert {g for g in Guess if answerable(g)} == {Guess.PROBLEM, Guess.UNSURE}


def test_kept_input_gathers_every_message() -> None:
    kept = KeptInput()
    assert kept.empty
    kept = kept.adding(photo="p1").adding(words=" 楼道灯坏了 ").adding(voice="v1")
    kept = kept.adding(words="好几天了", photo="p2").adding(words="  ")

    assert kept == KeptInput(words=("楼道灯坏了", "好几天了"), voice="v1", photos=("p1", "p2"))
    assert kept.description == "楼道灯坏了\n好几天了"
    assert not kept.empty


def test_kept_input_stays_within_what_a_report_holds() -> None:
    kept = KeptInput()
    for number in range(MAX_PHOTOS + 3):
        kept = kept.adding(photo=f"p{number}", words="长" * 400)
    assert len(kept.photos) == MAX_PHOTOS
    assert len(kept.description) == MAX_DESCRIPTION
    assert kept.adding(voice="v2").adding(voice=None).voice == "v2"  # the latest voice note


T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def event(number: int, kind: EventKind, hours: int = 0) -> TicketEvent:
    return TicketEvent(
        id=number, ticket_id=1, kind=kind, at=T0 + timedelta(hours=hours), actor_id=1
    )


CREATED, QUESTION, ANSWER, STATUS = (
    EventKind.CREATED,
    EventKind.QUESTION,
    EventKind.ANSWER,
    EventKind.STATUS,
)


@pytest.mark.parametrize(
    ("history", "since_hours", "expected"),
    [
        ([], 0, None),
        ([event(1, CREATED), event(2, QUESTION, 1)], 0, 2),
        ([event(1, CREATED), event(2, QUESTION, 1), event(3, STATUS, 2)], 0, 2),
        ([event(1, CREATED), event(2, QUESTION, 1), event(3, ANSWER, 2)], 0, None),
        ([event(2, QUESTION, 1), event(3, ANSWER, 2), event(4, QUESTION, 3)], 0, 4),
        ([event(4, QUESTION, 3), event(2, QUESTION, 1)], 0, 4),  # in the history's order
        ([event(1, CREATED), event(2, QUESTION, 1)], 2, None),  # asked too long ago
    ],
)
def test_the_open_question_of_a_history(
    history: list[TicketEvent], since_hours: int, expected: int | None
) -> None:
    found = open_question(history, T0 + timedelta(hours=since_hours))
    assert (found.id if found else None) == expected
