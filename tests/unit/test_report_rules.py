"""The pure rules of reports: transitions, service levels, reminders, red lights, numbers."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from bot.app.config import ConfigError, settings_from_mapping
from bot.domain.report_stats import hours_between, report_stats, resolved_in_time
from bot.domain.reports import (
    DEFAULT_LEVELS,
    OPEN,
    BadTransition,
    EventKind,
    Level,
    PlaceKind,
    Rating,
    ReasonNeeded,
    ReportCategory,
    ReportPlace,
    ServiceLevels,
    Stage,
    Ticket,
    TicketEvent,
    TicketStatus,
    Urgency,
    allowed_next,
    check_transition,
    deadlines,
    media_seen_by_household,
    next_deadline,
    overdue,
    reminder_time,
    seen_by_household,
    similar_key,
    stage_met,
    ticket_number,
    ticket_year,
    worker_moves,
)

NOON = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def ticket(**changes: object) -> Ticket:
    base = {
        "id": 1,
        "number": "R-2026-0001",
        "category": ReportCategory.WATER,
        "urgency": Urgency.NORMAL,
        "status": TicketStatus.SUBMITTED,
        "description": "",
        "reporter_id": 1,
        "household_id": 1,
        "building_id": 1,
        "compound_id": 1,
        "place": ReportPlace(kind=PlaceKind.HOME),
        "assignee_id": None,
        "accept_by": NOON + timedelta(hours=24),
        "resolve_by": NOON + timedelta(hours=72),
        "created_at": NOON,
    }
    return Ticket.model_validate(base | changes)


# ---------------------------------------------------------------------------- statuses


def test_the_normal_path_and_its_branches_are_allowed() -> None:
    path = [
        TicketStatus.SUBMITTED,
        TicketStatus.ACCEPTED,
        TicketStatus.IN_PROGRESS,
        TicketStatus.RESOLVED,
        TicketStatus.CLOSED,
    ]
    for current, target in itertools.pairwise(path):
        check_transition(current, target, "")
    check_transition(TicketStatus.RESOLVED, TicketStatus.REOPENED, "still leaking")
    check_transition(TicketStatus.REOPENED, TicketStatus.RESOLVED, "")
    check_transition(TicketStatus.SUBMITTED, TicketStatus.DUPLICATE, "same as R-2026-0001")


@pytest.mark.parametrize(
    "final", [TicketStatus.CLOSED, TicketStatus.REJECTED, TicketStatus.DUPLICATE]
)
def test_closed_rejected_and_duplicate_are_final(final: TicketStatus) -> None:
    assert allowed_next(final) == frozenset()
    with pytest.raises(BadTransition):
        check_transition(final, TicketStatus.REOPENED, "why")


def test_a_ticket_cannot_skip_back_or_be_reopened_before_it_is_resolved() -> None:
    with pytest.raises(BadTransition):
        check_transition(TicketStatus.IN_PROGRESS, TicketStatus.ACCEPTED, "")
    with pytest.raises(BadTransition):
        check_transition(TicketStatus.ACCEPTED, TicketStatus.REOPENED, "")
    with pytest.raises(BadTransition):
        check_transition(TicketStatus.SUBMITTED, TicketStatus.CLOSED, "")


@pytest.mark.parametrize("target", [TicketStatus.REJECTED, TicketStatus.DUPLICATE])
def test_rejecting_or_marking_a_duplicate_needs_a_reason(target: TicketStatus) -> None:
    with pytest.raises(ReasonNeeded):
        check_transition(TicketStatus.SUBMITTED, target, "   ")
    check_transition(TicketStatus.SUBMITTED, target, "not ours")


def test_numbers_are_per_community_year() -> None:
    assert ticket_number(2026, 42) == "R-2026-0042"
    assert ticket_number(2027, 12345) == "R-2027-12345"
    new_year_utc = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 00:30 on 1 January in Shanghai
    assert ticket_year(new_year_utc, "Asia/Shanghai") == 2027
    assert ticket_year(new_year_utc, "UTC") == 2026


# ---------------------------------------------------------------------------- service levels


def test_deadlines_follow_the_urgency_unless_the_category_overrides_them() -> None:
    levels = ServiceLevels(
        by_urgency=DEFAULT_LEVELS.by_urgency,
        by_category={
            "elevator": Level(accept_hours=4, resolve_hours=48),
            "elevator/high": Level(accept_hours=1, resolve_hours=12),
        },
    )
    due = deadlines(NOON, ReportCategory.WATER, Urgency.HIGH, levels)
    assert (due.accept_by - NOON, due.resolve_by - NOON) == (
        timedelta(hours=2),
        timedelta(hours=24),
    )
    due = deadlines(NOON, ReportCategory.ELEVATOR, Urgency.NORMAL, levels)
    assert (due.accept_by - NOON, due.resolve_by - NOON) == (
        timedelta(hours=4),
        timedelta(hours=48),
    )
    due = deadlines(NOON, ReportCategory.ELEVATOR, Urgency.HIGH, levels)
    assert (due.accept_by - NOON, due.resolve_by - NOON) == (
        timedelta(hours=1),
        timedelta(hours=12),
    )


def test_the_reminder_comes_when_a_quarter_of_the_time_is_left() -> None:
    deadline = NOON + timedelta(hours=24)
    assert reminder_time(NOON, deadline, DEFAULT_LEVELS) == NOON + timedelta(hours=18)
    half = DEFAULT_LEVELS.model_copy(update={"remind_before": 0.5})
    assert reminder_time(NOON, deadline, half) == NOON + timedelta(hours=12)


def test_which_deadline_is_met_and_which_is_missed() -> None:
    assert not stage_met(Stage.ACCEPT, TicketStatus.SUBMITTED)
    assert stage_met(Stage.ACCEPT, TicketStatus.ACCEPTED)
    assert stage_met(Stage.ACCEPT, TicketStatus.REJECTED)
    assert not stage_met(Stage.RESOLVE, TicketStatus.IN_PROGRESS)
    assert not stage_met(Stage.RESOLVE, TicketStatus.REOPENED)
    assert stage_met(Stage.RESOLVE, TicketStatus.RESOLVED)
    assert {status for status in TicketStatus if not stage_met(Stage.RESOLVE, status)} == OPEN

    waiting = ticket()
    assert next_deadline(waiting) == waiting.accept_by
    assert overdue(waiting, waiting.accept_by - timedelta(seconds=1)) is None
    assert overdue(waiting, waiting.accept_by) is Stage.ACCEPT
    accepted = ticket(status=TicketStatus.ACCEPTED)
    assert next_deadline(accepted) == accepted.resolve_by
    assert overdue(accepted, accepted.accept_by + timedelta(hours=1)) is None
    assert overdue(accepted, accepted.resolve_by) is Stage.RESOLVE
    assert overdue(ticket(status=TicketStatus.RESOLVED), NOON + timedelta(days=30)) is None


def test_similar_reports_are_compared_by_compound_spot_or_by_building() -> None:
    road = ReportPlace(kind=PlaceKind.COMPOUND, spot="road")
    assert similar_key(ReportCategory.ROADS, road) == ("compound", "road")
    for place in (
        ReportPlace(kind=PlaceKind.HOME),
        ReportPlace(kind=PlaceKind.BUILDING, spot="stairwell"),
        ReportPlace(kind=PlaceKind.OTHER, note="x"),
    ):
        assert similar_key(ReportCategory.LIGHTING, place) == ("building", None)


def test_service_levels_in_the_config_are_checked() -> None:
    settings = settings_from_mapping(
        {
            "service_levels": {
                "high": {"accept_hours": 1, "resolve_hours": 8},
                "categories": {"elevator/high": {"accept_hours": 0.5, "resolve_hours": 4}},
            }
        }
    )
    levels = settings.service_levels.levels()
    assert levels.level(ReportCategory.ELEVATOR, Urgency.HIGH).accept_hours == 0.5
    assert levels.level(ReportCategory.WATER, Urgency.HIGH).resolve_hours == 8
    with pytest.raises(ConfigError, match=r"service_levels\.categories: .lift.: use a category"):
        settings_from_mapping(
            {"service_levels": {"categories": {"lift": {"accept_hours": 1, "resolve_hours": 2}}}}
        )
    with pytest.raises(ConfigError, match="resolve_hours must not be shorter"):
        settings_from_mapping(
            {"service_levels": {"low": {"accept_hours": 10, "resolve_hours": 2}}}
        )
    with pytest.raises(ConfigError, match=r"service_levels\.remind_before"):
        settings_from_mapping({"service_levels": {"remind_before": 1.5}})


# ---------------------------------------------------------------------------- numbers


def test_stats_count_open_tickets_and_measure_the_period() -> None:
    fast = ticket(
        id=1,
        status=TicketStatus.CLOSED,
        accepted_at=NOON + timedelta(hours=1),
        resolved_at=NOON + timedelta(hours=10),
        rating=Rating.VERY_SATISFIED,
    )
    late = ticket(
        id=2,
        status=TicketStatus.CLOSED,
        accepted_at=NOON + timedelta(hours=3),
        resolved_at=NOON + timedelta(hours=80),
        rating=Rating.UNSATISFIED,
    )
    waiting = ticket(id=3, building_id=2, category=ReportCategory.ROOF)
    working = ticket(id=4, status=TicketStatus.IN_PROGRESS, accepted_at=NOON + timedelta(hours=5))
    stats = report_stats([waiting, working], [fast, late, waiting, working], {1: "第一网格"})
    assert stats.open_by_grid == {"—": 1, "第一网格": 1}
    assert stats.open_by_category == {"roof": 1, "water": 1}
    assert stats.filed == 4
    assert stats.median_accept_hours == 3.0  # of 1, 3 and 5
    assert stats.median_resolve_hours == 45.0  # of 10 and 80
    assert (stats.resolved, stats.resolved_in_time, stats.in_time_share) == (2, 1, 0.5)
    assert stats.ratings == {"very_satisfied": 1, "unsatisfied": 1}
    assert stats.satisfied_share == 0.5
    assert stats.mean_score == 2.5


def test_stats_of_nothing_are_empty_not_zero() -> None:
    stats = report_stats([], [], {})
    assert stats.median_accept_hours is None
    assert stats.in_time_share is None
    assert stats.satisfied_share is None
    assert stats.mean_score is None


def test_hours_and_in_time_at_the_boundary() -> None:
    assert hours_between(NOON, None) is None
    assert hours_between(NOON, NOON + timedelta(minutes=90)) == 1.5
    on_time = ticket(resolved_at=NOON + timedelta(hours=72))
    assert resolved_in_time(on_time) is True
    assert resolved_in_time(ticket(resolved_at=NOON + timedelta(hours=72, seconds=1))) is False
    assert resolved_in_time(ticket()) is None


def test_the_status_buttons_a_grid_worker_gets_and_when_a_rating_is_awaited() -> None:
    assert worker_moves(TicketStatus.SUBMITTED) == [
        TicketStatus.ACCEPTED,
        TicketStatus.IN_PROGRESS,
        TicketStatus.RESOLVED,
        TicketStatus.REJECTED,
        TicketStatus.DUPLICATE,
    ]
    assert worker_moves(TicketStatus.IN_PROGRESS) == [TicketStatus.RESOLVED, TicketStatus.REJECTED]
    assert worker_moves(TicketStatus.RESOLVED) == []  # closing and reopening are the resident's
    assert ticket(status=TicketStatus.RESOLVED).awaiting_rating
    assert not ticket(status=TicketStatus.RESOLVED, rating=Rating.FAIR).awaiting_rating
    assert not ticket(status=TicketStatus.CLOSED).awaiting_rating


def entry(kind: EventKind, note: str = "note") -> TicketEvent:
    return TicketEvent(id=1, ticket_id=1, kind=kind, at=NOON, actor_id=7, note=note)


@pytest.mark.parametrize("kind", [kind for kind in EventKind if kind is not EventKind.JOIN])
def test_the_reporting_household_sees_every_entry_but_what_others_said_joining(
    kind: EventKind,
) -> None:
    assert seen_by_household(entry(kind), reporter=True, own=False) == entry(kind)
    joined = seen_by_household(entry(EventKind.JOIN), reporter=True, own=False)
    assert joined is not None
    assert joined.note == ""


@pytest.mark.parametrize(
    ("kind", "seen"),
    [
        (EventKind.CREATED, "note"),
        (EventKind.STATUS, "note"),
        (EventKind.ASSIGN, "note"),
        (EventKind.ESCALATION, "note"),
        (EventKind.QUESTION, None),
        (EventKind.ANSWER, None),
        (EventKind.RATING, None),
        (EventKind.JOIN, ""),  # another household's "+1", without what it said
    ],
)
def test_a_household_that_joined_sees_the_public_entries(
    kind: EventKind, seen: str | None
) -> None:
    shown = seen_by_household(entry(kind), reporter=False, own=False)
    assert (shown.note if shown else None) == seen
    assert seen_by_household(entry(kind), reporter=False, own=True) == entry(kind)


def test_media_are_seen_by_the_household_they_came_from() -> None:
    assert media_seen_by_household(None, reporter=True, own=False)
    assert not media_seen_by_household(None, reporter=False, own=False)
    join = entry(EventKind.JOIN)
    assert media_seen_by_household(join, reporter=False, own=True)
    assert not media_seen_by_household(join, reporter=True, own=False)
    answer = entry(EventKind.ANSWER)
    assert media_seen_by_household(answer, reporter=True, own=False)
    assert not media_seen_by_household(answer, reporter=False, own=False)
