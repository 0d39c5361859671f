"""The AWS path, on moto: a user pool and client made from infra/template.yaml's Cognito settings,
people in role and `team:<id>` groups, the pre token generation trigger recording each sign-in in
the staff directory (on moto's DynamoDB), and the API answering the claims of moto's ID tokens."""

from __future__ import annotations

import base64
import json

import pytest

from codedesk.reviews.api import handler as reviews
from codedesk.staff.api import handler as staff
from codedesk.staff.sign_in import handler as record_sign_in
from codedesk.template import read_template
from codedesk.web import deps
from tests.events import call

PASSWORD = "Front-desk-2027!"  # meets the template's password policy


def _resolved(value):
    """A template value with `!If [condition, a, b]` taken as `b` (no custom domain), as moto needs plain values."""
    if isinstance(value, dict) and "Fn::If" in value:
        return value["Fn::If"][2]
    if isinstance(value, list):
        return [_resolved(v) for v in value]
    return value


@pytest.fixture
def cognito(moto_dynamodb, dynamo_table, calendar_store_on_dynamodb, monkeypatch):
    import boto3

    resources = read_template()["Resources"]
    pool = resources["UserPool"]["Properties"]
    client = boto3.client("cognito-idp", region_name="us-east-1")
    pool_id = client.create_user_pool(
        PoolName="codedesk-users",
        **{k: pool[k] for k in ("AdminCreateUserConfig", "UsernameAttributes", "AutoVerifiedAttributes",
                                "AccountRecoverySetting", "MfaConfiguration", "Policies")},
    )["UserPool"]["Id"]  # fmt: skip
    for resource in resources.values():
        if resource["Type"] == "AWS::Cognito::UserPoolGroup":
            group = resource["Properties"]
            client.create_group(UserPoolId=pool_id, GroupName=group["GroupName"], Description=group["Description"])
    for team in ("north", "south-clinic"):  # a deployment's clinics: groups its administrator adds
        client.create_group(UserPoolId=pool_id, GroupName=f"team:{team}")
    settings = {k: _resolved(v) for k, v in resources["UserPoolClient"]["Properties"].items() if k != "UserPoolId"}
    app_client = client.create_user_pool_client(UserPoolId=pool_id, **settings)["UserPoolClient"]
    return client, pool_id, app_client


@pytest.fixture
def calendar_store_on_dynamodb(dynamo_table, monkeypatch):
    """The functions' store is moto's table, holding the published release calendar."""
    from codedesk.catalog import load_content
    from codedesk.content.publish import ItemSet, publish
    from codedesk.reviews import publish as reviews_publish
    from codedesk.template import REPOSITORY

    bundle, _ = load_content(REPOSITORY / "content")
    publish(dynamo_table, [ItemSet("reviews", reviews_publish.PREFIXES, reviews_publish.publish_items(bundle))])
    monkeypatch.setenv("CODEDESK_STORE", "dynamodb://codedesk-test")
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    deps.reset()
    yield dynamo_table
    deps.reset()


def claims_of(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def sign_in(cognito, email: str, name: str, *groups: str) -> dict:
    """Create the account as the runbook does, sign in, and run the trigger Cognito runs on that
    sign-in; the ID token's claims, as API Gateway's authorizer passes them on."""
    client, pool_id, app_client = cognito
    client.admin_create_user(
        UserPoolId=pool_id, Username=email,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"},
                        {"Name": "name", "Value": name}],
    )  # fmt: skip
    client.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=PASSWORD, Permanent=True)
    for group in groups:
        client.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName=group)
    answer = client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=app_client["ClientId"], AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]  # fmt: skip
    user = client.admin_get_user(UserPoolId=pool_id, Username=email)
    member_of = client.admin_list_groups_for_user(UserPoolId=pool_id, Username=email)["Groups"]
    event = {
        "triggerSource": "TokenGeneration_HostedAuth",
        "userPoolId": pool_id,
        "userName": user["Username"],
        "request": {
            "userAttributes": {a["Name"]: a["Value"] for a in user["UserAttributes"]},
            "groupConfiguration": {"groupsToOverride": [g["GroupName"] for g in member_of]},
        },
        "response": {},
    }
    assert record_sign_in(event, None) == event  # the token is left as Cognito makes it
    claims = claims_of(answer["IdToken"])
    return {"user": claims["sub"], "groups": claims["cognito:groups"], "refresh": answer["RefreshToken"]}


