"""🏢 A building lead's view of the building's open problems (no rooms, no names), and /stats
for staff: open tickets per grid and category; how those filed lately went (times, deadlines
kept, satisfaction)."""

from __future__ import annotations

from bot.dialogs.engine import Ctx, refusal
from bot.dialogs.report import spoken
from bot.domain.errors import DomainError
from bot.domain.ticket_form import stats_days
from bot.interaction.screen import Keyboard, Reply, Text, reply, screen, text


def refused(error: DomainError) -> Reply:
    """Why not, with the main menu."""
    return reply(screen(refusal(error), keyboard=Keyboard.MAIN_MENU, replace=False))


async def show_building(ctx: Ctx) -> Reply:
    """🏢 The open tickets of the buildings the lead looks after, one card each."""
    reports = ctx.services.reports
    try:
        tickets = await reports.led(ctx.user)
    except DomainError as error:
        return refused(error)
    texts = [text("report.building_title", count=len(tickets))]
    for ticket in tickets:
        card = await reports.card(ticket, "report.card_lead", private=False)
        texts.append(text("dialog.paragraph", words=spoken(card)))
    return reply(screen(*texts, keyboard=Keyboard.MAIN_MENU, replace=False))


def lines(named: list[tuple[str | Text, int]]) -> str | Text:
    """ "  name: count" lines, one below another ("  —" when there are none)."""
    if not named:
        return "  —"
    said = [text("report.stats_line", name=name, count=count) for name, count in named]
    joined = said[0]
    for line in said[1:]:
        joined = text("report.stats_lines", first=joined, second=line)
    return joined


def share(value: float | None) -> str:
    """ "83%" or "—"."""
    return "—" if value is None else f"{value:.0%}"


def hours(value: float | None) -> str | Text:
    """ "2.0 小时" or "—"."""
    if value is None:
        return "—"
    return text("dialog.pair", first=str(value), second=text("report.hours"))


async def show_stats(ctx: Ctx, args: tuple[str, ...] = ()) -> Reply:
    """📊 or /stats [days]: staff only."""
    days = stats_days(args)
    if days is None:
        return reply(screen(text("report.stats_usage"), replace=False))
    try:
        stats = await ctx.services.reports.stats(ctx.user, days)
    except DomainError as error:
        return refused(error)
    shown = text(
        "report.stats",
        days=days,
        open=sum(stats.open_by_grid.values()),
        by_grid=lines(list(stats.open_by_grid.items())),
        by_category=lines(
            [(text(f"report.cat_{name}"), count) for name, count in stats.open_by_category.items()]
        ),
        filed=stats.filed,
        accept=hours(stats.median_accept_hours),
        resolve=hours(stats.median_resolve_hours),
        resolved=stats.resolved,
        in_time=share(stats.in_time_share),
        satisfied=share(stats.satisfied_share),
        ratings=lines(
            [(text(f"report.rating_{name}"), count) for name, count in stats.ratings.items()]
        ),
    )
    return reply(screen(shown, keyboard=Keyboard.MAIN_MENU, replace=False))
