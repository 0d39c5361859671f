"""`codedesk export` / `codedesk import-data`: user data round-trips, also from SQLite to DynamoDB."""

from __future__ import annotations

import json

from codedesk.cli import main
from codedesk.content.publish import ItemSet, publish
from codedesk.store.backup import export_user_data, import_user_data, read_lines

USER_RECORDS = [
    {"PK": "USER#alice", "SK": "REVIEW#hcpcs-2027-q1", "status": "open", "due_on": "2027-01-08"},
    {
        "PK": "ATTEMPT#a1",
        "SK": "ATTEMPT",
        "score": 4,
        "max_score": 5,
        "answers": {"q1": ["b"]},
        "GSI1PK": "USER#alice",
        "GSI1SK": "ATTEMPT#2026-11-23T10:00:00#a1",
    },
]


def _seed(table):
    publish(table, [ItemSet("demo", ("DEMO#",), [{"PK": "DEMO#1", "SK": "CARD", "title": "x"}])])
    for record in USER_RECORDS:
        table.put(record)


def test_export_holds_user_data_only(sqlite_table):
    _seed(sqlite_table)
    exported = sorted(export_user_data(sqlite_table), key=lambda i: i["PK"])
    assert exported == sorted(USER_RECORDS, key=lambda i: i["PK"])


def test_round_trip_from_the_embedded_store_to_dynamodb(sqlite_table, dynamo_table, tmp_path, capsys):
    _seed(sqlite_table)
    backup = tmp_path / "backup.jsonl"
    assert main(["export", "--store", f"sqlite:///{sqlite_table.path}", "--output", str(backup)]) == 0
    with backup.open() as stream:
        assert import_user_data(dynamo_table, read_lines(stream)) == 2
    moved = sorted(export_user_data(dynamo_table), key=lambda i: i["PK"])
    assert moved == sorted(USER_RECORDS, key=lambda i: i["PK"])
    assert dynamo_table.query("USER#alice", index="GSI1").items[0]["score"] == 4


def test_a_bad_backup_line_writes_nothing(sqlite_table, tmp_path, capsys):
    backup = tmp_path / "backup.jsonl"
    backup.write_text(json.dumps(USER_RECORDS[0]) + "\n{not json\n")
    assert main(["import-data", str(backup), "--store", f"sqlite:///{sqlite_table.path}"]) == 1
    assert "line 2: not JSON" in capsys.readouterr().err
    assert list(export_user_data(sqlite_table)) == []


def test_reference_data_is_refused_on_import(sqlite_table, tmp_path, capsys):
    backup = tmp_path / "backup.jsonl"
    backup.write_text(json.dumps({"PK": "DEMO#1", "SK": "CARD", "ns": "demo", "v": []}) + "\n")
    assert main(["import-data", str(backup), "--store", f"sqlite:///{sqlite_table.path}"]) == 1
    assert "reference data" in capsys.readouterr().err
