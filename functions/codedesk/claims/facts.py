"""What a check reads, all in one batch get: the claim's codes with the codes above them (whose notes
apply), the NCCI rows for exactly the claim's pairs and codes, and which releases and edit files are
loaded. The rules (diagnoses.py, procedures.py) then decide from these facts without another read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import permutations
from typing import Any

from codedesk.claims.edit_files import EDIT_KINDS, EditKind
from codedesk.claims.items import addon_key, file_key, file_summary, mue_key, ptp_key
from codedesk.claims.models import ClaimCheckRequest
from codedesk.codes.items import ORIGINS, SUMMARY_SK, Origin, record_from_item, record_key, set_pk
from codedesk.codes.models import CodeRecord, CodeSystem
from codedesk.codes.service import ancestor_keys
from codedesk.store.port import Item

Key = tuple[str, str]


def procedure_system(code: str) -> CodeSystem:
    """CPT: five digits, or four and F/T/U (categories II and III, PLA); HCPCS Level II: a letter first."""
    return CodeSystem.HCPCS if code[:1].isalpha() else CodeSystem.CPT


@dataclass
class ClaimFacts:
    diagnoses: dict[str, CodeRecord | None]  # by code key, None when no such code
    notes_above: dict[str, list[CodeRecord]]  # by code key: the codes above it, nearest first
    procedures: dict[str, CodeRecord | None]
    modifiers: dict[str, CodeRecord | None]
    ptp: dict[tuple[str, str], list[list[Any]]]  # (column 1, column 2) → periods [effective, deleted, indicator]
    mue: dict[str, Item]
    addon: dict[str, Item]
    edit_files: dict[EditKind, dict[str, Any] | None]
    code_sets: dict[tuple[Origin, CodeSystem], Item] = field(default_factory=dict)
    round_trips: int = 0


def diagnosis_key(code: str) -> str:
    return code.replace(".", "")


def _keys(claim: ClaimCheckRequest) -> list[Key]:
    keys: list[Key] = []
    for code in claim.diagnoses:
        code_key = diagnosis_key(code)
        for wanted in (code_key, *ancestor_keys(CodeSystem.ICD10CM, code_key)):
            keys += [record_key(origin, CodeSystem.ICD10CM, wanted) for origin in ORIGINS]
    codes = sorted({line.code for line in claim.lines})
    for code in codes:
        keys += [record_key(origin, procedure_system(code), code) for origin in ORIGINS]
        keys += [mue_key(code), addon_key(code)]
    for modifier in sorted({m for line in claim.lines for m in line.modifiers}):
        keys += [record_key(origin, CodeSystem.MODIFIER, modifier) for origin in ORIGINS]
    keys += [ptp_key(first, second) for first, second in permutations(codes, 2)]
    keys += [file_key(kind) for kind in EDIT_KINDS]
    for system in (CodeSystem.ICD10CM, CodeSystem.HCPCS, CodeSystem.CPT):
        keys += [(set_pk(origin, system), SUMMARY_SK) for origin in ORIGINS]
    return list(dict.fromkeys(keys))


def _prefer_file(found: dict[Key, Item], system: CodeSystem, code_key: str) -> CodeRecord | None:
    for origin in ORIGINS:  # the imported file first, then the curated content
        item = found.get(record_key(origin, system, code_key))
        if item is not None:
            return record_from_item(item)
    return None


def read_facts(view: Any, claim: ClaimCheckRequest) -> ClaimFacts:
    keys = _keys(claim)
    items = view.batch_get(keys)
    found = {(item["PK"], item["SK"]): item for item in items}
    codes = sorted({line.code for line in claim.lines})
    diagnoses, above = {}, {}
    for code in claim.diagnoses:
        code_key = diagnosis_key(code)
        diagnoses[code_key] = _prefer_file(found, CodeSystem.ICD10CM, code_key)
        parents = (_prefer_file(found, CodeSystem.ICD10CM, k) for k in ancestor_keys(CodeSystem.ICD10CM, code_key))
        above[code_key] = [record for record in parents if record is not None]
    return ClaimFacts(
        diagnoses=diagnoses,
        notes_above=above,
        procedures={code: _prefer_file(found, procedure_system(code), code) for code in codes},
        modifiers={
            modifier: _prefer_file(found, CodeSystem.MODIFIER, modifier)
            for modifier in sorted({m for line in claim.lines for m in line.modifiers})
        },
        ptp={
            (first, second): item["periods"]
            for first, second in permutations(codes, 2)
            if (item := found.get(ptp_key(first, second))) is not None
        },
        mue={code: item for code in codes if (item := found.get(mue_key(code))) is not None},
        addon={code: item for code in codes if (item := found.get(addon_key(code))) is not None},
        edit_files={kind: file_summary(found.get(file_key(kind))) for kind in EDIT_KINDS},
        code_sets={
            (origin, system): item
            for origin in ORIGINS
            for system in (CodeSystem.ICD10CM, CodeSystem.HCPCS, CodeSystem.CPT)
            if (item := found.get((set_pk(origin, system), SUMMARY_SK))) is not None
        },
        round_trips=(len(keys) + 99) // 100,
    )
