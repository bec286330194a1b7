"""The words of votes for staff and households, as the core's texts: a proposal as a household
reads it, a menu's staff card, a proposal's progress against every threshold, the door-to-door
list. Pure formatting of what the vote service found; every channel renders them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from bot.domain.consent import Answer, Dimension, Result, RuleKind
from bot.domain.votes import Menu, MenuResult, Phase, RosterRow, percent
from bot.domain.wording import area, money_exact, time_words
from bot.features.ballot import results_texts
from bot.interaction.screen import Text, line_text, text
from bot.services.votes import Progress, Standing
from bot.services.votes.wording import proposal_turnout, tallies

FLAGS = ("lives_alone", "elderly", "disabled")  # what matters for a visit


def _labelled(key: str, labels: dict[str, str], **params: str | int | Text) -> Text:
    """A catalog text with some parameters that are catalog keys themselves."""
    return Text(key=key, params=params, labels=labels)


def standing_texts(standing: Standing, zone: str) -> list[Text]:
    """The proposal as a household reads it: text, rule, its share, its answer."""
    proposal = standing.proposal
    texts = [
        _labelled(
            "vote.proposal_head",
            {"rule": f"vote.rule_{proposal.rule.kind.value}"},
            title=proposal.title,
            body=proposal.body,
            closes=time_words(proposal.closes_at, zone),
        )
    ]
    if standing.share_fen is not None:
        share = money_exact(standing.share_fen)
        total = money_exact(proposal.total_cost_fen or 0)
        texts.append(text("vote.your_share", share=share, total=total))
    if standing.answer is not None:
        key = "vote.your_answer_paper" if standing.answer.on_paper else "vote.your_answer"
        texts.append(
            _labelled(
                key,
                {"answer": f"vote.answer_{standing.answer.answer.value}"},
                name=standing.answered_by or "—",
                at=time_words(standing.answer.at, zone),
            )
        )
    else:
        texts.append(text("vote.not_answered"))
    if standing.phase is not Phase.OPEN:
        texts.append(text("vote.proposal_closed_note"))
    return texts


def menu_card_texts(menu: Menu, result: MenuResult, now: datetime, zone: str) -> list[Text]:
    """A menu as staff see it: its rules, then its results after a blank line."""
    head = _labelled(
        "vote.menu_card",
        {
            "phase": f"vote.phase_{menu.phase(now).value}",
            "rule": f"vote.sel_{menu.rule.value}",
            "live": "vote.live_yes" if menu.live else "vote.live_no",
        },
        title=menu.title,
        opens=time_words(menu.opens_at, zone),
        closes=time_words(menu.closes_at, zone),
        k=menu.max_picks,
        budget=money_exact(menu.budget * 100) if menu.budget else "—",
    )
    first, *rest = results_texts(menu, result)
    return [head, text("dialog.paragraph", words=first), *rest]


# ---------------------------------------------------------------------------- progress


def progress_texts(
    progress: Progress, buildings: set[int] | None, now: datetime, zone: str
) -> list[Text]:
    """Every threshold with ✅/❌, what is missing, and how many have not answered."""
    proposal = progress.proposal
    result = progress.result
    phase = proposal.phase(now)
    texts = [
        _labelled(
            "vote.progress_head",
            {
                "phase": f"vote.phase_{phase.value}",
                "rule": f"vote.rule_{proposal.rule.kind.value}",
            },
            title=proposal.title,
            turnout=line_text(proposal_turnout(result)),
            closes=time_words(proposal.closes_at, zone),
        ),
        *(line_text(line) for line in tallies(result)),
    ]
    for check in result.checks:
        texts.append(
            _labelled(
                "vote.check_line",
                {
                    "dimension": f"vote.dim_{check.dimension.value}",
                    "stage": f"vote.stage_{check.stage}",
                },
                mark="✅" if check.met else "❌",
                part=amount(check.part, check.dimension),
                whole=amount(check.whole, check.dimension),
                share=percent(check.part / check.whole) if check.whole else "—",
                threshold=threshold(check.threshold.share, check.threshold.strict),
            )
        )
    texts.append(_labelled("vote.outcome", {"outcome": outcome_key(result)}))
    needs = [
        text(
            f"vote.need_{m.dimension.value}" + ("_more_than" if m.strict else ""),
            amount=amount(m.amount, m.dimension),
        )
        for m in result.missing
        if m.amount > 0 and m.reachable
    ]
    if needs:
        texts.append(text("vote.needs", what=joined(needs)))
    still_open = phase is not Phase.CLOSED
    if still_open and any(not m.reachable for m in result.missing):
        texts.append(text("vote.unreachable_open"))
    if proposal.rule.kind is RuleKind.UNANIMOUS:  # one "no" stops it: say whose
        against = progress.disagreeing(buildings)
        if against:
            places = "、".join(household_label(row) for row in against)
            key = "vote.disagreeing_open" if still_open else "vote.disagreeing"
            texts.append(text(key, places=places, count=len(against)))
    counts = {a: 0 for a in Answer}
    paper = 0
    for record in progress.answers.values():
        counts[record.answer] += 1
        paper += record.on_paper
    texts.append(
        text(
            "vote.answer_counts",
            agree=counts[Answer.AGREE],
            disagree=counts[Answer.DISAGREE],
            abstain=counts[Answer.ABSTAIN],
            paper=paper,
            missing=len(progress.unanswered(buildings)),
        )
    )
    return texts


def joined(parts: Sequence[Text]) -> Text:
    """Texts joined by the language's "and" ("30 m² 同意面积和1 位业主同意")."""
    whole = parts[0]
    for part in parts[1:]:
        whole = _labelled("vote.joined", {"sep": "vote.and"}, first=whole, second=part)
    return whole


