"""Assigning a review warns the supervisor: before (GET /api/review-warnings) and in the answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from codedesk.reviews.api import app, handler
from codedesk.web import deps
from tests.codes.conftest import import_mini_releases
from tests.events import call
from tests.staff_support import in_directory

SUPERVISOR = {"user": "sam", "groups": ["supervisor"]}


@pytest.fixture
def api(api_store):
    """content/ published and the April 2025 and 2026 ICD-10-CM (small) releases imported; it is 2026-12-06."""
    import_mini_releases(api_store)
    in_directory(api_store, {"bea": "biller"})
    app.dependency_overrides[deps.now] = lambda: datetime(2026, 12, 6, 9, tzinfo=UTC)
    yield lambda method, path, **kwargs: call(handler, method, path, **kwargs)
    app.dependency_overrides.clear()


def test_a_release_with_its_changes_loaded_and_a_future_due_date_warns_of_nothing(api):
    reply = api("GET", "/api/review-warnings", query={"release_id": "icd10cm-2026-04", "due_on": "2026-12-20"},
                **SUPERVISOR)  # fmt: skip
    assert reply.status == 200 and reply.body["warnings"] == []


def test_a_release_without_changes_loaded_warns_before_and_after_assigning(api):
    before = api("GET", "/api/review-warnings", query={"release_id": "icd10cm-2027-10"}, **SUPERVISOR).body
    assert before["warnings"] == [
        'No changes of ICD-10-CM annual release, October 2027 are loaded, so its "what changed" page has '
        "nothing to review yet. Load the release first: codedesk import icd10cm FILE."
    ]
    assert api("GET", "/api/reviews", query={"release_id": "icd10cm-2027-10"}, **SUPERVISOR).body["items"] == []
    reply = api("POST", "/api/reviews", body={"release_id": "icd10cm-2027-10", "assignees": ["bea"]}, **SUPERVISOR)
    assert reply.status == 201 and reply.body["warnings"] == before["warnings"]


def test_a_due_date_already_passed_warns_before_the_review_is_created(api):
    # The April 2026 review was due in April: assigned in December, it would be overdue at once.
    before = api("GET", "/api/review-warnings", query={"release_id": "icd10cm-2026-04"}, **SUPERVISOR).body
    assert len(before["warnings"]) == 1 and "which has already passed" in before["warnings"][0]
    assert "2026-04-" in before["warnings"][0]


def test_only_a_supervisor_asks_and_an_unknown_release_is_a_404(api):
    assert api("GET", "/api/review-warnings", query={"release_id": "icd10cm-2026-04"},
               user="bea", groups=["biller"]).status == 403  # fmt: skip
    assert api("GET", "/api/review-warnings", query={"release_id": "icd10cm-1999-04"}, **SUPERVISOR).status == 404
