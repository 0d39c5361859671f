"""What a payer's sheet says about another domain's code, as the denial explainer and code pages show it.

Apart from the payers API's answers (answers.py), which build on the sheet models: the denials
function answers with notes but loads the sheet models only for an explanation that names a payer.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel


class PayerNote(BaseModel):
    """A payer's own note about a denial code or a procedure code, for the denial and code pages."""

    payer_id: str
    payer_name: str
    kind: Literal["denial", "code_rule", "topic"]
    code: str  # the denial code, the procedure code, or the payer-rule topic the note answers
    title: str | None = None
    text: str
    source: str
    reviewed_on: date
    verify: bool
    contract_dependent: bool
    stale: bool
    effective_from: date | None = None  # a rule that changed on a date: from when and until when it applied
    effective_to: date | None = None
