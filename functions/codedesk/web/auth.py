"""Who is asking: the claims API Gateway's JWT authorizer (or the local server) put into the event.

The user id is the token's `sub`, never anything from the path or body. Groups arrive from Cognito
as `cognito:groups`, either a JSON list or API Gateway's bracketed string "[coder supervisor]".
Only the known roles count; a user with none of them is denied.

A person's team (the clinic they work for) is a Cognito group too, named `team:<team_id>`: groups
are in both the ID and the access token without a pre-token trigger, and a supervisor of several
clinics is simply in several. Someone in no team group belongs to the deployment's one team,
`DEFAULT_TEAM`, so a single-clinic deployment needs no team groups at all.
"""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

import re
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.event_handler.request import Request

from codedesk.errors import Forbidden, Unauthorized
from codedesk.roles import ROLES

GROUPS_CLAIM = "cognito:groups"
TEAM_GROUP_PREFIX = "team:"
DEFAULT_TEAM = "main"
TEAM_ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,39}"


@dataclass(frozen=True)
class User:
    user_id: str
    name: str
    groups: frozenset[str]
    teams: tuple[str, ...] = (DEFAULT_TEAM,)

    @property
    def is_supervisor(self) -> bool:
        return "supervisor" in self.groups

    @property
    def team(self) -> str:
        """The team the person's own records belong to: their first team (a supervisor may have more)."""
        return self.teams[0]


def _group_names(raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = raw.strip()
        if raw.startswith("[") and raw.endswith("]"):
            raw = raw[1:-1]
        return [name.strip().strip('"') for name in raw.replace(",", " ").split()]
    if isinstance(raw, list | tuple) and all(isinstance(name, str) for name in raw):
        return [name.strip() for name in raw]
    return []


def parse_groups(raw: Any) -> frozenset[str]:
    """The known roles named by a groups claim; none (so denied) for a claim of any other shape."""
    return frozenset(_group_names(raw)) & frozenset(ROLES)


def parse_teams(raw: Any) -> tuple[str, ...]:
    """The teams named by a groups claim (`team:<team_id>`), sorted; the default team when none."""
    teams = sorted(
        {
            name.removeprefix(TEAM_GROUP_PREFIX)
            for name in _group_names(raw)
            if name.startswith(TEAM_GROUP_PREFIX)
            and re.fullmatch(TEAM_ID_PATTERN, name.removeprefix(TEAM_GROUP_PREFIX))
        }
    )
    return tuple(teams) or (DEFAULT_TEAM,)


def user_from_claims(claims: Any) -> User:
    if not isinstance(claims, dict) or not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise Unauthorized("Sign in first: this request carries no valid token.")
    groups = parse_groups(claims.get(GROUPS_CLAIM))
    if not groups:
        raise Forbidden("Your account is in no Codedesk role yet; ask a supervisor to add you to one.")
    name = claims.get("name") or claims.get("cognito:username") or claims.get("username") or claims["sub"]
    teams = parse_teams(claims.get(GROUPS_CLAIM))
    return User(user_id=str(claims["sub"]), name=str(name), groups=groups, teams=teams)


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
