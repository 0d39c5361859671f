"""Payer sheets as a biller uses them: the list, one sheet, the rules for a code, a side-by-side grid,
and payer notes for the denial explainer.

Plain Python over the published content (ContentView); every function takes the date it answers for
and the allowed sheet age, so the HTTP layer and tests decide what "today" is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, Literal

from codedesk.content.view import ContentView
from codedesk.denials.codes import DenialCode, UnreadableCode, parse_denial_code
from codedesk.denials.explain import PayerNote
from codedesk.errors import Invalid, NotFound
from codedesk.payer_types import PAYER_TYPE_LABELS
from codedesk.payers.answers import (
    CodeRulesAnswer,
    Comparison,
    Freshness,
    GridCell,
    GridEntry,
    GridRow,
    PayerSheetAnswer,
    PayerSummary,
)
from codedesk.payers.freshness import DEFAULT_MAX_AGE_DAYS, age_in_days, configured_max_age_days, is_stale
from codedesk.payers.models import (
    MODIFIER_TOPIC_LABELS,
    PROCEDURE_CODE,
    Fact,
    FilingLimit,
    PayerSheet,
    normalise_code,
)
from codedesk.payers.publish import SHEETS_PK, sheet_from_item

# ------------------------------------------------------------------------------ reading


def all_sheets(view: ContentView) -> list[PayerSheet]:
    """Every published sheet, in payer_id order (one partition; a handful of small items)."""
    sheets: list[PayerSheet] = []
    cursor = None
    while True:
        page = view.query(SHEETS_PK, cursor=cursor)
        sheets.extend(sheet_from_item(item) for item in page.items)
        if not page.cursor:
            return sheets
        cursor = page.cursor


def one_sheet(view: ContentView, payer_id: str) -> PayerSheet:
    item = view.get(SHEETS_PK, payer_id.strip().lower())
    if item is None:
        raise unknown_payer(payer_id, all_sheets(view))
    return sheet_from_item(item)


def unknown_payer(payer_id: str, sheets: Sequence[PayerSheet]) -> NotFound:
    known = [sheet.payer_id for sheet in sheets]
    return NotFound(
        f"there is no payer sheet {payer_id!r}; use one of the payer ids listed in details",
        details=[{"payer_ids": known}],
    )


# ---------------------------------------------------------------------------- answers


def freshness(sheet: PayerSheet, today: date, max_age: int = DEFAULT_MAX_AGE_DAYS) -> Freshness:
    return Freshness(
        verified_on=sheet.verified_on,
        age_days=age_in_days(sheet, today),
        max_age_days=max_age,
        stale=is_stale(sheet, today, max_age),
    )


def summary(sheet: PayerSheet, today: date, max_age: int = DEFAULT_MAX_AGE_DAYS) -> PayerSummary:
    return PayerSummary(
        payer_id=sheet.payer_id,
        name=sheet.name,
        type=sheet.type,
        type_label=PAYER_TYPE_LABELS[sheet.type],
        verified_on=sheet.verified_on,
        stale=is_stale(sheet, today, max_age),
    )


def list_payers(view: ContentView, today: date, max_age: int = DEFAULT_MAX_AGE_DAYS) -> list[PayerSummary]:
    return [summary(sheet, today, max_age) for sheet in all_sheets(view)]


def sheet_answer(sheet: PayerSheet, today: date, max_age: int = DEFAULT_MAX_AGE_DAYS) -> PayerSheetAnswer:
    return PayerSheetAnswer(
        **dict(sheet),
        type_label=PAYER_TYPE_LABELS[sheet.type],
        freshness=freshness(sheet, today, max_age),
        sources=sheet.cited_sources(),
    )


def get_payer(view: ContentView, payer_id: str, today: date, max_age: int = DEFAULT_MAX_AGE_DAYS) -> PayerSheetAnswer:
    return sheet_answer(one_sheet(view, payer_id), today, max_age)


# -------------------------------------------------------------------------- rules for a code


def procedure_code(code: str | None) -> str:
    """The normalised CPT/HCPCS code, or Invalid saying what is expected."""
    if not code or not code.strip():
        raise Invalid("give the code to look up, e.g. ?code=99213", details=[{"field": "code"}])
    normalised = normalise_code(code)
    if not PROCEDURE_CODE.match(normalised):
        raise Invalid(
            f"{code.strip()!r} is not a CPT or HCPCS Level II code (e.g. 99213, G0439); "
            "payer rules are kept for procedure codes",
            details=[{"field": "code"}],
        )
    return normalised


def rules_for_code(
    sheet: PayerSheet, code: str, today: date, max_age: int = DEFAULT_MAX_AGE_DAYS, as_of: date | None = None
) -> CodeRulesAnswer:
    """The code-specific rules, the general rules that matter for the code, and the filing basics.
    Rules that changed on a date are those in force on `as_of` (a date of service; default today)."""
    code = procedure_code(code)
    day = as_of or today
    specific = [rule for rule in sheet.code_rules if rule.covers(code) and rule.in_effect_on(day)]
    linked = {denial for rule in specific for denial in rule.denials}
    on = "" if as_of is None else f" for a date of service on {as_of.isoformat()}"
    if specific:
        message = f"{len(specific)} rule(s) of {sheet.name} name {code}{on}; the general rules that apply follow."
    else:
        message = f"{sheet.name} has no rule naming {code} on this sheet{on}; its general rules that apply follow."
    return CodeRulesAnswer(
        payer=summary(sheet, today, max_age),
        code=code,
        as_of=as_of,
        message=message,
        code_rules=specific,
        general_rules=[rule for rule in sheet.modifier_rules if rule.matters_for(code) and rule.in_effect_on(day)],
        denials=[denial for denial in sheet.common_denials if denial.code in linked],
        timely_filing=sheet.timely_filing,
        prior_auth=sheet.prior_auth,
    )


def payer_rules(
    view: ContentView,
    payer_id: str,
    code: str | None,
    today: date,
    max_age: int = DEFAULT_MAX_AGE_DAYS,
    as_of: date | None = None,
) -> CodeRulesAnswer:
    checked = procedure_code(code)
    return rules_for_code(one_sheet(view, payer_id), checked, today, max_age, as_of)


# ------------------------------------------------------------------------------ comparison


# What every answer that quotes a sheet's statement carries with it, so a reader can check it.
PROVENANCE = ("source", "reviewed_on", "verify", "contract_dependent", "effective_from", "effective_to")


def _provenance(statement: Fact | FilingLimit) -> dict[str, Any]:
    return {name: getattr(statement, name) for name in PROVENANCE}


def _fact_entry(fact: Fact, label: str | None = None) -> GridEntry:
    return GridEntry(label=label, text=fact.text, **_provenance(fact))


def _limit_entry(limit: FilingLimit) -> GridEntry:
    return GridEntry(label=limit.label, text=limit.summary(), note=limit.note, **_provenance(limit))


def _timely_filing(sheet: PayerSheet) -> list[GridEntry]:
    tf = sheet.timely_filing
    return [_limit_entry(limit) for limit in (tf.initial_claim, tf.corrected_claim, *tf.appeals)]


def _prior_auth(sheet: PayerSheet) -> list[GridEntry]:
    pa = sheet.prior_auth
    return [_fact_entry(fact) for fact in (*pa.how_to_check, *pa.commonly_required)]


def _eligibility(sheet: PayerSheet) -> list[GridEntry]:
    el = sheet.eligibility
    return [_fact_entry(fact) for fact in (*el.how_to_verify, *el.capture_at_check_in)]


def _modifier_topic(topic: str) -> Callable[[PayerSheet], list[GridEntry]]:
    return lambda sheet: [_fact_entry(rule) for rule in sheet.modifier_rules if rule.topic == topic]


def _edi_payer_id(sheet: PayerSheet) -> list[GridEntry]:
    edi = sheet.edi_payer_id
    if edi is None:
        return []
    return [
        GridEntry(
            text=edi.value,
            note=edi.note,
            source=edi.source,
            reviewed_on=edi.reviewed_on,
            verify=edi.verify,
            contract_dependent=False,
        )
    ]


# Topic id → (label, the entries of one sheet). The order is the grid's row order.
TOPICS: dict[str, tuple[str, Callable[[PayerSheet], list[GridEntry]]]] = {
    "timely_filing": ("Timely filing", _timely_filing),
    "prior_auth": ("Prior authorization", _prior_auth),
    "eligibility": ("Eligibility", _eligibility),
    **{topic: (label, _modifier_topic(topic)) for topic, label in MODIFIER_TOPIC_LABELS.items()},
    "edi_payer_id": ("EDI payer ID", _edi_payer_id),
}


def _split_list(value: str | None) -> list[str]:
    return [part.strip().lower() for part in (value or "").split(",") if part.strip()]


def _check_topics(topics: Sequence[str]) -> None:
    unknown = [topic for topic in topics if topic not in TOPICS]
    if unknown:
        raise Invalid(
            f"unknown topic(s) {', '.join(unknown)}; choose from the topics listed in details",
            details=[{"field": "topics", "topics": list(TOPICS)}],
        )


def compare(
    sheets: Sequence[PayerSheet],
    payer_ids: Iterable[str],
    topics: Iterable[str],
    today: date,
    max_age: int = DEFAULT_MAX_AGE_DAYS,
) -> Comparison:
    """Side by side: one row per topic, one cell per payer, in the order asked (all when none asked)."""
    by_id = {sheet.payer_id: sheet for sheet in sheets}
    wanted_payers = list(dict.fromkeys(payer_ids)) or list(by_id)
    wanted_topics = list(dict.fromkeys(topics)) or list(TOPICS)
    unknown_payers = [payer_id for payer_id in wanted_payers if payer_id not in by_id]
    if unknown_payers:
        raise NotFound(
            f"no payer sheet for {', '.join(unknown_payers)}; use the payer ids listed in details",
            details=[{"payer_ids": list(by_id)}],
        )
    _check_topics(wanted_topics)
    chosen = [by_id[payer_id] for payer_id in wanted_payers]
    return Comparison(
        payers=[summary(sheet, today, max_age) for sheet in chosen],
        rows=[
            GridRow(
                topic=topic,
                label=TOPICS[topic][0],
                cells=[GridCell(payer_id=sheet.payer_id, entries=TOPICS[topic][1](sheet)) for sheet in chosen],
            )
            for topic in wanted_topics
        ],
    )


def compare_payers(
    view: ContentView, payers: str | None, topics: str | None, today: date, max_age: int = DEFAULT_MAX_AGE_DAYS
) -> Comparison:
    """The API's form: comma-separated payer ids and topics, each optional."""
    return compare(all_sheets(view), _split_list(payers), _split_list(topics), today, max_age)


