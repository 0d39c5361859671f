"""The built site as files, every page of it: no broken link or missing asset, headings in order, every
form control labelled. (The browser tests check the same after the pages' scripts ran.)"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from tests.browser.site_html import PageHtml, read_page
from tests.browser_support import built_site
from tests.conftest import CONTENT

ORIGIN = "http://codedesk.test"
NOT_FETCHED = ("mailto:", "tel:", "javascript:", "data:", "webcal:")


@pytest.fixture(scope="module")
def site(portal) -> Path:
    return built_site(portal)


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[str, PageHtml]:
    """Every HTML file of the site by its URL path ("/guides/biller/", "/404.html")."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        url = "/" + relative.removesuffix("index.html")
        found[url] = read_page(path)
    assert "/" in found and "/guides/receptionist/" in found, f"the site at {site} is not the built portal"
    return found


def _file_for(site: Path, url_path: str) -> Path | None:
    """The file the local server (and CloudFront) answers for a path; None when there is none."""
    candidate = site / unquote(url_path).lstrip("/")
    if url_path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def test_every_internal_link_and_asset_resolves(site, pages, portal):
    broken, api_paths = [], set()
    for page_url, page in pages.items():
        for link in page.links:
            if not link or link.lower().startswith(NOT_FETCHED):
                continue
            target = urlsplit(urljoin(ORIGIN + page_url, link))
            if f"{target.scheme}://{target.netloc}" != ORIGIN:
                continue  # another site (sources, payer portals): checked by people, not by CI
            if target.path.startswith("/api/"):
                api_paths.add(target.path)
                continue
            file = _file_for(site, target.path)
            if file is None:
                broken.append(f"{page_url}: {link} (no {target.path})")
            elif target.fragment and file.suffix == ".html":
                anchors = pages[("/" + file.relative_to(site).as_posix()).removesuffix("index.html")].ids
                if unquote(target.fragment) not in anchors:
                    broken.append(f"{page_url}: {link} (no #{target.fragment} on {target.path})")
    for path in sorted(api_paths):  # links into the API (the calendar feed): the server must answer them
        status, _, _ = portal.request("GET", path)
        if status >= 400:
            broken.append(f"a page links to {path}, which answers {status}")
    assert not broken, f"{len(broken)} broken link(s):\n" + "\n".join(sorted(set(broken)))


def test_every_page_has_its_headings_in_order(pages):
    problems = [f"{url}: {problem}" for url, page in pages.items() for problem in page.heading_problems()]
    assert not problems, "\n".join(problems)


def test_every_form_control_has_a_label(pages):
    problems = [f"{url}: {control}" for url, page in pages.items() for control in page.unlabelled_controls()]
    assert not problems, "form controls without a label:\n" + "\n".join(problems)


def test_every_role_on_the_home_page_leads_to_a_guide_listing_its_pages(pages):
    roles = yaml.safe_load((CONTENT / "roles.yaml").read_text())["roles"]
    for role in roles:
        guide = f"/guides/{role['guide']}/"
        assert f"guides/{role['guide']}/" in pages["/"].links, f"the home page has no entry for {role['name']}"
        assert "your-pages" in pages[guide].ids, f"{guide} does not list the pages a {role['name']} needs"
        assert "week-one-checklist" in pages[guide].ids, f"{guide} has no week-one checklist"
