"""Code search on the table: a code or code prefix, keywords, half-typed words, abbreviations.

Round trips per query, counted at the table port:
- a code or code prefix (`E11.9`, `e119`, `E11.6`, `J12`): one query on GSI1 by first character;
- words: (1) one batch get of the vocabulary items of every query word, (2) one batch get of the
  posting items of the chosen terms, (3) one batch get of the records to show. The synonym list
  and which code sets hold codes are read once per content version (one more batch get, on the
  first search of a version) and kept in memory: they are small and change only on publish.

Ranking, best first: the exact code, then codes under the typed prefix, then codes matching every
word — the words in the code's title and its category's title before title-only before inclusion
terms; exact words before completions before spelling corrections; billable codes before headers;
shorter titles first ("unspecified" counting as the default of its group); codes for a special
context (pregnancy, perinatal) after the general ones. Codes matching only some words come only
when no code has them all. The rarest word leads and the walk stops as soon as no later code can
rank higher, so a common word's long posting list is mostly never read past its first blocks.
"""

from __future__ import annotations

import bisect
import heapq
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from codedesk.codes.index import PREFIX_MAX, TIERS, VocabTerm, chunk_sk, term_pk, vocab_key
from codedesk.codes.items import CODE_SETS, SUMMARY_SK, SYNONYMS_KEY, Origin, code_index_pk, record_key, set_pk
from codedesk.codes.models import CodeSystem
from codedesk.codes.notation import code_key
from codedesk.codes.text import STOPWORDS, stem, words
from codedesk.store.keys import SEPARATOR
from codedesk.store.port import MAX_BATCH_GET, Item, KeyCondition, Page, sk_begins_with

MAX_QUERY_TERMS = 8
SHORT_PREFIX = 4
COMPLETIONS_PER_WORD = 6
CODE_PREFIX_READ = 60  # rows read for a code prefix: enough for a page after filters
SMALL_WORD = 5_000  # codes of a word below which a much-checked word becomes a dict (search._Word)
CHECKS_BEFORE_DICT = 64
WALK_BUDGET = 500  # codes of the rarest word checked one by one before intersecting whole sets
PARTIAL_MATCH_CANDIDATES = 2_000  # codes scored when no code has every word: the rarer words' codes
_HAS_DIGIT = re.compile(r"\d")
# Penalties added to a term's tier: how sure we are that the term is the word the user meant.
EXACT, COMPLETION, CORRECTION = 0, 1, 2


class ContentReader(Protocol):
    """The reads search makes: those of codedesk.content.view.ContentView."""

    version: int

    def get(self, pk: str, sk: str) -> Item | None: ...

    def batch_get(self, keys: Sequence[tuple[str, str]]) -> list[Item]: ...

    def query(self, pk: str, *, sk: KeyCondition | None = None, index: str | None = None,
              limit: int | None = None) -> Page: ...


@dataclass(frozen=True)
class Hit:
    system: CodeSystem
    code: str
    title: str
    billable: bool


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    has_more: bool
    interpreted_as: list[str] = field(default_factory=list)  # the words searched after synonyms


# ----------------------------------------------------------------------------- synonyms


@dataclass(frozen=True)
class Synonyms:
    """Phrases people type → the words the code titles use, longest phrase first."""

    phrases: dict[tuple[str, ...], tuple[str, ...]]

    @classmethod
    def from_item(cls, item: Item | None) -> Synonyms:
        phrases = {}
        for entry in (item or {}).get("entries", []):
            meaning = tuple(words(entry["means"]))
            for term in entry["terms"]:
                phrases[tuple(words(term))] = meaning
        return cls(phrases)

    def apply(self, typed: list[str]) -> list[str]:
        longest = max((len(p) for p in self.phrases), default=0)
        out, at = [], 0
        while at < len(typed):
            for length in range(min(longest, len(typed) - at), 0, -1):
                meaning = self.phrases.get(tuple(typed[at : at + length]))
                if meaning is not None:
                    out.extend(meaning)
                    at += length
                    break
            else:
                out.append(typed[at])
                at += 1
        return out


@dataclass(frozen=True)
class Searchable:
    """What one content version offers a search: the synonyms, and which code sets hold codes (so
    that a query asks for no vocabulary of an empty set)."""

    synonyms: Synonyms
    sets: tuple[tuple[Origin, CodeSystem], ...]


