"""YAML read with the line of every key and list item, so problems can name `path:line`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

Location = tuple[str | int, ...]


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _build(node: yaml.Node, path: Location, lines: dict[Location, int], loader: yaml.SafeLoader) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            name = loader.construct_object(key_node, deep=True)
            if name in result:
                raise YamlError(key_node.start_mark.line + 1, f"key {name!r} appears twice")
            lines[(*path, name)] = key_node.start_mark.line + 1
            result[name] = _build(value_node, (*path, name), lines, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, (*path, n), lines, loader) for n, child in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_with_lines(text: str, first_line: int = 1) -> tuple[Any, dict[Location, int]]:
    """Parse one YAML document; `first_line` shifts line numbers (front matter starts below `---`)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Location, int] = {}
        data = _build(node, (), lines, loader) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlError(
            (mark.line + first_line) if mark else first_line, f"not valid YAML: {error.problem or error.context}"
        ) from error
    except YamlError as error:
        raise YamlError(error.line + first_line - 1, error.message) from error
    finally:
        loader.dispose()
    return data, {loc: line + first_line - 1 for loc, line in lines.items()}


def line_of(lines: dict[Location, int], loc: Location) -> int:
    """The line of the deepest part of `loc` that the file has (a missing field → its parent)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def line_in_file(path: Path, loc: Location) -> int:
    """The line of a field in a content file, for problems found after validation (cross-file checks)."""
    try:
        _, lines = load_with_lines(path.read_text(encoding="utf-8"))
    except (OSError, YamlError):
        return 1
    return line_of(lines, loc)
