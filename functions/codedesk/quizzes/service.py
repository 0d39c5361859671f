"""Taking quizzes: serving, scoring and keeping attempts, the supervisor's report and review-my-misses.

Plain Python over the table port (user data) and the content view (published quizzes). Each
submission is one transaction: the attempt (which must not exist yet, so a replayed
Idempotency-Key stores nothing twice), the person's best/last result for the quiz, the quiz's
per-question counts and the learner's Leitner boxes. The last three carry a version and are written
only if nobody changed them since they were read; a lost race is retried.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from codedesk.content.view import ContentView
from codedesk.quizzes.leitner import ReviewCard, after_answer, due_cards
from codedesk.quizzes.models import REVIEW_QUIZ_ID, Question
from codedesk.quizzes.items import (
    ATTEMPT_SK,
    ATTEMPTS_LISTED_UNDER,
    LEITNER_SK,
    QUESTION_STATS_SK,
    QUIZ_LIST_PK,
    QUIZ_SK,
    attempt_listing_sk,
    attempt_pk,
    quiz_pk,
    results_pk,
)
from codedesk.quizzes.schemas import (
    Attempt,
    AttemptSummary,
    PersonResult,
    QuestionStat,
    QuizReport,
    QuizSummary,
    ServedQuiz,
)
from codedesk.errors import Conflict, NotFound, Unavailable
from codedesk.quizzes.scoring import AnswerProblem, AnswersInvalid, Scored, score_answers
from codedesk.quizzes.serving import opaque_question_id, serve_question
from codedesk.store.keys import user_key
from codedesk.store.port import (
    Condition,
    Item,
    Put,
    Table,
    TransactionCanceled,
    attr_equals,
    item_absent,
    sk_begins_with,
)

QUESTIONS = TypeAdapter(list[Question])
REVIEW_TITLE = "Review my misses"
REVIEW_SIZE = 10
SUBMIT_TRIES = 4
MAX_IDEMPOTENCY_KEY = 128


class QuizNotFound(NotFound):
    def __init__(self, quiz_id: str):
        super().__init__(f"There is no quiz {quiz_id!r}; GET /api/quizzes lists them.")


class AttemptNotFound(NotFound):
    def __init__(self, attempt_id: str):
        super().__init__("There is no such attempt, or it is not yours to see.")


class IdempotencyKeyReused(Conflict):
    """The key was already used for a different submission."""

    def __init__(self, attempt_id: str):
        super().__init__("This Idempotency-Key was already used for a different submission; "
                         "send a new key for a new attempt.")


class StoreBusy(Unavailable):
    """Other submissions kept winning the race for the same records."""

    def __init__(self, attempt_id: str):
        super().__init__("Many submissions arrived at once; send yours again (with the same "
                         "Idempotency-Key) in a moment.", retry_after_seconds=1)


@dataclass(frozen=True)
class Learner:
    user_id: str  # the token's sub
    name: str


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


# --------------------------------------------------------------------------- reading quizzes


def list_quizzes(view: ContentView, *, role: str | None = None, topic: str | None = None) -> list[QuizSummary]:
    items = view.query(QUIZ_LIST_PK).items
    summaries = [QuizSummary.model_validate({k: v for k, v in item.items() if k not in ("PK", "SK")}) for item in items]
    return [s for s in summaries if (role is None or role in s.roles) and (topic is None or topic in s.topics)]


def _published(item: Item) -> PublishedQuiz:
    return PublishedQuiz(item["quiz_id"], item["title"], item["description"], int(item["pass_mark"]),
                         QUESTIONS.validate_python(item["questions"]))


def load_quiz(view: ContentView, quiz_id: str) -> PublishedQuiz:
    item = view.get(quiz_pk(quiz_id), QUIZ_SK)
    if item is None:
        raise QuizNotFound(quiz_id)
    return _published(item)


def served_quiz(view: ContentView, quiz_id: str, user_id: str) -> ServedQuiz:
    quiz = load_quiz(view, quiz_id)
    return ServedQuiz(
        quiz_id=quiz.quiz_id,
        title=quiz.title,
        description=quiz.description,
        pass_mark=quiz.pass_mark,
        questions=[serve_question(quiz.quiz_id, user_id, question) for question in quiz.questions],
    )


# --------------------------------------------------------------------------- versioned records


def _versioned_put(current: Item | None, item: Item) -> Put:
    """Write `item` only if the record is still as read (absent, or at the version read)."""
    version = int(current["version"]) if current else 0
    condition: Condition = attr_equals("version", version) if current else item_absent()
    return Put({**item, "version": version + 1}, condition)


def _cards_of(leitner: Item | None) -> dict[str, ReviewCard]:
    return {qid: ReviewCard.from_item(qid, data) for qid, data in ((leitner or {}).get("cards") or {}).items()}


def _leitner_put(learner: Learner, current: Item | None, cards: dict[str, ReviewCard]) -> Put:
    item = {"PK": user_key(learner.user_id), "SK": LEITNER_SK, "cards": {q: c.as_item() for q, c in cards.items()}}
    return _versioned_put(current, item)


@dataclass(frozen=True)
class Outcome:
    """One marked question, by its authored id: what the boxes and the counters are kept by."""

    question_id: str
    quiz_id: str
    correct: bool


def _outcomes(questions: Sequence[Question], quiz_of: dict[str, str], scored: Scored) -> list[Outcome]:
    # score_answers marks the questions in order, so results line up with questions
    return [Outcome(q.id, quiz_of[q.id], r.correct) for q, r in zip(questions, scored.results, strict=True)]


def _moved_cards(cards: dict[str, ReviewCard], outcomes: Sequence[Outcome], today) -> dict[str, ReviewCard]:
    moved = dict(cards)
    for outcome in outcomes:
        card = after_answer(moved.get(outcome.question_id), question_id=outcome.question_id,
                            quiz_id=outcome.quiz_id, correct=outcome.correct, today=today)
        if card is None:
            moved.pop(outcome.question_id, None)
        else:
            moved[outcome.question_id] = card
    return moved


def _person_put(current: Item | None, attempt: Attempt) -> Put:
    best = current if current and int(current["best_score"]) >= attempt.score else None
    item = {
        "PK": results_pk(attempt.quiz_id),
        "SK": user_key(attempt.user_id),
        "user_id": attempt.user_id,
        "name": attempt.user_name,
        "attempts": (int(current["attempts"]) if current else 0) + 1,
        "best_score": int(best["best_score"]) if best else attempt.score,
        "best_percent": int(best["best_percent"]) if best else attempt.percent,
        "max_score": attempt.max_score,
        "passed": bool(current and current["passed"]) or attempt.passed,
        "last_attempt_id": attempt.attempt_id,
        "last_submitted_at": attempt.submitted_at,
        "last_score": attempt.score,
        "last_passed": attempt.passed,
    }
    return _versioned_put(current, item)


def _question_stats_put(current: Item | None, quiz_id: str, outcomes: Sequence[Outcome]) -> Put:
    counts = {qid: dict(value) for qid, value in ((current or {}).get("questions") or {}).items()}
    for outcome in outcomes:
        count = counts.setdefault(outcome.question_id, {"seen": 0, "correct": 0})
        count["seen"] = int(count["seen"]) + 1
        count["correct"] = int(count["correct"]) + int(outcome.correct)
    return _versioned_put(current, {"PK": results_pk(quiz_id), "SK": QUESTION_STATS_SK, "questions": counts})


# ------------------------------------------------------------------------------ attempts


def _request_hash(quiz_id: str, answers: dict[str, Any]) -> str:
    canonical = json.dumps([quiz_id, answers], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:24]


def _attempt_item(attempt: Attempt, request_hash: str) -> Item:
    return {
        "PK": attempt_pk(attempt.attempt_id),
        "SK": ATTEMPT_SK,
        "GSI1PK": user_key(attempt.user_id),
        "GSI1SK": attempt_listing_sk(attempt.submitted_at, attempt.attempt_id),
        "request_hash": request_hash,
        **attempt.model_dump(mode="json"),
    }


def _attempt_of(item: Item) -> Attempt:
    return Attempt.model_validate({k: v for k, v in item.items() if k in Attempt.model_fields})


def _replayed(table: Table, attempt_id: str, request_hash: str) -> Attempt | None:
    item = table.get(attempt_pk(attempt_id), ATTEMPT_SK)
    if item is None:
        return None
    if item["request_hash"] != request_hash:
        raise IdempotencyKeyReused(attempt_id)
    return _attempt_of(item)


def _new_attempt(attempt_id: str, kind: str, quiz: PublishedQuiz, learner: Learner, scored: Scored,
                 now: datetime) -> Attempt:
    return Attempt(attempt_id=attempt_id, kind=kind, quiz_id=quiz.quiz_id, quiz_title=quiz.title,
                   user_id=learner.user_id, user_name=learner.name,
                   submitted_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"), pass_mark=quiz.pass_mark,
                   **scored.model_dump(exclude={"results"}), results=scored.results)


def _store(table: Table, attempt_id: str, request_hash: str, idempotent: bool, make_ops) -> Attempt | None:
    """Run the submission transaction, retrying lost races; the replayed attempt if one appears."""
    for _ in range(SUBMIT_TRIES):
        try:
            return make_ops()
        except TransactionCanceled:
            if idempotent and (replay := _replayed(table, attempt_id, request_hash)) is not None:
                return replay
    raise StoreBusy(attempt_id)


def submit_attempt(table: Table, view: ContentView, *, quiz_id: str, learner: Learner, answers: dict[str, Any],
                   idempotency_key: str | None, now: datetime) -> Attempt:
    """Score and keep one attempt. Raises QuizNotFound, AnswersInvalid (nothing stored), IdempotencyKeyReused."""
    idempotency_key = check_idempotency_key(idempotency_key)
    attempt_id = attempt_id_for(learner.user_id, idempotency_key)
    request_hash = _request_hash(quiz_id, answers)
    if idempotency_key and (replay := _replayed(table, attempt_id, request_hash)) is not None:
        return replay
    quiz = load_quiz(view, quiz_id)
    scored = score_answers(quiz.quiz_id, learner.user_id, quiz.questions, answers, quiz.pass_mark)
    attempt = _new_attempt(attempt_id, "quiz", quiz, learner, scored, now)
    outcomes = _outcomes(quiz.questions, {question.id: quiz.quiz_id for question in quiz.questions}, scored)

    def write() -> Attempt:
        person_key = (results_pk(quiz_id), user_key(learner.user_id))
        stats_key = (results_pk(quiz_id), QUESTION_STATS_SK)
        leitner_key = (user_key(learner.user_id), LEITNER_SK)
        found = {(i["PK"], i["SK"]): i for i in table.batch_get([person_key, stats_key, leitner_key])}
        leitner = found.get(leitner_key)
        table.transact_write([
            Put(_attempt_item(attempt, request_hash), item_absent()),
            _person_put(found.get(person_key), attempt),
            _question_stats_put(found.get(stats_key), quiz_id, outcomes),
            _leitner_put(learner, leitner, _moved_cards(_cards_of(leitner), outcomes, now.date())),
        ])
        return attempt

    return _store(table, attempt_id, request_hash, bool(idempotency_key), write)


def list_attempts(
    table: Table, user_id: str, *, limit: int, cursor: str | None
) -> tuple[list[AttemptSummary], str | None]:
    """Newest first. A cursor this list did not give out raises BadCursor (400, naming `cursor`)."""
    page = table.query(user_key(user_id), sk=sk_begins_with(ATTEMPTS_LISTED_UNDER), index="GSI1",
                       limit=limit, cursor=cursor, descending=True)
    fields = AttemptSummary.model_fields
    return [AttemptSummary.model_validate({k: v for k, v in i.items() if k in fields}) for i in page.items], page.cursor


def get_attempt(table: Table, attempt_id: str, *, viewer_id: str, viewer_is_supervisor: bool) -> Attempt:
    """The owner or a supervisor sees it; to anyone else it does not exist."""
    item = table.get(attempt_pk(attempt_id), ATTEMPT_SK) if attempt_id.isalnum() else None
    if item is None or (item["user_id"] != viewer_id and not viewer_is_supervisor):
        raise AttemptNotFound(attempt_id)
    return _attempt_of(item)


# ------------------------------------------------------------------------------ the report


def _report(quiz: PublishedQuiz, records: Sequence[Item]) -> QuizReport:
    people = [PersonResult.model_validate({k: v for k, v in r.items() if k in PersonResult.model_fields})
              for r in records if r["SK"] != QUESTION_STATS_SK]
    counts = next((r.get("questions") or {} for r in records if r["SK"] == QUESTION_STATS_SK), {})
    stats = []
    for question in quiz.questions:
        count = counts.get(question.id)
        if count and int(count["seen"]):
            seen, correct = int(count["seen"]), int(count["correct"])
            stats.append(QuestionStat(question_id=question.id, prompt=question.prompt, seen=seen, correct=correct,
                                      share_correct=round(correct / seen, 2)))
    return QuizReport(quiz_id=quiz.quiz_id, title=quiz.title, pass_mark=quiz.pass_mark,
                      people=sorted(people, key=lambda p: p.name.lower()),
                      questions=sorted(stats, key=lambda s: (s.share_correct, s.question_id)))


def _all_records(table: Table, pk: str) -> list[Item]:
    records, cursor = [], None
    while True:
        page = table.query(pk, cursor=cursor)
        records.extend(page.items)
        if not (cursor := page.cursor):
            return records


def quiz_reports(table: Table, view: ContentView, *, quiz_id: str | None = None) -> list[QuizReport]:
    """Per quiz: each person's best and last result, and how often each question is answered right."""
    ids = [quiz_id] if quiz_id else [s.quiz_id for s in list_quizzes(view)]
    quizzes = {item["quiz_id"]: _published(item) for item in view.batch_get([(quiz_pk(q), QUIZ_SK) for q in ids])}
    if quiz_id and quiz_id not in quizzes:
        raise QuizNotFound(quiz_id)
    return [_report(quizzes[q], _all_records(table, results_pk(q))) for q in ids if q in quizzes]


