"""Invitation codes on a real database, and `shangliang invite-codes` writing the posters."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PIL import Image

from bot.__main__ import main
from bot.app.config import Settings
from bot.app.runtime import runtime_for
from bot.clock import ManualClock
from bot.domain.errors import NotFound
from bot.domain.invitations import InvitationRevoked, InvitationUnknown


async def seed(settings: Settings, clock: ManualClock) -> tuple[int, list[int]]:
    """幸福里小区 with 1号楼 and 2号楼; returns the compound id and building ids."""
    async with runtime_for(settings, clock) as runtime:
        community = runtime.services.community
        compound = await community.add_compound("幸福里小区")
        one = await community.add_building(compound.id, "1号楼")
        two = await community.add_building(compound.id, "2号楼")
    return compound.id, [one.id, two.id]


async def test_codes_are_reused_rotated_and_resolved(
    settings: Settings, clock: ManualClock
) -> None:
    _, (one, two) = await seed(settings, clock)
    async with runtime_for(settings, clock) as runtime:
        invitations = runtime.services.invitations
        first = await invitations.code_for(one)
        assert (await invitations.code_for(one)).payload == first.payload
        assert (await invitations.code_for(two)).payload != first.payload
        assert (await invitations.resolve(first.payload)).building_id == one

        rotated = await invitations.rotate(one)
        assert rotated.payload != first.payload
        assert (await invitations.resolve(rotated.payload)).building_id == one
        with pytest.raises(InvitationRevoked):
            await invitations.resolve(first.payload)
        with pytest.raises(InvitationUnknown):
            await invitations.resolve("never-issued")
        with pytest.raises(InvitationUnknown):
            await invitations.resolve("not a payload!")
        with pytest.raises(NotFound):
            await invitations.code_for(9999)


def config(tmp_path: Path, settings: Settings, username: str | None = "ShangliangTestBot") -> Path:
    """A config file on the test database."""
    path = tmp_path / "site.toml"
    bot = f'[bot]\nusername = "{username}"\n' if username else ""
    path.write_text(
        f'{bot}[storage]\ndatabase = "{settings.storage.database}"\n', encoding="utf-8"
    )
    return path


async def payloads_of(settings: Settings, clock: ManualClock, ids: list[int]) -> list[str]:
    """The active payloads of these buildings."""
    async with runtime_for(settings, clock) as runtime:
        return [(await runtime.services.invitations.code_for(b)).payload for b in ids]


def test_cli_writes_one_png_per_building_and_a_sheet(
    tmp_path: Path, settings: Settings, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    compound, (one, two) = asyncio.run(seed(settings, clock))
    out = tmp_path / "posters"
    args = ["--config", str(config(tmp_path, settings)), "invite-codes"]

    assert main([*args, "--compound", str(compound), "--out", str(out)]) == 0

    pngs = sorted(path.name for path in out.glob("*.png"))
    assert pngs == ["幸福里小区-1号楼.png", "幸福里小区-2号楼.png"]
    with Image.open(out / pngs[0]) as image:
        assert image.format == "PNG"
        assert image.size[0] == image.size[1] >= 300
    sheet = (out / "index.html").read_text(encoding="utf-8")
    payloads = asyncio.run(payloads_of(settings, clock, [one, two]))
    for payload in payloads:
        assert f"https://t.me/ShangliangTestBot?start={payload}" in sheet
    assert "1号楼" in sheet
    assert "2号楼" in sheet
    assert "page-break-inside: avoid" in sheet

    # Again: the same codes (posters already up keep working); --rotate replaces them.
    assert main([*args, "--building", str(one), "--out", str(out)]) == 0
    assert payloads[0] in (out / "index.html").read_text(encoding="utf-8")
    assert main([*args, "--building", str(one), "--rotate", "--out", str(out)]) == 0
    assert payloads[0] not in (out / "index.html").read_text(encoding="utf-8")
    capsys.readouterr()


def test_cli_refuses_without_username_or_with_unknown_building(
    tmp_path: Path, settings: Settings, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(seed(settings, clock))
    out = tmp_path / "posters"
    no_name = config(tmp_path, settings, username=None)
    assert (
        main(["--config", str(no_name), "invite-codes", "--building", "1", "--out", str(out)]) == 2
    )
    assert capsys.readouterr().err.strip() == (
        f"{no_name}: bot.username: needed for t.me links (the bot's @username without @)"
    )

    named = config(tmp_path, settings)
    code = main(
        [
            "--config",
            str(named),
            "invite-codes",
            "--building",
            "1",
            "--building",
            "77",
            "--out",
            str(out),
        ]
    )
    assert code == 1
    assert capsys.readouterr().err.strip() == "building 77: not found; nothing written"
    assert not out.exists()
