"""Cards, combinations and search through the service, over the published content."""

from __future__ import annotations

import pytest

from codedesk.content.view import ContentView
from codedesk.denials import service
from codedesk.denials.api import payer_facts
from codedesk.denials.models import Action
from codedesk.errors import Invalid, NotFound
from tests.denials.conftest import TODAY


@pytest.mark.parametrize("typed", ["16", "CO-16", "CO16", "co 16"])
def test_one_card_answers_every_spelling(view: ContentView, typed: str) -> None:
    card = service.get_card(view, typed, TODAY)
    assert (card.kind, card.code, card.action) == ("carc", "16", Action.CORRECT_AND_RESUBMIT)
    assert card.explanation_by and "Codedesk" in card.explanation_by
    assert card.official is None  # no operator list imported


@pytest.mark.parametrize(("typed", "kind"), [("N290", "rarc"), ("m81", "rarc"), ("MA130", "rarc"), ("PR", "group")])
def test_rarc_and_group_cards(view: ContentView, typed: str, kind: str) -> None:
    assert service.get_card(view, typed, TODAY).kind == kind


def test_a_code_outside_the_official_series_is_not_a_code_and_garbage_is_invalid(view: ContentView) -> None:
    with pytest.raises(NotFound, match="999 is not a claim adjustment reason code"):
        service.get_card(view, "999", TODAY)
    with pytest.raises(NotFound, match="N5000 is not a remittance advice remark code"):
        service.get_card(view, "N5000", TODAY)
    with pytest.raises(Invalid, match="not a denial code"):
        service.get_card(view, "hello", TODAY)


def test_a_real_code_without_a_card_is_told_apart_from_a_code_that_does_not_exist(view: ContentView) -> None:
    with pytest.raises(NotFound, match="no card for CARC 300") as raised:
        service.get_card(view, "300", TODAY)
    assert raised.value.details == [{"kind": "carc", "code": "300", "is_a_code": True}]


def test_co16_with_n290_is_fixed_and_resubmitted_by_the_provider(view: ContentView) -> None:
    answer = service.explain_codes(view, "CO-16,N290", None, TODAY)
    assert answer.codes == ["CO-16", "N290"]
    assert answer.group.code == "CO" and answer.who_pays.startswith("The provider")
    assert [card.code for card in answer.reasons] == ["16"] and answer.reasons[0].appealable is False
    assert answer.action is Action.CORRECT_AND_RESUBMIT and "not an appeal" in answer.action_words
    assert "rendering provider" in answer.remarks[0].meaning.lower()
    # the remark's specific fix comes before the CARC's general one, the group's advice last
    sources = [step.from_code for step in answer.next_steps]
    assert sources[0] == "N290" and sources.index("N290") < sources.index("16") < sources.index("CO")
    assert sources[-1] == "CO" and None not in sources
    assert answer.payer_notes == []


def test_pr1_bills_the_patient(view: ContentView) -> None:
    answer = service.explain_codes(view, "PR-1", None, TODAY)
    assert answer.action is Action.BILL_PATIENT
    assert answer.who_pays.startswith("The patient")


def test_co45_is_a_contractual_write_off_not_an_error(view: ContentView) -> None:
    answer = service.explain_codes(view, "CO-45", None, TODAY)
    assert answer.action is Action.WRITE_OFF
    assert "not an error" in answer.reasons[0].meaning
    assert "may not be billed to the patient" in answer.who_pays


def test_co29_is_timely_filing_with_the_medicare_limit_and_its_source(view: ContentView) -> None:
    answer = service.explain_codes(view, "CO-29 N211", None, TODAY)
    assert "filing" in answer.reasons[0].title.lower()
    assert answer.action is Action.WRITE_OFF
    assert any(deadline.source.startswith("42 CFR 424.44") for deadline in answer.deadlines)


def test_a_patient_share_under_co_is_flagged_for_the_payer(view: ContentView) -> None:
    answer = service.explain_codes(view, "CO-1", None, TODAY)
    assert answer.action is Action.CONTACT_PAYER
    assert any("Ask the payer" in note for note in answer.notes)


def test_a_non_covered_service_under_co_is_written_off_not_billed(view: ContentView) -> None:
    assert service.explain_codes(view, "CO-96", None, TODAY).action is Action.WRITE_OFF
    assert service.explain_codes(view, "PR-96", None, TODAY).action is Action.BILL_PATIENT


