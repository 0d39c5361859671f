"""The calendar and reviews API, called the way API Gateway calls the Lambda function."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from codedesk.reviews.api import handler
from codedesk.web import deps
from tests.events import call

SUPERVISOR = {"user": "sam", "groups": ["supervisor"]}
BEA = {"user": "bea", "groups": ["biller"]}
BO = {"user": "bo", "groups": ["biller"]}


@pytest.fixture
def api(calendar_api_store):
    return lambda method, path, **kwargs: call(handler, method, path, **kwargs)


def test_releases_of_2027_list_the_dates_a_clinic_plans_around(api):
    reply = api("GET", "/api/releases", query={"year": 2027}, **BEA)
    assert reply.status == 200
    releases = {item["release_id"]: item for item in reply.body["items"]}
    assert releases["icd10cm-2027-10"]["effective_on"] == "2027-10-01"
    assert releases["icd10cm-2027-10"]["code_set"] == "ICD10CM"
    assert releases["cpt-2027-01"]["effective_on"] == "2027-01-01"
    hcpcs = [item for item in reply.body["items"] if item["code_set"] == "HCPCS"]
    assert [item["effective_on"] for item in hcpcs] == ["2027-01-01", "2027-04-01", "2027-07-01", "2027-10-01"]
    for item in reply.body["items"]:
        effective = date.fromisoformat(item["effective_on"])
        due = date.fromisoformat(item["review_due_on"])
        assert effective + timedelta(days=7) <= due <= effective + timedelta(days=11)
    assert releases["hcpcs-2027-q1"]["changes_url"] == "/codes/releases/hcpcs-2027-01-01/"
    assert releases["hcpcs-2027-q1"]["source"].startswith("CMS")


def test_releases_need_a_signed_in_user_and_a_sensible_year(api):
    assert api("GET", "/api/releases", query={"year": 2027}).status == 401
    reply = api("GET", "/api/releases", query={"year": 1999}, **BEA)
    assert reply.status == 422
    assert reply.body["error"]["details"][0]["field"] == "year"


def test_the_ics_feed_is_public_and_imports(api):
    reply = api("GET", "/api/calendar.ics", query={"year": 2027})
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/calendar")
    parsed = Calendar.from_ical(reply.body)
    uids = {str(event["UID"]) for event in parsed.walk("VEVENT")}
    assert {"hcpcs-2027-q1.effective@codedesk", "hcpcs-2027-q1.review@codedesk"} <= uids


def test_the_ics_feed_without_a_year_covers_this_year_and_next(api):
    parsed = Calendar.from_ical(api("GET", "/api/calendar.ics").body)
    years = {event.decoded("DTSTART").year for event in parsed.walk("VEVENT")}
    this_year = date.today().year
    assert {this_year, this_year + 1} <= years


def test_supervisor_assigns_hcpcs_q1_to_two_billers_and_sees_one_done_one_open(api):
    assigned = api("POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": ["bea", "bo"]},
                   **SUPERVISOR)  # fmt: skip
    assert assigned.status == 201
    assert [(i["assignee"], i["due_on"], i["status"]) for i in assigned.body["items"]] == [
        ("bea", "2027-01-08", "open"),
        ("bo", "2027-01-08", "open"),
    ]

    for biller in (BEA, BO):
        mine = api("GET", "/api/reviews", **biller).body["items"]
        assert [(r["release_id"], r["assignee"], r["status"]) for r in mine] == [
            ("hcpcs-2027-q1", biller["user"], "open")
        ]
    bea_review = api("GET", "/api/reviews", **BEA).body["items"][0]
    assert bea_review["changes_url"] == "/codes/releases/hcpcs-2027-01-01/"

    done = api("POST", f"/api/reviews/{bea_review['review_id']}/complete",
               body={"acknowledged": True, "notes": "Went through the new J codes"}, **BEA)  # fmt: skip
    assert done.status == 200
    assert done.body["status"] == "done" and done.body["notes"] == "Went through the new J codes"

    tracked = api("GET", "/api/reviews", query={"release_id": "hcpcs-2027-q1"}, **SUPERVISOR)
    assert {r["assignee"]: r["status"] for r in tracked.body["items"]} == {"bea": "done", "bo": "open"}
    still_open = api("GET", "/api/reviews", query={"status": "open"}, **SUPERVISOR)
    assert [r["assignee"] for r in still_open.body["items"]] == ["bo"]
    by_bo = api("GET", "/api/reviews", query={"assignee": "bo"}, **SUPERVISOR)
    assert [r["status"] for r in by_bo.body["items"]] == ["open"]


def test_a_biller_may_not_assign_reviews(api):
    reply = api("POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": ["bo"]}, **BEA)
    assert reply.status == 403
    assert reply.body["error"]["code"] == "forbidden"
    assert api("GET", "/api/reviews", query={"release_id": "hcpcs-2027-q1"}, **SUPERVISOR).body["items"] == []


def test_assigning_twice_returns_the_same_review(api):
    body = {"release_id": "hcpcs-2027-q1", "assignees": ["bea"]}
    first = api("POST", "/api/reviews", body=body, **SUPERVISOR).body["items"][0]
    second = api("POST", "/api/reviews", body=body, **SUPERVISOR).body["items"][0]
    assert (first["created"], second["created"]) == (True, False)
    assert first["review_id"] == second["review_id"]
    assert len(api("GET", "/api/reviews", **BEA).body["items"]) == 1


def test_completing_twice_is_409_and_someone_elses_review_is_403(api):
    api("POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": ["bea"]}, **SUPERVISOR)
    review_id = api("GET", "/api/reviews", **BEA).body["items"][0]["review_id"]
    path = f"/api/reviews/{review_id}/complete"

    assert api("POST", path, body={"acknowledged": True}, **BO).status == 403
    assert api("POST", path, body={"acknowledged": True}, **BEA).status == 200
    again = api("POST", path, body={"acknowledged": True}, **BEA)
    assert again.status == 409
    assert again.body["error"]["code"] == "conflict"
    assert "already completed" in again.body["error"]["message"]


def test_staff_cannot_list_someone_elses_reviews(api):
    reply = api("GET", "/api/reviews", query={"assignee": "bo"}, **BEA)
    assert reply.status == 403
    assert "only your own reviews" in reply.body["error"]["message"]


def test_bad_requests_get_clear_answers(api):
    unknown = api("POST", "/api/reviews", body={"release_id": "hcpcs-2027-q9", "assignees": ["bea"]}, **SUPERVISOR)
    assert unknown.status == 404 and "hcpcs-2027-q9" in unknown.body["error"]["message"]

    no_assignees = api("POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": []}, **SUPERVISOR)
    assert no_assignees.status == 422
    assert no_assignees.body["error"]["details"][0]["field"] == "assignees"

    missing = api("POST", "/api/reviews/nope/complete", body={"notes": "x"}, **BEA)
    assert missing.status == 422

    not_acknowledged = api("POST", "/api/reviews/nope/complete", body={"acknowledged": False}, **BEA)
    assert not_acknowledged.status == 404  # no such review, whatever the body says

    api("POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": ["bea"]}, **SUPERVISOR)
    review_id = api("GET", "/api/reviews", **BEA).body["items"][0]["review_id"]
    refused = api("POST", f"/api/reviews/{review_id}/complete", body={"acknowledged": False}, **BEA)
    assert refused.status == 400 and refused.body["error"]["details"] == [
        {"field": "acknowledged", "message": "must be true"}
    ]

    bad_cursor = api("GET", "/api/reviews", query={"cursor": "garbage"}, **SUPERVISOR)
    assert bad_cursor.status == 400


def test_an_unpublished_calendar_says_what_to_do(table, monkeypatch):
    monkeypatch.setenv("CODEDESK_STORE", f"sqlite:///{table.path}")
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    deps.reset()
    try:
        reply = call(handler, "GET", "/api/releases", query={"year": 2027}, **BEA)
    finally:
        deps.reset()
    assert reply.status == 503
    assert "codedesk publish" in reply.body["error"]["message"]


@pytest.fixture
def clock():
    """Set the functions' clock (web.deps.now) the way any test of a route does."""
    from datetime import UTC, datetime

    from codedesk.reviews.api import app

    def set_to(*moment: int):
        app.dependency_overrides[deps.now] = lambda: datetime(*moment, tzinfo=UTC)

    yield set_to
    app.dependency_overrides.clear()


