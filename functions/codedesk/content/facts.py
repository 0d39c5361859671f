"""Fields every stated fact carries: where it comes from, when a person last checked it, and, for a
rule that changed on a date, from when (and until when) it applied."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from codedesk.content.bundle import ContentBundle
    from codedesk.content.problems import ContentProblem

# A fact nobody has checked against its source for this long is flagged by `codedesk validate`.
FACT_MAX_AGE_DAYS = 365


class ContentModel(BaseModel):
    """Base of every content model: unknown fields are errors, so a typo cannot pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(ContentModel):
    source: str = Field(min_length=3, description="URL or citation (e.g. 42 CFR 424.44) that backs the fact")
    reviewed_on: date = Field(description="when a person last checked the fact against its source")
    verify: bool = Field(False, description="true while the fact still waits for a check against its source")
    effective_from: date | None = Field(
        None, description="the day the rule took effect, for a rule that changed on a known date"
    )
    effective_to: date | None = Field(
        None, description="the last day the rule applied, once a later rule superseded it"
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> Sourced:
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValueError(f"effective_to {self.effective_to} is before effective_from {self.effective_from}")
        return self

    def in_effect_on(self, day: date) -> bool:
        """The rule applied on `day` (a date of service, or today)."""
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to

    def superseded_on(self, day: date) -> bool:
        return self.effective_to is not None and day > self.effective_to


# ---------------------------------------------------------------------------- freshness


def _dated(model: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every model inside `model` (itself included) that has a `reviewed_on` date, with its location."""
    if isinstance(model, BaseModel):
        if isinstance(getattr(model, "reviewed_on", None), date):
            yield loc, model
        for name in type(model).model_fields:
            yield from _dated(getattr(model, name), (*loc, name))
    elif isinstance(model, list | tuple):
        for index, item in enumerate(model):
            yield from _dated(item, (*loc, index))


def unreviewed_fact_warnings(
    bundle: ContentBundle, today: date, max_age_days: int = FACT_MAX_AGE_DAYS
) -> list[ContentProblem]:
    """A warning (never an error) for every fact whose `reviewed_on` is more than `max_age_days` before
    `today`: the rule may have changed since, so someone must read the source again."""
    from codedesk.content.problems import ContentProblem
    from codedesk.content.yaml_lines import line_in_file  # validation only: not in the Lambda artifact

    problems = []
    for docs in bundle.documents.values():
        for path, document in docs:
            for loc, fact in _dated(document, ()):
                age = (today - fact.reviewed_on).days
                if age > max_age_days:
                    field = "".join(
                        f"[{part}]" if isinstance(part, int) else f".{part}" for part in (*loc, "reviewed_on")
                    ).lstrip(".")
                    line = (
                        line_in_file(bundle.root / path, (*loc, "reviewed_on"))
                        if path.endswith(".yaml")
                        else _front_matter_line(bundle.root / path, "reviewed_on")
                    )
                    problems.append(
                        ContentProblem(
                            path,
                            line,
                            field,
                            f"not reviewed since {fact.reviewed_on.isoformat()} ({age} days, more than "
                            f"{max_age_days}): check it against its source, then update reviewed_on",
                            severity="warning",
                        )
                    )
    return problems


def _front_matter_line(path, name: str) -> int:
    """The line of a top-level field in a Markdown file's front matter."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{name}:"):
            return number
    return 1
