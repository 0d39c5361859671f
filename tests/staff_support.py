"""People in the staff directory, for tests of the routes that name people by user_id."""

from __future__ import annotations

from datetime import UTC, datetime

from codedesk.staff.models import Person
from codedesk.staff.service import add_people
from codedesk.store.port import Table


def in_directory(table: Table, people: dict[str, str], *, team: str = "main", name: str | None = None) -> None:
    """Record each `user_id: role` as an active person of `team`, named after the user id."""
    add_people(
        table,
        [
            Person.model_validate({"user_id": user_id, "name": name or user_id.title(), "roles": [role], "team": team})
            for user_id, role in people.items()
        ],
        datetime(2026, 12, 1, tzinfo=UTC),
    )
