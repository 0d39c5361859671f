"""Code lookup, search, code sets and release changes: plain Python over the content view.

Round trips: an exact lookup is one batch get (both origins of the system, and for ICD-10-CM the
codes above it, whose notes apply too: at most 5 items); a miss adds one query for "did you
mean" suggestions. Search: see search.py.
"""

from __future__ import annotations

from datetime import date, timedelta

from codedesk.codes.answers import (
    ChangesAnswer,
    CodeAnswer,
    CodeSetInfo,
    CodeSetList,
    InForce,
    InheritedNotes,
    SaidAs,
    SearchAnswer,
    SearchItem,
    Suggestion,
)
from codedesk.codes.items import (
    CODE_SETS,
    CONTEXT_NOTES,
    ORIGINS,
    SUMMARY_SK,
    Origin,
    changes_from_items,
    changes_sk_prefix,
    code_index_pk,
    record_from_item,
    record_key,
    set_pk,
)
from codedesk.codes.models import CodeRecord, CodeSystem
from codedesk.codes.notation import code_key, looks_like_icd10cm
from codedesk.codes.releases import status_on, title_on
from codedesk.codes.search import ContentReader, search
from codedesk.errors import Invalid, NotFound
from codedesk.store import cursors
from codedesk.store.port import sk_begins_with

MAX_QUERY_LENGTH = 200
SUGGESTIONS = 8
_LEVEL_WORDS = {"chapter": "a chapter", "section": "a section", "category": "a category", "code": "a subcategory"}


def parse_system(raw: str) -> CodeSystem:
    try:
        return CodeSystem(raw.strip().upper())
    except ValueError:
        known = ", ".join(s.value for s in CodeSystem)
        raise Invalid(
            f"{raw!r} is not a code system; use one of {known}.",
            details=[{"field": "system", "message": f"one of {known}"}],
        ) from None


def _origins(system: CodeSystem) -> list[Origin]:
    return [origin for origin in ORIGINS if (origin, system) in CODE_SETS]


# ------------------------------------------------------------------------------- lookup


def lookup(view: ContentReader, system_name: str, typed_code: str, *, as_of: date | None, today: date) -> CodeAnswer:
    system = parse_system(system_name)
    key_ = code_key(typed_code)
    if key_ is None:
        raise Invalid(
            f"{typed_code!r} is not a code: use letters and digits, with or without the dot (E11.9).",
            details=[{"field": "code", "message": "letters, digits and an optional dot"}],
        )
    # The code and, for ICD-10-CM, every ancestor whose key is a truncation of it (E11.621 → E11.62,
    # E11.6, E11), in the same batch get: their notes apply to the code too.
    wanted = [key_, *ancestor_keys(system, key_)]
    items = view.batch_get([record_key(o, system, k) for k in wanted for o in _origins(system)])
    own_pk = {record_key(o, system, key_)[0] for o in _origins(system)}
    found = {item["origin"]: item for item in items if item["PK"] in own_pk}
    if not found:
        suggestions = suggest(view, system, key_)
        # A suggestion from another code system says which (HCPCS 98016 is no code; CPT 98016 is).
        named = [s.code if s.system == system else f"{s.system} {s.code}" for s in suggestions[:3]]
        hint = f" Did you mean {', '.join(named)}?" if named else ""
        raise NotFound(
            f"{system} has no code {typed_code.strip().upper()}.{hint}",
            details=[s.model_dump(mode="json") for s in suggestions],
        )
    record = record_from_item(found.get("file") or found["content"])
    curated = found.get("content")
    if "file" in found and curated is not None and record.explanation is None:
        record.explanation = curated.get("explanation")
    above = sorted((item for item in items if item["PK"] not in own_pk), key=lambda i: -len(i["code"]))
    answer = _answer(record, as_of or today, explicit=as_of is not None)
    answer.inherited_notes = [
        InheritedNotes(code=a.code, title=a.title, notes=a.notes)
        for a in map(record_from_item, above)
        if not a.notes.is_empty()
    ]
    # The section's and chapter's notes, carried by the category (or by the section looked up).
    top = above[-1] if above else found.get("file") or found["content"]
    answer.inherited_notes += [InheritedNotes.model_validate(notes) for notes in top.get(CONTEXT_NOTES, [])]
    return answer


