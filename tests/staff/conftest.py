from __future__ import annotations

from datetime import UTC, datetime

import pytest

from codedesk.staff.models import Person
from codedesk.staff.service import add_people

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def people(*rows: tuple[str, str, list[str], str] | tuple[str, str, list[str], str, bool]) -> list[Person]:
    return [
        Person.model_validate(
            {
                "user_id": row[0],
                "name": row[1],
                "roles": row[2],
                "team": row[3],
                "active": row[4] if len(row) > 4 else True,
            }
        )
        for row in rows
    ]


NORTH = people(
    ("mlopez", "María López", ["biller"], "north"),
    ("mhart", "Maria Hart", ["receptionist"], "north"),
    ("oneil", "Seán O'Neil", ["coder", "biller"], "north"),
    ("gone", "Gina Left", ["biller"], "north", False),
    ("sam", "Sam Supervisor", ["supervisor"], "north"),
)
SOUTH = people(("tkim", "Tae Kim", ["biller"], "south"), ("sue", "Sue South", ["supervisor"], "south"))


@pytest.fixture
def directory(table):
    add_people(table, NORTH + SOUTH, NOW)
    return table


@pytest.fixture
def staff_api(directory, monkeypatch):
    """The staff function over a store holding the two teams' directories."""
    from codedesk.web import deps

    monkeypatch.setenv("CODEDESK_STORE", f"sqlite:///{directory.path}")
    deps.reset()
    yield directory
    deps.reset()
