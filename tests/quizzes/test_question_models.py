"""The question bank's rules, as a content editor meets them."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from codedesk.quizzes.models import Question, Quiz, normalise_code

QUESTION = TypeAdapter(Question)


def single(**changes):
    question = {
        "id": "q-one",
        "type": "single_choice",
        "prompt": "Which code set describes diagnoses?",
        "explanation": "ICD-10-CM describes diagnoses.",
        "topic": "code-sets",
        "roles": ["coder"],
        "options": [
            {"id": "a", "text": "ICD-10-CM", "correct": True},
            {"id": "b", "text": "HCPCS Level II"},
        ],
    }
    return {**question, **changes}


def problem_of(data) -> str:
    with pytest.raises(ValidationError) as caught:
        QUESTION.validate_python(data)
    return str(caught.value)


def test_a_valid_single_choice_question_loads():
    question = QUESTION.validate_python(single())
    assert question.correct_option_ids() == ["a"]


def test_single_choice_needs_exactly_one_correct_option():
    options = [{"id": "a", "text": "One", "correct": True}, {"id": "b", "text": "Two", "correct": True}]
    assert "exactly one correct option" in problem_of(single(options=options))


def test_multiple_select_needs_a_wrong_option_too():
    options = [{"id": x, "text": x.upper(), "correct": True} for x in "abc"]
    assert "at least one correct and one wrong" in problem_of(single(type="multiple_select", options=options))


def test_options_with_the_same_text_are_refused():
    options = [{"id": "a", "text": "Same", "correct": True}, {"id": "b", "text": "same "}]
    assert "same text" in problem_of(single(options=options))


def test_unknown_fields_are_refused():
    assert "Extra inputs are not permitted" in problem_of(single(answer_hint="a"))


def test_a_regulatory_question_must_carry_its_source():
    assert "needs at least one fact" in problem_of(single(regulatory=True))
    sourced = single(
        regulatory=True,
        facts=[
            {
                "statement": "HIPAA adopts ICD-10-CM for diagnoses.",
                "source": "45 CFR 162.1002",
                "reviewed_on": "2026-11-23",
            }
        ],
    )
    assert QUESTION.validate_python(sourced).facts[0].source == "45 CFR 162.1002"


def test_a_fact_can_be_marked_for_verification():
    question = QUESTION.validate_python(
        single(
            regulatory=True,
            facts=[
                {
                    "statement": "A statement we still check.",
                    "source": "somewhere",
                    "reviewed_on": "2026-11-23",
                    "verify": True,
                }
            ],
        )
    )
    assert question.needs_verification


@pytest.mark.parametrize(
    "changes",
    [
        {"prompt": "What kind of service does 99213 report?"},
        {"explanation": "Report it with 0042T when the service is new."},
        {"references": [{"kind": "code", "system": "CPT", "code": "99213"}]},
        {"references": [{"kind": "code", "system": "MODIFIER", "code": "25"}]},
    ],
)
def test_naming_a_cpt_code_or_level_one_modifier_requires_the_own_words_mark(changes):
    assert "cpt_in_own_words" in problem_of(single(**changes))
    assert QUESTION.validate_python(single(**changes, cpt_in_own_words=True))


def test_hcpcs_level_two_modifiers_and_icd_codes_need_no_mark():
    question = single(
        references=[
            {"kind": "code", "system": "MODIFIER", "code": "RT"},
            {"kind": "code", "system": "ICD10CM", "code": "E11.9"},
        ]
    )
    assert QUESTION.validate_python(question)


def code_this(**changes):
    return {
        "id": "q-code",
        "type": "code_this",
        "prompt": "Type 2 diabetes without complications: which code?",
        "explanation": "E11.9 is type 2 diabetes without complications.",
        "topic": "icd-10-cm",
        "roles": ["coder"],
        "system": "ICD10CM",
        "accepted": ["E11.9"],
        **changes,
    }


@pytest.mark.parametrize("typed", ["E11.9", "e119", " e 11.9 ", "E11.9\n"])
def test_code_answers_ignore_case_dots_and_spaces(typed):
    assert QUESTION.validate_python(code_this()).accepts(typed)


def test_a_wrong_code_is_not_accepted():
    assert not QUESTION.validate_python(code_this()).accepts("E11.8")


def test_several_accepted_answers_are_allowed_but_not_duplicates():
    assert QUESTION.validate_python(code_this(accepted=["E11.9", "E11.65"])).accepts("e1165")
    assert "same code" in problem_of(code_this(accepted=["E11.9", "e119"]))


def test_an_accepted_code_must_have_its_code_set_shape():
    assert "is not a ICD10CM code" in problem_of(code_this(accepted=["E1"]))
    assert "is not a HCPCS code" in problem_of(code_this(system="HCPCS", accepted=["E11.9"]))


def test_a_cpt_answer_needs_the_own_words_mark():
    cpt = code_this(system="CPT", accepted=["99213"], explanation="Our own words about an office visit code.")
    assert "cpt_in_own_words" in problem_of(cpt)


def test_normalise_code():
    assert normalise_code(" t15.01 xa ") == "T1501XA"


def test_denial_references_read_like_a_remit():
    question = QUESTION.validate_python(single(references=[{"kind": "denial", "code": "co-29"}]))
    assert question.references[0].card_code() == "29"
    assert "not a denial code" in problem_of(single(references=[{"kind": "denial", "code": "XYZ-1"}]))


def test_a_quiz_needs_questions_and_a_pass_mark_in_range():
    base = {"id": "q", "title": "Quiz", "description": "A quiz for testing.", "roles": ["coder"], "pass_mark": 80}
    with pytest.raises(ValidationError, match="needs authored questions"):
        Quiz.model_validate(base)
    with pytest.raises(ValidationError, match="less than or equal to 100"):
        Quiz.model_validate({**base, "questions": ["a"], "pass_mark": 120})
    with pytest.raises(ValidationError, match="listed twice"):
        Quiz.model_validate({**base, "questions": ["a", "a"]})


def test_no_quiz_may_take_the_review_practice_id():
    base = {
        "title": "Quiz",
        "description": "A quiz for testing.",
        "roles": ["coder"],
        "pass_mark": 80,
        "questions": ["a"],
    }
    with pytest.raises(ValidationError, match="review-my-misses"):
        Quiz.model_validate({**base, "id": "misses"})
