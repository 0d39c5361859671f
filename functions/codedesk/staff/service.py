"""The staff directory: recording who signs in, finding people, and checking the people a request names.

Round trips: a sign-in is one get (and one put when the person is new or their name or roles
changed); listing a team is one query; reading one person is one batch get over the reader's teams;
checking n assignees is ⌈n·teams/100⌉ batch gets, plus one query of each team only when some are
unknown (to suggest the closest matches).
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from codedesk.errors import InvalidFields, NotFound
from codedesk.staff import records
from codedesk.staff.models import Person, Team, folded
from codedesk.store.port import Table

MAX_SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.6
CSV_COLUMNS = ("user_id", "name", "roles", "team", "active")


class PersonNotFound(NotFound):
    """Nobody of that id in the reader's teams: another team's person is as absent as one who never was."""


class NotYourTeam(NotFound):
    """A team the reader does not belong to: as absent to them as a team that does not exist."""


def chosen_teams(own: Sequence[str], team: str | None) -> tuple[str, ...]:
    """The reader's teams, or the one they asked for if it is theirs."""
    if team is None:
        return tuple(own)
    if team not in own:
        raise NotYourTeam(f"You belong to no team {team!r}; yours: {', '.join(own)}.")
    return (team,)


class UnknownPeople(InvalidFields):
    """Some people a request names are not (active) members of the caller's teams."""


def record_sign_in(table: Table, person: Person, now: datetime) -> Person:
    """Keep the directory current with what a sign-in says: a new person is added, a changed name or
    change of roles is written; whether someone is active stays the directory's own say."""
    known = records.read_person(table, person.team, person.user_id)
    if known is not None:
        person = person.model_copy(update={"active": known.active})
        if known == person:
            return known
    records.write_people(table, [person], now)
    return person


def add_people(table: Table, people: Sequence[Person], now: datetime) -> None:
    records.write_people(table, people, now)


def set_active(table: Table, team: str, user_id: str, active: bool, now: datetime) -> bool:
    """Mark a person of the directory active or not; whether that changed anything (someone never
    recorded is left unrecorded)."""
    return records.write_active(table, team, user_id, active, now)


def team_settings(table: Table, team: str) -> Team:
    """The team's settings (its time zone): one get."""
    return records.read_team_settings(table, team)


def set_team(table: Table, team: Team, now: datetime) -> None:
    records.write_team_settings(table, team, now)


def clinic_today(table: Table, team: str, now: datetime) -> date:
    """The date on the team's clock (its time zone): due dates and "late" are the clinic's days. One get."""
    return now.astimezone(ZoneInfo(team_settings(table, team).time_zone)).date()


def team_ids(table: Table) -> list[str]:
    """Every team (clinic) of the deployment that has people."""
    return records.read_team_ids(table)


def team_people(table: Table, teams: Sequence[str]) -> list[Person]:
    """Everyone of the teams, by name."""
    people = [person for team in dict.fromkeys(teams) for person in records.read_team(table, team)]
    return sorted(people, key=lambda person: (folded(person.name), person.user_id))


def find_people(
    table: Table, teams: Sequence[str], *, q: str | None = None, role: str | None = None, active_only: bool = False
) -> list[Person]:
    """The type-ahead: people whose name or user id has a word starting with `q` (accents and case
    ignored; "lop" finds "María López"), optionally of one role, by name."""
    wanted = folded(q or "")
    return [
        person
        for person in team_people(table, teams)
        if (not role or role in person.roles)
        and (not active_only or person.active)
        and (not wanted or _matches(wanted, person))
    ]


def _matches(wanted: str, person: Person) -> bool:
    """Whether the name, from the start of one of its words, or the user id begins with `wanted`
    ("lop", "maria lo", "o'neil" and "neil" all find "Seán O'Neil" or "María López")."""
    name = folded(person.name)
    starts = [0] + [at + 1 for at, char in enumerate(name) if char in " '-"]
    return folded(person.user_id).startswith(wanted) or any(name.startswith(wanted, at) for at in starts)


