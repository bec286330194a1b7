"""Domain models, the manual clock and the per-chat ordering key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import ValidationError
from telegram import CallbackQuery, Chat, Message, Update
from telegram import User as TelegramUser

from bot.clock import ManualClock, SystemClock
from bot.domain.errors import DomainError, NotAllowed, TextTooLong
from bot.domain.models import (
    ROLE_RANK,
    Household,
    HouseholdFlags,
    Language,
    NewHousehold,
    Role,
    User,
)
from handlers.processing import ordering_key

CREATED = datetime(2026, 11, 1, tzinfo=UTC)
ORDER = [Role.RESIDENT, Role.BUILDING_LEAD, Role.GRID_WORKER, Role.STAFF]


def user(role: Role, **changes: object) -> User:
    """A user with `role`."""
    data: dict[str, object] = {
        "id": 1,
        "channel": "telegram",
        "external_id": "1001",
        "first_name": "王",
        "language": Language.ZH,
        "role": role,
        "created_at": CREATED,
    }
    data.update(changes)
    return User.model_validate(data)


def household(**changes: object) -> Household:
    """A household with a private owner and phone."""
    data: dict[str, object] = {
        "id": 7,
        "unit_id": 3,
        "room": "302",
        "floor": 3,
        "area": Decimal("87.65"),
        "owner_name": "李秀英",
        "owner_key": "owner-key-123",
        "phone": "13800138000",
    }
    data.update(changes)
    return Household.model_validate(data)


# ---------------------------------------------------------------------------- roles


def test_role_rank_ranks_every_role_in_order() -> None:
    assert set(ROLE_RANK) == set(Role)
    assert sorted(Role, key=ROLE_RANK.__getitem__) == ORDER


@pytest.mark.parametrize("held", ORDER)
@pytest.mark.parametrize("needed", ORDER)
def test_has_role_means_at_least_that_role(held: Role, needed: Role) -> None:
    assert user(held).has_role(needed) is (ORDER.index(held) >= ORDER.index(needed))


def test_user_phone_is_not_in_repr() -> None:
    person = user(Role.RESIDENT, phone="13912345678")

    assert "13912345678" not in repr(person)
    assert person.phone == "13912345678"


def test_user_refuses_an_unknown_role() -> None:
    with pytest.raises(ValidationError):
        user("mayor")  # type: ignore[arg-type]


def test_models_are_frozen_and_refuse_extra_fields() -> None:
    person = user(Role.RESIDENT)

    with pytest.raises(ValidationError):
        person.role = Role.STAFF  # type: ignore[misc]
    with pytest.raises(ValidationError):
        user(Role.RESIDENT, nickname="x")


# ---------------------------------------------------------------------------- households


def test_household_private_fields_are_not_in_repr() -> None:
    shown = repr(household()) + str(household())

    assert "13800138000" not in shown
    assert "李秀英" not in shown
    assert "owner-key-123" not in shown
    assert "302" in shown


def test_household_area_is_an_exact_decimal() -> None:
    flat = household(area="87.65")

    assert flat.area == Decimal("87.65")
    assert isinstance(flat.area, Decimal)


def test_household_area_defaults_to_zero() -> None:
    assert NewHousehold(unit_id=1, room="101").area == Decimal(0)


@pytest.mark.parametrize("area", [Decimal("-0.01"), Decimal(-5)])
def test_household_area_cannot_be_negative(area: Decimal) -> None:
    with pytest.raises(ValidationError, match="area"):
        household(area=area)


def test_household_area_has_at_most_two_decimals() -> None:
    with pytest.raises(ValidationError, match="area"):
        household(area=Decimal("87.655"))


@pytest.mark.parametrize(
    ("flags", "vulnerable"),
    [
        (HouseholdFlags(), False),
        (HouseholdFlags(lives_alone=True), True),
        (HouseholdFlags(elderly=True), True),
        (HouseholdFlags(disabled=True), True),
    ],
)
def test_household_flags_any(flags: HouseholdFlags, vulnerable: bool) -> None:
    assert flags.any is vulnerable


# ---------------------------------------------------------------------------- errors


def test_domain_errors_carry_their_catalog_key_and_params() -> None:
    error = TextTooLong(200)

    assert isinstance(error, DomainError)
    assert (error.key, error.limit, error.params) == ("error.too_long", 200, {"limit": 200})
    assert NotAllowed().key == "error.not_allowed"


# ---------------------------------------------------------------------------- clocks


def test_manual_clock_starts_where_told(clock: ManualClock) -> None:
    assert clock.now() == datetime(2026, 11, 22, 1, 0, tzinfo=UTC)


def test_manual_clock_advance_moves_forward(clock: ManualClock) -> None:
    start = clock.now()

    moved = clock.advance(timedelta(hours=2, minutes=30))

    assert moved == start + timedelta(hours=2, minutes=30)
    assert clock.now() == moved


def test_manual_clock_refuses_to_go_back(clock: ManualClock) -> None:
    start = clock.now()

    with pytest.raises(ValueError, match="forward"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError, match="not before now"):
        clock.set(start - timedelta(seconds=1))
    assert clock.now() == start


def test_manual_clock_set_jumps_and_stores_utc(clock: ManualClock) -> None:
    shanghai = timezone(timedelta(hours=8))

    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=shanghai))

    assert clock.now() == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)


def test_manual_clock_refuses_naive_times(clock: ManualClock) -> None:
    with pytest.raises(ValueError, match="tz-aware"):
        ManualClock(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="tz-aware"):
        clock.set(datetime(2030, 1, 1))


def test_system_clock_is_tz_aware_utc() -> None:
    assert SystemClock().now().utcoffset() == timedelta(0)


# ---------------------------------------------------------------------------- ordering key

ALICE = TelegramUser(id=501, first_name="Alice", is_bot=False)
GROUP = Chat(id=-100200, type=Chat.SUPERGROUP)


def message_update(chat: Chat) -> Update:
    """A text message from Alice in `chat`."""
    message = Message(message_id=1, date=CREATED, chat=chat, from_user=ALICE, text="hello")
    return Update(update_id=1, message=message)


def test_ordering_key_is_the_chat_of_a_message() -> None:
    assert ordering_key(message_update(GROUP)) == ("chat", -100200)


def test_ordering_key_falls_back_to_the_user_without_a_chat() -> None:
    query = CallbackQuery(id="q", from_user=ALICE, chat_instance="c", inline_message_id="m")

    assert ordering_key(Update(update_id=2, callback_query=query)) == ("user", 501)


def test_ordering_key_is_none_for_anything_else() -> None:
    assert ordering_key(Update(update_id=3)) is None
    assert ordering_key("not an update") is None
