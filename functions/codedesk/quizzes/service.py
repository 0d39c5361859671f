"""Taking quizzes: serving, scoring and keeping attempts, the supervisor's report and review-my-misses.

The service puts the rules (rules.py, scoring.py, leitner.py: what an attempt shows and changes)
and the records (records.py: items and store calls) together. A quiz attempt is training evidence
and a review attempt practice; rules.py says what each shows and how "answers seen" is kept.

Each submission is one transaction: the attempt (which must not exist yet, so a replayed
Idempotency-Key stores nothing twice) and, for a quiz attempt, the quiz's results (everyone's
standing and the per-question counts), and the learner record (review boxes, answers seen). The
last two carry a version and are written only if nobody changed them since they were read; a lost
race is retried.

Round trips: a quiz submission is a replay check (with a key), the quiz, one batch get and one
transaction; a page of the report is one query (the quiz list) and two batch gets, however many
quizzes and people it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from codedesk.content.view import ContentView
from codedesk.errors import Conflict, NotFound, Unavailable
from codedesk.quizzes import records
from codedesk.quizzes.leitner import ReviewCard, due_cards
from codedesk.quizzes.models import REVIEW_QUIZ_ID, Question
from codedesk.quizzes.rules import (
    PublishedQuiz,
    as_evidence,
    attempt_id_for,
    check_idempotency_key,
    counts_after,
    moved_cards,
    outcomes,
    report,
    request_hash,
    reveals_answers,
    seen_quizzes,
    standing_after,
)
from codedesk.quizzes.schemas import (
    Attempt,
    AttemptSummary,
    QuizReport,
    QuizSummary,
    ServedQuiz,
)
from codedesk.quizzes.scoring import AnswerProblem, AnswersInvalid, Scored, score_answers
from codedesk.quizzes.serving import opaque_question_id, serve_question
from codedesk.quizzes.standing import QuizStanding
from codedesk.staff import service as staff
from codedesk.store.port import Table, TransactionCanceled

REVIEW_TITLE = "Review my misses"
REVIEW_SIZE = 10
SUBMIT_TRIES = 4


class QuizNotFound(NotFound):
    def __init__(self, quiz_id: str):
        super().__init__(f"There is no quiz {quiz_id!r}; GET /api/quizzes lists them.")


class AttemptNotFound(NotFound):
    def __init__(self, attempt_id: str):
        super().__init__("There is no such attempt, or it is not yours to see.")


class IdempotencyKeyReused(Conflict):
    """The key was already used for a different submission."""

    def __init__(self, attempt_id: str):
        super().__init__(
            "This Idempotency-Key was already used for a different submission; send a new key for a new attempt."
        )


class StoreBusy(Unavailable):
    """Other submissions kept winning the race for the same records."""

    def __init__(self, attempt_id: str):
        super().__init__(
            "Many submissions arrived at once; send yours again (with the same Idempotency-Key) in a moment.",
            retry_after_seconds=1,
        )


@dataclass(frozen=True)
class Learner:
    user_id: str  # the token's sub
    name: str
    team: str  # the token's too: where the person's records are kept


# --------------------------------------------------------------------------- reading quizzes


def list_quizzes(view: ContentView, *, role: str | None = None, topic: str | None = None) -> list[QuizSummary]:
    return [
        s
        for s in records.quiz_summaries(view)
        if (role is None or role in s.roles) and (topic is None or topic in s.topics)
    ]


def load_quiz(view: ContentView, quiz_id: str) -> PublishedQuiz:
    quiz = records.read_quiz(view, quiz_id)
    if quiz is None:
        raise QuizNotFound(quiz_id)
    return quiz


def served_quiz(view: ContentView, quiz_id: str, user_id: str) -> ServedQuiz:
    quiz = load_quiz(view, quiz_id)
    return ServedQuiz(
        quiz_id=quiz.quiz_id,
        title=quiz.title,
        description=quiz.description,
        pass_mark=quiz.pass_mark,
        questions=[serve_question(quiz.quiz_id, user_id, question) for question in quiz.questions],
    )


# ------------------------------------------------------------------------------ attempts


def _replayed(table: Table, attempt_id: str, digest: str) -> Attempt | None:
    found = records.read_attempt(table, attempt_id)
    if found is None:
        return None
    attempt, stored_digest = found
    if stored_digest != digest:
        raise IdempotencyKeyReused(attempt_id)
    return attempt


def _new_attempt(
    attempt_id: str,
    kind: Literal["quiz", "review"],
    quiz: PublishedQuiz,
    learner: Learner,
    scored: Scored,
    now: datetime,
    *,
    answers_seen_before: bool = False,
) -> Attempt:
    return Attempt(
        attempt_id=attempt_id,
        kind=kind,
        quiz_id=quiz.quiz_id,
        quiz_title=quiz.title,
        user_id=learner.user_id,
        user_name=learner.name,
        team=learner.team,
        submitted_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        pass_mark=quiz.pass_mark,
        answers_seen_before=answers_seen_before,
        **scored.model_dump(exclude={"results"}),
        results=scored.results,
    )


def _store(table: Table, attempt_id: str, digest: str, idempotent: bool, write: Callable[[], Attempt]) -> Attempt:
    """Run the submission transaction, retrying lost races; the replayed attempt if one appears."""
    for _ in range(SUBMIT_TRIES):
        try:
            return write()
        except TransactionCanceled:
            if idempotent and (replay := _replayed(table, attempt_id, digest)) is not None:
                return replay
    raise StoreBusy(attempt_id)


def submit_attempt(
    table: Table,
    view: ContentView,
    *,
    quiz_id: str,
    learner: Learner,
    answers: dict[str, Any],
    idempotency_key: str | None,
    now: datetime,
) -> Attempt:
    """Score and keep one evidence attempt: unanswered questions show no answer, and the attempt says
    whether answers to this quiz had been shown to the person before. Raises QuizNotFound,
    AnswersInvalid (nothing stored), IdempotencyKeyReused."""
    idempotency_key = check_idempotency_key(idempotency_key)
    attempt_id = attempt_id_for(learner.user_id, idempotency_key)
    digest = request_hash(quiz_id, answers)
    if idempotency_key and (replay := _replayed(table, attempt_id, digest)) is not None:
        return replay
    quiz = load_quiz(view, quiz_id)
    scored = as_evidence(score_answers(quiz.quiz_id, learner.user_id, quiz.questions, answers, quiz.pass_mark))
    marked = outcomes(quiz.questions, {question.id: quiz.quiz_id for question in quiz.questions}, scored.results)

    def write() -> Attempt:
        results, learner_record = records.read_submission_records(table, learner.team, quiz.quiz_id, learner.user_id)
        attempt = _new_attempt(
            attempt_id,
            "quiz",
            quiz,
            learner,
            scored,
            now,
            answers_seen_before=quiz.quiz_id in learner_record.answers_seen,
        )
        people = {**results.people, learner.user_id: standing_after(results.people.get(learner.user_id), attempt)}
        revealed = [quiz.quiz_id] if reveals_answers(scored.results) else []
        table.transact_write(
            [
                records.attempt_put(attempt, digest),
                records.results_put(
                    learner.team, quiz.quiz_id, results, people, counts_after(results.questions, marked)
                ),
                records.learner_put(
                    learner.team,
                    learner.user_id,
                    learner_record,
                    moved_cards(learner_record.cards, marked, now.date()),
                    seen_quizzes(learner_record.answers_seen, revealed, attempt.submitted_at),
                ),
            ]
        )
        return attempt

    return _store(table, attempt_id, digest, bool(idempotency_key), write)


def list_attempts(
    table: Table, team: str, user_id: str, *, limit: int, cursor: str | None
) -> tuple[list[AttemptSummary], str | None]:
    """A person's attempts under their team, newest first. A cursor this list did not give out raises
    BadCursor (400, naming `cursor`)."""
    return records.attempts_page(table, team, user_id, limit=limit, cursor=cursor)


def get_attempt(
    table: Table, attempt_id: str, *, viewer_id: str, viewer_is_supervisor: bool, viewer_teams: Sequence[str]
) -> Attempt:
    """The owner or a supervisor of the owner's team sees it; to anyone else it does not exist."""
    found = records.read_attempt(table, attempt_id)
    if found is None:
        raise AttemptNotFound(attempt_id)
    attempt = found[0]
    owner = attempt.user_id == viewer_id and attempt.team in viewer_teams
    if not (owner or (viewer_is_supervisor and attempt.team in viewer_teams)):
        raise AttemptNotFound(attempt_id)
    return attempt


