"""On AWS, Cognito's pre token generation trigger: each sign-in (and each token refresh) records the
person in the staff directory, so the directory follows Cognito without anyone typing names twice.

The event carries the user's attributes (`sub`, `name`, `email`) and their groups (roles and
`team:<id>` groups); the person is recorded under their first team, with their current name and
roles. The trigger changes nothing in the token. A disabled user gets no token, so they stop being
recorded; `codedesk staff add --inactive` marks someone who has left.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from codedesk.staff.models import MAX_NAME, Person
from codedesk.staff.service import record_sign_in
from codedesk.store.port import StoreError
from codedesk.web import deps
from codedesk.web.auth import parse_groups, parse_teams
from codedesk.web.observability import logger


def person_of_event(event: dict[str, Any]) -> Person:
    attributes = (event.get("request") or {}).get("userAttributes") or {}
    groups = ((event.get("request") or {}).get("groupConfiguration") or {}).get("groupsToOverride") or []
    user_id = attributes["sub"]
    name = (attributes.get("name") or attributes.get("email") or event.get("userName") or user_id)[:MAX_NAME]
    return Person.model_validate(
        {"user_id": user_id, "name": name, "roles": sorted(parse_groups(groups)), "team": parse_teams(groups)[0]}
    )


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry for the user pool's PreTokenGeneration trigger: record, then let the token be.
    Signing in never waits on the directory: a failed write is logged and retried at the next token."""
    try:
        person = record_sign_in(deps.table(), person_of_event(event), datetime.now(UTC))
    except (StoreError, ValidationError, KeyError) as error:
        logger.warning("sign-in not recorded", extra={"error": type(error).__name__})
        return event
    logger.info("sign-in recorded", extra={"user_id": person.user_id, "team": person.team})
    return event
