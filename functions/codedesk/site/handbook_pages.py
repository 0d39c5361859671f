"""Markdown pages for the handbook: home, role guides, glossary and its site-wide hover definitions."""

from __future__ import annotations

import html
import re

from codedesk.content.loader import ContentBundle
from codedesk.handbook.models import SOURCE_CITATION, Glossary, Guide, RoleCatalog


def _slug(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")


def _guide_page(slug: str, guide: Guide) -> str:
    lines = [f"# {guide.title}", "", f"*{guide.summary}*", ""]
    if guide.checklist:
        lines += ["## Week-one checklist", "",
                  '<div class="cd-checklist" data-checklist="' + slug + '">']
        for number, item in enumerate(guide.checklist):
            box = f"{slug}-{number}"
            lines.append(f'<label><input type="checkbox" data-item="{box}"> {html.escape(item)}</label>')
        lines += ["</div>", ""]
    numbers = {source.id: n + 1 for n, source in enumerate(guide.sources)}
    body = SOURCE_CITATION.sub(lambda m: f"[[{numbers[m.group(1)]}]](#source-{m.group(1)})", guide.body)
    lines += [body.strip(), ""]
    if guide.hands_off_to:
        lines += ["## Who you hand work to", "",
                  ", ".join(f"[{role}]({role}.md)" for role in guide.hands_off_to), ""]
    if guide.sources:
        lines += ["## Sources", ""]
        for source in guide.sources:
            target = f"[{source.title}]({source.url})" if source.url else source.title
            citation = f" — {source.citation}" if source.citation else ""
            lines.append(f'{numbers[source.id]}. <span id="source-{source.id}"></span>{target}{citation}')
        lines.append("")
    lines.append(f"*Last reviewed {guide.reviewed_on.isoformat()}.*")
    return "\n".join(lines) + "\n"


def _home(bundle: ContentBundle) -> str:
    lines = ["# Codedesk", "",
             "The reference and training portal for the people who turn a clinic visit into a payment.", "",
             "## Start with your role", ""]
    for _, catalog in bundle.of(RoleCatalog):
        for role in catalog.roles:
            lines.append(f"- **[I am a {role.name.lower()}](guides/{role.guide}.md)** — {role.summary}")
    lines += ["", "## Tools", "", "- [Who am I? (sign in)](tools/account.md)", ""]
    return "\n".join(lines) + "\n"


def _glossary(glossary: Glossary) -> str:
    lines = ["# Glossary", ""]
    for term in sorted(glossary.terms, key=lambda t: t.term.lower()):
        lines += [f"**{term.term}**", f":   {term.definition}"]
        if term.aliases:
            lines.append(f"    *Also: {', '.join(term.aliases)}.*")
        if term.source:
            lines.append(f"    *Source: {term.source}.*")
        lines.append("")
    return "\n".join(lines)


def abbreviations(bundle: ContentBundle) -> str:
    """Definitions Material shows on hover wherever a term appears (abbr + snippets auto-append)."""
    lines = []
    for _, glossary in bundle.of(Glossary):
        for term in glossary.terms:
            definition = re.sub(r"\s+", " ", term.definition).replace("]", ")")
            # abbr matches case-sensitively: also define the lower-case start ("Clean claim" → "clean claim").
            names = (term.term, *term.aliases)
            for name in dict.fromkeys((*names, *(n[0].lower() + n[1:] for n in names))):
                lines.append(f"*[{name}]: {definition}")
    return "\n".join(lines) + "\n"


def site_pages(bundle: ContentBundle) -> dict[str, str]:
    pages = {"index.md": _home(bundle)}
    for path, guide in bundle.of(Guide):
        pages[f"guides/{_slug(path)}.md"] = _guide_page(_slug(path), guide)
    for _, glossary in bundle.of(Glossary):
        pages["glossary.md"] = _glossary(glossary)
    return pages
