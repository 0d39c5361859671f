"""What a learner sees carries no answer; what they send is checked and marked on the server."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from pydantic import TypeAdapter

from codedesk.quizzes.links import reference_link
from codedesk.quizzes.models import DenialReference, GuideReference, PayerReference, Question
from codedesk.quizzes.scoring import AnswersInvalid, score_answers
from codedesk.quizzes.serving import opaque_question_id, serve_question

QUESTION = TypeAdapter(Question)


def choice(correct: str = "b", order: str = "abcd", kind: str = "single_choice"):
    texts = {"a": "ICD-10-PCS", "b": "ICD-10-CM", "c": "CPT", "d": "HCPCS Level II"}
    return QUESTION.validate_python(
        {
            "id": "which-set",
            "type": kind,
            "prompt": "Which code set describes diagnoses?",
            "explanation": "ICD-10-CM describes diagnoses; the others describe procedures and supplies.",
            "topic": "code-sets",
            "roles": ["coder"],
            "references": [{"kind": "guide", "guide": "coder", "section": "the-code-sets"}],
            "options": [{"id": o, "text": texts[o], "correct": o in correct} for o in order],
        }
    )


TRUE_FALSE = QUESTION.validate_python(
    {
        "id": "excludes2",
        "type": "true_false",
        "prompt": "True or false: Excludes2 allows both codes.",
        "explanation": "Both may be coded when both are present.",
        "topic": "icd-10-cm",
        "roles": ["coder"],
        "answer": True,
    }
)
CODE = QUESTION.validate_python(
    {
        "id": "dm2",
        "type": "code_this",
        "prompt": "Type 2 diabetes without complications: type the code.",
        "explanation": "E11.9 is type 2 diabetes mellitus without complications.",
        "topic": "icd-10-cm",
        "roles": ["coder"],
        "system": "ICD10CM",
        "accepted": ["E11.9"],
        "references": [{"kind": "code", "system": "ICD10CM", "code": "E11.9"}],
    }
)


def served_json(question, user="user-1") -> str:
    return serve_question("coder", user, question).model_dump_json()


# ------------------------------------------------------------------------ nothing leaks


def test_served_question_has_no_answer_explanation_or_references():
    served = json.loads(served_json(choice()))
    assert set(served) == {"id", "type", "prompt", "topic", "options", "system", "cpt_in_own_words", "why"}
    assert all(set(option) == {"id", "text"} for option in served["options"])
    text = served_json(choice()) + served_json(TRUE_FALSE) + served_json(CODE)
    for secret in ("correct", "explanation", "E11.9", "answer", "accepted", "references", "the-code-sets"):
        assert secret not in text


def test_an_authored_question_id_that_gives_the_answer_away_is_not_served():
    telling = TRUE_FALSE.model_copy(update={"id": "excludes2-both-allowed"})
    served = serve_question("coder", "user-1", telling)
    assert served.id.startswith("q") and "allowed" not in served.model_dump_json()


@pytest.mark.parametrize("correct", ["a", "b", "c", "d"])
@pytest.mark.parametrize("order", ["abcd", "dcba", "cadb"])
def test_which_option_is_right_and_where_the_author_put_it_change_nothing_served(correct, order):
    """The served form is a function of the option texts alone: it cannot carry the answer."""
    assert served_json(choice(correct, order)) == served_json(choice("b", "abcd"))


def test_served_option_ids_are_opaque_and_stable_per_learner():
    ids = [o.id for o in serve_question("coder", "user-1", choice()).options]
    assert all(i.startswith("o") and len(i) == 13 for i in ids)
    assert not {"a", "b", "c", "d"} & set(ids)
    assert ids == [o.id for o in serve_question("coder", "user-1", choice()).options]
    assert ids != [o.id for o in serve_question("coder", "user-2", choice()).options]


def test_the_right_option_lands_in_every_position_across_learners():
    positions = Counter()
    for n in range(200):
        served = serve_question("coder", f"user-{n}", choice())
        positions[[o.text for o in served.options].index("ICD-10-CM")] += 1
    assert set(positions) == {0, 1, 2, 3} and min(positions.values()) > 20


# ------------------------------------------------------------------------------ scoring


def opaque_of(text, question=None, user="user-1"):
    question = question or choice()
    return next(o.id for o in serve_question("coder", user, question).options if o.text == text)


def served(question_id, user="user-1"):
    return opaque_question_id("coder", user, question_id)


def answered(**answers):
    return {served(qid.replace("_", "-")): answer for qid, answer in answers.items()}


def test_right_and_wrong_answers_are_marked_with_explanations_and_links():
    answers = answered(which_set=opaque_of("ICD-10-CM"), excludes2=False, dm2=" e11.9 ")
    scored = score_answers("coder", "user-1", [choice(), TRUE_FALSE, CODE], answers, pass_mark=60)
    assert (scored.score, scored.max_score, scored.percent, scored.passed) == (2, 3, 67, True)
    authored = {served(qid): qid for qid in ("which-set", "excludes2", "dm2")}
    by_id = {authored[r.question_id]: r for r in scored.results}
    assert by_id["which-set"].correct and by_id["which-set"].expected == opaque_of("ICD-10-CM")
    assert by_id["which-set"].expected_text == "ICD-10-CM"
    assert not by_id["excludes2"].correct and by_id["excludes2"].expected is True
    assert by_id["dm2"].correct and by_id["dm2"].given_text == "E119"
    assert by_id["dm2"].references[0].href == "/codes/?system=ICD10CM&code=E11.9"
    assert by_id["which-set"].references[0].href == "/guides/coder/#the-code-sets"
    assert all(r.explanation for r in scored.results)


def test_pass_mark_is_exact_not_rounded():
    questions = [choice(), TRUE_FALSE, CODE]
    two_of_three = answered(which_set=opaque_of("ICD-10-CM"), excludes2=True)
    assert not score_answers("coder", "user-1", questions, two_of_three, pass_mark=67).passed
    assert score_answers("coder", "user-1", questions, two_of_three, pass_mark=66).passed


def test_unanswered_questions_score_nothing():
    scored = score_answers("coder", "user-1", [choice(), TRUE_FALSE], {}, pass_mark=50)
    assert scored.score == 0 and not any(r.answered for r in scored.results)


def test_multiple_select_is_all_or_nothing():
    question = choice("bc", kind="multiple_select")
    both = [opaque_of("ICD-10-CM", question), opaque_of("CPT", question)]
    assert score_answers("coder", "user-1", [question], answered(which_set=both), 100).score == 1
    assert score_answers("coder", "user-1", [question], answered(which_set=both[:1]), 100).score == 0


def test_another_learners_option_id_is_not_an_answer():
    foreign = opaque_of("ICD-10-CM", user="user-2")
    message = f"answers.{served('which-set')}: .* is not one of this question's options"
    with pytest.raises(AnswersInvalid, match=message):
        score_answers("coder", "user-1", [choice()], answered(which_set=foreign), 50)


@pytest.mark.parametrize(
    ("question_id", "answer", "words"),
    [
        ("excludes2", "true", "true or false"),
        ("which-set", ["x"], "one option id"),
        ("dm2", 119, "code as text"),
        ("dm2", "E11.9" * 10, "at most"),
    ],
)
def test_a_wrong_answer_shape_names_the_field(question_id, answer, words):
    with pytest.raises(AnswersInvalid) as caught:
        score_answers("coder", "user-1", [choice(), TRUE_FALSE, CODE], {served(question_id): answer}, 50)
    (problem,) = caught.value.problems
    assert problem.field == f"answers.{served(question_id)}" and words in problem.message


@pytest.mark.parametrize("question_id", ["nope", "which-set"])  # an authored id is not a served one
def test_an_unknown_question_id_is_refused(question_id):
    with pytest.raises(AnswersInvalid) as caught:
        score_answers("coder", "user-1", [choice(), TRUE_FALSE, CODE], {question_id: True}, 50)
    (problem,) = caught.value.problems
    assert problem.field == f"answers.{question_id}" and "no question with this id" in problem.message


def test_references_link_to_the_pages_the_site_builds():
    assert reference_link(DenialReference(kind="denial", code="co-29"))["href"] == "/denials/carc/29/"
    assert reference_link(DenialReference(kind="denial", code="N290"))["href"] == "/denials/rarc/N290/"
    assert reference_link(DenialReference(kind="denial", code="PR"))["href"] == "/denials/groups/PR/"
    payer = PayerReference(kind="payer", payer_id="aetna-commercial")
    assert reference_link(payer)["href"] == "/payers/aetna-commercial/"


def test_a_guide_link_names_the_guide_and_section():
    link = reference_link(GuideReference(kind="guide", guide="receptionist", section="verifying-eligibility"))
    assert link == {
        "label": "Receptionist guide: verifying eligibility",
        "href": "/guides/receptionist/#verifying-eligibility",
    }
