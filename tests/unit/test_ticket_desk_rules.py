"""The rules of 📋 My reports' and the ticket desk's typed steps and buttons (pure): what a
household may answer with, which ratings reopen, which notes can be skipped, the statuses a
button may name, /stats's days, the inbox's marks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from bot.domain.my_reports_form import (
    ReplyKind,
    ResidentReply,
    VoiceNotTaken,
    offers_rating,
    offers_reopening,
    rating_of,
)
from bot.domain.reports import MAX_NOTE, Media, MediaKind, Rating, ReasonNeeded, TicketStatus
from bot.domain.ticket_form import (
    DeskKind,
    DeskNote,
    deadline_mark,
    stats_days,
    worker_status_of,
)
from tests.unit.test_report_rules import NOON, ticket

# ---------------------------------------------------------------------------- the household


def test_an_answer_is_words_or_a_voice_note_and_the_later_one_counts() -> None:
    form = ResidentReply.answering(7, "R-2026-0001", "家里有人吗？")
    assert (form.kind, form.about, form.given) == (ReplyKind.ANSWER, 7, False)

    by_voice = form.said("有人").by_voice("voice-ref")
    assert (by_voice.words, by_voice.voice, by_voice.given) == ("", "voice-ref", True)
    assert by_voice.voice_media() == Media(kind=MediaKind.VOICE, ref="voice-ref")

    in_words = by_voice.said("九点以后有人")
    assert (in_words.words, in_words.voice) == ("九点以后有人", None)
    assert in_words.voice_media() is None


def test_a_reason_for_reopening_is_words_only() -> None:
    form = ResidentReply.reopening(3, "R-2026-0003")
    assert (form.kind, form.about, form.voice_allowed) == (ReplyKind.REASON, 3, False)
    with pytest.raises(VoiceNotTaken):
        form.by_voice("voice-ref")
    assert form.said("还是堵").given


def test_a_reply_is_bounded_and_survives_a_restart_as_json() -> None:
    with pytest.raises(ValidationError):
        ResidentReply(words="字" * (MAX_NOTE + 1))
    with pytest.raises(ValidationError):
        ResidentReply(about=-1)
    form = ResidentReply.answering(7, "R-2026-0001", "?").by_voice("ref")
    assert ResidentReply.model_validate(form.model_dump(mode="json")) == form


def test_only_the_reporting_household_rates_and_only_unsatisfied_reopens() -> None:
    assert offers_rating(awaiting_rating=True, reporter=True)
    assert not offers_rating(awaiting_rating=True, reporter=False)  # joined with "+1"
    assert not offers_rating(awaiting_rating=False, reporter=True)
    assert [r for r in Rating if offers_reopening(r)] == [Rating.UNSATISFIED]


@pytest.mark.parametrize(
    ("value", "rating"),
    [("satisfied", Rating.SATISFIED), ("unsatisfied", Rating.UNSATISFIED), ("bogus", None),
     ("", None), ("SATISFIED", None)],
)  # fmt: skip
def test_a_rating_button_names_a_rating_or_nothing(value: str, rating: Rating | None) -> None:
    assert rating_of(value) is rating


# ---------------------------------------------------------------------------- the desk


@pytest.mark.parametrize(
    "status", [TicketStatus.ACCEPTED, TicketStatus.IN_PROGRESS, TicketStatus.RESOLVED]
)
def test_a_note_may_be_skipped_except_a_reason(status: TicketStatus) -> None:
    form = DeskNote.moving(1, "R-2026-0001", status)
    assert (form.may_skip, form.needs_reason, form.prompt) == (True, False, "report.ask_note")
    skipped = form.without_note()
    assert (skipped.note, skipped.noted) == ("", True)


@pytest.mark.parametrize("status", [TicketStatus.REJECTED, TicketStatus.DUPLICATE])
def test_a_rejection_or_a_duplicate_needs_its_reason(status: TicketStatus) -> None:
    form = DeskNote.moving(1, "R-2026-0001", status)
    assert (form.may_skip, form.needs_reason) == (False, True)
    assert form.prompt == "report.ask_reason_staff"
    with pytest.raises(ReasonNeeded):
        form.without_note()
    given = form.noted_with("属于邻里纠纷")
    assert (given.note, given.noted) == ("属于邻里纠纷", True)


def test_a_question_is_typed_and_never_skipped() -> None:
    form = DeskNote.asking(4, "R-2026-0004")
    assert (form.kind, form.prompt, form.may_skip, form.needs_reason) == (
        DeskKind.QUESTION,
        "report.ask_question",
        False,
        False,
    )
    with pytest.raises(ReasonNeeded):
        form.without_note()
    assert form.noted_with("家里有人吗？").noted


@pytest.mark.parametrize("status", [TicketStatus.CLOSED, TicketStatus.REOPENED])
def test_a_note_goes_only_with_a_status_a_grid_worker_sets(status: TicketStatus) -> None:
    with pytest.raises(ValidationError):
        DeskNote.moving(1, "R-2026-0001", status)
    with pytest.raises(ValidationError):
        DeskNote(note="字" * (MAX_NOTE + 1))
    assert worker_status_of(status.value) is None


def test_a_status_button_names_a_status_a_grid_worker_sets() -> None:
    assert worker_status_of("accepted") is TicketStatus.ACCEPTED
    assert worker_status_of("duplicate") is TicketStatus.DUPLICATE
    assert worker_status_of("bogus") is None
    assert worker_status_of("submitted") is None


@pytest.mark.parametrize(
    ("args", "days"),
    [((), 30), (("90",), 90), (("0",), 1), (("-5",), 1), (("99999",), 3660), (("soon",), None),
     (("7", "extra"), 7)],
)  # fmt: skip
def test_stats_look_back_30_days_or_the_number_given_within_bounds(
    args: tuple[str, ...], days: int | None
) -> None:
    assert stats_days(args) == days


def test_the_inbox_marks_late_in_time_and_no_longer_open() -> None:
    fresh = ticket()
    assert deadline_mark(fresh, NOON) == "⏳"
    assert deadline_mark(fresh, NOON + timedelta(hours=24)) == "🔴"  # not accepted in time
    done = ticket(status=TicketStatus.CLOSED)
    assert deadline_mark(done, datetime(2030, 1, 1, tzinfo=UTC)) == "✅"
