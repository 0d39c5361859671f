"""The quiz API's request and response bodies (API.md, Quizzes)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from codedesk.quizzes.scoring import QuestionResult
from codedesk.quizzes.serving import ServedQuestion

MAX_ANSWERS = 100  # more than any quiz has questions; bounds the work and the error message


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuizSummary(Out):
    quiz_id: str
    title: str
    description: str
    roles: list[str]
    topics: list[str]
    pass_mark: int
    question_count: int


class QuizList(Out):
    items: list[QuizSummary]
    next_cursor: str | None = None


class ServedQuiz(Out):
    """A quiz as a learner takes it: no answers, no explanations, opaque option ids."""

    quiz_id: str
    title: str
    description: str
    pass_mark: int
    questions: list[ServedQuestion]
    due_later: int = 0  # review my misses: questions waiting in higher boxes
    next_due_on: str | None = None


class AttemptRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: dict[Annotated[str, Field(max_length=64)], JsonValue] = Field(
        max_length=MAX_ANSWERS,
        description="served question id → answer: an option id, a list of option ids, true/false, or a code",
    )


class Attempt(Out):
    attempt_id: str
    kind: Literal["quiz", "review"]
    quiz_id: str
    quiz_title: str
    user_id: str
    user_name: str
    team: str
    submitted_at: str
    score: int
    max_score: int
    percent: int
    pass_mark: int
    passed: bool
    answers_seen_before: bool = False  # a quiz attempt made after answers to this quiz were shown to the person
    results: list[QuestionResult]


class AttemptSummary(Out):
    attempt_id: str
    kind: Literal["quiz", "review"]
    quiz_id: str
    quiz_title: str
    user_id: str
    submitted_at: str
    score: int
    max_score: int
    percent: int
    passed: bool
    answers_seen_before: bool = False


class AttemptList(Out):
    items: list[AttemptSummary]
    next_cursor: str | None = None


class PersonResult(Out):
    """One person's standing in one quiz, from their evidence attempts (quizzes/rules.py)."""

    user_id: str
    name: str
    attempts: int
    best_score: int
    best_percent: int
    best_answers_seen_before: bool = False  # the best attempt came after answers were shown
    max_score: int
    passed: bool  # passed at least once
    passed_at: str | None = None  # the first pass (for passes recorded before this was kept: unknown)
    passed_before_answers_seen: bool = False  # passed at least once before any answer was shown
    last_attempt_id: str
    last_submitted_at: str
    last_score: int
    last_passed: bool
    last_answers_seen_before: bool = False  # the last attempt came after answers were shown
    status: Literal["passed", "in_progress"] = "in_progress"  # passed once, or taken but not passed yet


class QuestionStat(Out):
    question_id: str
    prompt: str
    seen: int
    correct: int
    share_correct: float


class NotStarted(Out):
    """A person of the team, in one of the quiz's roles, who has not taken it."""

    user_id: str
    name: str
    roles: list[str]
    status: Literal["not_started"] = "not_started"


class QuizReport(Out):
    quiz_id: str
    title: str
    pass_mark: int
    roles: list[str] = []  # the roles the quiz is for
    people: list[PersonResult]  # everyone of the team who has taken it, by name
    not_started: list[NotStarted] = []  # active people of the team in the quiz's roles who have not, by name
    questions: list[QuestionStat]  # the most often missed first: the confusing ones


class QuizReports(Out):
    items: list[QuizReport]
    next_cursor: str | None = None