# ------------------------------------------------------------------------------ the report


def quiz_report(table: Table, view: ContentView, team: str, quiz_id: str) -> QuizReport:
    """One quiz in one team: each person's best and last result, who of the team has not started it,
    and how often each question is answered right."""
    quiz = load_quiz(view, quiz_id)
    summary = records.read_summary(view, quiz.quiz_id)
    results = records.read_results(table, team, [quiz.quiz_id])[quiz.quiz_id]
    people = staff.team_people(table, [team])
    return report(quiz, results.people, results.questions, roles=summary.roles if summary else [], team=people)


def quiz_reports(
    table: Table, view: ContentView, team: str, *, limit: int = 25, cursor: str | None = None
) -> tuple[list[QuizReport], str | None]:
    """A page of quizzes (in id order) with the team's reports, and the next page's cursor: four round
    trips whatever the number of quizzes or people (the team's directory is one query)."""
    summaries, next_cursor = records.quiz_summaries_page(view, limit, cursor)
    roles = {summary.quiz_id: summary.roles for summary in summaries}
    quizzes = records.read_quizzes(view, list(roles))
    published = [q for q in roles if q in quizzes]
    results = records.read_results(table, team, published)
    people = staff.team_people(table, [team])
    return [
        report(quizzes[q], results[q].people, results[q].questions, roles=roles[q], team=people) for q in published
    ], next_cursor


