"""Search behaviour a user notices: words folded the same way, synonyms, typos, type-ahead, ranking,
and the cost of a query at the table port."""

from __future__ import annotations

import pytest

from codedesk.codes import index
from codedesk.codes.models import CodeSystem
from codedesk.codes.search import Synonyms, query_terms, search
from codedesk.codes.text import terms


def codes(result):
    return [hit.code for hit in result.hits]


def test_titles_and_queries_become_the_same_terms():
    assert terms("Injuries of the Ankle: FRACTURES, abscesses (Sjögren)") == [
        "injury",
        "ankle",
        "fracture",
        "abscess",
        "sjogren",
    ]
    assert terms("diabetes mellitus") == terms("Diabetes Mellitus")


def test_synonyms_replace_the_longest_phrase_typed():
    synonyms = Synonyms({("heart", "attack"): ("myocardial", "infarction"), ("heart",): ("cardiac",)})
    assert query_terms("old heart attack", synonyms) == ["old", "myocardial", "infarction"]
    assert query_terms("heart murmur", synonyms) == ["cardiac", "murmur"]


def test_the_published_synonyms_read_back_as_content_says_them():
    # The phrases' terms are worked out when content is published, not on each instance's first search.
    from codedesk.catalog import read_content
    from codedesk.codes.items import SYNONYMS_KEY
    from codedesk.codes.publish import publish_items

    item = next(item for item in publish_items(read_content()) if (item["PK"], item["SK"]) == SYNONYMS_KEY)
    published = Synonyms.from_item(item)
    assert published.phrases[("heart", "attack")] == ("myocardial", "infarction")
    assert published.phrases[("shingles",)] == ("zoster",)
    assert published.only["ICD10CM"][("gall", "stones")] == ("gallstone",)
    assert published.forms["calculi"] == ("calculus",)
    worked_out_here = Synonyms(published.phrases, published.only, published.forms)
    for system in (None, "ICD10CM", "HCPCS"):
        assert published.apply(["ringing", "in", "ears"], system) == worked_out_here.apply(["ringing", "ear"], system)
        assert published.read(["std", "check"], system) == worked_out_here.read(["std", "check"], system)


def test_plurals_fold_to_the_singular_the_titles_use():
    assert terms("headaches toothaches branches beaches coaches") == [
        "headache",
        "toothache",
        "branch",
        "beach",
        "coach",
    ]


def test_a_contraction_is_one_word():
    # "can't" is not "can" and a "t" that matches titles about T cells
    assert terms("can't poop, won’t stop") == ["cant", "poop", "wont", "stop"]


def test_bad_is_how_a_complaint_is_said_not_a_word_to_search():
    # "bad" was the rarest word of "bad knee" (one inclusion term, 'Bad sleep habits'), so it won
    assert terms("my bad knee") == ["knee"]
    # nor "has": "has dentures" put a lumbar orthosis "that has been trimmed" among its answers
    assert terms("has dentures, have a pacemaker") == ["denture", "pacemaker"]


def test_a_possessive_is_one_word():
    # "Bell's palsy" said three ways is the same terms, and "smoker's cough" searches no word "s"
    assert terms("Bell's palsy") == terms("bells palsy") == terms("bell palsy") == ["bell", "palsy"]
    assert terms("smoker’s cough") == ["smoker", "cough"]
    # a letter that is a word of its own stays: protein S, graft(s)
    assert terms("Protein S deficiency") == ["protein", "s", "deficiency"]


