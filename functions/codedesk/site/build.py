"""`codedesk build-site`: Markdown generated from content/ plus the hand-written site/docs, built by
MkDocs Material (`mkdocs build --strict`) into build/site. Engine-neutral: the generation is plain
Python writing Markdown files; the only MkDocs-specific part is the generated config's nav."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from codedesk.audits import pages as audits_pages
from codedesk.claims import pages as claims_pages
from codedesk.codes import pages as codes_pages
from codedesk.content.bundle import ContentBundle
from codedesk.denials import pages as denials_pages
from codedesk.payers import pages as payers_pages
from codedesk.quizzes import pages as quizzes_pages
from codedesk.reviews import pages as reviews_pages
from codedesk.site import handbook_pages
from codedesk.template import REPOSITORY

SITE_SOURCE = REPOSITORY / "site"
PACKAGE = REPOSITORY / "functions" / "codedesk"

# Each entry makes Markdown pages from the content bundle: {relative path: markdown}.
PAGE_MAKERS: list[Callable[[ContentBundle], dict[str, str]]] = [
    handbook_pages.site_pages,
    codes_pages.site_pages,
    claims_pages.site_pages,
    audits_pages.site_pages,
    denials_pages.site_pages,
    payers_pages.site_pages,
    quizzes_pages.site_pages,
    reviews_pages.site_pages,
]

NAV_SECTIONS = [
    ("Start here", "guides/"),
    ("Codes", "codes/"),
    ("Claims", "claims/"),
    ("Audits", "audits/"),
    ("Denials", "denials/"),
    ("Payers", "payers/"),
    ("Quizzes", "quizzes/"),
    ("Calendar", "calendar/"),
    ("Tools", "tools/"),
]


# What the Content-Security-Policy (codedesk/web/security.py: script-src 'self', style-src 'self') would
# block: a script element with code in it (a JSON data block is not run), an on*= handler attribute, a
# javascript: URL; a style element, a style= attribute (a Markdown table's aligned column makes one).
BLOCKED_INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>(?!\s*</script)"
    r"|<[a-z][^>]*\son[a-z]+\s*=|(?:href|src|action)\s*=\s*[\"']?\s*javascript:"
    r"|<style\b|<[a-z][^>]*\sstyle\s*=",
    re.IGNORECASE,
)


class SiteBuildError(Exception):
    pass


def blocked_inline(site_dir: Path) -> list[str]:
    """Every built page that holds script or style the site's CSP would block, with what was found."""
    found = []
    for page in sorted(site_dir.rglob("*.html")):
        match = BLOCKED_INLINE.search(page.read_text(encoding="utf-8"))
        if match:
            found.append(f"{page.relative_to(site_dir).as_posix()}: {match.group(0)[:80]!r}")
    return found


def _title(markdown: str, fallback: str) -> str:
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback


def _nav(pages: dict[str, str]) -> list:
    nav: list = [{"Home": "index.md"}]
    placed = {"index.md"}
    for section, folder in NAV_SECTIONS:
        members = sorted(
            (p for p in pages if p.startswith(folder)),
            key=lambda p: (not p.endswith("index.md"), _title(pages[p], p).lower()),
        )
        if members:
            nav.append({section: [{_title(pages[p], p): p} for p in members]})
            placed.update(members)
    rest = sorted(p for p in pages if p not in placed and p.endswith(".md") and not p.startswith("includes/"))
    if rest:
        nav.append({"More": [{_title(pages[p], p): p} for p in rest]})
    return nav


def _source_fingerprint(bundle: ContentBundle, extra_pages: dict[str, str]) -> str:
    digest = hashlib.sha256(bundle.fingerprint.encode())
    for relative in sorted(extra_pages):
        digest.update(relative.encode() + extra_pages[relative].encode())
    for root in (SITE_SOURCE, PACKAGE):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:20]


def build_site(
    bundle: ContentBundle, build_root: Path, *, extra_pages: dict[str, str] | None = None, force: bool = False
) -> tuple[Path, bool]:
    """Build the site into build_root/site; returns (site dir, whether anything was rebuilt).

    `extra_pages` are pages made from the store rather than content/ (a code-set release's changes)."""
    site_dir = build_root / "site"
    stamp = site_dir / ".codedesk-fingerprint"
    extra_pages = extra_pages or {}
    fingerprint = _source_fingerprint(bundle, extra_pages)
    if not force and stamp.is_file() and stamp.read_text() == fingerprint:
        return site_dir, False

    docs = build_root / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(SITE_SOURCE / "docs", docs)
    pages: dict[str, str] = {}
    for made in [*(make_pages(bundle) for make_pages in PAGE_MAKERS), extra_pages]:
        for relative, markdown in made.items():
            if relative in pages:
                raise SiteBuildError(f"two page makers write {relative}")
            pages[relative] = markdown
    for relative, markdown in pages.items():
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    includes = build_root / "includes"
    includes.mkdir(parents=True, exist_ok=True)
    (includes / "abbreviations.md").write_text(handbook_pages.abbreviations(bundle), encoding="utf-8")

    hand_written = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in docs.rglob("*.md")}
    config = {
        "INHERIT": str(SITE_SOURCE / "mkdocs.yml"),
        # Material's partials that would write inline scripts, replaced by ones loading files (CSP).
        "theme": {"name": "material", "custom_dir": str(SITE_SOURCE / "overrides")},
        "docs_dir": str(docs),
        "site_dir": str(site_dir),
        "nav": _nav(hand_written),
    }
    config_path = build_root / "mkdocs.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-q", "-f", str(config_path)],
        capture_output=True,
        text=True,
        cwd=build_root,
    )
    if result.returncode != 0:
        raise SiteBuildError("mkdocs build --strict failed:\n" + (result.stderr or result.stdout).strip())
    blocked = blocked_inline(site_dir)
    if blocked:
        raise SiteBuildError(
            "pages hold inline script or style, which the Content-Security-Policy blocks (move it into a "
            "file under site/docs/js/ or site/docs/css/, or override the theme's partial in site/overrides/):\n"
            + "\n".join(blocked[:20])
        )
    stamp.write_text(fingerprint)
    return site_dir, True
