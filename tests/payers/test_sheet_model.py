"""The payer sheet model: what an editor may write, and what the validator refuses."""

from __future__ import annotations

from copy import deepcopy

import pytest
import yaml
from pydantic import ValidationError

from codedesk.payers.models import CodeRange, PayerSheet
from tests.payers.conftest import CONTENT, MEDICARE, PAYER_IDS


def medicare_data() -> dict:
    return yaml.safe_load((CONTENT / "payers" / f"{MEDICARE}.yaml").read_text(encoding="utf-8"))


def test_content_has_the_five_payer_types(payer_bundle):
    sheets = [sheet for _, sheet in payer_bundle.of(PayerSheet)]
    assert sorted(s.payer_id for s in sheets) == PAYER_IDS
    types = sorted(s.type for s in sheets)
    assert types == ["commercial", "commercial", "medicaid", "medicare", "medicare_advantage"]


def test_each_file_is_named_after_its_payer_id(payer_bundle):
    for path, sheet in payer_bundle.of(PayerSheet):
        assert path == f"payers/{sheet.payer_id}.yaml"


def test_medicare_timely_filing_is_twelve_months_from_the_date_of_service_per_42_cfr_424_44(payer_bundle):
    sheet = dict((s.payer_id, s) for _, s in payer_bundle.of(PayerSheet))[MEDICARE]
    initial = sheet.timely_filing.initial_claim
    assert initial.summary() == "12 months from the date of service"
    assert "42 CFR 424.44" in initial.source
    redetermination = sheet.timely_filing.appeals[0]
    assert (redetermination.period.amount, redetermination.period.unit) == (120, "days")
    assert "42 CFR 405.942" in redetermination.source


def test_commercial_timely_filing_is_left_to_the_contract_not_guessed(payer_bundle):
    for _, sheet in payer_bundle.of(PayerSheet):
        if sheet.type == "commercial":
            initial = sheet.timely_filing.initial_claim
            assert initial.contract_dependent and initial.period is None
            assert initial.summary() == "set by your contract"


def test_every_fact_has_a_source_and_a_review_date(payer_bundle):
    for _, sheet in payer_bundle.of(PayerSheet):
        facts = sheet.facts()
        assert len(facts) >= 10
        assert all(len(f.source) >= 3 and f.reviewed_on for f in facts)


def test_a_period_without_the_event_its_clock_starts_from_is_refused():
    data = medicare_data()
    del data["timely_filing"]["initial_claim"]["clock_starts"]
    with pytest.raises(ValidationError, match="clock_starts"):
        PayerSheet.model_validate(data)


def test_a_missing_limit_must_be_marked_contract_dependent_or_verify_and_say_where_to_look():
    data = medicare_data()
    limit = data["timely_filing"]["initial_claim"]
    del limit["period"], limit["clock_starts"]
    with pytest.raises(ValidationError, match="contract_dependent"):
        PayerSheet.model_validate(deepcopy(data))
    limit["contract_dependent"] = True
    del limit["note"]
    with pytest.raises(ValidationError, match="note"):
        PayerSheet.model_validate(data)


def test_a_fact_without_a_source_is_refused():
    data = medicare_data()
    del data["common_denials"][0]["source"]
    with pytest.raises(ValidationError, match="source"):
        PayerSheet.model_validate(data)


@pytest.mark.parametrize("bad", ["XX-29", "29", "CO", "co-"])
def test_common_denials_must_name_a_group_and_reason_or_a_remark(bad):
    data = medicare_data()
    data["common_denials"][0]["code"] = bad
    with pytest.raises(ValidationError, match=r"denial code|group and reason"):
        PayerSheet.model_validate(data)


@pytest.mark.parametrize(("typed", "stored"), [("co 29", "CO-29"), ("CO29", "CO-29"), ("n290", "N290")])
def test_denial_codes_are_stored_the_way_denial_cards_spell_them(typed, stored):
    data = medicare_data()
    data["common_denials"][0]["code"] = typed
    assert PayerSheet.model_validate(data).common_denials[0].code == stored


@pytest.mark.parametrize("bad", ["9921", "99215-99202", "99202-G0439", "E11.9"])
def test_code_ranges_must_be_procedure_codes_running_forwards(bad):
    data = medicare_data()
    data["code_rules"][0]["codes"] = [bad]
    with pytest.raises(ValidationError):
        PayerSheet.model_validate(data)


def test_compare_is_not_a_payer_id_because_the_api_uses_it():
    data = medicare_data()
    data["payer_id"] = "compare"
    with pytest.raises(ValidationError, match="reserved"):
        PayerSheet.model_validate(data)


def test_code_ranges_cover_codes_of_their_own_shape_only():
    em = CodeRange.parse("99202-99215")
    assert em.covers("99213") and not em.covers("99201") and not em.covers("99216")
    awv = CodeRange.parse("g0438-G0439")
    assert awv.covers("G0439") and not awv.covers("99213")
    assert str(awv) == "G0438-G0439"


def test_a_sheet_round_trips_through_its_published_form(payer_bundle):
    for _, sheet in payer_bundle.of(PayerSheet):
        assert PayerSheet.model_validate(sheet.model_dump(mode="json")) == sheet


@pytest.mark.parametrize(
    ("field", "bad"), [("modifiers", "2"), ("places_of_service", "2"), ("places_of_service", "A1")]
)
def test_modifiers_and_places_of_service_have_their_shape(field, bad):
    data = medicare_data()
    data["modifier_rules"][0][field] = [bad]
    with pytest.raises(ValidationError, match="is not a"):
        PayerSheet.model_validate(data)
