"""The real corpora end to end: release changes (ICD-10-CM 2025 → 2026, HCPCS 2018 → 2019) and the
search query set on the full April 2026 ICD-10-CM published to a SQLite store."""

from __future__ import annotations

from datetime import date

import pytest

from codedesk import settings
from codedesk.catalog import content_item_sets, read_content
from codedesk.codes.importer import import_code_sets
from codedesk.codes.index_tables import browse
from codedesk.codes.items import namespace_prefixes
from codedesk.codes.models import CodeSystem
from codedesk.codes.publish import code_set_items
from codedesk.codes.releases import merge_release, status_on
from codedesk.codes.search import search
from codedesk.content.publish import ItemSet, publish
from codedesk.content.view import LivePointer
from codedesk.store.sqlite import SqliteTable

from .conftest import HCPCS_2018, HCPCS_2019, ICD_2026, needs_corpus
from .query_set import HOLDOUT, LAY, LAY_HOLDOUT, MORE, MORE_HOLDOUT, load_queries

pytestmark = needs_corpus

MIN_HIT_RATE = 0.90


def test_icd10cm_april_2025_to_2026_changes(icd_2025, icd_2026):
    history, _ = merge_release([], icd_2025, None, None)
    merged, changes = merge_release(history, icd_2026, icd_2025.release, icd_2025.effective_on)
    assert (len(changes.added), len(changes.deleted), len(changes.revised)) == (614, 12, 45)
    assert "B88.01" in {c.code for c in changes.added}
    assert "S30.1XXA" in {c.code for c in changes.deleted}
    revised = {r.code: r for r in changes.revised}
    assert revised["L02.212"].new_title == "Cutaneous abscess of back [any part, except buttock and flank]"
    dropped = next(r for r in merged if r.code == "S30.1XXA")
    assert dropped.effective_to == date(2026, 3, 31)
    assert sum(r.billable and r.effective_to is None for r in merged) == 74_719


@pytest.fixture(scope="module")
def calendar():
    from codedesk.reviews.calendar import ReleaseCalendar
    from codedesk.reviews.models import ReleaseRules, ReviewPolicy

    bundle = read_content()
    return ReleaseCalendar(bundle.of(ReleaseRules)[0][1], bundle.of(ReviewPolicy)[0][1])


def test_icd10cm_validity_by_date_of_service_on_the_real_releases(icd_2025, icd_2026, calendar):
    history, _ = merge_release([], icd_2025, None, None)
    merged, _ = merge_release(
        history,
        icd_2026,
        icd_2025.release,
        icd_2025.effective_on,
        first_effective_on=icd_2025.effective_on,
        schedule=calendar.first_release_between,
    )
    by_code = {r.code: r for r in merged}
    assert status_on(by_code["E11.22"], date(2025, 12, 15)) == "active"
    assert status_on(by_code["I21.B"], date(2025, 6, 1)) == "active"
    assert status_on(by_code["I21.B"], date(2024, 6, 1)) == "unknown"  # before April 2025, the first loaded
    dropped = by_code["S30.1XXA"]
    assert [status_on(dropped, day) for day in (date(2025, 6, 1), date(2026, 4, 1), date(2026, 12, 6))] == [
        "active",
        "deleted",
        "deleted",
    ]
    # The October 2025 release (FY2026) is not loaded: it may have been the one that deleted it.
    assert status_on(dropped, date(2025, 10, 1)) == "unknown"
    assert by_code["L02.212"].earlier_titles[0].until == date(2026, 3, 31)


def test_qa0_codes_are_dotted_like_every_icd10cm_code(icd_2026):
    qa0 = sorted(r.code for r in icd_2026.records if r.code.startswith("QA0"))
    assert qa0[:3] == ["QA0", "QA0.0", "QA0.01"] and "QA0.0101" in qa0
    assert not [code for code in qa0 if "." not in code and code != "QA0"]


def test_hcpcs_2018_to_2019_changes(hcpcs_2018, hcpcs_2019):
    history, _ = merge_release([], hcpcs_2018[0], None, None)
    merged, changes = merge_release(history, hcpcs_2019[0], hcpcs_2018[0].release, hcpcs_2018[0].effective_on)
    assert (len(changes.added), len(changes.deleted), len(changes.revised)) == (221, 32, 110)
    assert "A4563" in {c.code for c in changes.added}
    terminated = next(r for r in merged if r.code == "C8904")
    assert terminated.effective_to == date(2018, 12, 31) and "C8904" in {c.code for c in changes.deleted}
    # The file dates each code: no unknown stretches, and a terminated code is deleted after its end.
    assert terminated.known_from is None and status_on(terminated, date(2018, 6, 1)) == "active"
    assert status_on(terminated, date(2019, 1, 1)) == "deleted"


