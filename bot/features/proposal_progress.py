"""A proposal as staff and grid workers follow it: its progress against every threshold, the
door-to-door list of households that have not answered (a grid worker sees their grid's), the
export (XLSX and CSV, staff), cancelling before it opens, and its files. The vote service
re-checks every role and every id."""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Ctx
from bot.documents.vote_export import proposal_table, table_csv, table_xlsx
from bot.domain.homes import paginate
from bot.domain.models import Role
from bot.domain.votes import Phase
from bot.features.paper import PaperAction
from bot.features.proposal import files_reply
from bot.features.vote_texts import missing_texts, progress_texts
from bot.interaction.payload import Feature, Payload, payload
from bot.interaction.screen import Made, Option, Reply, Screen, option, reply, screen, text
from bot.services.votes import Progress

MISSING_PAGE = 30  # households a page of the door-to-door list


class ProgressAction(StrEnum):
    """The progress card's buttons (codes already on buttons sent: never change one)."""

    OPEN = "sp"
    MISSING = "pl"  # the door-to-door list, as a new message
    MISSING_PAGE = "pn"  # another page of it, in place
    EXPORT = "px"
    CANCEL = "pc"
    FILES = "sf"


async def card(ctx: Ctx, progress: Progress) -> Screen:
    """Progress and the buttons staff and grid workers need."""
    votes = ctx.services.votes
    buildings = await votes.worker_buildings(ctx.user)
    proposal = progress.proposal
    phase = proposal.phase(votes.now())
    vote = Feature.VOTE
    rows: list[tuple[Option, ...]] = [
        (option(payload(vote, ProgressAction.MISSING, proposal.id, 0), "vote.missing_button"),)
    ]
    if phase is Phase.OPEN:
        paper = payload(vote, PaperAction.PICK, proposal.id, 0)
        rows.append((option(paper, "vote.paper_button"),))
    if ctx.user.has_role(Role.STAFF):
        export = payload(vote, ProgressAction.EXPORT, proposal.id)
        rows.append((option(export, "vote.export_button"),))
        if phase is Phase.SCHEDULED:
            cancel = payload(vote, ProgressAction.CANCEL, proposal.id)
            rows.append((option(cancel, "vote.cancel_vote"),))
    if proposal.attachments:
        files = payload(vote, ProgressAction.FILES, proposal.id)
        rows.append((option(files, "vote.files_button", n=len(proposal.attachments)),))
    texts = progress_texts(progress, buildings, votes.now(), votes.timezone)
    return screen(*texts, options=tuple(rows), replace=False)


async def missing(ctx: Ctx, proposal_id: int, page: int, *, new: bool) -> Reply:
    """A page of the households that have not answered, by building and unit."""
    votes = ctx.services.votes
    progress = await votes.progress(ctx.user, proposal_id)
    rows = progress.unanswered(await votes.worker_buildings(ctx.user))
    shown, page, pages = paginate(rows, page, MISSING_PAGE)
    options: tuple[tuple[Option, ...], ...] = ()
    if pages > 1:
        turn = ProgressAction.MISSING_PAGE
        options = (
            (
                option(payload(Feature.VOTE, turn, proposal_id, (page - 1) % pages), "reg.prev"),
                option(payload(Feature.VOTE, turn, proposal_id, (page + 1) % pages), "reg.next"),
            ),
        )
    texts = missing_texts(shown, len(rows), page, pages)
    return reply(screen(*texts, options=options, replace=not new))


async def export(ctx: Ctx, proposal_id: int) -> Reply:
    """Every household, its answer, when, and who recorded it: XLSX and CSV (staff), made off
    the event loop."""
    services = ctx.services
    progress = await services.votes.for_export(ctx.user, proposal_id)
    language = services.users.language_of(ctx.user)
    rows = await proposal_table(services.votes, progress, language)
    name = f"proposal-{progress.proposal.id}"
    xlsx = await services.offload(table_xlsx, rows)
    csv = await services.offload(table_csv, rows)
    return reply(
        screen(attachment=Made(kind="document", name=f"{name}.xlsx", content=xlsx), replace=False),
        screen(attachment=Made(kind="document", name=f"{name}.csv", content=csv), replace=False),
    )


async def press(ctx: Ctx, pressed: Payload) -> Reply:
    """One of the progress card's buttons."""
    votes = ctx.services.votes
    action = pressed.action
    proposal_id = pressed.number(0)
    if action in (ProgressAction.MISSING, ProgressAction.MISSING_PAGE):
        new = action == ProgressAction.MISSING
        return await missing(ctx, proposal_id, pressed.number(1), new=new)
    if action == ProgressAction.EXPORT:
        return await export(ctx, proposal_id)
    if action == ProgressAction.CANCEL:
        cancelled = await votes.cancel_proposal(ctx.user, proposal_id)
        return reply(
            screen(text("vote.cancelled", title=cancelled.title)), notice=text("vote.changed")
        )
    progress = await votes.progress(ctx.user, proposal_id)
    if action == ProgressAction.FILES:
        return files_reply(progress.proposal.attachments)
    return reply(await card(ctx, progress))
