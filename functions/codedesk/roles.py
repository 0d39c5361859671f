"""The people Codedesk serves, as Cognito groups. A token's groups outside this list grant nothing."""

from __future__ import annotations

from typing import Literal

Role = Literal["receptionist", "coder", "biller", "supervisor", "compliance", "finance"]
ROLES: tuple[str, ...] = ("receptionist", "coder", "biller", "supervisor", "compliance", "finance")
