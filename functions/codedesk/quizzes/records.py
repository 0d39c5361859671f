"""Where quizzes and attempts are kept: items and every store call of the quizzes domain.

Published quizzes are read through the content view. User data, directly in the table (keys in
items.py):

- an attempt: PK `ATTEMPT#<id>`, SK `ATTEMPT`; GSI1 `USER#<team>#<sub>` / `ATTEMPT#<submitted_at>#<id>`,
  so a person's attempts are one query, newest first; the item carries its `team`, which a reader
  by id must belong to;
- a quiz's results for a team (clinic): PK `RESULTS#<team>#<quiz_id>`, SK `REPORT` — every person's
  standing (`people`, by user id) and the per-question counts (`questions`), so the report of a page
  of quizzes is one batch get;
- the learner record: PK `USER#<team>#<sub>`, SK `LEITNER` — the review boxes (`cards`) and when
  answers to each quiz were first shown to the person (`answers_seen`).

The results and the learner record carry a version and are written only if nobody changed them
since they were read (the service retries a lost race). One results item holds a quiz's whole team:
at about 300 bytes a person, some 1,300 people fit in DynamoDB's 400 KB.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from codedesk.content.view import ContentView
from codedesk.quizzes.items import (
    ATTEMPT_SK,
    ATTEMPTS_LISTED_UNDER,
    LEITNER_SK,
    QUIZ_LIST_PK,
    QUIZ_SK,
    RESULTS_SK,
    attempt_listing_sk,
    attempt_pk,
    quiz_pk,
    results_pk,
)
from codedesk.quizzes.leitner import ReviewCard
from codedesk.quizzes.models import Question
from codedesk.quizzes.rules import PublishedQuiz
from codedesk.quizzes.schemas import Attempt, AttemptSummary, QuizSummary
from codedesk.store import cursors
from codedesk.store.keys import user_key
from codedesk.store.port import MAX_BATCH_GET, Condition, Item, Put, Table, attr_equals, item_absent, sk_begins_with

QUESTIONS = TypeAdapter(list[Question])
REPORT_CURSOR = "qr"  # a page of the quiz list, for the report


# --------------------------------------------------------------------------- published quizzes


def quiz_summaries(view: ContentView) -> list[QuizSummary]:
    return [_summary(item) for item in view.query(QUIZ_LIST_PK).items]


def _summary(item: Item) -> QuizSummary:
    return QuizSummary.model_validate({k: v for k, v in item.items() if k not in ("PK", "SK")})


def published(item: Item) -> PublishedQuiz:
    return PublishedQuiz(
        item["quiz_id"],
        item["title"],
        item["description"],
        int(item["pass_mark"]),
        QUESTIONS.validate_python(item["questions"]),
    )


def read_quiz(view: ContentView, quiz_id: str) -> PublishedQuiz | None:
    item = view.get(quiz_pk(quiz_id), QUIZ_SK)
    return published(item) if item is not None else None


def read_quizzes(view: ContentView, quiz_ids: list[str]) -> dict[str, PublishedQuiz]:
    """Quiz id → quiz, for those published: one batch get per 100 (the view splits)."""
    if not quiz_ids:
        return {}
    return {item["quiz_id"]: published(item) for item in view.batch_get([(quiz_pk(q), QUIZ_SK) for q in quiz_ids])}


def quiz_summaries_page(view: ContentView, limit: int, cursor: str | None) -> tuple[list[QuizSummary], str | None]:
    """A page of published quizzes' summaries, in id order, and the cursor of the next page (one query)."""
    inner = cursors.decode(REPORT_CURSOR, cursor) if cursor else None
    if inner is not None and not isinstance(inner, str):
        raise cursors.BadCursor()
    page = view.query(QUIZ_LIST_PK, limit=limit, cursor=inner)
    return [_summary(item) for item in page.items], cursors.encode(REPORT_CURSOR, page.cursor) if page.cursor else None


def read_summary(view: ContentView, quiz_id: str) -> QuizSummary | None:
    item = view.get(QUIZ_LIST_PK, quiz_id)
    return _summary(item) if item is not None else None


# ------------------------------------------------------------------------------ versions


def versioned_put(current: Item | None, item: Item) -> Put:
    """Write `item` only if the record is still as read (absent, or at the version read)."""
    version = int(current["version"]) if current else 0
    condition: Condition = attr_equals("version", version) if current else item_absent()
    return Put({**item, "version": version + 1}, condition)


# --------------------------------------------------------------------------- the learner


@dataclass(frozen=True)
class LearnerRecord:
    item: Item | None  # as read, for the versioned write
    cards: dict[str, ReviewCard]
    answers_seen: dict[str, str]  # quiz id → when answers to it were first shown to the person