def ancestor_keys(system: CodeSystem, key_: str) -> list[str]:
    """ICD-10-CM: the codes above this one, down to its category (7th-character placeholders skipped)."""
    if system != CodeSystem.ICD10CM or not looks_like_icd10cm(key_):
        return []
    return [key_[:length] for length in range(len(key_) - 1, 2, -1) if not key_[:length].endswith("X")]


def _answer(record: CodeRecord, day: date, *, explicit: bool) -> CodeAnswer:
    status = status_on(record, day)
    return CodeAnswer(
        system=record.system,
        code=record.code,
        title=title_on(record, day),
        short_title=record.short_title,
        # A deleted (or not yet effective) code cannot go on a claim for that date of service.
        level=record.level,
        billable=record.billable and status == "active",
        status=status,
        as_of=day if explicit else None,
        status_note=_unknown_because(record, day) if status == "unknown" else None,
        effective_from=record.effective_from,
        effective_to=record.effective_to,
        known_from=record.known_from,
        parent=record.parent,
        children=record.children,
        notes=record.notes,
        seventh_characters=record.seventh_characters,
        release=record.release,
        descriptor=record.descriptor,
        explanation=record.explanation,
        hint=header_hint(record),
        action=record.action,
        added_on=record.added_on,
        verify=record.verify,
    )


def _unknown_because(record: CodeRecord, day: date) -> str:
    loaded = f"load the {record.system} release in force on {day} (`codedesk import {record.system.lower()} FILE`)"
    if record.known_from is not None and day < record.known_from:
        return f"Unknown before {record.known_from}, the first {record.system} release loaded: {loaded} to know."
    if record.effective_from is not None and day < record.effective_from:
        change = f"entered the code set with a release between {record.added_unsure_from} and {record.effective_from}"
    else:
        assert record.effective_to is not None  # status_on: unknown after deleted_unsure_from
        left_by = record.effective_to + timedelta(days=1)
        change = f"left the code set with a release between {record.deleted_unsure_from} and {left_by}"
    return f"{record.code} {change}, and the release of that date is not loaded: {loaded} to know."


def header_hint(record: CodeRecord) -> str | None:
    """What to do with a code that cannot go on a claim because codes below it are more specific."""
    if record.billable or not record.children:
        return None
    shown = ", ".join(child.code for child in record.children[:6])
    more = f", … ({len(record.children)} in all)" if len(record.children) > 6 else ""
    return (
        f"{record.code} is {_LEVEL_WORDS[record.level]}, not billable: choose one of {shown}{more}"
        f"{'' if record.level in ('chapter', 'section') else ' or a code below them'}."
    )


def suggest(view: ContentReader, system: CodeSystem, key_: str) -> list[Suggestion]:
    """Codes that start like the typed one (its parent first), in this system and then in others."""
    prefix = key_[:-1] if len(key_) > 3 else key_[:1]
    page = view.query(code_index_pk(prefix), sk=sk_begins_with(prefix), index="GSI1", limit=40)
    found: dict[tuple[str, str], Suggestion] = {}
    for item in page.items:
        if item.get("level") in ("chapter", "section"):
            continue
        entry = Suggestion(
            system=item["system"], code=item["code"], title=item["title"], billable=bool(item.get("billable"))
        )
        found.setdefault((entry.system, entry.code), entry)
    ranked = sorted(found.values(), key=lambda s: (s.system != system, _distance(s.code, key_), s.code))
    return ranked[:SUGGESTIONS]


def _distance(code: str, key_: str) -> int:
    stored = code.replace(".", "")
    common = next(
        (i for i, (a, b) in enumerate(zip(stored, key_, strict=False)) if a != b), min(len(stored), len(key_))
    )
    return (len(stored) - common) + (len(key_) - common)


# ------------------------------------------------------------------------------- search


