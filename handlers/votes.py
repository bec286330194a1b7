"""🗳 Votes: a household orders from a renovation menu (toggle ✅, "2/3 chosen", Submit) and
answers proposals (agree / disagree / abstain, with the text, attachments and its own share of
the cost first); staff follow results and progress, see the door-to-door list, download the
chart and the export; grid workers enter answers given on paper.

The ticks of an unsent ballot live in the buttons themselves (a bitmask in the callback data),
so toggling writes nothing; Submit re-checks everything against the database.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.documents.vote_chart import menu_chart
from bot.documents.vote_export import proposal_table, table_csv, table_xlsx
from bot.domain.consent import Answer, Dimension, Result, RuleKind
from bot.domain.errors import DomainError
from bot.domain.homes import paginate
from bot.domain.models import Role
from bot.domain.reports import local_text
from bot.domain.votes import (
    AnswerRecord,
    Menu,
    MenuResult,
    Phase,
    Proposal,
    RosterRow,
    SelectionRule,
    percent,
    yuan,
)
from bot.features.ballot import results_texts
from bot.i18n import all_labels
from bot.interaction.words import paragraphs
from bot.services.votes import FEATURE, Progress, Standing
from handlers.callback_data import BadCallback, CallbackData, PressHandler, pack, unpack
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.replies import answered, edit, pressed, refuse
from handlers.start import require_message
from handlers.steps import button

PAGE = 8
FLAGS = ("lives_alone", "elderly", "disabled")


def when(context: BotContext, moment: datetime) -> str:
    """A time in community time."""
    return local_text(moment, context.services.votes.timezone)


# ---------------------------------------------------------------------------- the list


async def show_votes(update: Update, context: BotContext) -> None:
    """🗳: staff and grid workers get what they manage; everyone with a household the votes
    of its scope."""
    message = require_message(update)
    votes = context.services.votes
    account = context.account
    manager = account is not None and account.has_role(Role.GRID_WORKER)
    if manager:
        text, markup = await managed_view(context)
        await message.reply_text(text, reply_markup=markup)
    try:
        menus = await votes.open_menus(account)
        proposals = await votes.open_proposals(account)
    except DomainError as error:
        if not manager:
            await refuse(update, context, error)
        return
    if not menus and not proposals:
        if not manager:
            await message.reply_text(
                context.t("vote.none"), reply_markup=main_menu(context.lang, account)
            )
        return
    rows = list_rows(context, menus, "mo") + list_rows(context, proposals, "po")
    await message.reply_text(context.t("vote.list_title"), reply_markup=InlineKeyboardMarkup(rows))


def list_rows(
    context: BotContext, votes: Sequence[Menu] | Sequence[Proposal], action: str
) -> list[list[InlineKeyboardButton]]:
    """One button a vote, its phase in the label; `action` opens it."""
    now = context.services.votes.now()
    return [
        [
            button(
                context,
                FEATURE,
                f"vote.list_{'menu' if isinstance(vote, Menu) else 'proposal'}"
                f"_{vote.phase(now).value}",
                action,
                vote.id,
                title=vote.title[:40],
            )
        ]
        for vote in votes
    ]


async def managed_view(context: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    """Menus (staff) and proposals (staff and grid workers), with the New buttons for staff."""
    votes = context.services.votes
    account = context.account
    staff = account is not None and account.has_role(Role.STAFF)
    rows: list[list[InlineKeyboardButton]] = []
    if staff:
        rows += list_rows(context, (await votes.managed_menus(account))[:10], "sm")
    rows += list_rows(context, (await votes.managed_proposals(account))[:10], "sp")
    count = len(rows)
    if staff:
        rows.append(
            [
                button(context, "vc", "vote.new_menu", "new", "menu"),
                button(context, "vc", "vote.new_proposal", "new", "proposal"),
            ]
        )
    return context.t("vote.manage_title", count=count), InlineKeyboardMarkup(rows)


# ---------------------------------------------------------------------------- menu ballots


def results_text(context: BotContext, menu: Menu, result: MenuResult) -> str:
    """A menu's results in the user's language (the core's texts)."""
    return paragraphs(context.lang, results_texts(menu, result))


async def menu_photos(update: Update, context: BotContext) -> None:
    """The items' photos as an album."""
    votes = context.services.votes
    ballot = await answered(update, context, lambda d: votes.ballot(context.account, d.int_arg(0)))
    if ballot is None:
        return
    photos = [item for item in ballot.menu.items if item.photo]
    media = [
        InputMediaPhoto(item.photo.ref, caption=item.title) for item in photos[:10] if item.photo
    ]
    if len(media) == 1:
        await require_message(update).reply_photo(media[0].media, caption=photos[0].title)
    elif media:
        await require_message(update).reply_media_group(media)


# ---------------------------------------------------------------------------- proposals


def standing_text(context: BotContext, standing: Standing) -> str:
    """The proposal as a household reads it: text, rule, its share, its answer."""
    proposal = standing.proposal
    lines = [
        context.t(
            "vote.proposal_head",
            title=proposal.title,
            body=proposal.body,
            closes=when(context, proposal.closes_at),
            rule=context.label(f"vote.rule_{proposal.rule.kind.value}"),
        )
    ]
    if standing.share_fen is not None:
        lines.append(
            context.t(
                "vote.your_share",
                share=yuan(standing.share_fen),
                total=yuan(proposal.total_cost_fen or 0),
            )
        )
    if standing.answer is not None:
        key = "vote.your_answer_paper" if standing.answer.on_paper else "vote.your_answer"
        lines.append(
            context.t(
                key,
                answer=context.label(f"vote.answer_{standing.answer.answer.value}"),
                name=standing.answered_by or "—",
                at=when(context, standing.answer.at),
            )
        )
    else:
        lines.append(context.t("vote.not_answered"))
    if standing.phase is not Phase.OPEN:
        lines.append(context.t("vote.proposal_closed_note"))
    return "\n".join(lines)


def standing_markup(context: BotContext, standing: Standing) -> InlineKeyboardMarkup:
    """Agree / disagree / abstain while open, and the attachments."""
    proposal = standing.proposal
    rows: list[list[InlineKeyboardButton]] = []
    if standing.phase is Phase.OPEN:
        current = standing.answer.answer if standing.answer else None
        rows.append(
            [
                InlineKeyboardButton(
                    ("✅ " if answer is current else "")
                    + context.label(f"vote.answer_{answer.value}"),
                    callback_data=pack(FEATURE, "pa", proposal.id, answer.value),
                )
                for answer in Answer
            ]
        )
    if proposal.attachments:
        rows.append(
            [
                button(
                    context,
                    FEATURE,
                    "vote.files_button",
                    "pf",
                    proposal.id,
                    n=len(proposal.attachments),
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


async def open_proposal(update: Update, context: BotContext) -> None:
    """A proposal from the list or its announcement: text, attachments, share, answer."""
    votes = context.services.votes
    standing = await answered(
        update, context, lambda d: votes.standing(context.account, d.int_arg(0))
    )
    if standing is None:
        return
    await require_message(update).reply_text(
        standing_text(context, standing), reply_markup=standing_markup(context, standing)
    )


async def answer(update: Update, context: BotContext) -> None:
    """Agree, disagree or abstain for the household."""
    query = update.callback_query
    votes = context.services.votes

    async def answer_it(data: CallbackData) -> Standing:
        if data.arg(1) not in {a.value for a in Answer}:
            raise BadCallback("not an answer")
        return await votes.answer(context.account, data.int_arg(0), Answer(data.arg(1)))

    standing = await pressed(update, context, answer_it)
    if standing is None:
        return
    await query.answer(context.label("vote.answered_short"))
    await edit(query, standing_text(context, standing), standing_markup(context, standing))


async def proposal_files(update: Update, context: BotContext) -> None:
    """The proposal's attachments (a PDF plan, a cost table…)."""
    votes = context.services.votes
    standing = await answered(
        update, context, lambda d: votes.standing(context.account, d.int_arg(0))
    )
    if standing is None:
        return
    await send_attachments(update, standing.proposal)


async def send_attachments(update: Update, proposal: Proposal) -> None:
    """Send a proposal's files as they were attached."""
    message = require_message(update)
    for attachment in proposal.attachments:
        if attachment.kind == "photo":
            await message.reply_photo(attachment.ref)
        else:
            await message.reply_document(attachment.ref)


# ---------------------------------------------------------------------------- staff: menus


async def manage_menu(update: Update, context: BotContext) -> None:
    """A menu as staff see it: live results, and before opening its rules to change."""
    votes = context.services.votes
    found = await answered(
        update, context, lambda d: votes.staff_results(context.account, d.int_arg(0))
    )
    if found is None:
        return
    text, markup = menu_card(context, *found)
    await require_message(update).reply_text(text, reply_markup=markup)


def menu_card(
    context: BotContext, menu: Menu, result: MenuResult
) -> tuple[str, InlineKeyboardMarkup]:
    """The staff card of a menu."""
    votes = context.services.votes
    phase = menu.phase(votes.now())
    head = context.t(
        "vote.menu_card",
        title=menu.title,
        phase=context.label(f"vote.phase_{phase.value}"),
        opens=when(context, menu.opens_at),
        closes=when(context, menu.closes_at),
        k=menu.max_picks,
        budget=f"{menu.budget:,}" if menu.budget else "—",
        rule=context.label(f"vote.sel_{menu.rule.value}"),
        live=context.label("vote.live_yes" if menu.live else "vote.live_no"),
    )
    rows = [[button(context, FEATURE, "vote.chart_button", "mc", menu.id)]]
    if phase is Phase.SCHEDULED:
        rows.append(
            [
                button(context, FEATURE, "vote.k_less", "mk", menu.id, menu.max_picks - 1),
                button(context, FEATURE, "vote.k_more", "mk", menu.id, menu.max_picks + 1),
            ]
        )
        other = SelectionRule.MES if menu.rule is SelectionRule.GREEDY else SelectionRule.GREEDY
        rows.append(
            [
                button(context, FEATURE, "vote.live_toggle", "ml", menu.id, int(not menu.live)),
                button(
                    context,
                    FEATURE,
                    "vote.rule_toggle",
                    "mu",
                    menu.id,
                    other.value,
                    rule=context.label(f"vote.sel_{other.value}"),
                ),
            ]
        )
        rows.append([button(context, FEATURE, "vote.cancel_vote", "mx", menu.id)])
    return head + "\n\n" + results_text(context, menu, result), InlineKeyboardMarkup(rows)


async def change_rules(update: Update, context: BotContext) -> None:
    """k, live results, the selection rule, or cancelling — refused once voting opened."""
    query = update.callback_query
    votes = context.services.votes
    account = context.account

    async def change(data: CallbackData) -> Menu:
        action = data.action
        menu_id = data.int_arg(0)
        if action == "mk":
            return await votes.change_menu(account, menu_id, max_picks=data.int_arg(1))
        if action == "ml":
            return await votes.change_menu(account, menu_id, live=bool(data.int_arg(1)))
        if action == "mu":
            try:
                rule = SelectionRule(data.arg(1))
            except ValueError:
                raise BadCallback("rule") from None
            return await votes.change_menu(account, menu_id, rule=rule)
        return await votes.cancel_menu(account, menu_id)

    try:
        menu = await pressed(update, context, change)
    except ValueError:  # k out of range: the draft's own validation
        await query.answer(context.label("vote.k_range"), show_alert=True)
        return
    if menu is None:
        return
    await query.answer(context.label("vote.changed"))
    found = await votes.results(account, menu.id)
    text, markup = menu_card(context, *found)
    await edit(query, text, markup)


async def chart(update: Update, context: BotContext) -> None:
    """The results as a PNG bar chart (staff)."""
    votes = context.services.votes

    found = await answered(
        update, context, lambda d: votes.staff_results(context.account, d.int_arg(0))
    )
    if found is None:
        return
    menu, result = found
    png = await context.services.offload(
        menu_chart,
        menu,
        result,
        title=context.label("vote.chart_title", title=menu.title),
        axis=context.label("vote.chart_axis"),
    )
    await require_message(update).reply_photo(
        io.BytesIO(png), caption=context.label("vote.chart_caption", voted=result.voted)
    )


# ---------------------------------------------------------------------------- staff: proposals


def progress_text(context: BotContext, progress: Progress, buildings: set[int] | None) -> str:
    """Every threshold with ✅/❌, what is missing, and how many have not answered."""
    proposal = progress.proposal
    result = progress.result
    phase = proposal.phase(context.services.votes.now())
    lines = [
        context.t(
            "vote.progress_head",
            title=proposal.title,
            phase=context.label(f"vote.phase_{phase.value}"),
            rule=context.label(f"vote.rule_{proposal.rule.kind.value}"),
            answered=result.answered,
            eligible=result.eligible,
            closes=when(context, proposal.closes_at),
        )
    ]
    for check in result.checks:
        lines.append(
            context.t(
                "vote.check_line",
                mark="✅" if check.met else "❌",
                dimension=context.label(f"vote.dim_{check.dimension.value}"),
                stage=context.label(f"vote.stage_{check.stage}"),
                part=_amount(check.part, check.dimension),
                whole=_amount(check.whole, check.dimension),
                share=percent(check.part / check.whole) if check.whole else "—",
                threshold=threshold_text(context, check.threshold.share, check.threshold.strict),
            )
        )
    lines.append(context.t("vote.outcome", outcome=context.label(outcome_key(result))))
    needs = [m for m in result.missing if m.amount > 0 and m.reachable]
    if needs:
        parts = [
            context.label(
                f"vote.need_{m.dimension.value}" + ("_more_than" if m.strict else ""),
                amount=_amount(m.amount, m.dimension),
            )
            for m in needs
        ]
        lines.append(context.t("vote.needs", what=context.label("vote.and").join(parts)))
    still_open = phase is not Phase.CLOSED
    if still_open and any(not m.reachable for m in result.missing):
        lines.append(context.t("vote.unreachable_open"))
    if proposal.rule.kind is RuleKind.UNANIMOUS:  # one "no" stops it: say whose
        against = progress.disagreeing(buildings)
        if against:
            places = "、".join(household_label(row) for row in against)
            key = "vote.disagreeing_open" if still_open else "vote.disagreeing"
            lines.append(context.t(key, places=places, count=len(against)))
    counts = {a: 0 for a in Answer}
    paper = 0
    for record in progress.answers.values():
        counts[record.answer] += 1
        paper += record.on_paper
    lines.append(
        context.t(
            "vote.answer_counts",
            agree=counts[Answer.AGREE],
            disagree=counts[Answer.DISAGREE],
            abstain=counts[Answer.ABSTAIN],
            paper=paper,
            missing=len(progress.unanswered(buildings)),
        )
    )
    return "\n".join(lines)


def outcome_key(result: Result) -> str:
    """ "passed" / "not passed (yet)"."""
    return "vote.passed" if result.passed else "vote.not_passed"


def threshold_text(context: BotContext, share: Fraction, strict: bool) -> str:
    """ "≥2/3", "&gt;1/2", or "all" for a share of one (unanimity)."""
    if share == 1 and not strict:
        return context.label("vote.threshold_all")
    return (">" if strict else "≥") + _fraction(share)


def _fraction(share: Fraction) -> str:
    return (
        str(share.numerator)
        if share.denominator == 1
        else f"{share.numerator}/{share.denominator}"
    )


def _amount(value: Fraction | Decimal, dimension: Dimension) -> str:
    """Owners and households as whole numbers; areas in m² with at most two decimals."""
    if dimension is Dimension.AREA:
        return f"{float(value):,.2f}".rstrip("0").rstrip(".") + " m²"
    number = Fraction(value)
    return str(number.numerator) if number.denominator == 1 else f"{float(number):.2f}"


async def manage_proposal(update: Update, context: BotContext) -> None:
    """A proposal's progress against every threshold (staff; grid workers for their grid)."""
    votes = context.services.votes
    account = context.account
    found = await answered(update, context, lambda d: votes.progress(account, d.int_arg(0)))
    if found is None:
        return
    text, markup = await proposal_card(context, found)
    await require_message(update).reply_text(text, reply_markup=markup)


async def proposal_card(
    context: BotContext, progress: Progress
) -> tuple[str, InlineKeyboardMarkup]:
    """Progress and the buttons staff and grid workers need."""
    votes = context.services.votes
    account = context.account
    buildings = await votes.worker_buildings(account)
    proposal = progress.proposal
    phase = proposal.phase(votes.now())
    rows = [[button(context, FEATURE, "vote.missing_button", "pl", proposal.id, 0)]]
    if phase is Phase.OPEN:
        rows.append([button(context, FEATURE, "vote.paper_button", "pw", proposal.id, 0)])
    if account is not None and account.has_role(Role.STAFF):
        rows.append([button(context, FEATURE, "vote.export_button", "px", proposal.id)])
        if phase is Phase.SCHEDULED:
            rows.append([button(context, FEATURE, "vote.cancel_vote", "pc", proposal.id)])
    if proposal.attachments:
        rows.append(
            [
                button(
                    context,
                    FEATURE,
                    "vote.files_button",
                    "sf",
                    proposal.id,
                    n=len(proposal.attachments),
                )
            ]
        )
    return progress_text(context, progress, buildings), InlineKeyboardMarkup(rows)


def household_label(row: RosterRow) -> str:
    """ "幸福里小区 1号楼 1单元 302"."""
    return f"{row.compound} {row.building} {row.unit} {row.room}"


async def missing_list(update: Update, context: BotContext) -> None:
    """The door-to-door list: households that have not answered, by building and unit, with
    the flags that matter for a visit (a grid worker sees their grid's)."""
    query = update.callback_query
    votes = context.services.votes
    account = context.account

    async def list_of(data: CallbackData) -> tuple[Progress, set[int] | None, int]:
        return (
            await votes.progress(account, data.int_arg(0)),
            await votes.worker_buildings(account),
            data.int_arg(1),
        )

    found = await answered(update, context, list_of)
    if found is None:
        return
    progress, buildings, page = found
    rows = progress.unanswered(buildings)
    shown, page, pages = paginate(rows, page, 30)
    lines = [context.t("vote.missing_head", count=len(rows), page=page + 1, pages=pages)]
    for row in shown:
        flags = [context.label(f"vote.flag_{flag}") for flag in FLAGS if getattr(row, flag)]
        if not row.registered:
            flags.append(context.label("vote.flag_unregistered"))
        lines.append(
            context.t(
                "vote.missing_line",
                place=household_label(row),
                area=_amount(row.area, Dimension.AREA),
                flags=" · ".join(flags) if flags else "",
            )
        )
    markup = None
    if pages > 1:
        markup = InlineKeyboardMarkup(
            [
                [
                    button(
                        context,
                        FEATURE,
                        "reg.prev",
                        "pn",
                        progress.proposal.id,
                        (page - 1) % pages,
                    ),
                    button(
                        context,
                        FEATURE,
                        "reg.next",
                        "pn",
                        progress.proposal.id,
                        (page + 1) % pages,
                    ),
                ]
            ]
        )
    text = "\n".join(lines)
    if unpack(query.data).action == "pn":
        await edit(query, text, markup)
    else:
        await require_message(update).reply_text(text, reply_markup=markup)


async def paper_pick(update: Update, context: BotContext) -> None:
    """✍️ Paper answer: the grid worker picks a household of their grid that has not answered."""
    query = update.callback_query
    votes = context.services.votes
    account = context.account

    async def list_of(data: CallbackData) -> tuple[Proposal, list[RosterRow], int]:
        proposal, rows = await votes.paper_list(account, data.int_arg(0))
        return proposal, rows, data.int_arg(1)

    found = await answered(update, context, list_of)
    if found is None:
        return
    proposal, rows, page = found
    shown, page, pages = paginate(rows, page, PAGE)
    pid = proposal.id
    buttons = [
        [
            InlineKeyboardButton(
                f"{row.building} {row.unit} {row.room}",
                callback_data=pack(FEATURE, "ph", pid, row.household_id),
            )
        ]
        for row in shown
    ]
    if pages > 1:
        buttons.append(
            [
                button(context, FEATURE, "reg.prev", "pq", pid, (page - 1) % pages),
                button(context, FEATURE, "reg.next", "pq", pid, (page + 1) % pages),
            ]
        )
    text = context.t("vote.paper_pick", title=proposal.title, count=len(rows))
    if not rows:
        text = context.t("vote.paper_none")
    if unpack(query.data).action == "pq":
        await edit(query, text, InlineKeyboardMarkup(buttons))
    else:
        await require_message(update).reply_text(text, reply_markup=InlineKeyboardMarkup(buttons))


async def paper_household(update: Update, context: BotContext) -> None:
    """The household chosen: which answer did they give on paper?"""
    query = update.callback_query
    votes = context.services.votes
    account = context.account

    async def check(data: CallbackData) -> tuple[int, int, str]:
        proposal, row = await votes.paper_target(account, data.int_arg(0), data.int_arg(1))
        return proposal.id, row.household_id, household_label(row)

    found = await answered(update, context, check)
    if found is None:
        return
    pid, household, label = found
    rows = [
        [
            InlineKeyboardButton(
                context.label(f"vote.answer_{a.value}"),
                callback_data=pack(FEATURE, "pr", pid, household, a.value),
            )
            for a in Answer
        ]
    ]
    await edit(query, context.t("vote.paper_which", place=label), InlineKeyboardMarkup(rows))


async def paper_record(update: Update, context: BotContext) -> None:
    """Record the paper answer (who entered it and when are kept)."""
    query = update.callback_query
    votes = context.services.votes

    async def record(data: CallbackData) -> AnswerRecord:
        if data.arg(2) not in {a.value for a in Answer}:
            raise BadCallback("not an answer")
        return await votes.record_paper(
            context.account, data.int_arg(0), data.int_arg(1), Answer(data.arg(2))
        )

    recorded = await pressed(update, context, record)
    if recorded is None:
        return
    await query.answer(context.label("vote.answered_short"))
    await edit(
        query,
        context.t(
            "vote.paper_done",
            answer=context.label(f"vote.answer_{recorded.answer.value}"),
            at=when(context, recorded.at),
        ),
    )


async def export(update: Update, context: BotContext) -> None:
    """Every household, its answer, when, and who recorded it: XLSX and CSV (staff)."""
    votes = context.services.votes
    account = context.account

    async def table_of(data: CallbackData) -> tuple[Proposal, list[list[object]]]:
        progress = await votes.for_export(account, data.int_arg(0))
        return progress.proposal, await proposal_table(votes, progress, context.lang)

    found = await answered(update, context, table_of)
    if found is None:
        return
    proposal, rows = found
    message = require_message(update)
    name = f"proposal-{proposal.id}"
    xlsx = await context.services.offload(table_xlsx, rows)
    csv = await context.services.offload(table_csv, rows)
    await message.reply_document(io.BytesIO(xlsx), filename=f"{name}.xlsx")
    await message.reply_document(io.BytesIO(csv), filename=f"{name}.csv")


async def cancel_proposal(update: Update, context: BotContext) -> None:
    """Withdraw a proposal that has not opened."""
    query = update.callback_query
    votes = context.services.votes
    done = await pressed(
        update, context, lambda d: votes.cancel_proposal(context.account, d.int_arg(0))
    )
    if done is None:
        return
    await query.answer(context.label("vote.changed"))
    await edit(query, context.t("vote.cancelled", title=done.title))


async def staff_files(update: Update, context: BotContext) -> None:
    """The attachments of a proposal, for staff and grid workers."""
    votes = context.services.votes
    found = await answered(
        update, context, lambda d: votes.progress(context.account, d.int_arg(0))
    )
    if found is None:
        return
    await send_attachments(update, found.proposal)


def handlers() -> list[BaseHandler]:
    """🗳 and every vote button."""

    def on(action: str) -> str:
        return rf"^v1:{FEATURE}:{action}(:|$)"

    return [
        MessageHandler(filters.Text(all_labels("menu.votes")), show_votes),
        CommandHandler("votes", show_votes),
        PressHandler(menu_photos, pattern=on("mp")),
        PressHandler(manage_menu, pattern=on("sm")),
        PressHandler(change_rules, pattern=r"^v1:vt:(mk|ml|mu|mx)(:|$)"),
        PressHandler(chart, pattern=on("mc")),
        PressHandler(open_proposal, pattern=on("po")),
        PressHandler(answer, pattern=on("pa")),
        PressHandler(proposal_files, pattern=on("pf")),
        PressHandler(manage_proposal, pattern=on("sp")),
        PressHandler(missing_list, pattern=r"^v1:vt:(pl|pn):"),
        PressHandler(paper_pick, pattern=r"^v1:vt:(pw|pq):"),
        PressHandler(paper_household, pattern=on("ph")),
        PressHandler(paper_record, pattern=on("pr")),
        PressHandler(export, pattern=on("px")),
        PressHandler(cancel_proposal, pattern=on("pc")),
        PressHandler(staff_files, pattern=on("sf")),
    ]
