"""Who is asking: the claims API Gateway's JWT authorizer (or the local server) put into the event.

The user id is the token's `sub`, never anything from the path or body. Groups arrive from Cognito
as `cognito:groups`, either a JSON list or API Gateway's bracketed string "[coder supervisor]".
Only the known roles count; a user with none of them is denied.
"""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.event_handler.request import Request

from codedesk.errors import Forbidden, Unauthorized
from codedesk.roles import ROLES

GROUPS_CLAIM = "cognito:groups"


@dataclass(frozen=True)
class User:
    user_id: str
    name: str
    groups: frozenset[str]

    @property
    def is_supervisor(self) -> bool:
        return "supervisor" in self.groups


def parse_groups(raw: Any) -> frozenset[str]:
    """The known roles named by a groups claim; none (so denied) for a claim of any other shape."""
    if isinstance(raw, str):
        raw = raw.strip()
        if raw.startswith("[") and raw.endswith("]"):
            raw = raw[1:-1]
        names = raw.replace(",", " ").split()
    elif isinstance(raw, list | tuple) and all(isinstance(name, str) for name in raw):
        names = list(raw)
    else:
        names = []
    return frozenset(name.strip().strip('"') for name in names) & frozenset(ROLES)


def user_from_claims(claims: Any) -> User:
    if not isinstance(claims, dict) or not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise Unauthorized("Sign in first: this request carries no valid token.")
    groups = parse_groups(claims.get(GROUPS_CLAIM))
    if not groups:
        raise Forbidden("Your account is in no Codedesk role yet; ask a supervisor to add you to one.")
    name = claims.get("name") or claims.get("cognito:username") or claims.get("username") or claims["sub"]
    return User(user_id=str(claims["sub"]), name=str(name), groups=groups)


def user_from_event(event: dict[str, Any]) -> User:
    """The signed-in user of an API Gateway HTTP API event (Unauthorized / Forbidden if none)."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    return user_from_claims((authorizer.get("jwt") or {}).get("claims"))


def current_user(request: Request) -> User:
    """Dependency for routes that need a signed-in user (use with `Depends(current_user)`)."""
    return user_from_event(request.resolved_event.raw_event)


def require_groups(user: User, *groups: str) -> None:
    if not user.groups & set(groups):
        raise Forbidden(f"This needs the {' or '.join(groups)} role; you are {', '.join(sorted(user.groups))}.")