# ----------------------------------------------------------------------- review my misses


def _review_questions(view: ContentView, cards: Sequence[ReviewCard]) -> dict[str, tuple[Question, str]]:
    """Question id → (question, quiz id) for the cards whose question is still published."""
    quiz_ids = sorted({card.quiz_id for card in cards})
    items = view.batch_get([(quiz_pk(q), QUIZ_SK) for q in quiz_ids]) if quiz_ids else []
    by_id = {q.id: (q, item["quiz_id"]) for item in items for q in _published(item).questions}
    return {card.question_id: by_id[card.question_id] for card in cards if card.question_id in by_id}


def review_quiz(table: Table, view: ContentView, learner: Learner, today) -> ServedQuiz:
    cards = _cards_of(table.get(user_key(learner.user_id), LEITNER_SK))
    questions = _review_questions(view, due_cards(cards.values(), today, REVIEW_SIZE))
    later = [card for card in cards.values() if card.due_on > today]
    return ServedQuiz(
        quiz_id=REVIEW_QUIZ_ID,
        title=REVIEW_TITLE,
        description="Questions you missed, when they are due. Right moves a question up a box and it comes "
                    "back later; wrong puts it back in the first box.",
        pass_mark=100,
        questions=[serve_question(REVIEW_QUIZ_ID, learner.user_id, q) for q, _ in questions.values()],
        due_later=len(later),
        next_due_on=min(card.due_on for card in later).isoformat() if later else None,
    )


