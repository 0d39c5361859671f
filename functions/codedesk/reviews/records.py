"""Where reviews are kept: keys, items and every store call of the reviews domain.

Reviews are user data, kept directly in the table (not versioned content). One review per release
and assignee; its key is derived from both, so assigning twice finds the first one instead of
creating a second. Every key holds the assignee's team (clinic), so a supervisor's reads never reach
another team's partitions. Items:

- the review: PK `USER#<team>#<assignee>`, SK `REVIEW#<release_id>` — an assignee's reviews are one
  query; GSI1PK `REVIEWSTATUS#<team>#<status>`, GSI1SK `<due_on>#<release_id>#<assignee>` — a team's
  open reviews sorted by due date, so "overdue" and "due within two days" are one range query
  (completing moves the item to the `done` partition of the index);
- the release's roster: PK `REVIEWSOF#<team>#<release_id>`, SK `<assignee>` — who of the team was
  assigned a release.

A review and its roster entry are written in one transaction, the review on condition that it does
not exist yet; up to 50 people (100 items) go in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from codedesk.reviews.models import CalendarRelease
from codedesk.reviews.rules import (
    DONE,
    OPEN,
    InvalidReviewRequest,
    ReleaseReview,
    is_late,
    is_overdue,
    review_id,
)
from codedesk.staff.models import Person
from codedesk.store import cursors
from codedesk.store.keys import SEPARATOR, Prefix, key, user_key
from codedesk.store.port import (
    MAX_BATCH_GET,
    MAX_TRANSACTION,
    ConditionFailed,
    Item,
    KeyCondition,
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
PEOPLE_PER_TRANSACTION = MAX_TRANSACTION // 2  # the review and its roster entry
INSERT_TRIES = 4
CURSOR_KIND = "rv"


# -------------------------------------------------------------------------------- keys


def _escaped(user_id: str) -> str:
    return user_id.replace(SEPARATOR, "%23")


def review_key(team: str, release_id: str, assignee: str) -> tuple[str, str]:
    return user_key(team, assignee), key(Prefix.REVIEW, release_id)


def _status_partition(team: str, status: str) -> str:
    return key(Prefix.REVIEWS_BY_STATUS, team, status)


def _due_sort_key(due_on: date, release_id: str, assignee: str) -> str:
    return f"{due_on.isoformat()}{SEPARATOR}{release_id}{SEPARATOR}{_escaped(assignee)}"


def _roster_key(team: str, release_id: str, assignee: str) -> tuple[str, str]:
    return key(Prefix.REVIEWS_OF_RELEASE, team, release_id), _escaped(assignee)


# ----------------------------------------------------------------------- item mapping


def review_item(release: CalendarRelease, assignee: Person, due_on: date, assigned_by: str, now: datetime) -> Item:
    pk, sk = review_key(assignee.team, release.release_id, assignee.user_id)
    item: Item = {
        "PK": pk,
        "SK": sk,
        "GSI1PK": _status_partition(assignee.team, OPEN),
        "GSI1SK": _due_sort_key(due_on, release.release_id, assignee.user_id),
        "review_id": review_id(release.release_id, assignee.user_id),
        "release_id": release.release_id,
        "code_set": release.code_set.value,
        "title": release.title,
        "assignee": assignee.user_id,
        "assignee_name": assignee.name,
        "team": assignee.team,
        "due_on": due_on.isoformat(),
        "status": OPEN,
        "assigned_by": assigned_by,
        "assigned_at": now.isoformat(),
        "acknowledged": False,
    }
    if release.changes_url:
        item["changes_url"] = release.changes_url
    return item


def review_of(item: Item, today: date) -> ReleaseReview:
    due_on = date.fromisoformat(item["due_on"])
    return ReleaseReview(
        review_id=item["review_id"],
        release_id=item["release_id"],
        code_set=item["code_set"],
        title=item["title"],
        assignee=item["assignee"],
        assignee_name=item["assignee_name"],
        team=item["team"],
        due_on=due_on,
        status=item["status"],
        overdue=is_overdue(item["status"], due_on, today),
        # Reviews completed before the clinic's day was kept are judged by their UTC day.
        late=is_late(item["status"], due_on, item.get("completed_on") or item.get("completed_at")),
        assigned_by=item["assigned_by"],
        assigned_at=item["assigned_at"],
        completed_at=item.get("completed_at"),
        acknowledged=item.get("acknowledged", False),
        notes=item.get("notes"),
        changes_url=item.get("changes_url"),
    )


# ------------------------------------------------------------------------------ writing


def read_reviews(table: Table, release_id: str, assignees: Sequence[Person]) -> dict[str, Item]:
    """Assignee's user id → their review of the release, for those who have one: one batch get per
    100 people."""
    keys = [review_key(person.team, release_id, person.user_id) for person in assignees]
    found: dict[str, Item] = {}
    for start in range(0, len(keys), MAX_BATCH_GET):
        found.update((item["assignee"], item) for item in table.batch_get(keys[start : start + MAX_BATCH_GET]))
    return found


def insert_reviews(table: Table, items: Sequence[Item]) -> list[str]:
    """Write new reviews (and their roster entries), 50 people to a transaction, each review on
    condition that it is still absent. Returns the assignees whose review appeared meanwhile (a
    concurrent assignment): theirs stands and is not written again."""
    raced: list[str] = []
    for start in range(0, len(items), PEOPLE_PER_TRANSACTION):
        raced += _insert_chunk(table, list(items[start : start + PEOPLE_PER_TRANSACTION]))
    return raced


def _insert_chunk(table: Table, items: list[Item]) -> list[str]:
    raced: list[str] = []
    for _ in range(INSERT_TRIES):
        if not items:
            return raced
        ops = []
        for item in items:
            roster_pk, roster_sk = _roster_key(item["team"], item["release_id"], item["assignee"])
            ops += [
                Put(item, condition=item_absent()),
                Put({"PK": roster_pk, "SK": roster_sk, "assignee": item["assignee"]}),
            ]  # idempotent
        try:
            table.transact_write(ops)
            return raced
        except TransactionCanceled as canceled:
            # The reasons name the reviews that exist by now; without them (a conflict), try all again.
            failed = {n // 2 for n, reason in enumerate(canceled.reasons) if reason == "ConditionalCheckFailed"}
            raced += [items[n]["assignee"] for n in sorted(failed)]
            items = [item for n, item in enumerate(items) if n not in failed]
    raise TransactionCanceled(["the assignment kept conflicting with other writes"])


def mark_done(
    table: Table, team: str, release_id: str, assignee: str, *, notes: str, now: datetime, today: date
) -> Item | None:
    """Complete an open review (`today`: the clinic's day); None when it is not open (already done, or
    never assigned: see `found`)."""
    pk, sk = review_key(team, release_id, assignee)
    changes: dict[str, Any] = {
        "status": DONE,
        "GSI1PK": _status_partition(team, DONE),
        "completed_at": now.isoformat(),
        "completed_on": today.isoformat(),
        "acknowledged": True,
    }
    if notes:
        changes["notes"] = notes
    try:
        return table.update(pk, sk, changes=changes, condition=attr_equals("status", OPEN))
    except ConditionFailed:
        return None


def read_review(table: Table, team: str, release_id: str, assignee: str) -> Item | None:
    return table.get(*review_key(team, release_id, assignee))


# ------------------------------------------------------------------------------ reading


PageSource = Callable[[int | None, str | None], Page]


def open_items_due_before(table: Table, team: str, day: date) -> Iterator[Item]:
    """Every open review of a team due before `day`, earliest first: one range query on the status index."""
    cursor = None
    while True:
        page = _status_page(table, team, OPEN, None, cursor, sk_lt(day.isoformat()))
        yield from page.items
        if page.cursor is None:
            return
        cursor = page.cursor


def sources(
    table: Table,
    teams: Sequence[str],
    *,
    assignee: str | None,
    release_id: str | None,
    status: str | None,
    overdue: bool,
    today: date,
) -> list[PageSource]:
    """The partitions to read, in order, for each team in turn: the assignee's, the release roster,
    or the status index (open reviews first, sorted by due date; overdue ones are a range of the
    open partition)."""
    if assignee is not None:
        prefix = key(Prefix.REVIEW, "")
        return [_assignee_source(table, user_key(team, assignee), prefix) for team in teams]
    if release_id is not None:
        return [_roster_source(table, team, release_id) for team in teams]
    if overdue:
        before_today = sk_lt(today.isoformat())
        return [_status_source(table, team, OPEN, before_today) for team in teams]
    statuses = [status] if status else [OPEN, DONE]
    return [_status_source(table, team, one, None) for team in teams for one in statuses]


def _assignee_source(table: Table, pk: str, prefix: str) -> PageSource:
    return lambda limit, cursor: table.query(pk, sk=sk_begins_with(prefix), limit=limit, cursor=cursor)


def _roster_source(table: Table, team: str, release_id: str) -> PageSource:
    return lambda limit, cursor: _roster_page(table, team, release_id, limit, cursor)


def _status_source(table: Table, team: str, status: str, sk: KeyCondition | None) -> PageSource:
    return lambda limit, cursor: _status_page(table, team, status, limit, cursor, sk)


def _status_page(
    table: Table, team: str, status: str, limit: int | None, cursor: str | None, sk: KeyCondition | None
) -> Page:
    return table.query(_status_partition(team, status), sk=sk, index=INDEX, limit=limit, cursor=cursor)


def _roster_page(table: Table, team: str, release: str, limit: int | None, cursor: str | None) -> Page:
    roster = table.query(key(Prefix.REVIEWS_OF_RELEASE, team, release), limit=limit, cursor=cursor)
    keys = [review_key(team, release, entry["assignee"]) for entry in roster.items]
    found = {(item["PK"], item["SK"]): item for item in table.batch_get(keys)} if keys else {}
    return Page([found[k] for k in keys if k in found], roster.cursor)


def read_page(pages: list[PageSource], limit: int, cursor: str | None) -> Page:
    """One page from the sources in turn; the cursor says which source and where in it."""
    at, inner = _decode_cursor(cursor, len(pages))
    try:
        page = pages[at](limit, inner)
    except ValueError as error:  # the store's own part of the cursor was tampered with
        raise _foreign_cursor() from error
    if page.cursor is not None:
        next_cursor: str | None = cursors.encode(CURSOR_KIND, [at, page.cursor])
    elif at + 1 < len(pages):
        next_cursor = cursors.encode(CURSOR_KIND, [at + 1, None])
    else:
        next_cursor = None
    return Page(page.items, next_cursor)


def _decode_cursor(cursor: str | None, sources_: int) -> tuple[int, str | None]:
    if cursor is None:
        return 0, None
    try:
        at, inner = cursors.decode(CURSOR_KIND, cursor)
    except (ValueError, TypeError):
        at, inner = -1, None
    if not (isinstance(at, int) and 0 <= at < sources_ and (inner is None or isinstance(inner, str))):
        raise _foreign_cursor()
    return at, inner


def _foreign_cursor() -> InvalidReviewRequest:
    return InvalidReviewRequest(
        "This cursor does not belong to this list; start again without a cursor.",
        [{"field": "cursor", "message": "not a cursor of this list"}],
    )