def find(
    view: ContentReader, q: str, *, system: str | None, billable: bool | None, limit: int, cursor: str | None
) -> SearchAnswer:
    typed = q.strip()
    if not typed:
        raise Invalid("Type a code or some words to search for.", details=[{"field": "q", "message": "empty"}])
    if len(typed) > MAX_QUERY_LENGTH:
        raise Invalid(
            f"The search is {len(typed)} characters long; keep it under {MAX_QUERY_LENGTH}.",
            details=[{"field": "q", "message": "too long"}],
        )
    systems = [parse_system(s) for s in system.split(",") if s.strip()] if system else []
    offset = _offset(cursor)
    result = search(view, typed, systems=systems, billable=billable, limit=limit, offset=offset)
    return SearchAnswer(
        query=typed,
        items=[
            SearchItem(system=h.system, code=h.code, title=h.title, billable=h.billable, index_path=list(h.index_path))
            for h in result.hits
        ],
        next_cursor=_cursor(offset + limit) if result.has_more else None,
        interpreted_as=result.interpreted_as,
        not_used=result.not_used,
        said_as=[SaidAs(typed=typed_phrase, means=means) for typed_phrase, means in result.said_as],
    )


def _cursor(offset: int) -> str:
    return cursors.encode("cs", offset)


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    offset = cursors.decode("cs", cursor)
    if not isinstance(offset, int) or isinstance(offset, bool):
        raise cursors.BadCursor()
    if not 0 <= offset <= 1000:
        raise Invalid(
            "Search pages stop after 1,000 results; refine the words instead.",
            details=[{"field": "cursor", "message": "beyond the last page"}],
        )
    return offset


# ---------------------------------------------------------------------------- code sets


def code_sets(view: ContentReader, in_force: dict[CodeSystem, InForce]) -> CodeSetList:
    """Every code set, and for an imported one older than the release in force a warning."""
    summaries = {(item["PK"]): item for item in view.batch_get([(set_pk(o, s), SUMMARY_SK) for o, s in CODE_SETS])}
    listed = []
    for system in CodeSystem:
        for origin in _origins(system):  # the imported file wins over the curated list
            summary = summaries.get(set_pk(origin, system))
            if summary is not None:
                listed.append(
                    CodeSetInfo(
                        system=system,
                        release=summary["release"],
                        codes=summary["codes"],
                        billable_codes=summary["billable_codes"],
                        licensed=summary["licensed"],
                        source="official file" if origin == "file" else "curated list",
                        releases=summary.get("releases", []),
                        **_currency(system, summary["release"], in_force.get(system) if origin == "file" else None),
                    )
                )
                break
    return CodeSetList(items=listed)


def _currency(system: CodeSystem, loaded: str, in_force: InForce | None) -> dict[str, str]:
    if in_force is None or in_force.release <= loaded:
        return {}
    return {
        "in_force": in_force.release,
        "warning": (
            f"{in_force.title} has been in force since {in_force.release}; the {system} release loaded is "
            f"{loaded}. Load it: codedesk import {system.lower()} FILE."
        ),
    }


def changes_loaded(view: ContentReader, system: CodeSystem, release: str) -> bool:
    """Whether the changes of `release` (its effective date) are recorded: one query of one item."""
    page = view.query(set_pk("file", system), sk=sk_begins_with(changes_sk_prefix(release)), limit=1)
    return bool(page.items)


def changes(view: ContentReader, system_name: str, release: str | None) -> ChangesAnswer:
    system = parse_system(system_name)
    summary = view.get(set_pk("file", system), SUMMARY_SK) if (("file", system) in CODE_SETS) else None
    if summary is None:
        raise NotFound(f"No {system} release has been imported; run `codedesk import {system.lower()} FILE`.")
    releases = summary.get("releases", [])
    wanted = release or summary["release"]
    page = view.query(set_pk("file", system), sk=sk_begins_with(changes_sk_prefix(wanted)))
    if not page.items:
        with_changes = ", ".join(releases[1:]) or "none yet (the first import has nothing to compare with)"
        load = "" if wanted in releases else f" It is not loaded: run `codedesk import {system.lower()} FILE`."
        raise NotFound(
            f"No changes are recorded for {system} release {wanted}.{load} Releases with changes: {with_changes}.",
            details=[{"releases": releases}],
        )
    recorded = changes_from_items(sorted(page.items, key=lambda item: item["SK"]))
    return ChangesAnswer(**recorded.model_dump())
