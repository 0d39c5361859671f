"""Code sets as table items: records, the search index, the set's summary and its release changes.

`publish_items(bundle)` is what `codedesk publish` writes from content/codes/ (the curated lists and
the synonyms, origin `content`); `code_set_items` is shared with `codedesk import` (origin `file`),
which publishes each imported system under its own namespace (cli.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from codedesk.codes.curated import CuratedCodeFile, SynonymFile
from codedesk.codes.index import index_items
from codedesk.codes.items import (
    SYNONYMS_KEY,
    Origin,
    changes_items,
    context_records,
    namespace_prefixes,
    record_item,
    summary_item,
)
from codedesk.codes.models import CodeRecord, CodeSystem, ReleaseChanges
from codedesk.codes.releases import in_release
from codedesk.codes.text import phrase_terms, stem, words
from codedesk.content.bundle import ContentBundle
from codedesk.store.keys import Prefix
from codedesk.store.port import Item

CONTENT_SYSTEMS = (CodeSystem.HCPCS, CodeSystem.CPT, CodeSystem.MODIFIER, CodeSystem.POS)
PREFIXES = (
    *(p for system in CONTENT_SYSTEMS for p in namespace_prefixes("content", system)),
    f"{Prefix.CODE_SYNONYMS}",
)


def publish_items(bundle: ContentBundle) -> Iterator[Item]:
    for _, curated in bundle.of(CuratedCodeFile):
        yield from code_set_items(
            "content",
            curated.system,
            curated.records(),
            release=curated.release,
            effective_on=curated.effective_on.isoformat(),
            licensed=False,
            releases=[curated.release],
            first_effective_on=curated.effective_on.isoformat(),
            changes=[],
        )
    files = [synonyms for _, synonyms in bundle.of(SynonymFile)]
    entries = [entry for synonyms in files for entry in synonyms.synonyms]
    families = [family.words for synonyms in files for family in synonyms.forms]
    if entries or families:
        yield {
            "PK": SYNONYMS_KEY[0],
            "SK": SYNONYMS_KEY[1],
            "phrases": [
                synonym_line(system, term, entry.means)
                for entry in entries
                for system in [system.value for system in entry.systems] or [""]
                for term in entry.terms
            ],
            "forms": [" ".join(dict.fromkeys(stem(word) for word in words(" ".join(family)))) for family in families],
        }


def synonym_line(system: str, term: str, means: str) -> str:
    """One phrase of the synonyms item, worked out when it is published rather than on the first
    search of each instance: "system|words typed|words meant|the phrase's terms" (codes/search.py,
    Synonyms.from_item). Words are letters and digits only, so neither separator occurs in them."""
    phrase = tuple(words(term))
    return "|".join((system, " ".join(phrase), " ".join(words(means)), " ".join(phrase_terms(phrase))))


def code_set_items(
    origin: Origin,
    system: CodeSystem,
    records: list[CodeRecord],
    *,
    release: str,
    effective_on: str,
    licensed: bool,
    releases: list[str],
    first_effective_on: str,
    changes: Iterable[ReleaseChanges],
) -> Iterator[Item]:
    by_code = {record.code: record for record in records}
    for record in records:
        yield record_item(origin, record, context_records(record, by_code))
    release_on = date.fromisoformat(effective_on)
    yield from index_items(origin, system, records, release_on)
    current = [record for record in records if in_release(record, release_on)]
    yield summary_item(
        origin,
        system,
        release=release,
        effective_on=effective_on,
        codes=len(current),
        billable_codes=sum(record.billable for record in current),
        licensed=licensed,
        releases=releases,
        first_effective_on=first_effective_on,
    )
    for release_changes in changes:
        yield from changes_items(origin, release_changes)
