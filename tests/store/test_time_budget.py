"""The DynamoDB adapter's time budget: retries fit in the functions' Timeout, and a call stops
retrying while the invocation still has time to answer 503 (StoreUnavailable), never a timeout.

DynamoDB is faked below botocore (a `before-send` answer per attempt) and the clock is the Lambda
context's remaining time, which the fake moves on per attempt: nothing sleeps.
"""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from codedesk.store import deadline
from codedesk.store.dynamodb import (
    CONNECT_TIMEOUT,
    DEADLINE_MARGIN,
    MAX_RETRIES,
    OPERATOR_CONFIG,
    READ_TIMEOUT,
    RETRY_CONFIG,
    DeadlineReached,
    DynamoTable,
    total_attempts,
    worst_case_seconds,
)
from codedesk.store.port import StoreUnavailable
from codedesk.template import read_template
from codedesk.web.errors import as_domain_error, http_answer


class Context:
    """A Lambda context whose clock moves on by `per_attempt_ms` with every DynamoDB attempt."""

    def __init__(self, remaining_ms: int, per_attempt_ms: int = 0):
        self.remaining_ms, self.per_attempt_ms = remaining_ms, per_attempt_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


class FakeDynamo:
    """Answers every attempt the way DynamoDB answers when it throttles (HTTP 400, a retryable code)."""

    def __init__(self, context: Context | None = None):
        self.context, self.attempts = context, 0

    def __call__(self, request, **_):
        self.attempts += 1
        if self.context:
            self.context.remaining_ms -= self.context.per_attempt_ms
        body = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException", "message": "slow down"})
        return AWSResponse(request.url, 400, {"x-amzn-errortype": "ThrottlingException"}, _Raw(body.encode()))


class _Raw:
    def __init__(self, body: bytes):
        self.body = body

    def stream(self, **_):
        yield self.body


@pytest.fixture
def throttled(monkeypatch):
    """A table on a real botocore client with the functions' config; DynamoDB always throttles."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    sleeps: list[float] = []
    monkeypatch.setattr("botocore.endpoint.time.sleep", sleeps.append)
    client = boto3.client("dynamodb", region_name="us-east-1", config=RETRY_CONFIG)
    table = DynamoTable("codedesk", client=client)
    fake = FakeDynamo()
    client.meta.events.register("before-send.dynamodb", lambda request, **kw: fake(request, **kw))
    return table, fake, sleeps


def _timeouts() -> dict[str, int]:
    template = read_template()
    default = template["Globals"]["Function"]["Timeout"]
    return {
        name: r["Properties"].get("Timeout", default)
        for name, r in template["Resources"].items()
        if r["Type"] == "AWS::Serverless::Function"
    }


def test_one_call_with_its_retries_fits_in_every_functions_timeout_with_time_to_answer():
    assert RETRY_CONFIG.retries["mode"] == "standard" and total_attempts(RETRY_CONFIG) == MAX_RETRIES + 1 >= 3
    assert (RETRY_CONFIG.connect_timeout, RETRY_CONFIG.read_timeout) == (CONNECT_TIMEOUT, READ_TIMEOUT)
    for function, timeout in _timeouts().items():
        assert worst_case_seconds(RETRY_CONFIG) + DEADLINE_MARGIN <= timeout, function
    # The operators' commands may wait longer: they are not cut off.
    assert OPERATOR_CONFIG.retries["mode"] == "standard" and worst_case_seconds(OPERATOR_CONFIG) > 10


def test_a_throttled_call_is_retried_then_raises_store_unavailable(throttled):
    table, fake, sleeps = throttled
    with pytest.raises(StoreUnavailable, match="ThrottlingException"):
        table.get("META", "CONTENT")
    assert fake.attempts == MAX_RETRIES + 1 and len(sleeps) == MAX_RETRIES


def test_retrying_stops_while_the_invocation_can_still_answer(throttled):
    table, fake, _sleeps = throttled
    # 4.5 s left, each throttled attempt takes 1.5 s: after the first, 3 s is not enough for an
    # attempt (2 s) and the margin (1 s) together.
    context = Context(4500, per_attempt_ms=1501)
    fake.context = context
    with deadline.bound(context), pytest.raises(DeadlineReached):
        table.get("META", "CONTENT")
    assert fake.attempts == 1 and context.remaining_ms >= DEADLINE_MARGIN * 1000


def test_no_attempt_is_made_without_time_for_it(throttled):
    table, fake, _ = throttled
    with deadline.bound(Context(2500)), pytest.raises(StoreUnavailable):
        table.query("QUIZ#ALL")
    assert fake.attempts == 0


def test_outside_an_invocation_there_is_no_deadline(throttled):
    table, fake, _ = throttled
    assert deadline.remaining_seconds() is None or deadline.remaining_seconds() > 5
    with pytest.raises(StoreUnavailable):
        table.get("META", "CONTENT")
    assert fake.attempts == MAX_RETRIES + 1


def test_the_deadline_answers_503_with_retry_after_in_the_one_error_shape():
    status, body, headers = http_answer(as_domain_error(DeadlineReached("0.4 s left")))
    assert status == 503 and "Retry-After" in headers
    assert set(body["error"]) == {"code", "message", "details"}


def test_a_stubbed_answer_passes_when_there_is_time(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("dynamodb", region_name="us-east-1", config=RETRY_CONFIG)
    table = DynamoTable("codedesk", client=client)
    with Stubber(client) as stub, deadline.bound(Context(9000)):
        stub.add_response("get_item", {"Item": {"PK": {"S": "META"}, "SK": {"S": "CONTENT"}, "version": {"N": "3"}}})
        assert table.get("META", "CONTENT")["version"] == 3


def test_an_api_function_answers_503_when_its_invocation_runs_out(monkeypatch, dynamo_table):
    """End to end: the handler's own Lambda context (kept by powertools' resolver) sets the deadline."""
    from codedesk.codes.api import handler
    from codedesk.web import deps
    from tests.events import http_event

    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    monkeypatch.setattr(deps, "open_store", lambda url: dynamo_table)
    monkeypatch.setenv("CODEDESK_STORE", "dynamodb://codedesk-test")
    deps.reset()
    try:
        event = http_event("GET", "/api/code-sets", user="u1", groups=("coder",))
        context = type(
            "Context",
            (),
            {
                "function_name": "codes",
                "memory_limit_in_mb": 512,
                "aws_request_id": "r1",
                "invoked_function_arn": "arn:aws:lambda:us-east-1:1:function:codes",
                "get_remaining_time_in_millis": lambda self: 1200,
            },
        )()
        answer = handler(event, context)
        assert answer["statusCode"] == 503 and answer["headers"]["Retry-After"]
        assert json.loads(answer["body"])["error"]["code"]
        context.get_remaining_time_in_millis = lambda: 9000
        assert handler(event, context)["statusCode"] == 200
    finally:
        deps.reset()


def test_a_table_that_does_not_exist_is_a_misconfiguration_not_a_traceback(moto_dynamodb):
    from codedesk.store.dynamodb import DynamoTable
    from codedesk.store.port import StoreMisconfigured

    table = DynamoTable("no-such-table", client=moto_dynamodb)
    with pytest.raises(StoreMisconfigured, match="ResourceNotFoundException"):
        table.get("META", "CONTENT")
    # Not "busy, try again" (503 with Retry-After): the API logs it and answers 500 (web/errors.py).
    assert as_domain_error(StoreMisconfigured("AccessDeniedException")) is None
