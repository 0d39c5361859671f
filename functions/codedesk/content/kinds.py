"""Which files of content/ hold which kind of content. One line per kind; a file that matches no
pattern is reported, so a misnamed file cannot be silently ignored."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from codedesk.handbook.models import Glossary, Guide, RoleCatalog


@dataclass(frozen=True)
class ContentKind:
    name: str
    pattern: str  # glob relative to content/
    model: type[BaseModel]


KINDS: list[ContentKind] = [
    ContentKind("roles", "roles.yaml", RoleCatalog),
    ContentKind("glossary", "glossary.yaml", Glossary),
    ContentKind("guides", "guides/*.md", Guide),
]
