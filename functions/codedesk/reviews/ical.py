"""The release calendar as an iCalendar feed (RFC 5545) for Outlook, Google Calendar and Apple Calendar.

Each release gives two all-day events: the day it takes effect and the day its review is due. They
are all-day because the feed is shared by clinics in every time zone and the review's hour is the
team's choice; the 30 minutes are stated in the description. UIDs are derived from the release id
alone, so importing or refreshing the feed again updates the events instead of duplicating them;
SEQUENCE and LAST-MODIFIED follow the date the rules were last revised, so a calendar program that
already holds an event takes the newer dates over it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Calendar, Event

from codedesk.reviews.models import CalendarRelease, ReviewPolicy

PRODID = "-//Codedesk//Code-set release calendar//EN"
UID_DOMAIN = "codedesk"
FIRST_REVISION = date(2026, 1, 1)  # SEQUENCE counts days of rule revisions from here


def event_uid(release_id: str, kind: str) -> str:
    return f"{release_id}.{kind}@{UID_DOMAIN}"


def _all_day(event: Event, day) -> None:
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))  # DTEND is exclusive: one whole day
    event.add("transp", "TRANSPARENT")  # a date to know, not time blocked in the agenda


def _marks(release: CalendarRelease) -> str:
    caveats = release.caveats()
    return f" ({', '.join(caveats)})" if caveats else ""


def _description(release: CalendarRelease, policy: ReviewPolicy, site_url: str | None, *, review: bool) -> str:
    lines = []
    if review:
        lines.append(
            f"{policy.duration_minutes}-minute team review of {release.title}, "
            f"which took effect on {release.effective_on.isoformat()}."
        )
        lines.append(f"Who attends: {', '.join(release.attendees) or 'the team'}.")
    else:
        lines.append(f"{release.title} takes effect for dates of service from {release.effective_on.isoformat()}.")
        if release.published_on:
            lines.append(f"Published {release.published_on.isoformat()}.")
        lines.append(f"Team review due {release.review_due_on.isoformat()}.")
    if release.conditional:
        lines.append("Issued only in some years: check the publisher's site before the review.")
    if release.verify:
        lines.append("This date pattern is not yet confirmed: check the source before relying on it.")
    if release.note:
        lines.append(release.note)
    if release.changes_url and site_url:
        lines.append(f"What changed: {site_url.rstrip('/')}{release.changes_url}")
    lines.append(f"Source: {release.source}")
    return "\n".join(lines)


@dataclass(frozen=True)
class _Stamp:
    generated_at: datetime
    revised_on: date

    def apply(self, event: Event) -> None:
        event.add("dtstamp", self.generated_at)
        event.add("last-modified", datetime.combine(self.revised_on, time(0), UTC))
        event.add("sequence", max(0, (self.revised_on - FIRST_REVISION).days))


def _event(release: CalendarRelease, policy: ReviewPolicy, stamp: _Stamp, site_url: str | None, *, review: bool):
    event = Event()
    kind = "review" if review else "effective"
    event.add("uid", event_uid(release.release_id, kind))
    stamp.apply(event)
    if review:
        event.add("summary", f"Review due: {release.title}{_marks(release)}")
        _all_day(event, release.review_due_on)
    else:
        event.add("summary", f"Takes effect: {release.title}{_marks(release)}")
        _all_day(event, release.effective_on)
    event.add("description", _description(release, policy, site_url, review=review))
    event.add("categories", [release.code_set.value])
    if release.changes_url and site_url:
        event.add("url", f"{site_url.rstrip('/')}{release.changes_url}")
    return event


def calendar_feed(
    releases: Iterable[CalendarRelease],
    policy: ReviewPolicy,
    *,
    generated_at: datetime,
    revised_on: date,
    name: str,
    site_url: str | None = None,
) -> bytes:
    """The `.ics` bytes. `generated_at` (timezone-aware) is every event's DTSTAMP, passed in so the
    output depends only on the inputs and a static file does not change on every build;
    `revised_on` is the calendar's revision (ReleaseCalendar.revised_on)."""
    if generated_at.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware (DTSTAMP is written in UTC)")
    stamp = _Stamp(generated_at.astimezone(UTC), revised_on)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    # Subscribed calendars poll at this pace (Outlook reads X-PUBLISHED-TTL, others REFRESH-INTERVAL).
    calendar.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    for release in releases:
        calendar.add_component(_event(release, policy, stamp, site_url, review=False))
        calendar.add_component(_event(release, policy, stamp, site_url, review=True))
    return calendar.to_ical()
