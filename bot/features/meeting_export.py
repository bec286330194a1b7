"""⬇ Export of a meeting for its organiser: every invitee and contact with their answers and
attendance, as XLSX and CSV. The files are made when the channel sends them (see
bot.delivery.files), by a reference that names the meeting, who asked and the format: the
service checks again, then, that they may see it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.delivery.files import FileNotAvailable, Maker
from bot.dialogs.engine import Ctx
from bot.documents.meeting_export import meeting_table
from bot.documents.tables import table_csv, table_xlsx
from bot.domain.errors import DomainError
from bot.domain.messages import Attachment
from bot.interaction.screen import Reply, Screen

if TYPE_CHECKING:
    from bot.services import Services

PREFIX = "meeting-table"
FORMATS = ("xlsx", "csv")


def tables(services: Services) -> Maker:
    """Makes "meeting-table:<meeting>:<user>:<format>" (FileNotAvailable if it cannot)."""

    async def make(argument: str) -> tuple[str, bytes]:
        meeting_ref, _, rest = argument.partition(":")
        user_ref, _, fmt = rest.partition(":")
        if not (meeting_ref.isdigit() and user_ref.isdigit()) or fmt not in FORMATS:
            raise FileNotAvailable(argument)
        user = await services.users.get(int(user_ref))
        try:
            overview = await services.meetings.overview(user, int(meeting_ref))
        except DomainError:
            raise FileNotAvailable(argument) from None
        language = services.users.language_of(user)
        rows = meeting_table(overview, language, services.meetings.timezone)
        if fmt == "xlsx":
            data = await services.offload(table_xlsx, rows, "meeting")
        else:
            data = await services.offload(table_csv, rows)
        return f"meeting-{overview.meeting.id}.{fmt}", data

    return make


async def export(ctx: Ctx, meeting_id: int) -> Reply:
    """The two files, one after the other (NotAllowed, NotFound: the service's checks)."""
    services = ctx.services
    overview = await services.meetings.overview(ctx.user, meeting_id)
    services.files.register(PREFIX, tables(services))  # made when the channel sends them
    files = [
        Attachment(kind="generated", ref=f"{PREFIX}:{overview.meeting.id}:{ctx.user.id}:{fmt}")
        for fmt in FORMATS
    ]
    return Reply(screens=tuple(Screen(texts=(), attachment=f, replace=False) for f in files))
