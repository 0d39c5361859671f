"""Fields every stated fact carries: where it comes from and when a person last checked it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class ContentModel(BaseModel):
    """Base of every content model: unknown fields are errors, so a typo cannot pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(ContentModel):
    source: str = Field(min_length=3, description="URL or citation (e.g. 42 CFR 424.44) that backs the fact")
    reviewed_on: date = Field(description="when a person last checked the fact against its source")
    verify: bool = Field(False, description="true while the fact still waits for a check against its source")
