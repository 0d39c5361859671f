"""Reviews are assigned to people of the directory by user_id, shown with their names, and kept per
team: a supervisor assigns and sees only their own team's people and reviews."""

from __future__ import annotations

import pytest

from codedesk.reviews.api import app, handler
from codedesk.web import deps
from tests.events import call
from tests.staff_support import in_directory

NORTH_SUPERVISOR = {"user": "sam", "groups": ["supervisor", "team:north"]}
SOUTH_SUPERVISOR = {"user": "sue", "groups": ["supervisor", "team:south"]}
MARIA = {"user": "mlopez", "groups": ["biller", "team:north"]}
RELEASE = "hcpcs-2027-q1"


@pytest.fixture
def api(calendar_api_store):
    in_directory(calendar_api_store, {"mlopez": "biller"}, team="north", name="María López")
    in_directory(calendar_api_store, {"mhart": "receptionist"}, team="north", name="Maria Hart")
    in_directory(calendar_api_store, {"tkim": "biller"}, team="south", name="Tae Kim")
    yield lambda method, path, **kwargs: call(handler, method, path, **kwargs)
    app.dependency_overrides.clear()


def assign(api, who, *assignees):
    return api("POST", "/api/reviews", body={"release_id": RELEASE, "assignees": list(assignees)}, **who)


def test_maria_lopez_is_assigned_by_user_id_and_shown_by_name(api):
    reply = assign(api, NORTH_SUPERVISOR, "mlopez")
    assert reply.status == 201
    [review] = reply.body["items"]
    assert (review["assignee"], review["assignee_name"], review["team"]) == ("mlopez", "María López", "north")
    [mine] = api("GET", "/api/reviews", **MARIA).body["items"]
    assert mine["assignee_name"] == "María López"


def test_a_typo_is_refused_naming_it_with_the_closest_people_and_nothing_is_assigned(api):
    reply = assign(api, NORTH_SUPERVISOR, "mlopez", "mraia", "Lopez")
    assert reply.status == 422
    details = {d["value"]: d for d in reply.body["error"]["details"]}
    assert set(details) == {"mraia", "Lopez"}
    assert details["Lopez"]["suggestions"] == ["mlopez"]
    assert set(details["mraia"]["suggestions"]) >= {"mhart"} or "mlopez" in details["mraia"]["suggestions"]
    assert all(d["field"] == "assignees" for d in details.values())
    assert "'mraia'" in reply.body["error"]["message"]
    assert api("GET", "/api/reviews", **MARIA).body["items"] == []  # the good one was not assigned either


def test_another_teams_person_is_refused_and_their_reviews_are_out_of_reach(api):
    refused = assign(api, NORTH_SUPERVISOR, "tkim")
    assert refused.status == 422 and refused.body["error"]["details"][0]["suggestions"] == []
    assert assign(api, SOUTH_SUPERVISOR, "tkim").status == 201
    assert assign(api, NORTH_SUPERVISOR, "mlopez").status == 201

    north = api("GET", "/api/reviews", query={"release_id": RELEASE}, **NORTH_SUPERVISOR).body["items"]
    south = api("GET", "/api/reviews", query={"release_id": RELEASE}, **SOUTH_SUPERVISOR).body["items"]
    assert [r["assignee"] for r in north] == ["mlopez"]
    assert [r["assignee"] for r in south] == ["tkim"]
    everything = api("GET", "/api/reviews", query={"limit": 100}, **SOUTH_SUPERVISOR).body["items"]
    assert [r["assignee"] for r in everything] == ["tkim"]
    assert api("GET", "/api/reviews", query={"assignee": "mlopez"}, **SOUTH_SUPERVISOR).body["items"] == []


def test_an_inactive_person_is_refused_by_name(api, calendar_api_store):
    from datetime import UTC, datetime

    from codedesk.staff.models import Person
    from codedesk.staff.service import add_people

    gone = Person.model_validate({"user_id": "gone", "name": "Gina O'Hara", "roles": ["biller"], "team": "north"})
    add_people(calendar_api_store, [gone.model_copy(update={"active": False})], datetime(2026, 12, 1, tzinfo=UTC))
    reply = assign(api, NORTH_SUPERVISOR, "gone")
    assert reply.status == 422
    assert reply.body["error"]["details"][0]["message"] == "Gina O'Hara is no longer active"


def test_a_review_completed_after_its_due_date_is_late(api):
    from datetime import UTC, datetime

    app.dependency_overrides[deps.now] = lambda: datetime(2026, 12, 15, 9, tzinfo=UTC)
    [review] = assign(api, NORTH_SUPERVISOR, "mlopez").body["items"]
    assert (review["overdue"], review["late"]) == (False, False)
    app.dependency_overrides[deps.now] = lambda: datetime(2027, 1, 20, 9, tzinfo=UTC)  # due 2027-01-08
    done = api("POST", f"/api/reviews/{review['review_id']}/complete", body={"acknowledged": True}, **MARIA).body
    assert (done["status"], done["overdue"], done["late"]) == ("done", False, True)


def test_late_and_overdue_are_judged_on_the_clinics_clock(api, calendar_api_store):
    """Due 2027-01-08; completed at 8 pm in Chicago that day, which is already the 9th in UTC."""
    from datetime import UTC, datetime

    from codedesk.staff.models import Team
    from codedesk.staff.service import set_team

    set_team(calendar_api_store, Team(team="north", time_zone="America/Chicago"), datetime(2026, 12, 1, tzinfo=UTC))
    app.dependency_overrides[deps.now] = lambda: datetime(2026, 12, 15, 9, tzinfo=UTC)
    [review] = assign(api, NORTH_SUPERVISOR, "mlopez").body["items"]
    app.dependency_overrides[deps.now] = lambda: datetime(2027, 1, 9, 2, 0, tzinfo=UTC)  # 8 pm on the 8th in Chicago
    [open_review] = api("GET", "/api/reviews", **MARIA).body["items"]
    assert open_review["overdue"] is False  # still the due day at the clinic
    done = api("POST", f"/api/reviews/{review['review_id']}/complete", body={"acknowledged": True}, **MARIA).body
    assert (done["status"], done["late"]) == ("done", False)
