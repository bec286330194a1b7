"""Use cases, one service per capability; they take and return domain models."""

from __future__ import annotations

from dataclasses import dataclass

from bot.delivery.files import GeneratedFiles
from bot.delivery.notify import ChannelRouter
from bot.delivery.scheduling import Scheduler
from bot.delivery.sender import OutboxSender
from bot.dialogs.engine import Dialogs
from bot.ports import Clock, Offload
from bot.services.access import AccessService
from bot.services.broadcasts import BroadcastService
from bot.services.community import CommunityService
from bot.services.contacts import ContactService
from bot.services.free_input import FreeInputService
from bot.services.grids import GridService
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


@dataclass(frozen=True)
class Services:
    """Everything a channel adapter may call."""

    clock: Clock
    users: UserService
    community: CommunityService
    notifier: OutboxNotifier
    channels: ChannelRouter
    sender: OutboxSender
    scheduler: Scheduler
    access: AccessService
    grids: GridService
    registration: RegistrationService
    invitations: InvitationService
    roster: RosterService
    broadcasts: BroadcastService
    notices: NoticeService
    reports: ReportService
    votes: VoteService
    meetings: MeetingService
    contacts: ContactService  # who looks after a building, the numbers to call
    files: GeneratedFiles
    offload: Offload  # slow, pure work (charts, spreadsheets) off the event loop
    dialogs: Dialogs  # every guided conversation and where each person is in one
    free_input: FreeInputService  # what a person sent outside any flow, kept until they choose
    threads: ThreadService  # households talking with their grid worker
