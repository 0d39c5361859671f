"""The site's JavaScript is one module set: the helpers of site/docs/js (element(), table(),
folded(), api() …) are written once and imported by every page script, never copied into one."""

from __future__ import annotations

import re
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
SHARED = REPOSITORY / "site" / "docs" / "js"
DEFINITION = re.compile(r"^(?:export\s+)?(?:async\s+)?function\s+(\w+)\s*\(", re.MULTILINE)
EXPORT = re.compile(r"^export\s+(?:async\s+)?function\s+(\w+)\s*\(", re.MULTILINE)


def scripts() -> list[Path]:
    return sorted(SHARED.glob("*.js")) + sorted((REPOSITORY / "functions" / "codedesk").rglob("*.js"))


def copies_of_shared_helpers(texts: dict[str, str]) -> dict[str, list[str]]:
    """Each exported helper defined in more than one script → the scripts that define it."""
    shared = {name for text in texts.values() for name in EXPORT.findall(text)}
    found: dict[str, list[str]] = {}
    for script, text in texts.items():
        for name in DEFINITION.findall(text):
            if name in shared:
                found.setdefault(name, []).append(script)
    return {name: where for name, where in found.items() if len(where) > 1}


def test_every_shared_helper_is_defined_once():
    texts = {str(path.relative_to(REPOSITORY)): path.read_text() for path in scripts()}
    assert len(texts) >= 15
    assert "element" in EXPORT.findall(texts["site/docs/js/dom.js"])
    assert copies_of_shared_helpers(texts) == {}


def test_a_page_script_with_its_own_copy_of_a_helper_is_caught():
    texts = {
        "site/docs/js/dom.js": "export function element(tag, text) {\n}\n",
        "site/docs/js/page.js": 'import { api } from "./api.js";\nfunction element(tag) {\n}\n',
    }
    assert copies_of_shared_helpers(texts) == {"element": ["site/docs/js/dom.js", "site/docs/js/page.js"]}
