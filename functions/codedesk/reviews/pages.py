"""The calendar on the site: a page per year with quarter sections, a static .ics file per year, the
subscribe link, and the two review pages ("My reviews", "Assign and track")."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

from codedesk.content.bundle import ContentBundle
from codedesk.reviews.calendar import ReleaseCalendar
from codedesk.reviews.ical import calendar_feed
from codedesk.reviews.models import CalendarRelease, ReleaseRules, ReviewPolicy

YEARS_SHOWN = 3  # this year and the next two: a supervisor plans a year ahead
QUARTERS = ("Q1: January to March", "Q2: April to June", "Q3: July to September", "Q4: October to December")
SCRIPTS = Path(__file__).parent / "site"
_URL = re.compile(r"https?://\S+")


def site_pages(bundle: ContentBundle, *, today: date | None = None) -> dict[str, str]:
    rules, policies = bundle.of(ReleaseRules), bundle.of(ReviewPolicy)
    if not (rules and policies):
        return {}
    calendar = ReleaseCalendar(rules[0][1], policies[0][1])
    first = (today or date.today()).year
    years = list(range(first, first + YEARS_SHOWN))
    # The content's own review date, not the build time: the same content gives the same file.
    stamped = datetime.combine(calendar.revised_on, time(0), UTC)
    pages = {"calendar/index.md": _index(calendar, years)}
    for year in years:
        pages[f"calendar/{year}.md"] = _year_page(calendar, year)
        pages[f"calendar/{_ics_name(year)}"] = calendar_feed(
            calendar.releases(year),
            calendar.policy,
            generated_at=stamped,
            revised_on=calendar.revised_on,
            name=f"Code-set releases {year}",
        ).decode("utf-8")
    pages["calendar/my-reviews.md"] = (SCRIPTS / "my-reviews.md").read_text(encoding="utf-8")
    pages["calendar/assign-reviews.md"] = (SCRIPTS / "assign-reviews.md").read_text(encoding="utf-8")
    pages["calendar/reviews.js"] = (SCRIPTS / "reviews.js").read_text(encoding="utf-8")
    return pages


def _ics_name(year: int) -> str:
    return f"codedesk-releases-{year}.ics"


SUBSCRIBE = """\
## Put it in your calendar

<div class="cd-subscribe" markdown>
**Subscribe** (Outlook, Google Calendar, Apple Calendar): add a calendar "from URL" with the address
below. It covers this year and the next and updates itself, so new or moved dates arrive without a
re-import.

<p><code class="cd-feed-url">/api/calendar.ics</code>
<a class="md-button cd-feed-link" href="/api/calendar.ics">Subscribe</a></p>
</div>

<script type="module" src="{script}"></script>
"""


def _index(calendar: ReleaseCalendar, years: list[int]) -> str:
    policy = calendar.policy
    lines = [
        "# Code-set release calendar",
        "",
        "Code sets change on fixed dates. Claims that still use last quarter's codes are rejected "
        "automatically, so after each release the team meets for a "
        f"**{policy.duration_minutes}-minute review**, due within **{policy.review_within_days} days** of the "
        "date the release takes effect (a due date on a weekend or a US federal holiday moves to the next "
        "business day).",
        "",
        "| Year | Calendar file |",
        "|---|---|",
    ]
    for year in years:
        lines.append(f"| [{year}]({year}.md) | [{_ics_name(year)}]({_ics_name(year)}) |")
    lines += [
        "",
        "Supervisors assign each review on [Assign and track reviews](assign-reviews.md); staff find "
        "theirs on [My reviews](my-reviews.md).",
        "",
        "## Who attends",
        "",
        "| Code set | Roles |",
        "|---|---|",
    ]
    for code_set, roles in calendar.policy.attendees.items():
        lines.append(f"| {code_set.value} | {', '.join(roles)} |")
    lines += ["", SUBSCRIBE.format(script="reviews.js")]
    return "\n".join(lines)


def _day(value: date) -> str:
    return f"{value:%a %b} {value.day}, {value.year}"


def _marks(release: CalendarRelease) -> str:
    caveats = release.caveats()
    return f" ({', '.join(f'*{caveat}*' for caveat in caveats)})" if caveats else ""


def _source(source: str) -> str:
    """The publisher's name linked to the URL the source cites (the rest stays in the file)."""
    found = _URL.search(source)
    publisher = source.split(",", 1)[0].split(":", 1)[0].strip()
    return f"[{publisher}]({found.group(0)})" if found else source


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _year_page(calendar: ReleaseCalendar, year: int) -> str:
    releases = calendar.releases(year)
    lines = [
        f"# Code-set releases in {year}",
        "",
        f"Every release below is followed by a {calendar.policy.duration_minutes}-minute team review. "
        f"Download the year as a calendar file: [{_ics_name(year)}]({_ics_name(year)}), or subscribe "
        "(bottom of the page).",
        "",
    ]
    for quarter, title in enumerate(QUARTERS):
        in_quarter = [r for r in releases if (r.effective_on.month - 1) // 3 == quarter]
        lines += [f"## {title}", ""]
        if not in_quarter:
            lines += ["No release takes effect this quarter.", ""]
            continue
        lines += ["| Takes effect | Release | Review due | Who attends | Source |", "|---|---|---|---|---|"]
        for release in in_quarter:
            name = _cell(release.title) + _marks(release)
            if release.published_on:
                name += f"<br>published {_day(release.published_on)}"
            lines.append(
                f"| {_day(release.effective_on)} | {name} | {_day(release.review_due_on)} "
                f"| {', '.join(release.attendees)} | {_source(release.source)} |"
            )
        lines.append("")
    notes = {r.note for r in releases if r.note}
    if notes:
        lines += ["## Notes", ""] + [f"- {_cell(note)}" for note in sorted(notes)] + [""]
    lines.append(SUBSCRIBE.format(script="../reviews.js"))
    return "\n".join(lines)
