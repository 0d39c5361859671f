"""Generated site pages: the explainer, one page per group code and per carded CARC/RARC, links that resolve."""

from __future__ import annotations

import posixpath
import re

from codedesk.catalog import read_content
from codedesk.denials.models import CarcFile, RarcFile
from codedesk.denials.pages import site_pages

BUNDLE = read_content()
PAGES = site_pages(BUNDLE)


def test_one_page_per_group_and_per_carded_code() -> None:
    carcs = [card.code for card in BUNDLE.one(CarcFile).cards]
    rarcs = [card.code for card in BUNDLE.one(RarcFile).cards]
    for group in ("CO", "PR", "OA", "PI", "CR"):
        assert f"denials/groups/{group}.md" in PAGES
    assert all(f"denials/carc/{code}.md" in PAGES for code in carcs)
    assert all(f"denials/rarc/{code}.md" in PAGES for code in rarcs)
    # the explainer and the trends page with their scripts, the groups, the cards
    assert len(PAGES) == 4 + 5 + len(carcs) + len(rarcs)
    assert {"denials/trends.md", "denials/trends.js"} <= set(PAGES)


def test_card_pages_say_what_to_do_and_where_each_fact_comes_from() -> None:
    page = PAGES["denials/carc/29.md"]
    assert page.startswith("# CARC 29 — Timely filing limit expired")
    assert "Write the amount off" in page and "source: 42 CFR 424.44(a)" in page and "reviewed 2026-11-23" in page
    assert "Plain-words explanation written by Codedesk" in page
    assert "[RARC N211](../rarc/N211.md)" in page
    assert "still to be verified" in PAGES["denials/carc/16.md"]  # the §80.3.2 citation waits for a check


def test_the_cr_group_page_warns_it_is_legacy() -> None:
    assert "Legacy code" in PAGES["denials/groups/CR.md"] and "Legacy code" not in PAGES["denials/groups/CO.md"]


def test_the_explainer_page_has_both_forms_and_loads_its_module() -> None:
    index = PAGES["denials/index.md"]
    assert 'id="cd-explain-form"' in index and 'id="cd-era-form"' in index and 'type="file"' in index
    assert '<script type="module" src="explainer.js"></script>' in index
    assert 'from "../js/api.js"' in PAGES["denials/explainer.js"]


def test_every_link_between_denial_pages_resolves() -> None:
    for path, markdown in PAGES.items():
        if not path.endswith(".md"):
            continue
        for target in re.findall(r"\]\(([^)#]+\.md)(?:#[^)]*)?\)", markdown):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if resolved.startswith("denials/"):
                assert resolved in PAGES, f"{path} links to missing {resolved}"
