"""➕ New proposal, for staff: title → text → scope → places → the rule it is decided by
(custom: thresholds typed next) → files (PDF plans, cost tables, photos; Done) → cost sharing
("total; floor coefficients", or skip) → opening → closing → preview with how many households
it concerns → Confirm. Back and Cancel work at every step; the draft is the engine's session,
so it survives a restart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.dialogs.engine import Ctx, End, Flow, Outcome, Redo, Step
from bot.dialogs.steps import Answer, advance, answer, asks, fixed
from bot.dialogs.vote_steps import (
    VoteAsk,
    closes_step,
    opens_step,
    places_step,
    scope_step,
    timezone,
    title_step,
)
from bot.domain.consent import RuleKind
from bot.domain.errors import DomainError
from bot.domain.messages import Attachment
from bot.domain.proposal_form import FILE_KINDS, ProposalForm
from bot.domain.vote_form import DraftIncomplete
from bot.domain.votes import MAX_ATTACHMENTS, ProposalDraft
from bot.domain.wording import money_exact, time_words
from bot.interaction.payload import Feature
from bot.interaction.screen import Reply, Text, reply, screen, text

PREFIX = "vote.ask_proposal"
DONE = "done"
SKIP = "skip"
CONFIRM = "ok"


async def typed_body(ctx: Ctx, form: ProposalForm, words: str) -> Outcome[ProposalForm]:
    return advance(form.described(words))


async def chose_rule(ctx: Ctx, form: ProposalForm, value: str) -> Outcome[ProposalForm]:
    return advance(form.ruled(RuleKind(value)))


async def typed_thresholds(ctx: Ctx, form: ProposalForm, words: str) -> Outcome[ProposalForm]:
    return advance(form.with_thresholds(words))


# ---------------------------------------------------------------------------- files, cost


async def ask_files(ctx: Ctx, form: ProposalForm, state: dict[str, Any]) -> list[Text]:
    return [text(f"{PREFIX}_files", count=len(form.files), max=MAX_ATTACHMENTS)]


async def files_done(ctx: Ctx, form: ProposalForm) -> list[list[Answer]]:
    return [[answer(DONE, "vote.done", count=len(form.files))]]


async def got_file(
    ctx: Ctx, form: ProposalForm, file: Attachment, state: dict[str, Any]
) -> Outcome[ProposalForm]:
    return Redo(form.with_file(file))


async def no_more_files(ctx: Ctx, form: ProposalForm, value: str) -> Outcome[ProposalForm]:
    return advance(form)


async def typed_cost(ctx: Ctx, form: ProposalForm, words: str) -> Outcome[ProposalForm]:
    return advance(form.costed(words))


async def chose_no_cost(ctx: Ctx, form: ProposalForm, value: str) -> Outcome[ProposalForm]:
    return advance(form.not_costed())


# ---------------------------------------------------------------------------- preview


def checked(form: ProposalForm) -> ProposalDraft | None:
    """The proposal as it would be created, or None when the draft does not hold together."""
    try:
        return form.draft()
    except (ValueError, DomainError):
        return None


async def ask_preview(ctx: Ctx, form: ProposalForm, state: dict[str, Any]) -> list[Text]:
    """Everything at once, with how many households it concerns."""
    proposal = checked(form)
    if proposal is None:
        return [text("vote.bad_draft")]
    reach = await ctx.services.broadcasts.reach(ctx.user, proposal.scope)
    cost = proposal.total_cost_fen
    zone = timezone(ctx)
    return [
        text(
            "vote.preview_proposal",
            title=proposal.title,
            body=proposal.body,
            rule=text(f"vote.rule_{proposal.rule.kind.value}"),
            files=len(proposal.attachments),
            cost=money_exact(cost) if cost is not None else "—",
            households=reach.households,
            opens=time_words(proposal.opens_at, zone),
            closes=time_words(proposal.closes_at, zone),
        )
    ]


async def confirm(ctx: Ctx, form: ProposalForm) -> list[list[Answer]]:
    return [[answer(CONFIRM, "vote.confirm")]] if checked(form) is not None else []


async def publish(ctx: Ctx, form: ProposalForm) -> Reply:
    """Create the proposal: it opens at its time and the households are told (a DomainError
    if a rule says no: the author stays on the preview)."""
    proposal = checked(form)
    if proposal is None:
        raise DraftIncomplete()
    created = await ctx.services.votes.create_proposal(ctx.user, proposal)
    return reply(screen(text("vote.proposal_created", id=created.id, title=created.title)))


async def confirmed(ctx: Ctx, form: ProposalForm, value: str) -> Outcome[ProposalForm]:
    return End(await publish(ctx, form))


class ProposalCreateFlow(Flow[ProposalForm]):
    """The proposal flow."""

    feature = Feature.PROPOSAL_CREATE
    draft_type = ProposalForm
    cancelled = "vote.cancelled_draft"
    counted = True  # "第 2/9 步" on each step before the preview (the engine)
    sub_steps = frozenset({"places", "custom"})  # asked as part of the step before
    unnumbered = frozenset({"preview"})
    steps: Sequence[Step[ProposalForm]] = (
        title_step(PREFIX, ProposalForm),
        VoteAsk(name="body", prompt=asks(f"{PREFIX}_body"), typed=typed_body),
        scope_step(PREFIX, ProposalForm),
        places_step(ProposalForm),
        VoteAsk(
            name="rule",
            prompt=asks(f"{PREFIX}_rule"),
            answers=fixed([[answer(kind.value, f"vote.rule_{kind.value}")] for kind in RuleKind]),
            chose=chose_rule,
        ),
        VoteAsk(
            name="custom",
            prompt=asks(f"{PREFIX}_custom"),
            typed=typed_thresholds,
            when=lambda form: form.is_custom,
        ),
        VoteAsk(
            name="files",
            prompt=ask_files,
            answers=files_done,
            chose=no_more_files,
            media=got_file,
            media_kinds=FILE_KINDS,
        ),
        VoteAsk(
            name="cost",
            prompt=asks(f"{PREFIX}_cost"),
            answers=fixed([[answer(SKIP, "notice.skip")]]),
            chose=chose_no_cost,
            typed=typed_cost,
        ),
        opens_step(PREFIX, ProposalForm),
        closes_step(PREFIX, ProposalForm),
        VoteAsk(name="preview", prompt=ask_preview, answers=confirm, chose=confirmed),
    )

    async def finish(self, ctx: Ctx, draft: ProposalForm) -> Reply:
        """Only after a preview that asks nothing (it always asks): publish."""
        return await publish(ctx, draft)