def test_hcpcs_2018_and_2019_import_as_releases_with_changes_and_terminated_codes(published):
    from codedesk.codes import service

    for path in (HCPCS_2018, HCPCS_2019):
        import_code_sets(published, "hcpcs", [path])
    view = LivePointer(published).view()
    changes = service.changes(view, "HCPCS", "2019-01-01")
    assert changes.previous_release == "2018-01-01" and "C8904" in {c.code for c in changes.deleted}
    terminated = service.lookup(view, "HCPCS", "C8904", as_of=None, today=date(2026, 12, 6))
    assert (terminated.status, terminated.billable, terminated.effective_to) == ("deleted", False, date(2018, 12, 31))
    on_the_day = service.lookup(view, "HCPCS", "C8904", as_of=date(2018, 12, 31), today=date(2026, 12, 6))
    assert (on_the_day.status, on_the_day.billable) == ("active", True)
    assert "2019-01-01" in {s.release for s in service.code_sets(view, {}).items if s.system == "HCPCS"}


@pytest.fixture(scope="session")
def full_store(tmp_path_factory):
    """content/ and the full April 2026 ICD-10-CM, published once for the session."""
    store = SqliteTable(tmp_path_factory.mktemp("corpus") / "codes.db")
    publish(store, content_item_sets(read_content()))
    import_code_sets(store, "icd10cm", [ICD_2026])
    return store


def test_query_set_top5_hit_rate_and_cost(full_store):
    view = LivePointer(full_store).view()
    search(view, "warm the synonym cache")
    queries = load_queries()
    assert len(queries) >= 50
    misses, costs = [], []
    for query in queries:
        full_store.stats.reset()
        result = search(view, query.q, limit=5)
        costs.append((query.q, full_store.stats.round_trips, full_store.stats.items_read))
        if not query.hit([(h.system.value, h.code) for h in result.hits]):
            misses.append(query.q)
    hit_rate = 1 - len(misses) / len(queries)
    assert hit_rate >= MIN_HIT_RATE, f"top-5 hit rate {hit_rate:.0%}; missed {misses}"
    assert [c for c in costs if c[1] > 3 or c[2] > 2000] == []


def test_warm_searches_answer_as_cold_ones_and_read_less(full_store):
    from codedesk.codes import search as search_module

    view = LivePointer(full_store).view()
    queries = [query.q for query in load_queries()]
    cold, cold_reads, cold_trips = [], 0, 0
    for typed in queries:
        search_module.VOCABULARY.clear()  # nothing kept from the queries before
        search_module.POSTINGS.clear()
        full_store.stats.reset()
        cold.append([(h.system, h.code) for h in search(view, typed, limit=10).hits])
        cold_reads += full_store.stats.items_read
        cold_trips += full_store.stats.round_trips
    for typed in queries:  # fills the cache
        search(view, typed, limit=10)
    full_store.stats.reset()
    warm = [[(h.system, h.code) for h in search(view, typed, limit=10).hits] for typed in queries]
    assert warm == cold
    # The vocabulary, postings, index items and the records shown come from memory: what is read
    # is the one query of each code prefix typed ("E11.9"), no batch get.
    assert cold_reads > 0 and cold_trips >= len(queries)
    assert "batch_get" not in full_store.stats.calls
    assert full_store.stats.round_trips == full_store.stats.calls.get("query", 0) < len(queries) // 5


def test_the_billable_filter_keeps_billable_codes_of_a_special_context(full_store):
    view = LivePointer(full_store).view()
    billable = search(view, "pregnancy hypertension", billable=True, limit=10).hits
    headers = search(view, "pregnancy hypertension", billable=False, limit=10).hits
    assert billable and all(hit.billable and hit.code.startswith("O") for hit in billable)
    assert headers and not any(hit.billable for hit in headers)


