"""`codedesk calendar [YEAR]`: the releases and review due dates a year's rules give, straight from
content/ (so an editor sees the effect of a rule change before publishing), optionally as a .ics file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from codedesk.content.bundle import ContentBundle
from codedesk.content.problems import ContentProblem

LoadContent = Callable[[Path | None], tuple[ContentBundle, list[ContentProblem]]]
"""Reads all of content/ (codedesk.catalog.load_content, handed in by codedesk/cli.py: the calendar
shows the rules as `codedesk validate` reads them, and reviews does not know the other kinds)."""


# `cmd_calendar` imports rich, the calendar and icalendar when it runs: start-up time only.


def add_commands(commands: argparse._SubParsersAction, load_content: LoadContent) -> None:
    calendar = commands.add_parser(
        "calendar", help="list a year's code-set releases and review due dates",
        description="Generate the release calendar of YEAR (default: this year) from content/calendar and "
                    "print each release with its effective date and review due date; --ics also writes "
                    "the iCalendar file the site offers.")  # fmt: skip
    calendar.add_argument("year", type=int, nargs="?", default=None, help="calendar year (default: this year)")
    calendar.add_argument("--ics", type=Path, default=None, metavar="FILE", help="also write the year as FILE (.ics)")
    calendar.add_argument("--content", type=Path, default=None, help="content folder (default: the repository's)")
    calendar.set_defaults(run=cmd_calendar, load_content=load_content)


def _marks(release) -> str:
    return "".join(f"  ({caveat})" for caveat in release.caveats())


def cmd_calendar(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from codedesk.reviews.calendar import ReleaseCalendar, YearOutOfRange
    from codedesk.reviews.ical import calendar_feed
    from codedesk.reviews.models import ReleaseRules, ReviewPolicy

    bundle, problems = args.load_content(args.content)
    mine = [p for p in problems if p.path.startswith("calendar/") and p.severity == "error"]
    rules, policies = bundle.of(ReleaseRules), bundle.of(ReviewPolicy)
    if mine or not (rules and policies):
        for problem in mine:
            print(problem, file=sys.stderr)
        if not mine:
            print("codedesk calendar: content/calendar needs releases.yaml and review_policy.yaml", file=sys.stderr)
        return 1
    calendar = ReleaseCalendar(rules[0][1], policies[0][1])
    year = args.year or date.today().year
    try:
        releases = calendar.releases(year)
    except YearOutOfRange as error:
        print(f"codedesk calendar: {error}", file=sys.stderr)
        return 2
    table = Table(title=f"Code-set releases in {year}")
    for column in ("release id", "takes effect", "release", "review due", "who attends"):
        table.add_column(column, no_wrap=column != "release")
    for release in releases:
        table.add_row(release.release_id, f"{release.effective_on:%a %Y-%m-%d}", release.title + _marks(release),
                      f"{release.review_due_on:%a %Y-%m-%d}", ", ".join(release.attendees))  # fmt: skip
    Console().print(table)
    if args.ics:
        feed = calendar_feed(releases, calendar.policy, generated_at=datetime.now(UTC).replace(microsecond=0),
                             revised_on=calendar.revised_on, name=f"Code-set releases {year}")  # fmt: skip
        try:
            args.ics.write_bytes(feed)
        except OSError as error:
            print(f"codedesk calendar: cannot write {args.ics}: {error.strerror}", file=sys.stderr)
            return 1
        print(f"wrote {args.ics} ({2 * len(releases)} events)")
    return 0
