"""Denial cards as the API and the site show them, and as they are stored in the table.

One card per group code, CARC and RARC. A published card item holds our content model's fields;
an operator's imported official list adds the X12 description and dates in a separate item, so
re-importing a list never touches our explanations and republishing content never drops the list.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from codedesk.denials.codes import CodeKind
from codedesk.denials.models import (
    ACTION_WORDS,
    EXPLANATION_BY,
    Action,
    CarcCard,
    Deadline,
    GroupCode,
    OfficialCode,
    OwnerRole,
    RarcCard,
    ReasonCard,
    Statement,
)
from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item


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
    appealable: bool | None = None
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


REASON_MODELS: dict[CodeKind, type[ReasonCard]] = {CodeKind.CARC: CarcCard, CodeKind.RARC: RarcCard}

# ------------------------------------------------------------------------------ table keys


def card_key(kind: CodeKind, code: str) -> tuple[str, str]:
    return key(Prefix.DENIAL, kind.value.upper()), code


def official_key(kind: CodeKind, code: str) -> tuple[str, str]:
    return key(Prefix.DENIAL_LIST, kind.value.upper()), code


def group_item(group: GroupCode) -> Item:
    pk, sk = card_key(CodeKind.GROUP, group.code)
    return {"PK": pk, "SK": sk, **group.model_dump(mode="json")}


def reason_item(card: ReasonCard) -> Item:
    pk, sk = card_key(card.kind, card.code)
    return {"PK": pk, "SK": sk, **card.model_dump(mode="json")}


def official_item(row: OfficialCode) -> Item:
    pk, sk = official_key(row.kind, row.code)
    return {"PK": pk, "SK": sk, **row.model_dump(mode="json", exclude={"kind", "code"})}


# ----------------------------------------------------------------------------- item → card


def _data(item: Item) -> dict[str, Any]:
    return {name: value for name, value in item.items() if name not in ("PK", "SK")}


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


def card_from_items(kind: CodeKind, code: str, card: Item | None, official: Item | None, today: date) -> DenialCard | None:
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
    data = _data(card)
    if kind is CodeKind.GROUP:
        group = GroupCode.model_validate(data)
        return DenialCard(
            code=group.code,
            kind=kind,
            title=group.title,
            meaning=group.meaning,
            common_causes=group.common_causes,
            fix_steps=group.fix_steps,
            who_pays=group.who_pays,
            patient_may_be_billed=group.patient_may_be_billed,
            current=group.current,
            statements=group.statements,
            carded=True,
            source=group.source,
            reviewed_on=group.reviewed_on,
            verify=group.verify,
        )
    reason = REASON_MODELS[kind].model_validate(data)
    return DenialCard(
        code=reason.code,
        kind=kind,
        title=reason.title,
        meaning=reason.meaning,
        common_causes=reason.common_causes,
        fix_steps=reason.fix_steps,
        action=reason.action,
        action_words=ACTION_WORDS[reason.action],
        appealable=reason.appealable,
        owner_role=reason.owner_role,
        related=reason.related_codes,
        deadlines=reason.deadlines,
        statements=reason.statements,
        quiz_topics=reason.quiz_topics,
        payer_rule_topics=reason.payer_rule_topics,
        carded=True,
        official=official_text,
        source=reason.source,
        reviewed_on=reason.reviewed_on,
        verify=reason.verify,
    )
