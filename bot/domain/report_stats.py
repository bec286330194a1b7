"""Numbers about reports for staff and exports (pure): times to accept and resolve, share
resolved in time, satisfaction, open tickets per grid and category.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from statistics import median

from bot.domain.models import Frozen
from bot.domain.reports import RATING_SCORE, Rating, Ticket

NO_GRID = "—"
SATISFIED = (Rating.VERY_SATISFIED, Rating.SATISFIED)


def hours_between(start: datetime, end: datetime | None) -> float | None:
    """Hours from `start` to `end`, one decimal; None while `end` has not happened."""
    if end is None:
        return None
    return round((end - start).total_seconds() / 3600, 1)


def accepted_in_time(ticket: Ticket) -> bool | None:
    """Whether it was accepted by its deadline; None while it waits."""
    if ticket.accepted_at is None:
        return None
    return ticket.accepted_at <= ticket.accept_by


def resolved_in_time(ticket: Ticket) -> bool | None:
    """Whether it was resolved by its (latest) deadline; None if never resolved."""
    if ticket.resolved_at is None:
        return None
    return ticket.resolved_at <= ticket.resolve_by


class ReportStats(Frozen):
    """What /stats shows."""

    open_by_grid: dict[str, int]
    open_by_category: dict[str, int]
    filed: int
    median_accept_hours: float | None
    median_resolve_hours: float | None
    resolved: int
    resolved_in_time: int
    ratings: dict[str, int]

    @property
    def in_time_share(self) -> float | None:
        """Resolved in time / resolved."""
        return self.resolved_in_time / self.resolved if self.resolved else None

    @property
    def satisfied_share(self) -> float | None:
        """(Very) satisfied / rated."""
        rated = sum(self.ratings.values())
        happy = sum(self.ratings.get(r.value, 0) for r in SATISFIED)
        return happy / rated if rated else None

    @property
    def mean_score(self) -> float | None:
        """Average rating, 1 (unsatisfied) to 4 (very satisfied)."""
        rated = sum(self.ratings.values())
        if not rated:
            return None
        total = sum(RATING_SCORE[Rating(name)] * count for name, count in self.ratings.items())
        return round(total / rated, 2)


def _median(values: Iterable[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return round(median(present), 1) if present else None


def report_stats(
    open_tickets: Iterable[Ticket],
    period: Iterable[Ticket],
    grid_of_building: Mapping[int, str],
) -> ReportStats:
    """Open tickets now, and how the tickets filed in a period went."""
    open_list = list(open_tickets)
    filed = list(period)
    resolved = [t for t in filed if t.resolved_at is not None]
    return ReportStats(
        open_by_grid=dict(
            sorted(
                Counter(grid_of_building.get(t.building_id, NO_GRID) for t in open_list).items()
            )
        ),
        open_by_category=dict(Counter(t.category.value for t in open_list).most_common()),
        filed=len(filed),
        median_accept_hours=_median(hours_between(t.created_at, t.accepted_at) for t in filed),
        median_resolve_hours=_median(hours_between(t.created_at, t.resolved_at) for t in filed),
        resolved=len(resolved),
        resolved_in_time=sum(1 for t in resolved if resolved_in_time(t)),
        ratings={
            rating.value: count
            for rating in Rating
            if (count := sum(1 for t in filed if t.rating is rating))
        },
    )