def test_exact_lookup_of_every_listed_code_kind(full_store):
    from codedesk.codes.service import lookup

    view = LivePointer(full_store).view()
    for code, billable in [("S93.401A", True), ("E11", False), ("U07.1", True), ("A00-A09", False), ("1", False)]:
        full_store.stats.reset()
        answer = lookup(view, "ICD10CM", code, as_of=None, today=date(2026, 11, 23))
        assert (answer.code, answer.billable) == (code, billable)
        assert full_store.stats.round_trips == 1


def test_republishing_the_same_codes_writes_nothing(full_store, icd_2026):
    stored, _ = merge_release([], icd_2026, None, None)  # the records as the import stored them
    items = code_set_items(
        "file",
        CodeSystem.ICD10CM,
        stored,
        release=icd_2026.release,
        effective_on=icd_2026.effective_on.isoformat(),
        licensed=False,
        releases=[icd_2026.release],
        first_effective_on=icd_2026.effective_on.isoformat(),
        changes=[],
    )
    report = publish(full_store, [ItemSet("codes:ICD10CM", namespace_prefixes("file", CodeSystem.ICD10CM), items)])
    assert report.written == 0 and report.deleted == 0 and report.unchanged > 100_000


# The examples of issue 19, on the full release: what a coder types, the code a coder expects first.
@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("COVID-19", "U07.1"),  # the exact title before Post COVID-19 condition
        ("hypertension", "I10"),  # an inclusion term of I10, nonessential modifiers left out
        ("UTI", "N39.0"),  # not the pregnancy codes
        ("diabetes", "E11.9"),  # "diabetes NOS" under E11 names its default code
        # type 2 is the type coded when none is documented (Official Guidelines I.C.4.a.2)
        ("diabetes foot ulcer", "E11.621"),
        ("diabetic neuropathy", "E11.40"),
        ("type 1 diabetes foot ulcer", "E10.621"),  # unless the query says the type
        # "mellitus" is nonessential (the Index's "Diabetes, diabetic (mellitus)"): E11's default,
        # not E11.8 with unspecified complications; not E10.A0 Type 1 diabetes mellitus, presymptomatic
        ("type 2 diabetes", "E11.9"),
        ("type 1 diabetes", "E10.9"),
        ("Pneumonia, bronchial", "J18.0"),  # index-style main term, subterm
        ("Elevated, SGPT", "R74.01"),  # SGPT is ALT, an inclusion term of R74.01
        ("deafmutism", "H91.3"),
        ("broken wrist", "S52.509A"),  # the distal radius, not only carpal bones; the initial encounter
        ("hep c", "B18.2"),  # a last word of one letter is that letter, not "chronic" or "closed"
        ("nausea and vomiting", "R11.2"),  # R11's default says both its words, unlike R11.10 Vomiting, unspecified
        # lay words (content/codes/synonyms.yaml), from queries_more.yaml's misses
        ("prostate cancer", "C61"),  # ICD-10-CM says "malignant neoplasm", not HCPCS's "cancer screening"
        ("lice", "B85.2"),
        ("cold sore", "B00.1"),  # an inclusion term: Herpes simplex labialis
        ("vaccination", "Z23"),  # not the reactions to a vaccination
        ("on blood thinners", "Z79.01"),
        # forms of a word (content/codes/synonyms.yaml `forms`): the titles say "ovary", "allergic"
        ("ovarian cancer", "C56.9"),
        ("seasonal allergies", "J30.2"),
        ("torn meniscus", "S83.209A"),
        ("bee sting", "T63.441A"),  # the accidental intent, the one coded when none is documented
        # everyday words (queries_lay.yaml), and the default codes they showed wrong
        ("passed out", "R55"),
        ("twisted ankle", "S93.409A"),  # a synonym, and the forms sprain / sprained
        ("heart racing", "R00.0"),  # "Tachycardia, unspecified" is the code for tachycardia said alone
        ("epilepsy", "G40.909"),  # the default says what is absent: not intractable, without status epilepticus
        ("hernia", "K46.9"),  # without obstruction or gangrene, not K46.1 with gangrene
        ("alcoholism", "F10.20"),  # "uncomplicated", as "without complications"
        ("dizzy", "R42"),  # a word no title says is looked for by its root: dizziness
        ("burned finger", "T23.029A"),  # "burned" says 2 codes; its root, burn, says the finger's
        # a header's default is the code whose inclusion term is the header's title NOS
        ("pulmonary embolism", "I26.99"),  # 'Pulmonary embolism NOS', not I26.90 Septic pulmonary embolism
        ("flu", "J11.1"),  # 'Influenza NOS': the virus not identified
        # a title whose last clause says only what is not specified is the condition said alone
        ("pneumonia", "J18.9"),  # Pneumonia, unspecified organism, before J12.9 Viral pneumonia, unspecified
        ("sepsis", "A41.9"),  # Sepsis, unspecified organism
        # round 8 of the everyday words
        ("eye floaters", "H43.399"),  # H43.39's inclusion term 'Vitreous floaters' holds for the codes under it
        ("sore knee", "M25.569"),  # sore and aching are forms of pain: Pain in knee
        ("ringing ear", "H93.19"),  # the synonym "ringing in ears" said without "in", in the singular
        ("headaches every day", "R51.9"),  # the codes of the set knowing every word, not HCPCS's "day"
        ("sharp stomach pain", "R10.9"),  # no code says all three: those saying two, abdominal and pain
        ("rolled my ankle", "S93.409A"),  # round 9: "my" is a filler word, so the synonym "rolled ankle" holds
        # a long clause saying only what is unknown is the twin pregnancy said alone, not conjoined twins
        ("pregnant with twins", "O30.009"),
        # a partial match lacking only a common word first: not every "problem" or everything "off"
        ("gambling problem", "F63.0"),
        ("wandering off", "Z91.83"),
        ("std check", "Z11.3"),  # the synonym "std test": check, screening and test are said alike
        # no code says all three: the 2,001 codes saying burn or cooking hold those saying burn and finger
        ("burned finger cooking", "T23.029A"),
        # a typo within a word's first letters, where the vocabulary's prefixes cannot list the word
        ("pnemonia", "J18.9"),
        ("hipertension", "I10"),
        ("neumonia", "J18.9"),  # a first letter not heard: pneumonia
        ("soriasis", "L40.9"),
        ("ear infecion", "H66.90"),  # a typo inside the synonym "ear infection": otitis media
        ("shingels", "B02.9"),  # a word only the synonyms say ("shingles": zoster), misspelled
        ("nosebleed after fall", "R04.0"),  # "after" joins: not Y21 Drowning "after fall"
        ("high blod pressure", "I10"),  # a four-letter typo read as the synonyms' word: a phrase
        ("hart burn", "R12"),
        ("heart atta", "I21.9"),  # typed on: the synonym "heart attack"
        ("toenail fungas", "B35.1"),  # the synonym "toenail fungus": tinea unguium
        # titled exactly by the words as typed, before what the synonym makes of them
        ("heartburn", "R12"),  # not K21 Gastro-esophageal reflux disease
        ("sleep apnea", "G47.30"),  # not G47.33 Obstructive sleep apnea
        ("gonorrhea", "A54.9"),  # not O98.2 Gonorrhea complicating pregnancy, the titles saying it
        ("diabetes mellitus", "E11.9"),  # not the section E08-E13 titled "Diabetes mellitus"
        ("preeclampsia", "O14.90"),  # the tabular writes "Pre-eclampsia"
        ("gonorrhea in pregnancy", "O98.219"),
        # a typo whose first letters list only its near spellings is read as the nearest, the
        # condition said alone: not G43.B1 Ophthalmoplegic migraine, M87 Osteonecrosis, E15
        ("migrane", "G43.909"),
        ("hypertention", "I10"),
        ("osteoperosis", "M81.0"),
        ("arthritus", "M19.90"),
        ("bronkitis", "J40"),  # two letters off in a long word that keeps its ending
        ("hypoglycemea", "E16.2"),
        # another word made from a term, not read as it: "grease", "wheely"
        ("greasy stools", "R19.5"),
        ("wheezy", "R06.2"),
        # a typo sounding as the word, more than a letter from it
        ("diarea", "R19.7"),
        ("hemroids", "K64.9"),
        ("seizer", "R56.9"),
        ("numonia", "J18.9"),  # and its first sound written "pn"
        ("bladder infecshun", "N39.0"),  # read as "infection", it makes the synonym "bladder infection"
        ("brain anurism", "I67.1"),
        # a word whose first letters list only a near spelling two letters off (melena), read as the
        # spelling items' word one letter off; not a word whose root they list ("tripped", tripping)
        ("melenoma", "C43.9"),
        ("tripped over rug", "W01.0XXA"),
        # chart shorthand (content/codes/synonyms.yaml, rounds 38 and 39 of queries_lay.yaml)
        ("pna", "J18.9"),
        ("ams", "R41.82"),
        ("dm2 w/o complications", "E11.9"),  # not E11.8 with unspecified complications
        ("bka left", "Z89.512"),
        ("sah", "I60.9"),
        ("hx of falls", "Z91.81"),
        ("prostate enlargement", "N40.0"),
        # a query naming a special context ranks its codes with the general ones, by their words
        ("gestational diabetes", "O24.419"),  # not Z86.32 Personal history of gestational diabetes
        # I22 Subsequent STEMI is a special context (Official Guidelines I.C.9.e.4), and "of
        # unspecified site" says nothing: I21.3 is the STEMI said alone
        ("stemi", "I21.3"),
        ("subsequent stemi", "I22.9"),
        # "sequelae" is the plural of "sequela"; I69.3's default is its own unspecified sequelae, not
        # I69.359 Hemiplegia ... affecting unspecified side, whose title does not say sequelae
        ("sequela of stroke", "I69.30"),
        # chart shorthand of procedures done and results (round 40 of queries_lay.yaml)
        ("tka right", "Z96.651"),
        ("plt low", "D69.6"),
        # what a visit is about (round 41 of queries_lay.yaml)
        ("breech baby", "O32.1XX0"),
        ("trouble swallowing after stroke", "I69.391"),
        # injuries and drugs (round 42): a pedestrian on foot, not the car's occupant (V40)
        ("hit by a car", "V03.90XA"),
        ("allergic to sulfa", "Z88.2"),
    ],
)
def test_first_result_a_coder_expects(full_store, typed, first):
    assert search(LivePointer(full_store).view(), typed).hits[0].code == first


