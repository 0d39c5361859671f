"""Assigned release reviews: a supervisor assigns, the assignee completes, everyone sees where things stand.

Reviews are user data, kept directly in the table (not versioned content). One review per release
and assignee; its key is derived from both, so assigning twice finds the first one instead of
creating a second. Items:

- the review: PK `USER#<assignee>`, SK `REVIEW#<release_id>` — an assignee's reviews are one query;
  GSI1PK `REVIEWSTATUS#<status>`, GSI1SK `<due_on>#<release_id>#<assignee>` — open reviews sorted by
  due date, so "overdue" and "due within two days" are one range query (completing moves the item
  to the `done` partition of the index);
- the release's roster: PK `REVIEWSOF#<release_id>`, SK `<assignee>` — who was assigned a release.

Both are written in one transaction, conditional on the review not existing yet.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from codedesk.errors import Conflict, Forbidden, Invalid, NotFound
from codedesk.reviews.calendar import ReleaseCalendar
from codedesk.reviews.models import CalendarRelease, ReleaseCodeSet
from codedesk.store import cursors
from codedesk.store.keys import SEPARATOR, Prefix, key, user_key
from codedesk.store.port import (
    ConditionFailed,
    Item,
    Page,
    Put,
    Table,
    TransactionCanceled,
    attr_equals,
    item_absent,
    sk_begins_with,
    sk_lt,
)

INDEX = "GSI1"
OPEN = "open"
DONE = "done"
Status = Literal["open", "done"]
MAX_ASSIGNEES = 50
MAX_NOTES = 2000


# ------------------------------------------------------------------------------ errors


class UnknownRelease(NotFound):
    pass


class ReviewNotFound(NotFound):
    pass


class NotYourReview(Forbidden):
    pass


class AlreadyCompleted(Conflict):
    pass


class InvalidReviewRequest(Invalid):
    pass


# ------------------------------------------------------------------------------ models


class ReleaseReview(BaseModel):
    """One assignee's review of one release, as the API shows it."""

    model_config = ConfigDict(extra="forbid")

    review_id: str
    release_id: str
    code_set: ReleaseCodeSet
    title: str
    assignee: str
    due_on: date
    status: Status
    overdue: bool
    assigned_by: str
    assigned_at: datetime
    completed_at: datetime | None = None
    acknowledged: bool = False
    notes: str | None = None
    changes_url: str | None = None


@dataclass(frozen=True)
class Assignment:
    review: ReleaseReview
    created: bool  # False: the assignee already had this review, which is returned unchanged


@dataclass(frozen=True)
class ReviewPage:
    items: list[ReleaseReview]
    next_cursor: str | None


# -------------------------------------------------------------------------------- keys


