"""The curated HCPCS list as a coder reads it through the lookup API when no HCPCS file is imported:
each code with its dates, a deleted code answered as deleted, a retitled code with its new title."""

from __future__ import annotations

import pytest

from codedesk.catalog import read_content
from codedesk.codes.pages import site_pages

from ..conftest import CONTENT
from ..events import call


@pytest.fixture
def codes_api(api_store):
    from codedesk.codes.api import handler

    return handler


def get(handler, path, query=None):
    reply = call(handler, "GET", path, user="coder-1", groups=("coder",), query=query)
    assert reply.status == 200, reply.body
    return reply.body


def test_g2211_is_served_from_the_curated_list_with_its_dates(codes_api):
    body = get(codes_api, "/api/codes/HCPCS/g2211", {"as_of": "2026-03-02"})
    assert (body["code"], body["status"], body["billable"]) == ("G2211", "active", True)
    assert body["effective_from"] == "2021-01-01" and body["effective_to"] is None
    assert "99341-99350" in body["explanation"] and "99202-99215" in body["explanation"]
    assert "January 1, 2026" in body["explanation"]


def test_a_deleted_curated_code_answers_deleted_and_not_billable(codes_api):
    body = get(codes_api, "/api/codes/HCPCS/G2012", {"as_of": "2026-12-06"})
    assert (body["status"], body["billable"], body["effective_to"]) == ("deleted", False, "2024-12-31")
    assert "98016" in body["explanation"] and body["action"] == "D"
    # For a date of service while it was valid, it still answers active.
    before = get(codes_api, "/api/codes/HCPCS/G2012", {"as_of": "2024-06-03"})
    assert (before["status"], before["billable"]) == ("active", True)


def test_a_deleted_curated_code_is_not_offered_by_search(codes_api):
    found = get(codes_api, "/api/codes/search", {"q": "virtual check-in", "system": "HCPCS"})
    assert "G2012" not in [item["code"] for item in found["items"]]


def test_g0444_shows_its_2025_descriptor_and_the_one_before(codes_api):
    body = get(codes_api, "/api/codes/HCPCS/G0444")
    assert body["title"] == "Annual depression screening, 5 to 15 minutes"
    assert body["action"] == "C" and "Annual depression screening, 15 minutes" in body["explanation"]


@pytest.mark.parametrize("code", ["Q2034", "Q2035", "Q2036", "Q2037", "Q2038"])
def test_a_brand_flu_q_code_sends_the_coder_to_the_cpt_code_of_the_current_season(codes_api, code):
    body = get(codes_api, f"/api/codes/HCPCS/{code}")
    assert "Not on Medicare's payment list for the 2025-2026 flu season" in body["explanation"]
    assert "bill the CPT code for the product" in body["explanation"] and "G0008" in body["explanation"]
    # What the season's list cannot tell (is the code still in the HCPCS file?) stays marked for checking.
    assert body["verify"] is True and "not confirmed" in body["explanation"]


def test_the_unlisted_flu_vaccine_code_is_for_a_vaccine_without_a_cpt_code(codes_api):
    body = get(codes_api, "/api/codes/HCPCS/Q2039")
    assert body["explanation"].startswith("For a flu vaccine no CPT code describes")
    assert "2025-2026 flu season" in body["explanation"]


def test_the_curated_list_is_labelled_with_the_year_it_was_checked(codes_api):
    sets = {item["system"]: item for item in get(codes_api, "/api/code-sets")["items"]}
    assert sets["HCPCS"]["release"] == "2026" and sets["HCPCS"]["source"] == "curated list"
    assert sets["MODIFIER"]["release"] == "2026"


def test_drug_waste_modifiers_jw_and_jz(codes_api):
    jz = get(codes_api, "/api/codes/MODIFIER/JZ", {"as_of": "2026-03-02"})
    assert (jz["status"], jz["effective_from"]) == ("active", "2023-01-01")
    assert "none of it was thrown away" in jz["explanation"] and "July 1, 2023" in jz["explanation"]
    jw = get(codes_api, "/api/codes/MODIFIER/JW")
    assert "takes JZ instead" in jw["explanation"]


def test_the_list_page_shows_each_codes_dates():
    page = site_pages(read_content(CONTENT))["codes/hcpcs.md"]
    g2012 = next(line for line in page.splitlines() if line.startswith("| G2012 |"))
    assert "**deleted**: 2019-01-01 to 2024-12-31" in g2012 and "98016" in g2012
    g2211 = next(line for line in page.splitlines() if line.startswith("| G2211 |"))
    assert "from 2021-01-01" in g2211 and "99341-99350" in g2211