# --------------------------------------------------------------------- notes for other domains


def _denial_matches(asked: DenialCode, named: DenialCode) -> bool:
    """CO-29 matches CO-29; a bare CARC (29) matches it under any group; RARCs match themselves."""
    if asked.rarc or named.rarc:
        return asked.rarc == named.rarc
    return asked.carc == named.carc and asked.group in (None, named.group)


def _readable(codes: Iterable[str]) -> list[DenialCode]:
    """The codes that parse; others have no notes (the denial explainer reports unreadable codes)."""
    parsed = []
    for code in codes:
        try:
            parsed.append(parse_denial_code(code))
        except UnreadableCode:
            continue
    return parsed


def _sheets_for(view: ContentView, payer_id: str | None) -> list[PayerSheet]:
    return all_sheets(view) if payer_id is None else [one_sheet(view, payer_id)]


def payer_notes_for_denial(
    view: ContentView, payer_id: str | None, codes: Iterable[str], today: date, max_age: int | None = None
) -> list[PayerNote]:
    """What the payer's sheet (or every sheet, when `payer_id` is None) says about these denial codes.

    `codes` are denial card codes as the explainer takes them: "CO-29", "N290", or a bare CARC "29".
    An unknown payer is NotFound with the payer ids; codes no sheet mentions give no notes. `today`
    is the caller's (the route's `Today`), as for every function here; `max_age` (for the notes'
    `stale` flag) defaults to the configured age.
    """
    max_age = max_age or configured_max_age_days()
    asked = _readable(codes)

    def asked_about(named: str) -> bool:
        return any(_denial_matches(code, parse_denial_code(named)) for code in asked)

    notes: list[PayerNote] = []
    for sheet in _sheets_for(view, payer_id):
        stale = is_stale(sheet, today, max_age)
        # What to do now, not history: a rule superseded before today is left out.
        notes += [
            _note(sheet, "denial", d.code, None, d, stale)
            for d in sheet.common_denials
            if asked_about(d.code) and not d.superseded_on(today)
        ]
        notes += [
            _note(sheet, "code_rule", named, rule.title, rule, stale)
            for rule in sheet.code_rules
            if not rule.superseded_on(today)
            for named in rule.denials
            if asked_about(named)
        ]
    return notes


def _note(
    sheet: PayerSheet, kind: Literal["denial", "code_rule"], code: str, title: str | None, fact: Fact, stale: bool
) -> PayerNote:
    return PayerNote(
        payer_id=sheet.payer_id,
        payer_name=sheet.name,
        kind=kind,
        code=code,
        title=title,
        text=fact.text,
        stale=stale,
        **_provenance(fact),
    )
