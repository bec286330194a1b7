"""An in-process Telegram Bot API emulator, its PTB transport and a driver that plays users."""

from emulator.driver import ChatReader, GroupChat, UserClient
from emulator.faults import Fault
from emulator.limits import RateLimits
from emulator.records import ApiError, Button, Chat, Event, Message
from emulator.request import EmulatorRequest
from emulator.server import BotApiEmulator

__all__ = [
    "ApiError",
    "BotApiEmulator",
    "Button",
    "Chat",
    "ChatReader",
    "EmulatorRequest",
    "Event",
    "Fault",
    "GroupChat",
    "Message",
    "RateLimits",
    "UserClient",
]