class SearchableCache:
    """Searchable per content version: one batch get the first time a version is seen, then kept in
    memory (published content never changes under a version)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_version: dict[int, Searchable] = {}

    def get(self, view: ContentReader) -> Searchable:
        version = getattr(view, "version", 0)
        with self._lock:
            found = self._by_version.get(version)
        if found is None:
            summaries = [(set_pk(origin, system), SUMMARY_SK) for origin, system in CODE_SETS]
            items = {item["PK"]: item for item in view.batch_get([SYNONYMS_KEY, *summaries])}
            present = tuple(pair for pair, key_ in zip(CODE_SETS, summaries, strict=True) if key_[0] in items)
            found = Searchable(Synonyms.from_item(items.get(SYNONYMS_KEY[0])), present)
            with self._lock:
                self._by_version = {version: found}
        return found


SEARCHABLE = SearchableCache()


# ------------------------------------------------------------------------------ the query


def search(view: ContentReader, query: str, *, systems: Sequence[CodeSystem] = (), billable: bool | None = None,
           limit: int = 25, offset: int = 0) -> SearchResult:
    typed = query.strip()
    as_code = code_key(typed) if " " not in typed else None
    if as_code and _HAS_DIGIT.search(as_code):
        sets = [(origin, system) for origin, system in CODE_SETS if not systems or system in systems]
        hits = _code_prefix(view, as_code, sets, billable)
        if hits:
            return SearchResult(typed, hits[offset : offset + limit], len(hits) > offset + limit, [as_code])
    searchable = SEARCHABLE.get(view)
    sets = [(origin, system) for origin, system in searchable.sets if not systems or system in systems]
    return _words_search(view, typed, sets, billable, limit, offset, searchable.synonyms)


def _code_prefix(view: ContentReader, prefix: str, sets: list[tuple[Origin, CodeSystem]],
                 billable: bool | None) -> list[Hit]:
    page = view.query(code_index_pk(prefix), sk=sk_begins_with(prefix), index="GSI1", limit=CODE_PREFIX_READ)
    wanted = set(sets)
    found: dict[tuple[str, str], tuple[tuple, Hit]] = {}
    for item in page.items:
        origin, system = item.get("origin"), item.get("system")
        if (origin, system) not in wanted or item.get("level") in ("chapter", "section"):
            continue
        if billable is not None and bool(item.get("billable")) != billable:
            continue
        hit = Hit(CodeSystem(system), item["code"], item["title"], bool(item.get("billable")))
        key_ = item["GSI1SK"].split(SEPARATOR)[0]
        rank = (key_ != prefix, len(key_), key_, origin != "file")
        if (system, hit.code) not in found or rank < found[(system, hit.code)][0]:
            found[(system, hit.code)] = (rank, hit)
    return [hit for _, hit in sorted(found.values(), key=lambda pair: pair[0])]


class PostingList:
    """One tier of one term's postings: sorted entries kept as the stored blocks of text, split only
    when needed. Checking a code reads one block (bisect on the blocks' first entries); walking the
    list splits blocks one at a time, and a walk that stops early never splits the rest."""

    def __init__(self, blocks: list[str]):
        self.blocks = blocks
        self.heads = [block[: block.find(" ")] if " " in block else block for block in blocks]
        self._split: dict[int, list[str]] = {}

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
        block = self._block(at)
        found = bisect.bisect_left(block, entry)
        return found < len(block) and block[found] == entry

    def __iter__(self) -> Iterator[str]:
        for at in range(len(self.blocks)):
            yield from self._block(at)


@dataclass
class _Alternative:
    term: str
    penalty: int
    chunks: int
    documents: int
    lists: list[PostingList] = field(default_factory=list)  # t1, t2, t3


@dataclass
class _Word:
    """One word of the query in one code set: the terms it may stand for."""

    typed: str
    alternatives: list[_Alternative]
    _scores: dict[str, int] | None = None
    _checks: int = 0

    @property
    def documents(self) -> int:
        return sum(a.documents for a in self.alternatives)

    def best_tier(self, entry: str) -> int | None:
        """The word's score for a code, None when the code lacks the word. Checked block by block; a
        word of few codes that gets checked often is read into a dict once instead."""
        if self._scores is None:
            self._checks += 1
            if self._checks > CHECKS_BEFORE_DICT and self.documents <= SMALL_WORD:
                self._scores = self.entries()
        if self._scores is not None:
            return self._scores.get(entry)
        best = None
        for alternative in self.alternatives:
            for tier, listed in enumerate(alternative.lists, start=1):
                if entry in listed:
                    score = tier + alternative.penalty
                    best = score if best is None or score < best else best
                    break
        return best

    def lists_by_score(self) -> dict[int, list[PostingList]]:
        """Posting lists by the score a code in them gets for this word (tier plus penalty)."""
        by_score: dict[int, list[PostingList]] = {}
        for alternative in self.alternatives:
            for tier, listed in enumerate(alternative.lists, start=1):
                if listed:
                    by_score.setdefault(tier + alternative.penalty, []).append(listed)
        return by_score

    def scores(self) -> list[int]:
        return list(self.lists_by_score()) or [99]

    def entries(self) -> dict[str, int]:
        if self._scores is not None:
            return self._scores
        found: dict[str, int] = {}
        for alternative in self.alternatives:
            for tier, listed in enumerate(alternative.lists, start=1):
                score = tier + alternative.penalty
                for entry in listed:
                    if found.get(entry, 99) > score:
                        found[entry] = score
        return found


def query_terms(typed: str, synonyms: Synonyms) -> list[str]:
    terms = [stem(w) for w in synonyms.apply(words(typed)) if w not in STOPWORDS]
    return list(dict.fromkeys(terms))[:MAX_QUERY_TERMS]


def _words_search(view: ContentReader, typed: str, sets: list[tuple[Origin, CodeSystem]], billable: bool | None,
                  limit: int, offset: int, synonyms: Synonyms) -> SearchResult:
    terms = query_terms(typed, synonyms)
    if not terms:
        return SearchResult(typed, [], False, [])
    completing = not typed.endswith(" ")  # the last word may be half typed

    # Round trip 1: vocabulary of every word in every code set.
    # A shorter prefix too, so that a typo within the first six letters ("asthama") finds its word.
    vocab_keys = list(dict.fromkeys([*(vocab_key(o, s, t[:PREFIX_MAX]) for o, s in sets for t in terms),
                                     *(vocab_key(o, s, t[:SHORT_PREFIX]) for o, s in sets for t in terms)]))
    vocab = {item["PK"]: [VocabTerm.decode(e) for e in item.get("terms", "").split()]
             for item in view.batch_get(vocab_keys[:MAX_BATCH_GET])}

    plan: dict[tuple[Origin, CodeSystem], list[_Word]] = {}
    for origin, system in sets:
        found_words = []
        for position, term in enumerate(terms):
            known = vocab.get(vocab_key(origin, system, term[:PREFIX_MAX])[0], [])
            nearby = vocab.get(vocab_key(origin, system, term[:SHORT_PREFIX])[0], [])
            alternatives = _alternatives(term, known, nearby, completing and position == len(terms) - 1)
            found_words.append(_Word(term, alternatives))
        plan[(origin, system)] = found_words

    # Round trip 2: the postings of every chosen term, cut to one batch.
    wanted = [(origin, system, alt) for (origin, system), found_words in plan.items()
              for word in found_words for alt in word.alternatives]
    keys = []
    for origin, system, alt in wanted:
        keys.extend((term_pk(origin, system, alt.term), chunk_sk(n)) for n in range(alt.chunks))
    keys = list(dict.fromkeys(keys))[:MAX_BATCH_GET]
    postings: dict[str, list[Item]] = {}
    for item in view.batch_get(keys) if keys else []:
        postings.setdefault(item["PK"], []).append(item)
    for origin, system, alt in wanted:
        chunks = sorted(postings.get(term_pk(origin, system, alt.term), []), key=lambda i: i["SK"])
        alt.lists = [PostingList([block for chunk in chunks for block in chunk.get(name, [])]) for name in TIERS]

    need = offset + limit + 1
    ranked: list[tuple[tuple, Origin, CodeSystem, str]] = []
    for (origin, system), found_words in plan.items():
        for score, entry in _rank(found_words, billable, need):
            ranked.append((score, origin, system, entry))
    if any(score[0] == 0 for score, *_ in ranked):
        # Codes with every word exist: codes with only some of them would be noise after them.
        ranked = [r for r in ranked if r[0][0] == 0]
    ranked.sort(key=lambda r: (r[0], r[3], r[1] != "file"))

    # Round trip 3: the records of the page (one per code; the file's record wins over curated).
    page, seen = [], set()
    for _, origin, system, entry in ranked:
        code = entry[3:]
        if (system, code) in seen:
            continue
        seen.add((system, code))
        page.append((origin, system, code))
        if len(page) > offset + limit:
            break
    shown = page[offset : offset + limit]
    records = {}
    if shown:
        for item in view.batch_get([record_key(o, s, c) for o, s, c in shown]):
            records[(item["PK"])] = item
    hits = []
    for origin, system, code in shown:
        item = records.get(record_key(origin, system, code)[0])
        if item is not None:
            hits.append(Hit(system, item["code"], item["title"], bool(item.get("billable"))))
    return SearchResult(typed, hits, len(page) > offset + limit, terms)


def _alternatives(term: str, known: list[VocabTerm], nearby: list[VocabTerm],
                  completing: bool) -> list[_Alternative]:
    """The terms a typed word may stand for: itself, its completions, or near spellings."""
    exact = [v for v in known if v.term == term]
    found = [_Alternative(v.term, EXACT, v.chunks, v.documents) for v in exact]
    if completing or not exact:
        completions = [v for v in known if v.term != term and v.term.startswith(term)][:COMPLETIONS_PER_WORD]
        found += [_Alternative(v.term, COMPLETION, v.chunks, v.documents) for v in completions]
    if not found and len(term) >= 5:
        near = [v for v in {v.term: v for v in [*known, *nearby]}.values() if _close(term, v.term)]
        near = sorted(near, key=lambda v: -v.documents)[:COMPLETIONS_PER_WORD]
        found += [_Alternative(v.term, CORRECTION, v.chunks, v.documents) for v in near]
    return found


def _close(typed: str, term: str) -> bool:
    """Edit distance ≤ 1 for short words, ≤ 2 for long ones (diabetis → diabete)."""
    allowed = 1 if len(typed) < 8 else 2
    if abs(len(typed) - len(term)) > allowed:
        return False
    previous = list(range(len(term) + 1))
    for i, a in enumerate(typed, start=1):
        current = [i]
        for j, b in enumerate(term, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1] <= allowed


def _rank(found_words: list[_Word], billable: bool | None, need: int) -> list[tuple[tuple, str]]:
    """The best `need` (score, entry) of one code set: every word must match, else as many as possible."""
    present = [w for w in found_words if w.alternatives]
    if 2 * len(present) < len(found_words):  # most words unknown in this code set
        return []
    missing = len(found_words) - len(present)
    best = _best_full_matches(present, billable, need)
    if best:
        return [((missing, special, total), entry) for special, total, entry in best]
    scored = _partial(present, missing)
    if billable is not None:
        scored = [(s, e) for s, e in scored if (e[0] == "0") == billable]
    return heapq.nsmallest(need, scored)


def _best_full_matches(present: list[_Word], billable: bool | None, need: int) -> list[tuple[bool, int, str]]:
    """The `need` best codes having every word, as (special, score, entry), best first.

    The rarest word leads: its codes are read score by score and, within a score, in rank order
    (the lists are sorted that way), and each is checked against the other words. Every code still
    to come scores at least the lead score plus the other words' best, so the walk stops as soon as
    the kept codes beat that bound — a common word such as "unspecified" or "fracture" lists tens of
    thousands of codes, of which only the first few are ever read."""
    lead, *others = sorted(present, key=lambda w: w.documents)
    others_best = sum(min(w.scores()) for w in others)
    top: list[tuple[bool, int, str]] = []
    seen: set[str] = set()
    for special in (False, True):
        for lead_score, lists in sorted(lead.lists_by_score().items()):
            bound = lead_score + others_best
            if len(top) >= need and top[-1] < (special, bound, ""):
                break  # nothing in this score, or any later one, can rank higher
            for entry in heapq.merge(*lists):
                if _special(entry) != special or entry in seen:
                    continue
                if len(top) >= need and top[-1] < (special, bound, entry):
                    break
                seen.add(entry)
                if len(seen) > WALK_BUDGET and not top:
                    # The words rarely meet (or never): intersect whole sets instead of checking
                    # the lead's codes one by one.
                    return _intersection(lead, others, billable, need)
                if billable is not None and (entry[0] == "0") != billable:
                    continue
                total = lead_score
                for word in others:
                    tier = word.best_tier(entry)
                    if tier is None:
                        break
                    total += tier
                else:
                    bisect.insort(top, (special, total, entry))
                    del top[need:]
    return top


def _intersection(lead: _Word, others: list[_Word], billable: bool | None, need: int) -> list[tuple[bool, int, str]]:
    common = set(lead.entries())
    for word in others:
        common &= word.entries().keys()
        if not common:
            return []
    lead_scores = lead.entries()
    scored = []
    for entry in common:
        if billable is not None and (entry[0] == "0") != billable:
            continue
        total = lead_scores[entry] + sum(word.best_tier(entry) for word in others)
        scored.append((_special(entry), total, entry))
    return heapq.nsmallest(need, scored)


def _special(entry: str) -> bool:
    """A code for a special context only (pregnancy, perinatal; see index._rank_class): after the
    general codes whatever its words, since a query naming the context matches only such codes."""
    return entry[0] == "1"


def _partial(present: list[_Word], missing: int) -> list[tuple[tuple, str]]:
    """No code has every word: rank codes by how many words they have, among the rarer words' codes."""
    pool: set[str] = set()
    for word in sorted(present, key=lambda w: w.documents):
        if pool and len(pool) + word.documents > PARTIAL_MATCH_CANDIDATES:
            break
        pool.update(word.entries())
    word_scores = [w.entries() for w in present]
    scored = []
    words = missing + len(present)
    for entry in pool:
        tiers = [t for scores in word_scores if (t := scores.get(entry)) is not None]
        if 2 * len(tiers) >= words:  # at least half of the words
            scored.append(((words - len(tiers), _special(entry), sum(tiers)), entry))
    return scored

