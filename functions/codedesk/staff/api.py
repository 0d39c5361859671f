"""The staff function: the directory a supervisor picks people from, limited to their own teams, and
a person's page: their checklist progress, open and late reviews and quiz standing.

The person's page puts three domains' records side by side: like every function's api.py it is an
entry point, so it imports the reviews and quizzes services (pyproject's layers contract names
these imports as the exceptions they are)."""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, Field

from codedesk.quizzes.standing import ChecklistItem, QuizStanding
from codedesk.reviews.rules import ReleaseReview, ReviewFilter
from codedesk.roles import Role
from codedesk.staff import service
from codedesk.staff.models import Person
from codedesk.store import cursors
from codedesk.web.auth import require_groups
from codedesk.web.deps import Content, Now, SignedIn, Store
from codedesk.web.resolver import make_handler, make_resolver

app = make_resolver()
CURSOR_KIND = "staff"


class StaffList(BaseModel):
    items: list[Person]
    next_cursor: str | None


@app.get("/api/staff")
def list_staff(
    user: SignedIn,
    store: Store,
    q: Annotated[str | None, Query(max_length=100, description="the start of a name or user id")] = None,
    role: Role | None = None,
    team: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> StaffList:
    """People of the supervisor's own team(s), by name; `q` matches the start of any word of a name."""
    require_groups(user, "supervisor")
    start = 0 if cursor is None else cursors.decode_list(CURSOR_KIND, cursor, 1, int)[0]
    if start < 0:
        raise cursors.BadCursor()
    people = service.find_people(store, service.chosen_teams(user.teams, team), q=q, role=role)
    end = start + limit
    next_cursor = cursors.encode(CURSOR_KIND, [end]) if end < len(people) else None
    return StaffList(items=people[start:end], next_cursor=next_cursor)


class ChecklistProgress(BaseModel):
    role: str
    done: int
    total: int
    items: list[ChecklistItem]


class PersonPage(Person):
    checklists: list[ChecklistProgress] = Field(description="the onboarding checklist of each of the person's roles")
    open_reviews: list[ReleaseReview] = Field(description="open reviews, the earliest due first; `overdue` marks late")
    late_reviews: list[ReleaseReview] = Field(description="reviews completed after their due date")
    quizzes: list[QuizStanding] = Field(description="each quiz of the person's roles: not started, in progress, passed")


@app.get("/api/staff/<user_id>")
def read_person(
    user_id: Annotated[str, Path(max_length=128)], user: SignedIn, store: Store, view: Content, now: Now
) -> PersonPage:
    """A person of the supervisor's team(s): another team's person is 404, as one who does not exist."""
    # Imported here for cold start: most calls of this function are the people picker's list.
    from codedesk.quizzes import checklists, service as quizzes_service
    from codedesk.reviews import service as reviews_service

    require_groups(user, "supervisor")
    person = service.person_in_teams(store, user.teams, user_id)
    progress = []
    for role in person.roles:
        try:
            checklist = checklists.read_checklist(store, view, team=person.team, user_id=person.user_id, role=role)
        except checklists.NoChecklist:
            continue
        progress.append(ChecklistProgress(role=role, done=checklist.done, total=checklist.total, items=checklist.items))
    wanted = ReviewFilter(assignee=person.user_id)
    reviews = reviews_service.list_reviews(store, wanted, teams=[person.team], today=now.date(), limit=100).items
    return PersonPage(
        **person.model_dump(),
        checklists=progress,
        open_reviews=sorted((r for r in reviews if r.status == "open"), key=lambda r: r.due_on),
        late_reviews=[r for r in reviews if r.late],
        quizzes=quizzes_service.standing_of(store, view, team=person.team, user_id=person.user_id, roles=person.roles),
    )


handler = make_handler(app)
