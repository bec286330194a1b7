"""A meeting as an iCalendar file (icalendar), so that it lands in the phone's calendar.

RFC 5545 and the scheduling rules of RFC 5546 (iTIP): the event keeps one UID for its whole
life; METHOD:REQUEST while it is on and METHOD:CANCEL (STATUS:CANCELLED) once it is called off;
SEQUENCE is the meeting's revision, raised by every change of time, place or status, so that a
calendar replaces its copy with a newer file and ignores an older one; DTSTAMP is when the file
was made (UTC); times are in the community's zone with its VTIMEZONE in the file.

There is no ATTENDEE: invitees answer in the chat, not by calendar replies, and the bot knows
no calendar address for them (one file goes to every invitee).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress

from bot.domain.meetings import DEFAULT_LENGTH, Meeting, MeetingStatus

PRODID = "-//Shangliang//meetings//ZH"


def ics(meeting: Meeting, timezone: str, *, stamp: datetime, organiser: str = "") -> bytes:
    """The meeting as an iCalendar file made at `stamp`: one event in local time with its
    time zone, a request while it is on and a cancellation once it is called off."""
    cancelled = meeting.status is MeetingStatus.CANCELLED
    zone = ZoneInfo(timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@shangliang")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", (meeting.starts_at + DEFAULT_LENGTH).astimezone(zone))
    event.add("summary", meeting.title)
    event.add("location", meeting.place)
    if meeting.agenda:
        event.add("description", meeting.agenda)
    event.add("organizer", _organiser(meeting, organiser))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    # A VTIMEZONE for every TZID (none when the zone is UTC, written with Z), ahead of the
    # event that names it (some readers want no forward reference), and only for the years
    # around the meeting: the zone's whole history would be most of the file.
    local_day = meeting.starts_at.astimezone(zone).date()
    for tzid in sorted(calendar.get_missing_tzids()):
        calendar.subcomponents.insert(
            0,
            Timezone.from_tzid(
                tzid,
                first_date=local_day - timedelta(days=366),
                last_date=local_day + timedelta(days=366),
            ),
        )
    return bytes(calendar.to_ical())


def _organiser(meeting: Meeting, name: str) -> vCalAddress:
    """ORGANIZER is required with a METHOD (RFC 5546); the bot has no e-mail address for
    the organiser, so the address is a URN of the bot's user and the name goes in CN."""
    address = vCalAddress(f"urn:x-shangliang:user:{meeting.organiser_id}")
    if name:
        address.params["cn"] = name
    return address
