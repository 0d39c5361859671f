"""Procedure edits: the code and its modifiers valid on the date of service, NCCI procedure-to-
procedure pairs, medically unlikely edits, add-on codes without their primary, and the chosen payer's
own rules for the codes on the claim."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from codedesk.claims.facts import ClaimFacts
from codedesk.claims.items import in_force
from codedesk.claims.models import ClaimCheckRequest, ClaimLine, Edit
from codedesk.claims.teaching import denial, topic
from codedesk.codes.models import CodeSystem
from codedesk.codes.releases import status_on
from codedesk.payers.models import PayerSheet

NCCI_MANUAL = "NCCI Policy Manual for Medicare Services, chapter I"
# The modifiers that may bypass a PTP pair whose modifier indicator is 1 (NCCI-associated modifiers).
PTP_BYPASS = frozenset(
    {"24", "25", "27", "57", "58", "59", "78", "79", "91", "XE", "XP", "XS", "XU"}
    | {"E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"}
    | {"LC", "LD", "LM", "LT", "RC", "RI", "RT", "TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"}
)
DISTINCT_SERVICE = frozenset({"59", "XE", "XP", "XS", "XU"})
E_M_CODES = ("99202", "99499")  # evaluation and management: modifier 25's only home


def is_e_m(code: str) -> bool:
    return code.isdigit() and E_M_CODES[0] <= code <= E_M_CODES[1]


def validity_edits(claim: ClaimCheckRequest, facts: ClaimFacts) -> Iterator[Edit]:
    day = claim.date_of_service
    cpt_file_loaded = ("file", CodeSystem.CPT) in facts.code_sets
    for code, record in facts.procedures.items():
        if record is None:
            if code[:1].isdigit() and not cpt_file_loaded:
                continue  # said once in `checked`: without the licensed CPT file, CPT codes are not checked
            yield Edit(
                severity="error",
                rule="procedure_not_a_code",
                codes=[code],
                message=f"{code} is not a code in the loaded HCPCS or CPT release.",
                fix="Look the procedure up again and copy its code.",
                denial=denial("CO-181"),
                topic=topic("procedure_date"),
            )
        elif (status := status_on(record, day)) == "unknown":
            yield Edit(
                severity="warning",
                rule="procedure_validity_unknown",
                codes=[code],
                message=f"Codedesk cannot tell whether {code} was valid on {day.isoformat()}: the release in force "
                "that day is not loaded.",
                fix="Check the code against the release in force on the date of service.",
                topic=topic("procedure_date"),
            )
        elif status != "active":
            when = "was discontinued before" if status == "deleted" else "was not yet in effect on"
            yield Edit(
                severity="error",
                rule="procedure_not_valid_on_date",
                codes=[code],
                message=f"{code} {when} the date of service {day.isoformat()}.",
                fix="Use the code in force on the date of service; the code's page shows its dates.",
                denial=denial("CO-181"),
                topic=topic("procedure_date"),
            )
    for modifier, modifier_record in facts.modifiers.items():
        if modifier_record is None:
            yield Edit(
                severity="warning",
                rule="modifier_unknown",
                codes=[modifier],
                message=f"{modifier} is not a modifier Codedesk knows (HCPCS file and curated list).",
                fix="Check the modifier against the current HCPCS or CPT modifier list.",
                denial=denial("CO-4"),
                topic=topic("modifier"),
            )
        elif status_on(modifier_record, day) != "active":
            yield Edit(
                severity="error",
                rule="modifier_not_valid_on_date",
                codes=[modifier],
                message=f"Modifier {modifier} was not valid on the date of service {day.isoformat()}.",
                fix="Use a modifier in force on the date of service.",
                denial=denial("CO-182"),
                topic=topic("modifier"),
            )


def modifier_edits(claim: ClaimCheckRequest) -> Iterator[Edit]:
    for line in claim.lines:
        if "25" in line.modifiers and not is_e_m(line.code):
            yield Edit(
                severity="error",
                rule="modifier_25_not_e_m",
                codes=[line.code, "25"],
                message=f"Modifier 25 is on {line.code}; it belongs only on an evaluation and management visit "
                f"({E_M_CODES[0]}-{E_M_CODES[1]}).",
                fix="Move 25 to the visit line, or remove it.",
                denial=denial("CO-4"),
                topic=topic("modifier"),
                source=f"{NCCI_MANUAL} (modifier 25)",
            )
        distinct = DISTINCT_SERVICE & set(line.modifiers)
        if distinct and is_e_m(line.code):
            yield Edit(
                severity="warning",
                rule="modifier_59_on_e_m",
                codes=[line.code, *sorted(distinct)],
                message=f"{', '.join(sorted(distinct))} on the visit {line.code}: modifier 59 and X{{EPSU}} are not "
                "used on evaluation and management services.",
                fix="For a significant, separately identifiable visit the same day as a procedure, use 25.",
                denial=denial("CO-4"),
                topic=topic("modifier"),
                source=f"{NCCI_MANUAL} (modifier 59)",
            )


def _lines_by_code(claim: ClaimCheckRequest) -> dict[str, list[ClaimLine]]:
    lines: dict[str, list[ClaimLine]] = defaultdict(list)
    for line in claim.lines:
        lines[line.code].append(line)
    return lines


def _periods_on(periods: list[list[str | None]], day: date) -> list[str]:
    return [str(indicator) for effective, deleted, indicator in periods if in_force(effective, deleted, day)]


def ptp_edits(claim: ClaimCheckRequest, facts: ClaimFacts) -> Iterator[Edit]:
    summary = facts.edit_files["ptp"]
    if summary is None:
        return
    source = f"NCCI PTP edits {summary['quarter']} ({summary['file']})"
    lines = _lines_by_code(claim)
    for (column1, column2), periods in sorted(facts.ptp.items()):
        indicators = _periods_on(periods, claim.date_of_service)
        if not indicators or indicators[-1] == "9":
            continue
        used = {m for line in lines[column2] for m in line.modifiers} & PTP_BYPASS
        pair = f"{column1} (column 1) and {column2} (column 2)"
        if indicators[-1] == "0":
            yield Edit(
                severity="error",
                rule="ncci_ptp",
                codes=[column1, column2],
                message=f"{pair} are an NCCI pair with modifier indicator 0: {column2} is not paid with {column1} "
                "on the same day, whatever the modifier.",
                fix=f"Bill {column1} only, unless the services were on different days.",
                denial=denial("CO-236"),
                topic=topic("ncci"),
                source=source,
            )
        elif used:
            yield Edit(
                severity="info",
                rule="ncci_ptp_bypassed",
                codes=[column1, column2, *sorted(used)],
                message=f"{pair} are an NCCI pair; {', '.join(sorted(used))} on {column2} bypasses it.",
                fix="Keep the modifier only when the documentation shows a distinct service (another session, "
                "site or organ); the payer audits it.",
                topic=topic("ncci"),
                source=source,
            )
        else:
            yield Edit(
                severity="error",
                rule="ncci_ptp",
                codes=[column1, column2],
                message=f"{pair} are an NCCI pair with modifier indicator 1: {column2} will be denied unless an "
                "NCCI-associated modifier shows a distinct service.",
                fix=f"If the documentation shows a distinct service, add the fitting modifier (59 or XE/XS/XP/XU, "
                f"an anatomic modifier) to {column2}; otherwise remove {column2}.",
                denial=denial("CO-236"),
                topic=topic("ncci"),
                source=source,
            )


def mue_edits(claim: ClaimCheckRequest, facts: ClaimFacts) -> Iterator[Edit]:
    summary = facts.edit_files["mue"]
    if summary is None:
        return
    source = f"Medically unlikely edits {summary['quarter']} ({summary['file']})"
    for code, lines in _lines_by_code(claim).items():
        limit = facts.mue.get(code)
        if limit is None:
            continue
        units, indicator = int(limit["units"]), str(limit["indicator"])
        if indicator == "1":
            over = [line.units for line in lines if line.units > units]
            reported, scope = (max(over), "on one line") if over else (0, "")
        else:
            reported, scope = sum(line.units for line in lines), "on the date of service"
        if reported <= units:
            continue
        kind = {"1": "per claim line", "2": "per day, by policy", "3": "per day, clinical"}[indicator]
        appeal = {
            "1": "Units over the limit on one line deny the line.",
            "2": "A policy limit: the units over it are not paid, and an appeal does not change that.",
            "3": "A clinical limit: units over it may be paid on appeal with documentation of medical necessity.",
        }[indicator]
        yield Edit(
            severity="error",
            rule="mue",
            codes=[code],
            message=f"{reported} units of {code} {scope}; the medically unlikely edit allows {units} ({kind}). {appeal}",
            fix="Check the units against the documentation; report what was done, split over lines only where "
            "the edit is per line and the services were distinct.",
            denial=denial("CO-151"),
            topic=topic("ncci"),
            source=source,
        )


def addon_edits(claim: ClaimCheckRequest, facts: ClaimFacts) -> Iterator[Edit]:
    summary = facts.edit_files["addon"]
    if summary is None:
        return
    source = f"Add-on code edits {summary['quarter']} ({summary['file']})"
    on_claim = {line.code for line in claim.lines}
    for code, edit in sorted(facts.addon.items()):
        edit_type = str(edit["edit_type"])
        primaries = [
            primary
            for primary, effective, deleted in edit["primaries"]
            if in_force(effective, deleted, claim.date_of_service)
        ]
        if edit_type == "2" or not primaries:
            yield Edit(
                severity="info",
                rule="addon_code",
                codes=[code],
                message=f"{code} is an add-on code: it is paid only with its primary procedure, which the payer "
                "(Medicare contractor) decides.",
                fix="Make sure the primary procedure is on this claim.",
                topic=topic("ncci"),
                source=source,
            )
        elif not on_claim & set(primaries):
            yield Edit(
                severity="error" if edit_type == "1" else "warning",
                rule="addon_without_primary",
                codes=[code],
                message=f"{code} is an add-on code and none of its primary codes is on the claim "
                f"({', '.join(primaries[:8])}{' …' if len(primaries) > 8 else ''}).",
                fix="Add the primary procedure that was performed, or remove the add-on code.",
                denial=denial("CO-107"),
                topic=topic("ncci"),
                source=source,
            )


def payer_edits(claim: ClaimCheckRequest, sheet: PayerSheet | None) -> Iterator[Edit]:
    if sheet is None:
        return
    day = claim.date_of_service
    lines = _lines_by_code(claim)
    for code in lines:
        for rule in sheet.code_rules:
            if not rule.covers(code) or rule.is_partner(code) or not rule.in_effect_on(day):
                continue
            source = f"{sheet.name} sheet: {rule.source} (reviewed {rule.reviewed_on.isoformat()})"
            partners = [other for other in lines if other != code and rule.is_partner(other)]
            if rule.paid_with and not partners:
                yield Edit(
                    severity="error",
                    rule="payer_paid_with",
                    codes=[code],
                    message=f"{sheet.name}: {code} is paid only with {', '.join(map(str, rule.paid_with))}, and none "
                    f"is on the claim. {rule.text}",
                    fix="Add the service it goes with, if it was performed, or remove the code.",
                    denial=denial("CO-107"),
                    topic=topic("payer"),
                    source=source,
                )
                continue
            flagged = [m for m in rule.modifiers for other in partners for line in lines[other] if m in line.modifiers]
            if flagged:
                yield Edit(
                    severity="warning",
                    rule="payer_modifier",
                    codes=[code, *partners, *sorted(set(flagged))],
                    message=f"{sheet.name}: {rule.title}: {rule.text}",
                    fix=f"Check whether the exception applies before billing {code} with modifier "
                    f"{', '.join(sorted(set(flagged)))} on the same claim.",
                    denial=denial(rule.denials[0]) if rule.denials else None,
                    topic=topic("payer"),
                    source=source,
                )
            elif not rule.paid_with:
                yield Edit(
                    severity="info",
                    rule="payer_rule",
                    codes=[code],
                    message=f"{sheet.name}: {rule.title}: {rule.text}",
                    fix="Follow the payer's rule for this code.",
                    denial=denial(rule.denials[0]) if rule.denials else None,
                    topic=topic("payer"),
                    source=source,
                )


def procedure_edits(claim: ClaimCheckRequest, facts: ClaimFacts, sheet: PayerSheet | None) -> list[Edit]:
    return [
        *validity_edits(claim, facts),
        *modifier_edits(claim),
        *ptp_edits(claim, facts),
        *mue_edits(claim, facts),
        *addon_edits(claim, facts),
        *payer_edits(claim, sheet),
    ]
