"""Words of code titles and of what people type, reduced to the same search terms.

One function, `terms`, is used both when the index is written and when a query is read, so the two
always agree: lower case, accents dropped, split on anything that is not a letter or digit, filler
words dropped, plurals folded ("fractures" → "fracture", "injuries" → "injury") except in acronyms
("SARS" stays "sars", "AIDS" stays "aids").
"""

from __future__ import annotations

import re
import unicodedata

_SPLIT = re.compile(r"[^a-z0-9]+")
# Words that never tell two codes apart. "with", "without", "other" and "unspecified" stay: coders
# type them to choose between sibling codes ("diabetes without complications"). "my" and "bad" are
# how people say a complaint ("my bad knee"); no title needs them (one inclusion term says "Bad sleep
# habits", whose other words find it). Nor "has" and "have" ("has dentures"): no ICD-10-CM title says
# them, and the HCPCS titles only as "item that has been trimmed".
STOPWORDS = frozenset(
    {
        "a", "an", "and", "as", "at", "bad", "by", "for", "from", "has", "have", "in", "into", "is", "my", "of",
        "on", "or", "the", "to", "nos",
    }
)  # fmt: skip
_CONTRACTION = re.compile(r"n['\u2019]t\b")
# What words() makes of a contraction: a word, never a typo of a title's word ("aren't" is not "agent").
CONTRACTED = frozenset(
    {
        "aint", "arent", "cant", "couldnt", "didnt", "doesnt", "dont", "hadnt", "hasnt", "havent", "isnt",
        "shouldnt", "wasnt", "werent", "wont", "wouldnt",
    }
)  # fmt: skip
_POSSESSIVE = re.compile(r"['\u2019]s\b")
# Latin plurals the titles write (every plural noun ending in "ae" in the April 2026 tabular list,
# but for organisms' names: "Streptococcus pneumoniae" and "Haemophilus influenzae" are not pneumonia
# and influenza). "sequelae of stroke" and "sequela of stroke" are the same words, as are "fracture
# of vertebrae" and "vertebra".
_LATIN_PLURALS = {
    "aphthae": "aphtha", "bullae": "bulla", "fistulae": "fistula", "goniosynechiae": "goniosynechia",
    "papillae": "papilla", "petechiae": "petechia", "sequelae": "sequela", "striae": "stria",
    "synechiae": "synechia", "vertebrae": "vertebra",
}  # fmt: skip
# Endings that look plural but are not ("abscess", "sepsis", "mellitus").
_NOT_PLURAL = ("ss", "us", "is")
# Acronyms ending in "s" that the April 2026 tabular list writes in capitals (every such word of its
# titles and notes, but for plain words written in capitals: DISEASES, RECORDS): "SARS" is not the
# plural of "sar". A query arrives in any case, so they are known by name, not by their capitals.
ACRONYMS = frozenset(
    {
        "aids", "alps", "apds", "cfs", "crps", "des", "eas", "eds", "fpies", "gbs", "ghis", "gss",
        "hafous", "hcps", "hes", "hps", "ias", "icans", "igfals", "ihes", "irds", "lhes", "luts", "melas",
        "mgus", "mis", "nihss", "ohs", "phts", "pims", "pots", "pres", "rads", "rars", "rds", "sars", "sids", "sirs", "sjs",
        "traps",
    }
)  # fmt: skip


def fold(text: str) -> str:
    """Lower case without accents (Sjögren → sjogren)."""
    if text.isascii():  # nearly every title and query: nothing to decompose, no per-letter loop
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def stem(word: str) -> str:
    """Plural to singular, crudely but identically for titles and queries; acronyms as they are."""
    if word in ACRONYMS:
        return word
    if word.endswith("ae"):
        return _LATIN_PLURALS.get(word, word)
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("aches") and not word.endswith(("eaches", "oaches")):  # headaches, not beaches
        return word[:-1]
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(_NOT_PLURAL):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The folded words of `text`, in order, stopwords kept (for phrase matching of synonyms). A
    contraction is one word ("can't" → "cant", not "can" and "t"): titles have none, queries do. So
    is a possessive ("Bell's palsy" → "bells", folded as a plural to "bell"), so that "bells palsy",
    "bell palsy" and "Bell's palsy" are the same words, and "smoker's cough" has no word "s"."""
    folded = fold(text)
    if "'" in folded or "\u2019" in folded:  # most titles and queries have no apostrophe: no substitution
        folded = _POSSESSIVE.sub("s", _CONTRACTION.sub("nt", folded))
    return [w for w in _SPLIT.split(folded) if w]


def terms(text: str) -> list[str]:
    """The search terms of `text`, in order, duplicates kept."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


# Words a phrase may be said with in place of another, when a synonym is looked for as terms: "std
# check" is the synonym "std test", "lead test" the synonym "lead screening".
SAID_ALIKE = {"check": "test", "screen": "test", "screening": "test"}


def said_alike(term: str) -> str:
    return SAID_ALIKE.get(term, term)


def phrase_terms(phrase: tuple[str, ...]) -> tuple[str, ...]:
    """The terms a synonym's phrase (its words) is also found by, typed another way: filler words
    left out, plurals folded, words said alike made one ("ringing in ears" → ringing ear; "std
    check" → std test). None (an empty tuple) for a phrase starting with a filler word ("a fib"),
    matched only as written."""
    if not phrase or phrase[0] in STOPWORDS:
        return ()
    return tuple(said_alike(stem(word)) for word in phrase if word not in STOPWORDS)


def letters_apart(typed: str, term: str) -> int:
    """The letters added, dropped or changed, or pairs swapped, that make `typed` `term` (the
    Damerau-Levenshtein distance): "pneumonai" is one from pneumonia, as a typist sees it."""
    import jellyfish  # as in sound()

    return jellyfish.damerau_levenshtein_distance(typed, term)


def sound(term: str) -> str:
    """How a word (letters only) sounds: its Metaphone key, without the H that a spelling may or may
    not write ("diarrhea" and "diarea" both TR, "hemorrhoid" and "hemroid" MRT). Typos that keep a
    word's sound ("anurism", aneurysm) are found by it (codes/index.py's sound items)."""
    # Imported by the first word no code set knows, not with the module: about 8 ms of a cold start.
    import jellyfish

    return jellyfish.metaphone(term).replace("H", "")
