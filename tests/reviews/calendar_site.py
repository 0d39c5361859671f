"""Building the calendar pages into a real MkDocs site, for the page and browser tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from codedesk.template import REPOSITORY


def build_calendar_site(pages: dict[str, str], root: Path) -> Path:
    """MkDocs --strict over the hand-written site/docs plus the calendar pages; returns the site folder."""
    docs = root / "docs"
    shutil.copytree(REPOSITORY / "site" / "docs", docs)
    (docs / "index.md").write_text("# Codedesk\n")
    for relative, text in pages.items():
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (root / "includes").mkdir()
    (root / "includes" / "abbreviations.md").write_text("")
    config = {"INHERIT": str(REPOSITORY / "site" / "mkdocs.yml"), "docs_dir": str(docs), "site_dir": str(root / "site")}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", "mkdocs.yml"],
                            capture_output=True, text=True, cwd=root, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return root / "site"
