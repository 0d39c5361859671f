"""One answer for a combination of codes from a remit line: group + CARCs + RARCs.

The group code decides who carries the amount; the reason codes decide what to do. The next steps
read in the order a person works: RARCs usually name the exact field to fix, so their steps come
first, then the CARC's, and the group's generic advice last; a step is said once. Whether a denial
can be appealed may depend on the kind of payer; the answer resolves it for the payer asked about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Literal, NamedTuple

from pydantic import BaseModel, Field

from codedesk.denials.cards import (
    ACTION_PRIORITY,
    ACTION_WORDS,
    DEPENDS_ON_PAYER,
    Action,
    Deadline,
    DenialCard,
    OwnerRole,
    for_payer_type,
)
from codedesk.denials.codes import DenialCode

# Deductible, coinsurance and copay belong to the patient by nature; under CO or PI they contradict
# the group code, and the payer has to say which is right.
PATIENT_SHARE_CARCS = frozenset({"1", "2", "3"})
PROVIDER_GROUPS = frozenset({"CO", "PI"})

NO_GROUP_WHO_PAYS = (
    "No group code given: who pays depends on the group code printed before the reason on the remit "
    "(CO or PI: the provider; PR: the patient; OA: read the reason)."
)


class PayerType(NamedTuple):
    """The kind of payer an explanation answers for: a payer sheet's `type` and its label."""

    type: str
    label: str


class PayerNote(BaseModel):
    """What a payer's sheet says about a denial code, shown next to the explanation when a payer is
    named. The payers domain writes them (payers.service.payer_notes_for_denial); the shape is the
    explainer's."""

    payer_id: str
    payer_name: str
    kind: Literal["denial", "code_rule"]
    code: str  # the denial code the note answers
    title: str | None = None
    text: str
    source: str
    reviewed_on: date
    verify: bool
    contract_dependent: bool
    stale: bool
    effective_from: date | None = None  # a rule that changed on a date: from when and until when it applied
    effective_to: date | None = None


class NextStep(BaseModel):
    text: str
    from_code: str | None = Field(description="the card the step comes from (a RARC, a CARC or the group code)")
    owner_role: OwnerRole | None = None


class Explanation(BaseModel):
    """API.md: GET /api/denials/explain."""

    codes: list[str] = Field(description="the codes as understood, e.g. CO-16, N290")
    group: DenialCard | None
    reasons: list[DenialCard]
    remarks: list[DenialCard]
    not_found: list[str] = Field(
        default_factory=list, description="real codes (as far as we know) that have no card and no official text yet"
    )
    not_codes: list[str] = Field(
        default_factory=list, description="codes that are not CARCs or RARCs at all (e.g. CARC 999); notes say why"
    )
    payer_type: str | None = Field(
        default=None, description="the kind of payer the answer is for, when a payer is named"
    )
    who_pays: str
    action: Action | None
    action_words: str | None
    next_steps: list[NextStep]
    deadlines: list[Deadline]
    notes: list[str] = Field(default_factory=list, description="contradictions and legacy codes worth knowing")
    payer_notes: list[PayerNote] = Field(default_factory=list)


def spelled(code: DenialCode) -> str:
    """How a parsed code is written back: CO-16, 16, N290, PR."""
    if code.group and code.carc:
        return f"{code.group}-{code.carc}"
    return code.code


def single_group(codes: list[DenialCode]) -> str | None:
    """The one group code among the codes; a remit line adjusts under one group at a time."""
    groups = list(dict.fromkeys(code.group for code in codes if code.group))
    if len(groups) > 1:
        raise ValueError(
            f"one group code at a time, not {' and '.join(groups)}: explain each group's adjustment separately"
        )
    return groups[0] if groups else None


