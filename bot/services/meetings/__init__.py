"""Meetings: staff (or a grid worker for their grid) invite residents, roles and named
contacts; invitees answer until the deadline and send questions in advance; reminders go
out before the meeting; changes, cancellations and the minutes reach every invitee.

The list of invitees is fixed when the meeting is created. Reminders are job rows, rebuilt
after a restart; every push goes through the outbox.

The service is one class in layers: `lookups` → `organiser` → `invitees` (MeetingService).
"""

from bot.services.meetings.invitees import MeetingService
from bot.services.meetings.lookups import FEATURE, ICS_PREFIX, REMIND_KIND
from bot.services.meetings.models import CurrentHousehold, MeetingStore, Overview

__all__ = [
    "FEATURE",
    "ICS_PREFIX",
    "REMIND_KIND",
    "CurrentHousehold",
    "MeetingService",
    "MeetingStore",
    "Overview",
]
