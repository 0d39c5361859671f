"""Code search on the table: a code or code prefix, keywords, half-typed words, abbreviations, and
the ICD-10-CM index's own phrasing ("Neoplasm, lung, malignant primary").

Round trips per query, counted at the table port:
- a code or code prefix (`E11.9`, `e119`, `E11.6`, `J12`): one query on GSI1 by first character;
- words: (1) one batch get of the vocabulary items of every query word, and of the index tables'
  entries listed under each word (codes/index_tables.py); (2) one batch get of the posting items of
  the chosen terms, of the exact-title item of the query's terms and of the rows of the index
  entries having the most words; (3) one batch get of the records to show. A word that no code
  set knows (a typo: "pnemonia") makes one more batch get, of the spelling items of its length and
  the lengths beside it, the first time a kept instance meets a word of that length; a typo that
  makes a synonym's phrase once respelled ("ear infecion", "shingels") is searched as the phrase,
  one more batch get of vocabulary (5 round trips at most). The synonym list,
  which code sets hold codes and the whole index of our own small code lists (content/codes: a few
  hundred codes, 44 KB in all; codes/index.py's resident item) are read once per content version
  (one more batch get, on the first search of a version) and kept in memory: they are small and
  change only on publish. Round trips 1 and 2 then read only the imported code sets' items. The
  vocabulary, postings and index items of the words searched lately, and what the codes shown
  lately say, are kept too (bounded, index items parsed): a warm instance skips the round trips
  for them (a repeated search makes none), and reads a common word into a dict once, not per query.

Ranking, best first: the exact code, then codes under the typed prefix, then the codes an index
route saying every word leads to (with the route: "Aspirin → Adverse effect → T39.015") and codes
whose title or inclusion term is exactly the words typed (its terms, nonessential modifiers left
out: codes/index.py, where a chapter or section has none; the words as typed before what a
synonym makes of them), then codes matching every word — the words in the code's title and its
category's title before title-only before inclusion terms; exact words before completions before
spelling corrections; billable codes before headers; shorter titles first ("unspecified" counting
as the default of its group); codes for a special context (pregnancy, perinatal, newborn, sequela,
later encounters) after the general ones. Codes matching only some words come only when no code has
them all and the index leads nowhere, those having the most words first, down to one word: a search
is empty only when no word matches anything, and the answer names the words its first code does not
have. The rarest word leads and the walk stops as soon as no later code can rank higher, so a common
word's long posting list is mostly never read past its first blocks; when the words rarely meet,
whole sets are intersected in C instead.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, KeysView, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from typing import NamedTuple, Protocol

from codedesk.codes import index_tables
from codedesk.codes.index import (
    EXACT_MAX_TERMS,
    PREFIX_MAX,
    RESIDENT_ORIGINS,
    SPELLING_MIN_LENGTH,
    TIERS,
    VocabTerm,
    chunk_sk,
    exact_term,
    prefix_listing,
    resident_key,
    sound_key,
    spelling_key,
    term_pk,
    vocab_key,
)
from codedesk.codes.items import CODE_SETS, SUMMARY_SK, SYNONYMS_KEY, Origin, code_index_pk, record_key, set_pk
from codedesk.codes.models import CodeSystem
from codedesk.codes.notation import code_key
from codedesk.codes.text import CONTRACTED, STOPWORDS, letters_apart, phrase_terms, said_alike, sound, stem, words
from codedesk.content.view import VersionCache
from codedesk.store.keys import SEPARATOR
from codedesk.store.port import MAX_BATCH_GET, Item, KeyCondition, Page, Table, sk_begins_with

MAX_QUERY_TERMS = 8
SHORT_PREFIX = 4
COMPLETIONS_PER_WORD = 6
CODE_PREFIX_READ = 60  # rows read for a code prefix: enough for a page after filters
# One check of a code against a word's posting lists costs about what reading this many of its
# codes into a dict costs (split and dict.fromkeys run in C): the break-even of _Word.score_of.
ENTRIES_PER_CHECK = 32
FEW_BETTER = 64  # codes scoring better than a word's floor, scored before the walk (_Word.floor)
# Below this many codes of the rarest word times the words, a query intersects the words' codes whole
# (in C) instead of walking them: the walk's bookkeeping per code (floors, merges, a sorted top)
# costs more than it saves there. Measured over the benchmark's sets (CPU time, same hits): cold
# p50 / p95 0.54 / 1.86 ms walking, 0.48 / 1.69 ms intersecting below 256, no worse up to 16,384.
FEW_CODES = 4096
MIN_WALK = 16  # codes of the rarest word walked one by one at least before intersecting whole sets
NO_MATCH = 99
EXACT_SCORE = -1  # a code whose title or inclusion term is exactly the query's words, before any other
EXACT_AS_TYPED_SCORE = -2  # exactly the words as typed, when a synonym changed them: before EXACT_SCORE
# The ICD-10-CM index tables: entries read per table, routes kept, and how many titles of a route
# the query may leave unsaid and still rank with the exact titles ("Fall, from, ladder" leaves "from,
# off, out of" unsaid: "from" is filler).
INDEX_ENTRIES_READ = 3
INDEX_MAX_TERMS = 12  # the index's paths are long ("Accident, transport, car occupant, driver, collision")
INDEX_ROUTES = 5
INDEX_CLOSE = 1
PARTIAL_MATCH_CANDIDATES = 500  # codes scored when no code has every word: the rarer words' codes
# Added to the score of a code for each word its code set does not know at all: among codes lacking
# as many words, those of a set where the words are at home come first ("headaches every day": the
# headache codes, not a HCPCS code about a day).
UNKNOWN_WORD = 100
# Added for each word a partial match lacks, the more the rarer the word, so that among codes having
# as many of the words, those having the rare ones come first: "gambling problem" → pathological
# gambling, not every problem; "wandering off" → Z91.83 Wandering, not the off-road vehicles. Per
# tenfold fewer codes saying the word, as much as a tier: log10 of a word's codes is 0 (one code) to 5.
MISSING_WORD_PER_TENFOLD = 1
MISSING_WORD_MOST = 5
# Codes counted for the codes having two or more of the words, not all: "burned finger cooking" counts
# the 2,001 codes saying burn or cooking, which hold the burns of a finger. At 4,000 one query in
# 2,000 ("tetanus shot after cut") took 30 ms instead of 9.
PARTIAL_MATCH_POOL = 3000
CONNECTIVES = frozenset({"with", "without", "after"})  # words joining what a partial match counts
# Terms that name a special context (codes/index.py's rank classes 1 and 4): a query saying one
# ranks that context's codes with the general ones, by their words ("gestational diabetes" → O24.419
# Gestational diabetes mellitus in pregnancy, not Z86.32 Personal history of gestational diabetes).
CONTEXT_TERMS = frozenset(
    {
        "antepartum", "childbirth", "fetal", "fetus", "gestation", "gestational", "intrapartum", "maternal",
        "neonatal", "newborn", "obstetric", "perinatal", "postpartum", "pregnancy", "pregnant", "puerperal",
        "puerperium", "sequela", "subsequent", "trimester",
    }
)  # fmt: skip
_HAS_DIGIT = re.compile(r"\d")
# Penalties added to a term's tier: how sure we are that the term is the word the user meant.
EXACT, COMPLETION, CORRECTION = 0, 1, 2
FORM = COMPLETION  # another form of the word typed ("ovary" for "ovarian"): after the word itself
# Endings whose word, when it matches no term, is looked for by its root among the terms its first
# letters list (_relatives): lay words are often another form of a title's word.
DERIVED_ENDINGS = ("ness", "ing", "ed", "ly", "y")
RARE_WORD = 20  # codes: a word said by fewer is looked for by its root too
LONG_MISSPELLING = 9  # letters: a word this long may be read as a term two letters away (_misspelling_of)


class ContentReader(Protocol):
    """The reads search makes: those of codedesk.content.view.ContentView, whose table and version
    also key what is kept between queries."""

    table: Table
    version: int

    def get(self, pk: str, sk: str) -> Item | None: ...

    def batch_get(self, keys: Sequence[tuple[str, str]]) -> list[Item]: ...

    def query(
        self, pk: str, *, sk: KeyCondition | None = None, index: str | None = None, limit: int | None = None
    ) -> Page: ...


@dataclass(frozen=True)
class Hit:
    system: CodeSystem
    code: str
    title: str
    billable: bool
    index_path: tuple[str, ...] = ()  # the ICD-10-CM index's route to the code, when it led there


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    has_more: bool
    interpreted_as: list[str] = field(default_factory=list)  # the words searched after synonyms
    not_used: list[str] = field(default_factory=list)  # of those, the words the first hit lacks
    said_as: list[tuple[str, str]] = field(default_factory=list)  # (phrase typed, the titles' words for it)


# Posting entries stay strings ("006E119": class, title length, code key; see codes/index.py): they
# are compared, merged and looked up in C by the thousand, and their order is the static rank. What
# is built once per query or per word is a NamedTuple. What is built once per code scored or ranked
# stays a plain tuple, named by the aliases below and unpacked into named variables where it is read:
# a NamedTuple costs about 1 µs to build here against 0.05 µs for a tuple, which a query that ranks
# a few hundred codes would feel (measured: +10-30 % on the benchmark's p50).


class CodeSet(NamedTuple):
    origin: Origin
    system: CodeSystem


class WordKey(NamedTuple):
    """One typed word in one code set; the key of its chosen terms in VOCABULARY."""

    origin: Origin
    system: CodeSystem
    term: str
    half_typed: bool  # the last word of a query not ended by a space: it may be completed


class TermChoice(NamedTuple):
    """A term a typed word may stand for, as the vocabulary tells it (kept in VOCABULARY)."""

    term: str
    penalty: int  # EXACT, COMPLETION, FORM or CORRECTION
    chunks: int
    documents: int


PrefixRank = tuple[bool, int, str, bool]
"""How a code found by code prefix ranks: (longer than typed, key length, code key, curated), so the
exact code comes first, then shorter codes, in code order, the official file's record before ours."""
Scored = tuple[bool, int, str]
"""A code having every word in one code set: (demoted, the words' scores added, entry) (Wanted.demoted)."""
Rank = tuple[int, bool, int]
"""How a matching code ranks among every code set's: (words it lacks, demoted, score)."""
Match = tuple[Rank, str]
"""(rank, posting entry) of one code set."""


