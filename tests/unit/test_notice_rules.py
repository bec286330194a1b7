"""The notice form's rules: what and where, the window typed in community time, the words,
and the draft the service gets (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.errors import BadTime, BlankText, TextTooLong
from bot.domain.notice_form import BadEnd, NoticeForm
from bot.domain.notices import (
    MAX_ARRANGEMENTS,
    MAX_DETAILS,
    NoticeDraft,
    NoticeKind,
    check_window,
)
from bot.domain.scope import Scope, ScopeKind
from bot.domain.when import NotAfter, PastTime, UnreadableTime
from bot.domain.wording import spell

ZONE = "Asia/Shanghai"
SHANGHAI = ZoneInfo(ZONE)
NOW = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


def placed() -> NoticeForm:
    """Water, for two buildings."""
    form = NoticeForm().of_kind(NoticeKind.WATER).of_places(ScopeKind.BUILDINGS)
    return form.ticked([3, 5])


def test_a_notice_is_for_buildings_or_units_and_a_new_choice_forgets_the_ticks() -> None:
    form = placed()
    assert form.scope() == Scope(kind=ScopeKind.BUILDINGS, ids=(3, 5))
    units = form.of_places(ScopeKind.UNITS)
    assert (units.places, units.ids) == (ScopeKind.UNITS, ())
    for other in (ScopeKind.COMMUNITY, ScopeKind.COMPOUNDS, ScopeKind.GRIDS, ScopeKind.ROLE):
        with pytest.raises(ValueError, match="not for"):
            form.of_places(other)


def test_at_least_one_place_is_ticked() -> None:
    with pytest.raises(ValueError, match="no place"):
        NoticeForm().of_places(ScopeKind.UNITS).ticked([])
    with pytest.raises(ValueError, match="no places"):
        NoticeForm().of_places(ScopeKind.UNITS).scope()


def test_the_start_is_community_time_ahead_and_asks_the_end_anew() -> None:
    form = placed().started("11-24 09:00", NOW, ZONE).ended("12:00", NOW, ZONE)
    assert form.starts_at == local(24, 9)
    assert form.ends_at == local(24, 12)
    again = form.started("11-25 14:00", NOW, ZONE)
    assert (again.starts_at, again.ends_at) == (local(25, 14), None)
    for typed in ("昨天", "11-21 09:00", "25:00", ""):
        with pytest.raises(BadTime):
            placed().started(typed, NOW, ZONE)


@pytest.mark.parametrize(
    ("typed", "ends_at"),
    [("12:00", local(24, 12)), ("08:00", local(25, 8)), ("11-26 18:00", local(26, 18))],
)
def test_the_end_is_read_after_the_start(typed: str, ends_at: datetime) -> None:
    started = placed().started("11-24 09:00", NOW, ZONE)
    assert started.ended(typed, NOW, ZONE).ends_at == ends_at


TUE_9 = "11月24日（周二）上午9:00"  # a time named back as people read it


def said(params: dict[str, object]) -> dict[str, object]:
    """A refusal's parameters as a Chinese reader sees them."""
    return {name: spell(v, "zh-CN") if isinstance(v, str) else v for name, v in params.items()}


def test_an_end_not_after_the_start_of_a_new_notice_says_so_and_of_a_change_names_it() -> None:
    new = placed().started("11-24 09:00", NOW, ZONE)
    changed = NoticeForm(change=7).started("11-24 09:00", NOW, ZONE)
    assert new.changing is False
    assert changed.changing is True
    for typed, read in (("11-23 09:00", "11月23日（周一）上午9:00"), ("11-24 09:00", TUE_9)):
        with pytest.raises(BadEnd):
            new.ended(typed, NOW, ZONE)
        with pytest.raises(NotAfter) as refused:
            changed.ended(typed, NOW, ZONE)
        assert said(refused.value.params) == {"when": read, "after": TUE_9}
    with pytest.raises(BadEnd):
        new.ended("2026-11-21 09:00", NOW, ZONE)  # already past, so before the start too
    with pytest.raises(PastTime):
        changed.ended("2026-11-21 09:00", NOW, ZONE)
    for form in (new, changed):  # what cannot be read gets its own answer, with examples
        with pytest.raises(UnreadableTime):
            form.ended("不知道", NOW, ZONE)
    assert new.ended("后天下午5点", NOW, ZONE).ends_at == local(24, 17)  # days count from today
    with pytest.raises(ValueError, match="start comes first"):
        placed().ended("12:00", NOW, ZONE)


def test_details_and_arrangements_are_trimmed_bounded_or_skipped() -> None:
    form = placed().described("  更换供水主管 \n").arranged("东门有送水车")
    assert (form.details, form.arrangements) == ("更换供水主管", "东门有送水车")
    assert form.described(None).details == ""
    assert form.arranged(None).arrangements == ""
    assert len(form.described("说" * MAX_DETAILS).details) == MAX_DETAILS
    with pytest.raises(TextTooLong):
        form.described("说" * (MAX_DETAILS + 1))
    with pytest.raises(TextTooLong):
        form.arranged("说" * (MAX_ARRANGEMENTS + 1))
    with pytest.raises(BlankText):
        form.described(" \n\u200b ")
    with pytest.raises(BlankText):
        form.arranged("   ")


def test_the_draft_is_the_notice_the_service_creates() -> None:
    form = placed().started("11-24 09:00", NOW, ZONE).ended("12:00", NOW, ZONE)
    assert form.described("换管").arranged(None).draft() == NoticeDraft(
        kind=NoticeKind.WATER,
        starts_at=local(24, 9),
        ends_at=local(24, 12),
        scope=Scope(kind=ScopeKind.BUILDINGS, ids=(3, 5)),
        details="换管",
        arrangements="",
    )
    with pytest.raises(ValueError, match="not complete"):
        placed().started("11-24 09:00", NOW, ZONE).draft()
    with pytest.raises(ValueError, match="not complete"):
        NoticeForm().draft()


def test_the_form_survives_its_session_as_json() -> None:
    form = placed().started("11-24 09:00", NOW, ZONE).ended("12:00", NOW, ZONE).described("换管")
    assert NoticeForm.model_validate(form.model_dump(mode="json")) == form


def test_a_window_the_service_is_given_ends_after_it_starts_and_is_not_over() -> None:
    check_window(local(24, 9), local(24, 12), NOW, ZONE)
    with pytest.raises(NotAfter) as backwards:
        check_window(local(24, 12), local(24, 9), NOW, ZONE)
    assert said(backwards.value.params) == {"when": TUE_9, "after": "11月24日（周二）中午12:00"}
    with pytest.raises(PastTime) as over:  # a preview confirmed after its end
        check_window(local(21, 9), local(21, 12), NOW, ZONE)
    assert said(over.value.params) == {"when": "11月21日（周六）中午12:00"}
