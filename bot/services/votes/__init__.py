"""Votes: staff publish menus and proposals for a scope; households order and answer.

A menu's ballot and a proposal's answer belong to the household, not to the account: any
approved member may cast or change it until closing, the last change counts, and the other
members are told. Opening, a reminder to those who have not voted, and closing are job rows
(restored after a restart); closing freezes the result (a trigger keeps it frozen) and
announces it to the scope through the broadcast outbox.

The service is one class built in layers, one module each: `lookups` → `timers` → `menus` →
`proposals` → `paper`, which is `VoteService`; `models` holds its store protocol and views.
"""

from bot.services.votes.lookups import FEATURE, result_bars
from bot.services.votes.models import (
    Ballot,
    BallotChanged,
    Progress,
    ShareChanged,
    Standing,
    Vote,
    VoteStore,
)
from bot.services.votes.paper import VoteService

__all__ = [
    "FEATURE",
    "Ballot",
    "BallotChanged",
    "Progress",
    "ShareChanged",
    "Standing",
    "Vote",
    "VoteService",
    "VoteStore",
    "result_bars",
]
