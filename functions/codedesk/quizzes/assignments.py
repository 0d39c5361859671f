"""Assigning a quiz to people: after a denial trend, "everyone in the biller role takes the denials
quiz by Friday". Each assignment is the person's own record, under their team: PK
`USER#<team>#<user_id>`, SK `QUIZASSIGN#<quiz_id>` (assigning again replaces it, with the new due
date). Whether it is done comes from the quiz's results, not from the assignment: passing the quiz
is what counts, whenever it happened after the assignment or before.

Round trips: assigning is the directory (one query per team, or one batch get of the named people)
plus a batch write per 25 people; reading one's assignments is one query plus one batch get of the
quizzes' results.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from codedesk.content.view import ContentView
from codedesk.errors import InvalidFields
from codedesk.quizzes import records
from codedesk.quizzes.service import load_quiz
from codedesk.roles import Role
from codedesk.staff import service as staff
from codedesk.staff.models import Person
from codedesk.store.keys import user_key
from codedesk.store.port import MAX_BATCH_WRITE, Item, Table, sk_begins_with

SK_PREFIX = "QUIZASSIGN#"
MAX_ASSIGNEES = 200


class AssignQuizRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignees: list[str] = Field(default_factory=list, max_length=MAX_ASSIGNEES, description="user_ids")
    role: Role | None = Field(default=None, description="or everyone active in this role, in your team")
    due_on: date | None = None
    reason: str | None = Field(default=None, max_length=120, description="why, e.g. 'CO-50 denials rose'")

    @model_validator(mode="after")
    def _someone(self) -> AssignQuizRequest:
        if not self.assignees and self.role is None:
            raise ValueError("name the assignees (user_ids) or a role")
        return self


class AssignedPerson(BaseModel):
    user_id: str
    name: str


class QuizAssignment(BaseModel):
    quiz_id: str
    title: str
    assigned: list[AssignedPerson]
    due_on: date | None
    reason: str | None


class MyQuizAssignment(BaseModel):
    quiz_id: str
    title: str
    assigned_at: datetime
    due_on: date | None
    reason: str | None
    status: Literal["not_started", "in_progress", "passed"]
    overdue: bool


class MyQuizAssignments(BaseModel):
    items: list[MyQuizAssignment]


def _people(table: Table, team: str, request: AssignQuizRequest) -> list[Person]:
    if request.assignees:
        found = staff.active_people(table, [team], request.assignees, field="assignees")
        return [found[user_id] for user_id in dict.fromkeys(request.assignees)]
    people = [p for p in staff.team_people(table, [team]) if p.active and request.role in p.roles]
    if not people:
        raise InvalidFields(
            f"Nobody active in your team has the {request.role} role.",
            details=[{"field": "role", "message": "nobody active in this role"}],
        )
    return people


def assign_quiz(
    table: Table, view: ContentView, *, team: str, quiz_id: str, request: AssignQuizRequest, assigned_by: str,
    now: datetime,
) -> QuizAssignment:  # fmt: skip
    quiz = load_quiz(view, quiz_id)  # 404 for a quiz that does not exist
    people = _people(table, team, request)
    items: list[Item] = [
        {
            "PK": user_key(person.team, person.user_id),
            "SK": SK_PREFIX + quiz.quiz_id,
            "quiz_id": quiz.quiz_id,
            "title": quiz.title,
            "assigned_by": assigned_by,
            "assigned_at": now.isoformat(),
            "due_on": request.due_on.isoformat() if request.due_on else None,
            "reason": request.reason,
        }
        for person in people
    ]
    for start in range(0, len(items), MAX_BATCH_WRITE):
        table.batch_write(puts=items[start : start + MAX_BATCH_WRITE])
    return QuizAssignment(
        quiz_id=quiz.quiz_id,
        title=quiz.title,
        assigned=[AssignedPerson(user_id=p.user_id, name=p.name) for p in people],
        due_on=request.due_on,
        reason=request.reason,
    )


def my_assignments(table: Table, *, team: str, user_id: str, today: date) -> MyQuizAssignments:
    page = table.query(user_key(team, user_id), sk=sk_begins_with(SK_PREFIX))
    results = records.read_results(table, team, [item["quiz_id"] for item in page.items])
    mine = []
    for item in page.items:
        person = results[item["quiz_id"]].people.get(user_id)
        status: Literal["not_started", "in_progress", "passed"] = (
            "not_started" if person is None else "passed" if person["passed"] else "in_progress"
        )
        due = date.fromisoformat(item["due_on"]) if item.get("due_on") else None
        mine.append(
            MyQuizAssignment(
                quiz_id=item["quiz_id"], title=item["title"], assigned_at=datetime.fromisoformat(item["assigned_at"]),
                due_on=due, reason=item.get("reason"), status=status,
                overdue=due is not None and status != "passed" and today > due,
            )
        )  # fmt: skip
    return MyQuizAssignments(items=sorted(mine, key=lambda a: (a.status == "passed", a.due_on or date.max)))
