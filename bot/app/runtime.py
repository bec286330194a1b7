"""The composition root of the core: database → migrations → repositories → services."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.app.config import Settings
from bot.app.config_contacts import contact_directory
from bot.app.offload import WorkerThreads
from bot.clock import SystemClock
from bot.delivery.files import GeneratedFiles
from bot.delivery.notify import ChannelRouter
from bot.delivery.scheduling import Scheduler
from bot.delivery.sender import OutboxSender
from bot.dialogs.broadcast import BroadcastFlow
from bot.dialogs.engine import Dialogs
from bot.dialogs.meeting_create import MeetingCreation
from bot.dialogs.meeting_input import MeetingTyping
from bot.dialogs.menu_create import MenuCreateFlow
from bot.dialogs.my_reports import MyReportsReply
from bot.dialogs.notice import NoticeFlow
from bot.dialogs.proposal_create import ProposalCreateFlow
from bot.dialogs.registration import Registration
from bot.dialogs.report import Report
from bot.dialogs.thread import ThreadWriting
from bot.dialogs.tickets import Desk
from bot.documents.meeting_calendar import ics
from bot.domain.delivery import QuietHours
from bot.ports import Clock, Offload
from bot.services import Services
from bot.services.access import AccessService
from bot.services.broadcasts import BroadcastService
from bot.services.community import CommunityService
from bot.services.contacts import ContactService
from bot.services.free_input import FreeInputService
from bot.services.grids import GridService, GridSpec, LeadSpec
from bot.services.invitations import InvitationService
from bot.services.meetings import MeetingService
from bot.services.notices import NoticeService
from bot.services.outbox import OutboxNotifier
from bot.services.registration import RegistrationService
from bot.services.reports import ReportService
from bot.services.roster import RosterService
from bot.services.threads import ThreadService
from bot.services.users import UserService
from bot.services.votes import VoteService
from storage.audience import SqliteAudienceRepository
from storage.broadcasts import SqliteBroadcastRepository
from storage.community import SqliteCommunityRepository
from storage.database import Database
from storage.dialogs import SqliteDialogStore
from storage.grids import SqliteGridRepository
from storage.invitations import SqliteInvitationRepository
from storage.jobs import SqliteJobRepository
from storage.meetings import SqliteMeetingRepository
from storage.memberships import SqliteMembershipRepository
from storage.migrate import migrate
from storage.notices import SqliteNoticeRepository
from storage.outbox import SqliteOutboxRepository
from storage.pending import SqlitePendingInputs
from storage.reports import SqliteTicketRepository
from storage.roster import SqliteRosterRepository
from storage.threads import SqliteThreads
from storage.users import SqliteUserRepository
from storage.votes import SqliteVoteRepository

# The ids in [roles] and [[grids]] of config.toml are Telegram user ids.
CHANNEL = "telegram"

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    """An open database and the services built on it."""

    settings: Settings
    db: Database
    services: Services
    workers: WorkerThreads

    async def close(self) -> None:
        """Stop the worker threads and close the database."""
        try:
            self.workers.close()
        finally:
            await self.db.close()


def build_services(settings: Settings, db: Database, clock: Clock, offload: Offload) -> Services:
    """Wire repositories into services."""
    community = SqliteCommunityRepository(db)
    grids = SqliteGridRepository(db)
    users = SqliteUserRepository(db)
    outbox = SqliteOutboxRepository(db)
    channels = ChannelRouter()
    quiet = QuietHours(
        start=settings.quiet_hours.start,
        end=settings.quiet_hours.end,
        timezone=settings.community.timezone,
    )
    notifier = OutboxNotifier(uow=db, outbox=outbox, clock=clock, quiet=quiet)
    sender = OutboxSender(uow=db, outbox=outbox, users=users, channels=channels, clock=clock)
    notifier.on_queued(sender.wake)
    scheduler = Scheduler(uow=db, jobs=SqliteJobRepository(db), clock=clock)
    access = AccessService(grids=grids)
    audience = SqliteAudienceRepository(db)
    broadcasts = BroadcastService(
        uow=db,
        broadcasts=SqliteBroadcastRepository(db),
        audience=audience,
        outbox=outbox,
        notifier=notifier,
        users=users,
        access=access,
        scheduler=scheduler,
        clock=clock,
        timezone=settings.community.timezone,
    )
    sender.on_finished(broadcasts.on_delivered)
    notices = NoticeService(
        uow=db,
        notices=SqliteNoticeRepository(db),
        audience=audience,
        places=grids,
        broadcasts=broadcasts,
        notifier=notifier,
        users=users,
        scheduler=scheduler,
        clock=clock,
        timezone=settings.community.timezone,
        language_of=lambda user: user.language or settings.community.default_language,
    )
    memberships = SqliteMembershipRepository(db)
    contacts = ContactService(
        directory=contact_directory(settings, CHANNEL),
        places=grids,
        users=users,
        memberships=memberships,
        timezone=settings.community.timezone,
    )
    registration = RegistrationService(
        uow=db,
        community=community,
        places=grids,
        memberships=memberships,
        users=users,
        access=access,
        notifier=notifier,
        clock=clock,
        contacts=contacts,
    )
    reports = ReportService(
        uow=db,
        tickets=SqliteTicketRepository(db),
        homes=registration,
        memberships=memberships,
        places=grids,
        tree=community,
        users=users,
        access=access,
        notifier=notifier,
        scheduler=scheduler,
        clock=clock,
        levels=settings.service_levels.levels(),
        timezone=settings.community.timezone,
    )
    vote_store = SqliteVoteRepository(db)
    votes = VoteService(
        uow=db,
        votes=vote_store,
        users=users,
        access=access,
        notifier=notifier,
        broadcasts=broadcasts,
        scheduler=scheduler,
        clock=clock,
        timezone=settings.community.timezone,
        offload=offload,
        contacts=contacts,
    )
    files = GeneratedFiles()
    meetings = MeetingService(
        uow=db,
        meetings=SqliteMeetingRepository(db),
        households=vote_store,
        users=users,
        access=access,
        notifier=notifier,
        scheduler=scheduler,
        clock=clock,
        timezone=settings.community.timezone,
        reminder_hours=settings.meetings.reminder_hours,
        files=files,
        calendar=ics,
    )
    return Services(
        clock=clock,
        users=UserService(
            uow=db,
            users=users,
            clock=clock,
            roles=grids,
            staff=frozenset((CHANNEL, str(user_id)) for user_id in settings.roles.staff),
            default_language=settings.community.default_language,
        ),
        community=CommunityService(uow=db, community=community),
        notifier=notifier,
        channels=channels,
        sender=sender,
        scheduler=scheduler,
        access=access,
        grids=GridService(uow=db, store=grids, channel=CHANNEL),
        registration=registration,
        invitations=InvitationService(
            uow=db, store=SqliteInvitationRepository(db), buildings=community, clock=clock
        ),
        roster=RosterService(
            uow=db, store=SqliteRosterRepository(db), community=community, clock=clock
        ),
        broadcasts=broadcasts,
        notices=notices,
        reports=reports,
        votes=votes,
        meetings=meetings,
        contacts=contacts,
        files=files,
        offload=offload,
        dialogs=Dialogs(
            store=SqliteDialogStore(db),
            flows={
                flow.feature: flow
                for flow in (
                    Registration(),
                    Report(),
                    BroadcastFlow(),
                    MenuCreateFlow(),
                    ProposalCreateFlow(),
                    NoticeFlow(),
                    MyReportsReply(),
                    Desk(),
                    MeetingCreation(),
                    MeetingTyping(),
                    ThreadWriting(),
                )
            },
        ),
        free_input=FreeInputService(store=SqlitePendingInputs(db), clock=clock),
        threads=ThreadService(
            uow=db,
            store=SqliteThreads(db),
            homes=registration,
            places=grids,
            memberships=memberships,
            users=users,
            access=access,
            notifier=notifier,
            reports=reports,
            meetings=meetings,
            clock=clock,
        ),
    )


def grid_specs(settings: Settings) -> tuple[list[GridSpec], list[LeadSpec]]:
    """The configured grids and building leads, as the grid service takes them."""

    def names(path: str) -> tuple[str, str]:
        compound, _, building = path.partition("/")
        return compound, building

    grids = [
        GridSpec(
            name=grid.name,
            buildings=[names(path) for path in grid.buildings],
            workers=[str(worker) for worker in grid.workers],
        )
        for grid in settings.grids
    ]
    leads = [
        LeadSpec(building=names(lead.building), external_id=str(lead.telegram_id))
        for lead in settings.building_leads
    ]
    return grids, leads


async def sync_grids(runtime: Runtime) -> list[str]:
    """Write the configured grids to the database; the buildings it could not find."""
    grids, leads = grid_specs(runtime.settings)
    return await runtime.services.grids.sync(grids, leads)


async def open_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    """Open the database, migrate it, and build the services."""
    db = await Database.open(settings.storage.database)
    workers = WorkerThreads()
    try:
        applied = await migrate(db)
        if applied:
            logger.info("database migrated: %s", ", ".join(applied))
        services = build_services(settings, db, clock or SystemClock(), workers)
        await services.community.ensure(settings.community.name, settings.community.timezone)
        runtime = Runtime(settings=settings, db=db, services=services, workers=workers)
        await sync_grids(runtime)
    except BaseException:
        workers.close()
        await db.close()
        raise
    return runtime


@asynccontextmanager
async def runtime_for(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Runtime]:
    """open_runtime as a context manager that always closes."""
    runtime = await open_runtime(settings, clock)
    try:
        yield runtime
    finally:
        await runtime.close()