def test_the_template_wires_the_sign_in_trigger_and_keeps_tokens_for_a_working_day():
    resources = read_template()["Resources"]
    trigger = resources["UserPool"]["Properties"]["LambdaConfig"]["PreTokenGeneration"]
    assert trigger == {"Fn::GetAtt": ["SignInRecorderFunction", "Arn"]}
    assert resources["SignInRecorderFunction"]["Properties"]["Handler"] == "codedesk.staff.sign_in.handler"
    assert resources["SignInRecorderPermission"]["Properties"]["Principal"] == "cognito-idp.amazonaws.com"
    client = resources["UserPoolClient"]["Properties"]
    assert "ALLOW_REFRESH_TOKEN_AUTH" in client["ExplicitAuthFlows"] and client["EnableTokenRevocation"]
    assert (client["RefreshTokenValidity"], client["TokenValidityUnits"]["RefreshToken"]) == (12, "hours")


def test_on_aws_sign_ins_fill_the_directory_and_a_clinic_sees_only_its_own(cognito):
    maria = sign_in(cognito, "maria@north.example", "María López", "biller", "team:north")
    sam = sign_in(cognito, "sam@north.example", "Sam Okafor", "supervisor", "team:north")
    sue = sign_in(cognito, "sue@south.example", "Sue Park", "supervisor", "team:south-clinic")
    sam_claims = {"user": sam["user"], "groups": sam["groups"]}
    maria_claims = {"user": maria["user"], "groups": maria["groups"]}
    sue_claims = {"user": sue["user"], "groups": sue["groups"]}

    listed = call(staff, "GET", "/api/staff", query={"q": "lopez"}, **sam_claims)
    assert [(p["user_id"], p["name"], p["roles"], p["team"]) for p in listed.body["items"]] == [
        (maria["user"], "María López", ["biller"], "north")
    ]  # keyed by Cognito's sub: the id a real assignment must carry to reach her

    assigned = call(reviews, "POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": [maria["user"]]},
                    **sam_claims)  # fmt: skip
    assert assigned.status == 201, assigned.body
    [mine] = call(reviews, "GET", "/api/reviews", **maria_claims).body["items"]
    assert (mine["assignee_name"], mine["team"]) == ("María López", "north")

    assert call(staff, "GET", f"/api/staff/{maria['user']}", **sue_claims).status == 404
    assert call(reviews, "GET", "/api/reviews", query={"assignee": maria["user"]}, **sue_claims).body["items"] == []
    refused = call(reviews, "POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": [maria["user"]]},
                   **sue_claims)  # fmt: skip
    assert refused.status == 422


def test_a_refresh_token_gives_a_new_id_token_with_the_same_groups(cognito):
    client, pool_id, app_client = cognito
    maria = sign_in(cognito, "maria@north.example", "María López", "biller", "team:north")
    renewed = client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=app_client["ClientId"], AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": maria["refresh"]},
    )["AuthenticationResult"]  # fmt: skip
    claims = claims_of(renewed["IdToken"])
    assert claims["sub"] == maria["user"] and sorted(claims["cognito:groups"]) == ["biller", "team:north"]


def test_the_daily_sync_turns_a_disabled_cognito_user_inactive_and_back(cognito):
    from datetime import UTC, datetime

    from codedesk.staff.sync import sync_active

    client, pool_id, _ = cognito
    maria = sign_in(cognito, "maria@north.example", "María López", "biller", "team:north")
    sam = sign_in(cognito, "sam@north.example", "Sam Okafor", "supervisor", "team:north")
    sam_claims = {"user": sam["user"], "groups": sam["groups"]}
    client.admin_disable_user(UserPoolId=pool_id, Username="maria@north.example")
    run = sync_active(deps.table(), client, pool_id, datetime.now(UTC))
    assert (run.turned_inactive, run.turned_active) == ([maria["user"]], [])

    [person] = call(staff, "GET", "/api/staff", query={"q": "maría"}, **sam_claims).body["items"]
    assert person["active"] is False
    refused = call(reviews, "POST", "/api/reviews", body={"release_id": "hcpcs-2027-q1", "assignees": [maria["user"]]},
                   **sam_claims)  # fmt: skip
    assert refused.status == 422 and "no longer active" in refused.body["error"]["details"][0]["message"]

    assert sync_active(deps.table(), client, pool_id, datetime.now(UTC)).turned_inactive == []  # nothing new
    client.admin_enable_user(UserPoolId=pool_id, Username="maria@north.example")
    assert sync_active(deps.table(), client, pool_id, datetime.now(UTC)).turned_active == [maria["user"]]
