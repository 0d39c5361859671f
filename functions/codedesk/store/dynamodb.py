"""The table port on DynamoDB (boto3): what the Lambda functions use.

Throttling and transient faults are retried by botocore's standard retry mode (exponential backoff
with jitter); what still fails is raised as StoreUnavailable so handlers answer 503, never 500.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

if TYPE_CHECKING:
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from codedesk.store import cursors, deadline, limits
from codedesk.store.port import (
    MAX_BATCH_GET,
    Condition,
    ConditionCheck,
    ConditionFailed,
    Delete,
    Item,
    KeyCondition,
    LimitExceeded,
    Page,
    Put,
    StoreMisconfigured,
    StoreUnavailable,
    TableStats,
    TransactionCanceled,
    TransactOp,
    Update,
    op_key,
)

# The time budget of one call from a function (infra/template.yaml: Timeout 10 s for the API's
# functions, more for denials and reminders). An attempt takes at most CONNECT + READ seconds and
# the standard retry mode sleeps at most 1 s, then 2 s, between attempts (throttling; DynamoDB's
# other faults far less), so one call ends within 3 * (1 + 1) + 1 + 2 = 9 s (`worst_case_seconds`),
# and the deadline (store/deadline.py) keeps DEADLINE_MARGIN of the invocation to answer 503.
# botocore counts `max_attempts` after the first attempt: 2 means 3 attempts in all.
CONNECT_TIMEOUT = 1
READ_TIMEOUT = 1
MAX_RETRIES = 2
DEADLINE_MARGIN = 1.0
RETRY_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": MAX_RETRIES},
    connect_timeout=CONNECT_TIMEOUT,
    read_timeout=READ_TIMEOUT,
)
# Operators' commands (publish, import, export) are not cut off after seconds, and a batch of large
# items takes longer: more patience, more attempts.
OPERATOR_CONFIG = Config(retries={"mode": "standard", "max_attempts": 8}, connect_timeout=3, read_timeout=20)
UNAVAILABLE_CODES = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "LimitExceededException",
}
# The deployment's fault, not the request's: a table name or role that is wrong (StoreMisconfigured:
# logged and answered 500 by the API, a failed import says what is still served; never a traceback).
MISCONFIGURED_CODES = {"ResourceNotFoundException", "AccessDeniedException", "UnrecognizedClientException"}
UNPROCESSED_RETRIES = 6


def total_attempts(config: Config) -> int:
    """Attempts in all; botocore rewrites `max_attempts` (retries) as `total_max_attempts` in the
    config it is given once a client is made from it."""
    retries = config.retries
    return int(retries["total_max_attempts"]) if "total_max_attempts" in retries else int(retries["max_attempts"]) + 1


def worst_case_seconds(config: Config) -> float:
    """The longest one call can take with `config`: every attempt timing out, every backoff at its cap."""
    attempts = total_attempts(config)
    backoff = sum(min(2**n, 20) for n in range(attempts - 1))  # botocore's standard mode, throttling scale 1 s
    return attempts * (config.connect_timeout + config.read_timeout) + backoff


class DeadlineReached(StoreUnavailable):
    """Too little of the invocation is left for another attempt; answered as 503 like any StoreUnavailable."""


@cache
def _types() -> tuple[TypeSerializer, TypeDeserializer]:
    """boto3's attribute-value converters. boto3 is imported with the first table, not with a
    function module: it loads botocore's session machinery, about a tenth of a cold import
    (tests/benchmarks/bench_cold_start.py), which the first request pays anyway for its client."""
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    return TypeSerializer(), TypeDeserializer()


def _serialize(value: Any) -> dict[str, Any]:
    return _types()[0].serialize(_to_dynamo(value))


def _to_dynamo(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _to_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_dynamo(v) for v in value]
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [_from_dynamo(v) for v in value]
    return value


def serialize(item: Item) -> dict[str, Any]:
    return {k: _serialize(v) for k, v in item.items()}


def deserialize(raw: dict[str, Any]) -> Item:
    deserializer = _types()[1]
    return {k: _from_dynamo(deserializer.deserialize(v)) for k, v in raw.items()}


def _condition_expression(condition: Condition | None) -> dict[str, Any]:
    if condition is None:
        return {}
    if condition.kind == "absent":
        return {"ConditionExpression": "attribute_not_exists(PK)"}
    if condition.kind == "exists":
        return {"ConditionExpression": "attribute_exists(PK)"}
    return {
        "ConditionExpression": "#c = :c",
        "ExpressionAttributeNames": {"#c": condition.name},
        "ExpressionAttributeValues": {":c": _serialize(condition.value)},
    }


def _update_expression(changes: dict[str, Any], condition: Condition | None) -> dict[str, Any]:
    if "PK" in changes or "SK" in changes:
        raise ValueError("an update cannot change the item's key")
    names = {f"#u{i}": name for i, name in enumerate(changes)}
    values = {f":u{i}": _serialize(v) for i, v in enumerate(changes.values())}
    expression = "SET " + ", ".join(f"#u{i} = :u{i}" for i in range(len(changes)))
    args: dict[str, Any] = {"UpdateExpression": expression}
    extra = _condition_expression(condition)
    args["ExpressionAttributeNames"] = {**names, **extra.pop("ExpressionAttributeNames", {})}
    args["ExpressionAttributeValues"] = {**values, **extra.pop("ExpressionAttributeValues", {})}
    args.update(extra)
    return args


def _translate(error: ClientError) -> Exception:
    code = error.response.get("Error", {}).get("Code", "")
    message = error.response.get("Error", {}).get("Message", "")
    if code == "ConditionalCheckFailedException":
        return ConditionFailed(message or "condition failed")
    if code == "TransactionCanceledException":
        reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
        return TransactionCanceled(reasons or [message])
    if code in UNAVAILABLE_CODES:
        return StoreUnavailable(f"DynamoDB is not answering: {code}")
    if code == "ValidationException":
        return LimitExceeded(message)
    if code in MISCONFIGURED_CODES:
        return StoreMisconfigured(f"DynamoDB refused the request ({code}): {message}")
    return error


class DynamoTable:
    def __init__(self, table_name: str, *, client: Any = None):
        self.table_name = table_name
        if client is None:
            import boto3  # with the first table, see _types

            in_lambda = bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))
            client = boto3.client("dynamodb", config=RETRY_CONFIG if in_lambda else OPERATOR_CONFIG)
        self.client = client
        self.stats = TableStats()
        # Before every attempt, retries included: is there time for it and for the 503 after it?
        client.meta.events.register_first(
            "before-send.dynamodb", self._check_deadline, unique_id=f"codedesk-deadline-{id(self)}"
        )

    def _check_deadline(self, **_: Any) -> None:
        remaining = deadline.remaining_seconds()
        if remaining is None:
            return
        if remaining < DEADLINE_MARGIN + CONNECT_TIMEOUT + READ_TIMEOUT:
            raise DeadlineReached(f"{remaining:.1f} s left in this invocation: no time for another DynamoDB attempt")

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return getattr(self.client, operation)(**kwargs)
        except ClientError as error:
            raise _translate(error) from error
        except BotoCoreError as error:
            raise StoreUnavailable(f"DynamoDB could not be reached: {error}") from error

    def _key(self, pk: str, sk: str) -> dict[str, Any]:
        return {"PK": {"S": pk}, "SK": {"S": sk}}

    # ----------------------------------------------------------------- single item

    def get(self, pk: str, sk: str) -> Item | None:
        raw = self._call("get_item", TableName=self.table_name, Key=self._key(pk, sk)).get("Item")
        self.stats.count("get", read=1 if raw else 0)
        return deserialize(raw) if raw else None

    def put(self, item: Item, *, condition: Condition | None = None) -> None:
        limits.check_item(item)
        self.stats.count("put", written=1)
        self._call("put_item", TableName=self.table_name, Item=serialize(item), **_condition_expression(condition))

    def update(self, pk: str, sk: str, *, changes: dict[str, Any], condition: Condition | None = None) -> Item:
        self.stats.count("update", written=1)
        answer = self._call(
            "update_item",
            TableName=self.table_name,
            Key=self._key(pk, sk),
            ReturnValues="ALL_NEW",
            **_update_expression(changes, condition),
        )
        return deserialize(answer["Attributes"])

    def delete(self, pk: str, sk: str, *, condition: Condition | None = None) -> None:
        self.stats.count("delete", written=1)
        self._call("delete_item", TableName=self.table_name, Key=self._key(pk, sk), **_condition_expression(condition))

    # ----------------------------------------------------------------------- query

    def query(
        self,
        pk: str,
        *,
        sk: KeyCondition | None = None,
        index: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        descending: bool = False,
    ) -> Page:
        part, sort = ("PK", "SK") if index is None else (f"{index}PK", f"{index}SK")
        expression = "#p = :p"
        names = {"#p": part}
        values: dict[str, Any] = {":p": {"S": pk}}
        if sk is not None:
            names["#s"] = sort
            values[":s"] = {"S": sk.value}
            if sk.op == "begins_with":
                expression += " AND begins_with(#s, :s)"
            elif sk.op == "between":
                values[":t"] = {"S": sk.upper or ""}
                expression += " AND #s BETWEEN :s AND :t"
            else:
                operator = {"lt": "<", "ge": ">="}[sk.op]
                expression += f" AND #s {operator} :s"
        args: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": expression,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": not descending,
        }
        if index:
            args["IndexName"] = index
        if limit is not None:
            args["Limit"] = limit
        if cursor:
            args["ExclusiveStartKey"] = _decode_key(cursor)
        answer = self._call("query", **args)
        items = [deserialize(raw) for raw in answer.get("Items", [])]
        self.stats.count("query", read=len(items))
        last = answer.get("LastEvaluatedKey")
        return Page(items, _encode_key(last) if last else None)

    def scan(self, *, pk_prefix: str = "", cursor: str | None = None) -> Page:
        args: dict[str, Any] = {"TableName": self.table_name}
        if pk_prefix:
            args.update(FilterExpression="begins_with(PK, :p)", ExpressionAttributeValues={":p": {"S": pk_prefix}})
        if cursor:
            args["ExclusiveStartKey"] = _decode_key(cursor)
        answer = self._call("scan", **args)
        items = [deserialize(raw) for raw in answer.get("Items", [])]
        self.stats.count("scan", read=len(items))
        last = answer.get("LastEvaluatedKey")
        return Page(items, _encode_key(last) if last else None)

    # ----------------------------------------------------------------------- batch

    def batch_get(self, keys: Sequence[tuple[str, str]]) -> list[Item]:
        limits.check_batch_get(keys)
        if not keys:
            return []
        pending: dict[str, Any] = {self.table_name: {"Keys": [self._key(pk, sk) for pk, sk in keys]}}
        found: list[Item] = []
        for attempt in range(UNPROCESSED_RETRIES):
            answer = self._call("batch_get_item", RequestItems=pending)
            raw_items = answer.get("Responses", {}).get(self.table_name, [])
            self.stats.count("batch_get", read=len(raw_items))
            found.extend(deserialize(raw) for raw in raw_items)
            pending = answer.get("UnprocessedKeys") or {}
            if not pending:
                break
            time.sleep(0.05 * 2**attempt)
        else:
            raise StoreUnavailable("DynamoDB left keys unprocessed after retries")
        order = {key: n for n, key in enumerate(keys)}
        found.sort(key=lambda item: order.get((item["PK"], item["SK"]), MAX_BATCH_GET))
        return found

    def batch_write(self, puts: Sequence[Item] = (), deletes: Sequence[tuple[str, str]] = ()) -> None:
        limits.check_batch_write(puts, deletes)
        requests = [{"PutRequest": {"Item": serialize(item)}} for item in puts]
        requests += [{"DeleteRequest": {"Key": self._key(pk, sk)}} for pk, sk in deletes]
        pending: dict[str, Any] = {self.table_name: requests}
        for attempt in range(UNPROCESSED_RETRIES):
            self.stats.count("batch_write", written=len(pending[self.table_name]))
            answer = self._call("batch_write_item", RequestItems=pending)
            pending = answer.get("UnprocessedItems") or {}
            if not pending:
                return
            time.sleep(0.05 * 2**attempt)
        raise StoreUnavailable("DynamoDB left writes unprocessed after retries")

    def transact_write(self, ops: Sequence[TransactOp]) -> None:
        limits.check_transaction(len(ops), [op_key(op) for op in ops])
        self.stats.count("transact_write", written=sum(not isinstance(op, ConditionCheck) for op in ops))
        items = []
        for op in ops:
            if isinstance(op, Put):
                limits.check_item(op.item)
                items.append(
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": serialize(op.item),
                            **_condition_expression(op.condition),
                        }
                    }
                )
            elif isinstance(op, Update):
                items.append(
                    {
                        "Update": {
                            "TableName": self.table_name,
                            "Key": self._key(op.pk, op.sk),
                            **_update_expression(op.changes, op.condition),
                        }
                    }
                )
            elif isinstance(op, Delete):
                items.append(
                    {
                        "Delete": {
                            "TableName": self.table_name,
                            "Key": self._key(op.pk, op.sk),
                            **_condition_expression(op.condition),
                        }
                    }
                )
            else:
                items.append(
                    {
                        "ConditionCheck": {
                            "TableName": self.table_name,
                            "Key": self._key(op.pk, op.sk),
                            **_condition_expression(op.condition),
                        }
                    }
                )
        self._call("transact_write_items", TransactItems=items)


def _encode_key(key: dict[str, Any]) -> str:
    return cursors.encode("dy", key)  # DynamoDB's LastEvaluatedKey, as it gave it


def _decode_key(cursor: str) -> dict[str, Any]:
    key = cursors.decode("dy", cursor)
    if not isinstance(key, dict):
        raise cursors.BadCursor()
    return key
