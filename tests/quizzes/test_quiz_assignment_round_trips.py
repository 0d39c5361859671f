"""Assigning a quiz to a whole role or to 200 named people takes a few round trips, not one per
person: the quiz, the directory in one query (or a batch get per 100 people) and a batch write per 25."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from codedesk.content.view import LivePointer
from codedesk.quizzes.assignments import MAX_ASSIGNEES, AssignQuizRequest, assign_quiz
from codedesk.store.port import MAX_BATCH_GET, MAX_BATCH_WRITE
from tests.staff_support import in_directory

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


@pytest.fixture
def view(published):
    return LivePointer(published).view()


def _assign(table, view, request: AssignQuizRequest):
    table.stats.reset()
    assigned = assign_quiz(table, view, team="main", quiz_id="denials", request=request, assigned_by="sue", now=NOW)
    return assigned, dict(table.stats.calls)


def test_assigning_a_whole_role_is_one_directory_query_and_a_batch_write_per_25(published, view):
    in_directory(published, {f"biller-{n:03}": "biller" for n in range(120)})
    in_directory(published, {f"coder-{n:03}": "coder" for n in range(30)})
    assigned, calls = _assign(published, view, AssignQuizRequest(role="biller"))
    assert len(assigned.assigned) == 120
    assert calls == {"get": 1, "query": 1, "batch_write": -(-120 // MAX_BATCH_WRITE)}  # the quiz, the team


def test_assigning_200_named_people_is_a_batch_get_per_100_and_a_batch_write_per_25(published, view):
    user_ids = [f"person-{n:03}" for n in range(MAX_ASSIGNEES)]
    in_directory(published, dict.fromkeys(user_ids, "biller"))
    assigned, calls = _assign(published, view, AssignQuizRequest(assignees=user_ids))
    assert [p.user_id for p in assigned.assigned] == user_ids
    assert calls == {
        "get": 1,  # the quiz
        "batch_get": -(-MAX_ASSIGNEES // MAX_BATCH_GET),
        "batch_write": -(-MAX_ASSIGNEES // MAX_BATCH_WRITE),
    }
