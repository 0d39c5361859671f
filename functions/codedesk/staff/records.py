"""Where the staff directory is kept: keys, items and every store call of the staff domain.

One item per person: PK `STAFF#<team>`, SK `<user_id>`; one per team: PK `TEAM#ALL`, SK `<team>`
(the deployment's teams, for jobs that go through every team, such as the daily reminders). A team's directory is one partition, so the
people picker and "everyone of the team" in reports are one query (a clinic's few hundred people
fit one 1 MB page many times over), and a supervisor's teams bound what they can ever read: a
person is found only under a team the reader belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import datetime

from codedesk.staff.models import DEFAULT_TIME_ZONE, Person, Team
from codedesk.store.keys import SEPARATOR, Prefix, key
from codedesk.store.port import (
    MAX_BATCH_GET,
    MAX_BATCH_WRITE,
    ConditionFailed,
    Item,
    Table,
    attr_equals,
    item_absent,
)

TEAMS = key(Prefix.TEAM, "ALL")


def _escaped(user_id: str) -> str:
    return user_id.replace(SEPARATOR, "%23")


def person_key(team: str, user_id: str) -> tuple[str, str]:
    return key(Prefix.STAFF, team), _escaped(user_id)


def person_item(person: Person, now: datetime) -> Item:
    pk, sk = person_key(person.team, person.user_id)
    return {"PK": pk, "SK": sk, **person.model_dump(), "updated_at": now.isoformat()}


def person_of(item: Item) -> Person:
    return Person(
        user_id=item["user_id"], name=item["name"], roles=item["roles"], team=item["team"], active=item["active"]
    )


def read_team(table: Table, team: str) -> list[Person]:
    """Everyone of a team, in user_id order: one query per 1 MB of directory."""
    people: list[Person] = []
    cursor = None
    while True:
        page = table.query(key(Prefix.STAFF, team), cursor=cursor)
        people += [person_of(item) for item in page.items]
        cursor = page.cursor
        if cursor is None:
            return people


def read_people(table: Table, teams: Sequence[str], user_ids: Iterable[str]) -> list[Person]:
    """The people among `user_ids` found in any of `teams`: one batch get per 100 keys."""
    keys = [person_key(team, user_id) for user_id in dict.fromkeys(user_ids) for team in teams]
    found: list[Person] = []
    for start in range(0, len(keys), MAX_BATCH_GET):
        found += [person_of(item) for item in table.batch_get(keys[start : start + MAX_BATCH_GET])]
    return found


def read_person(table: Table, team: str, user_id: str) -> Person | None:
    item = table.get(*person_key(team, user_id))
    return None if item is None else person_of(item)


def write_people(table: Table, people: Sequence[Person], now: datetime) -> None:
    """Add or replace people (one batch write per 25), and register each team not known yet (one
    conditional put per team of the batch)."""
    items = [person_item(person, now) for person in people]
    for start in range(0, len(items), MAX_BATCH_WRITE):
        table.batch_write(puts=items[start : start + MAX_BATCH_WRITE])
    for team in sorted({person.team for person in people}):
        with suppress(ConditionFailed):  # known already: its settings stay as they are
            table.put({"PK": TEAMS, "SK": team, "team": team, "created_at": now.isoformat()}, condition=item_absent())


def write_active(table: Table, team: str, user_id: str, active: bool, now: datetime) -> bool:
    """One conditional update: only a recorded person whose flag differs is written."""
    try:
        table.update(
            *person_key(team, user_id),
            changes={"active": active, "updated_at": now.isoformat()},
            condition=attr_equals("active", not active),
        )
    except ConditionFailed:
        return False
    return True


def read_team_settings(table: Table, team: str) -> Team:
    item = table.get(TEAMS, team)
    return Team(team=team, time_zone=(item or {}).get("time_zone") or DEFAULT_TIME_ZONE)


def write_team_settings(table: Table, team: Team, now: datetime) -> None:
    table.update(
        TEAMS, team.team, changes={"team": team.team, "time_zone": team.time_zone, "updated_at": now.isoformat()}
    )


def read_team_ids(table: Table) -> list[str]:
    """Every team of the deployment: one query."""
    team_ids: list[str] = []
    cursor = None
    while True:
        page = table.query(TEAMS, cursor=cursor)
        team_ids += [item["team"] for item in page.items]
        cursor = page.cursor
        if cursor is None:
            return team_ids