def test_a_synonym_is_found_when_its_phrase_is_said_another_way():
    synonyms = Synonyms(
        {
            ("ringing", "in", "ears"): ("tinnitus",),
            ("a", "fib"): ("atrial", "fibrillation"),
            ("bump", "on", "head"): ("contusion", "of", "head"),
            ("bumped", "head"): ("contusion", "of", "head"),
            ("sore", "on", "lip"): ("stomatitis",),
            ("sores", "lip"): ("cheilitis",),
        }
    )
    # filler words and plurals aside, the same phrase: "ringing ear", "ringing in the ear"
    assert query_terms("ringing ear", synonyms) == ["tinnitus"]
    assert query_terms("left ear ringing in the ears", synonyms) == ["left", "ear", "tinnitus"]
    assert query_terms("bumps on the head", synonyms) == ["contusion", "head"]
    # a phrase as written wins over a longer one said another way only when it is as long
    assert query_terms("bumped head", synonyms) == ["contusion", "head"]
    # a phrase starting with a filler word is matched only as written: "fib" alone is not atrial fibrillation
    assert query_terms("a fib", synonyms) == ["atrial", "fibrillation"]
    assert query_terms("fib", synonyms) == ["fib"]
    # two phrases of different meanings said the same way mean neither when said another way
    assert query_terms("sore lip", synonyms) == ["sore", "lip"]
    assert query_terms("sore on lip", synonyms) == ["stomatitis"]


def test_a_synonym_said_with_check_screening_or_test_is_the_same_synonym():
    synonyms = Synonyms(
        {("std", "test"): ("screening", "for", "sexual", "transmission"), ("strep",): ("streptococcal",)}
    )
    assert (
        query_terms("std check", synonyms)
        == query_terms("std screenings", synonyms)
        == ["screening", "sexual", "transmission"]
    )
    # only in a synonym's phrase: a word typed outside one stays as typed
    assert query_terms("strep check", synonyms) == ["streptococcal", "check"]


def test_a_word_said_again_in_another_form_is_searched_once():
    forms = {"infected": ("infection",), "infection": ("infected",)}
    synonyms = Synonyms({}, forms=forms)
    # the index's main term and its forms ("Infection, infected, infective"): one word, not two
    assert query_terms("Infection, infected, infective COVID-19", synonyms) == ["infection", "infective", "covid", "19"]


def test_a_synonym_of_some_code_systems_leaves_the_words_as_typed_in_the_others():
    synonyms = Synonyms({("flu",): ("influenza",)}, {"ICD10CM": {("cancer",): ("malignant", "neoplasm")}})
    assert query_terms("prostate cancer", synonyms, "ICD10CM") == ["prostate", "malignant", "neoplasm"]
    assert query_terms("prostate cancer", synonyms, "HCPCS") == ["prostate", "cancer"]
    assert query_terms("flu cancer", synonyms, "HCPCS") == ["influenza", "cancer"]  # every system's still hold


def test_a_search_says_which_phrases_it_read_as_the_titles_say_them(view):
    assert search(view, "heart attack").said_as == [("heart attack", "myocardial infarction")]
    assert search(view, "myocardial infarction").said_as == []  # the titles' own words: nothing to teach
    # "cancer" is read so in ICD-10-CM only: said once, though HCPCS is searched too
    assert search(view, "prostate cancer").said_as == [("cancer", "malignant neoplasm")]


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("E11.621", "E11.621"),
        ("e11621", "E11.621"),
        ("diabetes foot ulcer", "E11.621"),
        ("diab foot ulc", "E11.621"),  # type-ahead: every word may be a prefix of a title word
        ("diabetis foot ulcer", "E11.621"),  # a typo within two letters
        ("heart attack", "I21.9"),  # lay words via content/codes/synonyms.yaml
        ("high blood pressure", "I10"),
        ("covid", "U07.1"),
    ],
)
def test_first_result(view, typed, first):
    assert codes(search(view, typed))[0] == first


def test_billable_codes_rank_above_headers_for_the_same_words(view):
    found = search(view, "type 2 diabetes mellitus")
    # The header whose title is exactly the words, after its default code; then billable codes first.
    assert codes(found)[:2] == ["E11.9", "E11"]
    billable = [hit.billable for hit in found.hits[2:]]
    assert billable == sorted(billable, reverse=True) and billable[0]