def test_cr_is_explained_as_legacy(view: ContentView) -> None:
    answer = service.explain_codes(view, "CR-45", None, TODAY)
    assert any("4010" in note for note in answer.notes)


def test_codes_without_cards_are_listed_not_dropped(view: ContentView) -> None:
    answer = service.explain_codes(view, "CO-300,N290", None, TODAY)
    assert answer.not_found == ["CARC 300"] and answer.not_codes == []
    assert [card.code for card in answer.remarks] == ["N290"]


def test_a_code_that_is_no_code_is_answered_as_such_not_as_a_missing_card(view: ContentView) -> None:
    answer = service.explain_codes(view, "CO-999,N290", None, TODAY)
    assert answer.not_codes == ["CARC 999"] and answer.not_found == []
    assert any(note.startswith("999 is not a claim adjustment reason code") for note in answer.notes)
    assert [card.code for card in answer.remarks] == ["N290"]


def test_next_steps_read_in_working_order_without_repeats(view: ContentView) -> None:
    answer = service.explain_codes(view, "CO-97,M15", None, TODAY)
    texts = [step.text for step in answer.next_steps]
    sources = [step.from_code for step in answer.next_steps]
    assert answer.action is Action.WRITE_OFF
    # the fix (check the edit, add a modifier when the services were distinct) before any write-off advice
    assert sources[0] == "M15" and sources[-1] == "CO" and "97" in sources
    assert not any(text.startswith("Write the amount off") for text in texts)
    normalised = [" ".join(text.lower().replace(".", "").split()) for text in texts]
    assert len(normalised) == len(set(normalised))


def test_a_bare_carc_has_no_group_and_says_so(view: ContentView) -> None:
    answer = service.explain_codes(view, "16", None, TODAY)
    assert answer.group is None and "depends on the group code" in answer.who_pays


@pytest.mark.parametrize(
    ("codes", "message"),
    [("CO-16,PR-1", "one group code"), ("", "at least one code"), ("CO-16,xyz", "not a denial code")],
)
def test_bad_combinations_are_refused_with_a_reason(view: ContentView, codes: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        service.explain_codes(view, codes, None, TODAY)


def test_an_unknown_payer_is_not_found(view: ContentView) -> None:
    with pytest.raises(NotFound):
        service.explain_codes(view, "CO-29", "no-such-payer", TODAY, payer_facts)


@pytest.mark.parametrize(
    ("query", "expected_first"),
    [
        ("timely filing", "29"),
        ("rendering provider", "N290"),
        ("deductible", "1"),
        ("N290", "N290"),
        ("prior authorization", "197"),
    ],
)
def test_keyword_search_finds_the_card_a_biller_means(view: ContentView, query: str, expected_first: str) -> None:
    found = service.search_cards(view, query, 10, TODAY)
    assert found.items[0].code == expected_first, [card.code for card in found.items]


def test_search_handles_plural_wording_and_limits(view: ContentView) -> None:
    assert "4" in [card.code for card in service.search_cards(view, "modifiers", 10, TODAY).items]
    assert len(service.search_cards(view, "claim", 3, TODAY).items) == 3
    with pytest.raises(Invalid):
        service.search_cards(view, "the and of", 10, TODAY)


def test_naming_a_payer_adds_that_payers_notes(view: ContentView) -> None:
    from codedesk.catalog import read_content
    from codedesk.payers.models import PayerSheet

    sheets = [sheet for _, sheet in read_content().of(PayerSheet) if sheet.common_denials]
    if not sheets:
        pytest.skip("no payer sheet lists a common denial yet")
    sheet, denial = sheets[0], sheets[0].common_denials[0]
    answer = service.explain_codes(view, denial.code, sheet.payer_id, TODAY, payer_facts)
    assert [(note.payer_id, note.code) for note in answer.payer_notes][:1] == [(sheet.payer_id, denial.code)]
    assert all(note.source for note in answer.payer_notes)


def test_a_group_alone_says_who_pays_and_what_the_group_means(view: ContentView) -> None:
    patient = service.explain_codes(view, "PR", None, TODAY)
    assert patient.action is Action.BILL_PATIENT and patient.reasons == []
    provider = service.explain_codes(view, "co", None, TODAY)
    assert provider.action is None and provider.who_pays.startswith("The provider")
    assert any("Never transfer a CO amount" in step.text for step in provider.next_steps)
