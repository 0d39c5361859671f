"""The table's definition (keys and indexes), read from its one source: infra/template.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from codedesk.template import read_template


@dataclass(frozen=True)
class IndexKeys:
    name: str
    partition: str
    sort: str


@dataclass(frozen=True)
class TableDefinition:
    partition: str
    sort: str
    indexes: tuple[IndexKeys, ...]
    properties: dict[str, Any]

    def index(self, name: str) -> IndexKeys:
        for index in self.indexes:
            if index.name == name:
                return index
        raise KeyError(f"the table has no index {name!r}; it has {[i.name for i in self.indexes]}")

    def create_table_arguments(self, table_name: str) -> dict[str, Any]:
        """Arguments for boto3's `create_table`, taken from the template unchanged."""
        props = self.properties
        args: dict[str, Any] = {
            "TableName": table_name,
            "AttributeDefinitions": props["AttributeDefinitions"],
            "KeySchema": props["KeySchema"],
            "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if props.get("GlobalSecondaryIndexes"):
            args["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        return args


def _key_names(key_schema: list[dict[str, str]]) -> tuple[str, str]:
    by_type = {k["KeyType"]: k["AttributeName"] for k in key_schema}
    return by_type["HASH"], by_type["RANGE"]


@cache
def table_definition() -> TableDefinition:
    resources = read_template()["Resources"]
    tables = [r for r in resources.values() if r.get("Type") == "AWS::DynamoDB::Table"]
    if len(tables) != 1:
        raise ValueError(f"infra/template.yaml must define exactly one DynamoDB table, found {len(tables)}")
    props = tables[0]["Properties"]
    partition, sort = _key_names(props["KeySchema"])
    indexes = tuple(
        IndexKeys(gsi["IndexName"], *_key_names(gsi["KeySchema"])) for gsi in props.get("GlobalSecondaryIndexes", [])
    )
    return TableDefinition(partition, sort, indexes, props)
