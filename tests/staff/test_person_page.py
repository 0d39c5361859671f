"""A supervisor's page of one person: checklist progress, open and late reviews, quiz standing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from codedesk.quizzes.api import handler as quizzes
from codedesk.reviews.api import app as reviews_app, handler as reviews
from codedesk.staff.api import handler as staff
from codedesk.web import deps
from tests.events import call
from tests.staff_support import in_directory

SAM = {"user": "sam", "groups": ["supervisor", "team:north"]}
SUE = {"user": "sue", "groups": ["supervisor", "team:south"]}
MARIA = {"user": "mlopez", "groups": ["receptionist", "team:north"]}


@pytest.fixture
def north(api_store):
    in_directory(api_store, {"mlopez": "receptionist"}, team="north", name="María López")
    reviews_app.dependency_overrides[deps.now] = lambda: datetime(2027, 1, 20, 9, tzinfo=UTC)
    yield api_store
    reviews_app.dependency_overrides.clear()


def test_the_supervisor_sees_marias_checklist_reviews_and_quizzes_and_another_team_sees_nothing(north):
    checklist = call(quizzes, "GET", "/api/checklists/receptionist", **MARIA).body
    first = checklist["items"][0]["item_id"]
    assert (
        call(quizzes, "PUT", f"/api/checklists/receptionist/items/{first}", body={"done": True}, **MARIA).status == 200
    )
    for release in ("hcpcs-2027-q1", "icd10cm-2026-10"):
        body = {"release_id": release, "assignees": ["mlopez"], "due_on": "2027-01-08" if "hcpcs" in release else None}
        assert call(reviews, "POST", "/api/reviews", body={k: v for k, v in body.items() if v}, **SAM).status == 201
    [q1] = [
        r for r in call(reviews, "GET", "/api/reviews", **MARIA).body["items"] if r["release_id"] == "hcpcs-2027-q1"
    ]
    done = call(reviews, "POST", f"/api/reviews/{q1['review_id']}/complete", body={"acknowledged": True}, **MARIA)
    assert done.status == 200 and done.body["late"]

    page = call(staff, "GET", "/api/staff/mlopez", **SAM)
    assert page.status == 200, page.body
    person = page.body
    assert person["name"] == "María López"
    [receptionist] = person["checklists"]
    assert (receptionist["role"], receptionist["done"], receptionist["total"]) == ("receptionist", 1, 9)
    assert [r["release_id"] for r in person["late_reviews"]] == ["hcpcs-2027-q1"]
    assert [r["release_id"] for r in person["open_reviews"]] == ["icd10cm-2026-10"]
    assert {q["quiz_id"]: q["status"] for q in person["quizzes"]} == {"receptionist": "not_started"}

    assert call(staff, "GET", "/api/staff/mlopez", **SUE).status == 404
