"""Keyword search over denial cards: posting lists written at publish time, read in one batch.

Each term a card uses gets one item listing the cards that contain it and how strongly (a word in
the title, keywords or code counts more than one in the meaning or causes). A query reads the
postings of its terms in one batch-get and ranks cards by how many terms they match, then weight.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from codedesk.denials.codes import CodeKind
from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item

if TYPE_CHECKING:  # postings are written from the content models at publish time only
    from codedesk.denials.models import GroupCode, ReasonCard

POSTINGS_SK = "POSTINGS"
MAX_QUERY_TERMS = 8
STRONG, WEAK = 3, 1

_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in into is it its no not of on or that the this to was were "
    "with without your you their they them than then there these those our we can may must if so do does".split()
)


def terms_of(text: str) -> list[str]:
    """Lower-case words of two or more letters/digits, without stop words; a crude plural fold
    ("modifiers" → "modifier") so that a biller's wording still finds the card."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return [_singular(word) for word in words if len(word) > 1 and word not in _STOPWORDS]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def posting_key(term: str) -> tuple[str, str]:
    return key(Prefix.DENIAL_TERM, term), POSTINGS_SK


def _weights(kind: CodeKind, code: str, strong: Iterable[str], weak: Iterable[str]) -> dict[str, int]:
    weights: dict[str, int] = defaultdict(int)
    weights[code.lower()] += STRONG
    for text in strong:
        for term in set(terms_of(text)):
            weights[term] += STRONG
    for text in weak:
        for term in set(terms_of(text)):
            weights[term] += WEAK
    return weights


def card_terms(card: GroupCode | ReasonCard, kind: CodeKind) -> dict[str, int]:
    strong = [card.title, *getattr(card, "keywords", [])]
    weak = [card.meaning, *card.common_causes]
    return _weights(kind, card.code, strong, weak)


def posting_items(cards: Iterable[tuple[CodeKind, GroupCode | ReasonCard]]) -> Iterator[Item]:
    postings: dict[str, list[list]] = defaultdict(list)
    for kind, card in cards:
        for term, weight in card_terms(card, kind).items():
            postings[term].append([kind.value, card.code, weight])
    for term, entries in sorted(postings.items()):
        pk, sk = posting_key(term)
        yield {"PK": pk, "SK": sk, "cards": sorted(entries)}


def query_terms(query: str) -> list[str]:
    return list(dict.fromkeys(terms_of(query)))[:MAX_QUERY_TERMS]


def rank(postings: Iterable[Item], limit: int) -> list[tuple[CodeKind, str]]:
    """Cards ranked by the number of query terms they contain, then by summed weight, then code."""
    matched: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for posting in postings:
        for kind, code, weight in posting["cards"]:
            score = matched[(kind, code)]
            score[0] += 1
            score[1] += int(weight)
    ordered = sorted(matched.items(), key=lambda entry: (-entry[1][0], -entry[1][1], entry[0]))
    return [(CodeKind(kind), code) for (kind, code), _ in ordered[:limit]]
