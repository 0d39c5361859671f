"""The table the tests and the local store create is the table the template deploys."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from codedesk.store.definition import table_definition
from codedesk.template import read_template


def deployed_table(template: dict[str, Any]) -> dict[str, Any]:
    [table] = [r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"]
    return table


def _keys(key_schema) -> list[tuple[str, str]]:
    return sorted((k["AttributeName"], k["KeyType"]) for k in key_schema)


def shape(table: dict[str, Any]) -> dict[str, Any]:
    """What a query can depend on: keys, key types, indexes and what they project."""
    return {
        "attributes": sorted((a["AttributeName"], a["AttributeType"]) for a in table["AttributeDefinitions"]),
        "keys": _keys(table["KeySchema"]),
        "indexes": sorted(
            (
                i["IndexName"],
                tuple(_keys(i["KeySchema"])),
                i["Projection"]["ProjectionType"],
                tuple(sorted(i["Projection"].get("NonKeyAttributes", []))),
            )
            for i in table.get("GlobalSecondaryIndexes", [])
        ),
        "local_indexes": sorted(i["IndexName"] for i in table.get("LocalSecondaryIndexes", [])),
        "billing": table.get("BillingMode") or table.get("BillingModeSummary", {}).get("BillingMode"),
    }


def table_differences(template: dict[str, Any], created: dict[str, Any]) -> list[str]:
    deployed, made = shape(deployed_table(template)), shape(created)
    return [
        f"{field}: template {deployed[field]} but the tests create {made[field]}"
        for field in deployed
        if deployed[field] != made[field]
    ]


@pytest.fixture(scope="module")
def moto_table() -> dict[str, Any]:
    """The table the DynamoDB tests create (tests/conftest.py), as DynamoDB describes it."""
    import os

    import boto3
    from moto import mock_aws

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(**table_definition().create_table_arguments("codedesk-test"))
        return client.describe_table(TableName="codedesk-test")["Table"]


def test_the_table_the_tests_create_is_the_deployed_one(moto_table):
    assert table_differences(read_template(), moto_table) == []


@pytest.mark.parametrize(
    "edit, field",
    [
        (lambda t: t["AttributeDefinitions"][3].update(AttributeType="N"), "attributes"),
        (lambda t: t["GlobalSecondaryIndexes"][0]["Projection"].update(ProjectionType="KEYS_ONLY"), "indexes"),
        (
            lambda t: t["GlobalSecondaryIndexes"].append(
                {
                    "IndexName": "GSI2",
                    "KeySchema": [{"AttributeName": "GSI1SK", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ),
            "indexes",
        ),
        (lambda t: t.update(BillingMode="PROVISIONED"), "billing"),
    ],
)
def test_a_template_table_that_differs_from_the_tests_table_is_caught(moto_table, edit, field):
    template = copy.deepcopy(read_template())
    edit(deployed_table(template))
    problems = table_differences(template, moto_table)
    assert len(problems) == 1 and problems[0].startswith(f"{field}:"), problems


def test_the_local_store_indexes_the_same_keys(tmp_path):
    from codedesk.store.sqlite import SqliteTable

    local = SqliteTable(tmp_path / "store.db").definition
    table = deployed_table(read_template())
    assert (local.partition, local.sort) == tuple(k["AttributeName"] for k in table["KeySchema"])
    indexes = {
        (i["IndexName"], tuple(k["AttributeName"] for k in i["KeySchema"])) for i in table["GlobalSecondaryIndexes"]
    }
    assert {(i.name, (i.partition, i.sort)) for i in local.indexes} == indexes


def test_the_table_is_on_demand_protected_and_recoverable():
    table = deployed_table(read_template())
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["DeletionProtectionEnabled"] is True
    assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    [resource] = [r for r in read_template()["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"]
    assert resource["DeletionPolicy"] == resource["UpdateReplacePolicy"] == "Retain"
