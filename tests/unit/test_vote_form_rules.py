"""The rules of the two vote-creation forms (pure): the title, scope and times they share; a
menu's items, k, budget and selection; a proposal's text, rule, files and cost sharing; the
drafts they become, and the JSON the dialog engine keeps them in between steps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.domain.consent import RuleKind, rule_for
from bot.domain.errors import BadTime, BlankText, TextTooLong
from bot.domain.menu_form import (
    BadBudget,
    KOutOfRange,
    MenuForm,
    PhotoCaption,
    TooFewItems,
    TooManyItems,
)
from bot.domain.messages import Attachment
from bot.domain.proposal_form import ProposalForm, TooManyFiles
from bot.domain.scope import Scope, ScopeKind
from bot.domain.vote_form import DURATIONS, NoPlaces
from bot.domain.votes import (
    MAX_ATTACHMENTS,
    MAX_BODY,
    MAX_ITEMS,
    MAX_TITLE,
    BadVoteSpec,
    MenuItemDraft,
    SelectionRule,
)

ZONE = "Asia/Shanghai"
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
PHOTO = Attachment(kind="photo", ref="photo-1")
PLAN = Attachment(kind="document", ref="plan-1")
LIGHT = MenuItemDraft(title="楼道灯", cost=12000)
GATE = MenuItemDraft(title="门禁", cost=30000, description="刷卡")


def window(form: MenuForm | ProposalForm) -> MenuForm | ProposalForm:
    """The form with a title, one compound, and a week from NOW."""
    return form.model_copy(
        update={
            "title": "楼道改造",
            "kind": ScopeKind.COMPOUNDS,
            "ids": (1,),
            "opens_at": NOW,
            "closes_at": NOW + timedelta(days=7),
        }
    )


def menu(**changes: object) -> MenuForm:
    form = window(MenuForm(items=(LIGHT, GATE), max_picks=1))
    assert isinstance(form, MenuForm)
    return form.model_copy(update=changes)


def proposal(**changes: object) -> ProposalForm:
    form = window(ProposalForm(body="加装电梯", rule=RuleKind.MAJOR))
    assert isinstance(form, ProposalForm)
    return form.model_copy(update=changes)


# ---------------------------------------------------------------------------- shared


def test_the_title_is_trimmed_and_bounded() -> None:
    assert MenuForm().titled("  楼道改造点单 \n").title == "楼道改造点单"
    assert len(ProposalForm().titled("长" * MAX_TITLE).title) == MAX_TITLE
    with pytest.raises(TextTooLong):
        MenuForm().titled("长" * (MAX_TITLE + 1))
    with pytest.raises(BlankText):
        ProposalForm().titled(" \u200b ")


def test_a_vote_is_for_compounds_buildings_or_units_and_a_new_kind_forgets_the_places() -> None:
    form = MenuForm(kind=ScopeKind.BUILDINGS, ids=(3, 4))
    assert form.of_kind(ScopeKind.UNITS) == MenuForm(kind=ScopeKind.UNITS)
    for kind in (ScopeKind.COMMUNITY, ScopeKind.GRIDS, ScopeKind.ROLE):
        with pytest.raises(BadVoteSpec):
            form.of_kind(kind)


def test_at_least_one_place_each_once() -> None:
    form = ProposalForm(kind=ScopeKind.BUILDINGS)
    with pytest.raises(NoPlaces):
        form.with_places([])
    assert form.with_places([4, 2, 4]).ids == (4, 2)
    assert form.with_places([4, 2]).scope() == Scope(kind=ScopeKind.BUILDINGS, ids=(4, 2))
    with pytest.raises(ValueError, match="no scope"):
        ProposalForm().scope()


def test_opening_now_or_at_a_typed_time_in_community_time() -> None:
    assert MenuForm().opening_now(NOW).opens_at == NOW
    opened = MenuForm().opening_at("11-25 08:00", NOW, ZONE)
    assert opened.opens_at == datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
    with pytest.raises(BadTime):
        MenuForm().opening_at("明天下午", NOW, ZONE)


def test_closing_after_a_duration_offered_or_a_typed_time_after_opening() -> None:
    opened = ProposalForm().opening_now(NOW)
    for days in DURATIONS:
        assert opened.closing_in(days).closes_at == NOW + timedelta(days=days)
    with pytest.raises(BadVoteSpec):
        opened.closing_in(5)
    with pytest.raises(ValueError, match="opening"):
        ProposalForm().closing_in(3)
    late = ProposalForm().opening_at("11-25 08:00", NOW, ZONE)
    with pytest.raises(BadTime):  # before it opens
        late.closing_at("11-24 08:00", NOW, ZONE)
    closed = late.closing_at("12-01 20:00", NOW, ZONE)
    assert closed.closes_at == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    worded = MenuForm().opening_at("明天上午8点", NOW, ZONE).closing_at("下周一晚上8点", NOW, ZONE)
    assert (worded.opens_at, worded.closes_at) == (
        datetime(2026, 11, 23, 0, 0, tzinfo=UTC),
        datetime(2026, 11, 23, 12, 0, tzinfo=UTC),  # Sunday: next week starts tomorrow
    )


# ---------------------------------------------------------------------------- the menu


def test_items_are_typed_one_a_line_and_a_bad_line_adds_none() -> None:
    form = MenuForm().with_items("楼道灯 | 12000\n\n门禁｜30,000｜刷卡\n")
    assert form.items == (LIGHT, GATE)
    with pytest.raises(BadVoteSpec):
        form.with_items("座椅 | 8000\n坏行没有费用")
    with pytest.raises(BadVoteSpec):  # the cost is in whole yuan
        form.with_items("座椅 | 8000.5")
    assert form.with_items("   ") == form


def test_a_photo_carries_exactly_one_item_as_its_caption() -> None:
    form = MenuForm().with_items("休闲座椅 | 8000 | 小花园里", PHOTO)
    assert form.items[0].photo == PHOTO
    for caption in ("", "a | 1\nb | 2"):
        with pytest.raises(PhotoCaption):
            MenuForm().with_items(caption, PHOTO)


def test_at_most_max_items_and_at_least_two() -> None:
    full = MenuForm().with_items("\n".join(f"项{n} | 100" for n in range(MAX_ITEMS)))
    assert len(full.items) == MAX_ITEMS
    with pytest.raises(TooManyItems) as raised:
        full.with_items("再一项 | 100")
    assert raised.value.params == {"max": MAX_ITEMS}
    with pytest.raises(TooFewItems):
        MenuForm(items=(LIGHT,)).items_done()
    assert MenuForm(items=(LIGHT, GATE)).items_done().items == (LIGHT, GATE)


def test_k_from_one_to_the_number_of_items_six_of_them_as_buttons() -> None:
    two = MenuForm(items=(LIGHT, GATE))
    assert list(two.k_offered) == [1, 2]
    assert list(MenuForm(items=(LIGHT,) * 9).k_offered) == [1, 2, 3, 4, 5, 6]
    assert two.picking(2).max_picks == 2
    assert MenuForm(items=(LIGHT,) * 9).picking_typed(" 8 ").max_picks == 8
    for typed in ("0", "3", "两", "-1", ""):
        with pytest.raises(KOutOfRange):
            two.picking_typed(typed)


def test_a_budget_is_whole_yuan_above_zero_or_none() -> None:
    form = MenuForm()
    assert form.with_budget("¥300,000").budget == 300000
    assert form.with_budget("40000").has_budget
    for typed in ("0", "100.5"):
        with pytest.raises(BadBudget):
            form.with_budget(typed)
    with pytest.raises(BadVoteSpec):
        form.with_budget("很多")
    assert not form.with_budget("40000").without_budget().has_budget


def test_the_menu_draft() -> None:
    form = menu(budget=40000).selecting(SelectionRule.MES).showing_live(False).picking(2)
    draft = form.draft()
    assert (draft.max_picks, draft.budget, draft.rule, draft.live) == (
        2,
        40000,
        SelectionRule.MES,
        False,
    )
    assert draft.scope == Scope(kind=ScopeKind.COMPOUNDS, ids=(1,))
    assert menu().draft().rule is SelectionRule.GREEDY  # the defaults: greedy, live
    assert menu().draft().live


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"max_picks": None}, "k is not answered"),
        ({"closes_at": None}, "closing is not answered"),
        ({"items": (LIGHT,)}, "at least 2 items"),
        ({"kind": None}, "no scope"),
        ({"closes_at": NOW - timedelta(days=1)}, "closes after it opens"),
    ],
)
def test_a_menu_draft_that_does_not_hold_together_is_refused(
    changes: dict[str, object], why: str
) -> None:
    with pytest.raises(ValueError, match=why):
        menu(**changes).draft()


# ---------------------------------------------------------------------------- proposals


def test_the_text_is_trimmed_and_bounded() -> None:
    assert ProposalForm().described(" 方案 ").body == "方案"
    with pytest.raises(TextTooLong):
        ProposalForm().described("长" * (MAX_BODY + 1))


def test_custom_thresholds_are_asked_only_for_a_custom_rule_and_must_read() -> None:
    assert not ProposalForm().ruled(RuleKind.MAJOR).is_custom
    custom = ProposalForm().ruled(RuleKind.CUSTOM)
    assert custom.is_custom
    with pytest.raises(BadVoteSpec):
        custom.with_thresholds("2/3 3/2")
    typed = custom.with_thresholds(" - >1/2 人数 ")
    assert typed.custom == "- >1/2 人数"
    rule = typed.decided_by()
    assert (rule.participation, rule.by_area, rule.by_owners) == (None, False, True)
    assert ProposalForm().ruled(RuleKind.UNANIMOUS).decided_by() == rule_for(RuleKind.UNANIMOUS)
    with pytest.raises(ValueError, match="no rule"):
        ProposalForm().decided_by()


def test_photos_and_documents_at_most_max_attachments() -> None:
    form = ProposalForm()
    for n in range(MAX_ATTACHMENTS):
        form = form.with_file(PLAN if n % 2 else PHOTO)
    with pytest.raises(TooManyFiles) as raised:
        form.with_file(PLAN)
    assert raised.value.params == {"max": MAX_ATTACHMENTS}
    with pytest.raises(ValueError, match="voice"):
        ProposalForm().with_file(Attachment(kind="voice", ref="v"))


def test_the_cost_is_a_total_and_floor_coefficients_or_nothing() -> None:
    costed = ProposalForm().costed("100000；1:0.5 2-3:1")
    assert costed.cost_fen == 10_000_000
    assert costed.coefficients == {1: Decimal("0.5"), 2: Decimal(1), 3: Decimal(1)}
    for typed in ("100000", "很多; 1:1", "100000; 1:-1"):
        with pytest.raises(BadVoteSpec):
            ProposalForm().costed(typed)
    assert costed.not_costed() == ProposalForm()


def test_the_proposal_draft() -> None:
    draft = proposal(files=(PLAN,)).costed("120000; 1:0 2:1").draft()
    assert draft.rule == rule_for(RuleKind.MAJOR)
    assert (draft.attachments, draft.total_cost_fen) == ((PLAN,), 12_000_000)
    assert draft.coefficients == {1: Decimal(0), 2: Decimal(1)}
    with pytest.raises(ValueError, match="a cost needs floor coefficients"):  # nobody pays
        proposal().costed("120000; 1:0").draft()
    with pytest.raises(ValueError, match="at least 1 character"):
        proposal(body="").draft()
    with pytest.raises(BadVoteSpec):  # custom, and no thresholds typed
        proposal(rule=RuleKind.CUSTOM).draft()


def test_the_forms_survive_the_json_of_the_dialog_session() -> None:
    for form in (
        menu(items=(LIGHT, MenuItemDraft(title="座椅", cost=8000, photo=PHOTO)), budget=9),
        proposal(files=(PLAN, PHOTO)).costed("100000; 1:0.5 2:1"),
    ):
        kept = form.model_dump(mode="json")
        assert type(form).model_validate(kept) == form
