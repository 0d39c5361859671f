"""The quiz routes of API.md, called as API Gateway calls the Lambda function."""

from __future__ import annotations

import pytest

from codedesk.quizzes.api import handler
from tests.events import call
from tests.staff_support import in_directory


@pytest.fixture(autouse=True)
def store(api_store):
    in_directory(api_store, {"sub-ana": "receptionist", "sub-cole": "coder", "sub-ben": "biller"})
    return api_store


RECEPTIONIST = {"user": "sub-ana", "groups": ("receptionist",)}
CODER = {"user": "sub-cole", "groups": ("coder",)}
BILLER = {"user": "sub-ben", "groups": ("biller",)}
SUPERVISOR = {"user": "sub-sue", "groups": ("supervisor",)}


def answers_for(quiz: dict, *, pick: int = 0) -> dict:
    """An answer of the right shape for every question (not necessarily right)."""
    answers = {}
    for question in quiz["questions"]:
        if question["type"] == "single_choice":
            answers[question["id"]] = question["options"][pick]["id"]
        elif question["type"] == "multiple_select":
            answers[question["id"]] = [question["options"][pick]["id"]]
        elif question["type"] == "true_false":
            answers[question["id"]] = True
        else:
            answers[question["id"]] = "Z00.00"
    return answers


def take(quiz_id: str, who: dict, *, key: str | None = None, answers: dict | None = None):
    quiz = call(handler, "GET", f"/api/quizzes/{quiz_id}", **who).body
    headers = {"Idempotency-Key": key} if key else None
    body = {"answers": answers if answers is not None else answers_for(quiz)}
    return call(handler, "POST", f"/api/quizzes/{quiz_id}/attempts", body=body, headers=headers, **who)


def test_no_token_is_401():
    assert call(handler, "GET", "/api/quizzes").status == 401


def test_the_list_filters_by_role_and_topic():
    everything = call(handler, "GET", "/api/quizzes", **RECEPTIONIST)
    assert everything.status == 200 and len(everything.body["items"]) >= 6
    mine = call(handler, "GET", "/api/quizzes", query={"role": "receptionist"}, **RECEPTIONIST).body["items"]
    assert all("receptionist" in q["roles"] for q in mine) and "receptionist" in {q["quiz_id"] for q in mine}
    denials = call(handler, "GET", "/api/quizzes", query={"topic": "denials"}, **RECEPTIONIST).body["items"]
    assert "denials" in {q["quiz_id"] for q in denials}
    bad = call(handler, "GET", "/api/quizzes", query={"role": "astronaut"}, **RECEPTIONIST)
    assert bad.status == 422 and bad.body["error"]["details"][0]["field"] == "role"


def test_a_quiz_is_served_without_answers_or_explanations():
    reply = call(handler, "GET", "/api/quizzes/receptionist", **RECEPTIONIST)
    assert reply.status == 200
    text = str(reply.body)
    for secret in ("correct", "explanation", "accepted", "references", "facts", "'answer'"):
        assert secret not in text
    assert call(handler, "GET", "/api/quizzes/astrology", **RECEPTIONIST).status == 404


def test_taking_the_receptionist_quiz_shows_score_and_explanations_and_lists_the_attempt():
    reply = take("receptionist", RECEPTIONIST)
    assert reply.status == 201
    attempt = reply.body
    assert {"attempt_id", "score", "max_score", "passed", "results"} <= set(attempt)
    assert attempt["max_score"] == 10
    assert all({"question_id", "correct", "expected", "explanation"} <= set(r) for r in attempt["results"])
    mine = call(handler, "GET", "/api/attempts", **RECEPTIONIST).body
    assert [a["attempt_id"] for a in mine["items"]] == [attempt["attempt_id"]]


def test_the_same_idempotency_key_twice_stores_one_attempt_and_answers_the_same():
    first = take("receptionist", RECEPTIONIST, key="submit-1")
    second = take("receptionist", RECEPTIONIST, key="submit-1")
    assert first.status == second.status == 201
    assert first.body == second.body
    assert len(call(handler, "GET", "/api/attempts", **RECEPTIONIST).body["items"]) == 1


