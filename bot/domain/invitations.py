"""QR invitations: opaque deep-link payloads that name a building without revealing it."""

from __future__ import annotations

import re
import secrets

from bot.domain.errors import DomainError

PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TOKEN_BYTES = 12  # 16 characters of base64url: 96 random bits


class InvitationUnknown(DomainError):
    """No building has this code (mistyped, made up, or from another community)."""

    key = "invite.unknown"


class InvitationRevoked(DomainError):
    """The code was replaced (a torn-down or leaked poster)."""

    key = "invite.revoked"


def is_valid_payload(text: str) -> bool:
    """Whether Telegram could carry `text` as a /start payload."""
    return bool(PAYLOAD.match(text))


def new_payload() -> str:
    """A fresh random payload; nothing in it depends on the building."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def deep_link(bot_username: str, payload: str) -> str:
    """The t.me link a QR code carries."""
    if not is_valid_payload(payload):
        raise ValueError("payload must be 1-64 characters of A-Za-z0-9_-")
    return f"https://t.me/{bot_username}?start={payload}"
