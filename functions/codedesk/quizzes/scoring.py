"""Scoring a submission on the server: check every answer's shape, then mark it.

A learner answers in the served form (opaque option ids, true/false, a typed code). A problem with
any answer rejects the whole submission, naming the field, so nothing half-scored is ever stored.
One point per question, all or nothing; an unanswered question scores nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from codedesk.errors import InvalidFields
from codedesk.quizzes.links import reference_links
from codedesk.quizzes.models import (
    ChoiceQuestion,
    CodeThisQuestion,
    Question,
    SingleChoiceQuestion,
    TrueFalseQuestion,
    normalise_code,
)
from codedesk.quizzes.serving import opaque_question_id, option_ids

MAX_TYPED_CODE = 20


@dataclass(frozen=True)
class AnswerProblem:
    field: str
    message: str


class AnswersInvalid(InvalidFields):
    def __init__(self, problems: list[AnswerProblem]):
        super().__init__(
            "The request is not valid: " + "; ".join(f"{p.field}: {p.message}" for p in problems),
            [{"field": p.field, "message": p.message} for p in problems],
        )
        self.problems = problems


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    href: str


class SourceNote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    reviewed_on: str


class QuestionResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: str  # the id the learner was served
    prompt: str
    correct: bool
    answered: bool
    given: Any = None  # as the learner sent it (served form)
    expected: Any  # in the same form: opaque option id(s), a boolean, or a code; null when withheld
    given_text: str | None = None
    expected_text: str | None  # null when withheld
    explanation: str | None  # null when withheld: it would give the answer away
    references: list[Link] = []
    sources: list[SourceNote] = []  # where the rule the question rests on comes from
    answer_withheld: bool = False  # an evidence attempt left this question unanswered (see rules.py)


class Scored(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int
    max_score: int
    percent: int
    passed: bool
    results: list[QuestionResult]


# -------------------------------------------------------------------------- answer shapes


def _choice(question: ChoiceQuestion, ids: dict[str, str], answer: Any, field: str) -> set[str]:
    """The authored option ids the learner picked; AnswersInvalid for a wrong shape or an unknown id."""
    if isinstance(question, SingleChoiceQuestion):
        if not isinstance(answer, str):
            raise _problem(field, "a single-choice answer is one option id (a string)")
        picked = [answer]
    else:
        if not isinstance(answer, list) or not all(isinstance(item, str) for item in answer):
            raise _problem(field, "a multiple-select answer is a list of option ids")
        if len(set(answer)) != len(answer):
            raise _problem(field, "an option is selected twice")
        picked = answer
    unknown = [item for item in picked if item not in ids]
    if unknown:
        raise _problem(field, f"{unknown[0]!r} is not one of this question's options")
    return {ids[item] for item in picked}


def _problem(field: str, message: str) -> AnswersInvalid:
    return AnswersInvalid([AnswerProblem(field, message)])


def _typed_code(answer: Any, field: str) -> str:
    if not isinstance(answer, str) or not answer.strip():
        raise _problem(field, 'a code answer is the code as text, for example "E11.9"')
    if len(answer) > MAX_TYPED_CODE:
        raise _problem(field, f"a code is at most {MAX_TYPED_CODE} characters")
    return answer


# --------------------------------------------------------------------------------- marking


def _mark(context: str, user_id: str, question: Question, answer: Any, field: str) -> QuestionResult:
    answered = answer is not None
    common: dict[str, Any] = {
        "question_id": opaque_question_id(context, user_id, question.id),
        "prompt": question.prompt,
        "answered": answered,
        "explanation": question.explanation,
        "references": [Link(**link) for link in reference_links(question.references)],
        "sources": [SourceNote(source=f.source, reviewed_on=f.reviewed_on.isoformat()) for f in question.facts],
    }
    if isinstance(question, ChoiceQuestion):
        ids = option_ids(context, user_id, question)
        texts = {option.id: option.text for option in question.options}
        right = set(question.correct_option_ids())
        picked = _choice(question, ids, answer, field) if answered else set()
        expected_opaque = [opaque for opaque, authored in ids.items() if authored in right]
        single = isinstance(question, SingleChoiceQuestion)
        return QuestionResult(
            **common,
            correct=answered and picked == right,
            given=answer,
            expected=expected_opaque[0] if single else expected_opaque,
            given_text="; ".join(texts[o] for o in ids.values() if o in picked) if answered else None,
            expected_text="; ".join(texts[o] for o in ids.values() if o in right),
        )
    if isinstance(question, TrueFalseQuestion):
        if answered and not isinstance(answer, bool):
            raise _problem(field, "a true/false answer is true or false (not a string)")
        return QuestionResult(
            **common,
            correct=answered and answer == question.answer,
            given=answer,
            expected=question.answer,
            given_text=None if not answered else ("True" if answer else "False"),
            expected_text="True" if question.answer else "False",
        )
    assert isinstance(question, CodeThisQuestion)
    typed = _typed_code(answer, field) if answered else None
    return QuestionResult(
        **common,
        correct=typed is not None and question.accepts(typed),
        given=typed,
        expected=question.accepted[0],
        given_text=normalise_code(typed) if typed else None,
        expected_text=" or ".join(question.accepted),
    )


def score_answers(
    context: str, user_id: str, questions: Sequence[Question], answers: dict[str, Any], pass_mark: int
) -> Scored:
    """Mark every question, in order; `answers` is keyed by the served (opaque) question ids.
    Raises AnswersInvalid naming each bad field, before anything is kept."""
    served = {opaque_question_id(context, user_id, question.id): question for question in questions}
    problems = [
        AnswerProblem(f"answers.{qid}", "no question with this id in this quiz") for qid in answers if qid not in served
    ]
    results = []
    for qid, question in served.items():
        try:
            results.append(_mark(context, user_id, question, answers.get(qid), f"answers.{qid}"))
        except AnswersInvalid as error:
            problems.extend(error.problems)
    if problems:
        raise AnswersInvalid(problems)
    score = sum(result.correct for result in results)
    percent = round(100 * score / len(results)) if results else 0
    passed = bool(results) and score * 100 >= pass_mark * len(results)  # exact, not the rounded percent
    return Scored(score=score, max_score=len(results), percent=percent, passed=passed, results=results)