class Ranked(NamedTuple):
    """A matching code across the code sets (a few dozen a query: the best of each set)."""

    rank: Rank
    origin: Origin
    system: CodeSystem
    entry: str  # the posting entry


class Wanted(NamedTuple):
    """Which codes a query ranks, and how: only billable codes (True), only headers (False) or both
    (None); and whether it names a special context (CONTEXT_TERMS), so that those codes are not put
    after the general ones."""

    billable: bool | None
    context_said: bool

    def accepts(self, entry: str) -> bool:
        return self.billable is None or _billable(entry) == self.billable

    def demoted(self, entry: str) -> bool:
        """A code for a special context the query does not name: after the general codes."""
        return not self.context_said and _special(entry)


class RecordRef(NamedTuple):
    """A code to show, by the record it is read from."""

    origin: Origin
    system: CodeSystem
    code: str  # the code key


# ----------------------------------------------------------------------------- synonyms

Reading = list[tuple[tuple[str, ...], tuple[str, ...]]]
"""The words typed, phrase by phrase: (as typed, as the titles say it) (Synonyms.read)."""


@dataclass(frozen=True)
class Synonyms:
    """Phrases people type → the words the code titles use, longest phrase first. Most hold in every
    code system; some only in the systems whose titles use those words (`only`, by system): ICD-10-CM
    says "malignant neoplasm of prostate" where HCPCS says "prostate cancer screening". And the forms
    of a word (`forms`, term → its other forms' terms): a title saying any of them says the word, a
    little after the titles saying it as typed ("ovarian cancer" → Malignant neoplasm of ovary)."""

    phrases: dict[tuple[str, ...], tuple[str, ...]]
    only: dict[str, dict[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Each phrase's terms (text.phrase_terms), as published; worked out here when not given.
    terms: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)

    @functools.cached_property
    def longest(self) -> int:
        """Words in the longest phrase (counted once: the synonyms are kept per content version)."""
        return max(map(len, chain(self.phrases, *self.only.values())), default=0)

    @functools.cached_property
    def _by_system(self) -> dict[str | None, _SystemPhrases]:
        """Each system's phrases (None: those of every system), as written and as terms. This runs on
        the first search of a content version: a phrase's terms come with the published item."""
        keys = self.terms or {phrase: phrase_terms(phrase) for phrase in chain(self.phrases, *self.only.values())}
        keys = {phrase: terms for phrase, terms in keys.items() if terms}
        tables: dict[str | None, dict[tuple[str, ...], tuple[str, ...]]] = {None: self.phrases}
        tables.update((system, {**self.phrases, **own}) for system, own in self.only.items())
        return {system: _SystemPhrases.of(phrases, keys) for system, phrases in tables.items()}

    @classmethod
    def from_item(cls, item: Item | None) -> Synonyms:
        """The synonyms item as codes/publish.py writes it: each phrase a line "system|words
        typed|words meant|terms", each form family a line of terms."""
        phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        only: dict[str, dict[tuple[str, ...], tuple[str, ...]]] = {}
        terms: dict[tuple[str, ...], tuple[str, ...]] = {}
        for line in (item or {}).get("phrases", []):
            system, typed, meant, its_terms = line.split("|")
            phrase = tuple(typed.split())
            (only.setdefault(system, {}) if system else phrases)[phrase] = tuple(meant.split())
            terms[phrase] = tuple(its_terms.split())
        forms: dict[str, tuple[str, ...]] = {}
        for family in (item or {}).get("forms", []):
            family_terms = family.split()
            forms.update((term, tuple(other for other in family_terms if other != term)) for term in family_terms)
        return cls(phrases, only, forms, terms)

    @functools.cached_property
    def phrase_words(self) -> frozenset[str]:
        """Every word of the phrases people type (built on the first typo of a content version)."""
        return frozenset(chain.from_iterable(chain(self.phrases, *self.only.values())))

    @functools.cached_property
    def _sorted_words(self) -> list[str]:
        """The phrases' words a typo may stand for, in order (for completions, by bisection)."""
        return sorted(word for word in self.phrase_words if len(word) >= SYNONYM_SPELLING_MIN_LENGTH and word.isalpha())

    @functools.cached_property
    def _by_deletion(self) -> dict[str, list[str]]:
        """The phrases' words, under themselves and each spelling with one letter but the first left
        out (as SpellingBucket does for the titles)."""
        found: dict[str, list[str]] = {}
        for word in self._sorted_words:
            for key_ in {word, *_letter_left_out(word)}:
                found.setdefault(key_, []).append(word)
        return found

    def near(self, typed: str) -> list[str]:
        """The phrases' words one letter away from `typed` (added, dropped, changed or two swapped),
        of the same first letter and, for a short word, the same last (_likely_typo); or from
        `typed` with its first sound written in two letters ("neumococcal" → pneumococcal:
        _written_starts), for a word as long as the titles' typos (SPELLING_MIN_LENGTH)."""
        found: set[str] = set()
        written = _written_starts(typed) if len(typed) >= SPELLING_MIN_LENGTH else []
        for spelling in (typed, *written):
            keys = {spelling, *_letter_left_out(spelling)}
            near = (word for key_ in keys for word in self._by_deletion.get(key_, ()))
            found.update(word for word in near if word != typed and _likely_typo(spelling, word))
        return sorted(found)

    def completions(self, typed: str) -> list[str]:
        """The phrases' words longer than `typed` that start as it does."""
        at = bisect.bisect_right(self._sorted_words, typed)
        found = []
        while at < len(self._sorted_words) and self._sorted_words[at].startswith(typed):
            found.append(self._sorted_words[at])
            at += 1
        return found

    def replaces(self, typed: list[str], at: int) -> bool:
        """Whether a phrase of some system replaces the words typed at `at`."""
        for system in (None, *self.only):
            start = 0
            for phrase, meaning in self.read(typed, system):
                if start <= at < start + len(phrase):
                    if phrase != meaning:
                        return True
                    break
                start += len(phrase)
        return False

    def apply(self, typed: list[str], system: str | None = None) -> list[str]:
        """The words typed, each phrase replaced by what the titles of `system` say (the phrases of
        every system when None)."""
        return _as_said(self.read(typed, system))

    def read(self, typed: list[str], system: str | None = None) -> Reading:
        """The words typed, phrase by phrase: (as typed, as the titles of `system` say it), a word
        no phrase starts with standing for itself."""
        table = self._by_system.get(system) or self._by_system[None]
        # stem() changes only words ending in "s": the others are their own term, without the call
        as_terms = [
            None if word in STOPWORDS else said_alike(stem(word) if word[-1:] == "s" else word) for word in typed
        ]
        out: Reading = []
        at = 0
        while at < len(typed):
            if typed[at] not in table.starts and as_terms[at] not in table.starts:
                out.append(((typed[at],), (typed[at],)))  # most words typed start no phrase
                at += 1
                continue
            length, meaning = table.longest_at(typed, as_terms, at, self.longest)
            out.append((tuple(typed[at : at + length]), meaning or (typed[at],)))
            at += length
        return out


@dataclass(frozen=True)
class _SystemPhrases:
    """One system's phrases, as written ("bump on the head") and as their terms ("bump head"): filler
    words left out, plurals folded and words said alike made one (text.SAID_ALIKE), so that a phrase typed
    another way finds its meaning too: "ringing ear" as "ringing in ears", "headaches" as "headache",
    "std check" as "std test". A phrase starting with a filler word ("a fib") is matched only as
    written; terms that two phrases of different meanings share mean neither."""

    written: dict[tuple[str, ...], tuple[str, ...]]
    as_terms: dict[tuple[str, ...], tuple[str, ...]]
    # The first word of each phrase as written, and its first term: most words typed start none, and
    # are passed by with one set lookup.
    starts: frozenset[str]

    @classmethod
    def of(
        cls, phrases: dict[tuple[str, ...], tuple[str, ...]], keys: dict[tuple[str, ...], tuple[str, ...]]
    ) -> _SystemPhrases:
        """`keys`: each phrase's terms (Synonyms._by_system), for those not starting with a filler word."""
        as_terms: dict[tuple[str, ...], tuple[str, ...]] = {}
        ambiguous = set()
        for phrase, meaning in phrases.items():
            key_ = keys.get(phrase)
            if key_ is None:
                continue
            if as_terms.setdefault(key_, meaning) != meaning:
                ambiguous.add(key_)
        for key_ in ambiguous:
            del as_terms[key_]
        starts = frozenset(chain((phrase[0] for phrase in phrases), (key_[0] for key_ in as_terms)))
        return cls(phrases, as_terms, starts)

    def longest_at(
        self, typed: list[str], as_terms: list[str | None], at: int, longest: int
    ) -> tuple[int, tuple[str, ...] | None]:
        """(words taken, their meaning) of the longest phrase starting at `at`, as written or as
        terms; (1, None) when none does."""
        found: tuple[int, tuple[str, ...] | None] = (1, None)
        for length in range(min(longest, len(typed) - at), 0, -1):
            meaning = self.written.get(tuple(typed[at : at + length]))
            if meaning is not None:
                found = (length, meaning)
                break
        if as_terms[at] is None:
            return found
        said = [(term, end) for end, term in enumerate(as_terms[at:], start=at + 1) if term is not None][:longest]
        for count in range(len(said), 0, -1):
            end = said[count - 1][1]
            if end - at <= found[0] and found[1] is not None:
                break
            meaning = self.as_terms.get(tuple(term for term, _ in said[:count]))
            if meaning is not None:
                return end - at, meaning
        return found


@dataclass(frozen=True)
class Searchable:
    """What one content version offers a search: the synonyms, which code sets hold codes (so that
    a query asks for no vocabulary of an empty set) and the whole index of our own small code lists
    (searched in memory: codes/index.py's resident index)."""

    synonyms: Synonyms
    sets: tuple[CodeSet, ...]
    resident: dict[CodeSet, ResidentIndex]


# What a warm instance keeps per content version (codedesk.content.view.VersionCache): the
# searchable summary, and the vocabulary and posting lists of the words searched lately, so that a
# common word ("pain", "left", "unspecified") is not read, split and checked from scratch by every
# query.
# Sizes are characters of posting text; 8 M characters are about 50 MB in memory (measured: the
# 141 benchmark queries keep 1.6 M characters in 10 MB).
CHARACTERS_PER_ENTRY = 10
CHARACTERS_PER_INDEX_ROW = 200  # an index row or entry, as kept (index_tables.py)
CHARACTERS_PER_RECORD = 100  # a code shown: its code, title and billable flag
SEARCHABLE = VersionCache(capacity=1)
VOCABULARY = VersionCache(capacity=200_000)  # sizes: terms chosen for a word
POSTINGS = VersionCache(capacity=8_000_000)
SPELLING = VersionCache(capacity=200)  # sizes: one per spelling or sound item (terms of one length, or letter)
SPELLINGS_PER_WORD = 3  # near spellings a word no code set knows may stand for
SOUND_EDITS = 3  # letters a typo sounding as a term may be from it: "hemroid", hemorrhoid
SPELLING_KEEPS_ENDS_BELOW = 7  # letters: a shorter typo keeps its last letter too (_likely_typo)
# The first letters of a word as heard, and how the titles may write them (_written_starts).
SOUNDED_STARTS = {"n": ("pn", "kn", "gn"), "s": ("ps",), "r": ("wr",), "f": ("ph",)}
# Letters: a word this short is read as a synonym's word when that makes a phrase ("hart burn"); not
# one of three ("sed rate" is no "std rate").
SYNONYM_SPELLING_MIN_LENGTH = 4


def _searchable(view: ContentReader) -> Searchable:
    """One batch get the first time a version is seen, then kept."""
    found = SEARCHABLE.get(view, "searchable")
    if found is None:
        summaries = [(set_pk(origin, system), SUMMARY_SK) for origin, system in CODE_SETS]
        residents = [resident_key(origin, system) for origin, system in CODE_SETS if origin in RESIDENT_ORIGINS]
        items = {(item["PK"], item["SK"]): item for item in view.batch_get([SYNONYMS_KEY, *summaries, *residents])}
        present = tuple(CodeSet(*pair) for pair, key_ in zip(CODE_SETS, summaries, strict=True) if key_ in items)
        resident = {
            code_set: ResidentIndex(item)
            for code_set in present
            if (item := items.get(resident_key(*code_set))) is not None
        }
        found = Searchable(Synonyms.from_item(items.get(SYNONYMS_KEY)), present, resident)
        SEARCHABLE.put(view, "searchable", found, 1)
    return found


# ------------------------------------------------------------------------------ the query


def search(
    view: ContentReader,
    query: str,
    *,
    systems: Sequence[CodeSystem] = (),
    billable: bool | None = None,
    limit: int = 25,
    offset: int = 0,
) -> SearchResult:
    typed = query.strip()
    as_code = code_key(typed) if " " not in typed else None
    if as_code and _HAS_DIGIT.search(as_code):
        sets = [CodeSet(origin, system) for origin, system in CODE_SETS if not systems or system in systems]
        hits = _code_prefix(view, as_code, sets, billable)
        if hits:
            return SearchResult(typed, hits[offset : offset + limit], len(hits) > offset + limit, [as_code])
    searchable = _searchable(view)
    sets = [code_set for code_set in searchable.sets if not systems or code_set.system in systems]
    return _words_search(view, typed, sets, billable, limit, offset, searchable)


def _code_prefix(view: ContentReader, prefix: str, sets: list[CodeSet], billable: bool | None) -> list[Hit]:
    page = view.query(code_index_pk(prefix), sk=sk_begins_with(prefix), index="GSI1", limit=CODE_PREFIX_READ)
    wanted = set(sets)
    found: dict[tuple[str, str], tuple[PrefixRank, Hit]] = {}
    for item in page.items:
        origin, system = item.get("origin", ""), item.get("system", "")
        if (origin, system) not in wanted or item.get("level") in ("chapter", "section"):
            continue
        if billable is not None and bool(item.get("billable")) != billable:
            continue
        hit = Hit(CodeSystem(system), item["code"], item["title"], bool(item.get("billable")))
        key_ = item["GSI1SK"].split(SEPARATOR)[0]
        rank: PrefixRank = (key_ != prefix, len(key_), key_, origin != "file")
        if (system, hit.code) not in found or rank < found[(system, hit.code)][0]:
            found[(system, hit.code)] = (rank, hit)
    return [hit for _, hit in sorted(found.values(), key=lambda pair: pair[0])]


class PostingList:
    """One tier of one term's postings: sorted entries kept as the stored blocks of text. Checking a
    code finds its block by bisect on the blocks' first entries and looks for the entry in the
    block's text (one substring search in C, no split); walking the list splits blocks one at a
    time, and a walk that stops early never splits the rest."""

    def __init__(self, blocks: list[str]):
        self.blocks = blocks
        self.heads = [block[: block.find(" ")] if " " in block else block for block in blocks]
        self._split: dict[int, list[str]] = {}
        self._spaced: dict[int, str] = {}

    def _block(self, at: int) -> list[str]:
        found = self._split.get(at)
        if found is None:
            found = self._split[at] = self.blocks[at].split()
        return found

    def __bool__(self) -> bool:
        return bool(self.blocks)

    def __contains__(self, entry: str) -> bool:
        at = bisect.bisect_right(self.heads, entry) - 1
        if at < 0:
            return False
        spaced = self._spaced.get(at)
        if spaced is None:
            spaced = self._spaced[at] = f" {self.blocks[at]} "  # every entry between two spaces
        return f" {entry} " in spaced

    def __iter__(self) -> Iterator[str]:
        for at in range(len(self.blocks)):
            yield from self._block(at)

    def entries(self) -> Iterator[str]:
        """Every entry, split in C block by block (for reading the list whole)."""
        return chain.from_iterable(block.split() for block in self.blocks)


class TermPostings:
    """One term's postings in one code set: its tiers as posting lists and, once the term has been
    checked about as often as reading it whole costs, a dict of code → tier. Kept with the term
    between queries (POSTINGS), so a common word is read into a dict once per warm instance and
    a code is then checked against it with one dict lookup."""

    def __init__(self, lists: list[PostingList], documents: int):
        self.lists = lists  # t1, t2, t3
        self.documents = documents
        self._tiers: dict[str, int] | None = None
        self._checks = 0

    def tier_of(self, entry: str) -> int | None:
        if self._tiers is None:
            self._checks += 1
            if self._checks * ENTRIES_PER_CHECK < self.documents:
                for tier, listed in enumerate(self.lists, start=1):
                    if entry in listed:
                        return tier
                return None
        return self.tiers().get(entry)

    def read_whole(self) -> bool:
        return self._tiers is not None

    def tiers(self) -> dict[str, int]:
        if self._tiers is None:
            found: dict[str, int] = {}
            for tier, listed in enumerate(self.lists, start=1):
                found.update(dict.fromkeys(listed.entries(), tier))  # a code is in one tier of a term
            self._tiers = found
        return self._tiers


class ResidentIndex:
    """A small code set's whole index (codes/index.py's resident item), kept in memory with the
    searchable summary of its content version. A query takes from it what the set's items would
    give: a prefix's vocabulary (index.prefix_listing), a term's postings, an exact-title term's
    codes; each made when asked, so that keeping the index costs the first search of a version
    little more than reading it."""

    def __init__(self, item: Item):
        self.tiers: dict[str, list[str]] = item.get("tiers", {})  # term → its three tiers' entries
        self.terms = sorted(self.tiers)
        self.exact: dict[str, str] = item.get("exact", {})

    def may_know(self, term: str) -> bool:
        """Whether any of the set's terms could stand for `term`: every choice (the term, its
        completions, its near spellings) starts with its first SHORT_PREFIX letters. Most words of
        a query are not in a small list; this answers them with one bisect."""
        start = term[:SHORT_PREFIX]
        at = bisect.bisect_left(self.terms, start)
        return at < len(self.terms) and self.terms[at].startswith(start)

    def choices(self, word: WordKey, forms: tuple[str, ...]) -> tuple[TermChoice, ...]:
        known = self._listing(word.term[:PREFIX_MAX])
        nearby = self._listing(word.term[:SHORT_PREFIX])
        listed = [term for form in forms for term in self._listing(form[:PREFIX_MAX])]
        found = _alternatives(word.term, known, nearby, word.half_typed, bool(forms))
        return _chosen(word.term, found, listed, forms)

    def postings(self, term: str) -> TermPostings:
        tiers = self.tiers[term]
        return TermPostings([PostingList([listed] if listed else []) for listed in tiers], _documents(tiers))

    def exact_codes(self, terms: list[str]) -> list[str]:
        return self.exact.get(exact_term(terms), "").split()

    def _listing(self, prefix: str) -> list[VocabTerm]:
        starting = []
        for term in islice(self.terms, bisect.bisect_left(self.terms, prefix), None):
            if not term.startswith(prefix):
                break
            starting.append(VocabTerm(term, _documents(self.tiers[term]), 1))
        return prefix_listing(prefix, starting)


def _documents(tiers: list[str]) -> int:
    """The codes listed in a term's tiers (each code in one tier)."""
    return sum(listed.count(" ") + 1 for listed in tiers if listed)


@dataclass
class _Alternative:
    term: str
    penalty: int
    chunks: int
    documents: int
    postings: TermPostings | None = None  # once read (_read_postings)


@dataclass
class _Word:
    """One word of the query in one code set: the terms it may stand for. A code's score for the
    word is the tier it is listed in plus the term's penalty; lower is better."""

    typed: str
    alternatives: list[_Alternative]
    view: ContentReader  # the content read, under which the word's dict is kept (POSTINGS)
    scope: CodeSet
    documents: int = field(init=False)
    _by_score: list[tuple[int, list[PostingList]]] | None = None
    _scores: dict[str, int] | None = None
    _checks: int = 0
    read_as: str = ""  # the near spelling a word no set knows was read as (_as_spelled)

    def __post_init__(self) -> None:
        self.documents = sum(a.documents for a in self.alternatives)

    @property
    def check_cost(self) -> int:
        """About how many entries read into a dict cost what one check of a code costs: a check
        looks in the lists of every term the word may stand for ("leg" typed last: leg, legal,
        legg, legionnaire)."""
        return ENTRIES_PER_CHECK * max(1, len(self.alternatives))

    def has_term_as_typed(self) -> bool:
        """Whether the word is itself a term of the code set (not only a completion or correction)."""
        return any(alternative.term == (self.read_as or self.typed) for alternative in self.alternatives)

    @property
    def _term_as_typed(self) -> TermPostings | None:
        """The word's one term when it is exactly what was typed: the word is that term, and the
        term (kept between queries) decides when to read itself whole."""
        only = self.alternatives[0] if len(self.alternatives) == 1 else None
        return only.postings if only is not None and only.penalty == EXACT else None

    def score_of(self, entry: str) -> int | None:
        """The word's score for a code, None when the code lacks the word. A word of several terms
        is checked term by term until the checks have cost about what reading it whole into a dict
        costs, then read into a dict (so it never costs more than twice the cheaper of the two)."""
        if self._scores is not None:
            return self._scores.get(entry)
        if (term := self._term_as_typed) is not None:
            return term.tier_of(entry)
        self._checks += 1
        if self._checks * self.check_cost >= self.documents:
            return self.entries().get(entry)
        best = None
        for alternative in self.alternatives:
            assert alternative.postings is not None  # read before any code is scored (_read_postings)
            tier = alternative.postings.tier_of(entry)
            if tier is not None and (best is None or tier + alternative.penalty < best):
                best = tier + alternative.penalty
        return best

    def read_whole(self) -> bool:
        """Whether the word's dict (entries) is at hand without reading its lists again."""
        if self._scores is not None:
            return True
        if (term := self._term_as_typed) is not None:
            return term.read_whole()
        return POSTINGS.get(self.view, self._kept_key()) is not None

    def scorer(self) -> Callable[[str], int | None]:
        """score_of, or, once the word's dict is at hand, the dict's own lookup (the same scores,
        without score_of's layers: a query may check a few thousand codes)."""
        return self.entries().get if self.read_whole() else self.score_of

    def _kept_key(self) -> tuple:
        return (*self.scope, tuple((a.term, a.penalty) for a in self.alternatives))

    def lists_by_score(self) -> list[tuple[int, list[PostingList]]]:
        """Posting lists by the score a code in them gets for this word, best score first (once the
        postings are read)."""
        if self._by_score is None:
            by_score: dict[int, list[PostingList]] = {}
            for alternative in self.alternatives:
                assert alternative.postings is not None  # read before any code is scored (_read_postings)
                for tier, listed in enumerate(alternative.postings.lists, start=1):
                    if listed:
                        by_score.setdefault(tier + alternative.penalty, []).append(listed)
            self._by_score = sorted(by_score.items())
        return self._by_score

    def entries(self) -> dict[str, int]:
        """Every code of the word with its best score, kept between queries: a word that is one
        term as typed is that term's dict; otherwise the terms' lists are put into one dict in C,
        worst score first so that a code listed under several terms ends with its best."""
        if self._scores is None:
            if (term := self._term_as_typed) is not None:
                self._scores = term.tiers()
                return self._scores
            key = self._kept_key()
            self._scores = POSTINGS.get(self.view, key)
            if self._scores is None:
                scores: dict[str, int] = {}
                for score, lists in reversed(self.lists_by_score()):
                    for listed in lists:
                        scores.update(dict.fromkeys(listed.entries(), score))
                POSTINGS.put(self.view, key, scores, CHARACTERS_PER_ENTRY * len(scores))
                self._scores = scores
        return self._scores

    def floor(self) -> tuple[int, dict[str, int]]:
        """(the best score a code can get for this word, but for a few; those few with their scores).

        A word's best tier often lists a handful of codes ("left" is in 4 category titles, in 15,959
        titles): bounding the walk by that best score would make it read every code of the other
        words; bounding it by the next score, and scoring the handful directly, lets it stop early."""
        better: dict[str, int] = {}
        for score, lists in self.lists_by_score():
            listed = [entry for posting in lists for entry in islice(posting, FEW_BETTER + 1)]
            if len(better) + len(listed) > FEW_BETTER:
                return score, better
            for entry in listed:
                better.setdefault(entry, score)
        return NO_MATCH, better  # every code of the word is one of the few


def query_terms(typed: str, synonyms: Synonyms, system: str | None = None) -> list[str]:
    return _terms(synonyms.apply(words(typed), system), synonyms.forms)


def _terms(said: list[str], forms: dict[str, tuple[str, ...]]) -> list[str]:
    """The search terms of the words said, each once: a form of a word already said is that word
    again ("Infection, infected, infective": infected is infection, a code saying it has one word)."""
    found: list[str] = []
    for term in dict.fromkeys(stem(w) for w in said if w not in STOPWORDS):
        if not any(form in found for form in forms.get(term, ())):
            found.append(term)
    return found[:MAX_QUERY_TERMS]


def _terms_by_system(
    typed: str, sets: list[CodeSet], synonyms: Synonyms
) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """The query's terms in each code system searched (the same list for every system but those
    whose own synonyms the query says), and each phrase a synonym replaced: (as typed, as the
    titles say it), so that the answer can teach it ("passed out" is "syncope")."""
    typed_words = words(typed)
    shared_reading = synonyms.read(typed_words)
    said = _as_said(shared_reading)
    shared = _terms(said, synonyms.forms)
    replaced = _replaced(shared_reading)
    found: dict[str, list[str]] = {}
    for system in dict.fromkeys(code_set.system for code_set in sets):
        if system not in synonyms.only:
            found[system] = shared
            continue
        reading = synonyms.read(typed_words, system)
        own = _as_said(reading)
        found[system] = shared if own == said else _terms(own, synonyms.forms)
        replaced += [pair for pair in _replaced(reading) if pair not in replaced]
    return found, replaced


def _as_said(reading: Reading) -> list[str]:
    return [word for _, meaning in reading for word in meaning]


def _replaced(reading: Reading) -> list[tuple[str, str]]:
    return [(" ".join(typed), " ".join(meaning)) for typed, meaning in reading if typed != meaning]


def _words_search(
    view: ContentReader,
    typed: str,
    sets: list[CodeSet],
    billable: bool | None,
    limit: int,
    offset: int,
    searchable: Searchable,
    respell: bool = True,
) -> SearchResult:
    terms_of, said_as = _terms_by_system(typed, sets, searchable.synonyms)
    # Every system's terms (what the answer says was searched), or the words alone when no set is asked.
    terms = list(dict.fromkeys(chain(*terms_of.values()))) if terms_of else query_terms(typed, searchable.synonyms)
    if not terms:
        return SearchResult(typed, [], False, [])
    completing = not typed.endswith(" ")  # the last word may be half typed

    # The ICD-10-CM index tables are asked with the words as typed (they are the index's own words),
    # then, when no route says them all, with the words the synonyms give ("overdose" → poisoning).
    said = list(dict.fromkeys(stem(w) for w in words(typed) if w not in STOPWORDS))[:INDEX_MAX_TERMS]
    asks_index = billable is None and CodeSystem.ICD10CM in terms_of
    index_terms = terms_of.get(CodeSystem.ICD10CM, [])
    forms = searchable.synonyms.forms
    said_forms = [form for term in said for form in forms.get(term, ())]  # "ovarian cancer": ovary's entries
    asked = list(dict.fromkeys([*said, *index_terms, *said_forms]))[:INDEX_MAX_TERMS]
    entry_keys = index_tables.entries_keys(asked) if asks_index else []
    resident = searchable.resident
    plan, entries, spelled_as = _plan(view, resident, forms, terms_of, sets, completing, entry_keys)
    respelled = (
        _synonym_spellings(typed, plan, _listed(entries), searchable.synonyms, completing, dict(spelled_as))
        if respell
        else []
    )
    if respelled:
        # A synonym's phrase with a typo in it ("ear infecion") is searched as the phrase, once.
        spelled = dict(respelled)
        again = " ".join(spelled.get(word, word) for word in words(typed)) + ("" if completing else " ")
        as_phrase = _words_search(view, again, sets, billable, limit, offset, searchable, respell=False)
        return replace(as_phrase, query=typed, said_as=[*respelled, *as_phrase.said_as])
    # A code titled exactly by the words as typed, when a synonym changed them, comes before the
    # synonym's: "heartburn" is R12 Heartburn, then K21 Gastro-esophageal reflux disease; "sleep
    # apnea" is G47.30 Sleep apnea NOS before G47.33 Obstructive sleep apnea.
    typed_exact_keys = (
        {code_set: term_pk(*code_set, exact_term(said)) for code_set in sets}
        if said_as and len(said) <= EXACT_MAX_TERMS
        else {}
    )
    said_as += [_spelled_as_typed(typed, term, near) for term, near in spelled_as]
    # A code titled exactly by the words has each of them as a term: a set missing one has none.
    exact_keys = {
        code_set: term_pk(*code_set, exact_term([word.read_as or word.typed for word in found_words]))
        for code_set, found_words in plan.items()
        if len(found_words) <= EXACT_MAX_TERMS and all(word.has_term_as_typed() for word in found_words)
    }
    exact, rows = _read_postings(
        view,
        resident,
        [word for found_words in plan.values() for word in found_words],
        [pk for code_set, pk in chain(exact_keys.items(), typed_exact_keys.items()) if code_set not in resident],
        index_tables.best_entries(
            [found for item_key in entry_keys if isinstance(found := entries.get(item_key), index_tables.TermEntries)],
            INDEX_ENTRIES_READ,
        ),
    )
    exact.update(
        (pk, resident[code_set].exact_codes(terms_of[code_set.system]))
        for code_set, pk in exact_keys.items()
        if code_set in resident
    )
    exact.update(
        (pk, resident[code_set].exact_codes(said)) for code_set, pk in typed_exact_keys.items() if code_set in resident
    )
    read_rows = [found for found in rows.values() if isinstance(found, index_tables.RowsItem)]
    found_routes = index_tables.routes(said, read_rows, INDEX_ROUTES, forms) or index_tables.routes(
        index_terms, read_rows, INDEX_ROUTES, forms
    )
    routes = {  # the closest route to each code
        code_key(route.code) or route.code: (fit, route) for fit, route in reversed(found_routes)
    }

    need = offset + limit + 1
    wanted = Wanted(billable, not CONTEXT_TERMS.isdisjoint(terms))
    # The code sets knowing every word first: when a code there has them all, or the index says
    # where they lead, the codes of the sets missing a word would be noise after them, unscored.
    knowing_all = [code_set for code_set, found_words in plan.items() if len(_usable(found_words)) == len(found_words)]
    full = {code_set: _full_matches(plan[code_set], wanted, need) for code_set in knowing_all}
    ranked: list[Ranked] = [
        Ranked(rank, origin, system, entry) for (origin, system), matches in full.items() for rank, entry in matches
    ]
    ranked += [
        Ranked((0, wanted.demoted(entry), score), origin, system, entry)
        for keys, score in ((exact_keys, EXACT_SCORE), (typed_exact_keys, EXACT_AS_TYPED_SCORE))
        for (origin, system), pk in keys.items()
        for entry in exact.get(pk, ())
        if wanted.accepts(entry)
    ]
    if not ranked and not any(fit.titles <= INDEX_CLOSE for fit, _ in routes.values()):
        # No code has every word: the codes having the most of them.
        missing_some = [code_set for code_set in plan if code_set not in full]
        full.update((code_set, _full_matches(plan[code_set], wanted, need)) for code_set in missing_some)
        ranked += [
            Ranked(rank, code_set.origin, code_set.system, entry)
            for code_set in missing_some
            for rank, entry in full[code_set]
        ]
        ranked += [
            Ranked(rank, origin, system, entry)
            for (origin, system), found_words in plan.items()
            if not full[CodeSet(origin, system)]
            for rank, entry in _partial_matches(found_words, wanted, need)
        ]
    ranked += [
        Ranked((0, False, EXACT_SCORE if fit.titles <= INDEX_CLOSE else NO_MATCH), "file", CodeSystem.ICD10CM, entry)
        for key_, (fit, _) in routes.items()
        if (entry := f"0{min(fit.titles, 9)}{min(fit.words, 9)}{key_}")
    ]
    ranked.sort(key=lambda r: (r.rank, r.entry, r.origin != "file"))  # the file's record first

    # Round trip 3: the records of the page (one per code; the file's record wins over curated).
    page: list[RecordRef] = []
    seen = set()
    for _, origin, system, entry in ranked:
        code = _code_key_of(entry)
        if (system, code) in seen:
            continue
        seen.add((system, code))
        page.append(RecordRef(origin, system, code))
        if len(page) > offset + limit:
            break
    shown = page[offset : offset + limit]
    hits = []
    for (_, system, code), record in zip(shown, _records(view, shown), strict=True):
        if record is not None:
            code_as_written, title, is_billable = record
            route = routes.get(code) if system == CodeSystem.ICD10CM else None
            path = (*route[1].path, code_as_written) if route is not None else ()
            hits.append(Hit(system, code_as_written, title, is_billable, path))
    not_used = _not_used(plan, ranked[0]) if ranked else terms
    return SearchResult(typed, hits, len(page) > offset + limit, terms, not_used, said_as)


ShownRecord = tuple[str, str, bool]
"""What a hit shows of a code's record: (code as written, title, billable)."""


def _records(view: ContentReader, shown: list[RecordRef]) -> list[ShownRecord | None]:
    """Round trip 3: what each code to show says, kept from an earlier query or read in one batch
    get (and kept), in the order asked; None for a record the table does not hold."""
    keys = [record_key(*ref) for ref in shown]
    kept: dict[ItemKey, ShownRecord] = POSTINGS.get_many(view, keys)
    missing = [item_key for item_key in keys if item_key not in kept]
    for item in view.batch_get(missing) if missing else []:
        item_key, record = (item["PK"], item["SK"]), (item["code"], item["title"], bool(item.get("billable")))
        kept[item_key] = record
        POSTINGS.put(view, item_key, record, CHARACTERS_PER_RECORD)
    return [kept.get(item_key) for item_key in keys]


def _not_used(plan: dict[CodeSet, list[_Word]], first: Ranked) -> list[str]:
    """The query's words the first code lacks (all of them found it when none)."""
    missing, _, _ = first.rank
    if not missing:
        return []
    return [
        word.typed
        for word in plan[CodeSet(first.origin, first.system)]
        if not word.alternatives or word.score_of(first.entry) is None
    ]


def _plan(
    view: ContentReader,
    resident: dict[CodeSet, ResidentIndex],
    forms: dict[str, tuple[str, ...]],
    terms_of: dict[str, list[str]],
    sets: list[CodeSet],
    completing: bool,
    also: list[ItemKey],
) -> tuple[dict[CodeSet, list[_Word]], dict[ItemKey, IndexItem], list[tuple[str, str]]]:
    """Each word in each code set knowing any of them, with the terms it may stand for (its forms'
    too): from a resident set's vocabulary in memory, kept from an earlier query (a word's choice
    depends only on the content version), or chosen from the vocabulary read in round trip 1, one
    batch get for every word not kept; the items `also` asks for (kept too), read in the same
    batch; and each word no set knows that was read as a near spelling, with the best one ("pnemonia",
    "pneumonia"), for the answer to say."""
    words_of = {code_set: _word_keys(code_set, terms_of[code_set.system], completing) for code_set in sets}
    wanted = [word for its_words in words_of.values() for word in its_words]
    # A resident list answers most words "none" with one bisect, before any kept choice is asked.
    chosen: dict[WordKey, tuple[TermChoice, ...] | None] = {
        word: ()
        for code_set, its_words in words_of.items()
        if (index := resident.get(code_set)) is not None
        for word in its_words
        if not index.may_know(word.term) and not any(map(index.may_know, forms.get(word.term, ())))
    }
    kept_choices = VOCABULARY.get_many(view, [word for word in wanted if word not in chosen])
    chosen.update((word, kept_choices.get(word)) for word in wanted if word not in chosen)
    for word, kept in chosen.items():
        if kept is None and (index := resident.get(CodeSet(word.origin, word.system))) is not None:
            choice = chosen[word] = index.choices(word, forms.get(word.term, ()))
            VOCABULARY.put(view, word, choice, 1 + len(choice))
    missing = [word for word, kept in chosen.items() if kept is None]
    items, items_missing = _kept_items(view, also)
    if missing or items_missing:
        # A shorter prefix too, so that a typo within the first six letters ("asthama") finds its word.
        keys = list(
            dict.fromkeys(
                [
                    *(vocab_key(o, s, t[:PREFIX_MAX]) for o, s, t, _ in missing),
                    *(vocab_key(o, s, t[:SHORT_PREFIX]) for o, s, t, _ in missing),
                    *(vocab_key(o, s, form[:PREFIX_MAX]) for o, s, t, _ in missing for form in forms.get(t, ())),
                ]
            )
        )
        asked = items_missing[: MAX_BATCH_GET - len(keys)]  # the vocabulary first; an item cut off is not kept
        read = view.batch_get([*keys, *asked][:MAX_BATCH_GET])
        items.update(_keep_items(view, asked, read))
        vocab = {
            item["PK"]: [VocabTerm.decode(e) for e in item.get("terms", "").split()] for item in read if "terms" in item
        }
        for word in missing:
            known = vocab.get(vocab_key(word.origin, word.system, word.term[:PREFIX_MAX])[0], [])
            nearby = vocab.get(vocab_key(word.origin, word.system, word.term[:SHORT_PREFIX])[0], [])
            its_forms = forms.get(word.term, ())
            listed = [
                term
                for form in its_forms
                for term in vocab.get(vocab_key(word.origin, word.system, form[:PREFIX_MAX])[0], [])
            ]
            found = _alternatives(word.term, known, nearby, word.half_typed, bool(its_forms))
            choice = _chosen(word.term, found, listed, its_forms)
            chosen[word] = choice
            VOCABULARY.put(view, word, choice, 1 + len(choice))
    # A word whose first letters list only near spellings, none surely it (_chosen) and the nearest
    # two letters off, is looked up in the spelling items too, as a word no set knows is ("melenoma":
    # its first letters list melena, two letters off; melanoma, one letter off, starts "mela").
    doubtful = {
        word
        for word, its_choices in chosen.items()
        if its_choices and _near_only(word.term, its_choices) and letters_apart(word.term, its_choices[0].term) > 1
    }
    # A word that no code set searched knows is looked for as a typo of a term of the imported sets;
    # not a word an index table lists (a drug's name: "viosterol").
    known_terms = {word.term for word, its_choices in chosen.items() if its_choices and word not in doubtful}
    unknown = {word.term for word in wanted} - known_terms - _listed(items)
    spelled = _spelled(
        view,
        {
            code_set: [word.term for word in its_words if word.term in unknown]
            for code_set, its_words in words_of.items()
            if code_set not in resident
        },
    )
    plan: dict[CodeSet, list[_Word]] = {}
    spelled_as: dict[str, str] = {}  # each word read as another, as the first set correcting it reads it
    for code_set, its_words in words_of.items():
        found_words = [_found_word(word, chosen[word], spelled, view) for word in its_words]
        spelled_as.update(
            (word.typed, word.read_as) for word in found_words if word.read_as and word.typed not in spelled_as
        )
        if any(word.alternatives for word in found_words):  # a set knowing none of the words has no match
            plan[code_set] = found_words
    return plan, items, list(spelled_as.items())


def _found_word(
    word: WordKey,
    choices: tuple[TermChoice, ...] | None,
    spelled: dict[tuple[CodeSet, str], tuple[TermChoice, ...]],
    view: ContentReader,
) -> _Word:
    """A word of the query in one code set: the terms its first letters list (read as the first when
    that is a near spelling taken as the word: _chosen); a word known only as near spellings, read
    as the spelling items' nearest when that is one letter off and nearer; a word the set does not
    know, read as its nearest spelling, if any."""
    code_set = CodeSet(word.origin, word.system)
    near = spelled.get((code_set, word.term), ())
    if choices and not (near and _nearer(word.term, near[0].term, choices[0].term)):
        read_as = choices[0].term if choices[0].penalty == EXACT and choices[0].term != word.term else ""
        return _Word(word.term, [_Alternative(*choice) for choice in choices], view, code_set, read_as=read_as)
    return _as_spelled(word.term, near, view, code_set)


def _nearer(typed: str, spelled: str, listed: str) -> bool:
    """Whether the spelling items' nearest term is one letter from `typed` and nearer than the near
    spelling its first letters list."""
    return letters_apart(typed, spelled) == 1 < letters_apart(typed, listed)


def _listed(items: dict[ItemKey, IndexItem]) -> set[str]:
    """The words an index table lists, of the entries items read: words, never typos."""
    return {term for (_, term), found in items.items() if isinstance(found, index_tables.TermEntries) and found.listed}


def _synonym_spellings(
    typed: str,
    plan: dict[CodeSet, list[_Word]],
    listed: set[str],
    synonyms: Synonyms,
    completing: bool,
    spelled_as: dict[str, str],
) -> list[tuple[str, str]]:
    """The words typed that no code set has as a term (known, if at all, as a near spelling or the
    start of a longer word), read as a word of the synonyms when that makes them a phrase the
    synonyms replace: (word typed, the synonyms' word). The word may be one letter away ("ear
    infecion" is an ear infection, otitis media, not the ear canal's "inflammation and infection";
    "shingels" is shingles, which no title says: zoster; "hart burn", "high blod pressure"), the
    titles' word it was read as (`spelled_as`: "bladder infecshun" is a bladder infection) or,
    typed last, the start of one word only ("heart atta" is typed on to heart attack)."""
    known = {
        word.typed
        for found_words in plan.values()
        for word in found_words
        if any(alternative.term == word.typed for alternative in word.alternatives)
    }
    typed_words = words(typed)
    last = len(typed_words) - 1
    found = []
    for at, word in enumerate(typed_words):
        if len(word) < SYNONYM_SPELLING_MIN_LENGTH or not word.isalpha() or word in CONTRACTED or word in STOPWORDS:
            continue
        if (
            stem(word) in known
            or stem(word) in listed
            or word in synonyms.phrase_words
            or stem(word) in synonyms.phrase_words
        ):
            continue
        if synonyms.replaces(typed_words, at):  # "shin splints": a phrase already
            continue
        read_as = spelled_as.get(stem(word))
        making_phrases = [
            near
            for near in (*synonyms.near(word), *([read_as] if read_as else []))
            if synonyms.replaces([*typed_words[:at], near, *typed_words[at + 1 :]], at)
        ]
        if completing and at == last:
            completed = [
                whole
                for whole in synonyms.completions(word)
                if synonyms.replaces([*typed_words[:at], whole, *typed_words[at + 1 :]], at)
            ]
            making_phrases = completed if len(completed) == 1 else making_phrases
        if making_phrases:
            typed_words[at] = making_phrases[0]
            found.append((word, making_phrases[0]))
    return found


def _as_spelled(typed: str, choices: tuple[TermChoice, ...], view: ContentReader, code_set: CodeSet) -> _Word:
    """A word no set knows, read as the best of its near spellings typed right: what the titles say
    exactly in that spelling ranks as it would for the word itself ("pnemonia" → J18.9 Pneumonia,
    unspecified organism, whose title is the word), the other spellings after it. The answer still
    names the word as typed among those its first code lacks."""
    if not choices:
        return _Word(typed, [], view, code_set)
    best, *others = choices
    alternatives = [_Alternative(*best._replace(penalty=EXACT)), *(_Alternative(*other) for other in others)]
    return _Word(typed, alternatives, view, code_set, read_as=best.term)


def _spelled(
    view: ContentReader, unknown: dict[CodeSet, list[str]]
) -> dict[tuple[CodeSet, str], tuple[TermChoice, ...]]:
    """The near spellings in each code set of its words that no set knows (`unknown`), from
    codes/index.py's spelling items: its terms one letter shorter, as long or one letter longer
    that the word meets when one letter of each is left out ("pnemonia" → pneumonia, "athsma" →
    asthma, "hipertension" → hypertension), or that its first sound written in two letters meets
    ("neumonia" → pneumonia); then, from its sound items, the terms of its first letter that sound
    as it does, a few letters away ("diarea" → diarrhea, "anurism" → aneurysm). The items needed
    are read in one batch get the first time, then kept."""
    spellings = {
        (code_set, term): _spellings(term)
        for code_set, terms in unknown.items()
        for term in terms
        if len(term) >= SPELLING_MIN_LENGTH and term.isalpha() and term not in CONTRACTED
    }
    wanted: dict[ItemKey, Callable[[Item | None], SpellingBucket | SoundBucket]] = {}
    for (code_set, term), written in spellings.items():
        for _, lengths in written:
            wanted.update((spelling_key(*code_set, n), functools.partial(SpellingBucket, length=n)) for n in lengths)
        wanted[sound_key(*code_set, term[0])] = SoundBucket
    if not wanted:
        return {}
    buckets: dict[ItemKey, SpellingBucket | SoundBucket] = SPELLING.get_many(view, list(wanted))
    missing = [item_key for item_key in wanted if item_key not in buckets]
    if missing:
        read = {(item["PK"], item["SK"]): item for item in view.batch_get(missing)}
        for item_key in missing:
            buckets[item_key] = wanted[item_key](read.get(item_key))
            SPELLING.put(view, item_key, buckets[item_key], 1)
    found = {}
    for (code_set, term), written in spellings.items():
        near: dict[str, tuple[bool, VocabTerm]] = {}  # term → (one edit from what was typed, the term)
        for spelling, lengths in written:
            for length in lengths:
                for v in buckets[spelling_key(*code_set, length)].near(spelling):
                    if _likely_typo(spelling, v.term):
                        close = _close(spelling, v.term)
                        if close or v.term not in near:
                            near[v.term] = (close, v)
        # By sound only as typed: "sirosis" sounds as psoriasis written "psirosis", but means cirrhosis.
        for v in buckets[sound_key(*code_set, term[0])].near(term):
            near.setdefault(v.term, (_close(term, v.term), v))
        best = sorted(near.values(), key=lambda pair: (not pair[0], -pair[1].documents, pair[1].term))
        choices = tuple(TermChoice(v.term, CORRECTION, v.chunks, v.documents) for _, v in best[:SPELLINGS_PER_WORD])
        if choices:
            found[code_set, term] = choices
    return found


def _spellings(term: str) -> list[tuple[str, range]]:
    """How a word no set knows may have been meant to be written, with the lengths of the terms to
    look in: as typed, and with its first sound in the two letters the titles write it
    (_written_starts: "neumonia" → pneumonia; "numonia", a letter short of it too)."""
    return [
        (term, _lengths_near(len(term))),
        *((written, _lengths_near(len(written))) for written in _written_starts(term)),
    ]


def _likely_typo(typed: str, term: str) -> bool:
    """A short word's last letter is right too (its first is: SpellingBucket), or swapped with the
    one before: "athsma" is asthma and "ankel" ankle, but "pencil" is not penile."""
    return (
        len(typed) >= SPELLING_KEEPS_ENDS_BELOW
        or typed[-1] == term[-1]
        or (typed[:-2] == term[:-2] and typed[-2:] == term[:-3:-1])
    )


def _written_starts(typed: str) -> list[str]:
    """`typed` as it would be written if its first sound is one spelled with two letters, one of
    them silent or sounding as the first ("neumonia" → pneumonia, "soriasis" → psoriasis, "nuckle"
    → knuckle, "flebitis" → phlebitis)."""
    return [start + typed[1:] for start in SOUNDED_STARTS.get(typed[0], ())]


def _spelled_as_typed(typed: str, term: str, near: str) -> tuple[str, str]:
    """A near spelling as the answer says it: the word typed, and the term it was read as with the
    word's plural ending ("daibetes" → diabetes, not the terms "daibete" → "diabete")."""
    word = next((w for w in words(typed) if stem(w) == term), term)
    if word == term:
        return word, near
    if word.endswith("ies") and term.endswith("y") and near.endswith("y"):
        return word, near[:-1] + "ies"
    return word, near + word[len(term) :] if word.startswith(term) else near


def _lengths_near(length: int) -> range:
    return range(max(SPELLING_MIN_LENGTH, length - 1), length + 2)


class SpellingBucket:
    """A code set's terms of one length (a spelling item: "term:documents:chunks", in text order),
    to find the terms a typo meant (_spelled). People get a word's first letter right, so only the
    terms of that letter are looked at: found by bisection, and what each says with one letter left
    out worked out once per letter, a few hundred keys."""

    def __init__(self, item: Item | None, length: int):
        self.entries = (item or {}).get("terms", "").split()
        self.length = length
        self._deletions_by_letter: dict[str, dict[str, list[str]]] = {}

    def near(self, typed: str) -> list[VocabTerm]:
        """This bucket's terms that `typed` meets with one letter but the first left out of either
        or both. `typed` is no term of the code set (_spelled asks only for those), so it is not
        among them."""
        deletions = _letter_left_out(typed)
        if self.length == len(typed) - 1:  # a letter too many: the term is the word less one letter
            found = [entry for deletion in deletions if (entry := self._entry(deletion)) is not None]
        elif self.length == len(typed) + 1:  # a letter missing: the word is the term less one letter
            found = self._deletions(typed[0]).get(typed, [])
        else:
            by_deletion = self._deletions(typed[0])
            found = [entry for deletion in deletions for entry in by_deletion.get(deletion, ())]
        return [VocabTerm.decode(entry) for entry in dict.fromkeys(found)]

    def _entry(self, term: str) -> str | None:
        at = bisect.bisect_left(self.entries, term + ":")
        return self.entries[at] if at < len(self.entries) and self.entries[at].startswith(term + ":") else None

    def _deletions(self, letter: str) -> dict[str, list[str]]:
        found = self._deletions_by_letter.get(letter)
        if found is None:
            found = {}
            start = bisect.bisect_left(self.entries, letter)
            for entry in self.entries[start : bisect.bisect_left(self.entries, chr(ord(letter) + 1), start)]:
                for deletion in _letter_left_out(entry.partition(":")[0]):
                    found.setdefault(deletion, []).append(entry)
            self._deletions_by_letter[letter] = found
        return found


class SoundBucket:
    """A code set's terms of one first letter by how they sound (a sound item: codes/index.py), to
    find the terms a typo meant that are more than a letter from it but sound the same: "diarea"
    is diarrhea, "hemroid" hemorrhoid, "colestrol" cholesterol."""

    def __init__(self, item: Item | None):
        self.by_sound: dict[str, str] = (item or {}).get("sounds", {})

    def near(self, typed: str) -> list[VocabTerm]:
        """The terms sounding as `typed` does, a few letters from it: three at most, two in a word of
        under seven letters ("nuckle" is not nickel)."""
        most = min(SOUND_EDITS, (len(typed) - 1) // 2)
        listed = self.by_sound.get(sound(typed), "").split()
        return [v for v in map(VocabTerm.decode, listed) if v.term != typed and letters_apart(typed, v.term) <= most]


def _letter_left_out(word: str) -> set[str]:
    """Each spelling of `word` with one letter but the first left out: two words one letter apart
    (one added, dropped or changed, or two swapped) meet in one of these, or one is the other's."""
    return {word[:at] + word[at + 1 :] for at in range(1, len(word))}


def _word_keys(code_set: CodeSet, terms: list[str], completing: bool) -> list[WordKey]:
    last = len(terms) - 1
    return [WordKey(*code_set, term, completing and at == last) for at, term in enumerate(terms)]


ItemKey = tuple[str, str]
IndexItem = index_tables.TermEntries | index_tables.RowsItem
"""An index item as kept: the entries of a term, or the rows of an entry (index_tables.parse_item)."""


def _kept_items(view: ContentReader, keys: list[ItemKey]) -> tuple[dict[ItemKey, IndexItem], list[ItemKey]]:
    """(the index items of `keys` kept parsed from an earlier query, the keys still to read)."""
    kept: dict[ItemKey, IndexItem] = POSTINGS.get_many(view, keys)
    return kept, [item_key for item_key in keys if item_key not in kept]


def _keep_items(view: ContentReader, asked: list[ItemKey], read: list[Item]) -> dict[ItemKey, IndexItem]:
    """The index items asked, parsed (index_tables.parse_item) and kept."""
    by_key = {(item["PK"], item["SK"]): item for item in read}
    kept: dict[ItemKey, IndexItem] = {}
    for item_key in asked:
        found = index_tables.parse_item(item_key, by_key.get(item_key))
        kept[item_key] = found
        rows = len(found.rows) if isinstance(found, index_tables.RowsItem) else len(found.listed)
        POSTINGS.put(view, item_key, found, 1 + CHARACTERS_PER_INDEX_ROW * rows)
    return kept


def _read_postings(
    view: ContentReader,
    resident: dict[CodeSet, ResidentIndex],
    words: list[_Word],
    exact_pks: list[str],
    also: list[ItemKey],
) -> tuple[dict[str, list[str]], dict[ItemKey, IndexItem]]:
    """Round trip 2: the postings of every chosen term not in memory (a resident set's, or kept
    from an earlier query), cut to one batch (a term cut off reads as absent and is not kept), the
    codes said exactly by the query's words in each code set (exact_pks, one item each; returned by
    key) and the items `also` asks for (kept too)."""
    chosen = []
    for word in words:
        index = resident.get(word.scope)
        for alt in word.alternatives:
            if index is not None:
                alt.postings = index.postings(alt.term)
            else:
                chosen.append((term_pk(*word.scope, alt.term), alt))
    kept = POSTINGS.get_many(view, [*exact_pks, *(pk for pk, _ in chosen)])
    exact: dict[str, list[str]] = {pk: kept[pk] for pk in exact_pks if pk in kept}
    extra, extra_missing = _kept_items(view, also)
    keys: list[tuple[str, str]] = [*extra_missing, *((pk, chunk_sk(0)) for pk in exact_pks if pk not in kept)]
    for pk, alt in chosen:
        if pk in kept:
            alt.postings = kept[pk]
        else:
            keys.extend((pk, chunk_sk(n)) for n in range(alt.chunks))
    keys = list(dict.fromkeys(keys))
    asked = set(keys[:MAX_BATCH_GET])
    chunks: dict[str, list[Item]] = {}
    read = view.batch_get(keys[:MAX_BATCH_GET]) if keys else []
    extra.update(_keep_items(view, [k for k in extra_missing if k in asked], read))
    for item in read:
        chunks.setdefault(item["PK"], []).append(item)
    for pk in exact_pks:
        if pk not in exact and (pk, chunk_sk(0)) in asked:
            found = [entry for item in chunks.pop(pk, []) for block in item.get("t1", []) for entry in block.split()]
            exact[pk] = found
            POSTINGS.put(view, pk, found, 1 + len(found))
    read_terms: dict[str, TermPostings] = {}
    for pk, alt in chosen:
        if alt.postings is not None:
            continue
        if pk not in read_terms:
            items = sorted(chunks.get(pk, []), key=lambda i: i["SK"])
            lists = [PostingList([block for item in items for block in item.get(name, [])]) for name in TIERS]
            read_terms[pk] = TermPostings(lists, alt.documents)
            if all((pk, chunk_sk(n)) in asked for n in range(alt.chunks)):
                POSTINGS.put(view, pk, read_terms[pk], sum(len(block) for listed in lists for block in listed.blocks))
        alt.postings = read_terms[pk]
    return exact, extra


def _alternatives(
    term: str, known: list[VocabTerm], nearby: list[VocabTerm], completing: bool, has_forms: bool
) -> list[TermChoice]:
    """The terms a typed word may stand for: itself, its completions, or near spellings; for a word
    rare or unknown in the titles, and of no family in the synonyms' forms, the terms of its root."""
    exact = [v for v in known if v.term == term]
    found = [TermChoice(v.term, EXACT, v.chunks, v.documents) for v in exact]
    # A last word of one letter that is a word itself ("hep c", "vitamin b") means that word: its
    # completions would be the six commonest words of the letter ("chronic", "closed"), noise.
    if (completing and not (exact and len(term) == 1)) or not exact:
        completions = [v for v in known if v.term != term and v.term.startswith(term)][:COMPLETIONS_PER_WORD]
        found += [TermChoice(v.term, COMPLETION, v.chunks, v.documents) for v in completions]
    rare = not found or (len(found) == 1 and found[0].documents < RARE_WORD)
    if len(term) < 5 or not rare:
        return found
    listed = {v.term: v for v in [*known, *nearby]}.values()
    if not found:
        # The fewest letters away first ("migrane": migraine before migrainous), then the commonest.
        near = sorted(
            (v for v in listed if _close(term, v.term)), key=lambda v: (letters_apart(term, v.term), -v.documents)
        )
        found += [TermChoice(v.term, CORRECTION, v.chunks, v.documents) for v in near[:COMPLETIONS_PER_WORD]]
    if len(found) <= 1 and not has_forms:
        # A word no title says, or only a few ("burned": 2 codes), is looked for by its root too.
        have = {choice.term for choice in found}
        kin = sorted((v for v in _relatives(term, listed) if v.term not in have), key=lambda v: -v.documents)
        found += [TermChoice(v.term, CORRECTION, v.chunks, v.documents) for v in kin[:COMPLETIONS_PER_WORD]]
    return found


def _relatives(term: str, listed: Iterable[VocabTerm]) -> Iterator[VocabTerm]:
    """The terms of `listed` made from the root of a word that matches nothing or few codes, as a
    title would say it: "dizzy" → dizziness, "itchy" → itching, "burned" → burn, "swallowed" →
    swallowing."""
    roots = [term[: -len(ending)] for ending in DERIVED_ENDINGS if term.endswith(ending)]
    roots = [root for root in roots if len(root) >= SHORT_PREFIX]
    return (v for v in listed if v.term.startswith(tuple(roots))) if roots else iter(())


def _chosen(
    term: str, found: list[TermChoice], listed: list[VocabTerm], forms: tuple[str, ...]
) -> tuple[TermChoice, ...]:
    """A word's choices as kept for the content version: the terms found for it and its forms; a
    word whose first letters list only near spellings, the nearest surely a typo of it
    (_misspelling_of: "migrane", "diabeties"), takes that one as the word itself, first at EXACT,
    as a word no set knows is read (_as_spelled), and the answer says it was read so."""
    choices = tuple(_with_forms(found, listed, forms))
    if _near_only(term, choices) and _misspelling_of(term, choices[0].term):
        return (choices[0]._replace(penalty=EXACT), *choices[1:])
    return choices


def _near_only(term: str, choices: tuple[TermChoice, ...]) -> bool:
    """Whether a word's choices are only near spellings of it (no term, completion, form or root)."""
    return bool(choices) and all(choice.penalty == CORRECTION and _close(term, choice.term) for choice in choices)


def _with_forms(found: list[TermChoice], listed: list[VocabTerm], forms: tuple[str, ...]) -> list[TermChoice]:
    """The terms `found` for a word, then its other forms that the vocabulary `listed` holds."""
    have = {choice.term for choice in found}
    for term in listed:
        if term.term in forms and term.term not in have:
            have.add(term.term)
            found.append(TermChoice(term.term, FORM, term.chunks, term.documents))
    return found


def _close(typed: str, term: str) -> bool:
    """Edit distance ≤ 1 for short words, ≤ 2 for long ones (diabetis → diabete)."""
    allowed = 1 if len(typed) < 8 else 2
    return abs(len(typed) - len(term)) <= allowed and letters_apart(typed, term) <= allowed


def _misspelling_of(typed: str, term: str) -> bool:
    """Whether a word the titles do not say is surely `term` mistyped: one letter off ("migrane",
    "gastritus") or, in a long word, two that keep its ending ("bronkitis"); and not only at its
    end, where a word differing from a term is most often another word made from it ("greasy",
    "scratchy", "supervising", "directive")."""
    shorter = min(len(typed), len(term))
    first_difference = next((at for at, (a, b) in enumerate(zip(typed, term, strict=False)) if a != b), shorter)
    if first_difference >= shorter - 1:
        return False
    edits = letters_apart(typed, term)
    return edits == 1 or (edits == 2 and len(typed) >= LONG_MISSPELLING and typed[-2:] == term[-2:])


def _usable(found_words: list[_Word]) -> list[_Word]:
    """The words known in this code set."""
    return [w for w in found_words if w.alternatives]


def _full_matches(found_words: list[_Word], wanted: Wanted, need: int) -> list[Match]:
    """The best `need` codes of one code set having every word known in it."""
    present = _usable(found_words)
    if not present:
        return []
    missing = len(found_words) - len(present)
    return [
        ((missing, demoted, score + UNKNOWN_WORD * missing), entry)
        for demoted, score, entry in _best_full_matches(present, wanted, need)
    ]


def _partial_matches(found_words: list[_Word], wanted: Wanted, need: int) -> list[Match]:
    """For a code set where no code has every word: the best `need` having as many as possible.

    Codes are ranked by how many of the words they have, then by score. A code having k of n words
    has one of any n - k + 1 of them, so the codes of the n - k + 1 rarest words hold every code
    having k: from k = n - 1 down to 2, those codes are counted until some code has k words ("sharp
    stomach pain": the codes of "sharp" and "pain" hold every code having two of the three), while
    they stay under PARTIAL_MATCH_POOL. Otherwise the rarer words' codes: the rarest word's, and a
    more common word's while they stay under PARTIAL_MATCH_CANDIDATES, so that "dog bite" ranks the
    codes about dogs instead of every bite. Among codes having as many words, those lacking only
    common ones come first (_missing_cost). "with", "without" and "after" join the words and are not
    counted: "pregnant with twins" means the codes of twin pregnancy, not those of a pregnancy "with"
    something; "nosebleed after fall" means a nosebleed (R04.0), not a drowning "after fall". Not
    "while": the external causes tell codes apart by it ("while boarding or alighting")."""
    found_words = [word for word in found_words if word.typed not in CONNECTIVES] or found_words
    present = _usable(found_words)
    if not present:
        return []
    by_rarity = sorted(present, key=lambda w: w.documents)
    for pooled_words in range(2, len(present)):
        if sum(word.documents for word in by_rarity[:pooled_words]) > PARTIAL_MATCH_POOL:
            break
        found = _having_most(found_words, by_rarity[:pooled_words], wanted, need)
        having = len(present) - pooled_words + 1
        if found and found[0][0][0] <= len(found_words) - having:  # the best has that many words
            return found
    rarer = by_rarity[:1]
    for word in by_rarity[1:]:
        if sum(w.documents for w in rarer) + word.documents > PARTIAL_MATCH_CANDIDATES:
            break
        rarer.append(word)
    return _having_most(found_words, rarer, wanted, need)


def _having_most(found_words: list[_Word], pooled_words: list[_Word], wanted: Wanted, need: int) -> list[Match]:
    """The best `need` of the codes of `pooled_words`, by how many of the words they have, then by
    score: the tiers of the words a code has, and the cost of those it lacks (_missing_cost). The
    words each code has are counted first (in C for a word whose dict is at hand); only the codes
    having as many as the need-th most are scored."""
    pooled: set[str] = set().union(*(word.entries().keys() for word in pooled_words))
    candidates = pooled if wanted.billable is None else {entry for entry in pooled if wanted.accepts(entry)}
    having: Counter[str] = Counter()
    # Each known word's scores, less what lacking it would cost: a code is charged for lacking every
    # known word (`base`), and given that back for each word it has.
    score_maps: list[tuple[dict[str, int], int]] = []
    for word in _usable(found_words):
        if word.read_whole() or len(candidates) * word.check_cost >= word.documents:
            # Checking every candidate would cost more than reading the word whole (_intersection).
            scores = word.entries()
            having.update(candidates & scores.keys())
        else:
            score_of = word.score_of
            scores = {entry: score for entry in candidates if (score := score_of(entry)) is not None}
            having.update(scores.keys())
        score_maps.append((scores, _missing_cost(word)))
    if not having:
        return []
    enough = heapq.nlargest(need, having.values())[-1]
    words = len(found_words)
    base = UNKNOWN_WORD * (words - len(score_maps)) + sum(cost for _, cost in score_maps)
    scored = [
        (
            (
                words - count,
                wanted.demoted(entry),
                base + sum([scores[entry] - cost for scores, cost in score_maps if entry in scores]),
            ),
            entry,
        )
        for entry, count in having.items()
        if count >= enough
    ]
    return heapq.nsmallest(need, scored)


def _missing_cost(word: _Word) -> int:
    """What a partial match lacking `word` pays: MISSING_WORD_MOST for a word one code says, a tier
    less per tenfold more codes. Rounded, so that words about as rare cost the same and the tiers of
    the words a code has decide between them."""
    return max(0, MISSING_WORD_MOST - MISSING_WORD_PER_TENFOLD * round(math.log10(max(1, word.documents))))


def _best_full_matches(present: list[_Word], wanted: Wanted, need: int) -> list[Scored]:
    """The `need` best codes having every word, best first.

    The rarest word leads: its codes are read score by score and, within a score, in rank order
    (the lists are sorted that way), and each is checked against the other words, rarest first.
    Every code still to come scores at least the lead score plus the other words' floors (the few
    codes scoring better than a floor are scored first), so the walk stops as soon as the kept codes
    beat that bound — a common word such as "unspecified" or "fracture" lists tens of thousands of
    codes, of which only the first few are ever read. A walk that does not stop soon (the words
    rarely meet) gives way to intersecting whole sets, which runs in C: it walks only while its
    cost (about ENTRIES_PER_CHECK per code walked) stays under what reading the words not yet
    read whole would cost, so it never costs much more than the cheaper of the two ways. When the
    rarest word has few codes (FEW_CODES), they are intersected straight away."""
    lead, *others = sorted(present, key=lambda w: w.documents)
    if lead.documents * len(present) <= FEW_CODES:
        return _intersection(lead, others, wanted, need)
    if all(word.read_whole() for word in present):
        # Every word's codes are at hand in dicts (a warm instance): the codes having them all are
        # found in C, and when they are few, scoring them costs less than the walk's checks.
        score_maps = sorted((word.entries() for word in present), key=len)
        common = _common(score_maps)
        if len(common) * len(present) <= FEW_CODES:
            return _scored(common, score_maps, wanted, need)
    walk_budget = max(MIN_WALK, sum(w.documents for w in present if not w.read_whole()) // ENTRIES_PER_CHECK)
    floors = [word.floor() for word in others]
    top: list[Scored] = []

    scorers = [word.scorer() for word in others]
    accepts, demoted = wanted.accepts, wanted.demoted

    def keep(entry: str, lead_score: int) -> None:
        if not accepts(entry):
            return
        total = lead_score
        for score_of in scorers:
            score = score_of(entry)
            if score is None:
                return
            total += score
        bisect.insort(top, (demoted(entry), total, entry))
        del top[need:]

    scored_first = {entry for _, better in floors for entry in better}
    for entry in scored_first:
        if (lead_score := lead.score_of(entry)) is not None:
            keep(entry, lead_score)
    rest_floor = sum(floor for floor, _ in floors)
    if rest_floor >= NO_MATCH:
        return top  # some word has no codes beyond its few: they were all scored
    walked = 0
    for demoting in (False,) if wanted.context_said else (False, True):
        for lead_score, lists in lead.lists_by_score():
            bound = lead_score + rest_floor
            if len(top) >= need and top[-1] < (demoting, bound, ""):
                break  # nothing in this score, or any later one, can rank higher
            for entry in heapq.merge(*lists):
                if demoted(entry) != demoting or entry in scored_first:
                    continue
                if len(top) >= need and top[-1] < (demoting, bound, entry):
                    break
                walked += 1
                if walked > walk_budget:
                    return _intersection(lead, others, wanted, need)
                scored_first.add(entry)  # a code under two of the lead's terms is scored once
                keep(entry, lead_score)
    return top


def _intersection(lead: _Word, others: list[_Word], wanted: Wanted, need: int) -> list[Scored]:
    """Every code having all the words, scored; the best `need`. Each word either filters the
    remaining codes one check at a time (keeping the scores it found) or, when they are many, is
    read whole and intersected; a code's score is then the sum of one dict lookup per word."""
    lead_scores = lead.entries()
    common: set[str] | KeysView[str] = lead_scores.keys()
    score_maps = [lead_scores]
    for word in others:
        if len(common) * word.check_cost < word.documents:
            score_of = word.scorer()
            found = {entry: score for entry in common if (score := score_of(entry)) is not None}
            common = found.keys()
            score_maps.append(found)
        else:
            scores = word.entries()
            common = common & scores.keys()
            score_maps.append(scores)
        if not common:
            return []
    return _scored(common, score_maps, wanted, need)


def _common(score_maps: list[dict[str, int]]) -> set[str] | KeysView[str]:
    """The codes in every map (smallest first), intersected in C."""
    common: set[str] | KeysView[str] = score_maps[0].keys()
    for scores in score_maps[1:]:
        if not common:
            break
        common = common & scores.keys()
    return common


def _scored(
    common: set[str] | KeysView[str], score_maps: list[dict[str, int]], wanted: Wanted, need: int
) -> list[Scored]:
    """The best `need` of `common`, each scored by one dict lookup per word."""
    scored = [
        (wanted.demoted(entry), sum([scores[entry] for scores in score_maps]), entry)
        for entry in common
        if wanted.accepts(entry)
    ]
    return heapq.nsmallest(need, scored)


def _code_key_of(entry: str) -> str:
    """The code key after the class digit and the two digits of title length (index.posting_entry)."""
    return entry[3:]


def _billable(entry: str) -> bool:
    """Classes 0 and 1 are billable codes (index._rank_class)."""
    return entry[0] in "01"


def _special(entry: str) -> bool:
    """A code for a special context only (pregnancy, newborn, sequela; see index._rank_class): after the
    general codes whatever its words, unless the query names the context (Wanted.demoted)."""
    return entry[0] in "14"
