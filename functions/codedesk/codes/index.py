"""The keyword index of a code set, written at publish time as ordinary table items.

Postings: for every term, the codes whose words contain it, in three tiers of how well the term
describes the code — 1: in the code's title and in its category's title (the code is *about* it),
2: in the title only, 3: only in inclusion terms (its own or a header's above it: ICD-10-CM's
inclusion terms hold for every code under them), the short title or our explanation. Each posting
entry is one short string whose alphabetical order is the static rank, so lists are merged and
ranked by plain string comparison:

    <class><title length><code key>     e.g. "006E119"
    class 0 billable, 1 billable in a special context, 2 header, 3 chapter or section, 4 header in a
    special context (_rank_class);
    title length in terms, two digits (_rank_length)

Within an item each tier is a list of blocks of BLOCK_ENTRIES space-separated entries. A list
longer than CHUNK_ENTRIES is split over several items (SK 000, 001, …). A chunk stays under
150 KB because the publisher keeps the previous version of an item beside the new one until the
next publish, and both must fit in DynamoDB's 400 KB.

Exact titles: for every code, the set of terms of its title, of its title without the parts in
parentheses or brackets (the tabular list's nonessential modifiers: "Essential (primary)
hypertension") and of each of its inclusion terms ("hypertension (arterial) (benign)" → I10), as one
more posting term, EXACT_MARK + the sorted terms, outside the vocabulary. A query reads the one item
of its own terms' set and puts the codes it lists first: "COVID-19" → U07.1 COVID-19. A category's
inclusion term ("diabetes NOS" under E11) names its default code too (E11.9, _default_codes).

Vocabulary: for every prefix of 1..PREFIX_MAX characters, the terms that start with it, most
frequent first, with their document frequency and chunk count. The frequency counts the codes whose
own words have the term, not those listed only for a header's inclusion term: those would crowd out
the completions titles say ("neuro" → neuropathy, not neurocognitive, whose header's inclusion terms
list it under hundreds of codes). One batch get of these items tells a query which terms exist, how
rare they are, what a half-typed word may become and which posting items to read.

Spelling: for every length of term from SPELLING_MIN_LENGTH, the vocabulary's terms of that length
said by two codes or more, one item each (PK CODESET#<origin>#<system>, SK SPELLING#<length>). A word
no code set knows ("pnemonia", "hipertension") is looked for among the terms of its first letter,
one letter shorter, as long or one longer, that it meets when one letter of each is left out
(search.SpellingBucket): a typo within the first letters, which the vocabulary's prefixes cannot
list, is still found.

Sounds: for every first letter, the same terms as the spelling items with how each sounds (text.sound:
its Metaphone key), one item each (SK SOUND#<letter>): a word no code set knows that sounds as a term
of its first letter and is a few letters from it is a typo of it ("diarea" → diarrhea, "hemroids" →
hemorrhoids, "anurism" → aneurysm), which one letter left out of each cannot find.

Resident index: our own code lists (origin "content": a few dozen to a few hundred codes each) are
also written whole as one item beside their summary (PK CODESET#content#<system>, SK SEARCH): every
term's tiers and every exact-title term. Search reads it once per content version with the
summaries and searches those lists in memory, so that a query spends its round trips and its time
on the imported code sets, where the codes are.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from codedesk.codes.items import Origin, code_key_of, set_pk
from codedesk.codes.models import CodeRecord, CodeSystem
from codedesk.codes.releases import in_release
from codedesk.codes.text import sound, terms
from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item

# Changes whenever the items of a code set (the index below, or the records of items.py) change shape
# or ranking, so that re-importing an unchanged file still rewrites items written by an older version.
INDEX_FORMAT = 21  # 6: release history (issue 16) or exact titles (issue 19); 7: both; 8: resident index; 9: defaults say their header's words; 10: accidental intent ranks first; 11: exact titles without "unspecified", what is absent or "X NOS" marks the default; 12: a header's inclusion terms index the codes under it; 13: a long clause of what is unspecified does not lengthen a title; 14: a possessive is one word; 15: "bad" is a filler word; 16: so are "has" and "have"; 17: spelling items; 18: a chapter or section has no exact title; 19: sound items; 20: type 2 diabetes ranks as diabetes said alone, mellitus is nonessential in exact titles; 21: Latin plurals folded, I22 is a special context, "of unspecified site" is unsaid, a special header's default may be special
CHUNK_ENTRIES = 12_000  # at most 12 bytes each: under 150 KB per version of an item
PREFIX_MAX = 6
VOCAB_PER_PREFIX = 40  # for prefixes shorter than PREFIX_MAX; a full-length prefix lists every term
TIERS = ("t1", "t2", "t3")
# A tier's entries are stored as blocks of this many, so that checking one code against a common
# word reads one short block instead of splitting a list of tens of thousands (search.PostingList).
BLOCK_ENTRIES = 256
VOCAB_SK = "V"
RESIDENT_SK = "SEARCH"
SPELLING_SK = "SPELLING#"
SOUND_SK = "SOUND#"
# A typo in a shorter word has too many near words ("hip": hop, hit, lip); a term said by one code only
# is more often a name than what a typo meant.
SPELLING_MIN_LENGTH = 5
SPELLING_MIN_DOCUMENTS = 2
RESIDENT_ORIGINS: tuple[Origin, ...] = ("content",)
# Systems whose codes are words people type as words ("LT", "GA"): the code is indexed as a term.
_CODE_AS_TERM = (CodeSystem.MODIFIER, CodeSystem.POS)
_SPECIAL_CONTEXT_CHAPTERS = ("O", "P")
# Words of a title that make a code one for a special context only: the newborn, the after-effects of
# a condition, a later encounter for it (the 7th characters D, G, K, P, Q, R, S of injuries).
_SPECIAL_CONTEXT_WORDS = ("newborn", "sequela", "subsequent encounter", "late effect")
_SUBSEQUENT = "subsequent "  # a title starting so: a subsequent infarction (I22)
EXACT_MARK = "="
_ACCIDENTAL = ", accidental (unintentional)"
_TYPE_2 = "Type 2 "
_MELLITUS = re.compile(r"\bmellitus\b", re.IGNORECASE)
_NONESSENTIAL = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_UNSPECIFIED = "unspecified"
# A clause of a title saying only what is not specified ("Pneumonia, unspecified organism", "Urinary
# tract infection, site not specified"): without it, the title says the condition alone. Not any
# longer clause: "Ulcerative colitis, unspecified with unspecified complications" is not ulcerative
# colitis said alone. Only the long clauses that cannot say more than what is unknown
# (_UNSAID_AT_LENGTH): "Twin pregnancy, unspecified number of placenta and unspecified number of
# amniotic sacs", "Latent syphilis, unspecified as early or late". And a title ending "of unspecified
# site" (45 titles): "ST elevation (STEMI) myocardial infarction of unspecified site" is the STEMI
# coded when no wall is said (I21.3), "Viral infection of unspecified site" viral infection (B34.9).
_LONG_UNSAID = r"unspecified (?:number of|whether|as |if )[^,]*"
_UNSAID_AT_LENGTH = re.compile(r",\s*" + _LONG_UNSAID, re.IGNORECASE)
_UNSAID = re.compile(
    rf"(?:,\s*(?:unspecified(?:\s+\w+)?|(?:\w+\s+)?not specified|{_LONG_UNSAID})|\s+of unspecified site)\s*(?=,|$)",
    re.IGNORECASE,
)
# A clause saying that a complication or state is absent ("without complications", "not intractable",
# "not having achieved remission"), up to the next comma: what is coded when the record says nothing
# of it. "Not elsewhere classified" says where a code is not, not a state of the patient.
_ABSENT = re.compile(r"\b(?:without|not)\b(?! elsewhere classified)[^,]*", re.IGNORECASE)
# An exact-title set of more terms than a query keeps (search.MAX_QUERY_TERMS) is never asked for.
EXACT_MAX_TERMS = 8


def term_pk(origin: Origin, system: CodeSystem | str, term: str) -> str:
    return key(Prefix.CODE_TERM, origin, system, term)


def chunk_sk(chunk: int) -> str:
    return f"{chunk:03d}"


def vocab_key(origin: Origin, system: CodeSystem | str, prefix: str) -> tuple[str, str]:
    return key(Prefix.CODE_VOCAB, origin, system, prefix), VOCAB_SK


def posting_entry(record: CodeRecord) -> str:
    return f"{_rank_class(record)}{_rank_length(_ranked_title(record)):02d}{code_key_of(record)}"


def _rank_class(record: CodeRecord) -> int:
    """0 billable, 1 billable but only for a special context, 2 header, 3 chapter or section, 4 header
    of a special context.

    Pregnancy (O00-O9A), perinatal (P00-P96), newborn, sequela and subsequent-encounter codes apply
    only to those patients or visits; a query that does not name the context means the general code
    ("UTI" → N39.0, not O23.4-; "wrist fracture" → the initial encounter). A query that does name it
    still finds them, because only they match its words."""
    if record.level in ("chapter", "section"):
        return 3
    special = record.system == CodeSystem.ICD10CM and _special_context(record)
    if not record.billable:
        return 4 if special else 2
    return 1 if special else 0


def _special_context(record: CodeRecord) -> bool:
    """Pregnancy and perinatal codes, and codes whose title names a special context. I22 Subsequent
    ST elevation (STEMI) and non-ST elevation (NSTEMI) myocardial infarction is one: it is coded only
    beside an I21 code, for a new infarction within four weeks of that one (Official Guidelines
    I.C.9.e.4), so "stemi" means I21.3 unless "subsequent" is said."""
    if record.code[:1] in _SPECIAL_CONTEXT_CHAPTERS:
        return True
    title = record.title.lower()
    return title.startswith(_SUBSEQUENT) or any(word in title for word in _SPECIAL_CONTEXT_WORDS)


def _rank_length(title: str) -> int:
    """Shorter titles are more general, and "unspecified" marks the default code of its group, so it
    counts minus one: "pneumonia" → J18.9 Pneumonia, unspecified organism, before J12.0 Adenoviral
    pneumonia. A long clause saying only what is unknown counts nothing: "pregnant with twins" →
    O30.009 Twin pregnancy, unspecified number of placenta and unspecified number of amniotic sacs,
    before O30.029 Conjoined twin pregnancy."""
    found = terms(_UNSAID_AT_LENGTH.sub("", title))
    return max(0, min(99, len(found) - 2 * found.count(_UNSPECIFIED)))


def _ranked_title(record: CodeRecord) -> str:
    """The title whose length ranks the code. A 7th-character code ranks as its base code, so the
    initial encounter (A) comes before subsequent (D) and sequela (S) instead of after them. A
    poisoning or toxic effect "accidental (unintentional)" ranks as if its intent were not said: the
    intent coded when none is documented (ICD-10-CM Official Guidelines I.C.19.e.5.b), before the
    shorter "assault" ("bee sting" → T63.441A). A type 2 diabetes code ranks as if the type were not
    said, the type coded when none is documented (I.C.4.a.2): "diabetes foot ulcer" → E11.621, before
    E10.621 Type 1 diabetes mellitus with foot ulcer."""
    parent = record.parent
    title = record.title
    if parent is not None and title.startswith(parent.title + ", ") and len(code_key_of(record)) == 7:
        title = parent.title
    return title.removesuffix(_ACCIDENTAL).removeprefix(_TYPE_2)


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


def exact_term(found: list[str]) -> str:
    """The posting term of a set of terms said exactly (see the module's docstring)."""
    return EXACT_MARK + "_".join(sorted(set(found)))


def _exact_terms(record: CodeRecord) -> set[str]:
    """The exact-title terms of a code: of its title and inclusion terms, each as written, without
    its nonessential modifiers and without a clause saying what is not specified, and each again
    without "unspecified": "Tachycardia, unspecified" is the code for tachycardia said with nothing
    more (R00.0, not I47.10 Supraventricular tachycardia, unspecified); so are "Pneumonia,
    unspecified organism" for pneumonia (J18.9) and "Urinary tract infection, site not specified" for
    urinary tract infection (N39.0). A chapter or section has none: it groups codes and is never
    coded, so "Diabetes mellitus" (E08-E13) or "Hernia" (K40-K46) said exactly does not put it
    before the codes. "Mellitus" is nonessential too, as the Alphabetic Index writes it ("Diabetes,
    diabetic (mellitus)"): "type 2 diabetes" says E11 Type 2 diabetes mellitus exactly, so its default
    E11.9 comes first."""
    if record.level in ("chapter", "section"):
        return set()
    said = [record.title, *record.notes.inclusion_terms, *record.notes.includes]
    found = set()
    for phrase in said:
        bare = _NONESSENTIAL.sub(" ", _MELLITUS.sub(" ", phrase))
        for text in (phrase, bare, _UNSAID.sub("", phrase), _UNSAID.sub("", bare)):
            said_terms = terms(text)
            found.add(exact_term(said_terms))
            if _UNSPECIFIED in said_terms:
                found.add(exact_term([term for term in said_terms if term != _UNSPECIFIED]))
    return {term for term in found if 0 < term.count("_") + 1 <= EXACT_MAX_TERMS and term != EXACT_MARK}


def _header_keys(code: str) -> list[str]:
    """The keys of the headers an ICD-10-CM code key may sit under, its category first: E119 → E11;
    S52509A → S52, S525, S5250, S52509."""
    return [code[:length] for length in range(3, len(code))]


def _default_codes(current: list[CodeRecord]) -> dict[str, CodeRecord]:
    """Header code key → the billable code a coder takes when nothing more is said: not for a
    special context, unless the header is one ("Sequelae of cerebral infarction" → I69.30 Unspecified
    sequelae of cerebral infarction, not I69.359 Hemiplegia and hemiparesis following cerebral
    infarction affecting unspecified side, whose title does not say sequelae); the one whose
    inclusion term is the header's title NOS, where the tabular says so (I26 Pulmonary embolism →
    I26.99, 'Pulmonary embolism NOS'); else saying every word of the header's title (outside what
    it says is absent), "without complications" or "uncomplicated", else the most "unspecified",
    else saying most of what is absent ("not intractable", "without status epilepticus"), else the
    shortest title (E11 → E11.9, J18 → J18.9, S52.5 → S52.509A, F10.2 → F10.20; R11 Nausea and
    vomiting → R11.2 Nausea with vomiting, unspecified, not R11.11 Vomiting without nausea; G40.9
    Epilepsy, unspecified → G40.909 Epilepsy, unspecified, not intractable, without status
    epilepticus, not G40.911)."""
    best: dict[str, tuple[tuple[bool, bool, bool, bool, int, int, int, str], CodeRecord]] = {}
    headers = {
        code_key_of(r): (
            set(terms(r.title)),
            frozenset(terms(_ABSENT.sub(" ", _NONESSENTIAL.sub(" ", r.title)))),
            _special_context(r),
        )
        for r in current
        if not r.billable and r.level not in ("chapter", "section")
    }
    for record in current:
        if not record.billable:
            continue
        title = record.title.lower()
        title_terms = terms(title)
        present = set(terms(_ABSENT.sub(" ", title)))
        said_nos = {
            frozenset(terms(_NONESSENTIAL.sub(" ", text)))
            for text in record.notes.inclusion_terms
            if text.endswith(" NOS")
        }
        # What ranks the code whatever its header: the header's words and NOS come first, per header.
        own_rank = (
            "without complication" not in title and "uncomplicated" not in title,
            -title.count(_UNSPECIFIED),
            -len(_ABSENT.findall(title)),
            len(title_terms),
            record.code,
        )
        special = _special_context(record)
        code = code_key_of(record)
        for header in _header_keys(code):
            if header not in headers:
                continue
            header_terms, header_present, header_special = headers[header]
            rank = (
                special and not header_special,
                header_present not in said_nos,
                not header_terms <= present,
                *own_rank,
            )
            if header not in best or rank < best[header][0]:
                best[header] = (rank, record)
    return {header: record for header, (_, record) in best.items()}


def _term_tiers(record: CodeRecord, category_title: str | None) -> dict[str, int]:
    title = set(terms(record.title))
    about = set(terms(category_title)) if category_title is not None else title
    tiers = {term: 1 if term in about else 2 for term in title}
    extra = " ".join(
        [*record.notes.inclusion_terms, *record.notes.includes, record.short_title or "", record.explanation or ""]
    )
    for term in terms(extra):
        tiers.setdefault(term, 3)
    if record.system in _CODE_AS_TERM:
        tiers[record.code.lower()] = 1
    return tiers


def _inherited_terms(current: list[CodeRecord]) -> dict[str, set[str]]:
    """Code key → the terms of its headers' inclusion terms (ICD-10-CM: an inclusion term holds for
    every code under its header; "Vitreous floaters" under H43.39 is what H43.391 Other vitreous
    opacities, right eye codes too)."""
    said = {
        code_key_of(record): set(terms(" ".join(record.notes.inclusion_terms)))
        for record in current
        if not record.billable and record.notes.inclusion_terms
    }
    found: dict[str, set[str]] = {}
    for record in current:
        code = code_key_of(record)
        headers = [said[header] for header in _header_keys(code) if header in said]
        if headers:
            found[code] = set().union(*headers)
    return found


def index_items(origin: Origin, system: CodeSystem, records: list[CodeRecord], release_on: date) -> Iterator[Item]:
    current = [record for record in records if in_release(record, release_on)]
    titles = {code_key_of(record): record.title for record in current}
    postings: dict[str, list[tuple[str, int]]] = defaultdict(list)
    exact: dict[str, set[str]] = defaultdict(set)
    defaults = _default_codes(current)
    own_documents: dict[str, int] = defaultdict(int)
    inherited = _inherited_terms(current) if system == CodeSystem.ICD10CM else {}
    for record in current:
        category = titles.get(code_key_of(record)[:3]) if system == CodeSystem.ICD10CM else None
        entry = posting_entry(record)
        tiers = _term_tiers(record, category)
        for term, tier in tiers.items():
            postings[term].append((entry, tier))
            own_documents[term] += 1
        for term in inherited.get(code_key_of(record), set()) - tiers.keys():
            postings[term].append((entry, 3))
        said = _exact_terms(record)
        default = defaults.get(code_key_of(record))
        for term in said:
            exact[term].add(entry)
            if default is not None:
                exact[term].add(posting_entry(default))
    for term, exact_codes in exact.items():
        # A handful of codes each: one item, one tier, never in the vocabulary.
        yield {"PK": term_pk(origin, system, term), "SK": chunk_sk(0), "t1": [" ".join(sorted(exact_codes))]}
    if origin in RESIDENT_ORIGINS:
        yield _resident_item(origin, system, postings, exact)

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
        vocabulary.append(VocabTerm(term, own_documents[term], len(chunks)))
    yield from _vocabulary_items(origin, system, vocabulary)
    if origin not in RESIDENT_ORIGINS:  # a resident list's terms are all in memory already
        yield from _spelling_items(origin, system, vocabulary)
        yield from _sound_items(origin, system, vocabulary)


def _vocabulary_items(origin: Origin, system: CodeSystem, vocabulary: list[VocabTerm]) -> Iterator[Item]:
    by_prefix: dict[str, list[VocabTerm]] = defaultdict(list)
    for entry in vocabulary:
        for length in range(1, min(PREFIX_MAX, len(entry.term)) + 1):
            by_prefix[entry.term[:length]].append(entry)
    for prefix, entries in by_prefix.items():
        pk, sk = vocab_key(origin, system, prefix)
        yield {"PK": pk, "SK": sk, "terms": " ".join(e.encode() for e in prefix_listing(prefix, entries))}


def spelling_key(origin: Origin, system: CodeSystem | str, length: int) -> tuple[str, str]:
    return set_pk(origin, system), f"{SPELLING_SK}{length:02d}"


def sound_key(origin: Origin, system: CodeSystem | str, letter: str) -> tuple[str, str]:
    return set_pk(origin, system), f"{SOUND_SK}{letter}"


def _spelled_terms(vocabulary: list[VocabTerm]) -> Iterator[VocabTerm]:
    """The terms a typo may be read as: long enough, and said by more than one code."""
    for entry in vocabulary:
        if len(entry.term) >= SPELLING_MIN_LENGTH and entry.documents >= SPELLING_MIN_DOCUMENTS:
            yield entry


def _sound_items(origin: Origin, system: CodeSystem, vocabulary: list[VocabTerm]) -> Iterator[Item]:
    by_letter: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for entry in _spelled_terms(vocabulary):
        if entry.term.isalpha() and (said := sound(entry.term)):  # a word of letters that are all silent has none
            by_letter[entry.term[0]][said].append(entry.encode())
    for letter, by_sound in by_letter.items():
        pk, sk = sound_key(origin, system, letter)
        yield {"PK": pk, "SK": sk, "sounds": {said: " ".join(sorted(entries)) for said, entries in by_sound.items()}}


def _spelling_items(origin: Origin, system: CodeSystem, vocabulary: list[VocabTerm]) -> Iterator[Item]:
    by_length: dict[int, list[VocabTerm]] = defaultdict(list)
    for entry in _spelled_terms(vocabulary):
        by_length[len(entry.term)].append(entry)
    for length, entries in by_length.items():
        pk, sk = spelling_key(origin, system, length)
        # In the order of their text, so that a search finds a term, or the terms of a first letter, by bisection.
        yield {"PK": pk, "SK": sk, "terms": " ".join(sorted(e.encode() for e in entries))}


def prefix_listing(prefix: str, entries: list[VocabTerm]) -> list[VocabTerm]:
    """What the vocabulary item of a prefix lists of the terms starting with it: most frequent
    first; under PREFIX_MAX characters only the VOCAB_PER_PREFIX most frequent, and the prefix
    itself when it is a term."""
    entries = sorted(entries, key=lambda e: (-e.documents, e.term))
    if len(prefix) >= PREFIX_MAX:
        return entries
    kept = entries[:VOCAB_PER_PREFIX]
    exact = next((e for e in entries if e.term == prefix), None)
    if exact is not None and exact not in kept:
        kept.append(exact)
    return kept


def resident_key(origin: Origin, system: CodeSystem | str) -> tuple[str, str]:
    return set_pk(origin, system), RESIDENT_SK


def _resident_item(
    origin: Origin, system: CodeSystem, postings: dict[str, list[tuple[str, int]]], exact: dict[str, set[str]]
) -> Item:
    """The whole index of a small code set: term → its tiers' entries (one string each, "" when
    empty), exact-title term → its entries."""
    pk, sk = resident_key(origin, system)
    tiers = {
        term: [" ".join(sorted(entry for entry, entry_tier in entries if entry_tier == tier)) for tier in (1, 2, 3)]
        for term, entries in postings.items()
    }
    return {
        "PK": pk,
        "SK": sk,
        "tiers": tiers,
        "exact": {term: " ".join(sorted(codes)) for term, codes in exact.items()},
    }
