"""Daily reminder emails: each assignee with a review due within two days, or overdue, gets one
message a day listing all of them.

Runs on an EventBridge schedule (Lambda `handler` below). Reruns and retries are safe: before
sending, a `REMINDER#<day>` marker is written in the assignee's partition on condition that it is
absent, so a second run the same day skips that person. If SES refuses, the marker is removed
again so the retry sends; only a crash between SES accepting and the marker being confirmed can
cost one reminder, never duplicate one.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from codedesk.reviews.rules import ReleaseReview
from codedesk.reviews.service import open_reviews_due_before
from codedesk.staff import service as staff
from codedesk.store.keys import Prefix, key, user_key
from codedesk.store.port import ConditionFailed, Table, attr_equals, item_absent
from codedesk.web import deps
from codedesk.web.observability import logger

DAYS_AHEAD = 2
MY_REVIEWS_PAGE = "/calendar/my-reviews/"  # the page reviews/pages.py writes


class EmailDirectory(Protocol):
    """Where a user's email address comes from (the table stores none)."""

    def email_of(self, user_id: str) -> str | None: ...


class CognitoEmailDirectory:
    """The user pool's `email` attribute, looked up by the user id (the token's `sub`/username)."""

    def __init__(self, user_pool_id: str, client: Any):
        self.user_pool_id = user_pool_id
        self.client = client

    def email_of(self, user_id: str) -> str | None:
        try:
            answer = self.client.admin_get_user(UserPoolId=self.user_pool_id, Username=user_id)
        except self.client.exceptions.UserNotFoundException:
            return None
        attributes = {a["Name"]: a["Value"] for a in answer.get("UserAttributes", [])}
        if attributes.get("email_verified") == "false":
            return None  # never mail an address its owner has not confirmed
        return attributes.get("email")


@dataclass
class ReminderRun:
    """What one run did, by assignee; logged by the handler (user ids only, no addresses)."""

    sent: list[str] = field(default_factory=list)
    already_sent_today: list[str] = field(default_factory=list)
    without_email: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class RemindersFailed(Exception):
    """Raised after every assignee was tried, so the scheduler retries the ones SES refused."""


def reviews_to_remind(table: Table, today: date) -> dict[tuple[str, str], list[ReleaseReview]]:
    """Open reviews due on or before `today + DAYS_AHEAD` (overdue ones included), by (team,
    assignee): one range query per team."""
    by_assignee: dict[tuple[str, str], list[ReleaseReview]] = defaultdict(list)
    for team in staff.team_ids(table):
        for review in open_reviews_due_before(table, team, today + timedelta(days=DAYS_AHEAD + 1), today=today):
            by_assignee[team, review.assignee].append(review)
    return dict(by_assignee)


def _short(day: date) -> str:
    return f"{day:%a %b} {day.day}"


def reminder_email(reviews: list[ReleaseReview], today: date, site_url: str) -> tuple[str, str]:
    """(subject, plain-text body). Only release names and dates: reviews hold no patient data."""
    overdue = sum(r.overdue for r in reviews)
    due_soon = len(reviews) - overdue
    counts = []
    if overdue:
        counts.append(f"{overdue} overdue")
    if due_soon:
        counts.append(f"{due_soon} due by {_short(today + timedelta(days=DAYS_AHEAD))}")
    subject = f"Code-set update reviews: {' and '.join(counts)}"
    site = site_url.rstrip("/")
    lines = ["Hello,", "", "These code-set update reviews are assigned to you:", ""]
    for review in reviews:
        when = "OVERDUE, was due" if review.overdue else "due"
        lines.append(f"- {review.title}: {when} {_short(review.due_on)}, {review.due_on.year}")
        if review.changes_url:
            lines.append(f"  What changed: {site}{review.changes_url}")
    lines += ["", f"Mark each one complete once you have reviewed it: {site}{MY_REVIEWS_PAGE}", "", "Codedesk"]
    return subject, "\n".join(lines)


def send_reminders(
    table: Table,
    ses: Any,
    directory: EmailDirectory,
    *,
    sender: str,
    site_url: str,
    today: date,
    now: datetime,
) -> ReminderRun:
    run = ReminderRun()
    for (team, assignee), reviews in sorted(reviews_to_remind(table, today).items()):
        address = directory.email_of(assignee)
        if not address:
            run.without_email.append(assignee)
            continue
        marker = (user_key(team, assignee), key(Prefix.REMINDER, today.isoformat()))
        try:
            table.put(
                {"PK": marker[0], "SK": marker[1], "status": "sending", "claimed_at": now.isoformat(),
                 "review_ids": [r.review_id for r in reviews]},
                condition=item_absent(),
            )  # fmt: skip
        except ConditionFailed:
            run.already_sent_today.append(assignee)
            continue
        subject, body = reminder_email(reviews, today, site_url)
        try:
            answer = ses.send_email(
                Source=sender,
                Destination={"ToAddresses": [address]},
                Message={"Subject": {"Data": subject, "Charset": "UTF-8"},
                         "Body": {"Text": {"Data": body, "Charset": "UTF-8"}}},
            )  # fmt: skip
        except (ClientError, BotoCoreError):
            table.delete(*marker, condition=attr_equals("status", "sending"))
            run.failed.append(assignee)
            continue
        table.update(*marker, changes={"status": "sent", "message_id": answer["MessageId"]})
        run.sent.append(assignee)
    return run


def _run_day(event: dict[str, Any]) -> tuple[date, datetime]:
    """EventBridge puts the scheduled time in `time`; a retry of the same event keeps the same day."""
    raw = event.get("time") if isinstance(event, dict) else None
    try:
        scheduled = datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else datetime.now(UTC)
    except ValueError:
        scheduled = datetime.now(UTC)
    return scheduled.date(), datetime.now(UTC)


class RemindersNotConfigured(RuntimeError):
    pass


def _setting(name: str, meaning: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise RemindersNotConfigured(f"set {name} ({meaning}) in the reminders function's environment")
    return value


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry for the daily schedule. Needs REMINDER_SENDER (an SES-verified address),
    USER_POOL_ID and SITE_URL, and the store settings every function has."""
    pool = _setting("USER_POOL_ID", "the Cognito user pool holding staff emails")
    sender = _setting("REMINDER_SENDER", "an SES-verified sender address")
    site_url = _setting("SITE_URL", "the portal's address, for links in the email")
    today, now = _run_day(event)
    import boto3  # on each run, not at import: the function runs once a day and pays either way

    from codedesk.store import deadline

    directory = CognitoEmailDirectory(pool, boto3.client("cognito-idp"))
    with deadline.bound(context):  # the store gives up in time for the run to fail cleanly (and be retried)
        run = send_reminders(
            deps.table(), boto3.client("ses"), directory, sender=sender, site_url=site_url, today=today, now=now
        )
    summary = {name: len(users) for name, users in vars(run).items()}
    logger.info("review reminders", extra={"day": today.isoformat(), **summary})
    if run.failed:
        raise RemindersFailed(f"SES refused {len(run.failed)} reminder(s); the retry sends only those")
    return {"day": today.isoformat(), **summary}
