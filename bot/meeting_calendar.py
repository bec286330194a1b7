"""A meeting as an iCalendar file (icalendar), so that it lands in the phone's calendar."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.domain.meetings import DEFAULT_LENGTH, Meeting, MeetingStatus


def ics(meeting: Meeting, timezone: str, *, organiser: str = "") -> bytes:
    """The meeting as an iCalendar file (one event, local time zone), for the phone's
    calendar; cancelled meetings are marked so."""
    calendar = Calendar()
    calendar.add("prodid", "-//Shangliang//meetings//ZH")
    calendar.add("version", "2.0")
    event = Event()
    zone = ZoneInfo(timezone)
    event.add("uid", f"meeting-{meeting.id}@shangliang")
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", (meeting.starts_at + DEFAULT_LENGTH).astimezone(zone))
    event.add("dtstamp", meeting.starts_at)
    event.add("location", meeting.place)
    if meeting.agenda:
        event.add("description", meeting.agenda)
    if organiser:
        event.add("organizer", f"CN={organiser}")
    event.add("status", "CANCELLED" if meeting.status is MeetingStatus.CANCELLED else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()
