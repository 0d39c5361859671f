"""Diagnosis edits, from the tabular list already loaded: is it a code, billable, valid on the date
of service; Excludes1/Excludes2 pairs; "code first" manifestations and their sequencing; "use
additional code" reminders; codes that fit only a newborn's or a mother's record.

Age edits come from the tabular list's own chapter and category notes, not from the Medicare Code
Editor's lists: chapter 15 (O codes) "for use only on maternal records, never on newborn records",
chapter 16 (P codes) "for use on newborn records only, never on maternal records", category Z38
"for the initial record of a newborn baby ... not on the mother's record". Sex edits are not
applied: the Medicare Code Editor's sex edits were deactivated for discharges from October 1, 2024.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from codedesk.claims.facts import ClaimFacts, diagnosis_key
from codedesk.claims.models import ClaimCheckRequest, Edit
from codedesk.claims.references import chapter_of, references_in
from codedesk.claims.teaching import denial, topic
from codedesk.codes.models import CodeRecord
from codedesk.codes.releases import status_on
from codedesk.codes.service import header_hint

GUIDELINES = "ICD-10-CM Official Guidelines for Coding and Reporting"
NOTE_SOURCE = "ICD-10-CM tabular list, {}"


def _notes(facts: ClaimFacts, code_key: str, kind: str) -> list[str]:
    """A code's notes of one kind, its own and those of every code above it (they apply to it too)."""
    record = facts.diagnoses[code_key]
    chain = [record, *facts.notes_above[code_key]] if record else []
    return [note for r in chain for note in getattr(r.notes, kind)]


def validity_edits(claim: ClaimCheckRequest, facts: ClaimFacts) -> Iterator[Edit]:
    for code in claim.diagnoses:
        record = facts.diagnoses[diagnosis_key(code)]
        if record is None:
            yield Edit(
                severity="error",
                rule="dx_not_a_code",
                codes=[code],
                message=f"{code} is not an ICD-10-CM code in the loaded release.",
                fix="Look the diagnosis up again and copy the code from the tabular list.",
                denial=denial("CO-16"),
                topic=topic("dx"),
            )
            continue
        yield from _status_edit(record, claim.date_of_service)


def _status_edit(record: CodeRecord, day: date) -> Iterator[Edit]:
    status = status_on(record, day)
    if status == "unknown":
        yield Edit(
            severity="warning",
            rule="dx_validity_unknown",
            codes=[record.code],
            message=f"Codedesk cannot tell whether {record.code} was valid on {day.isoformat()}: the ICD-10-CM "
            "release in force that day is not loaded.",
            fix="Check the code against the release in force on the date of service, or ask the administrator "
            "to load it (codedesk import icd10cm FILE).",
            topic=topic("dx_date"),
        )
    elif status != "active":
        when = "was deleted before" if status == "deleted" else "was not yet in effect on"
        yield Edit(
            severity="error",
            rule="dx_not_valid_on_date",
            codes=[record.code],
            message=f"{record.code} {when} the date of service {day.isoformat()}.",
            fix="Code from the release in force on the date of service; the code's page shows its dates.",
            denial=denial("CO-146"),
            topic=topic("dx_date"),
        )
    elif not record.billable:
        hint = header_hint(record) or "Choose a code below it."
        yield Edit(
            severity="error",
            rule="dx_not_billable",
            codes=[record.code],
            message=f"{record.code} ({record.title}) is a header, not a billable code. {hint}",
            fix="Code to the highest specificity: pick the billable code below it that the documentation supports.",
            denial=denial("CO-16"),
            topic=topic("dx"),
        )


def excludes_edits(claim: ClaimCheckRequest, facts: ClaimFacts) -> Iterator[Edit]:
    keys = [diagnosis_key(code) for code in claim.diagnoses if facts.diagnoses[diagnosis_key(code)]]
    seen: set[tuple[str, str, str]] = set()
    for first in keys:
        for kind in ("excludes1", "excludes2"):
            notes = _notes(facts, first, kind)
            references = references_in(notes)
            for second in keys:
                covering = [ref for ref in references if ref.covers(second)]
                pair = tuple(sorted((first, second)))
                if second == first or not covering or (kind, *pair) in seen:
                    continue
                seen.add((kind, pair[0], pair[1]))
                specific = any(ref.specific for ref in covering)
                yield _excludes_edit(kind, facts.diagnoses[first], facts.diagnoses[second], specific)  # type: ignore[arg-type]


