"""Supervisors assign release reviews; staff complete them; everyone sees where things stand."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest

from codedesk.reviews.rules import (
    AlreadyCompleted,
    InvalidReviewRequest,
    NotYourReview,
    ReviewFilter,
    ReviewNotFound,
    UnknownRelease,
    review_id,
)
from codedesk.reviews.service import assign_review, complete_review, list_reviews
from codedesk.store.sqlite import SqliteTable

NOW = datetime(2026, 12, 15, 9, 0, tzinfo=UTC)
LATER = datetime(2027, 1, 7, 16, 30, tzinfo=UTC)


def assign(table, calendar, release_id="hcpcs-2027-q1", assignees=("bea", "bo"), **extra):
    return assign_review(
        table,
        calendar,
        teams=["main"],
        release_id=release_id,
        assignees=list(assignees),
        assigned_by="sam",
        now=NOW,
        **extra,
    )


def listed(table, today=date(2027, 1, 7), **wanted):
    return list_reviews(table, ReviewFilter(**wanted), teams=["main"], today=today, limit=100).items


def test_supervisor_assigns_hcpcs_q1_to_two_billers_and_tracks_who_finished(review_table, release_calendar):
    assignments = assign(review_table, release_calendar)
    assert [(a.review.assignee, a.review.due_on, a.review.status, a.created) for a in assignments] == [
        ("bea", date(2027, 1, 8), "open", True),
        ("bo", date(2027, 1, 8), "open", True),
    ]
    assert assignments[0].review.changes_url == "/codes/releases/hcpcs-2027-01-01/"

    for biller in ("bea", "bo"):
        [mine] = listed(review_table, assignee=biller)
        assert (mine.release_id, mine.title) == ("hcpcs-2027-q1", "HCPCS Level II quarterly update, 2027 Q1")

    done = complete_review(review_table, assignments[0].review.review_id, team="main", user_id="bea", acknowledged=True,
        notes="New J codes noted for the infusion room", now=LATER,
    )  # fmt: skip
    assert (done.status, done.acknowledged, done.completed_at) == ("done", True, LATER)

    by_release = {r.assignee: r.status for r in listed(review_table, release_id="hcpcs-2027-q1")}
    assert by_release == {"bea": "done", "bo": "open"}
    assert [r.assignee for r in listed(review_table, status="done")] == ["bea"]
    assert [r.assignee for r in listed(review_table, status="open")] == ["bo"]
    assert "scan" not in review_table.stats.calls


def test_assigning_the_same_release_to_the_same_person_again_does_not_duplicate(review_table, release_calendar):
    assign(review_table, release_calendar, assignees=["bea"])
    again = assign(review_table, release_calendar, assignees=["bea", "bea ", "cy"])
    assert [(a.review.assignee, a.created) for a in again] == [("bea", False), ("cy", True)]
    assert len(listed(review_table, assignee="bea")) == 1
    assert sorted(r.assignee for r in listed(review_table, release_id="hcpcs-2027-q1")) == ["bea", "cy"]


def test_reassigning_a_completed_review_keeps_it_done(review_table, release_calendar):
    [first] = assign(review_table, release_calendar, assignees=["bea"])
    complete_review(
        review_table, first.review.review_id, team="main", user_id="bea", acknowledged=True, notes=None, now=LATER
    )
    [again] = assign(review_table, release_calendar, assignees=["bea"])
    assert (again.created, again.review.status) == (False, "done")


def test_concurrent_assignments_of_the_same_review_create_one(review_table, release_calendar):
    if not isinstance(review_table, SqliteTable):
        pytest.skip("moto serialises requests; real concurrency is exercised on the SQLite file")
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: assign(review_table, release_calendar, assignees=["bea"]), range(12)))
    assert sum(a.created for [a] in results) == 1
    assert len(listed(review_table, release_id="hcpcs-2027-q1")) == 1


def test_a_supervisor_may_set_another_due_date_but_not_before_the_release(review_table, release_calendar):
    [a] = assign(review_table, release_calendar, assignees=["bea"], due_on=date(2027, 1, 15))
    assert a.review.due_on == date(2027, 1, 15)
    with pytest.raises(InvalidReviewRequest, match="before the release takes effect"):
        assign(review_table, release_calendar, assignees=["bo"], due_on=date(2026, 12, 31))


def test_unknown_releases_and_empty_assignee_lists_are_refused(review_table, release_calendar):
    with pytest.raises(UnknownRelease, match=r"There is no release .hcpcs-2027-q5."):
        assign(review_table, release_calendar, release_id="hcpcs-2027-q5")
    with pytest.raises(InvalidReviewRequest, match="Name at least one person"):
        assign(review_table, release_calendar, assignees=["  "])


def test_completing_twice_is_a_conflict(review_table, release_calendar):
    [a] = assign(review_table, release_calendar, assignees=["bea"])
    complete_review(
        review_table, a.review.review_id, team="main", user_id="bea", acknowledged=True, notes=None, now=LATER
    )
    with pytest.raises(AlreadyCompleted, match="already completed on 2027-01-07"):
        complete_review(
            review_table, a.review.review_id, team="main", user_id="bea", acknowledged=True, notes="x", now=LATER
        )


def test_only_the_assignee_completes_and_only_with_an_acknowledgement(review_table, release_calendar):
    [a] = assign(review_table, release_calendar, assignees=["bea"])
    with pytest.raises(NotYourReview):
        complete_review(
            review_table, a.review.review_id, team="main", user_id="bo", acknowledged=True, notes=None, now=LATER
        )
    with pytest.raises(InvalidReviewRequest, match="Confirm that you reviewed the release"):
        complete_review(
            review_table, a.review.review_id, team="main", user_id="bea", acknowledged=False, notes=None, now=LATER
        )
    assert listed(review_table, assignee="bea")[0].status == "open"


def test_completing_a_review_that_does_not_exist_is_not_found(review_table):
    with pytest.raises(ReviewNotFound):
        complete_review(
            review_table, "not-an-id!", team="main", user_id="bea", acknowledged=True, notes=None, now=LATER
        )
    never_assigned = review_id("hcpcs-2027-q1", "bea")
    with pytest.raises(ReviewNotFound):
        complete_review(
            review_table, never_assigned, team="main", user_id="bea", acknowledged=True, notes=None, now=LATER
        )


def test_overdue_lists_open_reviews_past_their_due_date(review_table, release_calendar):
    assign(review_table, release_calendar, release_id="hcpcs-2027-q1", assignees=["bea", "bo"])
    assign(review_table, release_calendar, release_id="hcpcs-2027-q2", assignees=["bea"])
    [bo_q1] = [r for r in listed(review_table, assignee="bo")]
    complete_review(review_table, bo_q1.review_id, team="main", user_id="bo", acknowledged=True, notes=None, now=LATER)

    overdue = listed(review_table, today=date(2027, 2, 1), overdue=True)
    assert [(r.assignee, r.release_id, r.overdue) for r in overdue] == [("bea", "hcpcs-2027-q1", True)]
    assert listed(review_table, today=date(2027, 1, 8), overdue=True) == []  # due today is not overdue yet
    assert [r.release_id for r in listed(review_table, today=date(2027, 2, 1), assignee="bea", overdue=True)] == [
        "hcpcs-2027-q1"
    ]


def test_an_unfiltered_list_walks_open_then_done_reviews_page_by_page(review_table, release_calendar):
    assign(review_table, release_calendar, assignees=["bea", "bo", "cy"])
    [bo] = listed(review_table, assignee="bo")
    complete_review(review_table, bo.review_id, team="main", user_id="bo", acknowledged=True, notes=None, now=LATER)

    seen, cursor, pages = [], None, 0
    while True:
        page = list_reviews(
            review_table, ReviewFilter(), teams=["main"], today=date(2027, 1, 7), limit=1, cursor=cursor
        )
        seen += [(r.assignee, r.status) for r in page.items]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
        assert pages < 10
    assert seen == [("bea", "open"), ("cy", "open"), ("bo", "done")]


@pytest.mark.parametrize("cursor", ["bm9wZQ", "WzAsIm5vdCBhIHN0b3JlIGN1cnNvciJd"])  # junk; [0, "not a store cursor"]
def test_a_cursor_from_elsewhere_is_refused_clearly(review_table, cursor):
    with pytest.raises(InvalidReviewRequest, match="start again without a cursor"):
        list_reviews(review_table, ReviewFilter(), teams=["main"], today=date(2027, 1, 7), cursor=cursor)


def test_assigning_a_whole_team_takes_a_few_round_trips_not_one_per_person(review_table, release_calendar):
    """120 people: two batch gets of the directory and two of their reviews (100 keys each at most)
    and three transactions (50 people, 100 items each); assigning them again only reads."""
    team = [f"staff-{n:03}" for n in range(120)]
    review_table.stats.reset()
    assignments = assign(review_table, release_calendar, assignees=team)
    assert [a.review.assignee for a in assignments] == team and all(a.created for a in assignments)
    assert review_table.stats.calls == {"batch_get": 4, "transact_write": 3}
    assert review_table.stats.items_written == 240  # each review and its roster entry

    review_table.stats.reset()
    again = assign(review_table, release_calendar, assignees=["new-hire", *team[:99]])
    assert [a.created for a in again] == [True] + [False] * 99
    assert review_table.stats.calls == {"batch_get": 2, "transact_write": 1}
    listed_by_release = list_reviews(
        review_table, ReviewFilter(release_id="hcpcs-2027-q1"), teams=["main"], today=date(2027, 1, 7), limit=100
    )
    assert len(listed_by_release.items) == 100 and listed_by_release.next_cursor


def test_someone_assigned_meanwhile_keeps_the_first_assignment_and_the_others_are_written(
    review_table, release_calendar
):
    """Between our read and our transaction another supervisor assigns bo: bo's review is theirs
    (not created by us, their due date), and bea and cy are still assigned in the retried transaction."""

    class RacingTable:
        def __init__(self, table):
            self.table, self.raced = table, False

        def __getattr__(self, name):
            return getattr(self.table, name)

        def transact_write(self, ops):
            if not self.raced:
                self.raced = True
                assign(self.table, release_calendar, assignees=["bo"], due_on=date(2027, 1, 20))
            return self.table.transact_write(ops)

    result = assign(RacingTable(review_table), release_calendar, assignees=["bea", "bo", "cy"])
    assert [(a.review.assignee, a.created, a.review.due_on) for a in result] == [
        ("bea", True, date(2027, 1, 8)),
        ("bo", False, date(2027, 1, 20)),
        ("cy", True, date(2027, 1, 8)),
    ]
    assert sorted(r.assignee for r in listed(review_table, release_id="hcpcs-2027-q1")) == ["bea", "bo", "cy"]


def test_more_people_than_one_request_takes_is_refused_naming_the_field(review_table, release_calendar):
    with pytest.raises(InvalidReviewRequest, match="at most 200") as caught:
        assign(review_table, release_calendar, assignees=[f"p{n}" for n in range(201)])
    assert caught.value.details == [{"field": "assignees", "message": "more than 200"}]
    assert review_table.stats.calls.get("transact_write") is None
