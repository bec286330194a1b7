"""Reading a meeting's .ics back (icalendar) and checking the points of RFC 5545 and RFC 5546
that calendars rely on to show the right time and to replace or remove an earlier copy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar, Event


@dataclass(frozen=True)
class CalendarFile:
    """What a calendar app takes from the file."""

    method: str
    uid: str
    sequence: int
    status: str
    start: datetime
    location: str
    stamp: datetime
    zones: frozenset[str]  # the TZIDs of its VTIMEZONEs


def read_calendar(data: bytes) -> CalendarFile:
    """Parse the file and check it; AssertionError naming the first rule it breaks."""
    calendar = Calendar.from_ical(data)
    assert calendar.get("version") == "2.0"
    assert calendar.get("prodid")
    method = str(calendar.get("method", ""))
    assert method in ("REQUEST", "CANCEL"), f"METHOD {method!r}"
    events = [c for c in calendar.walk() if isinstance(c, Event)]
    assert len(events) == 1, f"{len(events)} events"
    event = events[0]
    for name in ("uid", "dtstamp", "dtstart", "sequence", "organizer"):
        assert event.get(name) is not None, f"no {name.upper()}"
    # RFC 5545 3.2.19: a VTIMEZONE for every TZID a property names.
    used = {
        str(value.params["TZID"])
        for component in calendar.walk()
        if component.name not in ("VTIMEZONE", "STANDARD", "DAYLIGHT")
        for values in component.values()
        for value in (values if isinstance(values, list) else [values])
        if hasattr(value, "params") and "TZID" in value.params
    }
    defined = {str(tz.get("tzid")) for tz in calendar.walk("VTIMEZONE")}
    assert used <= defined, f"TZID without VTIMEZONE: {sorted(used - defined)}"
    # RFC 5545 3.8.7.2: DTSTAMP is in UTC.
    stamp = event.decoded("dtstamp")
    assert stamp.utcoffset() == timedelta(0), stamp
    status = str(event.get("status", ""))
    if method == "CANCEL":  # RFC 5546 3.2.5
        assert status == "CANCELLED", status
    else:
        assert status == "CONFIRMED", status
    return CalendarFile(
        method=method,
        uid=str(event.get("uid")),
        sequence=int(event.get("sequence")),
        status=status,
        start=event.decoded("dtstart"),
        location=str(event.get("location", "")),
        stamp=stamp,
        zones=frozenset(defined),
    )
