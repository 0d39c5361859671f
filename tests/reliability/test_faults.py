"""Faults injected at the table port: throttling is retried with backoff, then answered 503 with
Retry-After (never a 500 with a trace); a conditional-check failure answers 409."""

from __future__ import annotations

import json

import pytest
from botocore.awsrequest import AWSResponse

from codedesk.portal.api import handler as portal_handler
from codedesk.store.port import ConditionFailed, StoreUnavailable
from codedesk.web import deps
from tests.events import call


class _Raw:
    def __init__(self, body: bytes):
        self.body = body

    def stream(self, **_):
        yield self.body


def throttle_first(client, count: int) -> dict:
    """Make DynamoDB answer ThrottlingException to the next `count` requests (at the HTTP level, so
    botocore's own retry logic runs exactly as it would against AWS)."""
    state = {"left": count, "sent": 0}

    def before_send(request, **_):
        state["sent"] += 1
        if state["left"] > 0:
            state["left"] -= 1
            body = json.dumps(
                {
                    "__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException",
                    "message": "Rate of requests exceeds the allowed throughput.",
                }
            ).encode()
            return AWSResponse(request.url, 400, {"x-amzn-ErrorType": "ThrottlingException"}, _Raw(body))
        return None

    client.meta.events.register_first("before-send.dynamodb", before_send)
    return state


def test_dynamodb_throttling_is_retried_until_it_passes(dynamo_table):
    dynamo_table.put({"PK": "A", "SK": "1", "v": 1})
    state = throttle_first(dynamo_table.client, 2)
    assert dynamo_table.get("A", "1") == {"PK": "A", "SK": "1", "v": 1}
    assert state["sent"] == 3  # two throttled attempts, then the one that passed


def test_dynamodb_throttling_that_does_not_stop_becomes_store_unavailable(dynamo_table, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda _: None)
    throttle_first(dynamo_table.client, 50)
    with pytest.raises(StoreUnavailable):
        dynamo_table.get("A", "1")


class FaultyTable:
    """Wraps a table; every call raises the injected error."""

    def __init__(self, table, error: Exception):
        self.table, self.error = table, error
        self.stats = table.stats

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise self.error

        return fail


@pytest.fixture
def faulty_store(api_store, monkeypatch):
    def inject(error: Exception):
        monkeypatch.setattr(deps, "open_store", lambda url: FaultyTable(api_store, error))
        deps.reset()

    return inject


def test_an_unavailable_store_answers_503_with_retry_after(faulty_store):
    faulty_store(StoreUnavailable("throttled"))
    reply = call(portal_handler, "GET", "/api/health")
    assert reply.status == 503
    assert reply.headers["retry-after"] == "2"
    assert reply.body["error"]["code"] == "unavailable" and "Traceback" not in json.dumps(reply.body)


def test_a_conditional_check_failure_answers_409(faulty_store):
    faulty_store(ConditionFailed("changed"))
    reply = call(portal_handler, "GET", "/api/health")
    assert reply.status == 409 and reply.body["error"]["code"] == "conflict"


def test_an_unexpected_error_is_a_500_without_a_trace(faulty_store):
    faulty_store(RuntimeError("secret internals"))
    reply = call(portal_handler, "GET", "/api/health")
    assert reply.status == 500
    assert "secret internals" not in json.dumps(reply.body) and reply.body["error"]["code"] == "internal"


def test_a_body_that_is_not_utf8_is_a_400_naming_the_body(api_store):
    from codedesk.quizzes.api import handler as quizzes_handler

    reply = call(
        quizzes_handler,
        "POST",
        "/api/quizzes/receptionist/attempts",
        user="u",
        groups=["coder"],
        body=b"\xff%\x95g\x195",
        headers={"content-type": "application/json", "idempotency-key": "k"},
    )
    assert reply.status == 400 and reply.body["error"]["details"] == [{"field": "body", "message": "not UTF-8"}]


def test_an_oversized_body_is_a_413_before_any_work(api_store):
    from codedesk.quizzes.api import handler as quizzes_handler
    from codedesk.web.resolver import MAX_BODY_BYTES

    answers = {f"q{n}": "x" * 100 for n in range(MAX_BODY_BYTES // 100)}
    reply = call(
        quizzes_handler,
        "POST",
        "/api/quizzes/receptionist/attempts",
        user="u",
        groups=["coder"],
        body={"answers": answers},
        headers={"idempotency-key": "big"},
    )
    assert reply.status == 413 and reply.body["error"]["code"] == "too_large"
    assert call(quizzes_handler, "GET", "/api/attempts", user="u", groups=["coder"]).body["items"] == []
