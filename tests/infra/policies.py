"""Reading IAM out of a template: which role each function runs as, what its policies allow, and where
a wildcard hides. Pure functions over the template's data, so the tests can show that each check
catches a broken copy of the template as well as passing the real one."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

FUNCTION = "AWS::Serverless::Function"
ROLE = "AWS::IAM::Role"
TABLE_ACTIONS_THAT_WRITE = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:PartiQLInsert",
    "dynamodb:PartiQLUpdate",
    "dynamodb:PartiQLDelete",
    "dynamodb:DeleteTable",
    "dynamodb:UpdateTable",
    "dynamodb:RestoreTableFromBackup",
    "dynamodb:ImportTable",
    "dynamodb:UpdateTimeToLive",
)


@dataclass(frozen=True)
class Statement:
    where: str  # "<resource>/<policy name>" for messages
    effect: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]  # rendered: GetAtt → "${X.Arn}", Ref → "${X}", Sub → its text
    condition: dict[str, Any]
    raw: dict[str, Any]


def render(value: Any) -> str:
    """A resource or principal as text, intrinsic functions written the way !Sub writes them."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((name, argument),) = value.items()
        if name == "Ref":
            return "${%s}" % argument
        if name == "Fn::GetAtt":
            return "${%s}" % ".".join(argument if isinstance(argument, list) else [argument])
        if name == "Fn::Sub":
            return argument if isinstance(argument, str) else argument[0]
        if name == "Fn::If":
            return " | ".join(render(branch) for branch in argument[1:])
    return repr(value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _statements(where: str, document: dict[str, Any]) -> Iterator[Statement]:
    for raw in _as_list(document.get("Statement")):
        yield Statement(
            where=where,
            effect=raw.get("Effect", ""),
            actions=tuple(render(a) for a in _as_list(raw.get("Action"))),
            resources=tuple(render(r) for r in _as_list(raw.get("Resource"))),
            condition=raw.get("Condition") or {},
            raw=raw,
        )


def role_statements(template: dict[str, Any], role: str) -> list[Statement]:
    properties = template["Resources"][role]["Properties"]
    return [
        s
        for policy in properties.get("Policies", [])
        for s in _statements(f"{role}/{policy['PolicyName']}", policy["PolicyDocument"])
    ]


def policy_documents(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every permission document a template grants: identity policies of roles, standalone and
    SAM function policies, and resource policies of buckets, topics and queues."""
    for name, resource in template["Resources"].items():
        kind, properties = resource.get("Type"), resource.get("Properties") or {}
        if kind == ROLE:
            for policy in properties.get("Policies", []):
                yield f"{name}/{policy['PolicyName']}", policy["PolicyDocument"]
        elif kind in (
            "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
            "AWS::S3::BucketPolicy",
            "AWS::SNS::TopicPolicy",
            "AWS::SQS::QueuePolicy",
        ):
            yield name, properties["PolicyDocument"]
        elif kind == FUNCTION:
            for index, policy in enumerate(_as_list(properties.get("Policies"))):
                if isinstance(policy, dict) and "Statement" in policy:
                    yield f"{name}/Policies[{index}]", policy


# Actions IAM accepts with no resource but "*": a statement of these alone may name "*".
ACTIONS_WITHOUT_RESOURCES = frozenset({"xray:PutTraceSegments", "xray:PutTelemetryRecords"})


def _bucket_objects(template: dict[str, Any]) -> set[str]:
    """`${Bucket.Arn}/*`: every object of one named bucket, the one wildcard a bucket policy needs."""
    return {"${%s.Arn}/*" % name for name, r in template["Resources"].items() if r.get("Type") == "AWS::S3::Bucket"}


def wildcard_problems(template: dict[str, Any]) -> list[str]:
    """Wildcards in actions, resources or principals, NotAction/NotResource, and managed policies
    (whose contents the template cannot show)."""
    problems = []
    allowed_tails = _bucket_objects(template)
    for where, document in policy_documents(template):
        for statement in _statements(where, document):
            for negated in ("NotAction", "NotResource", "NotPrincipal"):
                if negated in statement.raw:
                    problems.append(f"{where}: {negated} grants everything it does not name")
            for action in statement.actions:
                if "*" in action or "?" in action:
                    problems.append(f"{where}: wildcard action {action!r}")
            only_resourceless = bool(statement.actions) and set(statement.actions) <= ACTIONS_WITHOUT_RESOURCES
            for resource in statement.resources:
                if resource == "*" and only_resourceless:
                    continue
                if "*" in resource and resource not in allowed_tails:
                    problems.append(f"{where}: wildcard resource {resource!r}")
            principal = statement.raw.get("Principal")
            if principal == "*" or (isinstance(principal, dict) and "*" in _as_list(principal.get("AWS"))):
                problems.append(f"{where}: any principal")
    for name, resource in template["Resources"].items():
        if resource.get("Type") == ROLE and resource["Properties"].get("ManagedPolicyArns"):
            problems.append(f"{name}: managed policies {resource['Properties']['ManagedPolicyArns']}")
    return problems


def function_roles(template: dict[str, Any]) -> dict[str, str | None]:
    """Each function's role (the logical id of an AWS::IAM::Role in the template), or None."""
    roles: dict[str, str | None] = {}
    for name, resource in template["Resources"].items():
        if resource.get("Type") != FUNCTION:
            continue
        role = (resource.get("Properties") or {}).get("Role")
        target = role.get("Fn::GetAtt") if isinstance(role, dict) else None
        if isinstance(target, str):
            target = target.split(".")
        is_template_role = (
            isinstance(target, list)
            and target[1:] == ["Arn"]
            and template["Resources"].get(target[0], {}).get("Type") == ROLE
        )
        roles[name] = target[0] if is_template_role else None
    return roles


def role_problems(template: dict[str, Any]) -> list[str]:
    """A function must run as a role of its own, written in the template (SAM's generated role
    attaches AWS's managed basic-execution policy, whose resource is "*")."""
    problems = []
    roles = function_roles(template)
    for function, role in roles.items():
        if role is None:
            problems.append(f"{function}: no role of its own in the template")
        elif list(roles.values()).count(role) > 1:
            problems.append(f"{function}: shares {role} with another function")
        if template["Resources"][function]["Properties"].get("Policies"):
            problems.append(f"{function}: Policies make SAM generate a role; write them in its role")
    return problems


def _condition_allows(condition: dict[str, Any], context: dict[str, list[str]]) -> bool:
    """The condition operators these templates use; an unknown operator allows nothing."""
    for operator, tests in condition.items():
        for key, expected in tests.items():
            given = context.get(key)
            expected = [render(e) for e in _as_list(expected)]
            if given is None:
                return False
            if operator == "ForAllValues:StringLike":
                ok = all(any(fnmatch.fnmatchcase(g, e) for e in expected) for g in given)
            elif operator == "StringEquals":
                ok = all(g in expected for g in given)
            else:
                return False
            if not ok:
                return False
    return True


def allows(
    statements: list[Statement], action: str, resource: str, context: dict[str, list[str]] | None = None
) -> bool:
    """Whether Allow statements (there are no Deny ones here) grant `action` on `resource`."""
    for statement in statements:
        if statement.effect != "Allow":
            continue
        if not any(fnmatch.fnmatchcase(action, a) for a in statement.actions):
            continue
        if not any(fnmatch.fnmatchcase(resource, r) for r in statement.resources):
            continue
        if statement.condition and not _condition_allows(statement.condition, context or {}):
            continue
        return True
    return False
