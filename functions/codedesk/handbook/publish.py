"""The handbook's items in the table: roles, glossary terms and guide summaries."""

from __future__ import annotations

from collections.abc import Iterator

from codedesk.content.bundle import ContentBundle
from codedesk.handbook.models import Glossary, Guide, RoleCatalog
from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item

PREFIXES = (f"{Prefix.ROLE}#", f"{Prefix.GLOSSARY}#", f"{Prefix.GUIDE}#")


def role_key(role: str) -> tuple[str, str]:
    return key(Prefix.ROLE, role), "PROFILE"


def guide_key(slug: str) -> tuple[str, str]:
    return key(Prefix.GUIDE, slug), "GUIDE"


def publish_items(bundle: ContentBundle) -> Iterator[Item]:
    for _, catalog in bundle.of(RoleCatalog):
        for role in catalog.roles:
            pk, sk = role_key(role.id)
            yield {"PK": pk, "SK": sk, **role.model_dump(mode="json")}
    for _, glossary in bundle.of(Glossary):
        for term in glossary.terms:
            yield {"PK": key(Prefix.GLOSSARY, term.term.lower()), "SK": "TERM", **term.model_dump(mode="json")}
    for path, guide in bundle.of(Guide):
        slug = path.rsplit("/", 1)[-1].removesuffix(".md")
        pk, sk = guide_key(slug)
        yield {
            "PK": pk,
            "SK": sk,
            **guide.model_dump(
                mode="json", include={"title", "role", "summary", "reviewed_on", "checklist", "quiz_items"}
            ),
        }
