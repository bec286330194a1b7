"""The pure rules of meetings: who is reminded when, what may still change, whom an organiser
may invite, answer deadlines (chosen and moved), contacts typed by the organiser, the counts,
and the calendar file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from bot.delivery.files import FileNotAvailable, GeneratedFiles
from bot.documents.meeting_calendar import ics
from bot.domain.meetings import (
    MEETING_SCOPES,
    Contact,
    DeadlinePassed,
    Invitee,
    Meeting,
    MeetingDraft,
    MeetingKind,
    MeetingOver,
    MeetingStatus,
    Party,
    Rsvp,
    answer_deadline,
    check_new_time,
    counts,
    deadline_ahead,
    invitable_scopes,
    moved_deadline,
    parse_contact,
    reminder_times,
    to_remind,
)
from bot.domain.models import Role
from bot.domain.scope import Scope, ScopeKind
from tests.calendar_checks import read_calendar

T = datetime(2026, 11, 25, 11, 30, tzinfo=UTC)  # 19:30 in Shanghai
NOW = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
BUILDING = Scope(kind=ScopeKind.BUILDINGS, ids=(1,))


def meeting(**changes: object) -> Meeting:
    base = {
        "id": 7,
        "organiser_id": 1,
        "kind": MeetingKind.HEARING,
        "title": "加装电梯听证会",
        "starts_at": T,
        "place": "社区活动室",
        "scope": BUILDING,
        "rsvp_by": T - timedelta(days=1),
    }
    return Meeting(**{**base, **changes})


def test_reminders_ahead_only_and_sorted() -> None:
    assert reminder_times(T, [1, 24], NOW) == [T - timedelta(hours=24), T - timedelta(hours=1)]
    assert reminder_times(T, [24, 1], T - timedelta(hours=5)) == [T - timedelta(hours=1)]
    assert reminder_times(T, [1, 1], NOW) == [T - timedelta(hours=1)]
    assert reminder_times(T, [24], T) == []


def test_answers_changes_minutes_follow_the_clock_and_the_status() -> None:
    m = meeting()
    assert m.rsvp_open(T - timedelta(days=2))
    assert not m.rsvp_open(T - timedelta(days=1))  # the deadline itself is closed
    assert m.changeable(T - timedelta(seconds=1))
    assert not m.changeable(T)
    assert not m.held(T - timedelta(seconds=1))
    assert m.held(T)
    off = meeting(status=MeetingStatus.CANCELLED)
    assert not off.rsvp_open(NOW)
    assert not off.changeable(NOW)
    assert not off.held(T)
    with pytest.raises(MeetingOver):
        check_new_time(NOW, NOW)


def test_a_draft_invites_someone_and_wants_answers_before_it_starts() -> None:
    good = {"kind": MeetingKind.CONSULTATION, "title": "议事会", "starts_at": T, "place": "x",
            "scope": BUILDING, "rsvp_by": T}  # fmt: skip
    MeetingDraft(**good)
    for change in (
        {"rsvp_by": T + timedelta(minutes=1)},
        {"scope": None},
        {"scope": Scope(kind=ScopeKind.GRIDS, ids=(1,))},
        {"roles": (Role.RESIDENT,)},
        {"place": ""},
        {"title": "x" * 101},
    ):
        with pytest.raises(ValidationError):
            MeetingDraft(**{**good, **change})
    MeetingDraft(**{**good, "scope": None, "roles": (Role.STAFF,)})
    MeetingDraft(**{**good, "scope": None, "contacts": (Contact(name="王经理"),)})


def test_contacts_typed_by_the_organiser() -> None:
    assert parse_contact("王经理 | 物业 | 139") == Contact(
        name="王经理", party=Party.PROPERTY, phone="139"
    )
    assert parse_contact("赵工｜施工单位") == Contact(name="赵工", party=Party.CONTRACTOR)
    assert parse_contact("刘主任 | 街道").party is Party.OTHER
    for bad in ("| 物业", "a|b|c|d"):
        with pytest.raises(ValueError):  # noqa: PT011 - ValueError or pydantic's subclass
            parse_contact(bad)


def test_counts_and_who_is_reminded() -> None:
    people = [
        Invitee(user_id=1, first_name="a", rsvp=Rsvp.ATTEND),
        Invitee(user_id=2, first_name="b", rsvp=Rsvp.CANNOT),
        Invitee(user_id=3, first_name="c", rsvp=Rsvp.MAYBE),
        Invitee(user_id=4, first_name="d"),
    ]
    assert counts(people) == {Rsvp.ATTEND: 1, Rsvp.CANNOT: 1, Rsvp.MAYBE: 1, None: 1}
    assert to_remind(people) == [1, 3, 4]


def test_grid_workers_invite_buildings_or_units_and_staff_a_compound_too() -> None:
    assert invitable_scopes(staff=True) == MEETING_SCOPES
    assert invitable_scopes(staff=False) == (ScopeKind.BUILDINGS, ScopeKind.UNITS)


def test_an_answer_deadline_is_never_already_past() -> None:
    starts = NOW + timedelta(hours=11)
    assert not deadline_ahead(starts, timedelta(days=1), NOW)
    assert deadline_ahead(starts, timedelta(hours=3), NOW)
    assert answer_deadline(starts, timedelta(hours=3), NOW) == starts - timedelta(hours=3)
    assert answer_deadline(starts, timedelta(0), NOW) == starts
    with pytest.raises(DeadlinePassed):
        answer_deadline(starts, timedelta(days=1), NOW)
    with pytest.raises(DeadlinePassed):  # exactly now is already too late
        answer_deadline(starts, timedelta(hours=11), NOW)


def test_a_moved_meeting_takes_its_answer_deadline_along() -> None:
    day = timedelta(days=1)
    # A day before stays a day before, later or earlier.
    assert moved_deadline(T, T - day, T + 2 * day, NOW) == T + day
    assert moved_deadline(T, T - day, T - day, NOW) == T - 2 * day
    # "Until it starts" stays so.
    assert moved_deadline(T, T, T + day, NOW) == T + day
    # Moved so early that the deadline would be past: answers until it starts.
    soon = NOW + timedelta(hours=5)
    assert moved_deadline(T, T - day, soon, NOW) == soon
    # The old deadline had passed: moving the meeting opens answers again.
    late = T - timedelta(hours=2)
    assert moved_deadline(T, T - day, T + 2 * day, late) == T + day
    an_hour_later = T + timedelta(hours=1)
    assert moved_deadline(T, T - day, an_hour_later, late) == an_hour_later
    for new_start in (T + day, T - day, soon):
        moved = moved_deadline(T, T - day, new_start, NOW)
        assert NOW < moved <= new_start


def test_the_calendar_file_is_in_local_time_with_its_zone_and_follows_rfc_5546() -> None:
    made = NOW + timedelta(minutes=5)
    data = ics(meeting(agenda="方案；费用"), "Asia/Shanghai", stamp=made, organiser="张主任")
    text = data.decode()
    assert "DTSTART;TZID=Asia/Shanghai:20261125T193000" in text
    assert "DTEND;TZID=Asia/Shanghai:20261125T213000" in text
    assert "ORGANIZER;CN=张主任:" in text
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    request = read_calendar(data)
    assert (request.method, request.status, request.sequence) == ("REQUEST", "CONFIRMED", 0)
    assert request.uid == "meeting-7@shangliang"
    assert request.zones == {"Asia/Shanghai"}
    assert request.stamp == made
    assert request.start == T

    moved = read_calendar(
        ics(meeting(starts_at=T + timedelta(days=1), sequence=1), "Asia/Shanghai", stamp=made)
    )
    assert (moved.uid, moved.sequence, moved.start) == (request.uid, 1, T + timedelta(days=1))
    cancelled = read_calendar(
        ics(meeting(status=MeetingStatus.CANCELLED, sequence=2), "Asia/Shanghai", stamp=made)
    )
    assert (cancelled.method, cancelled.status) == ("CANCEL", "CANCELLED")
    assert (cancelled.uid, cancelled.sequence) == (request.uid, 2)


@pytest.mark.parametrize(
    "zone", ["America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
)
def test_the_calendar_file_defines_every_zone_it_names(zone: str) -> None:
    read = read_calendar(ics(meeting(), zone, stamp=NOW))  # checks VTIMEZONE per TZID
    assert read.start == T
    assert read.zones == (set() if zone == "UTC" else {zone})


async def test_generated_files_by_prefix() -> None:
    files = GeneratedFiles()

    async def maker(argument: str) -> tuple[str, bytes]:
        if argument != "1":
            raise FileNotAvailable(argument)
        return "a.ics", b"x"

    files.register("meeting-ics", maker)
    assert await files.make("meeting-ics:1") == ("a.ics", b"x")
    with pytest.raises(FileNotAvailable):
        await files.make("meeting-ics:2")
    with pytest.raises(FileNotAvailable):
        await files.make("other:1")
