"""infra/template.yaml checked offline: cfn-lint, the SAM translator, handlers, and what the issue
asks of the deployment (sign-in, the site, throttling, alarms, logs)."""

from __future__ import annotations

import importlib
from typing import Any

from cfnlint.api import ManualArgs, lint_file

from codedesk.roles import ROLES
from codedesk.store.definition import table_definition
from codedesk.template import read_template, template_path
from codedesk.web.routes import route_table
from codedesk.web.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS
from tests.infra.sam import translated_template


def resources_of(kind: str, template: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    template = template or read_template()
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


def test_cfn_lint_finds_no_errors():
    matches = lint_file(template_path(), config=ManualArgs(regions=["us-east-1"]))
    errors = [str(m) for m in matches if m.rule.id.startswith("E")]
    assert errors == []


def test_the_sam_translator_accepts_the_template():
    kinds = {resource["Type"] for resource in translated_template()["Resources"].values()}
    assert {
        "AWS::Lambda::Function",
        "AWS::ApiGatewayV2::Api",
        "AWS::DynamoDB::Table",
        "AWS::Scheduler::Schedule",
        "AWS::CloudFront::Distribution",
    } <= kinds


def test_every_handler_resolves_to_an_importable_function():
    for name, resource in resources_of("AWS::Serverless::Function").items():
        module, _, attribute = resource["Properties"]["Handler"].rpartition(".")
        assert callable(getattr(importlib.import_module(module), attribute)), name


def test_the_table_keys_follow_the_index_naming_the_adapters_rely_on():
    definition = table_definition()
    assert (definition.partition, definition.sort) == ("PK", "SK")
    for index in definition.indexes:
        assert (index.partition, index.sort) == (f"{index.name}PK", f"{index.name}SK")


def test_routes_are_unique():
    keys = [route.route_key for route in route_table()]
    assert len(keys) == len(set(keys))


# ---------------------------------------------------------------------------------- sign-in


def test_the_api_checks_cognito_tokens_on_every_route_by_default():
    auth = read_template()["Resources"]["HttpApi"]["Properties"]["Auth"]
    cognito = auth["Authorizers"][auth["DefaultAuthorizer"]]
    assert cognito["IdentitySource"] == "$request.header.Authorization"
    assert cognito["JwtConfiguration"]["audience"] == [{"Ref": "UserPoolClient"}]
    assert "${UserPool}" in cognito["JwtConfiguration"]["issuer"]["Fn::Sub"]


def test_the_user_pool_has_one_group_per_role_and_no_self_sign_up():
    groups = {r["Properties"]["GroupName"] for r in resources_of("AWS::Cognito::UserPoolGroup").values()}
    assert groups == set(ROLES)
    pool = read_template()["Resources"]["UserPool"]["Properties"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True


def test_the_site_client_is_a_public_authorization_code_client_with_a_hosted_domain():
    client = read_template()["Resources"]["UserPoolClient"]["Properties"]
    assert client["GenerateSecret"] is False
    assert client["AllowedOAuthFlows"] == ["code"] and client["AllowedOAuthFlowsUserPoolClient"] is True
    assert "ALLOW_USER_PASSWORD_AUTH" not in client["ExplicitAuthFlows"]
    assert resources_of("AWS::Cognito::UserPoolDomain")


# ---------------------------------------------------------------------------------- site


def test_the_site_bucket_is_private_and_only_the_distribution_reads_it():
    [bucket] = resources_of("AWS::S3::Bucket").values()
    assert set(bucket["Properties"]["PublicAccessBlockConfiguration"].values()) == {True}
    [policy] = resources_of("AWS::S3::BucketPolicy").values()
    for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
        assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert "${Distribution}" in statement["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
        assert statement["Action"] in ("s3:GetObject", "s3:ListBucket")


def test_one_distribution_serves_the_site_and_routes_api_calls_to_the_http_api():
    [distribution] = resources_of("AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    assert origins["site"]["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
    condition, own_domain, execute_api = origins["api"]["DomainName"]["Fn::If"]
    assert condition == "HasApiDomain" and own_domain == {"Ref": "ApiDomainName"}
    assert "${HttpApi}.execute-api" in execute_api["Fn::Sub"]
    [api] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert api["TargetOriginId"] == "api" and "POST" in api["AllowedMethods"]
    assert api["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # never cache answers
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "site"
    for behavior in [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]:
        assert behavior["ResponseHeadersPolicyId"] == {"Ref": "SecurityHeaders"}
        assert behavior["ViewerProtocolPolicy"] in ("https-only", "redirect-to-https")
    assert "CorsConfiguration" not in read_template()["Resources"]["HttpApi"]["Properties"]  # one origin
    assert "CustomErrorResponses" not in config  # they would replace the API's JSON errors with pages


def test_the_security_headers_are_set():
    [policy] = resources_of("AWS::CloudFront::ResponseHeadersPolicy").values()
    headers = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert "ContentTypeOptions" in headers and "ReferrerPolicy" in headers
    csp = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp


def _directives(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in policy.split(";") if part.strip())}


def test_cloudfront_sends_the_local_servers_csp_plus_cognito_and_nothing_unsafe_inline():
    [policy] = resources_of("AWS::CloudFront::ResponseHeadersPolicy").values()
    config = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    deployed = _directives(config["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"])
    cognito = "https://${AuthDomainPrefix}.auth.${AWS::Region}.amazoncognito.com"
    assert deployed["connect-src"] == ["'self'", cognito] and deployed["form-action"] == ["'self'", cognito]
    without_cognito = {name: [s for s in sources if s != cognito] for name, sources in deployed.items()}
    assert without_cognito == _directives(CONTENT_SECURITY_POLICY)
    assert deployed["script-src"] == ["'self'"] and deployed["style-src"] == ["'self'"]
    assert "unsafe-inline" not in config["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    assert (
        config["ContentTypeOptions"]["Override"]
        and config["ReferrerPolicy"]["ReferrerPolicy"] == SECURITY_HEADERS["Referrer-Policy"]
    )


def test_the_api_answers_cloudfront_only_when_it_has_a_domain_of_its_own():
    resources = read_template()["Resources"]
    api = resources["HttpApi"]["Properties"]
    assert api["DisableExecuteApiEndpoint"] == {"Fn::If": ["HasApiDomain", True, False]}
    assert resources["ApiDomain"]["Condition"] == resources["ApiDomainMapping"]["Condition"] == "HasApiDomain"
    assert resources["ApiDomainMapping"]["Properties"]["ApiId"] == {"Ref": "HttpApi"}
    translated = translated_template()["Resources"]
    assert resources["ApiDomainMapping"]["DependsOn"] in translated  # the $default stage SAM makes


def test_without_a_domain_of_its_own_the_api_answers_only_requests_cloudfront_vouches_for():
    resources = read_template()["Resources"]
    secret = resources["OriginSecret"]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    assert secret["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32  # generated, never typed
    reference = {"Fn::Sub": "{{resolve:secretsmanager:${OriginSecret}:SecretString}}"}
    [origin] = [o for o in resources["Distribution"]["Properties"]["DistributionConfig"]["Origins"] if o["Id"] == "api"]
    assert origin["OriginCustomHeaders"] == [{"HeaderName": "X-Origin-Verify", "HeaderValue": reference}]
    api_functions = {route.function for route in route_table()}
    translated = translated_template()["Resources"]
    for name in api_functions:
        variables = translated[name]["Properties"]["Environment"]["Variables"]
        assert variables["ORIGIN_VERIFY"] == reference, name


# ---------------------------------------------------------------------------------- operations


def test_the_stage_and_the_costly_routes_are_throttled():
    api = read_template()["Resources"]["HttpApi"]["Properties"]
    assert api["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0
    routes = {route.route_key for route in route_table()}
    assert set(api["RouteSettings"]) <= routes  # a setting for a route that does not exist is a typo
    assert {"POST /api/denials/era", "GET /api/calendar.ics"} <= set(api["RouteSettings"])


def test_every_function_logs_to_a_group_of_its_own_with_retention():
    log_groups = resources_of("AWS::Logs::LogGroup")
    used = []
    for name, function in resources_of("AWS::Serverless::Function").items():
        group = function["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        assert "RetentionInDays" in log_groups[group]["Properties"], name
        used.append(group)
    assert len(used) == len(set(used))
    assert all("RetentionInDays" in g["Properties"] for g in log_groups.values())


def _alarmed_metrics(alarm: dict[str, Any]) -> set[tuple[str, str]]:
    """(metric name, function or table logical id) of an alarm, including metric-math parts."""
    properties = alarm["Properties"]
    metrics = (
        [properties]
        if "MetricName" in properties
        else [m["MetricStat"]["Metric"] for m in properties["Metrics"] if "MetricStat" in m]
    )
    return {
        (m["MetricName"], _named(d["Value"])) for m in metrics for d in m["Dimensions"] if isinstance(d["Value"], dict)
    }


def _named(value: dict[str, Any]) -> str:
    """The logical id a dimension's value refers to (!Ref X or !GetAtt X.Attribute)."""
    if "Ref" in value:
        return value["Ref"]
    target = value["Fn::GetAtt"]
    return (target.split(".") if isinstance(target, str) else target)[0]


def _alarms_of(metric: str) -> dict[str, dict[str, Any]]:
    return {
        name: alarm
        for name, alarm in resources_of("AWS::CloudWatch::Alarm").items()
        if any(m == metric for m, _ in _alarmed_metrics(alarm))
    }


def test_alarms_cover_api_errors_and_every_functions_errors_and_throttles():
    alarmed = set().union(*(_alarmed_metrics(a) for a in resources_of("AWS::CloudWatch::Alarm").values()))
    assert ("5xx", "HttpApi") in alarmed
    for name in resources_of("AWS::Serverless::Function"):
        assert ("Errors", name) in alarmed, name
    for name in resources_of("AWS::Serverless::Function"):
        if name != "RemindersFunction":  # runs once a day; its errors alarm is the one that matters
            assert ("Throttles", name) in alarmed, name
    assert {("ReadThrottleEvents", "Table"), ("WriteThrottleEvents", "Table")} <= alarmed
    for alarm in resources_of("AWS::CloudWatch::Alarm").values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_reminders_run_daily_on_a_schedule():
    function = read_template()["Resources"]["RemindersFunction"]["Properties"]
    assert function["Handler"] == "codedesk.reviews.reminders.handler"
    [event] = function["Events"].values()
    assert event["Type"] == "ScheduleV2" and event["Properties"]["ScheduleExpression"].startswith("cron(")
    assert set(function["Environment"]["Variables"]) == {"USER_POOL_ID", "REMINDER_SENDER", "SITE_URL"}


def test_latency_alarms_watch_the_apis_p99_and_every_api_functions_p99():
    [(_name, api)] = _alarms_of("Latency").items()
    assert api["Properties"]["ExtendedStatistic"] == "p99"
    assert api["Properties"]["Threshold"] == {"Ref": "LatencyAlarmMilliseconds"}
    [(_name, functions)] = _alarms_of("Duration").items()
    stats = {m["MetricStat"]["Stat"] for m in functions["Properties"]["Metrics"] if "MetricStat" in m}
    assert stats == {"p99"}
    timeout = read_template()["Globals"]["Function"]["Timeout"]
    assert functions["Properties"]["Threshold"] < timeout * 1000
    watched = {fn for _, fn in _alarmed_metrics(functions)}
    assert watched == {
        f
        for f, r in resources_of("AWS::Serverless::Function").items()
        if "Events" in r["Properties"] and any(e["Type"] == "HttpApi" for e in r["Properties"]["Events"].values())
    }
    for alarm in resources_of("AWS::CloudWatch::Alarm").values():  # CloudWatch takes 10 metrics at most
        assert len(alarm["Properties"].get("Metrics", [])) <= 10


def test_a_failed_reminder_run_ends_in_an_alarmed_dead_letter_queue():
    template = read_template()["Resources"]
    function = template["RemindersFunction"]["Properties"]
    assert function["DeadLetterQueue"] == {"Type": "SQS", "TargetArn": {"Fn::GetAtt": ["RemindersDeadLetters", "Arn"]}}
    assert function["EventInvokeConfig"]["MaximumRetryAttempts"] == 2
    [event] = function["Events"].values()
    assert event["Properties"]["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["RemindersDeadLetters", "Arn"]}}
    queue = template["RemindersDeadLetters"]
    assert queue["Type"] == "AWS::SQS::Queue" and queue["Condition"] == "SendsReminders"
    [(_name, alarm)] = _alarms_of("ApproximateNumberOfMessagesVisible").items()
    assert ("ApproximateNumberOfMessagesVisible", "RemindersDeadLetters") in _alarmed_metrics(alarm)
    assert alarm["Properties"]["Threshold"] == 1 and alarm.get("Condition") == "SendsReminders"
    # The function's own role may send to the queue (SAM adds nothing to a role it did not make).
    from tests.infra.policies import allows, role_statements

    assert allows(role_statements(read_template(), "RemindersRole"), "sqs:SendMessage", "${RemindersDeadLetters.Arn}")
    # The scheduler's role SAM generates may send there too.
    translated = translated_template()["Resources"]
    scheduler_roles = [
        r
        for r in translated.values()
        if r["Type"] == "AWS::IAM::Role"
        and "scheduler.amazonaws.com" in str(r["Properties"]["AssumeRolePolicyDocument"])
    ]
    assert scheduler_roles and "sqs:SendMessage" in str(scheduler_roles[0]["Properties"]["Policies"])


def test_tracing_is_switched_by_a_parameter():
    template = read_template()
    assert template["Globals"]["Function"]["Tracing"] == {"Fn::If": ["TracingEnabled", "Active", "PassThrough"]}
    assert template["Conditions"]["TracingEnabled"] == {"Fn::Equals": [{"Ref": "Tracing"}, "true"]}
    assert template["Parameters"]["Tracing"]["Default"] == "false"
    functions = [r for r in translated_template()["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    assert functions and all(
        f["Properties"]["TracingConfig"] == {"Mode": {"Fn::If": ["TracingEnabled", "Active", "PassThrough"]}}
        for f in functions
    )


def test_the_site_bucket_keeps_previous_versions_for_a_while():
    [bucket] = resources_of("AWS::S3::Bucket").values()
    assert bucket["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
    [rule] = bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled" and rule["NoncurrentVersionExpiration"]["NoncurrentDays"] > 0
