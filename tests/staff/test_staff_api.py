"""The staff directory as a supervisor's picker reads it: their own team(s) only."""

from __future__ import annotations

from codedesk.staff.api import handler
from tests.events import call

NORTH_SUPERVISOR = {"user": "sam", "groups": ["supervisor", "team:north"]}
SOUTH_SUPERVISOR = {"user": "sue", "groups": ["supervisor", "team:south"]}
BOTH_SUPERVISOR = {"user": "boss", "groups": ["supervisor", "team:north", "team:south"]}


def names(reply) -> list[str]:
    return [person["name"] for person in reply.body["items"]]


def test_the_picker_finds_maria_lopez_by_any_word_accents_and_case_ignored(staff_api):
    for typed in ("lop", "LOPEZ", "maría", "mlo"):
        reply = call(handler, "GET", "/api/staff", query={"q": typed}, **NORTH_SUPERVISOR)
        assert reply.status == 200, reply.body
        assert "María López" in names(reply), typed
    both_marias = call(handler, "GET", "/api/staff", query={"q": "maria"}, **NORTH_SUPERVISOR)
    assert names(both_marias) == ["Maria Hart", "María López"]
    apostrophe = call(handler, "GET", "/api/staff", query={"q": "o'neil"}, **NORTH_SUPERVISOR)
    assert names(apostrophe) == ["Seán O'Neil"]


def test_everyone_in_the_biller_role_of_my_team_with_whether_they_are_active(staff_api):
    reply = call(handler, "GET", "/api/staff", query={"role": "biller"}, **NORTH_SUPERVISOR)
    assert [(p["user_id"], p["active"]) for p in reply.body["items"]] == [
        ("gone", False),
        ("mlopez", True),
        ("oneil", True),
    ]
    assert {p["team"] for p in reply.body["items"]} == {"north"}


def test_a_supervisor_sees_only_their_own_teams(staff_api):
    south = call(handler, "GET", "/api/staff", **SOUTH_SUPERVISOR)
    assert names(south) == ["Sue South", "Tae Kim"]
    both = call(handler, "GET", "/api/staff", query={"limit": 100}, **BOTH_SUPERVISOR)
    assert len(both.body["items"]) == 7
    other_team = call(handler, "GET", "/api/staff", query={"team": "north"}, **SOUTH_SUPERVISOR)
    assert other_team.status == 404


def test_reading_another_teams_person_is_not_found(staff_api):
    mine = call(handler, "GET", "/api/staff/mlopez", **NORTH_SUPERVISOR)
    assert mine.status == 200
    assert mine.body["name"] == "María López"
    theirs = call(handler, "GET", "/api/staff/mlopez", **SOUTH_SUPERVISOR)
    assert theirs.status == 404
    assert theirs.body["error"]["code"] == "not_found"


def test_staff_are_not_a_directory_for_everyone(staff_api):
    assert call(handler, "GET", "/api/staff", user="mlopez", groups=["biller", "team:north"]).status == 403
    assert call(handler, "GET", "/api/staff").status == 401


def test_pages_of_the_directory_follow_on_and_a_forged_cursor_is_refused(staff_api):
    first = call(handler, "GET", "/api/staff", query={"limit": 2}, **NORTH_SUPERVISOR)
    second = call(handler, "GET", "/api/staff", query={"limit": 2, "cursor": first.body["next_cursor"]},
                  **NORTH_SUPERVISOR)  # fmt: skip
    third = call(handler, "GET", "/api/staff", query={"limit": 2, "cursor": second.body["next_cursor"]},
                 **NORTH_SUPERVISOR)  # fmt: skip
    assert names(first) + names(second) + names(third) == [
        "Gina Left", "Maria Hart", "María López", "Sam Supervisor", "Seán O'Neil",
    ]  # fmt: skip
    assert third.body["next_cursor"] is None
    forged = call(handler, "GET", "/api/staff", query={"cursor": "1.staff.xyz.abc"}, **NORTH_SUPERVISOR)
    assert forged.status == 400
    assert forged.body["error"]["details"][0]["field"] == "cursor"
