"""The rules of quiz attempts, without the store: attempt ids, what an attempt may reveal, a person's
standing, the per-question counts and the report. Scoring itself is scoring.py; the review boxes
are leitner.py. records.py keeps the items; service.py puts the two together.

Training evidence and practice. A quiz attempt (`kind: "quiz"`) is training evidence: it goes into
the supervisor's report. So that a blank attempt cannot be used to read the answers and pass on
the next try, an evidence attempt shows the expected answer, its explanation and reference links
only for the questions the person answered; a question left unanswered comes back with
`expected: null`, `explanation: null` and `answer_withheld: true` (it still counts as missed, and
still comes back in "Review my misses"). Review my misses (`kind: "review"`) is practice: it shows
everything, answered or not, and never counts in the report.

Answers shown. Whenever an attempt shows the expected answer of a question the person did not get
right (an evidence attempt: a wrong answer; practice: a wrong or blank one), the person has seen
answers to that question's quiz from then on; the learner record keeps the moment per quiz. Every
later evidence attempt of that quiz carries `answers_seen_before: true`, and the report says, for
each person, whether their best and their last attempt came after answers were shown and whether
they ever passed before that.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from codedesk.quizzes.leitner import ReviewCard, after_answer
from codedesk.quizzes.models import Question
from codedesk.quizzes.schemas import Attempt, NotStarted, PersonResult, QuestionStat, QuizReport
from codedesk.quizzes.scoring import AnswerProblem, AnswersInvalid, QuestionResult, Scored
from codedesk.staff.models import Person, folded

MAX_IDEMPOTENCY_KEY = 128


@dataclass(frozen=True)
class PublishedQuiz:
    quiz_id: str
    title: str
    description: str
    pass_mark: int
    questions: list[Question]


# --------------------------------------------------------------------------- attempt ids


def attempt_id_for(user_id: str, idempotency_key: str | None) -> str:
    """The same user and key always name the same attempt; without a key, a fresh id."""
    if idempotency_key is None:
        return secrets.token_hex(12)
    return hashlib.sha256(f"{user_id}\x1f{idempotency_key}".encode()).hexdigest()[:24]


def check_idempotency_key(value: str | None) -> str | None:
    if value is None:
        return None
    if not 1 <= len(value) <= MAX_IDEMPOTENCY_KEY or not value.isprintable():
        raise AnswersInvalid([AnswerProblem("Idempotency-Key", f"use 1 to {MAX_IDEMPOTENCY_KEY} printable characters")])
    return value


def request_hash(quiz_id: str, answers: dict[str, Any]) -> str:
    """What a replayed Idempotency-Key must send again to get its attempt back."""
    canonical = json.dumps([quiz_id, answers], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:24]


# ----------------------------------------------------------------- what an attempt shows


def as_evidence(scored: Scored) -> Scored:
    """The results an evidence attempt shows: nothing of the answer to a question left unanswered."""
    return scored.model_copy(update={"results": [_withheld(r) if not r.answered else r for r in scored.results]})


def _withheld(result: QuestionResult) -> QuestionResult:
    return result.model_copy(
        update={"expected": None, "expected_text": None, "explanation": None, "references": [], "answer_withheld": True}
    )


def reveals_answers(results: Iterable[QuestionResult]) -> bool:
    """True when a result shows an expected answer the person did not give."""
    return any(not r.correct and not r.answer_withheld for r in results)


def seen_quizzes(current: dict[str, str], revealed_in: Iterable[str], when: str) -> dict[str, str]:
    """Quiz id → when answers to it were first shown to the person, after answers of `revealed_in` were."""
    seen = dict(current)
    for quiz_id in revealed_in:
        seen.setdefault(quiz_id, when)
    return seen


# ----------------------------------------------------------------------- review boxes


@dataclass(frozen=True)
class Outcome:
    """One marked question, by its authored id: what the boxes and the counters are kept by."""

    question_id: str
    quiz_id: str
    correct: bool
    revealed: bool  # the expected answer was shown to someone who did not give it


def outcomes(
    questions: Sequence[Question], quiz_of: dict[str, str], results: Sequence[QuestionResult]
) -> list[Outcome]:
    # score_answers marks the questions in order, so results line up with questions
    return [
        Outcome(q.id, quiz_of[q.id], r.correct, not r.correct and not r.answer_withheld)
        for q, r in zip(questions, results, strict=True)
    ]


def moved_cards(cards: dict[str, ReviewCard], marked: Sequence[Outcome], today: date) -> dict[str, ReviewCard]:
    moved = dict(cards)
    for outcome in marked:
        card = after_answer(
            moved.get(outcome.question_id),
            question_id=outcome.question_id,
            quiz_id=outcome.quiz_id,
            correct=outcome.correct,
            today=today,
        )
        if card is None:
            moved.pop(outcome.question_id, None)
        else:
            moved[outcome.question_id] = card
    return moved


# ---------------------------------------------------------------- a person's standing


def standing_after(current: dict[str, Any] | None, attempt: Attempt) -> dict[str, Any]:
    """A person's best and last result for a quiz after one more evidence attempt (PersonResult's fields)."""
    best = current if current and int(current["best_score"]) >= attempt.score else None  # a tie keeps the first
    seen = attempt.answers_seen_before
    return {
        "user_id": attempt.user_id,
        "name": attempt.user_name,
        "attempts": (int(current["attempts"]) if current else 0) + 1,
        "best_score": int(best["best_score"]) if best else attempt.score,
        "best_percent": int(best["best_percent"]) if best else attempt.percent,
        "best_answers_seen_before": bool(best.get("best_answers_seen_before")) if best else seen,
        "max_score": attempt.max_score,
        "passed": bool(current and current["passed"]) or attempt.passed,
        # The first pass: when a checklist item the quiz ticks was done.
        "passed_at": (current or {}).get("passed_at") or (attempt.submitted_at if attempt.passed else None),
        "passed_before_answers_seen": bool(current and current.get("passed_before_answers_seen"))
        or (attempt.passed and not seen),
        "last_attempt_id": attempt.attempt_id,
        "last_submitted_at": attempt.submitted_at,
        "last_score": attempt.score,
        "last_passed": attempt.passed,
        "last_answers_seen_before": seen,
    }


def counts_after(current: dict[str, Any], marked: Sequence[Outcome]) -> dict[str, dict[str, int]]:
    """Per question: how often it was asked in evidence attempts, and answered right."""
    counts = {qid: {"seen": int(value["seen"]), "correct": int(value["correct"])} for qid, value in current.items()}
    for outcome in marked:
        count = counts.setdefault(outcome.question_id, {"seen": 0, "correct": 0})
        count["seen"] += 1
        count["correct"] += int(outcome.correct)
    return counts


# ------------------------------------------------------------------------------ the report


def report(
    quiz: PublishedQuiz,
    people: dict[str, dict[str, Any]],
    counts: dict[str, dict[str, Any]],
    *,
    roles: Sequence[str],
    team: Sequence[Person],
) -> QuizReport:
    """Everyone's standing by name (the directory's name when the person is in it), the active people
    of the team in the quiz's roles (any role, for a quiz of none) who have not taken it, and the
    questions most often missed first."""
    directory = {person.user_id: person for person in team}
    standings = [
        PersonResult.model_validate(
            {k: v for k, v in person.items() if k in PersonResult.model_fields}
            | {"status": "passed" if person["passed"] else "in_progress"}
            | ({"name": directory[user_id].name} if user_id in directory else {})
        )
        for user_id, person in people.items()
    ]
    not_started = [
        NotStarted(user_id=person.user_id, name=person.name, roles=list(person.roles))
        for person in team
        if person.active and person.user_id not in people and (not roles or set(roles) & set(person.roles))
    ]
    stats = []
    for question in quiz.questions:
        count = counts.get(question.id)
        if count and int(count["seen"]):
            seen, correct = int(count["seen"]), int(count["correct"])
            stats.append(
                QuestionStat(
                    question_id=question.id,
                    prompt=question.prompt,
                    seen=seen,
                    correct=correct,
                    share_correct=round(correct / seen, 2),
                )
            )
    return QuizReport(
        quiz_id=quiz.quiz_id,
        title=quiz.title,
        pass_mark=quiz.pass_mark,
        roles=list(roles),
        people=sorted(standings, key=lambda p: (folded(p.name), p.user_id)),
        not_started=sorted(not_started, key=lambda p: (folded(p.name), p.user_id)),
        questions=sorted(stats, key=lambda s: (s.share_correct, s.question_id)),
    )