def outcome_key(result: Result) -> str:
    """ "passed" / "not passed (yet)"."""
    return "vote.passed" if result.passed else "vote.not_passed"


def threshold(share: Fraction, strict: bool) -> str | Text:
    """ "≥2/3", ">1/2", or "all" for a share of one (unanimity)."""
    if share == 1 and not strict:
        return text("vote.threshold_all")
    return (">" if strict else "≥") + _fraction(share)


def _fraction(share: Fraction) -> str:
    return (
        str(share.numerator)
        if share.denominator == 1
        else f"{share.numerator}/{share.denominator}"
    )


def amount(value: Fraction | Decimal, dimension: Dimension) -> str:
    """Owners and households as whole numbers; areas in m² with at most two decimals."""
    if dimension is Dimension.AREA:
        return area(
            Decimal(value.numerator) / Decimal(value.denominator)
            if isinstance(value, Fraction)
            else value
        )
    number = Fraction(value)
    return str(number.numerator) if number.denominator == 1 else f"{float(number):.2f}"


def household_label(row: RosterRow) -> str:
    """ "幸福里小区 1号楼 1单元 302"."""
    return f"{row.compound} {row.building} {row.unit} {row.room}"


def missing_texts(shown: Sequence[RosterRow], total: int, page: int, pages: int) -> list[Text]:
    """The door-to-door list's page: each household with the flags that matter for a visit."""
    texts = [text("vote.missing_head", count=total, page=page + 1, pages=pages)]
    for row in shown:
        flags = [text(f"vote.flag_{flag}") for flag in FLAGS if getattr(row, flag)]
        if not row.registered:
            flags.append(text("vote.flag_unregistered"))
        texts.append(
            text(
                "vote.missing_line",
                place=household_label(row),
                area=amount(row.area, Dimension.AREA),
                flags=_dotted(flags),
            )
        )
    return texts


def _dotted(flags: Sequence[Text]) -> Text | str:
    """Flags joined by " · " ("" when there are none)."""
    if not flags:
        return ""
    whole = flags[0]
    for flag in flags[1:]:
        whole = text("vote.dotted", first=whole, second=flag)
    return whole