def test_a_code_prefix_lists_the_codes_below_it_in_order(view):
    assert codes(search(view, "S93.40")) == ["S93.40", "S93.401", "S93.401A", "S93.401D", "S93.401S"]


def test_nothing_found_is_an_empty_list(view):
    assert search(view, "zzzz qqqq").hits == []


def test_round_trips_at_the_table_port(view, codes_store):
    search(view, "warm the synonym cache")
    # a typo making a synonym's phrase: its spelling items and the phrase's vocabulary, 2 more
    for typed, most in [("E11.9", 1), ("diabetes foot ulcer", 3), ("diab", 3), ("htn", 3), ("heart atack", 5)]:
        codes_store.stats.reset()
        search(view, typed)
        assert codes_store.stats.round_trips <= most, typed


def test_a_typo_in_a_words_first_letters_is_read_as_the_word(view):
    # No vocabulary prefix lists a term starting "daib" or "mioc": the spelling items do, and the
    # answer says how the word was read.
    answer = search(view, "daibetes foot ulcer")
    assert answer.hits[0].code == "E11.621"
    assert ("daibetes", "diabetes") in answer.said_as
    assert search(view, "miocardial infarction").hits[0].code.startswith("I21")


def test_a_typo_the_vocabulary_lists_near_is_read_as_that_word_and_said(view):
    # "hypertention" starts as hypertension does: the vocabulary lists it one letter away
    answer = search(view, "hypertention")
    assert answer.hits[0].code == "I10"
    assert answer.said_as == [("hypertention", "hypertension")]
    # a word differing from a term only at its end is another word made from it, not read as the term
    assert search(view, "foot ulcery").said_as == []


def test_a_typo_that_sounds_as_the_word_is_read_as_it(view):
    # two letters off, which one letter left out of each cannot find; it sounds as "myocardial"
    answer = search(view, "myokardiel infarction")
    assert answer.hits[0].code.startswith("I21")
    assert ("myokardiel", "myocardial") in answer.said_as


def test_a_short_typo_may_swap_its_last_two_letters(view):
    answer = search(view, "sprain ankel")
    assert answer.hits[0].code.startswith("S93.40")
    assert ("ankel", "ankle") in answer.said_as


def test_a_near_word_of_another_first_letter_is_not_a_typo(view):
    # "niabetes" is one letter from diabetes, but people get a word's first letter right
    assert search(view, "niabetes").hits == []


def test_a_typo_inside_a_synonyms_phrase_is_searched_as_the_phrase(view):
    # "atack" is no title's word: one letter from the synonyms' "attack", it makes "heart attack"
    answer = search(view, "heart atack")
    assert answer.hits[0].code.startswith("I21")
    assert answer.said_as == [("atack", "attack"), ("heart attack", "myocardial infarction")]
    # a word that only the synonyms say ("rolled"), misspelled
    assert search(view, "roled ankle").hits[0].code.startswith("S93.40")
    # a word of four letters; a last word typed half, which only one of the synonyms' words completes
    assert search(view, "hart attack").hits[0].code.startswith("I21")
    typing = search(view, "heart atta")
    assert typing.hits[0].code.startswith("I21")
    assert typing.said_as[0] == ("atta", "attack")


def test_a_typo_is_read_as_a_synonyms_word_only_when_that_makes_a_phrase(view):
    # "atack" alone is no phrase: nothing is searched in its place
    answer = search(view, "atack")
    assert answer.hits == []
    assert answer.said_as == []


def test_a_typo_costs_one_round_trip_more_the_first_time_its_length_is_met(view, codes_store):
    from codedesk.codes import search as search_module

    search(view, "warm the synonym cache")
    for kept in (search_module.SPELLING, search_module.VOCABULARY, search_module.POSTINGS):
        kept.clear()
    codes_store.stats.reset()
    search(view, "daibetes")
    assert codes_store.stats.round_trips == 4  # vocabulary, spelling, postings, records
    search_module.VOCABULARY.clear()
    search_module.POSTINGS.clear()
    codes_store.stats.reset()
    search(view, "daibetes")
    assert codes_store.stats.round_trips == 3  # the spelling items of its length are kept


