"""The rules of release reviews, without the store: ids, due dates, status, who may complete, filters.

Plain functions over values; records.py keeps the items and service.py puts the two together.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from codedesk.errors import Conflict, Forbidden, Invalid, NotFound
from codedesk.reviews.models import CalendarRelease, ReleaseCodeSet

OPEN = "open"
DONE = "done"
Status = Literal["open", "done"]
MAX_ASSIGNEES = 200  # a clinic's whole staff in one request; written 50 people to a transaction
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


# ------------------------------------------------------------------------------ values


class ReleaseReview(BaseModel):
    """One assignee's review of one release, as the API shows it."""

    model_config = ConfigDict(extra="forbid")

    review_id: str
    release_id: str
    code_set: ReleaseCodeSet
    title: str
    assignee: str = Field(description="the assignee's user_id")
    assignee_name: str = Field(description="the assignee's name in the staff directory when assigned")
    team: str
    due_on: date
    status: Status
    overdue: bool = Field(description="open past its due date")
    late: bool = Field(description="completed after its due date")
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


# --------------------------------------------------------------------------------- ids


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


# ------------------------------------------------------------------------------ assigning


def known_release(calendar, release_id: str) -> CalendarRelease:
    release = calendar.release(release_id)
    if release is None:
        raise UnknownRelease(
            f"There is no release {release_id!r}. Pick one from the release calendar (GET /api/releases?year=).",
            [{"field": "release_id", "message": "unknown release"}],
        )
    return release


def review_due_on(release: CalendarRelease, chosen: date | None) -> date:
    """The calendar's review date, or the supervisor's own, which may not precede the release."""
    due = chosen or release.review_due_on
    if due < release.effective_on:
        raise InvalidReviewRequest(
            f"The review cannot be due ({due.isoformat()}) before the release takes effect "
            f"({release.effective_on.isoformat()}); pick a later date or leave it out.",
            [{"field": "due_on", "message": "before the effective date"}],
        )
    return due


def clean_assignees(assignees: Sequence[str]) -> list[str]:
    """The user ids as typed, trimmed, each once, in the order given."""
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


# ----------------------------------------------------------------------------- completing


def check_completion(value: str, *, user_id: str, acknowledged: bool, notes: str | None) -> tuple[str, str, str]:
    """(release id, assignee, cleaned notes) if this person may complete the review `value` names."""
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
    cleaned = (notes or "").strip()
    if len(cleaned) > MAX_NOTES:
        raise InvalidReviewRequest(
            f"Notes are limited to {MAX_NOTES} characters; shorten them.", [{"field": "notes", "message": "too long"}]
        )
    return release_id, assignee, cleaned


# --------------------------------------------------------------------------------- status


def is_late(status: str, due_on: date, completed_on: str | None) -> bool:
    """Completed after the day it was due (the clinic's day it was completed on)."""
    return status == DONE and completed_on is not None and date.fromisoformat(completed_on[:10]) > due_on


def is_overdue(status: str, due_on: date, today: date) -> bool:
    """Open past its due date; due today is not overdue yet, and a done review never is."""
    return status == OPEN and due_on < today
