"""On AWS, a daily job that keeps the staff directory's `active` flag in step with Cognito: a user
disabled in the user pool turns inactive (no longer offered in the people picker, refused as an
assignee), and one enabled again turns active.

Names, roles and teams are kept current by the sign-in trigger (sign_in.py); this job only needs
what no sign-in can tell: that someone has stopped signing in because their account was disabled.
Cognito calls: one ListUsers per 60 users, and one AdminListGroupsForUser per user whose flag
changes (to find their team). Store calls: one conditional update per changed person.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from codedesk.staff import service
from codedesk.store.port import Table
from codedesk.web import deps
from codedesk.web.auth import parse_teams
from codedesk.web.observability import logger


@dataclass
class SyncRun:
    turned_inactive: list[str] = field(default_factory=list)
    turned_active: list[str] = field(default_factory=list)


def sync_active(table: Table, cognito: Any, user_pool_id: str, now: datetime) -> SyncRun:
    run = SyncRun()
    for page in cognito.get_paginator("list_users").paginate(UserPoolId=user_pool_id):
        for user in page["Users"]:
            attributes = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
            if "sub" not in attributes:
                continue
            groups = cognito.admin_list_groups_for_user(UserPoolId=user_pool_id, Username=user["Username"])["Groups"]
            team = parse_teams([group["GroupName"] for group in groups])[0]
            changed = service.set_active(table, team, attributes["sub"], bool(user["Enabled"]), now)
            if changed:
                (run.turned_active if user["Enabled"] else run.turned_inactive).append(attributes["sub"])
    return run


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry for the daily schedule; needs USER_POOL_ID."""
    import boto3  # on each run, not at import: the function runs once a day

    run = sync_active(deps.table(), boto3.client("cognito-idp"), os.environ["USER_POOL_ID"], datetime.now(UTC))
    summary = {name: len(users) for name, users in vars(run).items()}
    logger.info("staff directory synced with Cognito", extra=summary)
    return summary