def explain(
    codes: list[DenialCode],
    group: DenialCard | None,
    reasons: list[DenialCard],
    remarks: list[DenialCard],
    not_found: list[str],
    payer_notes: list[PayerNote],
    not_codes: Sequence[tuple[str, str]] = (),
    payer_type: PayerType | None = None,
) -> Explanation:
    """`not_codes`: (code, the sentence saying why it is not a code); `payer_type`: the named payer's kind."""
    notes: list[str] = [sentence for _, sentence in not_codes]
    group_code = group.code if group else None
    kind, label = payer_type if payer_type else (None, None)
    reasons = [for_payer_type(card, kind, label) for card in reasons]
    remarks = [for_payer_type(card, kind, label) for card in remarks]
    if group is not None and not group.current:
        notes.append(f"{group.code} is a legacy 4010 group code, not valid on current (5010) remittances.")
    action, _ = _decisive_action(reasons + remarks)
    action = _under_group(group_code, action, reasons, notes)
    return Explanation(
        codes=[spelled(code) for code in codes],
        group=group,
        reasons=reasons,
        remarks=remarks,
        not_found=not_found,
        not_codes=[code for code, _ in not_codes],
        payer_type=kind,
        who_pays=group.who_pays if group and group.who_pays else NO_GROUP_WHO_PAYS,
        action=action,
        action_words=ACTION_WORDS[action] if action else None,
        next_steps=_next_steps(group, reasons, remarks),
        deadlines=_deadlines(reasons + remarks),
        notes=notes,
        payer_notes=payer_notes,
    )


def _decisive_action(cards: list[DenialCard]) -> tuple[Action | None, DenialCard | None]:
    """The most urgent action among the cards: a fix beats an appeal beats a write-off."""
    carded = [(card.action, card) for card in cards if card.action is not None]
    if not carded:
        return None, None
    _, card = min(carded, key=lambda pair: ACTION_PRIORITY[pair[0]])
    return card.action, card


def _under_group(
    group: str | None, action: Action | None, reasons: list[DenialCard], notes: list[str]
) -> Action | None:
    if group == "PR" and action in (None, Action.NO_ACTION, Action.WRITE_OFF):
        return Action.BILL_PATIENT
    if group in PROVIDER_GROUPS and action is Action.BILL_PATIENT:
        if any(card.code in PATIENT_SHARE_CARCS for card in reasons):
            notes.append(
                f"Group {group} says the provider carries this amount, but the reason is a patient cost share "
                "(deductible, coinsurance or copay). Ask the payer which is right before billing anyone."
            )
            return Action.CONTACT_PAYER
        notes.append(
            f"Under group {group} the patient may not be billed for this amount. If the patient signed a valid advance "
            "notice before the service (for Medicare an ABN, with modifier GA on the line), the payer should have "
            "assigned it to the patient (PR): correct the claim first (at Medicare, a reopening to add GA) and bill "
            "the patient only once it comes back as PR."
        )
        return Action.WRITE_OFF
    return action


def _next_steps(group: DenialCard | None, reasons: list[DenialCard], remarks: list[DenialCard]) -> list[NextStep]:
    """The steps in working order: each remark's, then each reason's (with the appeal rule for the
    payer asked about, when the card's appeal depends on the payer), then the group's generic advice.
    The overall action is not repeated here: it is `action_words`, the answer's headline."""
    steps: list[NextStep] = []
    for card in [*remarks, *reasons]:
        steps.extend(NextStep(text=step, from_code=card.code, owner_role=card.owner_role) for step in card.fix_steps)
        if card.appeal_by_payer_type and card.appeal_words:
            words = card.appeal_words
            if words == DEPENDS_ON_PAYER:
                words = f"Whether {card.code} can be appealed {DEPENDS_ON_PAYER[0].lower()}{DEPENDS_ON_PAYER[1:]}"
            steps.append(NextStep(text=words, from_code=card.code, owner_role=card.owner_role))
    if group is not None:
        steps.extend(NextStep(text=step, from_code=group.code, owner_role=None) for step in group.fix_steps)
    # Cards often share a step ("Resubmit the claim."); say it once, where it first comes up.
    unique: dict[str, NextStep] = {}
    for step in steps:
        unique.setdefault(_step_key(step.text), step)
    return list(unique.values())


def _step_key(text: str) -> str:
    """Two steps are the same step when they differ only in case, punctuation or spacing."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _deadlines(cards: list[DenialCard]) -> list[Deadline]:
    unique: dict[tuple[str, str], Deadline] = {}
    for card in cards:
        for deadline in card.deadlines:
            unique.setdefault((deadline.what, deadline.source), deadline)
    return list(unique.values())