def test_a_typo_is_read_by_sound_only_as_typed(full_store):
    # "sirosis" written "psirosis" would sound as psoriasis; the word meant is cirrhosis, of another letter
    assert search(LivePointer(full_store).view(), "sirosis").hits == []


def test_a_section_titled_by_the_words_does_not_come_before_the_codes(full_store):
    hits = search(LivePointer(full_store).view(), "hernia").hits
    assert hits[0].code == "K46.9"
    assert "K40-K46" not in [hit.code for hit in hits[:5]]


def test_a_query_naming_its_context_ranks_that_contexts_codes_by_their_words(full_store):
    # No title is exactly "hypertension pregnancy": the codes having both words are walked, and the
    # pregnancy codes are no longer put after the section O10-O16 that the words also title
    first = search(LivePointer(full_store).view(), "hypertension in pregnancy").hits[0]
    assert first.billable and first.code.startswith("O1")


def test_with_is_not_counted_among_the_words_a_partial_match_has(full_store):
    # No code says "pregnant", "with" and "twins": the twin pregnancy codes, not a pregnancy "with" anything
    hits = search(LivePointer(full_store).view(), "pregnant with twins").hits
    assert all(hit.code.startswith("O30.0") for hit in hits[:4])


def test_a_synonym_of_icd10cm_titles_leaves_the_hcpcs_words_as_typed(full_store):
    view = LivePointer(full_store).view()
    screening = [(hit.system, hit.code) for hit in search(view, "prostate cancer screening", limit=5).hits]
    assert screening[0] == (CodeSystem.HCPCS, "G0102") and (CodeSystem.ICD10CM, "Z12.5") in screening
    pap = [(hit.system, hit.code) for hit in search(view, "pap smear", limit=5).hits]
    assert (CodeSystem.HCPCS, "Q0091") in pap and (CodeSystem.ICD10CM, "Z12.4") in pap


