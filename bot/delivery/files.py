"""Files the core makes on demand for a push (a meeting's .ics), named by a reference such as
"meeting-ics:12": the channel adapter asks for the bytes when it sends the push, so the outbox
row stays small and the file is always current."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Maker = Callable[[str], Awaitable[tuple[str, bytes]]]


class FileNotAvailable(LookupError):
    """No maker for the reference, or the thing it names is gone."""


class GeneratedFiles:
    """Makers by prefix; `make("meeting-ics:12")` → ("meeting-12.ics", b"BEGIN:VCALENDAR…")."""

    def __init__(self) -> None:
        self._makers: dict[str, Maker] = {}

    def register(self, prefix: str, maker: Maker) -> None:
        """Let `maker` make the files whose reference starts with `prefix:`."""
        self._makers[prefix] = maker

    async def make(self, ref: str) -> tuple[str, bytes]:
        """The file name and bytes of a reference."""
        prefix, _, argument = ref.partition(":")
        maker = self._makers.get(prefix)
        if maker is None:
            raise FileNotAvailable(ref)
        return await maker(argument)
