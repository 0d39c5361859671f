"""The staff function: the directory a supervisor picks people from, limited to their own teams."""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel

from codedesk.roles import Role
from codedesk.staff import service
from codedesk.staff.models import Person
from codedesk.store import cursors
from codedesk.web.auth import require_groups
from codedesk.web.deps import SignedIn, Store
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


@app.get("/api/staff/<user_id>")
def read_person(user_id: Annotated[str, Path(max_length=128)], user: SignedIn, store: Store) -> Person:
    require_groups(user, "supervisor")
    return service.person_in_teams(store, user.teams, user_id)


handler = make_handler(app)
