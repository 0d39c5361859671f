"""The restore path of docs/DEPLOY.md ("Backup and restore"), run against moto with the runbook's
own commands: a point-in-time restore into a new table, the user data copied back with `codedesk
export` / `codedesk import-data`, and a table created from the template's definition that, once
loaded that way and published, serves the portal."""

from __future__ import annotations

import json

import pytest

from codedesk.cli import main
from codedesk.content.view import LivePointer
from codedesk.store.backup import export_user_data
from codedesk.store.definition import table_definition
from codedesk.store.dynamodb import DynamoTable
from tests.conftest import CONTENT, MINI_ICD10CM
from tests.events import call
from tests.store.test_backup import USER_RECORDS

LIVE, RESTORED = "codedesk-Table-LIVE", "codedesk-restored-20270105"


@pytest.fixture
def aws(moto_dynamodb):
    """The AWS account the runbook works in (moto's, in memory)."""
    return moto_dynamodb


def create_table(client, name: str) -> DynamoTable:
    """As the stack creates it: the template's keys and index, point-in-time recovery on."""
    client.create_table(**table_definition().create_table_arguments(name))
    client.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    return DynamoTable(name, client=client)


def _user_data(table) -> list[dict]:
    return sorted(export_user_data(table), key=lambda item: item["PK"])


def test_a_point_in_time_restore_copied_back_brings_the_user_data_back(aws, tmp_path, capsys):
    live = create_table(aws, LIVE)
    assert main(["import", "icd10cm", str(MINI_ICD10CM), "--store", f"dynamodb://{LIVE}"]) == 0
    for record in USER_RECORDS:
        live.put(record)
    # The runbook's restore: a new table from the point in time, then the user data copied back.
    aws.restore_table_to_point_in_time(SourceTableName=LIVE, TargetTableName=RESTORED, UseLatestRestorableTime=True)
    live.delete("USER#alice", "REVIEW#hcpcs-2027-q1")  # the accident
    live.put({**USER_RECORDS[1], "score": 0})
    backup = tmp_path / "user-data.jsonl"
    assert main(["export", "--store", f"dynamodb://{RESTORED}", "--output", str(backup)]) == 0
    assert main(["import-data", str(backup), "--store", f"dynamodb://{LIVE}"]) == 0
    assert _user_data(live) == sorted(USER_RECORDS, key=lambda item: item["PK"])
    # The restored table is a whole copy: its content pointer and manifests came along too.
    restored = DynamoTable(RESTORED, client=aws)
    assert LivePointer(restored, max_age=0).view().version == LivePointer(live, max_age=0).view().version
    assert "2 user record(s)" in capsys.readouterr().out


def test_a_table_from_the_template_loaded_as_the_runbook_says_serves_the_portal(aws, tmp_path, monkeypatch):
    source = create_table(aws, LIVE)
    for record in USER_RECORDS:
        source.put(record)
    backup = tmp_path / "user-data.jsonl"
    assert main(["export", "--store", f"dynamodb://{LIVE}", "--output", str(backup)]) == 0
    assert len(backup.read_text().splitlines()) == len(USER_RECORDS)

    create_table(aws, RESTORED)
    url = f"dynamodb://{RESTORED}"
    assert main(["import-data", str(backup), "--store", url]) == 0
    assert main(["publish", "--content", str(CONTENT), "--store", url]) == 0
    assert main(["import", "icd10cm", str(MINI_ICD10CM), "--store", url]) == 0

    from codedesk.codes.api import handler as codes
    from codedesk.quizzes.api import handler as quizzes
    from codedesk.web import deps

    monkeypatch.setenv("CODEDESK_STORE", url)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    deps.reset()
    try:
        alice = {"user": "alice", "groups": ("receptionist",)}
        listed = call(quizzes, "GET", "/api/quizzes", **alice)
        assert listed.status == 200 and listed.body["items"], listed.body
        assert _user_data(DynamoTable(RESTORED, client=aws)) == sorted(USER_RECORDS, key=lambda item: item["PK"])
        code = call(codes, "GET", "/api/codes/ICD10CM/E11.9", **alice)
        assert code.status == 200 and code.body["code"] == "E11.9", json.dumps(code.body)[:300]
    finally:
        deps.reset()
