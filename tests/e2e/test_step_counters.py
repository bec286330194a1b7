"""Every flow's step counter ("第 2/5 步") is right on every step (issue 20): the numbers count
1, 2, 3… over the steps that apply to the draft, a sub-step shares the number of the step it
belongs to, the review and previews carry none, and the screens show exactly those numbers."""

from __future__ import annotations

from typing import Any

from bot.dialogs.engine import Flow
from bot.domain.consent import RuleKind
from bot.domain.scope import ScopeKind
from bot.interaction.payload import Feature
from emulator.harness import BotHarness

COUNTED = {
    Feature.REGISTRATION,
    Feature.REPORT,
    Feature.BROADCAST,
    Feature.VOTE_CREATE,
    Feature.PROPOSAL_CREATE,
    Feature.NOTICE,
    Feature.MEETING_CREATE,
}
# Drafts that make the steps that apply only sometimes apply (and some that do not).
VARIANTS: dict[Feature, list[dict[str, Any]]] = {
    Feature.BROADCAST: [
        {"kind": ScopeKind.BUILDINGS},
        {"kind": ScopeKind.ROLE},
        {"kind": ScopeKind.COMMUNITY, "typing": True},
    ],
    Feature.VOTE_CREATE: [{"budget": 300000}],
    Feature.PROPOSAL_CREATE: [{"rule": RuleKind.CUSTOM}, {"rule": RuleKind.UNANIMOUS}],
    Feature.NOTICE: [{"change": 7}],
}


def positions(flow: Flow[Any], draft: Any) -> list[tuple[str, tuple[int, int] | None]]:
    return [(step.name, flow.position(draft, step.name)) for step in flow.steps]


def check(flow: Flow[Any], draft: Any) -> None:
    """The counter of each step of `flow` for `draft` is right."""
    names = [step.name for step in flow.steps]
    end = names.index(flow.review) if flow.review in names else len(names)
    applying = [
        step.name
        for step in flow.steps[:end]
        if step.applies(draft) and step.name not in flow.sub_steps | flow.unnumbered
    ]
    seen = positions(flow, draft)
    totals = {where[1] for _, where in seen if where is not None}
    assert totals == {len(applying)}, seen
    number = 0
    for index, (name, where) in enumerate(seen):
        if index >= end or name in flow.unnumbered:
            assert where is None, (name, seen)
            continue
        if name in applying:
            number += 1
        assert where == (max(number, 1), len(applying)), (name, seen)
    assert number == len(applying)


async def test_every_flow_counts_its_steps_right(harness: BotHarness) -> None:
    flows = harness.runtime.services.dialogs.flows
    assert {feature for feature, flow in flows.items() if flow.counted} == COUNTED
    for feature, flow in flows.items():
        default = flow.draft_type()
        drafts = [default, *(default.model_copy(update=u) for u in VARIANTS.get(feature, []))]
        for draft in drafts:
            if flow.counted:
                check(flow, draft)
            else:  # a short flow (a reply, a note): no counter at all
                assert all(where is None for _, where in positions(flow, draft))
                assert len([s for s in flow.steps if s.applies(draft)]) <= 5


async def test_the_counts_follow_the_answers(harness: BotHarness) -> None:
    """A budget adds the selection rule: the menu goes from 8 steps to 9; a custom rule is
    part of the rule's step; a change of a notice asks only its start and end."""
    flows = harness.runtime.services.dialogs.flows
    menu = flows[Feature.VOTE_CREATE]
    draft = menu.draft_type()
    assert menu.position(draft, "live") == (8, 8)
    assert menu.position(draft.model_copy(update={"budget": 300000}), "live") == (9, 9)
    assert menu.position(draft, "places") == (2, 8)  # part of the scope
    assert menu.position(draft, "preview") is None
    proposal = flows[Feature.PROPOSAL_CREATE]
    custom = proposal.draft_type().model_copy(update={"rule": RuleKind.CUSTOM})
    assert proposal.position(custom, "custom") == proposal.position(custom, "rule") == (4, 8)
    notice = flows[Feature.NOTICE]
    change = notice.draft_type().model_copy(update={"change": 7})
    assert [notice.position(change, name) for name in ("start", "end")] == [(1, 2), (2, 2)]
    report = flows[Feature.REPORT]
    assert report.position(report.draft_type(), "summary") is None
