"""A proposal (a resolution that needs the owners' consent) as staff compose it, step by step,
before it is a `ProposalDraft`: its text, the rule it is decided by (one of the fixed ones, or
custom thresholds typed), its files, and how its cost is shared over the floors."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from bot.domain.consent import Rule, RuleKind
from bot.domain.errors import DomainError
from bot.domain.messages import Attachment
from bot.domain.text import words
from bot.domain.vote_form import VoteForm
from bot.domain.votes import (
    MAX_ATTACHMENTS,
    MAX_BODY,
    ProposalDraft,
    parse_coefficients,
    parse_yuan,
    rule_named,
)

FILE_KINDS = frozenset({"photo", "document"})  # what a proposal may carry


class TooManyFiles(DomainError):
    """More than MAX_ATTACHMENTS files."""

    key = "vote.too_many_files"


class ProposalForm(VoteForm):
    """What the proposal flow has gathered so far (`rule` None: not chosen yet; `custom`: the
    thresholds typed for a custom rule; `cost_fen` None: the cost is not shared)."""

    body: str = ""
    rule: RuleKind | None = None
    custom: str = ""
    files: tuple[Attachment, ...] = ()
    cost_fen: int | None = None
    coefficients: dict[int, Decimal] = Field(default_factory=dict)

    def described(self, typed: str) -> ProposalForm:
        """The proposal's text: trimmed, not blank, at most MAX_BODY characters."""
        return self.model_copy(update={"body": words(typed, MAX_BODY)})

    def ruled(self, kind: RuleKind) -> ProposalForm:
        """The kind of rule chosen (custom thresholds are typed next)."""
        return self.model_copy(update={"rule": kind})

    @property
    def is_custom(self) -> bool:
        """Whether its thresholds are typed (the step that asks for them applies)."""
        return self.rule is RuleKind.CUSTOM

    def with_thresholds(self, typed: str) -> ProposalForm:
        """Custom thresholds typed as "<participation> <approval> [area|owners]" (BadVoteSpec
        when they cannot be read)."""
        cleaned = typed.strip()
        rule_named(RuleKind.CUSTOM, cleaned)
        return self.model_copy(update={"custom": cleaned})

    def with_file(self, file: Attachment) -> ProposalForm:
        """One more file (a PDF plan, a cost table, a photo): at most MAX_ATTACHMENTS."""
        if file.kind not in FILE_KINDS:
            raise ValueError(f"a proposal carries no {file.kind}")
        if len(self.files) >= MAX_ATTACHMENTS:
            raise TooManyFiles(max=MAX_ATTACHMENTS)
        return self.model_copy(update={"files": (*self.files, file)})

    def costed(self, typed: str) -> ProposalForm:
        """The cost shared over the floors, typed "total; floor coefficients", e.g.
        "120000; 1:0 2:0.6 3-6:1" (BadVoteSpec when either part cannot be read)."""
        total, _, coefficients = typed.strip().replace("；", ";").partition(";")
        fen = parse_yuan(total)
        shares = parse_coefficients(coefficients)
        return self.model_copy(update={"cost_fen": fen, "coefficients": shares})

    def not_costed(self) -> ProposalForm:
        """The cost is not shared."""
        return self.model_copy(update={"cost_fen": None, "coefficients": {}})

    def decided_by(self) -> Rule:
        """The rule (ValueError before it is chosen; BadVoteSpec for custom thresholds that
        cannot be read)."""
        if self.rule is None:
            raise ValueError("no rule chosen")
        return rule_named(self.rule, self.custom)

    def draft(self) -> ProposalDraft:
        """The proposal as the service creates it (ValueError while it is incomplete or does
        not hold together: closing before opening, a cost without coefficients…)."""
        return ProposalDraft.model_validate(
            {
                **self._window(),
                "body": self.body,
                "rule": self.decided_by(),
                "attachments": self.files,
                "total_cost_fen": self.cost_fen,
                "coefficients": self.coefficients,
            }
        )