def submit_review(table: Table, view: ContentView, *, learner: Learner, answers: dict[str, Any],
                  idempotency_key: str | None, now: datetime) -> Attempt:
    """Mark the answered review questions (each must be one of the learner's misses) and move their boxes."""
    idempotency_key = check_idempotency_key(idempotency_key)
    attempt_id = attempt_id_for(learner.user_id, idempotency_key)
    request_hash = _request_hash(REVIEW_QUIZ_ID, answers)
    if idempotency_key and (replay := _replayed(table, attempt_id, request_hash)) is not None:
        return replay
    if not answers:
        raise AnswersInvalid([AnswerProblem("answers", "answer at least one question")])

    def write() -> Attempt:
        leitner = table.get(user_key(learner.user_id), LEITNER_SK)
        cards = _cards_of(leitner)
        served_ids = {opaque_question_id(REVIEW_QUIZ_ID, learner.user_id, qid): card for qid, card in cards.items()}
        tracked = _review_questions(view, [served_ids[qid] for qid in answers if qid in served_ids])
        questions = [question for question, _ in tracked.values()]
        scored = score_answers(REVIEW_QUIZ_ID, learner.user_id, questions, answers, pass_mark=100)
        quiz = PublishedQuiz(REVIEW_QUIZ_ID, REVIEW_TITLE, "", 100, questions)
        attempt = _new_attempt(attempt_id, "review", quiz, learner, scored, now)
        outcomes = _outcomes(questions, {qid: quiz_id for qid, (_, quiz_id) in tracked.items()}, scored)
        table.transact_write([
            Put(_attempt_item(attempt, request_hash), item_absent()),
            _leitner_put(learner, leitner, _moved_cards(cards, outcomes, now.date())),
        ])
        return attempt

    return _store(table, attempt_id, request_hash, bool(idempotency_key), write)
