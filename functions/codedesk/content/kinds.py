"""What a kind of content/ file is: where it lives, the model that reads it, the checks across files.

Which kinds there are is not said here: the core knows no domain. codedesk/catalog.py, the
composition root, names every kind and the domain that owns it, and hands them to the loader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from codedesk.content.bundle import ContentBundle
from codedesk.content.problems import ContentProblem

Check = Callable[[ContentBundle], list[ContentProblem]]
"""A check across files, run once every file is valid on its own (e.g. that a link has a target)."""


@dataclass(frozen=True)
class ContentKind:
    name: str
    domain: str  # the package under codedesk/ that owns the kind's model and publishes it
    pattern: str  # glob relative to content/
    model: type[BaseModel]
    checks: tuple[Check, ...] = ()