def test_one_clock_dates_assignments_completions_overdue_and_this_years_releases(api, clock):
    clock(2026, 12, 15, 9, 0)
    [assigned] = api("POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": ["bea"]},
                     **SUPERVISOR).body["items"]  # fmt: skip
    assert assigned["assigned_at"] == "2026-12-15T09:00:00Z"
    clock(2027, 2, 1, 8, 0)  # after the due date (2027-01-08)
    [late] = api("GET", "/api/reviews", **BEA).body["items"]
    assert late["overdue"] is True
    done = api("POST", f"/api/reviews/{late['review_id']}/complete", body={"acknowledged": True}, **BEA).body
    assert done["completed_at"] == "2027-02-01T08:00:00Z" and done["overdue"] is False
    assert api("GET", "/api/releases", **BEA).body["year"] == 2027
    assert "DTSTAMP:20270201T080000Z" in api("GET", "/api/calendar.ics").body


def test_a_supervisor_assigns_a_whole_clinic_in_one_request(api):
    team = [f"staff-{n:03}" for n in range(150)]
    deps.table().stats.reset()  # the store the function opened
    reply = api("POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": team}, **SUPERVISOR)
    assert reply.status == 201 and [i["assignee"] for i in reply.body["items"]] == team
    assert deps.table().stats.calls.get("transact_write") == 3  # 50 people to a transaction
    too_many = api("POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": team + team[:51]},
                   **SUPERVISOR)  # fmt: skip
    assert too_many.status == 422 and too_many.body["error"]["details"][0]["field"] == "assignees"
