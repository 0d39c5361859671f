"""Reminder emails through SES (moto): one message a day per assignee, listing every review due soon
or overdue, and never a second one the same day however often the schedule reruns."""

from __future__ import annotations

from datetime import UTC, date, datetime

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from codedesk.reviews import reminders
from codedesk.reviews.reminders import CognitoEmailDirectory, RemindersFailed, send_reminders
from codedesk.reviews.rules import ReviewFilter
from codedesk.reviews.service import assign_review, complete_review, list_reviews
from codedesk.store.sqlite import SqliteTable
from tests.staff_support import in_directory

SENDER = "reviews@codedesk.example.org"
SITE = "https://codedesk.example.org"
ASSIGNED_AT = datetime(2026, 12, 15, 9, 0, tzinfo=UTC)


class Directory:
    """Stands in for the Cognito user pool, which moto cannot run here (joserfc is not installed)."""

    def __init__(self, emails: dict[str, str]):
        self.emails = emails

    def email_of(self, user_id: str) -> str | None:
        return self.emails.get(user_id)


@pytest.fixture
def ses(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("ses", region_name="us-east-1")
        client.verify_email_identity(EmailAddress=SENDER)
        yield client


def sent_messages():
    return ses_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].sent_messages


@pytest.fixture
def staff():
    return Directory({"bea": "bea@clinic.example", "bo": "bo@clinic.example", "cy": "cy@clinic.example"})


@pytest.fixture
def assigned(review_table, release_calendar):
    def assign(release_id, *people):
        assign_review(review_table, release_calendar, teams=["main"], release_id=release_id, assignees=list(people),
                      assigned_by="sam", now=ASSIGNED_AT)  # fmt: skip

    assign("hcpcs-2027-q1", "bea", "bo")
    assign("ncci-ptp-2027-q1", "bea")
    assign("hcpcs-2027-q2", "cy")
    [bo] = list_reviews(review_table, ReviewFilter(assignee="bo"), teams=["main"], today=date(2027, 1, 6)).items
    complete_review(
        review_table, bo.review_id, team="main", user_id="bo", acknowledged=True, notes=None, now=ASSIGNED_AT
    )
    return review_table


def remind(table, ses, directory, day: date):
    return send_reminders(
        table, ses, directory, sender=SENDER, site_url=SITE, today=day,
        now=datetime.combine(day, datetime.min.time(), UTC),
    )  # fmt: skip


def test_one_email_lists_all_of_an_assignees_reviews_due_within_two_days(assigned, ses, staff):
    run = remind(assigned, ses, staff, date(2027, 1, 6))

    assert run.sent == ["bea"]  # bo is done; cy's review is due in April
    [message] = sent_messages()
    assert message.destinations["ToAddresses"] == ["bea@clinic.example"]
    assert message.subject == "Code-set update reviews: 2 due by Fri Jan 8"
    assert "- HCPCS Level II quarterly update, 2027 Q1: due Fri Jan 8, 2027" in message.body
    assert "- NCCI procedure-to-procedure (PTP) edits, 2027 Q1: due Fri Jan 8, 2027" in message.body
    assert f"What changed: {SITE}/codes/releases/hcpcs-2027-01-01/" in message.body
    assert f"{SITE}/calendar/my-reviews/" in message.body


def test_rerunning_the_same_day_sends_nothing_more(assigned, ses, staff):
    remind(assigned, ses, staff, date(2027, 1, 6))
    again = remind(assigned, ses, staff, date(2027, 1, 6))
    assert (again.sent, again.already_sent_today) == ([], ["bea"])
    assert len(sent_messages()) == 1
    assert ses.get_send_quota()["SentLast24Hours"] == 1


def test_the_next_day_brings_the_next_reminder_and_overdue_ones_say_so(assigned, ses, staff):
    remind(assigned, ses, staff, date(2027, 1, 6))
    remind(assigned, ses, staff, date(2027, 1, 7))
    late = remind(assigned, ses, staff, date(2027, 1, 12))
    assert late.sent == ["bea"]
    assert len(sent_messages()) == 3
    assert sent_messages()[-1].subject == "Code-set update reviews: 2 overdue"
    assert "OVERDUE, was due Fri Jan 8, 2027" in sent_messages()[-1].body


def test_nothing_is_sent_before_a_review_comes_due(assigned, ses, staff):
    assert remind(assigned, ses, staff, date(2027, 1, 5)).sent == []
    assert sent_messages() == []


