"""Local sign-in: bearer tokens signed with a key kept in the local data folder (PyJWT, HS256).

Only the local server uses these; on AWS, Cognito issues tokens and API Gateway checks them.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import jwt

from codedesk.roles import ROLES
from codedesk.web.auth import TEAM_GROUP_PREFIX, TEAM_ID_PATTERN

ISSUER = "codedesk-local"
LIFETIME_SECONDS = 12 * 3600
MAX_NAME = 100
# A token without an expiry would sign its bearer in forever.
REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud"]


class TokenInvalid(Exception):
    pass


@cache
def signing_key(data_dir: Path) -> bytes:
    """The local key, created on first use; read once per process (every request checks a token)."""
    path = data_dir / "local-signing.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as stream:
            stream.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def issue_token(
    data_dir: Path, user: str, groups: list[str], *, name: str | None = None, teams: Sequence[str] = ()
) -> str:
    """A token for `user` in the roles `groups` and the `teams` (as Cognito's `team:<id>` groups)."""
    unknown = sorted(set(groups) - set(ROLES))
    if unknown:
        raise ValueError(f"unknown group(s) {', '.join(unknown)}; choose from {', '.join(ROLES)}")
    if not user or not user.replace("-", "").replace("_", "").replace(".", "").replace("@", "").isalnum():
        raise ValueError("a user name is letters, digits and . _ - @ only")
    bad_teams = [team for team in teams if not re.fullmatch(TEAM_ID_PATTERN, team)]
    if bad_teams:
        raise ValueError(f"a team id is lower-case letters, digits and - (got {', '.join(map(repr, bad_teams))})")
    if name is not None and (not name.strip() or len(name) > MAX_NAME or not name.isprintable()):
        raise ValueError(f"a name is 1 to {MAX_NAME} printable characters")
    now = int(time.time())
    claims = {
        "sub": user,
        "name": name.strip() if name else user,
        "cognito:groups": sorted(groups) + [TEAM_GROUP_PREFIX + team for team in sorted(set(teams))],
        "iss": ISSUER,
        "aud": ISSUER,
        "iat": now,
        "exp": now + LIFETIME_SECONDS,
    }
    return jwt.encode(claims, signing_key(data_dir), algorithm="HS256")


def verify_token(data_dir: Path, token: str) -> dict:
    """The claims as API Gateway's JWT authorizer hands them to a function: strings, and the
    groups list as the bracketed string "[coder supervisor]"."""
    try:
        claims = jwt.decode(
            token,
            signing_key(data_dir),
            algorithms=["HS256"],
            audience=ISSUER,
            issuer=ISSUER,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError as error:
        raise TokenInvalid(str(error)) from error
    groups = claims.get("cognito:groups") or []
    if (
        not isinstance(claims["sub"], str)
        or not isinstance(groups, list)
        or not all(isinstance(group, str) for group in groups)
    ):
        raise TokenInvalid("its sub must be a name and its cognito:groups a list of names")
    return {
        **{k: str(v) for k, v in claims.items() if k != "cognito:groups"},
        "cognito:groups": "[" + " ".join(groups) + "]",
    }