def _excludes_edit(kind: str, excluding: CodeRecord, excluded: CodeRecord, specific: bool) -> Edit:
    codes = [excluding.code, excluded.code]
    if kind == "excludes2":
        return Edit(
            severity="info",
            rule="dx_excludes2",
            codes=codes,
            message=f"{excluding.code} has an Excludes2 note for {excluded.code}: not part of the condition, "
            "but the patient may have both.",
            fix="Report both when the documentation supports both conditions.",
            topic=topic("dx"),
            source=f"{GUIDELINES}, I.A.12.b",
        )
    # A note naming the very code (E11.42, "E08-E13 with .42") excludes the same condition; a broad
    # category or range in another chapter may be an unrelated condition, which the guideline allows.
    unrelated = not specific and chapter_of(excluding.code.replace(".", "")) != chapter_of(
        excluded.code.replace(".", "")
    )
    message = f"{excluding.code} has an Excludes1 note for {excluded.code}: the two are not coded together."
    if unrelated:
        return Edit(
            severity="warning",
            rule="dx_excludes1",
            codes=codes,
            message=message + " The codes are in different chapters, so the conditions may be unrelated: the "
            "guideline's exception then allows both.",
            fix="Keep both only when the documentation shows two unrelated conditions; otherwise keep the one "
            "that describes the patient.",
            denial=denial("CO-11"),
            topic=topic("dx"),
            source=f"{GUIDELINES}, I.A.12.a (and its exception for unrelated conditions)",
        )
    return Edit(
        severity="error",
        rule="dx_excludes1",
        codes=codes,
        message=message,
        fix="Keep the code that describes the patient's condition and remove the other.",
        denial=denial("CO-11"),
        topic=topic("dx"),
        source=f"{GUIDELINES}, I.A.12.a",
    )


def sequencing_edits(claim: ClaimCheckRequest, facts: ClaimFacts) -> Iterator[Edit]:
    keys = [diagnosis_key(code) for code in claim.diagnoses]
    for position, code_key in enumerate(keys):
        record = facts.diagnoses[code_key]
        if record is None:
            continue
        if position == 0 and chapter_of(code_key) == 20:
            yield Edit(
                severity="error",
                rule="dx_external_cause_first",
                codes=[record.code],
                message=f"{record.code} is an external cause code; it is never the first-listed diagnosis.",
                fix="List the injury or condition first and the external cause code after it.",
                denial=denial("CO-16"),
                topic=topic("dx"),
                source=f"{GUIDELINES}, I.C.20",
            )
        manifestation = "diseases classified elsewhere" in record.title.lower()
        if position == 0 and manifestation:
            yield Edit(
                severity="error",
                rule="dx_manifestation_first",
                codes=[record.code],
                message=f"{record.code} is a manifestation code ('... in diseases classified elsewhere'); it is never "
                "listed first.",
                fix="List the underlying condition first, then this code.",
                denial=denial("CO-16"),
                topic=topic("dx"),
                source=f"{GUIDELINES}, I.A.13",
            )
        yield from _code_first(record, keys, position, manifestation, _notes(facts, code_key, "code_first"))
        yield from _use_additional(record, keys, _notes(facts, code_key, "use_additional_code"))


