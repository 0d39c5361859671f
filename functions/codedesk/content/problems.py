"""Problems found in content/, reported as `path:line: field: message`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ContentProblem:
    path: str
    line: int
    field: str
    message: str
    severity: str = "error"  # or "warning": reported, but does not stop a publish

    def __str__(self) -> str:
        label = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}: {self.field or '(file)'}: {label}{self.message}"


class ContentInvalid(Exception):
    def __init__(self, problems: list[ContentProblem]):
        super().__init__(f"{len(problems)} problem(s) in content/")
        self.problems = problems