def person_in_teams(table: Table, teams: Sequence[str], user_id: str) -> Person:
    found = records.read_people(table, teams, [user_id])
    if not found:
        raise PersonNotFound(f"Nobody with the user id {user_id!r} works in your team.")
    return found[0]


def active_people(table: Table, teams: Sequence[str], user_ids: Sequence[str], *, field: str) -> dict[str, Person]:
    """user_id → person for each of `user_ids`, all active members of `teams`; otherwise an
    UnknownPeople (422) naming each unknown or inactive one in `field`, with the closest user ids."""
    found = {person.user_id: person for person in records.read_people(table, teams, user_ids)}
    unknown = [user_id for user_id in user_ids if user_id not in found]
    inactive = [user_id for user_id in user_ids if user_id in found and not found[user_id].active]
    if not unknown and not inactive:
        return found
    everyone = team_people(table, teams) if unknown else []
    details = [
        {
            "field": field,
            "value": user_id,
            "message": "nobody in your team has this user id",
            "suggestions": closest_user_ids(user_id, everyone),
        }
        for user_id in unknown
    ] + [
        {"field": field, "value": user_id, "message": f"{found[user_id].name} is no longer active", "suggestions": []}
        for user_id in inactive
    ]
    names = ", ".join(repr(detail["value"]) for detail in details)
    raise UnknownPeople(f"Not an active person of your team: {names}. Pick people from the directory.", details)


def closest_user_ids(typed: str, people: Sequence[Person]) -> list[str]:
    """The user ids of the people whose id, name or one word of the name is closest to `typed`
    ("mraia" → maria's id; "Lopez" → María López's)."""
    candidates: dict[str, str] = {}
    for person in people:
        if not person.active:
            continue
        name = folded(person.name)
        for form in (folded(person.user_id), name, *name.split()):
            candidates.setdefault(form, person.user_id)
    if not candidates:  # nobody (active) in the team yet: nothing to suggest
        return []
    matches = difflib.get_close_matches(folded(typed), list(candidates), n=len(candidates), cutoff=SUGGESTION_CUTOFF)
    return list(dict.fromkeys(candidates[match] for match in matches))[:MAX_SUGGESTIONS]


# ---------------------------------------------------------------------------- CSV import


@dataclass(frozen=True)
class CsvProblem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.field}: {self.message}"


def people_from_csv(text: str, *, default_team: str) -> tuple[list[Person], list[CsvProblem]]:
    """People from a CSV with a header naming `user_id` and `name` (and optionally `roles`, separated
    by spaces or `;`, `team` and `active`); every bad row is reported with its line, none is half-read."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in ("user_id", "name") if column not in (reader.fieldnames or [])]
    if missing:
        return [], [CsvProblem(1, ", ".join(missing), f"the header needs the columns {', '.join(CSV_COLUMNS)}")]
    people: list[Person] = []
    problems: list[CsvProblem] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        user_id = (row.get("user_id") or "").strip()
        if user_id in seen:
            problems.append(CsvProblem(line, "user_id", f"{user_id!r} is already on line {seen[user_id]}"))
            continue
        seen[user_id] = line
        active = (row.get("active") or "true").strip().lower()
        if active not in ("true", "false", "yes", "no", "1", "0"):
            problems.append(CsvProblem(line, "active", f"{active!r} is not true or false"))
            continue
        try:
            row_person = {
                "user_id": user_id,
                "name": row.get("name") or "",
                "roles": (row.get("roles") or "").replace(";", " ").split(),
                "team": (row.get("team") or "").strip() or default_team,
                "active": active in ("true", "yes", "1"),
            }
            people.append(Person.model_validate(row_person))
        except ValidationError as error:
            problems += [
                CsvProblem(line, ".".join(str(part) for part in e["loc"]) or "row", e["msg"]) for e in error.errors()
            ]
    return people, problems