def learner_key(team: str, user_id: str) -> tuple[str, str]:
    return user_key(team, user_id), LEITNER_SK


def learner_record(item: Item | None) -> LearnerRecord:
    cards = {qid: ReviewCard.from_item(qid, data) for qid, data in ((item or {}).get("cards") or {}).items()}
    return LearnerRecord(item, cards, dict((item or {}).get("answers_seen") or {}))


def read_learner(table: Table, team: str, user_id: str) -> LearnerRecord:
    return learner_record(table.get(*learner_key(team, user_id)))


def learner_put(
    team: str, user_id: str, read: LearnerRecord, cards: dict[str, ReviewCard], answers_seen: dict[str, str]
) -> Put:
    item = {
        "PK": user_key(team, user_id),
        "SK": LEITNER_SK,
        "cards": {q: c.as_item() for q, c in cards.items()},
        "answers_seen": answers_seen,
    }
    return versioned_put(read.item, item)


# --------------------------------------------------------------------------- the results


@dataclass(frozen=True)
class QuizResults:
    item: Item | None  # as read, for the versioned write
    people: dict[str, dict[str, Any]]  # user id → standing (PersonResult's fields)
    questions: dict[str, dict[str, Any]]  # authored question id → {"seen", "correct"}


def results_key(team: str, quiz_id: str) -> tuple[str, str]:
    return results_pk(team, quiz_id), RESULTS_SK


def quiz_results(item: Item | None) -> QuizResults:
    return QuizResults(item, dict((item or {}).get("people") or {}), dict((item or {}).get("questions") or {}))


def read_results(table: Table, team: str, quiz_ids: list[str]) -> dict[str, QuizResults]:
    """Quiz id → the team's results (empty when nobody has taken it): one batch get per 100 quizzes."""
    keys = [results_key(team, q) for q in quiz_ids]
    found: dict[str, Item] = {}
    for start in range(0, len(keys), MAX_BATCH_GET):
        found.update((item["PK"], item) for item in table.batch_get(keys[start : start + MAX_BATCH_GET]))
    return {q: quiz_results(found.get(results_pk(team, q))) for q in quiz_ids}


def results_put(
    team: str,
    quiz_id: str,
    read: QuizResults,
    people: dict[str, dict[str, Any]],
    questions: dict[str, dict[str, int]],
) -> Put:
    pk, sk = results_key(team, quiz_id)
    return versioned_put(read.item, {"PK": pk, "SK": sk, "people": people, "questions": questions})


def read_submission_records(table: Table, team: str, quiz_id: str, user_id: str) -> tuple[QuizResults, LearnerRecord]:
    """What one quiz submission changes, in one batch get."""
    wanted = [results_key(team, quiz_id), learner_key(team, user_id)]
    found = {(i["PK"], i["SK"]): i for i in table.batch_get(wanted)}
    return quiz_results(found.get(wanted[0])), learner_record(found.get(wanted[1]))


# ------------------------------------------------------------------------------ attempts


def attempt_put(attempt: Attempt, request_hash: str) -> Put:
    """The attempt, on condition that it does not exist: a replayed Idempotency-Key stores nothing twice."""
    item = {
        "PK": attempt_pk(attempt.attempt_id),
        "SK": ATTEMPT_SK,
        "GSI1PK": user_key(attempt.team, attempt.user_id),
        "GSI1SK": attempt_listing_sk(attempt.submitted_at, attempt.attempt_id),
        "request_hash": request_hash,
        **attempt.model_dump(mode="json"),
    }
    return Put(item, item_absent())


def attempt_of(item: Item) -> Attempt:
    return Attempt.model_validate({k: v for k, v in item.items() if k in Attempt.model_fields})


def read_attempt(table: Table, attempt_id: str) -> tuple[Attempt, str] | None:
    """The attempt and the hash of the request that made it."""
    item = table.get(attempt_pk(attempt_id), ATTEMPT_SK) if attempt_id.isalnum() else None
    return (attempt_of(item), item["request_hash"]) if item is not None else None


def attempts_page(
    table: Table, team: str, user_id: str, *, limit: int, cursor: str | None
) -> tuple[list[AttemptSummary], str | None]:
    """A person's attempts, newest first: one query on GSI1."""
    page = table.query(
        user_key(team, user_id),
        sk=sk_begins_with(ATTEMPTS_LISTED_UNDER),
        index="GSI1",
        limit=limit,
        cursor=cursor,
        descending=True,
    )
    fields = AttemptSummary.model_fields
    return [AttemptSummary.model_validate({k: v for k, v in i.items() if k in fields}) for i in page.items], page.cursor
