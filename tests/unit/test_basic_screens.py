"""The small features' screens, pure: my home's buttons, the settings' switches, the last answer,
the coverage lines; and how the renderers say an option that names a label inside its label."""

from __future__ import annotations

from bot.dialogs.engine import STALE
from bot.domain.delivery import MUTABLE, Category
from bot.domain.homes import BuildingCoverage, Home
from bot.domain.models import Language, MembershipStatus, Place
from bot.features.fallback import last_answer
from bot.features.home import HomeAction, home_screen
from bot.features.mutes import panel
from bot.features.staff import coverage_texts
from bot.interaction.inputs import Input, Kind
from bot.interaction.plain import PlainText
from bot.interaction.screen import Keyboard, Reply, Screen, text
from bot.interaction.words import label
from handlers.core import clipped

ZH, EN = Language.ZH, Language.EN


def home(household_id: int, room: str, status: MembershipStatus, *, current: bool) -> Home:
    place = Place(compound="幸福里小区", building="1号楼", unit="1单元", room=room)
    return Home(
        household_id=household_id, place=place, status=status, is_current=current, members=()
    )


def payloads(shown: Screen) -> list[str]:
    return [choice.payload.encode() for row in shown.options for choice in row]


def test_my_home_offers_make_current_for_other_homes_and_withdraw_for_pending() -> None:
    homes = [
        home(1, "101", MembershipStatus.APPROVED, current=True),
        home(2, "201", MembershipStatus.APPROVED, current=False),
        home(3, "301", MembershipStatus.PENDING, current=False),
    ]

    shown = home_screen(homes, replace=True)

    assert payloads(shown) == [
        "v1:home:leave:1",
        "v1:home:cur:2",
        "v1:home:leave:2",
        "v1:home:leave:3",
        "v1:reg:begin",
        "v1:mute:show",
    ]
    assert [part.key for part in shown.texts] == [
        "home.title",
        "home.current",
        "home.members",
        "home.other",
        "home.members",
        "home.pending",
    ]
    assert shown.options[2][0].key == "home.withdraw"
    assert shown.replace


def test_without_a_home_only_registration_is_offered() -> None:
    shown = home_screen([], replace=False)

    assert [part.key for part in shown.texts] == ["home.none"]
    assert payloads(shown) == ["v1:reg:begin"]


def test_the_settings_mark_muted_kinds_and_name_them_in_the_readers_language() -> None:
    shown = panel({Category.VOTE}, replace=True)

    words = [label(EN, choice) for row in shown.options for choice in row]
    assert len(words) == len(MUTABLE)
    assert [w for w in words if w.startswith("🔕 ")] == ["🔕 Votes"]
    assert payloads(shown)[MUTABLE.index(Category.VOTE)] == "v1:mute:tog:vote"
    assert label(ZH, shown.options[0][0]) == "🔔 社区通知"


def test_the_plain_renderer_says_a_kind_inside_its_switch() -> None:
    shown = panel({Category.NOTICE}, replace=False)

    [message] = PlainText().show(1, ZH, Reply(screens=(shown,)))

    assert "1. 🔕 社区通知" in message.splitlines()
    assert "2. 🔔 报事进度" in message.splitlines()


def test_a_reply_in_a_newly_chosen_language_is_said_in_it() -> None:
    saved = Reply(screens=(Screen(texts=(text("language.saved"),)),), language=EN)

    assert PlainText().show(1, ZH, saved) == ["✅ Language set to English."]


def test_the_last_answer_for_each_kind_of_input() -> None:
    said = {
        "command": last_answer(Input(kind=Kind.COMMAND, text="vote_now")),
        "cancel": last_answer(Input(kind=Kind.COMMAND, text="cancel")),
        "words": last_answer(Input(kind=Kind.TEXT, text="楼道灯坏了")),
        "sticker": last_answer(Input(kind=Kind.OTHER)),
    }

    assert {name: reply.screens[0].texts[0].key for name, reply in said.items()} == {
        "command": "fallback.unknown_command",
        "cancel": "cancel.nothing",
        "words": "fallback.use_menu",
        "sticker": "fallback.use_menu",
    }
    assert all(reply.screens[0].keyboard is Keyboard.MAIN_MENU for reply in said.values())
    assert last_answer(Input(kind=Kind.PRESS)) == STALE


def test_coverage_names_the_rooms_to_visit_only_when_there_are_some() -> None:
    full = BuildingCoverage(
        building_id=1, compound="幸福里小区", building="1号楼", households=2, registered=2,
        unregistered=(),
    )  # fmt: skip
    partly = full.model_copy(update={"registered": 1, "unregistered": ("1单元 302",)})

    assert [part.key for part in coverage_texts(full)] == ["staff.coverage_line"]
    assert coverage_texts(full)[0].params["percent"] == 100
    assert [part.key for part in coverage_texts(partly)] == [
        "staff.coverage_line",
        "staff.unregistered",
    ]
    assert coverage_texts(partly)[1].params["rooms"] == "1单元 302"


def test_home_actions_keep_the_codes_on_buttons_already_sent() -> None:
    assert [action.value for action in HomeAction] == ["cur", "leave", "sure", "keep"]


def test_the_telegram_adapter_clips_a_message_at_telegrams_length() -> None:
    long = "1单元 301、" * 1000

    assert clipped("短") == "短"
    assert len(clipped(long)) == 4096
    assert clipped(long).endswith("…")