def test_the_same_key_with_other_answers_is_a_conflict():
    take("receptionist", RECEPTIONIST, key="submit-1")
    reply = take("receptionist", RECEPTIONIST, key="submit-1", answers={})
    assert reply.status == 409 and "Idempotency-Key" in reply.body["error"]["message"]


def served_id(quiz: dict, type_: str, nth: int = 0) -> str:
    return [q["id"] for q in quiz["questions"] if q["type"] == type_][nth]


@pytest.mark.parametrize(
    ("answer_for", "field"),
    [
        (lambda quiz: ("no-such-question", True), "answers.no-such-question"),
        (lambda quiz: ("fd-group-number-is-not-the-member", False), "answers.fd-group-number-is-not-the-member"),
        (lambda quiz: (served_id(quiz, "true_false"), "no"), "answers.{id}"),
        (lambda quiz: (served_id(quiz, "multiple_select"), "o123"), "answers.{id}"),
        (lambda quiz: (served_id(quiz, "single_choice"), ["o123"]), "answers.{id}"),
    ],
)
def test_bad_answers_are_422_naming_the_field_and_store_nothing(answer_for, field):
    quiz = call(handler, "GET", "/api/quizzes/receptionist", **RECEPTIONIST).body
    qid, answer = answer_for(quiz)
    field = field.format(id=qid)
    reply = take("receptionist", RECEPTIONIST, answers={qid: answer})
    assert reply.status == 422, reply.body
    assert field in [d["field"] for d in reply.body["error"]["details"]]
    assert field in reply.body["error"]["message"]
    assert call(handler, "GET", "/api/attempts", **RECEPTIONIST).body["items"] == []


def test_extra_fields_are_422_naming_the_field():
    reply = call(
        handler, "POST", "/api/quizzes/receptionist/attempts", body={"answers": {}, "score": 10}, **RECEPTIONIST
    )
    assert reply.status == 422 and reply.body["error"]["details"][0]["field"] == "score"
    assert call(handler, "GET", "/api/attempts", **RECEPTIONIST).body["items"] == []


def test_a_biller_cannot_read_a_coders_attempt_a_supervisor_can_and_sees_both_in_the_report():
    coder_attempt = take("coder", CODER).body
    take("biller", BILLER)
    assert call(handler, "GET", f"/api/attempts/{coder_attempt['attempt_id']}", **BILLER).status == 404
    assert call(handler, "GET", "/api/attempts", query={"user": "sub-cole"}, **BILLER).status == 403
    seen = call(handler, "GET", f"/api/attempts/{coder_attempt['attempt_id']}", **SUPERVISOR)
    assert seen.status == 200 and seen.body["results"] == coder_attempt["results"]
    listed = call(handler, "GET", "/api/attempts", query={"user": "sub-cole"}, **SUPERVISOR).body["items"]
    assert [a["attempt_id"] for a in listed] == [coder_attempt["attempt_id"]]

    assert call(handler, "GET", "/api/reports/quizzes", **BILLER).status == 403
    report = {r["quiz_id"]: r for r in call(handler, "GET", "/api/reports/quizzes", **SUPERVISOR).body["items"]}
    assert [p["user_id"] for p in report["coder"]["people"]] == ["sub-cole"]
    assert [p["user_id"] for p in report["biller"]["people"]] == ["sub-ben"]
    person = report["coder"]["people"][0]
    assert person["last_attempt_id"] == coder_attempt["attempt_id"]
    assert person["passed"] == coder_attempt["passed"] and person["best_score"] == coder_attempt["score"]
    assert all(0 <= q["share_correct"] <= 1 and q["seen"] == 1 for q in report["coder"]["questions"])


