from emulator.harness import BotHarness


async def test_start(harness: BotHarness) -> None:
    user = harness.user()
    await user.command("start")
    print(user.texts, user.keyboard)
    assert user.texts
