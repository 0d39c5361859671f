"""The quiz report lists everyone of the supervisor's team for the quiz's roles: who passed, who is
still at it, and who has not started; another team's attempts never appear, nor its people."""

from __future__ import annotations

import pytest

from codedesk.quizzes.api import handler
from tests.events import call
from tests.staff_support import in_directory

NORTH = {"user": "sam", "groups": ["supervisor", "team:north"]}
SOUTH = {"user": "sue", "groups": ["supervisor", "team:south"]}


@pytest.fixture(autouse=True)
def directory(api_store):
    in_directory(api_store, {"ana": "receptionist"}, team="north", name="Ana Núñez")
    in_directory(api_store, {"dara": "receptionist"}, team="north", name="Dara O'Neil")
    in_directory(api_store, {"cole": "coder"}, team="north", name="Cole Coder")
    in_directory(api_store, {"rae": "receptionist"}, team="south", name="Rae South")
    return api_store


def report(who, quiz_id="receptionist", **query):
    reply = call(handler, "GET", "/api/reports/quizzes", query={"quiz_id": quiz_id, **query}, **who)
    assert reply.status == 200, reply.body
    return reply.body["items"][0]


def test_the_supervisor_sees_who_has_not_started_the_receptionist_quiz(api_store):
    answers = {}
    taken = call(handler, "POST", "/api/quizzes/receptionist/attempts", body={"answers": answers},
                 user="ana", groups=["receptionist", "team:north"])  # fmt: skip
    assert taken.status == 201 and taken.body["team"] == "north"

    north = report(NORTH)
    assert [(p["name"], p["status"]) for p in north["people"]] == [("Ana Núñez", "in_progress")]
    # Cole is a coder: the receptionist quiz is not his; Rae works for another clinic.
    assert [(p["name"], p["status"]) for p in north["not_started"]] == [("Dara O'Neil", "not_started")]
    assert north["roles"] == ["receptionist"]

    south = report(SOUTH)
    assert south["people"] == [] and [p["name"] for p in south["not_started"]] == ["Rae South"]


def test_a_team_that_is_not_yours_is_not_found():
    reply = call(handler, "GET", "/api/reports/quizzes", query={"team": "south"}, **NORTH)
    assert reply.status == 404 and reply.body["error"]["code"] == "not_found"