def _code_first(
    record: CodeRecord, keys: list[str], position: int, manifestation: bool, notes: list[str]
) -> Iterator[Edit]:
    references = references_in(notes)
    if not notes or (not references and not manifestation):
        return
    others = [(i, k) for i, k in enumerate(keys) if i != position and any(r.covers(k) for r in references)]
    optional = all("if applicable" in note.lower() for note in notes)
    if not others:
        yield Edit(
            severity="info" if optional else "warning",
            rule="dx_code_first",
            codes=[record.code],
            message=f"{record.code} says 'code first' the underlying condition ({'; '.join(notes)[:300]}), and no "
            "such code is on the claim.",
            fix="Add the underlying condition's code before this one, if the documentation supports it.",
            topic=topic("dx"),
            source=NOTE_SOURCE.format(f"{record.code} 'code first' note"),
        )
    elif all(i > position for i, _ in others):
        yield Edit(
            severity="warning",
            rule="dx_sequence",
            codes=[record.code],
            message=f"{record.code} says 'code first' the underlying condition, which is listed after it.",
            fix="Move the underlying condition's code before this one.",
            topic=topic("dx"),
            source=NOTE_SOURCE.format(f"{record.code} 'code first' note"),
        )


def _use_additional(record: CodeRecord, keys: list[str], notes: list[str]) -> Iterator[Edit]:
    references = references_in(notes)
    if not notes or any(r.covers(k) for r in references for k in keys):
        return
    yield Edit(
        severity="info",
        rule="dx_use_additional_code",
        codes=[record.code],
        message=f"{record.code}: use additional code — {'; '.join(notes)[:300]}",
        fix="Add the code the note asks for when the documentation supports it.",
        topic=topic("dx"),
        source=NOTE_SOURCE.format(f"{record.code} 'use additional code' note"),
    )


def record_edits(claim: ClaimCheckRequest, facts: ClaimFacts) -> Iterator[Edit]:
    """Codes that belong only on a newborn's or only on a mother's record."""
    age = claim.patient.age
    present = [facts.diagnoses[diagnosis_key(code)] for code in claim.diagnoses]
    records = [r for r in present if r is not None]
    maternal = [r for r in records if chapter_of(r.code.replace(".", "")) == 15]
    perinatal = [r for r in records if chapter_of(r.code.replace(".", "")) == 16]
    birth = [r for r in records if r.code.startswith("Z38")]
    if maternal and age == 0:
        yield _record_edit(
            maternal,
            f"{maternal[0].code} is a pregnancy code: for use only on the mother's record, never on a newborn's "
            "(the patient is 0 years old).",
            "Use the newborn's own codes (chapter 16, Z38); pregnancy codes go on the mother's claim.",
            "chapter 15 note",
        )
    if maternal and (perinatal or birth):
        newborn = (perinatal or birth)[0]
        yield _record_edit(
            [maternal[0], newborn],
            f"{maternal[0].code} belongs on the mother's record and {newborn.code} on the newborn's: they are "
            "never on the same claim.",
            "Split the codes between the mother's and the baby's claims.",
            "chapter 15 and 16 notes",
        )
    if birth and age > 0:
        yield _record_edit(
            birth,
            f"{birth[0].code} is for the newborn's initial birth record only, and the patient is {age}.",
            "Remove the liveborn code; code the reason for this encounter.",
            "category Z38 note",
        )
    if perinatal and age > 0 and not maternal:
        yield Edit(
            severity="info",
            rule="dx_perinatal_after_birth",
            codes=[perinatal[0].code],
            message=f"{perinatal[0].code} is a perinatal code on a patient aged {age}: correct only when the "
            "condition began in the perinatal period and is still present.",
            fix="Keep it if the documentation says the condition originated in the perinatal period.",
            topic=topic("dx"),
            source=f"{GUIDELINES}, I.C.16.a",
        )


def _record_edit(records: list[CodeRecord], message: str, fix: str, note: str) -> Edit:
    return Edit(
        severity="error",
        rule="dx_wrong_record",
        codes=[r.code for r in records],
        message=message,
        fix=fix,
        denial=denial("CO-9"),
        topic=topic("dx"),
        source=NOTE_SOURCE.format(note),
    )


def diagnosis_edits(claim: ClaimCheckRequest, facts: ClaimFacts) -> list[Edit]:
    return [
        *validity_edits(claim, facts),
        *excludes_edits(claim, facts),
        *sequencing_edits(claim, facts),
        *record_edits(claim, facts),
    ]
