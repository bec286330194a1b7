"""⬇ Export of a meeting for its organiser: every invitee and contact with their answers and
attendance, as XLSX and CSV (made off the event loop), one file after the other."""

from __future__ import annotations

from bot.dialogs.engine import Ctx
from bot.documents.meeting_export import meeting_table
from bot.documents.tables import table_csv, table_xlsx
from bot.interaction.screen import Made, Reply, reply, screen


async def export(ctx: Ctx, meeting_id: int) -> Reply:
    """The two files, in the organiser's language (NotAllowed, NotFound: the service's)."""
    services = ctx.services
    overview = await services.meetings.overview(ctx.user, meeting_id)
    language = services.users.language_of(ctx.user)
    rows = meeting_table(overview, language, services.meetings.timezone)
    xlsx = await services.offload(table_xlsx, rows, "meeting")
    csv = await services.offload(table_csv, rows)
    name = f"meeting-{overview.meeting.id}"
    return reply(
        screen(attachment=Made(kind="document", name=f"{name}.xlsx", content=xlsx), replace=False),
        screen(attachment=Made(kind="document", name=f"{name}.csv", content=csv), replace=False),
    )
