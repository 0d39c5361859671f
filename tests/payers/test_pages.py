"""The payers section of the site, as Markdown the site build turns into pages."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from codedesk.payers.models import PayerSheet
from codedesk.payers.pages import site_pages
from codedesk.payers.service import TOPICS
from tests.payers.conftest import MEDICARE, PAYER_IDS, TODAY


def test_one_page_per_payer_plus_an_index_and_the_grid(payer_bundle):
    pages = site_pages(payer_bundle, today=TODAY)
    assert sorted(pages) == sorted(
        ["payers/index.md", "payers/compare.md", *(f"payers/{payer_id}.md" for payer_id in PAYER_IDS)]
    )


def test_each_sheet_shows_last_verified_and_every_source_it_cites(payer_bundle):
    pages = site_pages(payer_bundle, today=TODAY)
    for _, sheet in payer_bundle.of(PayerSheet):
        page = pages[f"payers/{sheet.payer_id}.md"]
        assert page.startswith(f"# {sheet.name}\n")
        assert "<strong>Last verified:</strong> 2026-11-23" in page
        for source in sheet.cited_sources():
            assert f"<li>{escape(source)}</li>" in page
        assert "Stale" not in page


def test_contract_dependent_and_unverified_values_are_flagged_on_the_sheet(payer_bundle):
    page = site_pages(payer_bundle, today=TODAY)["payers/aetna-commercial.md"]
    assert "<strong>Initial claim:</strong> set by your contract." in page
    assert '<span class="flag" title="set by your contract with this payer">contract</span>' in page
    medicare = site_pages(payer_bundle, today=TODAY)[f"payers/{MEDICARE}.md"]
    assert "<strong>Initial claim:</strong> 12 months from the date of service." in medicare


def test_a_stale_sheet_is_marked_on_its_page_the_index_and_the_grid(payer_bundle):
    pages = site_pages(payer_bundle, today=TODAY + timedelta(days=366))
    assert "Stale: last verified 2026-11-23, more than 365 days ago" in pages[f"payers/{MEDICARE}.md"]
    assert pages["payers/index.md"].count("stale, re-verify") == 5
    assert pages["payers/compare.md"].count("<span class=stale>stale</span>") == 5


def test_the_grid_compares_every_payer_on_every_topic(payer_bundle):
    grid = site_pages(payer_bundle, today=TODAY)["payers/compare.md"]
    for label, _ in TOPICS.values():
        assert f'<th scope="row">{escape(label)}</th>' in grid
    assert grid.count('<th scope="col"><a href=') == 5
    assert "12 months from the date of service" in grid and "set by your contract" in grid


def test_no_sheets_no_pages(tmp_path):
    from codedesk.catalog import load_content

    bundle, _ = load_content(tmp_path)
    assert site_pages(bundle, today=TODAY) == {}


def test_common_denials_link_to_their_denial_cards(payer_bundle):
    page = site_pages(payer_bundle, today=TODAY)[f"payers/{MEDICARE}.md"]
    assert '<strong><a href="../../denials/carc/29/">CO-29</a></strong>' in page