def review_id(release_id: str, assignee: str) -> str:
    """Opaque, URL-safe and reversible: the id alone locates the item, no lookup table needed."""
    raw = json.dumps([release_id, assignee], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_review_id(value: str) -> tuple[str, str] | None:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        release, assignee = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        return None
    if not (isinstance(release, str) and isinstance(assignee, str) and release and assignee):
        return None
    return release, assignee


def _escaped(user_id: str) -> str:
    return user_id.replace(SEPARATOR, "%23")


def _review_key(release_id: str, assignee: str) -> tuple[str, str]:
    return user_key(assignee), key(Prefix.REVIEW, release_id)


def _status_partition(status: str) -> str:
    return key(Prefix.REVIEWS_BY_STATUS, status)


def _due_sort_key(due_on: date, release_id: str, assignee: str) -> str:
    return f"{due_on.isoformat()}{SEPARATOR}{release_id}{SEPARATOR}{_escaped(assignee)}"


def _roster_key(release_id: str, assignee: str) -> tuple[str, str]:
    return key(Prefix.REVIEWS_OF_RELEASE, release_id), _escaped(assignee)


# ----------------------------------------------------------------------- item mapping


def _review_item(release: CalendarRelease, assignee: str, due_on: date, assigned_by: str, now: datetime) -> Item:
    pk, sk = _review_key(release.release_id, assignee)
    item: Item = {
        "PK": pk,
        "SK": sk,
        "GSI1PK": _status_partition(OPEN),
        "GSI1SK": _due_sort_key(due_on, release.release_id, assignee),
        "review_id": review_id(release.release_id, assignee),
        "release_id": release.release_id,
        "code_set": release.code_set.value,
        "title": release.title,
        "assignee": assignee,
        "due_on": due_on.isoformat(),
        "status": OPEN,
        "assigned_by": assigned_by,
        "assigned_at": now.isoformat(),
        "acknowledged": False,
    }
    if release.changes_url:
        item["changes_url"] = release.changes_url
    return item


def _review(item: Item, today: date) -> ReleaseReview:
    due_on = date.fromisoformat(item["due_on"])
    return ReleaseReview(
        review_id=item["review_id"],
        release_id=item["release_id"],
        code_set=item["code_set"],
        title=item["title"],
        assignee=item["assignee"],
        due_on=due_on,
        status=item["status"],
        overdue=item["status"] == OPEN and due_on < today,
        assigned_by=item["assigned_by"],
        assigned_at=item["assigned_at"],
        completed_at=item.get("completed_at"),
        acknowledged=item.get("acknowledged", False),
        notes=item.get("notes"),
        changes_url=item.get("changes_url"),
    )


# ------------------------------------------------------------------------------ assign


def _clean_assignees(assignees: Sequence[str]) -> list[str]:
    cleaned = list(dict.fromkeys(a.strip() for a in assignees if a.strip()))
    if not cleaned:
        raise InvalidReviewRequest(
            "Name at least one person to assign the review to.", [{"field": "assignees", "message": "empty"}]
        )
    if len(cleaned) > MAX_ASSIGNEES:
        raise InvalidReviewRequest(
            f"Assign at most {MAX_ASSIGNEES} people at a time (got {len(cleaned)}); split the list.",
            [{"field": "assignees", "message": f"more than {MAX_ASSIGNEES}"}],
        )
    return cleaned


def assign_review(
    table: Table,
    calendar: ReleaseCalendar,
    *,
    release_id: str,
    assignees: Sequence[str],
    assigned_by: str,
    now: datetime,
    due_on: date | None = None,
) -> list[Assignment]:
    """Assign a release's review to each assignee once; an existing assignment is returned, not repeated."""
    release = calendar.release(release_id)
    if release is None:
        raise UnknownRelease(
            f"There is no release {release_id!r}. Pick one from the release calendar (GET /api/releases?year=).",
            [{"field": "release_id", "message": "unknown release"}],
        )
    due = due_on or release.review_due_on
    if due < release.effective_on:
        raise InvalidReviewRequest(
            f"The review cannot be due ({due.isoformat()}) before the release takes effect "
            f"({release.effective_on.isoformat()}); pick a later date or leave it out.",
            [{"field": "due_on", "message": "before the effective date"}],
        )
    return [_assign_one(table, release, assignee, due, assigned_by, now) for assignee in _clean_assignees(assignees)]


def _assign_one(table: Table, release: CalendarRelease, assignee: str, due_on: date, assigned_by: str, now: datetime):
    item = _review_item(release, assignee, due_on, assigned_by, now)
    roster_pk, roster_sk = _roster_key(release.release_id, assignee)
    try:
        table.transact_write(
            [
                Put(item, condition=item_absent()),
                Put({"PK": roster_pk, "SK": roster_sk, "assignee": assignee}, condition=item_absent()),
            ]
        )
    except TransactionCanceled:
        # Already assigned (perhaps by a concurrent request): the first assignment stands.
        existing = table.get(item["PK"], item["SK"])
        if existing is None:
            raise
        return Assignment(_review(existing, now.date()), created=False)
    return Assignment(_review(item, now.date()), created=True)


# ---------------------------------------------------------------------------- complete


def complete_review(
    table: Table, value: str, *, user_id: str, acknowledged: bool, notes: str | None, now: datetime
) -> ReleaseReview:
    """The assignee, and only the assignee, marks a review done; a second time is refused."""
    parsed = parse_review_id(value)
    if parsed is None:
        raise ReviewNotFound(f"There is no review {value!r}; reload your list of reviews.")
    release_id, assignee = parsed
    if assignee != user_id:
        raise NotYourReview("Only the person the review is assigned to can complete it.")
    if not acknowledged:
        raise InvalidReviewRequest(
            "Confirm that you reviewed the release (acknowledged: true) to complete it.",
            [{"field": "acknowledged", "message": "must be true"}],
        )
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise InvalidReviewRequest(
            f"Notes are limited to {MAX_NOTES} characters; shorten them.", [{"field": "notes", "message": "too long"}]
        )
    pk, sk = _review_key(release_id, assignee)
    changes: dict[str, Any] = {
        "status": DONE,
        "GSI1PK": _status_partition(DONE),
        "completed_at": now.isoformat(),
        "acknowledged": True,
    }
    if notes:
        changes["notes"] = notes
    try:
        updated = table.update(pk, sk, changes=changes, condition=attr_equals("status", OPEN))
    except ConditionFailed:
        existing = table.get(pk, sk)
        if existing is None:
            raise ReviewNotFound(f"There is no review {value!r}; reload your list of reviews.") from None
        raise AlreadyCompleted(
            f"This review was already completed on {existing.get('completed_at', '?')[:10]}; nothing to do.",
            [{"review_id": value, "completed_at": existing.get("completed_at")}],
        ) from None
    return _review(updated, now.date())


# -------------------------------------------------------------------------------- list


def open_reviews_due_before(table: Table, day: date, *, today: date) -> Iterator[ReleaseReview]:
    """Every open review due before `day`, earliest first: one range query on the status index."""
    cursor = None
    while True:
        page = _status_page(table, OPEN, None, cursor, sk_lt(day.isoformat()))
        yield from (_review(item, today) for item in page.items)
        if page.cursor is None:
            return
        cursor = page.cursor


@dataclass(frozen=True)
class ReviewFilter:
    assignee: str | None = None
    status: Status | None = None
    release_id: str | None = None
    overdue: bool = False

    def keeps(self, review: ReleaseReview) -> bool:
        return (
            (self.assignee is None or review.assignee == self.assignee)
            and (self.status is None or review.status == self.status)
            and (self.release_id is None or review.release_id == self.release_id)
            and (not self.overdue or review.overdue)
        )


def list_reviews(
    table: Table, wanted: ReviewFilter, *, today: date, limit: int = 25, cursor: str | None = None
) -> ReviewPage:
    """Reviews matching every given filter. The narrowest key answers; the other filters sift that
    page, so a page may hold fewer than `limit` reviews while `next_cursor` is still set."""
    sources = _sources(table, wanted, today)
    at, inner = _decode_cursor(cursor, len(sources))
    try:
        page = sources[at](limit, inner)
    except ValueError as error:  # the store's own part of the cursor was tampered with
        raise _foreign_cursor() from error
    if page.cursor is not None:
        next_cursor: str | None = _encode_cursor(at, page.cursor)
    elif at + 1 < len(sources):
        next_cursor = _encode_cursor(at + 1, None)
    else:
        next_cursor = None
    reviews = [_review(item, today) for item in page.items]
    return ReviewPage([r for r in reviews if wanted.keeps(r)], next_cursor)


PageSource = Callable[[int, str | None], Page]


def _sources(table: Table, wanted: ReviewFilter, today: date) -> list[PageSource]:
    """The partitions to read, in order: the assignee's, the release roster, or the status index
    (open reviews first, sorted by due date; overdue ones are a range of the open partition)."""
    if wanted.assignee is not None:
        assignee_pk, prefix = user_key(wanted.assignee), key(Prefix.REVIEW, "")
        return [lambda limit, cursor: table.query(assignee_pk, sk=sk_begins_with(prefix), limit=limit, cursor=cursor)]
    if wanted.release_id is not None:
        release = wanted.release_id
        return [lambda limit, cursor: _roster_page(table, release, limit, cursor)]
    if wanted.overdue:
        before_today = sk_lt(today.isoformat())
        return [lambda limit, cursor: _status_page(table, OPEN, limit, cursor, before_today)]
    statuses = [wanted.status] if wanted.status else [OPEN, DONE]
    return [_status_source(table, status) for status in statuses]


def _status_source(table: Table, status: str) -> PageSource:
    return lambda limit, cursor: _status_page(table, status, limit, cursor, None)


def _status_page(table: Table, status: str, limit: int | None, cursor: str | None, sk) -> Page:
    return table.query(_status_partition(status), sk=sk, index=INDEX, limit=limit, cursor=cursor)


def _roster_page(table: Table, release: str, limit: int, cursor: str | None) -> Page:
    roster = table.query(key(Prefix.REVIEWS_OF_RELEASE, release), limit=limit, cursor=cursor)
    keys = [_review_key(release, entry["assignee"]) for entry in roster.items]
    found = {(item["PK"], item["SK"]): item for item in table.batch_get(keys)} if keys else {}
    return Page([found[k] for k in keys if k in found], roster.cursor)


def _encode_cursor(at: int, inner: str | None) -> str:
    return cursors.encode("rv", [at, inner])  # which source, and the store's position in it


def _decode_cursor(cursor: str | None, sources: int) -> tuple[int, str | None]:
    if cursor is None:
        return 0, None
    try:
        at, inner = cursors.decode("rv", cursor)
    except (ValueError, TypeError):
        at, inner = -1, None
    if not (isinstance(at, int) and 0 <= at < sources and (inner is None or isinstance(inner, str))):
        raise _foreign_cursor()
    return at, inner


def _foreign_cursor() -> InvalidReviewRequest:
    return InvalidReviewRequest(
        "This cursor does not belong to this list; start again without a cursor.",
        [{"field": "cursor", "message": "not a cursor of this list"}],
    )
