"""The keyword index of a code set, written at publish time as ordinary table items.

Postings: for every term, the codes whose words contain it, in three tiers of how well the term
describes the code — 1: in the code's title and in its category's title (the code is *about* it),
2: in the title only, 3: only in inclusion terms, the short title or our explanation. Each posting
entry is one short string whose alphabetical order is the static rank, so lists are merged and
ranked by plain string comparison:

    <class><title length><code key>     e.g. "006E119"
    class 0 billable, 1 billable in a special context, 2 header, 3 chapter or section (_rank_class);
    title length in terms, two digits (_rank_length)

Within an item each tier is a list of blocks of BLOCK_ENTRIES space-separated entries. A list
longer than CHUNK_ENTRIES is split over several items (SK 000, 001, …). A chunk stays under
150 KB because the publisher keeps the previous version of an item beside the new one until the
next publish, and both must fit in DynamoDB's 400 KB.

Vocabulary: for every prefix of 1..PREFIX_MAX characters, the terms that start with it, most
frequent first, with their document frequency and chunk count. One batch get of these items tells
a query which terms exist, how rare they are, what a half-typed word may become and which posting
items to read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from codedesk.codes.items import Origin, code_key_of
from codedesk.codes.models import CodeRecord, CodeSystem
from codedesk.codes.releases import in_release
from codedesk.codes.text import terms
from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item

# Changes whenever the items of a code set (the index below, or the records of items.py) change shape
# or ranking, so that re-importing an unchanged file still rewrites items written by an older version.
INDEX_FORMAT = 6
CHUNK_ENTRIES = 12_000  # at most 12 bytes each: under 150 KB per version of an item
PREFIX_MAX = 6
VOCAB_PER_PREFIX = 40  # for prefixes shorter than PREFIX_MAX; a full-length prefix lists every term
TIERS = ("t1", "t2", "t3")
# A tier's entries are stored as blocks of this many, so that checking one code against a common
# word reads one short block instead of splitting a list of tens of thousands (search.PostingList).
BLOCK_ENTRIES = 256
VOCAB_SK = "V"
# Systems whose codes are words people type as words ("LT", "GA"): the code is indexed as a term.
_CODE_AS_TERM = (CodeSystem.MODIFIER, CodeSystem.POS)
_SPECIAL_CONTEXT_CHAPTERS = ("O", "P")


def term_pk(origin: Origin, system: CodeSystem | str, term: str) -> str:
    return key(Prefix.CODE_TERM, origin, system, term)


def chunk_sk(chunk: int) -> str:
    return f"{chunk:03d}"


def vocab_key(origin: Origin, system: CodeSystem | str, prefix: str) -> tuple[str, str]:
    return key(Prefix.CODE_VOCAB, origin, system, prefix), VOCAB_SK


def posting_entry(record: CodeRecord) -> str:
    return f"{_rank_class(record)}{_rank_length(_ranked_title(record)):02d}{code_key_of(record)}"


def _rank_class(record: CodeRecord) -> int:
    """0 billable, 1 billable but only for a special context, 2 header, 3 chapter or section.

    Pregnancy (O00-O9A) and perinatal (P00-P96) codes apply only to those patients; a query that
    does not name the context means the general code ("UTI" → N39.0, not O23.4-). A query that does
    name it still finds them, because only they match its words."""
    if record.level in ("chapter", "section"):
        return 3
    if not record.billable:
        return 2
    if record.system == CodeSystem.ICD10CM and record.code[:1] in _SPECIAL_CONTEXT_CHAPTERS:
        return 1
    return 0


def _rank_length(title: str) -> int:
    """Shorter titles are more general, and "unspecified" marks the default code of its group, so it
    counts minus one: "pneumonia" → J18.9 Pneumonia, unspecified organism, before J12.0 Adenoviral
    pneumonia."""
    found = terms(title)
    return max(0, min(99, len(found) - 2 * found.count("unspecified")))


def _ranked_title(record: CodeRecord) -> str:
    """The title whose length ranks the code. A 7th-character code ranks as its base code, so the
    initial encounter (A) comes before subsequent (D) and sequela (S) instead of after them."""
    parent = record.parent
    if parent is not None and record.title.startswith(parent.title + ", ") and len(code_key_of(record)) == 7:
        return parent.title
    return record.title


@dataclass(frozen=True)
class VocabTerm:
    term: str
    documents: int
    chunks: int

    def encode(self) -> str:
        return f"{self.term}:{self.documents}:{self.chunks}"

    @classmethod
    def decode(cls, text: str) -> VocabTerm:
        term, documents, chunks = text.split(":")
        return cls(term, int(documents), int(chunks))


def _term_tiers(record: CodeRecord, category_title: str | None) -> dict[str, int]:
    title = set(terms(record.title))
    about = set(terms(category_title)) if category_title is not None else title
    tiers = {term: 1 if term in about else 2 for term in title}
    extra = " ".join([*record.notes.inclusion_terms, record.short_title or "", record.explanation or ""])
    for term in terms(extra):
        tiers.setdefault(term, 3)
    if record.system in _CODE_AS_TERM:
        tiers[record.code.lower()] = 1
    return tiers


def index_items(origin: Origin, system: CodeSystem, records: list[CodeRecord], release_on: date) -> Iterator[Item]:
    current = [record for record in records if in_release(record, release_on)]
    titles = {code_key_of(record): record.title for record in current}
    postings: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for record in current:
        category = titles.get(code_key_of(record)[:3]) if system == CodeSystem.ICD10CM else None
        entry = posting_entry(record)
        for term, tier in _term_tiers(record, category).items():
            postings[term].append((entry, tier))

    vocabulary = []
    for term, entries in postings.items():
        entries.sort()
        chunks = [entries[start : start + CHUNK_ENTRIES] for start in range(0, len(entries), CHUNK_ENTRIES)]
        for number, chunk in enumerate(chunks):
            item: Item = {"PK": term_pk(origin, system, term), "SK": chunk_sk(number)}
            for tier, name in enumerate(TIERS, start=1):
                listed = [entry for entry, entry_tier in chunk if entry_tier == tier]
                if listed:
                    item[name] = [
                        " ".join(listed[at : at + BLOCK_ENTRIES]) for at in range(0, len(listed), BLOCK_ENTRIES)
                    ]
            yield item
        vocabulary.append(VocabTerm(term, len(entries), len(chunks)))
    yield from _vocabulary_items(origin, system, vocabulary)


def _vocabulary_items(origin: Origin, system: CodeSystem, vocabulary: list[VocabTerm]) -> Iterator[Item]:
    by_prefix: dict[str, list[VocabTerm]] = defaultdict(list)
    for entry in vocabulary:
        for length in range(1, min(PREFIX_MAX, len(entry.term)) + 1):
            by_prefix[entry.term[:length]].append(entry)
    for prefix, entries in by_prefix.items():
        entries.sort(key=lambda e: (-e.documents, e.term))
        if len(prefix) < PREFIX_MAX:
            kept = entries[:VOCAB_PER_PREFIX]
            exact = next((e for e in entries if e.term == prefix), None)
            if exact is not None and exact not in kept:
                kept.append(exact)
            entries = kept
        pk, sk = vocab_key(origin, system, prefix)
        yield {"PK": pk, "SK": sk, "terms": " ".join(e.encode() for e in entries)}
