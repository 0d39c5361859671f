"""`codedesk staff add|list|import|team`: keep the local staff directory (on AWS, Cognito sign-ins fill
it) and a team's settings."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from codedesk import settings
from codedesk.roles import ROLES
from codedesk.web.auth import DEFAULT_TEAM

# The commands import pydantic models, the store and rich when they run: start-up time only.


def add_commands(commands: argparse._SubParsersAction) -> None:
    staff = commands.add_parser(
        "staff",
        help="add, list or import the people of the staff directory",
        description="The staff directory: people by user id (the local sign-in name; Cognito's sub on AWS), "
        "with a display name, roles and team. Reviews are assigned and reports kept by user id.",
    )
    actions = staff.add_subparsers(dest="staff_command", required=True, metavar="ACTION")

    def store_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--store", default=None, help="store URL (default: $CODEDESK_STORE or sqlite:///data/codedesk.db)"
        )

    add = actions.add_parser(
        "add", help="add a person, or change one", description='e.g. codedesk staff add mlopez --name "María López" '
        "--roles biller --team north",
    )  # fmt: skip
    add.add_argument("user_id", help="the person's user id (what they sign in as)")
    add.add_argument("--name", required=True, help="display name; spaces, accents and apostrophes are fine")
    add.add_argument("--roles", default="", help=f"comma-separated, from {', '.join(ROLES)}")
    add.add_argument("--team", default=DEFAULT_TEAM, help=f"team (clinic) id (default {DEFAULT_TEAM})")
    add.add_argument("--inactive", action="store_true", help="record the person as no longer active")
    store_option(add)
    add.set_defaults(run=cmd_add)

    listing = actions.add_parser("list", help="list a team's people", description="List a team's people by name.")
    listing.add_argument("--team", default=DEFAULT_TEAM, help=f"team (clinic) id (default {DEFAULT_TEAM})")
    store_option(listing)
    listing.set_defaults(run=cmd_list)

    team = actions.add_parser(
        "team",
        help="set a team's (clinic's) settings",
        description="Set the team's time zone: the site shows times in it, e.g. "
        "codedesk staff team north --time-zone America/Chicago",
    )
    team.add_argument("team", help="the team (clinic) id")
    team.add_argument("--time-zone", required=True, help="an IANA time zone name, e.g. America/Chicago")
    store_option(team)
    team.set_defaults(run=cmd_team)

    importer = actions.add_parser(
        "import",
        help="add or change people from a CSV file",
        description="Read a CSV with the header user_id,name,roles,team,active (roles separated by spaces "
        "or ';'; team and active optional). Every row is checked first: one bad row writes nothing.",
    )
    importer.add_argument("file", type=Path, metavar="FILE.csv")
    importer.add_argument("--team", default=DEFAULT_TEAM, help="team of rows without one")
    store_option(importer)
    importer.set_defaults(run=cmd_import)


def _table(args: argparse.Namespace):
    from codedesk.store import open_store

    return open_store(args.store or settings.default_store_url())


def cmd_add(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from codedesk.staff.models import Person
    from codedesk.staff.service import add_people

    try:
        person = Person.model_validate(
            {
                "user_id": args.user_id,
                "name": args.name,
                "roles": [role.strip() for role in args.roles.split(",") if role.strip()],
                "team": args.team,
                "active": not args.inactive,
            }
        )
    except ValidationError as error:
        for problem in error.errors():
            print(f"codedesk staff add: {'.'.join(map(str, problem['loc']))}: {problem['msg']}", file=sys.stderr)
        return 2
    add_people(_table(args), [person], datetime.now(UTC))
    print(f"{person.user_id}: {person.name} ({', '.join(person.roles) or 'no role'}), team {person.team}")
    return 0


def cmd_team(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from codedesk.staff.models import Team
    from codedesk.staff.service import set_team

    try:
        team = Team.model_validate({"team": args.team, "time_zone": args.time_zone})
    except ValidationError as error:
        for problem in error.errors():
            print(f"codedesk staff team: {'.'.join(map(str, problem['loc']))}: {problem['msg']}", file=sys.stderr)
        return 2
    set_team(_table(args), team, datetime.now(UTC))
    print(f"team {team.team}: times are shown in {team.time_zone}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from codedesk.staff.service import team_people

    people = team_people(_table(args), [args.team])
    table = Table("user id", "name", "roles", "active", title=f"Team {args.team}: {len(people)} people")
    for person in people:
        table.add_row(person.user_id, person.name, ", ".join(person.roles), "yes" if person.active else "no")
    Console().print(table)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from codedesk.staff.service import add_people, people_from_csv

    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"codedesk staff import: {args.file}: {error}; nothing was written", file=sys.stderr)
        return 1
    people, problems = people_from_csv(text, default_team=args.team)
    if problems:
        for problem in problems:
            print(f"{args.file}:{problem}", file=sys.stderr)
        print(f"codedesk staff import: {len(problems)} problem(s); nothing was written", file=sys.stderr)
        return 1
    add_people(_table(args), people, datetime.now(UTC))
    print(f"imported {len(people)} people")
    return 0
