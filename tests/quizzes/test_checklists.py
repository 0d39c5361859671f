"""Onboarding checklists are kept per person on the server: two people at one front-desk PC each
have their own; passing the receptionist quiz ticks its item by itself."""

from __future__ import annotations

import pytest

from codedesk.content.view import LivePointer
from codedesk.quizzes.api import app, handler
from codedesk.quizzes.service import Learner
from codedesk.web import deps
from tests.events import call
from tests.quizzes.test_quiz_service import right_answers

ANA = {"user": "ana", "groups": ["receptionist", "team:north"]}
DARA = {"user": "dara", "groups": ["receptionist", "team:north"]}
ANA_ELSEWHERE = {"user": "ana", "groups": ["receptionist", "team:south"]}
QUIZ_ITEM = "Take the receptionist quiz and reach the pass mark"


@pytest.fixture(autouse=True)
def store(api_store):
    from datetime import UTC, datetime

    app.dependency_overrides[deps.now] = lambda: datetime(2027, 1, 4, 15, tzinfo=UTC)
    yield api_store
    app.dependency_overrides.clear()


def checklist(who, role="receptionist"):
    reply = call(handler, "GET", f"/api/checklists/{role}", **who)
    assert reply.status == 200, reply.body
    return reply.body


def item_id(body, starts_with: str) -> str:
    return next(item["item_id"] for item in body["items"] if item["text"].startswith(starts_with))


def tick(who, item, done=True, role="receptionist"):
    return call(handler, "PUT", f"/api/checklists/{role}/items/{item}", body={"done": done}, **who)


def test_two_people_at_one_desk_keep_their_own_checklists():
    mine = checklist(ANA)
    assert mine["total"] == 9 and mine["done"] == 0 and mine["guide"] == "receptionist"
    privacy = item_id(mine, "Learn where the practice's privacy notice is kept")
    reply = tick(ANA, privacy)
    assert reply.status == 200 and reply.body["done"] is True and reply.body["done_on"] == "2027-01-04"

    after = {i["item_id"]: i for i in checklist(ANA)["items"]}
    assert after[privacy]["done"] and after[privacy]["done_on"] == "2027-01-04"
    assert checklist(DARA)["done"] == 0  # Dara's is her own
    assert checklist(ANA_ELSEWHERE)["done"] == 0  # and another clinic's records are another's

    assert tick(ANA, privacy, done=False).status == 200
    assert checklist(ANA)["done"] == 0


def test_passing_the_receptionist_quiz_ticks_its_item_and_it_cannot_be_ticked_by_hand(store):
    quiz_item = item_id(checklist(ANA), QUIZ_ITEM)
    refused = tick(ANA, quiz_item)
    assert refused.status == 422 and "receptionist quiz" in refused.body["error"]["message"]

    view = LivePointer(store).view()
    right = right_answers(view, "receptionist", Learner("ana", "Ana", "north"))
    taken = call(handler, "POST", "/api/quizzes/receptionist/attempts", body={"answers": right}, **ANA)
    assert taken.status == 201 and taken.body["passed"], taken.body
    item = next(i for i in checklist(ANA)["items"] if i["item_id"] == quiz_item)
    assert item["done"] and item["ticked_by_quizzes"] == ["receptionist"] and item["done_on"]
    assert not next(i for i in checklist(DARA)["items"] if i["item_id"] == quiz_item)["done"]
