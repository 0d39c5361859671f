"""Assigning a quiz after a denial trend: a supervisor assigns the denials quiz to everyone in the
biller role (or to named people); each sees it, and it counts as done once they pass the quiz."""

from __future__ import annotations

import pytest

from codedesk.quizzes.api import handler
from tests.events import call
from tests.staff_support import in_directory

SUPERVISOR = {"user": "sue", "groups": ("supervisor",)}


@pytest.fixture(autouse=True)
def _people(api_store):
    in_directory(api_store, {"bea": "biller", "bo": "biller", "cora": "coder"})
    in_directory(api_store, {"nell": "biller"}, team="north")
    return api_store


def test_a_supervisor_assigns_a_quiz_to_everyone_in_a_role_of_their_team():
    reply = call(handler, "POST", "/api/quizzes/denials/assignments", body={"role": "biller", "due_on": "2026-12-18",
                 "reason": "CO-50 denials rose in November"}, **SUPERVISOR)  # fmt: skip
    assert reply.status == 201, reply.body
    assert [p["user_id"] for p in reply.body["assigned"]] == ["bea", "bo"]  # not the coder, not another clinic's
    mine = call(handler, "GET", "/api/quiz-assignments", user="bea", groups=("biller",))
    assert mine.status == 200
    (assignment,) = mine.body["items"]
    assert (assignment["quiz_id"], assignment["status"], assignment["reason"]) == (
        "denials", "not_started", "CO-50 denials rose in November")  # fmt: skip
    assert call(handler, "GET", "/api/quiz-assignments", user="cora", groups=("coder",)).body["items"] == []


def test_passing_the_quiz_marks_the_assignment_done():
    call(handler, "POST", "/api/quizzes/receptionist/assignments", body={"assignees": ["bea"]}, **SUPERVISOR)
    quiz = call(handler, "GET", "/api/quizzes/receptionist", user="bea", groups=("biller",)).body
    from tests.infra.test_policies import answers_for  # right-shaped answers; a pass is not needed here

    call(handler, "POST", "/api/quizzes/receptionist/attempts", body={"answers": answers_for(quiz)}, user="bea",
         groups=("biller",))  # fmt: skip
    (assignment,) = call(handler, "GET", "/api/quiz-assignments", user="bea", groups=("biller",)).body["items"]
    assert assignment["status"] in {"in_progress", "passed"}


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"assignees": ["mraia"]}, 422, "assignees"),
        ({"assignees": ["nell"]}, 422, "assignees"),  # another clinic's person
        ({"role": "finance"}, 422, "role"),  # nobody in that role
        ({}, 422, "body"),
    ],
)
def test_bad_assignments_are_refused(body, status, field):
    reply = call(handler, "POST", "/api/quizzes/denials/assignments", body=body, **SUPERVISOR)
    assert reply.status == status, reply.body
    assert any(field in d["field"] for d in reply.body["error"]["details"]), reply.body


def test_only_supervisors_assign_and_only_quizzes_that_exist():
    biller = call(handler, "POST", "/api/quizzes/denials/assignments", body={"role": "biller"}, user="bea",
                  groups=("biller",))  # fmt: skip
    assert biller.status == 403
    assert call(handler, "POST", "/api/quizzes/nope/assignments", body={"role": "biller"}, **SUPERVISOR).status == 404
