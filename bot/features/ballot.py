"""A household's ballot on a renovation menu: open it, tick items (nothing is stored until
Submit: the ticks travel on the buttons as a bitmask), submit, see the results and the items'
photos.

Every toggle and Submit names the version of the household's ballot the ticks started from,
so a Submit from an older message cannot overwrite another member's change.
"""

from __future__ import annotations

from enum import StrEnum

from bot.dialogs.engine import Ctx
from bot.domain.errors import DomainError
from bot.domain.votes import Menu, MenuResult, Phase, decode_picks, encode_picks
from bot.domain.wording import money_about, time_words
from bot.interaction.payload import Feature, Payload, StaleButton, payload
from bot.interaction.screen import (
    Option,
    Reply,
    Screen,
    Text,
    line_text,
    option,
    reply,
    screen,
    text,
)
from bot.services.votes import Ballot, BallotChanged, result_bars
from bot.services.votes.wording import menu_turnout, selection


class BallotAction(StrEnum):
    """The ballot's buttons (codes already on buttons sent: never change one)."""

    OPEN = "mo"
    TOGGLE = "mt"
    SUBMIT = "ms"
    RESULTS = "mr"
    PHOTOS = "mp"


def ballot_texts(
    ctx: Ctx, menu: Menu, ballot: Ballot | None, picks: tuple[int, ...]
) -> list[Text]:
    """The menu as a voter reads it, with the household's state and the counter."""
    zone = ctx.services.votes.timezone
    texts = [
        text("vote.menu_head", title=menu.title, closes=time_words(menu.closes_at, zone),
             k=menu.max_picks)
    ]  # fmt: skip
    for index, item in enumerate(menu.items, start=1):
        texts.append(
            text(
                "vote.menu_item",
                mark="✅" if item.id in picks else "▫️",
                n=index,
                title=item.title,
                cost=money_about(item.cost * 100),
                description=item.description or "—",
            )
        )
    if ballot is not None and ballot.voted:
        voted = "、".join(i.title for i in menu.items if i.id in ballot.picks)
        texts.append(text("vote.menu_voted", name=ballot.cast_by or "—", picks=voted))
    else:
        texts.append(text("vote.menu_not_voted"))
    if ballot is None or ballot.phase is Phase.OPEN:
        texts.append(text("vote.counter", n=len(picks), k=menu.max_picks))
    else:
        texts.append(text("vote.menu_closed_note"))
    return texts


def ballot_options(
    menu: Menu, picks: tuple[int, ...], open_: bool, version: int
) -> tuple[tuple[Option, ...], ...]:
    """One toggle per item (✅ when ticked), Submit with the counter, results and photos."""
    mask = encode_picks(menu, picks)
    rows: list[tuple[Option, ...]] = []
    if open_:
        rows += [
            (
                option(
                    payload(Feature.VOTE, BallotAction.TOGGLE, menu.id, mask, item.id, version),
                    literal=("✅ " if item.id in picks else "") + item.title,
                ),
            )
            for item in menu.items
        ]
        submit = payload(Feature.VOTE, BallotAction.SUBMIT, menu.id, mask, version)
        rows.append((option(submit, "vote.submit", n=len(picks), k=menu.max_picks),))
    extra = [option(payload(Feature.VOTE, BallotAction.RESULTS, menu.id), "vote.results_button")]
    if any(item.photo for item in menu.items):
        extra.append(
            option(payload(Feature.VOTE, BallotAction.PHOTOS, menu.id), "vote.photos_button")
        )
    rows.append(tuple(extra))
    return tuple(rows)


def ballot_screen(
    ctx: Ctx, ballot: Ballot, picks: tuple[int, ...], version: int, *more: Text, new: bool
) -> Screen:
    """The ballot with its buttons (`more` paragraphs below it)."""
    texts = [*ballot_texts(ctx, ballot.menu, ballot, picks), *more]
    options = ballot_options(ballot.menu, picks, ballot.phase is Phase.OPEN, version)
    return screen(*texts, options=options, replace=not new)


def results_texts(menu: Menu, result: MenuResult) -> list[Text]:
    """A menu's results: turnout, text bars, the budget and rule with what they chose and why
    a more-voted item was not chosen."""
    turnout = line_text(menu_turnout(result))
    texts = [
        text("vote.results_head", title=menu.title, turnout=turnout),
        text("dialog.pre", words=result_bars(menu, result)),
        *(line_text(line) for line in selection(menu, result)),
    ]
    if menu.result is None:
        texts.append(text("vote.results_live"))
    return texts


def _picks(menu: Menu, mask: str) -> tuple[int, ...]:
    try:
        return decode_picks(menu, mask)
    except DomainError:
        raise StaleButton("picks the menu does not have") from None


async def press(ctx: Ctx, pressed: Payload) -> Reply | None:
    """A ballot button; None for another of the feature's buttons (not the ballot's)."""
    votes = ctx.services.votes
    action = pressed.action
    if action == BallotAction.OPEN:
        ballot = await votes.ballot(ctx.user, pressed.number(0))
        return reply(ballot_screen(ctx, ballot, ballot.picks, ballot.version, new=True))
    if action == BallotAction.TOGGLE:
        menu = await votes.menu(pressed.number(0))
        ballot, ticks = await votes.toggle(
            ctx.user, menu, _picks(menu, pressed.arg(1)), pressed.number(2)
        )
        counter = text("vote.counter_short", n=len(ticks), k=menu.max_picks)
        version = pressed.number(3)
        return reply(ballot_screen(ctx, ballot, ticks, version, new=False), notice=counter)
    if action == BallotAction.SUBMIT:
        menu = await votes.menu(pressed.number(0))
        picks = _picks(menu, pressed.arg(1))
        try:
            ballot = await votes.submit(ctx.user, menu, picks, pressed.number(2))
        except BallotChanged as changed:  # another member changed it: show it as it is now
            now = changed.ballot
            shown = ballot_screen(ctx, now, now.picks, now.version, new=False)
            return reply(shown, notice=text("vote.ballot_changed"), alert=True)
        after = text("dialog.paragraph", words=text("vote.submitted"))
        done = ballot_screen(ctx, ballot, ballot.picks, ballot.version, after, new=False)
        return reply(done, notice=text("vote.submitted_short"))
    if action == BallotAction.RESULTS:
        menu, result = await votes.results(ctx.user, pressed.number(0))
        return reply(screen(*results_texts(menu, result), replace=False))
    if action == BallotAction.PHOTOS:
        return photos((await votes.ballot(ctx.user, pressed.number(0))).menu)
    return None


def photos(menu: Menu) -> Reply:
    """The items' photos as an album (the first ten), each under its item's title."""
    shown = [(item.photo, item.title) for item in menu.items if item.photo][:10]
    if not shown:
        return Reply()
    album, captions = zip(*shown, strict=True)
    return reply(screen(album=album, captions=captions, replace=False))
