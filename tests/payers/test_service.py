"""The payer service over published content: what a biller gets back, and the clear refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from codedesk.errors import Invalid, NotFound
from codedesk.payers import service
from tests.payers.conftest import MEDICARE, PAYER_IDS, TODAY


def test_the_list_shows_every_payer_with_type_and_verified_date(view):
    payers = service.list_payers(view, TODAY)
    assert [p.payer_id for p in payers] == PAYER_IDS
    medicare = next(p for p in payers if p.payer_id == MEDICARE)
    assert medicare.type_label == "Medicare" and medicare.verified_on.isoformat() == "2026-11-23"
    assert not any(p.stale for p in payers)


def test_one_sheet_carries_its_sources_and_freshness(view):
    sheet = service.get_payer(view, MEDICARE, TODAY)
    assert "42 CFR 424.44(a)(1)" in sheet.timely_filing.initial_claim.source
    assert any("42 CFR 405.942" in source for source in sheet.sources)
    assert sheet.freshness.age_days == 0 and not sheet.freshness.stale


def test_payer_ids_are_matched_whatever_their_case(view):
    assert service.get_payer(view, MEDICARE.upper(), TODAY).payer_id == MEDICARE


def test_an_unknown_payer_is_not_found_and_lists_the_payer_ids(view):
    with pytest.raises(NotFound) as caught:
        service.get_payer(view, "acme-health", TODAY)
    assert "acme-health" in caught.value.message
    assert caught.value.details == [{"payer_ids": PAYER_IDS}]


def test_a_sheet_older_than_the_allowed_age_is_flagged_stale(view):
    a_year_and_a_day_later = TODAY + timedelta(days=366)
    assert all(p.stale for p in service.list_payers(view, a_year_and_a_day_later))
    assert not any(p.stale for p in service.list_payers(view, a_year_and_a_day_later, max_age=400))
    sheet = service.get_payer(view, MEDICARE, a_year_and_a_day_later)
    assert sheet.freshness.stale and sheet.freshness.age_days == 366


def test_rules_for_99213_at_medicare_name_modifier_25_and_the_g2211_rule(view):
    answer = service.payer_rules(view, MEDICARE, "99213", TODAY)
    assert answer.code == "99213"
    assert [rule.title for rule in answer.code_rules] == ["G2211 complexity add-on"]
    topics = [rule.topic for rule in answer.general_rules]
    assert "modifier_25" in topics and "ncci_59_x" in topics and "telehealth" in topics
    assert answer.timely_filing.initial_claim.summary() == "12 months from the date of service"


def test_a_code_without_specific_rules_still_gets_the_general_rules(view):
    answer = service.payer_rules(view, MEDICARE, "20610", TODAY)
    assert answer.code_rules == []
    assert "no rule naming 20610" in answer.message
    topics = {rule.topic for rule in answer.general_rules}
    # modifier 25 is about E/M visits and telehealth about visit codes: neither matters for 20610
    assert topics == {"ncci_59_x", "abn_ga_gz"}
    assert answer.prior_auth.how_to_check


def test_a_code_range_rule_applies_inside_the_range_only(view):
    inside = service.payer_rules(view, MEDICARE, "99244", TODAY)
    assert [r.title for r in inside.code_rules] == ["Consultation codes are not paid"]
    assert service.payer_rules(view, MEDICARE, "99246", TODAY).code_rules == []


def test_codes_are_accepted_in_any_case(view):
    assert service.payer_rules(view, MEDICARE, " g0439 ", TODAY).code == "G0439"


@pytest.mark.parametrize("code", ["", "  ", "E11.9", "992", "hello"])
def test_a_code_that_is_not_cpt_or_hcpcs_is_refused_with_the_field_named(view, code):
    with pytest.raises(Invalid) as caught:
        service.payer_rules(view, MEDICARE, code, TODAY)
    assert caught.value.details == [{"field": "code"}]


def test_comparison_of_all_payers_on_timely_filing_and_prior_auth(view):
    grid = service.compare_payers(view, None, "timely_filing,prior_auth", TODAY)
    assert [p.payer_id for p in grid.payers] == PAYER_IDS
    assert [row.topic for row in grid.rows] == ["timely_filing", "prior_auth"]
    filing = {cell.payer_id: cell.entries for cell in grid.rows[0].cells}
    assert filing[MEDICARE][0].text == "12 months from the date of service"
    assert filing["aetna-commercial"][0].text == "set by your contract"
    assert filing["aetna-commercial"][0].contract_dependent
    assert all(cell.entries for row in grid.rows for cell in row.cells)


def test_comparison_keeps_the_order_asked_for(view):
    grid = service.compare_payers(view, "new-york-medicaid, medicare-part-b-novitas", "abn_ga_gz", TODAY)
    assert [p.payer_id for p in grid.payers] == ["new-york-medicaid", MEDICARE]
    assert [c.payer_id for c in grid.rows[0].cells] == ["new-york-medicaid", MEDICARE]


def test_comparison_with_an_unknown_payer_or_topic_says_which(view):
    with pytest.raises(NotFound) as caught:
        service.compare_payers(view, "aetna-commercial,nope", None, TODAY)
    assert "nope" in caught.value.message and caught.value.details == [{"payer_ids": PAYER_IDS}]
    with pytest.raises(Invalid) as caught:
        service.compare_payers(view, None, "timely_filing,weather", TODAY)
    assert "weather" in caught.value.message
    assert "prior_auth" in caught.value.details[0]["topics"]


def test_payer_notes_for_a_denial_at_one_payer(view):
    notes = service.payer_notes_for_denial(view, MEDICARE, ["CO-29", "N290"], TODAY)
    assert [(n.payer_id, n.code, n.kind) for n in notes] == [(MEDICARE, "CO-29", "denial")]
    assert "424.44" in notes[0].source


def test_payer_notes_for_a_bare_carc_across_all_payers(view):
    notes = service.payer_notes_for_denial(view, None, ["197"], today=TODAY)
    assert {n.payer_id for n in notes} == {
        "aetna-commercial",
        "humana-medicare-advantage",
        "unitedhealthcare-commercial",
    }
    assert all(n.contract_dependent for n in notes)


def test_payer_notes_for_a_denial_at_an_unknown_payer_is_not_found(view):
    with pytest.raises(NotFound):
        service.payer_notes_for_denial(view, "nope", ["CO-29"], TODAY)


def test_payer_notes_say_when_their_sheet_is_stale(view):
    later = TODAY + timedelta(days=366)
    assert all(n.stale for n in service.payer_notes_for_denial(view, None, ["CO-29"], today=later))
    assert not any(n.stale for n in service.payer_notes_for_denial(view, None, ["CO-29"], today=later, max_age=400))


def test_payer_notes_for_denial_codes_as_the_denial_explainer_spells_them(view):
    assert [n.code for n in service.payer_notes_for_denial(view, MEDICARE, ["29"], TODAY)] == ["CO-29"]
    assert service.payer_notes_for_denial(view, MEDICARE, ["PR-29"], TODAY) == []
    assert service.payer_notes_for_denial(view, MEDICARE, ["not a code", ""], TODAY) == []