def test_an_ses_refusal_is_retried_by_the_next_run(assigned, staff, monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        ses = boto3.client("ses", region_name="us-east-1")  # the sender is not verified yet: SES refuses
        refused = remind(assigned, ses, staff, date(2027, 1, 6))
        assert (refused.sent, refused.failed) == ([], ["bea"])

        ses.verify_email_identity(EmailAddress=SENDER)
        retried = remind(assigned, ses, staff, date(2027, 1, 6))
        assert retried.sent == ["bea"]
        assert len(sent_messages()) == 1


def test_someone_without_an_email_address_is_reported_not_skipped_for_the_day(assigned, ses):
    nobody = remind(assigned, ses, Directory({}), date(2027, 1, 6))
    assert nobody.without_email == ["bea"]
    later = remind(assigned, ses, Directory({"bea": "bea@clinic.example"}), date(2027, 1, 6))
    assert later.sent == ["bea"]


def test_the_scheduled_handler_sends_and_fails_loudly_for_a_retry(tmp_path, ses, staff, release_calendar, monkeypatch):
    from codedesk.web import deps

    store = tmp_path / "store.db"
    monkeypatch.setenv("CODEDESK_STORE", f"sqlite:///{store}")
    monkeypatch.setenv("USER_POOL_ID", "us-east-1_test")
    monkeypatch.setenv("REMINDER_SENDER", SENDER)
    monkeypatch.setenv("SITE_URL", SITE)
    monkeypatch.setattr(reminders, "CognitoEmailDirectory", lambda pool, client: staff)
    deps.reset()
    in_directory(SqliteTable(store), {"bea": "biller"})
    assign_review(SqliteTable(store), release_calendar, teams=["main"], release_id="hcpcs-2027-q1",
                  assignees=["bea"], assigned_by="sam", now=ASSIGNED_AT)  # fmt: skip
    event = {"source": "aws.events", "detail-type": "Scheduled Event", "time": "2027-01-07T13:00:00Z"}

    assert reminders.handler(event, None)["sent"] == 1
    assert reminders.handler(event, None)["already_sent_today"] == 1  # EventBridge retried the same event

    monkeypatch.setenv("REMINDER_SENDER", "unverified@codedesk.example.org")
    event = {**event, "time": "2027-01-08T13:00:00Z"}
    with pytest.raises(RemindersFailed, match="the retry sends only those"):
        reminders.handler(event, None)
    deps.reset()


def test_a_missing_setting_is_named(monkeypatch):
    monkeypatch.delenv("REMINDER_SENDER", raising=False)
    monkeypatch.setenv("USER_POOL_ID", "us-east-1_test")
    with pytest.raises(reminders.RemindersNotConfigured, match="set REMINDER_SENDER \\(an SES-verified sender"):
        reminders.handler({"time": "2027-01-07T13:00:00Z"}, None)


def test_the_cognito_directory_reads_the_verified_email_attribute():
    client = boto3.client("cognito-idp", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    directory = CognitoEmailDirectory("us-east-1_pool", client)
    with Stubber(client) as stub:
        stub.add_response(
            "admin_get_user",
            {"Username": "bea", "UserAttributes": [{"Name": "email", "Value": "bea@clinic.example"},
                                                   {"Name": "email_verified", "Value": "true"}]},
            {"UserPoolId": "us-east-1_pool", "Username": "bea"},
        )  # fmt: skip
        stub.add_response(
            "admin_get_user",
            {"Username": "bo", "UserAttributes": [{"Name": "email", "Value": "bo@clinic.example"},
                                                  {"Name": "email_verified", "Value": "false"}]},
            {"UserPoolId": "us-east-1_pool", "Username": "bo"},
        )  # fmt: skip
        stub.add_client_error("admin_get_user", "UserNotFoundException", "User does not exist.")
        assert directory.email_of("bea") == "bea@clinic.example"
        assert directory.email_of("bo") is None
        assert directory.email_of("gone") is None


def test_every_clinic_of_the_deployment_gets_its_reminders(review_table, release_calendar, ses):
    """The reminders go through each team's own open reviews (the teams come from the directory)."""
    in_directory(review_table, {"tkim": "biller"}, team="south")
    assign_review(review_table, release_calendar, teams=["main"], release_id="hcpcs-2027-q1", assignees=["bea"],
                  assigned_by="sam", now=ASSIGNED_AT)  # fmt: skip
    assign_review(review_table, release_calendar, teams=["south"], release_id="hcpcs-2027-q1", assignees=["tkim"],
                  assigned_by="sue", now=ASSIGNED_AT)  # fmt: skip
    directory = Directory({"bea": "bea@north.example", "tkim": "tkim@south.example"})
    run = remind(review_table, ses, directory, date(2027, 1, 7))
    assert sorted(run.sent) == ["bea", "tkim"]
    assert sorted(m.destinations["ToAddresses"][0] for m in sent_messages()) == [
        "bea@north.example",
        "tkim@south.example",
    ]
