"""Denial cards as the API and the site show them, and as they are stored in the table.

One card per group code, CARC and RARC. A published card item holds our content model's fields;
an operator's imported official list adds the X12 description and dates in a separate item, so
re-importing a list never touches our explanations and republishing content never drops the list.

The parts of a card (actions, owner roles, deadlines, statements) are defined here and the content
models (models.py) build on them, so the denials function reads cards without loading those models.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from codedesk.content.facts import Sourced
from codedesk.denials.codes import CodeKind
from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item

# Printed with every card so nobody mistakes our wording for the X12 description.
EXPLANATION_BY = "Plain-words explanation written by Codedesk; not the official X12 code description."


class Action(StrEnum):
    """What the biller does next. Ordered here from most to least urgent (see `ACTION_PRIORITY`)."""

    CORRECT_AND_RESUBMIT = "correct_and_resubmit"
    SEND_RECORDS = "send_records"
    VERIFY_ELIGIBILITY = "verify_eligibility"
    BILL_OTHER_PAYER = "bill_other_payer"
    CONTACT_PAYER = "contact_payer"
    APPEAL = "appeal"
    BILL_PATIENT = "bill_patient"
    WRITE_OFF = "write_off"
    NO_ACTION = "no_action"


ACTION_PRIORITY: dict[Action, int] = {action: rank for rank, action in enumerate(Action)}

ACTION_WORDS: dict[Action, str] = {
    Action.CORRECT_AND_RESUBMIT: "Correct the claim and resubmit it (this is not an appeal)",
    Action.SEND_RECORDS: "Send the payer the records or information it asked for",
    Action.VERIFY_ELIGIBILITY: "Verify the patient's coverage and insurance details, then rebill",
    Action.BILL_OTHER_PAYER: "Bill the payer that is responsible first (coordination of benefits)",
    Action.CONTACT_PAYER: "Call the payer to learn what it needs or which rule it applied",
    Action.APPEAL: "Appeal (request a redetermination/reconsideration) if you disagree",
    Action.BILL_PATIENT: "Bill the patient for this amount",
    Action.WRITE_OFF: "Write the amount off; do not bill the patient",
    Action.NO_ACTION: "Nothing to fix; post the payment as it is",
}


class OwnerRole(StrEnum):
    """Who in a clinic usually fixes it: the person whose work produced the data that was wrong."""

    FRONT_DESK = "front_desk"
    CODER = "coder"
    BILLER = "biller"


class Statement(Sourced):
    """A regulatory or payer-policy statement on a card ("Medicare allows 12 months to file")."""

    text: str = Field(min_length=10)


class Deadline(Sourced):
    """A deadline that matters when working this denial. `days` is set only when a rule fixes it."""

    what: str = Field(min_length=5)
    days: int | None = Field(default=None, ge=1)
    applies_to: str = Field(min_length=3, description="whose rule: 'Medicare Part B', 'most payers', ...")


class PayerAppeal(Sourced):
    """Whether a denial can be appealed at one kind of payer, and what to do there instead.

    Some answers depend on who the payer is: a late claim has no appeal rights at Medicare but may be
    disputed with proof of timely filing under a commercial contract. `payer_type` is a payer sheet's
    `type` (medicare, medicaid, medicare_advantage, commercial); the content model checks it.
    """

    payer_type: str
    appealable: bool
    text: str = Field(min_length=10, description="what to do at this kind of payer, in our own words")


# What the explainer says when appealability depends on a payer the question did not name.
DEPENDS_ON_PAYER = "Depends on the payer and your contract with it: name the payer to see its rule."
APPEAL_WORDS = {
    True: "Yes: if you disagree after checking the claim, appeal within the payer's deadline.",
    False: "No: an appeal is not the route; fix the claim or post the adjustment as the steps say.",
}


class OfficialText(BaseModel):
    """The X12 description from the operator's own licensed list, shown apart from our words."""

    description: str
    start_date: date | None = None
    last_modified: date | None = None
    stop_date: date | None = None
    deactivated: bool


