"""Assigned release reviews: a supervisor assigns, the assignee completes, everyone sees where things stand.

The service puts the rules (rules.py: ids, due dates, who may complete, overdue) and the records
(records.py: keys, items, store calls) together. People are named by user_id and must be active
people of the supervisor's teams in the staff directory. Round trips: assigning n people reads them
from the directory and their reviews in ⌈n/100⌉ batch gets each and writes the new ones in
⌈new/50⌉ transactions (a review and its roster entry each); completing is one conditional update; a
list page is one query per team (a release's list adds one batch get).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime

from codedesk.reviews import records
from codedesk.reviews.calendar import ReleaseCalendar
from codedesk.reviews.rules import (
    AlreadyCompleted,
    Assignment,
    ReleaseReview,
    ReviewFilter,
    ReviewNotFound,
    ReviewPage,
    check_completion,
    clean_assignees,
    known_release,
    review_due_on,
)
from codedesk.staff import service as staff
from codedesk.store.port import Table


def assign_review(
    table: Table,
    calendar: ReleaseCalendar,
    *,
    teams: Sequence[str],
    release_id: str,
    assignees: Sequence[str],
    assigned_by: str,
    now: datetime,
    due_on: date | None = None,
) -> list[Assignment]:
    """Assign a release's review to each assignee once; an existing assignment is returned, not
    repeated. Assignees are user_ids of active people of `teams` (the supervisor's); anyone else is
    refused (422) with the closest user_ids, and nothing is written."""
    release = known_release(calendar, release_id)
    due = review_due_on(release, due_on)
    user_ids = clean_assignees(assignees)
    found = staff.active_people(table, teams, user_ids, field="assignees")
    people = [found[user_id] for user_id in user_ids]
    existing = records.read_reviews(table, release.release_id, people)
    new = {
        person.user_id: records.review_item(release, person, due, assigned_by, now)
        for person in people
        if person.user_id not in existing
    }
    raced = records.insert_reviews(table, list(new.values()))
    if raced:  # assigned by a concurrent request meanwhile: the first assignment stands
        existing.update(records.read_reviews(table, release.release_id, [found[user_id] for user_id in raced]))
    today = now.date()
    return [
        Assignment(records.review_of(existing[user_id], today), created=False)
        if user_id in existing
        else Assignment(records.review_of(new[user_id], today), created=True)
        for user_id in user_ids
    ]


def complete_review(
    table: Table,
    value: str,
    *,
    user_id: str,
    team: str,
    acknowledged: bool,
    notes: str | None,
    now: datetime,
    today: date | None = None,
) -> ReleaseReview:
    """The assignee, and only the assignee, marks a review done; a second time is refused. The review
    is looked for under the assignee's own team (their token's); `today` is the clinic's day (the
    day it counts as done on, for "late"), by default the UTC one."""
    release_id, assignee, cleaned = check_completion(value, user_id=user_id, acknowledged=acknowledged, notes=notes)
    today = today or now.date()
    updated = records.mark_done(table, team, release_id, assignee, notes=cleaned, now=now, today=today)
    if updated is None:
        existing = records.read_review(table, team, release_id, assignee)
        if existing is None:
            raise ReviewNotFound(f"There is no review {value!r}; reload your list of reviews.")
        raise AlreadyCompleted(
            f"This review was already completed on {existing.get('completed_at', '?')[:10]}; nothing to do.",
            [{"review_id": value, "completed_at": existing.get("completed_at")}],
        )
    return records.review_of(updated, today)


def open_reviews_due_before(table: Table, team: str, day: date, *, today: date) -> Iterator[ReleaseReview]:
    """Every open review of a team due before `day`, earliest first: one range query on the status index."""
    return (records.review_of(item, today) for item in records.open_items_due_before(table, team, day))


def list_reviews(
    table: Table,
    wanted: ReviewFilter,
    *,
    teams: Sequence[str],
    today: date,
    limit: int = 25,
    cursor: str | None = None,
) -> ReviewPage:
    """Reviews of `teams` matching every given filter. The narrowest key answers; the other filters
    sift that page, so a page may hold fewer than `limit` reviews while `next_cursor` is still set."""
    sources = records.sources(
        table,
        teams,
        assignee=wanted.assignee,
        release_id=wanted.release_id,
        status=wanted.status,
        overdue=wanted.overdue,
        today=today,
    )
    page = records.read_page(sources, limit, cursor)
    reviews = [records.review_of(item, today) for item in page.items]
    return ReviewPage([r for r in reviews if wanted.keeps(r)], page.cursor)
