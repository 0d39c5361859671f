"""Least privilege, proven from the template: no wildcards, a role per function, reference-data
functions cannot write, and writers can write only the partitions their code writes."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime

import pytest
from botocore.exceptions import ClientError

from codedesk.store.port import ConditionCheck, Delete, Put, Update
from codedesk.store.sqlite import SqliteTable
from codedesk.template import read_template
from tests.events import call
from tests.infra.policies import (
    TABLE_ACTIONS_THAT_WRITE,
    allows,
    function_roles,
    role_problems,
    role_statements,
    wildcard_problems,
)
from tests.infra.sam import translated_template
from tests.staff_support import in_directory

TABLE = "${Table.Arn}"
INDEX = "${Table.Arn}/index/GSI1"
# Functions over reference data (and the portal's content pointer, the staff directory): they must not write.
READ_ONLY = ("PortalFunction", "CodesFunction", "ClaimsFunction", "PayersFunction", "StaffFunction")
WRITERS = ("QuizzesFunction", "ReviewsFunction", "RemindersFunction", "AuditsFunction", "DenialsFunction")
# Cognito's trigger and the daily sync with Cognito, not the API's: they write the staff directory only.
TRIGGERS = ("SignInRecorderFunction", "StaffSyncFunction")


def statements_of(function: str, template=None) -> list:
    template = template or read_template()
    return role_statements(template, function_roles(template)[function])


def test_no_wildcard_anywhere_in_the_template():
    assert wildcard_problems(read_template()) == []


def test_no_wildcard_in_what_sam_generates_either():
    assert wildcard_problems(translated_template()) == []


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda s: s.update(Action=["dynamodb:*"]), "wildcard action 'dynamodb:*'"),
        (lambda s: s.update(Action=["dynamodb:Get*"]), "wildcard action 'dynamodb:Get*'"),
        (lambda s: s.update(Resource="*"), "wildcard resource '*'"),
        (lambda s: s.update(Resource={"Fn::Sub": "${Table.Arn}/index/*"}), "wildcard resource '${Table.Arn}/index/*'"),
        (lambda s: s.update(NotAction=["dynamodb:DeleteTable"]), "NotAction grants everything it does not name"),
    ],
)
def test_a_wildcard_is_caught(edit, expected):
    template = copy.deepcopy(read_template())
    edit(template["Resources"]["CodesRole"]["Properties"]["Policies"][1]["PolicyDocument"]["Statement"][0])
    assert [p for p in wildcard_problems(template) if expected in p], wildcard_problems(template)


def test_a_managed_policy_is_caught():
    template = copy.deepcopy(read_template())
    template["Resources"]["CodesRole"]["Properties"]["ManagedPolicyArns"] = [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    ]
    assert wildcard_problems(template) == [
        "CodesRole: managed policies ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']"
    ]


def test_every_function_has_a_role_of_its_own():
    assert role_problems(read_template()) == []
    assert set(function_roles(read_template())) == set(READ_ONLY + WRITERS + TRIGGERS)


def test_a_function_without_its_own_role_is_caught():
    template = copy.deepcopy(read_template())
    del template["Resources"]["PayersFunction"]["Properties"]["Role"]
    template["Resources"]["CodesFunction"]["Properties"]["Role"] = {"Fn::GetAtt": ["DenialsRole", "Arn"]}
    assert role_problems(template) == [
        "CodesFunction: shares DenialsRole with another function",
        "DenialsFunction: shares DenialsRole with another function",
        "PayersFunction: no role of its own in the template",
    ]


@pytest.mark.parametrize("function", READ_ONLY)
@pytest.mark.parametrize("action", (*TABLE_ACTIONS_THAT_WRITE, "dynamodb:ConditionCheckItem", "dynamodb:Scan"))
def test_reference_data_functions_cannot_write_or_scan(function, action):
    statements = statements_of(function)
    for resource in (TABLE, INDEX):
        assert not allows(statements, action, resource, {"dynamodb:LeadingKeys": ["CODE#ICD10CM#E11.9"]})


@pytest.mark.parametrize("function", READ_ONLY[1:] + WRITERS)
def test_readers_read_the_table_and_its_index(function):
    statements = statements_of(function)
    for action in ("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"):
        assert allows(statements, action, TABLE)
    assert allows(statements, "dynamodb:Query", INDEX)
    assert not allows(statements, "dynamodb:Scan", TABLE)


@pytest.mark.parametrize(
    "function, partition",
    [
        ("QuizzesFunction", "QUIZ#receptionist"),  # published content
        ("QuizzesFunction", "META"),  # the live content pointer
        ("ReviewsFunction", "RELEASE#CALENDAR"),
        ("ReviewsFunction", "ATTEMPT#abc"),
        ("RemindersFunction", "REVIEWSOF#hcpcs-2027-q1"),
        ("AuditsFunction", "ATTEMPT#abc"),  # it writes the coder's review cards (USER#), never attempts
        ("AuditsFunction", "RESULTS#main#coder"),
        ("AuditsFunction", "AUDITX"),
        ("DenialsFunction", "DENIAL#CARC"),  # published cards
        ("DenialsFunction", "USER#sub-ana"),
    ],
)
def test_writers_cannot_touch_other_partitions(function, partition):
    statements = statements_of(function)
    for action in TABLE_ACTIONS_THAT_WRITE:
        assert not allows(statements, action, TABLE, {"dynamodb:LeadingKeys": [partition]}), action


def test_the_reminder_function_sends_from_its_one_identity_only():
    statements = statements_of("RemindersFunction")
    identity = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${ReminderSenderIdentity}"
    assert allows(statements, "ses:SendEmail", identity, {"ses:FromAddress": ["${ReminderSender}"]})
    assert not allows(statements, "ses:SendEmail", identity, {"ses:FromAddress": ["someone@else.example"]})
    assert not allows(statements, "ses:SendRawEmail", identity, {"ses:FromAddress": ["${ReminderSender}"]})
    assert allows(statements, "cognito-idp:AdminGetUser", "${UserPool.Arn}")
    assert not allows(statements, "cognito-idp:AdminUpdateUserAttributes", "${UserPool.Arn}")


# ----------------------------------------------------------------------------- writes the code makes

ACTION_OF = {
    Put: "dynamodb:PutItem",
    Update: "dynamodb:UpdateItem",
    Delete: "dynamodb:DeleteItem",
    ConditionCheck: "dynamodb:ConditionCheckItem",
}


@pytest.fixture
def recorded_writes(monkeypatch):
    """Every write the SQLite store is asked for, as (IAM action, partition key)."""
    writes: list[tuple[str, str]] = []
    original = {
        name: getattr(SqliteTable, name) for name in ("put", "update", "delete", "batch_write", "transact_write")
    }

    def put(self, item, **kwargs):
        writes.append(("dynamodb:PutItem", item["PK"]))
        return original["put"](self, item, **kwargs)

    def update(self, pk, sk, **kwargs):
        writes.append(("dynamodb:UpdateItem", pk))
        return original["update"](self, pk, sk, **kwargs)

    def delete(self, pk, sk, **kwargs):
        writes.append(("dynamodb:DeleteItem", pk))
        return original["delete"](self, pk, sk, **kwargs)

    def batch_write(self, puts=(), deletes=()):
        writes.extend(("dynamodb:BatchWriteItem", pk) for pk in [i["PK"] for i in puts] + [k[0] for k in deletes])
        return original["batch_write"](self, puts, deletes)

    def transact_write(self, ops):
        writes.extend((ACTION_OF[type(op)], op.item["PK"] if isinstance(op, Put) else op.pk) for op in ops)
        return original["transact_write"](self, ops)

    for name, replacement in (
        ("put", put),
        ("update", update),
        ("delete", delete),
        ("batch_write", batch_write),
        ("transact_write", transact_write),
    ):
        monkeypatch.setattr(SqliteTable, name, replacement)
    return writes


def refused(writes: list[tuple[str, str]], function: str) -> list[tuple[str, str]]:
    statements = statements_of(function)
    return [
        (action, pk) for action, pk in writes if not allows(statements, action, TABLE, {"dynamodb:LeadingKeys": [pk]})
    ]


def answers_for(quiz: dict) -> dict:
    kinds = {
        "single_choice": lambda q: q["options"][0]["id"],
        "multiple_select": lambda q: [q["options"][0]["id"]],
        "true_false": lambda q: True,
    }
    return {q["id"]: kinds.get(q["type"], lambda q: "Z00.00")(q) for q in quiz["questions"]}


def test_the_quizzes_role_allows_every_write_taking_quizzes_makes(api_store, recorded_writes):
    from codedesk.quizzes.api import handler

    who = {"user": "sub-ana", "groups": ("receptionist",)}
    quiz = call(handler, "GET", "/api/quizzes/receptionist", **who).body
    assert (
        call(
            handler,
            "POST",
            "/api/quizzes/receptionist/attempts",
            body={"answers": answers_for(quiz)},
            headers={"Idempotency-Key": "k1"},
            **who,
        ).status
        == 201
    )
    misses = call(handler, "GET", "/api/practice/misses", **who).body
    assert (
        call(handler, "POST", "/api/practice/misses/attempts", body={"answers": answers_for(misses)}, **who).status
        == 201
    )
    checklist = call(handler, "GET", "/api/checklists/receptionist", **who).body
    item = checklist["items"][0]["item_id"]
    ticked = call(handler, "PUT", f"/api/checklists/receptionist/items/{item}", body={"done": True}, **who)
    assert ticked.status == 200, ticked.body
    assert recorded_writes, "taking a quiz wrote nothing"
    assert refused(recorded_writes, "QuizzesFunction") == []


def test_the_audits_and_denials_roles_allow_the_writes_audits_and_trends_make(api_store, recorded_writes):
    from codedesk.audits.api import handler
    from codedesk.denials.api import handler as denials
    from tests.denials.test_trends import REMIT
    from tests.staff_support import in_directory

    in_directory(api_store, {"cora": "coder"})

    audit = {"month": "2026-11", "provider": "Dr. Ruiz", "coder": "cora", "encounters": [
        {"ref": "A-01", "billed": ["99213"], "supported": ["99213"]},
        {"ref": "A-02", "billed": ["E11.65"], "supported": ["E11.9"]}]}  # fmt: skip
    recorded_writes.clear()
    assert call(handler, "POST", "/api/audits", body=audit, user="cam", groups=("compliance",)).status == 201
    # the audit and, in the same transaction, the coder's review cards
    assert {pk.split("#")[0] for _, pk in recorded_writes} == {"AUDIT", "USER"}
    assert refused(recorded_writes, "AuditsFunction") == []
    recorded_writes.clear()
    reply = call(denials, "POST", "/api/denials/era", query={"record": "true"}, body=REMIT,
                 headers={"content-type": "text/plain"}, user="bea", groups=("biller",))  # fmt: skip
    assert reply.status == 200 and reply.body["recorded"]["added"] == 1
    assert recorded_writes and refused(recorded_writes, "DenialsFunction") == []


def test_the_sign_in_recorder_writes_the_directory_and_nothing_else(api_store, recorded_writes):
    from codedesk.staff.sign_in import handler

    event = {
        "triggerSource": "TokenGeneration_HostedAuth",
        "userName": "maria@clinic.example",
        "request": {
            "userAttributes": {"sub": "0f1e-maria", "name": "María López", "email": "maria@clinic.example"},
            "groupConfiguration": {"groupsToOverride": ["biller", "team:north"]},
        },
        "response": {},
    }
    assert handler(event, None) == event
    assert recorded_writes and refused(recorded_writes, "SignInRecorderFunction") == []
    statements = statements_of("SignInRecorderFunction")
    for partition in ("USER#north#0f1e-maria", "RESULTS#north#receptionist", "META"):
        assert not allows(statements, "dynamodb:PutItem", TABLE, {"dynamodb:LeadingKeys": [partition]})


def test_the_staff_sync_may_only_flip_the_directorys_active_flags():
    statements = statements_of("StaffSyncFunction")
    assert allows(statements, "dynamodb:UpdateItem", TABLE, {"dynamodb:LeadingKeys": ["STAFF#north"]})
    for action in ("dynamodb:PutItem", "dynamodb:DeleteItem"):
        assert not allows(statements, action, TABLE, {"dynamodb:LeadingKeys": ["STAFF#north"]})
    assert not allows(statements, "dynamodb:UpdateItem", TABLE, {"dynamodb:LeadingKeys": ["USER#north#maria"]})


class FakeSes:
    """SES as the reminder code calls it; `refuse` makes it answer as SES does when it will not send."""

    def __init__(self, refuse: bool = False):
        self.refuse = refuse

    def send_email(self, **message):
        if self.refuse:
            raise ClientError({"Error": {"Code": "MessageRejected", "Message": "no"}}, "SendEmail")
        return {"MessageId": "m-1"}


def test_the_reviews_and_reminders_roles_allow_every_write_their_code_makes(api_store, recorded_writes):
    from codedesk.reviews.api import handler
    from codedesk.reviews.reminders import send_reminders
    from codedesk.web.deps import table

    supervisor, bea = {"user": "sue", "groups": ("supervisor",)}, {"user": "bea", "groups": ("coder",)}
    in_directory(api_store, {"bea": "coder", "bo": "biller"})
    recorded_writes.clear()  # the directory is written by sign-ins, not by these functions
    assigned = call(
        handler, "POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": ["bea", "bo"]}, **supervisor
    )
    assert assigned.status == 201, assigned.body
    review = assigned.body["items"][0]
    assert (
        call(handler, "POST", f"/api/reviews/{review['review_id']}/complete", body={"acknowledged": True}, **bea).status
        == 200
    )
    assert refused(recorded_writes, "ReviewsFunction") == [] and recorded_writes

    recorded_writes.clear()
    due = date.fromisoformat(review["due_on"])
    directory = type("Directory", (), {"email_of": lambda self, user: f"{user}@clinic.example"})()
    for ses, day in ((FakeSes(refuse=True), due), (FakeSes(), due)):
        send_reminders(
            table(),
            ses,
            directory,
            sender="codedesk@clinic.example",
            site_url="https://x.example",
            today=day,
            now=datetime.now(UTC),
        )
    assert {action for action, _ in recorded_writes} == {
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
    }
    assert refused(recorded_writes, "RemindersFunction") == []


# ----------------------------------------------------------------------------- the publisher role

PUBLISHER = "PublisherRole"
USER_PARTITIONS = ("USER#ana", "ATTEMPT#a1", "RESULTS#receptionist", "REVIEWSOF#hcpcs-2027-q1")
READ_ACTION_OF = {
    "get": "dynamodb:GetItem",
    "batch_get": "dynamodb:BatchGetItem",
    "query": "dynamodb:Query",
    "scan": "dynamodb:Scan",
}


def test_operators_assume_the_publisher_role_from_this_account_only():
    role = read_template()["Resources"][PUBLISHER]["Properties"]
    [statement] = role["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Action"] == "sts:AssumeRole" and statement["Effect"] == "Allow"
    principal = statement["Principal"]["AWS"]["Fn::If"]
    assert principal[0] == "HasPublisherPrincipal" and principal[1] == {"Ref": "PublisherPrincipalArn"}
    assert principal[2] == {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
    assert "Service" not in statement["Principal"]
    assert "PublisherRoleArn" in read_template()["Outputs"]


@pytest.mark.parametrize(
    "partition",
    [
        "META",
        "META#MANIFEST#codes:ICD10CM",
        "CODE#file#ICD10CM#E119",
        "QUIZ#ALL",
        "DENIALLIST#CARC",
        "GLOSSARY#prior authorization",
        "ICDINDEX#index#ENTRIES",
        "EDIT#PTP#99213",
        "FEE#medicare-part-b-novitas#99213",
    ],
)
def test_the_publisher_reads_and_writes_reference_data(partition):
    statements = role_statements(read_template(), PUBLISHER)
    for action in (
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:BatchWriteItem",
    ):
        assert allows(statements, action, TABLE, {"dynamodb:LeadingKeys": [partition]}), action


@pytest.mark.parametrize("partition", USER_PARTITIONS)
def test_the_publisher_cannot_read_or_write_anyones_records(partition):
    statements = role_statements(read_template(), PUBLISHER)
    for action in ("dynamodb:GetItem", "dynamodb:Query", *TABLE_ACTIONS_THAT_WRITE):
        assert not allows(statements, action, TABLE, {"dynamodb:LeadingKeys": [partition]}), action
    # A batch mixing reference data and a user's record is refused whole.
    assert not allows(statements, "dynamodb:BatchWriteItem", TABLE, {"dynamodb:LeadingKeys": ["QUIZ#ALL", partition]})


@pytest.mark.parametrize(
    "action",
    [
        "dynamodb:Scan",
        "dynamodb:DeleteTable",
        "dynamodb:UpdateTable",
        "dynamodb:RestoreTableFromBackup",
        "dynamodb:ImportTable",
        "dynamodb:PartiQLUpdate",
        "dynamodb:UpdateTimeToLive",
    ],
)
def test_the_publisher_cannot_scan_or_administer_the_table(action):
    statements = role_statements(read_template(), PUBLISHER)
    for resource in (TABLE, INDEX):
        assert not allows(statements, action, resource, {"dynamodb:LeadingKeys": ["QUIZ#ALL"]})


def test_the_publisher_uploads_the_site_and_nothing_else_in_s3():
    statements = role_statements(read_template(), PUBLISHER)
    assert allows(statements, "s3:PutObject", "${SiteBucket.Arn}/quizzes/index.html")
    assert allows(statements, "s3:DeleteObject", "${SiteBucket.Arn}/old/index.html")
    assert allows(statements, "s3:ListBucket", "${SiteBucket.Arn}")
    for action in ("s3:PutBucketPolicy", "s3:DeleteBucket", "s3:PutBucketVersioning", "s3:GetObject"):
        assert not allows(statements, action, "${SiteBucket.Arn}") and not allows(
            statements, action, "${SiteBucket.Arn}/x"
        )
    distribution = "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"
    assert allows(statements, "cloudfront:CreateInvalidation", distribution)
    assert not allows(statements, "cloudfront:UpdateDistribution", distribution)
    # The runbook reads the stack's outputs as the publisher; nothing else of CloudFormation.
    assert allows(statements, "cloudformation:DescribeStacks", "${AWS::StackId}")
    assert not allows(statements, "cloudformation:UpdateStack", "${AWS::StackId}")


@pytest.fixture
def recorded_calls(monkeypatch):
    """Every call the SQLite store is asked for, as (IAM action, resource, partition keys)."""
    calls: list[tuple[str, str, list[str]]] = []
    original = {
        name: getattr(SqliteTable, name)
        for name in ("get", "query", "batch_get", "scan", "put", "update", "delete", "batch_write")
    }

    def get(self, pk, sk):
        calls.append(("dynamodb:GetItem", TABLE, [pk]))
        return original["get"](self, pk, sk)

    def query(self, pk, **kwargs):
        calls.append(("dynamodb:Query", INDEX if kwargs.get("index") else TABLE, [pk]))
        return original["query"](self, pk, **kwargs)

    def batch_get(self, keys):
        calls.append(("dynamodb:BatchGetItem", TABLE, [k[0] for k in keys]))
        return original["batch_get"](self, keys)

    def scan(self, **kwargs):
        calls.append(("dynamodb:Scan", TABLE, []))
        return original["scan"](self, **kwargs)

    def put(self, item, **kwargs):
        calls.append(("dynamodb:PutItem", TABLE, [item["PK"]]))
        return original["put"](self, item, **kwargs)

    def update(self, pk, sk, **kwargs):
        calls.append(("dynamodb:UpdateItem", TABLE, [pk]))
        return original["update"](self, pk, sk, **kwargs)

    def delete(self, pk, sk, **kwargs):
        calls.append(("dynamodb:DeleteItem", TABLE, [pk]))
        return original["delete"](self, pk, sk, **kwargs)

    def batch_write(self, puts=(), deletes=()):
        calls.append(("dynamodb:BatchWriteItem", TABLE, [i["PK"] for i in puts] + [k[0] for k in deletes]))
        return original["batch_write"](self, puts, deletes)

    for name, replacement in (
        ("get", get),
        ("query", query),
        ("batch_get", batch_get),
        ("scan", scan),
        ("put", put),
        ("update", update),
        ("delete", delete),
        ("batch_write", batch_write),
    ):
        monkeypatch.setattr(SqliteTable, name, replacement)
    return calls


def test_the_publisher_role_allows_every_call_publishing_and_importing_make(tmp_path, recorded_calls, capsys):
    """Every import step of the runbook, run as it runs them, on a new table: `codedesk publish`,
    `codedesk import icd10cm` (two releases), the ICD-10-CM index, an official CARC list, the NCCI
    edit files, a payer's fee schedule, and the site build's read of imported releases."""
    from codedesk.cli import main
    from codedesk.codes.pages import release_pages_from_store
    from codedesk.denials.cli import import_official_list
    from tests.claims.conftest import ADDON_FILE, MUE_FILE, PTP_FILE
    from tests.conftest import CONTENT, MINI_ICD10CM
    from tests.denials.test_official_list import CARC_CSV, write

    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert main(["publish", "--content", str(CONTENT), "--store", url]) == 0
    for release, path in (
        ("2025-04-01", MINI_ICD10CM.with_name("mini-tabular-April-2025.xml")),
        ("2026-04-01", MINI_ICD10CM),
    ):
        assert main(["import", "icd10cm", str(path), "--release", release, "--store", url]) == 0
    index = MINI_ICD10CM.with_name("mini-index.xml")
    assert main(["import", "icd10cm-index", str(index), "--store", url]) == 0
    assert import_official_list("carc", [write(tmp_path, CARC_CSV)], url) == 0
    for kind, text in (("ncci-ptp", PTP_FILE), ("mue", MUE_FILE), ("addon", ADDON_FILE)):
        (tmp_path / f"{kind}.txt").write_text(text)
        assert main(["import", kind, str(tmp_path / f"{kind}.txt"), "--quarter", "2026Q4", "--store", url]) == 0
    (tmp_path / "fees.csv").write_text("code,modifier,allowed\n99213,,91.20\n97110,GP,31.50\n")
    payer = "medicare-part-b-novitas"
    assert main(["import", "fees", str(tmp_path / "fees.csv"), "--payer", payer, "--store", url]) == 0
    assert main(["publish", "--content", str(CONTENT), "--store", url]) == 0  # again: the manifest diff
    release_pages_from_store(SqliteTable(tmp_path / "store.db"))
    statements = role_statements(read_template(), PUBLISHER)
    refused_calls = [
        (action, resource, pks)
        for action, resource, pks in recorded_calls
        if not allows(statements, action, resource, {"dynamodb:LeadingKeys": pks})
    ]
    assert recorded_calls and refused_calls == []
    assert not [c for c in recorded_calls if c[0] == "dynamodb:Scan"]


def test_tracing_grants_x_rays_write_actions_only_and_only_when_switched_on():
    template = read_template()
    policy = template["Resources"]["TracingPolicy"]
    assert policy["Condition"] == "TracingEnabled"
    [statement] = policy["Properties"]["PolicyDocument"]["Statement"]
    assert sorted(statement["Action"]) == ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    roles = {r["Ref"] if "Ref" in r else r["Fn::If"][1]["Ref"] for r in policy["Properties"]["Roles"]}
    assert roles == set(function_roles(template).values())
    # "*" is accepted for those two actions alone: slipping another action in is caught.
    broken = copy.deepcopy(template)
    broken["Resources"]["TracingPolicy"]["Properties"]["PolicyDocument"]["Statement"][0]["Action"].append(
        "dynamodb:GetItem"
    )
    assert [p for p in wildcard_problems(broken) if p.startswith("TracingPolicy: wildcard resource '*'")]
