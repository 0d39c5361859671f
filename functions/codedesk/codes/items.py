"""How code records, sets and changes sit in the table.

Codes come from two origins that are published separately and never write each other's items:
`file` — an official or licensed file imported with `codedesk import` — and `content` — the curated
lists in content/codes/. Every key names its origin; a lookup reads both in one batch get and
prefers the file (see service.py).

- record:  PK CODE#<origin>#<system>#<code key>, SK CODE; GSI1 by first character, for code-prefix search;
           a category or section also carries the notes of the section and chapter above it
- summary: PK CODESET#<origin>#<system>, SK SUMMARY
- changes: PK CODESET#<origin>#<system>, SK CHANGES#<release>#<part>
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Literal

from pydantic import BaseModel

from codedesk.codes.models import CodeRecord, CodeRef, CodeSystem, ReleaseChanges
from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item

Origin = Literal["file", "content"]
ORIGINS: tuple[Origin, ...] = ("file", "content")  # in order of preference
RECORD_SK = "CODE"
SUMMARY_SK = "SUMMARY"
SYNONYMS_KEY = (key(Prefix.CODE_SYNONYMS), "ALL")
CONTEXT_NOTES = "context_notes"  # attribute of a category's or section's item (record_item)
CHANGES_PER_ITEM = 1000  # entries of one list per changes item: well under DynamoDB's 400 KB

# The (origin, system) pairs that can hold codes: what a search or a code-set listing looks at.
CODE_SETS: tuple[tuple[Origin, CodeSystem], ...] = (
    ("file", CodeSystem.ICD10CM),
    ("file", CodeSystem.HCPCS),
    ("file", CodeSystem.CPT),
    ("file", CodeSystem.MODIFIER),
    ("content", CodeSystem.HCPCS),
    ("content", CodeSystem.CPT),
    ("content", CodeSystem.MODIFIER),
    ("content", CodeSystem.POS),
)


def namespace_prefixes(origin: Origin, system: CodeSystem) -> tuple[str, ...]:
    """The PK prefixes one (origin, system) owns: its publish namespace."""
    return (
        *(key(prefix, origin, system) + "#" for prefix in (Prefix.CODE, Prefix.CODE_TERM, Prefix.CODE_VOCAB)),
        set_pk(origin, system),
    )


def code_key_of(record: CodeRecord) -> str:
    return record.code.replace(".", "")


def record_key(origin: Origin, system: CodeSystem | str, code_key: str) -> tuple[str, str]:
    return key(Prefix.CODE, origin, system, code_key), RECORD_SK


def code_index_pk(code_key: str) -> str:
    return key(Prefix.CODE_INDEX, code_key[0])


def record_item(origin: Origin, record: CodeRecord, context: Sequence[CodeRecord] = ()) -> Item:
    """The record's item; `context`: the section and chapter above a category or section, whose
    notes are copied in so that a lookup reads them in its one batch get (their keys cannot be
    derived from the code, as a category's ancestors' can)."""
    code_key = code_key_of(record)
    pk, sk = record_key(origin, record.system, code_key)
    item = {
        "PK": pk,
        "SK": sk,
        "GSI1PK": code_index_pk(code_key),
        "GSI1SK": f"{code_key}#{record.system}#{origin}",
        "origin": origin,
        **record.model_dump(mode="json", exclude_defaults=True),
    }
    notes = [
        {"code": above.code, "title": above.title, "notes": above.notes.model_dump(mode="json", exclude_defaults=True)}
        for above in context
        if not above.notes.is_empty()
    ]
    if notes:
        item[CONTEXT_NOTES] = notes
    return item


def record_from_item(item: Item) -> CodeRecord:
    return CodeRecord.model_validate(
        {k: v for k, v in item.items() if k not in ("PK", "SK", "GSI1PK", "GSI1SK", "origin", CONTEXT_NOTES)}
    )


def context_records(record: CodeRecord, by_code: dict[str, CodeRecord]) -> list[CodeRecord]:
    """The section and chapter above a category or section, nearest first (record_item)."""
    if record.level not in ("category", "section"):
        return []
    found = []
    parent = by_code.get(record.parent.code) if record.parent else None
    while parent is not None and parent.level in ("section", "chapter"):
        found.append(parent)
        parent = by_code.get(parent.parent.code) if parent.parent else None
    return found


def set_pk(origin: Origin, system: CodeSystem | str) -> str:
    return key(Prefix.CODE_SET, origin, system)


def changes_sk_prefix(release: str) -> str:
    return f"CHANGES#{release}#"


def summary_item(
    origin: Origin,
    system: CodeSystem,
    *,
    release: str,
    effective_on: str,
    codes: int,
    billable_codes: int,
    licensed: bool,
    releases: list[str],
    first_effective_on: str,
) -> Item:
    return {
        "PK": set_pk(origin, system),
        "SK": SUMMARY_SK,
        "system": system,
        "release": release,
        "effective_on": effective_on,
        "codes": codes,
        "billable_codes": billable_codes,
        "licensed": licensed,
        "releases": releases,
        "first_effective_on": first_effective_on,  # of the first release loaded: history starts there
    }


def changes_items(origin: Origin, changes: ReleaseChanges) -> Iterator[Item]:
    """One release's changes, split so that no item nears the 400 KB limit (an October ICD-10-CM
    release adds hundreds of codes)."""
    lists: dict[str, Sequence[BaseModel]] = {
        "added": changes.added,
        "deleted": changes.deleted,
        "revised": changes.revised,
    }
    parts = max(1, *(-(-len(entries) // CHANGES_PER_ITEM) for entries in lists.values()))
    for part in range(parts):
        window = slice(part * CHANGES_PER_ITEM, (part + 1) * CHANGES_PER_ITEM)
        yield {
            "PK": set_pk(origin, changes.system),
            "SK": f"{changes_sk_prefix(changes.release)}{part:02d}",
            "system": changes.system,
            "release": changes.release,
            "previous_release": changes.previous_release,
            "effective_on": changes.effective_on.isoformat(),
            **{name: [entry.model_dump(mode="json") for entry in entries[window]] for name, entries in lists.items()},
        }


def changes_from_items(items: list[Item]) -> ReleaseChanges:
    first = items[0]
    return ReleaseChanges(
        system=first["system"],
        release=first["release"],
        previous_release=first.get("previous_release"),
        effective_on=first["effective_on"],
        added=[CodeRef(**entry) for item in items for entry in item.get("added", [])],
        deleted=[CodeRef(**entry) for item in items for entry in item.get("deleted", [])],
        revised=[entry for item in items for entry in item.get("revised", [])],
    )
