"""How values are written to SQLite and read back: UTC ISO text, exact areas, JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, overload


def time_to_db(moment: datetime) -> str:
    """A tz-aware datetime as ISO-8601 UTC text (sorts correctly as text)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@overload
def time_from_db(text: str) -> datetime: ...
@overload
def time_from_db(text: None) -> None: ...
@overload
def time_from_db(text: str | None) -> datetime | None: ...
def time_from_db(text: str | None) -> datetime | None:
    """The stored text back as a tz-aware UTC datetime."""
    return datetime.fromisoformat(text) if text else None


def area_to_db(area: Decimal) -> int:
    """m² (two decimals at most) as integer hundredths."""
    hundredths = area * 100
    if hundredths != hundredths.to_integral_value():
        raise ValueError(f"area {area} has more than two decimals")
    return int(hundredths)


def area_from_db(hundredths: int) -> Decimal:
    """Integer hundredths back to m²."""
    return (Decimal(hundredths) / 100).quantize(Decimal("0.01"))


def json_to_db(value: Any) -> str:
    """Compact JSON, non-ASCII kept readable."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_from_db(text: str) -> Any:
    """Stored JSON back to Python values."""
    return json.loads(text)
