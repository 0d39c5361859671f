"""Reading the built site's HTML (stdlib parser): links, element ids, headings and form controls."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "area": "href",
    "script": "src",
    "img": "src",
    "source": "src",
    "iframe": "src",
    "audio": "src",
    "video": "src",
    "form": "action",
}
CONTROLS = {"input", "select", "textarea"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}
# Material's drawer/search/toc toggles are `display: none` checkboxes driven by their labels' clicks:
# no one (and no screen reader) ever reaches them.
NOT_RENDERED_CLASS = "md-toggle"


@dataclass
class Control:
    tag: str
    id: str | None
    name: str | None
    inside_label: bool
    has_own_label: bool  # aria-label, aria-labelledby or title

    def describe(self) -> str:
        return f"<{self.tag} id={self.id!r} name={self.name!r}>"


@dataclass
class PageHtml:
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    headings: list[tuple[int, str]] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    label_targets: set[str] = field(default_factory=set)

    def unlabelled_controls(self) -> list[str]:
        return [
            control.describe()
            for control in self.controls
            if not (control.inside_label or control.has_own_label or control.id in self.label_targets)
        ]

    def heading_problems(self) -> list[str]:
        return heading_problems(self.headings)


def heading_problems(headings: list[tuple[int, str]]) -> list[str]:
    """Headings a screen-reader user can navigate by: one h1 first, then no level skipped going down."""
    problems = []
    levels = [level for level, _ in headings]
    if levels.count(1) != 1 or levels[0] != 1:
        problems.append(f"needs exactly one h1, first; has {[f'h{level} {text}' for level, text in headings[:3]]}")
    for (before, _), (level, text) in pairwise(headings):
        if level > before + 1:
            problems.append(f"h{before} is followed by h{level} ({text!r})")
    return problems


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageHtml()
        self.labels_open = 0
        self.heading: tuple[int, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.page.ids.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.page.ids.add(attributes["name"])
        target = attributes.get(LINK_ATTRIBUTES.get(tag, ""))
        if target is not None:
            self.page.links.append(target)
        if tag == "label":
            self.labels_open += 1
            if attributes.get("for"):
                self.page.label_targets.add(attributes["for"])
        elif (
            tag in CONTROLS
            and NOT_RENDERED_CLASS not in (attributes.get("class") or "").split()
            and (tag != "input" or attributes.get("type", "text") not in UNLABELLED_INPUT_TYPES)
        ):
            own = any(attributes.get(name) for name in ("aria-label", "aria-labelledby", "title"))
            self.page.controls.append(
                Control(tag, attributes.get("id"), attributes.get("name"), self.labels_open > 0, own)
            )
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.heading = (int(tag[1]), [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.labels_open:
            self.labels_open -= 1
        elif self.heading and tag == f"h{self.heading[0]}":
            level, text = self.heading
            self.page.headings.append((level, " ".join("".join(text).split()).removesuffix("¶").strip()))
            self.heading = None

    def handle_data(self, data: str) -> None:
        if self.heading:
            self.heading[1].append(data)


def read_page(path: Path) -> PageHtml:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.page