def test_review_my_misses_serves_the_missed_questions_and_takes_answers():
    attempt = take("receptionist", RECEPTIONIST).body
    missed = sorted(r["prompt"] for r in attempt["results"] if not r["correct"])
    assert missed, "the first options cannot all be right"
    review = call(handler, "GET", "/api/practice/misses", **RECEPTIONIST)
    assert review.status == 200 and review.body["quiz_id"] == "misses"
    assert sorted(q["prompt"] for q in review.body["questions"]) == missed[:10]
    answers = answers_for(review.body, pick=1)
    reply = call(
        handler,
        "POST",
        "/api/practice/misses/attempts",
        body={"answers": answers},
        headers={"Idempotency-Key": "review-1"},
        **RECEPTIONIST,
    )
    assert reply.status == 201 and reply.body["kind"] == "review"
    assert reply.body["max_score"] == len(answers)
    kinds = [a["kind"] for a in call(handler, "GET", "/api/attempts", **RECEPTIONIST).body["items"]]
    assert sorted(kinds) == ["quiz", "review"]


def test_a_bad_cursor_is_a_clear_400():
    reply = call(handler, "GET", "/api/attempts", query={"cursor": "not-a-cursor"}, **RECEPTIONIST)
    assert reply.status == 400 and reply.body["error"]["details"][0]["field"] == "cursor"


def test_the_clock_is_the_shared_dependency(store):
    """Submitted-at and the review's 'due today' follow web.deps.now, overridden like any dependency."""
    from datetime import UTC, datetime

    from codedesk.quizzes.api import app
    from codedesk.web import deps

    app.dependency_overrides[deps.now] = lambda: datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
    try:
        attempt = take("receptionist", RECEPTIONIST).body
        review = call(handler, "GET", "/api/practice/misses", **RECEPTIONIST).body
        app.dependency_overrides[deps.now] = lambda: datetime(2031, 5, 5, 7, 8, 9, tzinfo=UTC)  # the day before
        before = call(handler, "GET", "/api/practice/misses", **RECEPTIONIST).body
    finally:
        app.dependency_overrides.clear()
    assert attempt["submitted_at"] == "2031-05-06T07:08:09Z"
    assert review["questions"] and before["questions"] == [] and before["next_due_on"] == "2031-05-06"


def test_a_blank_attempt_shows_no_answers_and_the_report_marks_the_attempt_made_after_answers_were_shown():
    """The trick the report must see through: send nothing, read the answers, pass the next time."""
    blank = take("receptionist", RECEPTIONIST, answers={}).body
    assert all(r["expected"] is None and r["explanation"] is None and r["answer_withheld"] for r in blank["results"])
    assert blank["answers_seen_before"] is False
    guessed = take("receptionist", RECEPTIONIST).body  # the first option everywhere: some wrong, answers shown
    wrong = [r for r in guessed["results"] if not r["correct"]]
    assert wrong and all(r["expected"] is not None and r["explanation"] for r in wrong)
    assert guessed["answers_seen_before"] is False
    third = take("receptionist", RECEPTIONIST).body
    assert third["answers_seen_before"] is True

    report = call(handler, "GET", "/api/reports/quizzes", query={"quiz_id": "receptionist"}, **SUPERVISOR).body
    [ana] = report["items"][0]["people"]
    assert ana["attempts"] == 3 and ana["last_answers_seen_before"] is True
    assert ana["passed_before_answers_seen"] is False


def test_the_report_comes_in_pages_of_quizzes():
    take("coder", CODER)
    everything = call(handler, "GET", "/api/reports/quizzes", **SUPERVISOR).body
    assert everything["next_cursor"] is None and len(everything["items"]) >= 6
    seen, cursor = [], None
    while True:
        query = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        page = call(handler, "GET", "/api/reports/quizzes", query=query, **SUPERVISOR).body
        assert len(page["items"]) <= 4
        seen += [r["quiz_id"] for r in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == [r["quiz_id"] for r in everything["items"]]
    attempts_cursor = call(handler, "GET", "/api/attempts", query={"limit": 1}, **CODER).body["next_cursor"]
    for foreign in ("garbage", attempts_cursor or "1.sq.W10.xxxxxxxx"):
        reply = call(handler, "GET", "/api/reports/quizzes", query={"cursor": foreign}, **SUPERVISOR)
        assert reply.status == 400 and reply.body["error"]["details"][0]["field"] == "cursor"
    assert call(handler, "GET", "/api/reports/quizzes", query={"limit": 101}, **SUPERVISOR).status == 422
