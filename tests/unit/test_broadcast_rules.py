"""The broadcast form's rules: words and files, the audience, when to send (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from bot.domain.broadcast_form import BroadcastForm, CaptionMissing, SendTime
from bot.domain.broadcasts import MAX_BODY, MAX_CAPTION
from bot.domain.errors import BadTime, BlankText, TextTooLong
from bot.domain.messages import Attachment
from bot.domain.models import Role
from bot.domain.scope import Scope, ScopeKind

ZONE = "Asia/Shanghai"
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
PHOTO = Attachment(kind="photo", ref="file-1")


def test_words_are_trimmed_and_bounded() -> None:
    assert BroadcastForm.composed("  停水通知 \n").body == "停水通知"
    assert len(BroadcastForm.composed("长" * MAX_BODY).body) == MAX_BODY
    with pytest.raises(TextTooLong):
        BroadcastForm.composed("长" * (MAX_BODY + 1))
    with pytest.raises(BlankText):
        BroadcastForm.composed(" \n\u200b ")


def test_a_file_needs_its_words_within_a_captions_limit() -> None:
    with pytest.raises(CaptionMissing):
        BroadcastForm.composed("", PHOTO)
    with pytest.raises(CaptionMissing):
        BroadcastForm.composed(" \n ", PHOTO)
    with pytest.raises(TextTooLong):
        BroadcastForm.composed("长" * (MAX_CAPTION + 1), PHOTO)
    assert BroadcastForm.composed("寒潮预警", PHOTO).attachment == PHOTO


def test_new_words_start_a_new_broadcast() -> None:
    chosen = BroadcastForm.composed("旧的").of_kind(ScopeKind.BUILDINGS)
    assert chosen.kind is ScopeKind.BUILDINGS
    assert BroadcastForm.composed("新的") == BroadcastForm(body="新的")


def test_choosing_a_kind_forgets_the_places_and_the_role() -> None:
    form = BroadcastForm(body="x", kind=ScopeKind.BUILDINGS, ids=(1, 2))
    assert form.of_kind(ScopeKind.ROLE).ids == ()
    with_role = BroadcastForm(body="x", kind=ScopeKind.ROLE, role=Role.STAFF)
    assert with_role.of_kind(ScopeKind.COMMUNITY).role is None


@pytest.mark.parametrize(
    ("kind", "places", "role", "households"),
    [
        (ScopeKind.COMMUNITY, False, False, True),
        (ScopeKind.BUILDINGS, True, False, True),
        (ScopeKind.GRIDS, True, False, True),
        (ScopeKind.ROLE, False, True, False),
    ],
)
def test_which_questions_a_kind_asks(
    kind: ScopeKind, places: bool, role: bool, households: bool
) -> None:
    form = BroadcastForm(body="x").of_kind(kind)
    assert (form.picks_places, form.by_role, form.by_household) == (places, role, households)


def test_the_scope_of_a_form() -> None:
    places = BroadcastForm(body="x", kind=ScopeKind.UNITS, ids=(3,), vulnerable=True)
    assert places.scope() == Scope(kind=ScopeKind.UNITS, ids=(3,), vulnerable_only=True)
    role = BroadcastForm(body="x", kind=ScopeKind.ROLE, role=Role.RESIDENT, vulnerable=True)
    assert role.scope() == Scope(kind=ScopeKind.ROLE, role=Role.RESIDENT)  # nobody "vulnerable"
    with pytest.raises(ValueError, match="no audience"):
        BroadcastForm(body="x").scope()
    with pytest.raises(ValidationError):  # places not ticked yet
        BroadcastForm(body="x", kind=ScopeKind.BUILDINGS).scope()


def test_preset_times_in_community_time() -> None:
    form = BroadcastForm(body="x")
    assert form.at(SendTime.NOW, NOW, ZONE).send_at is None
    assert form.at(SendTime.EVENING, NOW, ZONE).send_at == datetime(
        2026, 11, 22, 12, 0, tzinfo=UTC
    )
    assert form.at(SendTime.MORNING, NOW, ZONE).send_at == datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    late = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)  # 21:00: "this evening" is tomorrow's
    assert form.at(SendTime.EVENING, late, ZONE).send_at == datetime(2026, 11, 23, 12, tzinfo=UTC)


def test_a_typed_time_is_asked_once_until_it_is_given() -> None:
    typing = BroadcastForm(body="x").at(SendTime.EVENING, NOW, ZONE).at(SendTime.TYPED, NOW, ZONE)
    assert typing.awaits_typed_time
    assert typing.send_at is None
    with pytest.raises(BadTime):
        typing.typed_at("昨天", NOW, ZONE)
    timed = typing.typed_at("20:00", NOW, ZONE)
    assert timed.send_at == datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert not timed.awaits_typed_time
    assert not timed.at(SendTime.NOW, NOW, ZONE).typing
    worded = typing.typed_at("明天上午9点", NOW, ZONE)
    assert worded.send_at == datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def test_the_draft_the_service_creates() -> None:
    form = BroadcastForm(body="x", kind=ScopeKind.COMMUNITY, urgent=True, attachment=PHOTO)
    draft = form.draft()
    assert (draft.body, draft.urgent, draft.attachment, draft.send_at) == ("x", True, PHOTO, None)
    assert draft.scope == Scope(kind=ScopeKind.COMMUNITY)