def test_an_acronym_is_not_stemmed_as_a_plural(full_store):
    found = search(LivePointer(full_store).view(), "SARS")
    assert found.interpreted_as == ["sars"] and all("SARS" in hit.title for hit in found.hits[:2])


def test_a_word_that_matches_nothing_does_not_empty_the_answer_and_is_named(full_store):
    view = LivePointer(full_store).view()
    found = search(view, "pneumonia bronchial xyzzy")
    assert found.hits[0].code == "J18.0" and found.not_used == ["xyzzy"]
    covid = search(view, "Infection, infected, infective COVID-19")
    assert "U07.1" in [hit.code for hit in covid.hits[:5]] and covid.not_used
    assert search(view, "COVID-19").not_used == []


def test_later_encounters_and_sequelae_come_after_the_initial_encounter(full_store):
    found = search(LivePointer(full_store).view(), "fracture of lower end of radius", billable=True, limit=10)
    assert all(hit.code.endswith(("A", "B", "C")) for hit in found.hits)


@pytest.fixture(scope="session")
def indexed_store(full_store, tmp_path_factory):
    """The full store copied, with the shared corpus's index tables imported (what `codedesk serve`
    loads by default)."""
    import sqlite3

    from codedesk.codes.index_tables import import_index_files

    files = sorted(settings.SHARED_INDEX_FILES.glob("*.xml"))
    if not files:
        pytest.skip(f"ICD-10-CM index files not found in {settings.SHARED_INDEX_FILES}")
    copy = tmp_path_factory.mktemp("indexed") / "codes.db"
    with sqlite3.connect(full_store.path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    store = SqliteTable(copy)
    import_index_files(store, files)
    return store


@pytest.mark.parametrize(
    ("typed", "first", "route"),
    [
        ("aspirin, adverse effect", "T39.015", ["Aspirin", "Adverse effect", "T39.015"]),
        ("aspirin overdose", "T39.011", ["Aspirin", "Poisoning Accidental (unintentional)", "T39.011"]),
        ("Neoplasm, lung, malignant primary", "C34.9", ["Neoplasm, neoplastic", "lung", "Malignant Primary", "C34.9"]),
        ("Fall, down, ladder", "W11", ["Fall, falling", "down", "ladder", "W11"]),
        # "ovarian" says the table's "ovary" row (a form of the word), closer than its "tubo-ovarian" row
        ("ovarian cancer", "C56", ["Neoplasm, neoplastic", "ovary", "Malignant Primary", "C56"]),
    ],
)
def test_a_search_the_index_answers_comes_first_with_its_route(indexed_store, typed, first, route):
    hit = search(LivePointer(indexed_store).view(), typed).hits[0]
    assert (hit.code, list(hit.index_path)) == (first, route)


def test_the_query_sets_keep_their_hit_rates_with_the_index_tables(indexed_store):
    view = LivePointer(indexed_store).view()
    # LAY grows by a round each time its held-out set is tuned, the later rounds tuned to 75-90 % (as far
    # as sourced synonyms go): its floor sits under the figure of the whole set (88.7 % of 2,778).
    sets = ((None, 1.0), (HOLDOUT, 0.95), (MORE, 0.95), (MORE_HOLDOUT, 0.8), (LAY, 0.88), (LAY_HOLDOUT, 0.4))
    for path, least in sets:
        queries = load_queries(path) if path else load_queries()
        hits = sum(
            query.hit([(h.system.value, h.code) for h in search(view, query.q, limit=5).hits]) for query in queries
        )
        assert hits / len(queries) >= least, path
    # A drug's name alone is not a poisoning: the drug's own codes, not the table's cells, first.
    assert search(view, "ketorolac").hits[0].system == "HCPCS"


def test_a_word_an_index_table_lists_is_not_read_as_a_typo(indexed_store):
    # No tabular title says "bleach" (one letter from "beach"); the Table of Drugs lists it.
    assert search(LivePointer(indexed_store).view(), "swallowed bleach").said_as == []


def test_the_table_of_drugs_browses_a_substance_by_column(indexed_store):
    answer = browse(LivePointer(indexed_store).view(), "drugs", "aspirin", limit=5)
    row = next(item for item in answer.items if item.path == ["Aspirin"])
    assert row.nonessential == "(aluminum) (soluble)"
    assert list((row.columns or {}).items()) == [
        ("Poisoning Accidental (unintentional)", "T39.011"),
        ("Poisoning Intentional self-harm", "T39.012"),
        ("Poisoning Assault", "T39.013"),
        ("Poisoning Undetermined", "T39.014"),
        ("Adverse effect", "T39.015"),
        ("Underdosing", "T39.016"),
    ]
    # A row without a code in one column keeps every other code under its own column.
    gapped = browse(LivePointer(indexed_store).view(), "neoplasms", "abdomen wall connective", limit=5).items[0]
    assert gapped.path[-1] == "connective tissue" and gapped.columns == {
        "Malignant Primary": "C49.4",
        "Malignant Secondary": "C79.8-",
        "Benign": "D21.4",
        "Uncertain Behavior": "D48.1",
        "Unspecified Behavior": "D49.2",
    }
    # The table's codes are checked against the release: a poisoning needs its 7th character.
    check = answer.codes["T39.011"]
    assert (check.status, "T39.011A" in check.choose_from) == ("header", True)