def standing_of(
    table: Table, view: ContentView, *, team: str, user_id: str, roles: Sequence[str]
) -> list[QuizStanding]:
    """One person's standing in each quiz of their roles: two round trips (the quiz list, the results)."""
    mine = [quiz for quiz in records.quiz_summaries(view) if set(quiz.roles) & set(roles)]
    results = records.read_results(table, team, [quiz.quiz_id for quiz in mine])
    standings = []
    for quiz in mine:
        person = results[quiz.quiz_id].people.get(user_id)
        status: Literal["not_started", "in_progress", "passed"] = (
            "not_started" if person is None else "passed" if person["passed"] else "in_progress"
        )
        standings.append(
            QuizStanding(
                quiz_id=quiz.quiz_id, title=quiz.title, status=status,
                best_percent=int(person["best_percent"]) if person else None,
                passed_at=(person or {}).get("passed_at"),
            )
        )  # fmt: skip
    return standings


# ----------------------------------------------------------------------- review my misses


def _review_questions(view: ContentView, cards: Sequence[ReviewCard]) -> dict[str, tuple[Question, str]]:
    """Question id → (question, quiz id) for the cards whose question is still published."""
    quizzes = records.read_quizzes(view, sorted({card.quiz_id for card in cards}))
    by_id = {q.id: (q, quiz.quiz_id) for quiz in quizzes.values() for q in quiz.questions}
    return {card.question_id: by_id[card.question_id] for card in cards if card.question_id in by_id}


def review_quiz(table: Table, view: ContentView, learner: Learner, today) -> ServedQuiz:
    cards = records.read_learner(table, learner.team, learner.user_id).cards
    questions = _review_questions(view, due_cards(cards.values(), today, REVIEW_SIZE))
    later = [card for card in cards.values() if card.due_on > today]
    return ServedQuiz(
        quiz_id=REVIEW_QUIZ_ID,
        title=REVIEW_TITLE,
        description="Questions you missed, when they are due. Right moves a question up a box and it comes "
        "back later; wrong puts it back in the first box.",
        pass_mark=100,
        questions=[
            serve_question(REVIEW_QUIZ_ID, learner.user_id, q).model_copy(update={"why": cards[qid].why})
            for qid, (q, _) in questions.items()
        ],
        due_later=len(later),
        next_due_on=min(card.due_on for card in later).isoformat() if later else None,
    )


def submit_review(
    table: Table,
    view: ContentView,
    *,
    learner: Learner,
    answers: dict[str, Any],
    idempotency_key: str | None,
    now: datetime,
) -> Attempt:
    """Mark the answered review questions (each must be one of the learner's misses) and move their boxes.
    Practice: every answer and explanation is shown, and the quizzes they come from count as seen."""
    idempotency_key = check_idempotency_key(idempotency_key)
    attempt_id = attempt_id_for(learner.user_id, idempotency_key)
    digest = request_hash(REVIEW_QUIZ_ID, answers)
    if idempotency_key and (replay := _replayed(table, attempt_id, digest)) is not None:
        return replay
    if not answers:
        raise AnswersInvalid([AnswerProblem("answers", "answer at least one question")])

    def write() -> Attempt:
        learner_record = records.read_learner(table, learner.team, learner.user_id)
        served_ids = {
            opaque_question_id(REVIEW_QUIZ_ID, learner.user_id, qid): card for qid, card in learner_record.cards.items()
        }
        tracked = _review_questions(view, [served_ids[qid] for qid in answers if qid in served_ids])
        questions = [question for question, _ in tracked.values()]
        scored = score_answers(REVIEW_QUIZ_ID, learner.user_id, questions, answers, pass_mark=100)
        attempt = _new_attempt(
            attempt_id, "review", PublishedQuiz(REVIEW_QUIZ_ID, REVIEW_TITLE, "", 100, questions), learner, scored, now
        )
        marked = outcomes(questions, {qid: quiz_id for qid, (_, quiz_id) in tracked.items()}, scored.results)
        revealed = [outcome.quiz_id for outcome in marked if outcome.revealed]
        table.transact_write(
            [
                records.attempt_put(attempt, digest),
                records.learner_put(
                    learner.team,
                    learner.user_id,
                    learner_record,
                    moved_cards(learner_record.cards, marked, now.date()),
                    seen_quizzes(learner_record.answers_seen, revealed, attempt.submitted_at),
                ),
            ]
        )
        return attempt

    return _store(table, attempt_id, digest, bool(idempotency_key), write)
