"""The handbook: roles, onboarding guides and the glossary."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from pydantic import Field, HttpUrl, field_validator, model_validator

from codedesk.content.facts import ContentModel
from codedesk.content.problems import ContentProblem
from codedesk.roles import ROLES, Role

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SOURCE_CITATION = re.compile(r"\(source: ([a-z0-9-]+)\)")


class RoleProfile(ContentModel):
    id: Role
    name: str = Field(min_length=2)
    summary: str = Field(min_length=10)
    guide: str = Field(pattern=SLUG, description="slug of the role's onboarding guide in content/guides/")


class RoleCatalog(ContentModel):
    roles: list[RoleProfile]

    @field_validator("roles")
    @classmethod
    def every_role_once(cls, roles: list[RoleProfile]) -> list[RoleProfile]:
        ids = [r.id for r in roles]
        missing = sorted(set(ROLES) - set(ids))
        if missing or len(ids) != len(set(ids)):
            raise ValueError(f"list each role exactly once; missing {missing}" if missing else "a role is listed twice")
        return roles

    @classmethod
    def check_bundle(cls, bundle) -> list[ContentProblem]:
        guides = {path.rsplit("/", 1)[-1].removesuffix(".md") for path, _ in bundle.of(Guide)}
        return [
            ContentProblem(path, 1, f"roles[{n}].guide", f"no guide content/guides/{role.guide}.md")
            for path, catalog in bundle.of(cls)
            for n, role in enumerate(catalog.roles)
            if role.guide not in guides
        ]


class GuideSource(ContentModel):
    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=3)
    url: HttpUrl | None = None
    citation: str | None = None


def checklist_item_id(guide: str, text: str) -> str:
    """A checklist item's id, named by its words, not its place: adding an item keeps everyone's ticks."""
    return f"{guide}-{hashlib.sha256(text.encode()).hexdigest()[:10]}"


class QuizItem(ContentModel):
    """A checklist item that passing quizzes ticks by itself (all of them, once each)."""

    item: str = Field(min_length=3)
    quizzes: list[str] = Field(min_length=1)


class Guide(ContentModel):
    title: str = Field(min_length=3)
    role: Role | None = None
    summary: str = Field(min_length=10)
    reviewed_on: date
    sources: list[GuideSource] = []
    checklist: list[str] = []
    quiz_items: list[QuizItem] = []
    hands_off_to: list[Role] = []
    body: str = Field(min_length=1)

    @model_validator(mode="after")
    def quiz_items_are_on_the_checklist(self) -> Guide:
        for item in self.quiz_items:
            if item.item not in self.checklist:
                raise ValueError(f"quiz_items: {item.item!r} is not an item of the checklist")
        return self

    @field_validator("body")
    @classmethod
    def no_h1_in_body(cls, body: str) -> str:
        if re.search(r"^# ", body, flags=re.MULTILINE):
            raise ValueError("the body starts at H2 (##); the title is the page's H1")
        return body

    @classmethod
    def check_bundle(cls, bundle) -> list[ContentProblem]:
        problems = []
        for path, guide in bundle.of(cls):
            known = {s.id for s in guide.sources}
            # The body is the file's tail: its first line in the file follows from the text before it.
            text = (bundle.root / path).read_text(encoding="utf-8")
            first_line = text[: len(text) - len(guide.body)].count("\n") + 1
            for number, line in enumerate(guide.body.splitlines()):
                for cited in SOURCE_CITATION.findall(line):
                    if cited not in known:
                        problems.append(
                            ContentProblem(
                                path,
                                first_line + number,
                                "body",
                                f"cites source {cited!r}, which the front matter does not list",
                            )
                        )
        return problems


class GlossaryTerm(ContentModel):
    term: str = Field(min_length=2)
    definition: str = Field(min_length=10)
    aliases: list[str] = []
    source: str | None = None
    # A definition that states a regulatory fact names its source and when a person last checked it.
    reviewed_on: date | None = None
    verify: bool = False

    @model_validator(mode="after")
    def _sourced_terms_say_when_checked(self) -> GlossaryTerm:
        if self.source and self.reviewed_on is None:
            raise ValueError(f"{self.term}: a definition with a `source` needs `reviewed_on`")
        return self


class Glossary(ContentModel):
    terms: list[GlossaryTerm]

    @field_validator("terms")
    @classmethod
    def unique_terms(cls, terms: list[GlossaryTerm]) -> list[GlossaryTerm]:
        seen: set[str] = set()
        for term in terms:
            for name in (term.term, *term.aliases):
                if name.lower() in seen:
                    raise ValueError(f"the term {name!r} is defined twice")
                seen.add(name.lower())
        return terms
