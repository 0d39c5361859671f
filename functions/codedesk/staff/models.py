"""A person of the staff directory, and the rules a person's fields keep.

People are known by `user_id` (the token's `sub`: the Cognito `sub` on AWS, the local user name
locally); the name is for showing and finding them, never a key. A name may hold spaces, accents and
apostrophes ("María O'Neil"); `folded` is the form searches compare (no accents, no case).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from codedesk.roles import ROLES, Role
from codedesk.web.auth import DEFAULT_TEAM, TEAM_ID_PATTERN

MAX_NAME = 100
UserId = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^\s#]+$")]


def folded(text: str) -> str:
    """`"María  O’Neil"` → `"maria o'neil"`: what type-ahead and close matches compare."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


class Person(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: UserId = Field(description="the token's sub: Cognito's on AWS, the local user locally")
    name: str = Field(min_length=1, max_length=MAX_NAME, examples=["María López"])
    roles: list[Role] = Field(default_factory=list, description="the person's Codedesk roles (Cognito groups)")
    team: str = Field(DEFAULT_TEAM, pattern=f"^{TEAM_ID_PATTERN}$", description="the clinic the person works for")
    active: bool = Field(True, description="false once the person has left or their account is disabled")

    @field_validator("name")
    @classmethod
    def _printable_name(cls, value: str) -> str:
        cleaned = " ".join(value.split())
        if not cleaned or not cleaned.isprintable():
            raise ValueError("a name is printable characters, not only spaces")
        return cleaned

    @field_validator("roles")
    @classmethod
    def _roles_once_in_order(cls, value: list[str]) -> list[str]:
        return sorted(set(value), key=ROLES.index)


def is_team_id(value: str) -> bool:
    return re.fullmatch(TEAM_ID_PATTERN, value) is not None


DEFAULT_TIME_ZONE = "UTC"  # until the team's own is set (`codedesk staff team TEAM --time-zone Area/City`)


def known_time_zone(name: str) -> str:
    """An IANA time zone name (`America/Chicago`); ValueError otherwise."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"{name!r} is not a time zone name such as America/Chicago") from error
    return name


class Team(BaseModel):
    """A team (clinic) and its settings."""

    team: str = Field(pattern=f"^{TEAM_ID_PATTERN}$")
    time_zone: str = Field(DEFAULT_TIME_ZONE, description="the clinic's IANA time zone: times are shown in it")

    @field_validator("time_zone")
    @classmethod
    def _known(cls, value: str) -> str:
        return known_time_zone(value)
