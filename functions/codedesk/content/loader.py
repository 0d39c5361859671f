"""Reading content/ into validated models, reporting every problem at once as `path:line: field: message`."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from codedesk.content.bundle import ContentBundle
from codedesk.content.facts import unreviewed_fact_warnings
from codedesk.content.kinds import ContentKind
from codedesk.content.problems import ContentInvalid, ContentProblem
from codedesk.content.yaml_lines import Location, YamlError, line_of, load_with_lines
from codedesk.template import REPOSITORY

FRIENDLY_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (check its spelling against the model)",
}


def content_root() -> Path:
    return Path(os.environ.get("CODEDESK_CONTENT", REPOSITORY / "content"))


def _split_front_matter(text: str) -> tuple[str, int, str, int]:
    """(front matter, its first line, body, the body's first line) of a Markdown file."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise YamlError(1, "a content Markdown file starts with a YAML front matter between two '---' lines")
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[1:number]), 2, "".join(lines[number + 1 :]), number + 2
    raise YamlError(1, "the front matter has no closing '---' line")


def _read_document(path: Path) -> tuple[Any, dict[Location, int]]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        front, front_line, body, body_line = _split_front_matter(text)
        data, lines = load_with_lines(front, first_line=front_line)
        if not isinstance(data, dict):
            raise YamlError(front_line, "the front matter must be a mapping of fields")
        lines[("body",)] = body_line
        return {**data, "body": body}, lines
    return load_with_lines(text)


def _field_name(loc: Iterable[Any]) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _validate(kind: ContentKind, path: Path, relative: str) -> tuple[BaseModel | None, list[ContentProblem]]:
    try:
        data, lines = _read_document(path)
    except YamlError as error:
        return None, [ContentProblem(relative, error.line, "", error.message)]
    except UnicodeDecodeError:
        return None, [ContentProblem(relative, 1, "", "not UTF-8 text")]
    try:
        return kind.model.model_validate(data), []
    except ValidationError as error:
        problems = []
        for issue in error.errors():
            loc = tuple(issue["loc"])
            message = FRIENDLY_MESSAGES.get(issue["type"], issue["msg"])
            problems.append(ContentProblem(relative, line_of(lines, loc), _field_name(loc), message))
        return None, problems


def _kind_for(kinds: Sequence[ContentKind], relative: str) -> ContentKind | None:
    for kind in kinds:
        if Path(relative).match(kind.pattern) and relative.count("/") == kind.pattern.count("/"):
            return kind
    return None


def load_content(
    kinds: Sequence[ContentKind], root: Path | None = None, today: date | None = None
) -> tuple[ContentBundle, list[ContentProblem]]:
    """Read every file under `root` as one of `kinds` (codedesk.catalog.KINDS); never raises for bad
    content, returns the problems instead. `today` is the day age warnings are judged on (default:
    the day of the check)."""
    root = root or content_root()
    bundle = ContentBundle(root=root, documents={kind.name: [] for kind in kinds}, today=today)
    problems: list[ContentProblem] = []
    digest = hashlib.sha256()
    if not root.is_dir():
        return bundle, [ContentProblem(str(root), 1, "", "the content folder does not exist")]
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        relative = path.relative_to(root).as_posix()
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
        kind = _kind_for(kinds, relative)
        if kind is None:
            patterns = ", ".join(k.pattern for k in kinds)
            problems.append(ContentProblem(relative, 1, "", f"no content kind reads this file (known: {patterns})"))
            continue
        model, found = _validate(kind, path, relative)
        problems.extend(found)
        if model is not None:
            bundle.documents[kind.name].append((relative, model))
    bundle.fingerprint = digest.hexdigest()[:20]
    if not any(p.severity == "error" for p in problems):
        problems.extend(_cross_checks(kinds, bundle))
    return bundle, sorted(problems)


def _cross_checks(kinds: Sequence[ContentKind], bundle: ContentBundle) -> list[ContentProblem]:
    problems: list[ContentProblem] = []
    for check in dict.fromkeys(check for kind in kinds for check in kind.checks):
        problems.extend(check(bundle))
    return problems + unreviewed_fact_warnings(bundle, bundle.checked_on())


def read_content(kinds: Sequence[ContentKind], root: Path | None = None) -> ContentBundle:
    """The validated bundle, or ContentInvalid listing every error (warnings do not stop it)."""
    bundle, problems = load_content(kinds, root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentInvalid(errors)
    return bundle
