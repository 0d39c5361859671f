"""The claim check: read what the claim names, run the diagnosis and procedure edits, say what was
checked. Nothing of the claim is stored or logged.

Round trips: one batch get for every code, NCCI row and release summary the claim names (a 12-line
claim with 12 diagnoses: about 300 keys, 3 batch gets of 100), plus one get of the payer's sheet.
"""

from __future__ import annotations

from typing import Any

from codedesk.claims.diagnoses import diagnosis_edits
from codedesk.claims.edit_files import EDIT_KINDS, KIND_NAMES
from codedesk.claims.facts import ClaimFacts, read_facts
from codedesk.claims.models import CheckAnswer, ClaimCheckRequest, Edit
from codedesk.claims.procedures import procedure_edits
from codedesk.codes.models import CodeSystem
from codedesk.errors import InvalidFields, NotFound
from codedesk.payers.models import PayerSheet
from codedesk.payers.service import one_sheet

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
IMPORT_COMMANDS = {"ptp": "ncci-ptp", "mue": "mue", "addon": "addon"}
SEX_EDITS = (
    "Sex edits: not applied; the Medicare Code Editor's sex edits were deactivated for discharges from October 1, 2024."
)
AGE_EDITS = (
    "Age and record edits: from the tabular list's notes (chapter 15 maternal records only, chapter 16 "
    "newborn records only, category Z38 the initial birth record)."
)


def _sheet(view: Any, payer_id: str | None) -> PayerSheet | None:
    if payer_id is None:
        return None
    try:
        return one_sheet(view, payer_id)
    except NotFound as error:
        raise InvalidFields(str(error), details=[{"field": "payer_id", "message": str(error)}]) from None


def _release_words(facts: ClaimFacts, system: CodeSystem, label: str) -> str:
    summary = facts.code_sets.get(("file", system))
    if summary is not None:
        return f"{label}: release {summary['release']} and the releases before it that are loaded."
    if system == CodeSystem.CPT:
        return (
            "CPT: no licensed CPT file is loaded, so CPT codes were not checked for validity "
            "(`codedesk import cpt FILE`)."
        )
    return f"{label}: no release file is loaded; only Codedesk's curated codes were checked."


def checked(facts: ClaimFacts, sheet: PayerSheet | None) -> list[str]:
    said = [
        _release_words(facts, CodeSystem.ICD10CM, "ICD-10-CM"),
        _release_words(facts, CodeSystem.HCPCS, "HCPCS Level II"),
        _release_words(facts, CodeSystem.CPT, "CPT"),
    ]
    for kind in EDIT_KINDS:
        summary = facts.edit_files[kind]
        name = KIND_NAMES[kind]
        if summary is None:
            said.append(f"{name}: not loaded, so not checked (`codedesk import {IMPORT_COMMANDS[kind]} FILE`).")
        else:
            said.append(f"{name}: {summary['quarter']} ({summary['file']}, {summary['rows']} rows).")
    said += [AGE_EDITS, SEX_EDITS]
    if sheet is not None:
        said.append(f"Payer rules: the {sheet.name} sheet's code rules in force on the date of service.")
    else:
        said.append("Payer rules: no payer chosen.")
    return said


def check_claim(view: Any, claim: ClaimCheckRequest) -> CheckAnswer:
    sheet = _sheet(view, claim.payer_id)
    facts = read_facts(view, claim)
    edits: list[Edit] = [*diagnosis_edits(claim, facts), *procedure_edits(claim, facts, sheet)]
    edits.sort(key=lambda edit: SEVERITY_ORDER[edit.severity])
    return CheckAnswer(edits=edits, checked=checked(facts, sheet))