class DenialCard(BaseModel):
    """One card of the denial explainer (API.md: GET /api/denials/{code})."""

    code: str
    kind: CodeKind
    title: str
    meaning: str
    common_causes: list[str] = Field(default_factory=list)
    fix_steps: list[str] = Field(default_factory=list)
    action: Action | None = Field(default=None, description="null for group codes: the reason decides")
    action_words: str | None = None
    appealable: bool | None = Field(
        default=None, description="null for group codes, and when the answer depends on the payer (see appeal_words)"
    )
    appeal_words: str | None = Field(
        default=None, description="can it be appealed, in words, for the payer asked about"
    )
    appeal_by_payer_type: list[PayerAppeal] = Field(default_factory=list)
    owner_role: OwnerRole | None = None
    who_pays: str | None = Field(default=None, description="group codes only")
    patient_may_be_billed: bool | None = Field(default=None, description="group codes only")
    current: bool = Field(default=True, description="false for CR, a 4010-only group code")
    related: list[str] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    quiz_topics: list[str] = Field(default_factory=list)
    payer_rule_topics: list[str] = Field(default_factory=list)
    carded: bool = Field(description="false when Codedesk has no explanation yet (only the official list knows it)")
    explanation_by: str | None = EXPLANATION_BY
    official: OfficialText | None = None
    source: str | None = None
    reviewed_on: date | None = None
    verify: bool = False


# ------------------------------------------------------------------------------ table keys


def card_key(kind: CodeKind, code: str) -> tuple[str, str]:
    return key(Prefix.DENIAL, kind.value.upper()), code


def official_key(kind: CodeKind, code: str) -> tuple[str, str]:
    return key(Prefix.DENIAL_LIST, kind.value.upper()), code


# The one item of an imported list's partition that is not a code: which list it is and how long.
OFFICIAL_LIST_SK = "~LIST"


def official_list_key(kind: CodeKind) -> tuple[str, str]:
    return official_key(kind, OFFICIAL_LIST_SK)


# ----------------------------------------------------------------------------- item → card


def _official(item: Item | None, today: date) -> OfficialText | None:
    if item is None:
        return None
    stop = date.fromisoformat(item["stop_date"]) if item.get("stop_date") else None
    return OfficialText(
        description=item["description"],
        start_date=item.get("start_date"),
        last_modified=item.get("last_modified"),
        stop_date=stop,
        deactivated=stop is not None and stop < today,
    )


def card_from_items(
    kind: CodeKind, code: str, card: Item | None, official: Item | None, today: date
) -> DenialCard | None:
    """The answer for one code from its stored card and official-list row; None when neither exists."""
    if card is None and official is None:
        return None
    official_text = _official(official, today)
    if card is None:
        return DenialCard(
            code=code,
            kind=kind,
            title=(official_text.description[:90] if official_text else code),
            meaning="Codedesk has no explanation for this code yet; the description above is the official one.",
            carded=False,
            explanation_by=None,
            official=official_text,
        )
    # The stored card was checked against its content model when it was published; here it is only
    # read into the answer. Its fields carry the answer's names, except `related_codes`; the keys and
    # the search `keywords` are not part of the answer.
    if kind is CodeKind.GROUP:
        return DenialCard.model_validate({**card, "kind": kind, "carded": True})
    return DenialCard.model_validate(
        {
            **card,
            "kind": kind,
            "carded": True,
            "action_words": ACTION_WORDS[Action(card["action"])],
            "related": card.get("related_codes", []),
            "official": official_text,
            "appeal_words": APPEAL_WORDS[card["appealable"]]
            if card.get("appealable") is not None
            else DEPENDS_ON_PAYER,
        }
    )


def for_payer_type(card: DenialCard, payer_type: str | None, payer_label: str | None = None) -> DenialCard:
    """The card as it answers for one kind of payer: a per-payer-type appeal rule, when the card has
    one for that type, decides `appealable`; without a payer (or a rule for its type) it stays open."""
    if not card.appeal_by_payer_type:
        return card
    rule = next((rule for rule in card.appeal_by_payer_type if rule.payer_type == payer_type), None)
    if rule is not None:
        return card.model_copy(update={"appealable": rule.appealable, "appeal_words": rule.text})
    if payer_type is None:
        return card.model_copy(update={"appealable": None, "appeal_words": DEPENDS_ON_PAYER})
    return card.model_copy(
        update={
            "appealable": None,
            "appeal_words": f"Depends on this {payer_label or payer_type} payer's rules and your contract: "
            "check its appeal or dispute process before writing the amount off.",
        }
    )
