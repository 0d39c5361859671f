"""Questions generated from the other domains' content: deterministic, and held to the same rules."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from codedesk.quizzes.generate import (
    CodeSubject,
    DenialSubject,
    FilingSubject,
    ReleaseSubject,
    SourcedFact,
    Subjects,
    generate,
)

FACT = SourcedFact("A stated rule.", "42 CFR 424.44", date(2026, 11, 23))
DENIALS = [
    DenialSubject("16", "carc", "Claim is missing information or has billing errors"),
    DenialSubject("18", "carc", "Duplicate claim or service"),
    DenialSubject("29", "carc", "Timely filing limit expired"),
    DenialSubject("45", "carc", "Charge above the allowed amount"),
    DenialSubject("50", "carc", "Not medically necessary in the payer's view"),
    DenialSubject("N290", "rarc", "Missing or invalid rendering provider"),
]
SUBJECTS = Subjects(
    denials=DENIALS,
    codes=[
        CodeSubject("ICD10CM", "E11", "Type 2 diabetes mellitus", False),
        CodeSubject("ICD10CM", "E11.9", "Type 2 diabetes mellitus without complications", True),
        CodeSubject("HCPCS", "G0008", "Administration of influenza virus vaccine", True),
        CodeSubject("MODIFIER", "RT", "Right side", True),
        CodeSubject("POS", "02", "Telehealth Provided Other than in Patient's Home", True),
        CodeSubject("POS", "11", "Office", True),
        CodeSubject("POS", "12", "Home", True),
        CodeSubject("POS", "22", "On Campus-Outpatient Hospital", True),
    ],
    filing_limits=[FilingSubject("medicare", "Medicare Part B", "12 months from the date of service", 360, FACT)],
    releases=[
        ReleaseSubject("ICD10CM", "ICD-10-CM annual release", "October 1", FACT),
        ReleaseSubject("HCPCS", "HCPCS Level II quarterly update", "January 1, April 1, July 1 and October 1", FACT),
        ReleaseSubject("CPT", "CPT annual release", "January 1", FACT),
    ],
)


def dump(questions):
    return [question.model_dump(mode="json") for question in questions]


@pytest.mark.parametrize(
    "generator", ["denial_meaning", "code_billable", "code_system", "code_title", "payer_timely_filing", "release_date"]
)
def test_the_same_seed_gives_the_same_questions(generator):
    first = generate(generator, SUBJECTS, 2, seed=7)
    assert first, f"{generator} made no question from the test subjects"
    assert dump(first) == dump(generate(generator, SUBJECTS, 2, seed=7))


def test_another_seed_picks_other_subjects_but_ids_name_the_subject():
    picks = {tuple(q.id for q in generate("denial_meaning", SUBJECTS, 2, seed=seed)) for seed in range(12)}
    assert len(picks) > 1
    assert all(qid.startswith("gen-denial-") for ids in picks for qid in ids)
    by_seed = {q.id: q for seed in range(12) for q in generate("denial_meaning", SUBJECTS, 5, seed=seed)}
    assert by_seed["gen-denial-29"].prompt.endswith("What does it mean, in plain words?")


def test_denial_question_asks_one_card_with_other_cards_as_distractors():
    question = next(q for q in generate("denial_meaning", SUBJECTS, 5, seed=1) if q.id == "gen-denial-29")
    assert "29" in question.prompt
    right = [o.text for o in question.options if o.correct]
    wrong = [o.text for o in question.options if not o.correct]
    assert right == ["Timely filing limit expired"]
    carc_titles = {d.title for d in DENIALS if d.kind == "carc"}
    assert len(wrong) == 3 and set(wrong) <= carc_titles - {"Timely filing limit expired"}
    assert question.references[0].code == "29"


def test_a_remark_code_without_enough_other_remarks_is_not_asked():
    ids = {q.id for seed in range(10) for q in generate("denial_meaning", SUBJECTS, 6, seed=seed)}
    assert "gen-denial-n290" not in ids


def test_billable_question_follows_the_code_set():
    questions = {q.id: q for q in generate("code_billable", SUBJECTS, 5, seed=0)}
    assert questions["gen-billable-icd10cm-e11"].answer is False
    assert questions["gen-billable-icd10cm-e11-9"].answer is True


def test_timely_filing_question_states_its_source_and_avoids_near_equal_distractors():
    (question,) = generate("payer_timely_filing", SUBJECTS, 1, seed=0)
    assert question.regulatory and question.facts[0].source == "42 CFR 424.44"
    texts = [o.text for o in question.options]
    assert "12 months from the date of service" in texts
    assert texts.count("12 months from the date of service") == 1
    assert not {"365 days from the date of service", "1 year from the date of service"} & set(texts)


def test_release_question_answers_from_the_calendar():
    questions = {q.id: q for q in generate("release_date", SUBJECTS, 3, seed=0)}
    icd = questions["gen-release-icd-10-cm-annual-release"]
    assert [o.text for o in icd.options if o.correct] == ["October 1"]


def test_generated_questions_go_through_the_question_validator():
    bad = Subjects(codes=[CodeSubject("ICD10CM", "NOT A CODE", "x", True), CodeSubject("HCPCS", "G0008", "y", True)])
    with pytest.raises(ValidationError, match="is not a ICD10CM code"):
        generate("code_billable", bad, 1, seed=0)


def test_too_few_subjects_give_fewer_questions_not_a_crash():
    assert generate("denial_meaning", Subjects(denials=DENIALS[:2]), 3, seed=0) == []


def test_which_code_set_never_offers_a_code_set_whose_codes_look_the_same():
    questions = {q.id: q for seed in range(20) for q in generate("code_system", SUBJECTS, 8, seed=seed)}
    pos_22 = questions["gen-system-pos-22"]
    assert [o.text for o in pos_22.options if o.correct] == ["Place of service"]
    assert "A modifier" not in [o.text for o in pos_22.options]  # modifier 22 exists too
    assert "gen-system-cpt" not in " ".join(questions)  # CPT codes are never subjects


def test_code_title_question_uses_titles_of_the_same_code_set():
    questions = {q.id: q for seed in range(20) for q in generate("code_title", SUBJECTS, 8, seed=seed)}
    office = questions["gen-title-pos-11"]
    assert office.prompt == "What does place of service code 11 stand for?"
    assert [o.text for o in office.options if o.correct] == ["Office"]
    pos_titles = {c.title for c in SUBJECTS.codes if c.system == "POS"}
    assert {o.text for o in office.options} <= pos_titles
    assert not any(qid.startswith("gen-title-hcpcs") for qid in questions)  # one HCPCS code: no distractors
