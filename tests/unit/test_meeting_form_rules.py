"""The meeting form's rules: words, the time, households and roles, contacts, the answer
deadline, the draft; and the words typed about a meeting (question, minutes) (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import BadTime, BlankText, TextTooLong
from bot.domain.meeting_form import (
    BadContact,
    DeadlineAfterStart,
    MeetingForm,
    MeetingInput,
    TextOrDocument,
    TooManyContacts,
    Typing,
    WordsOrVoice,
    decisions,
    new_time,
    question,
)
from bot.domain.meetings import (
    GRID_MEETING_SCOPES,
    MAX_CONTACTS,
    MAX_MINUTES,
    MAX_QUESTION,
    MAX_TITLE,
    MEETING_SCOPES,
    DeadlinePassed,
    MeetingKind,
    Party,
)
from bot.domain.messages import Attachment
from bot.domain.models import Role
from bot.domain.scope import Scope, ScopeKind
from bot.domain.when import PastTime

ZONE = "Asia/Shanghai"
NOW = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
VOICE = Attachment(kind="voice", ref="voice-1")
DOCUMENT = Attachment(kind="document", ref="doc-1")


def complete(**changes: object) -> MeetingForm:
    form = MeetingForm(
        kind=MeetingKind.HEARING,
        title="1号楼听证会",
        starts_at=NOW + timedelta(days=2),
        place="社区活动室",
        invites=True,
        scope=ScopeKind.BUILDINGS,
        ids=(3,),
        rsvp_by=NOW + timedelta(days=1),
    )
    return form.model_copy(update=changes)


def test_title_place_and_agenda_are_trimmed_and_bounded() -> None:
    form = MeetingForm().titled("  议事会 \n").placed(" 活动室 ").with_agenda(" 方案 ")
    assert (form.title, form.place, form.agenda) == ("议事会", "活动室", "方案")
    assert MeetingForm().with_agenda(None).agenda == ""
    with pytest.raises(TextTooLong):
        MeetingForm().titled("题" * (MAX_TITLE + 1))
    with pytest.raises(BlankText):
        MeetingForm().titled("\u3000\n")


def test_the_time_is_typed_in_community_time_and_must_be_ahead() -> None:
    form = MeetingForm().timed("11-25 19:30", NOW, ZONE)
    assert form.starts_at == datetime(2026, 11, 25, 11, 30, tzinfo=UTC)
    with pytest.raises(BadTime):
        MeetingForm().timed("明晚", NOW, ZONE)
    worded = MeetingForm().timed("周六晚上7点半", NOW, ZONE)
    assert worded.starts_at == datetime(2026, 11, 28, 11, 30, tzinfo=UTC)
    assert new_time("12月4日晚上7点半", NOW, ZONE) == datetime(2026, 12, 4, 11, 30, tzinfo=UTC)
    with pytest.raises(PastTime):
        new_time("今天上午8点", NOW, ZONE)


def test_households_of_a_kind_forget_the_places_ticked_and_none_is_a_choice() -> None:
    form = complete(ids=(1, 2)).households(ScopeKind.UNITS, MEETING_SCOPES)
    assert (form.scope, form.ids, form.picks_places) == (ScopeKind.UNITS, (), True)
    none = form.households(None, MEETING_SCOPES)
    assert (none.invites, none.scope, none.picks_places) == (False, None, False)
    with pytest.raises(ValueError, match="not invited"):
        form.households(ScopeKind.COMPOUNDS, GRID_MEETING_SCOPES)  # a grid worker's
    with pytest.raises(ValueError, match="not invited"):
        form.households(ScopeKind.GRIDS, MEETING_SCOPES)  # not a meeting's


def test_roles_tick_and_untick_and_only_the_invited_ones() -> None:
    form = MeetingForm().toggled(Role.GRID_WORKER).toggled(Role.STAFF)
    assert form.roles == (Role.GRID_WORKER, Role.STAFF)
    assert form.toggled(Role.GRID_WORKER).roles == (Role.STAFF,)
    with pytest.raises(ValueError, match="not invited to meetings"):
        form.toggled(Role.RESIDENT)


def test_contacts_one_a_line_all_or_none_within_the_limit() -> None:
    form = MeetingForm().with_contacts("王经理 | 物业 | 13900000000\n\n赵工 | 施工单位")
    assert [(c.name, c.party) for c in form.contacts] == [
        ("王经理", Party.PROPERTY),
        ("赵工", Party.CONTRACTOR),
    ]
    with pytest.raises(BadContact):
        form.with_contacts("李四\n | 物业")
    full = MeetingForm().with_contacts("\n".join(f"人{n}" for n in range(MAX_CONTACTS)))
    with pytest.raises(TooManyContacts) as refused:
        full.with_contacts("再一位")
    assert refused.value.params == {"max": MAX_CONTACTS}


def test_only_deadlines_still_ahead_are_offered_and_a_past_one_is_refused() -> None:
    soon = MeetingForm(starts_at=NOW + timedelta(hours=11))
    assert soon.deadlines(NOW) == ["h3", "h0"]
    assert soon.deadline("h3", NOW).rsvp_by == NOW + timedelta(hours=8)
    with pytest.raises(DeadlinePassed):
        soon.deadline("d1", NOW)
    with pytest.raises(KeyError):
        soon.deadline("w1", NOW)
    assert MeetingForm().deadlines(NOW) == []


def test_a_typed_deadline_is_before_the_start() -> None:
    form = MeetingForm(starts_at=datetime(2026, 11, 25, 11, 30, tzinfo=UTC))
    assert form.typed_deadline("11-24 20:00", NOW, ZONE).rsvp_by == datetime(
        2026, 11, 24, 12, 0, tzinfo=UTC
    )
    with pytest.raises(DeadlineAfterStart):
        form.typed_deadline("11-26 08:00", NOW, ZONE)
    with pytest.raises(BadTime):
        form.typed_deadline("2026-11-22 08:00", NOW, ZONE)  # already past


def test_the_draft_holds_only_when_complete_and_consistent() -> None:
    draft = complete().draft()
    assert draft.scope == Scope(kind=ScopeKind.BUILDINGS, ids=(3,))
    assert complete(invites=False, scope=None, ids=(), roles=(Role.STAFF,)).draft().scope is None
    with pytest.raises(ValueError, match="not complete"):
        MeetingForm().draft()
    with pytest.raises(ValueError, match="nobody is invited"):
        complete(invites=False, scope=None, ids=()).draft()
    with pytest.raises(ValueError, match="answers are due before the meeting"):
        complete(rsvp_by=NOW + timedelta(days=3)).draft()


def test_a_question_is_words_or_a_voice_note_within_its_limit() -> None:
    assert question("  电费谁出？ ", None) == "电费谁出？"
    assert question("", VOICE) == ""
    with pytest.raises(WordsOrVoice):
        question(" \n", None)
    with pytest.raises(TextTooLong):
        question("问" * (MAX_QUESTION + 1), VOICE)


def test_minutes_are_words_or_a_file_then_the_decisions() -> None:
    typing = MeetingInput(meeting_id=1, typing=Typing.MINUTES)
    assert not typing.minuted
    with_file = typing.minutes_given("", DOCUMENT)
    assert (with_file.minutes, with_file.document, with_file.minuted) == ("", "doc-1", True)
    assert typing.minutes_given(" 到会12人 ", None).minutes == "到会12人"
    with pytest.raises(TextOrDocument):
        typing.minutes_given(" ", None)
    with pytest.raises(TextTooLong):
        typing.minutes_given("记" * (MAX_MINUTES + 1), DOCUMENT)
    assert decisions(" 同意 ") == "同意"
    with pytest.raises(TextTooLong):
        decisions("议" * (MAX_MINUTES + 1))
