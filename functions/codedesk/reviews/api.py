"""The reviews function: the release calendar (JSON and iCalendar) and supervisor-assigned reviews."""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

import os
from datetime import date
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, ConfigDict, Field

from codedesk.content.view import ContentView
from codedesk.errors import Forbidden, Unavailable
from codedesk.reviews import service
from codedesk.reviews.calendar import FIRST_YEAR, LAST_YEAR, ReleaseCalendar
from codedesk.reviews.models import CalendarRelease
from codedesk.reviews.publish import published_calendar
from codedesk.reviews.rules import MAX_ASSIGNEES, MAX_NOTES, ReleaseReview, ReviewFilter
from codedesk.reviews.warnings import assignment_warnings
from codedesk.staff import service as staff
from codedesk.web.auth import require_groups
from codedesk.web.deps import Content, Now, SignedIn, Store
from codedesk.web.resolver import make_handler, make_resolver

app = make_resolver()

Year = Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="calendar year; default: this year")]


# ---------------------------------------------------------------------------- models


class ReleaseList(BaseModel):
    year: int
    items: list[CalendarRelease]
    next_cursor: None = None  # a year's releases always fit one page


class AssignReviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    release_id: str = Field(min_length=1, max_length=64, examples=["hcpcs-2027-q1"])
    assignees: list[Annotated[str, Field(min_length=1, max_length=128)]] = Field(
        min_length=1, max_length=MAX_ASSIGNEES, description="user ids of the staff who review"
    )
    due_on: date | None = Field(None, description="default: the calendar's review due date")


class AssignedReview(ReleaseReview):
    created: bool = Field(description="false when the person already had this review; it is returned unchanged")


class AssignedReviews(BaseModel):
    items: list[AssignedReview]
    warnings: list[str] = Field(default_factory=list, description="what the supervisor should know (see below)")


class AssignmentWarnings(BaseModel):
    warnings: list[str] = Field(
        description="the due date has already passed; the release's changes are not loaded (nothing to review)"
    )


class CompleteReviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    acknowledged: bool = Field(description="must be true: I have reviewed this release's changes")
    notes: str | None = Field(None, max_length=MAX_NOTES)


class ReviewList(BaseModel):
    items: list[ReleaseReview]
    next_cursor: str | None


# ------------------------------------------------------------------------- helpers


def _warnings(view: ContentView, release: CalendarRelease, due_on: date, today: date) -> list[str]:
    # Lazy for cold start: only the assign routes need the codes service.
    from codedesk.codes import service as codes_service
    from codedesk.codes.models import CodeSystem

    loaded = (
        codes_service.changes_loaded(view, CodeSystem(release.code_set.value), release.effective_on.isoformat())
        if release.changes_url is not None
        else None
    )
    return assignment_warnings(release, due_on, today, changes_loaded=loaded)


def _calendar(view: ContentView) -> ReleaseCalendar:
    calendar = published_calendar(view)
    if calendar is None:
        raise Unavailable("The release calendar has not been published yet; run `codedesk publish`.")
    return calendar


# -------------------------------------------------------------------------- routes


@app.get("/api/releases")
def list_releases(
    user: SignedIn,
    view: Content,
    now: Now,
    year: Year = None,
) -> ReleaseList:
    chosen = year or now.year
    return ReleaseList(year=chosen, items=_calendar(view).releases(chosen))


@app.get(
    "/api/calendar.ics",
    responses={
        200: {"description": "the iCalendar feed", "content": {"text/calendar": {"schema": {"type": "string"}}}}
    },
)
def calendar_ics(view: Content, now: Now, year: Year = None) -> Response[str]:
    """Public, for calendar subscriptions: without `year`, this year and next, so a subscribed
    calendar never runs dry at New Year."""
    from codedesk.reviews.ical import calendar_feed  # icalendar loads only for the feed route

    calendar = _calendar(view)
    this_year = now.year
    years = [year] if year else [this_year, this_year + 1]
    releases = [release for y in years for release in calendar.releases(y)]
    name = f"Code-set releases {year}" if year else "Code-set releases"
    body = calendar_feed(
        releases, calendar.policy, generated_at=now.replace(microsecond=0), revised_on=calendar.revised_on,
        name=name, site_url=os.environ.get("SITE_URL"),
    )  # fmt: skip
    filename = f"codedesk-releases-{year}.ics" if year else "codedesk-releases.ics"
    return Response(
        status_code=200,
        content_type="text/calendar; charset=utf-8",
        body=body.decode("utf-8"),
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "public, max-age=3600"},
    )


@app.post("/api/reviews")
def assign_reviews(
    request: AssignReviewRequest,
    user: SignedIn,
    view: Content,
    store: Store,
    now: Now,
) -> Response[AssignedReviews]:
    require_groups(user, "supervisor")
    assignments = service.assign_review(
        store, _calendar(view), teams=user.teams, release_id=request.release_id, assignees=request.assignees,
        assigned_by=user.user_id, now=now, due_on=request.due_on,
    )  # fmt: skip
    items = [AssignedReview(**a.review.model_dump(), created=a.created) for a in assignments]
    release = service.known_release(_calendar(view), request.release_id)
    warnings = _warnings(view, release, items[0].due_on, now.date())
    return Response(
        status_code=201, content_type="application/json", body=AssignedReviews(items=items, warnings=warnings)
    )


@app.get("/api/review-warnings")
def review_warnings(
    user: SignedIn,
    view: Content,
    now: Now,
    release_id: Annotated[str, Query(min_length=1, max_length=64)],
    due_on: Annotated[date | None, Query(description="default: the calendar's review due date")] = None,
) -> AssignmentWarnings:
    """What assigning this review would warn about, asked before assigning (nothing is written)."""
    require_groups(user, "supervisor")
    release = service.known_release(_calendar(view), release_id)
    due = service.review_due_on(release, due_on)
    return AssignmentWarnings(warnings=_warnings(view, release, due, now.date()))


@app.get("/api/reviews")
def list_reviews(
    user: SignedIn,
    store: Store,
    now: Now,
    assignee: Annotated[str | None, Query(max_length=128)] = None,
    status: Literal["open", "done"] | None = None,
    release_id: Annotated[str | None, Query(max_length=64)] = None,
    overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> ReviewList:
    """Staff see their own reviews; supervisors those of anyone of their teams, by release, status,
    assignee or overdue."""
    teams = user.teams
    if not user.is_supervisor:
        if assignee not in (None, user.user_id):
            raise Forbidden("You can list only your own reviews; a supervisor can list anyone's of their team.")
        assignee, teams = user.user_id, (user.team,)
    wanted = ReviewFilter(assignee=assignee, status=status, release_id=release_id, overdue=overdue)
    today = staff.clinic_today(store, user.team, now)
    page = service.list_reviews(store, wanted, teams=teams, today=today, limit=limit, cursor=cursor)
    return ReviewList(items=page.items, next_cursor=page.next_cursor)


@app.post("/api/reviews/<review_id>/complete")
def complete_review(
    review_id: Annotated[str, Path(max_length=512)],
    request: CompleteReviewRequest,
    user: SignedIn,
    store: Store,
    now: Now,
) -> ReleaseReview:
    return service.complete_review(
        store, review_id, user_id=user.user_id, team=user.team, acknowledged=request.acknowledged,
        notes=request.notes, now=now, today=staff.clinic_today(store, user.team, now),
    )  # fmt: skip


handler = make_handler(app)