def test_long_posting_lists_are_split_and_still_found(published, monkeypatch):
    from codedesk.codes.importer import import_code_sets
    from codedesk.content.view import LivePointer

    from .conftest import MINI_2026

    monkeypatch.setattr(index, "CHUNK_ENTRIES", 2)
    import_code_sets(published, "icd10cm", [MINI_2026])
    chunks = published.query("CODETERM#file#ICD10CM#diabete").items
    assert len(chunks) >= 3
    view = LivePointer(published).view()
    assert codes(search(view, "diabetes foot ulcer"))[0] == "E11.621"
    every = codes(search(view, "diabetes", systems=[CodeSystem.ICD10CM], limit=50))
    assert sorted(every) == ["E08-E13", "E11", "E11.6", "E11.62", "E11.621", "E11.9"]


def test_latin_plurals_fold_but_not_in_the_names_of_organisms():
    assert terms("sequelae vertebrae petechiae") == ["sequela", "vertebra", "petechia"]
    # Streptococcus pneumoniae is not pneumonia, nor is Haemophilus influenzae influenza
    assert terms("pneumoniae influenzae") == ["pneumoniae", "influenzae"]


def test_acronyms_are_not_stemmed_as_plurals():
    assert terms("SARS-associated coronavirus, AIDS, legs") == ["sars", "associated", "coronavirus", "aids", "leg"]


def test_an_inclusion_term_said_exactly_comes_first(view):
    """I10's inclusion term "hypertension (arterial) (benign) ..." without its nonessential modifiers."""
    found = search(view, "hypertension")
    assert codes(found)[0] == "I10" and found.not_used == []


def test_an_unknown_word_leaves_the_other_words_answer_and_is_named(view):
    found = search(view, "covid xyzzy")
    assert codes(found)[0] == "U07.1" and found.not_used == ["xyzzy"]


OUR_OWN_LISTS = ["telehealth", "crutches", "flu vaccine", "bilateral", "office visit established", "nebulizer"]


def test_our_own_code_lists_are_searched_in_memory_with_the_answers_their_items_give(view, codes_store, monkeypatch):
    """content/codes lists are read whole once per content version (index.py's resident item): a
    query then reads none of their vocabulary or postings items, and finds what those items find."""
    from codedesk.codes import search as search_module

    read: list[tuple[str, str]] = []
    batch_get = codes_store.batch_get
    monkeypatch.setattr(codes_store, "batch_get", lambda keys: read.extend(keys) or batch_get(keys))
    in_memory = {typed: search(view, typed).hits for typed in OUR_OWN_LISTS}
    assert {hit.system for hits in in_memory.values() for hit in hits} >= {
        CodeSystem.POS,
        CodeSystem.MODIFIER,
        CodeSystem.HCPCS,
        CodeSystem.CPT,
    }
    assert [pk for pk, _ in read if pk.startswith(("CODETERM#content#", "CODEVOCAB#content#"))] == []

    monkeypatch.setattr(search_module, "RESIDENT_ORIGINS", ())
    search_module.SEARCHABLE.clear()
    read.clear()
    from_items = {typed: search(view, typed).hits for typed in OUR_OWN_LISTS}
    assert from_items == in_memory
    assert [pk for pk, _ in read if pk.startswith("CODETERM#content#")] != []


def test_a_resident_index_item_stays_well_under_the_item_size_limit(published):
    """Beside the previous version until the next publish, both within DynamoDB's 400 KB (index.py)."""
    import json

    for system in (CodeSystem.HCPCS, CodeSystem.CPT, CodeSystem.MODIFIER, CodeSystem.POS):
        item = published.get(*index.resident_key("content", system))
        assert item is not None and len(json.dumps(item)) < 150_000, system
