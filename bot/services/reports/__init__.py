"""Reports (报事): residents file tickets and follow them; grid workers handle them in time.

Every status change is appended to the ticket's history and pushed (through the outbox) to
the members of the reporting household and of the households that joined with "+1". Deadlines
are job rows: a reminder to the assignee before each deadline and an escalation to staff after
it, each at most once, rebuilt from the database after a restart.

The service is one class built in layers, one module each: `cards` (lookups and the cards that
show a ticket) → `timers` (status changes, the households told, SLA timers) → `desk` (the grid
worker's actions) → `intake` (what residents do), which is `ReportService`.
"""

from bot.services.reports.intake import ReportService
from bot.services.reports.ports import BuildingTree, Homes, TicketStore

__all__ = ["BuildingTree", "Homes", "ReportService", "TicketStore"]
