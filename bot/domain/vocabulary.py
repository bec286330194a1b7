"""The features of Shangliang by the short code their buttons carry: one vocabulary for the core
(pushes name the feature whose button they carry) and for every channel's payloads."""

from __future__ import annotations

from enum import StrEnum


class Feature(StrEnum):
    """Who handles a press (the codes are on buttons already sent: never change one)."""

    REGISTRATION = "reg"
    REPORT = "rf"
    VOTE = "vt"
    BROADCAST = "bc"
    NOTICE = "nt"  # construction and outage notices
    VOTE_CREATE = "vc"  # staff create a menu or a proposal (the menu's flow)
    PROPOSAL_CREATE = "vp"  # the proposal's flow (begun from a "vc" button)
    MEETING_CREATE = "mc"  # staff call a meeting
    MEETING = "mg"  # invitees answer, organisers manage
    MY_REPORTS = "rp"  # a resident's own reports
    TICKET = "tk"  # the grid worker's desk
    HOME = "home"  # 🏠 my home
    LANGUAGE = "lang"
    MUTE = "mute"  # notification settings
    FREE_INPUT = "fi"  # what was sent outside any flow: a report with it, or not
    THREAD = "th"  # a household's messages with its grid worker
