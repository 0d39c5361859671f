"""Each payer sheet prints on exactly one US-letter page: the real site build, printed to PDF by
Debian's chromium through Playwright, pages counted."""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from codedesk.payers.models import PayerSheet
from tests.payers.conftest import PAYER_IDS

pytestmark = pytest.mark.browser  # the shared `chromium` fixture skips, saying why, where chromium is absent


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # the test output is not an access log
        pass


def pdf_page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.fixture(scope="module")
def site_url(payer_bundle, tmp_path_factory):
    from codedesk.site.build import build_site

    site_dir, _ = build_site(payer_bundle, tmp_path_factory.mktemp("site"), force=True)
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.parametrize("payer_id", PAYER_IDS)
def test_the_sheet_prints_on_exactly_one_letter_page(site_url, chromium, payer_bundle, payer_id):
    sheet = next(s for _, s in payer_bundle.of(PayerSheet) if s.payer_id == payer_id)
    page = chromium.new_page()
    try:
        page.goto(f"{site_url}/payers/{payer_id}/", wait_until="load")
        assert page.locator(".payer-sheet").count() == 1
        assert "Last verified:" in page.locator(".sheet-meta").inner_text()
        assert page.locator(".sheet-sources li").count() == len(sheet.cited_sources())
        pdf = page.pdf(format="Letter")
    finally:
        page.close()
    assert pdf_page_count(pdf) == 1, f"{payer_id} prints on {pdf_page_count(pdf)} pages"


def test_the_page_counter_counts_pages(chromium):
    page = chromium.new_page()
    try:
        page.set_content("<p>one</p><p style='break-before: page'>two</p>")
        assert pdf_page_count(page.pdf(format="Letter")) == 2
    finally:
        page.close()


def test_a_common_denial_opens_its_denial_card(site_url, chromium):
    page = chromium.new_page()
    try:
        page.goto(f"{site_url}/payers/medicare-part-b-novitas/", wait_until="load")
        page.get_by_role("link", name="CO-29", exact=True).click()
        page.wait_for_load_state("load")
        assert page.url.endswith("/denials/carc/29/")
        assert page.locator("h1").count() == 1
    finally:
        page.close()
