"""The denial content: enough cards, the right actions for the codes billers meet daily, sources."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from codedesk.catalog import load_content, read_content
from codedesk.content.bundle import ContentBundle
from codedesk.denials.models import Action, CarcCard, CarcFile, GroupCodeFile, OwnerRole, RarcFile
from codedesk.payers.checks import check_denial_card_topics
from tests.denials.x12_wording import RUN, description_hashes, load_hashes, official_runs_in

BUNDLE = read_content()
GROUPS = {group.code: group for group in BUNDLE.one(GroupCodeFile).groups}
CARCS = {card.code: card for card in BUNDLE.one(CarcFile).cards}
RARCS = {card.code: card for card in BUNDLE.one(RarcFile).cards}

# Runs of the official X12 descriptions, as hashes only (x12_wording.py): the text is licensed.
OFFICIAL_RUNS = load_hashes()


def _card_texts(card) -> list[str]:
    """Every sentence a card shows a person, group cards included."""
    texts = [card.title, card.meaning, *card.common_causes, *card.fix_steps, *(s.text for s in card.statements)]
    texts += [getattr(card, "who_pays", "")]
    texts += [d.what for d in getattr(card, "deadlines", [])] + [
        r.text for r in getattr(card, "appeal_by_payer_type", [])
    ]
    return [text for text in texts if text]


def test_content_of_the_denials_folder_validates_without_problems() -> None:
    _, problems = load_content()
    assert [str(problem) for problem in problems if problem.path.startswith("denials/")] == []


def test_at_least_forty_carc_and_forty_rarc_cards() -> None:
    assert len(CARCS) >= 40
    assert len(RARCS) >= 40


def test_the_codes_a_clinic_meets_most_have_cards() -> None:
    expected_carcs = "1 2 3 4 5 6 11 16 18 22 23 24 26 27 29 31 45 49 50 59 96 97 109 119 140 146 151 167 170 181 182 185 189 197 198 204 222 234 236 242 252 253"
    expected_rarcs = "N290 N211 M15 M20 M51 M76 M77 M80 M81 MA04 MA130 MA18 MA63 N4 N30 N56 N115 N130 N362 N382 N386 N479 N522 N657 M86 M127 N19 N20 N95 MA66 MA67 N425 N432 N517 N54 N704 N706"
    assert set(expected_carcs.split()) - set(CARCS) == set()
    assert set(expected_rarcs.split()) - set(RARCS) == set()


def test_group_codes_are_the_5010_four_and_cr_is_legacy() -> None:
    assert {code for code, group in GROUPS.items() if group.current} == {"CO", "PR", "OA", "PI"}
    assert GROUPS["CR"].current is False and "4010" in GROUPS["CR"].title
    assert GROUPS["PR"].patient_may_be_billed is True
    assert not any(GROUPS[code].patient_may_be_billed for code in ("CO", "PI", "OA"))


def test_the_answers_billers_rely_on() -> None:
    assert CARCS["16"].action is Action.CORRECT_AND_RESUBMIT and CARCS["16"].appealable is False
    assert "rendering provider" in RARCS["N290"].meaning.lower() and "identifier" in RARCS["N290"].meaning.lower()
    assert CARCS["1"].action is Action.BILL_PATIENT
    assert CARCS["45"].action is Action.WRITE_OFF and "not an error" in CARCS["45"].meaning
    assert CARCS["29"].action is Action.WRITE_OFF and "filing" in CARCS["29"].title.lower()
    assert RARCS["N211"].appealable is False
    assert CARCS["3"].owner_role is OwnerRole.FRONT_DESK


def test_no_card_ships_a_run_of_official_x12_wording() -> None:
    assert len(OFFICIAL_RUNS) > 400 and all(len(line.removeprefix("whole:")) == 64 for line in OFFICIAL_RUNS)
    found = {
        card.code: runs
        for card in [*GROUPS.values(), *CARCS.values(), *RARCS.values()]
        if (runs := [run for text in _card_texts(card) for run in official_runs_in(text, OFFICIAL_RUNS)])
    }
    assert found == {}, "these cards repeat official X12 wording; rewrite them in our own words"


def test_the_wording_check_sees_through_punctuation_and_filler_words() -> None:
    # A made-up description stands in for an official one: the real ones are never in the repository.
    hashes = frozenset(description_hashes("Widget/gadget/gizmo reported late to the payer by the clinic staff."))
    assert official_runs_in("The widget, gadget or gizmo was reported late to a payer by clinic staff.", hashes)
    assert official_runs_in("Widgets were reported to the payer after the deadline.", hashes) == []
    assert RUN == 6


def test_every_statement_and_deadline_names_its_source_and_review_date() -> None:
    cards = [*CARCS.values(), *RARCS.values()]
    facts = [fact for card in cards for fact in [*card.statements, *card.deadlines, *card.appeal_by_payer_type]]
    facts += [statement for group in GROUPS.values() for statement in group.statements]
    assert len(facts) >= 20
    # Reviewed since the cards were written, and never dated in the future (a typo such as 2062).
    reviewed = [fact.reviewed_on for fact in facts] + [card.reviewed_on for card in [*cards, *GROUPS.values()]]
    assert all(fact.source for fact in facts)
    assert all(date(2026, 11, 23) <= day <= date.today() for day in reviewed)
    medicare_filing = [f for f in CARCS["29"].deadlines if "12 months" in f.what]
    assert medicare_filing and medicare_filing[0].source.startswith("42 CFR 424.44")


def test_related_codes_point_at_cards_that_exist() -> None:
    for card in [*CARCS.values(), *RARCS.values()]:
        for related in card.related_codes:
            assert related in CARCS or related in RARCS, f"{card.code} → {related}"


def _card(**changes) -> dict:
    card = {
        "code": "16",
        "title": "Claim is missing information",
        "meaning": "Something on the claim was missing or invalid.",
        "common_causes": ["a field was left blank"],
        "fix_steps": ["correct it and resubmit"],
        "action": "correct_and_resubmit",
        "appealable": False,
        "owner_role": "biller",
        "source": "X12 CARC list",
        "reviewed_on": "2026-11-23",
    }
    card.update(changes)
    return card


def test_an_editor_is_told_when_a_fact_has_no_source() -> None:
    with pytest.raises(ValidationError, match="source"):
        CarcCard.model_validate(
            _card(deadlines=[{"what": "Medicare filing limit", "applies_to": "Medicare", "reviewed_on": "2026-11-23"}])
        )


def test_an_uncertain_fact_can_be_marked_for_verification() -> None:
    card = CarcCard.model_validate(
        _card(
            statements=[
                {
                    "text": "A rule we still need to check.",
                    "source": "payer manual",
                    "reviewed_on": "2026-11-23",
                    "verify": True,
                }
            ]
        )
    )
    assert card.statements[0].verify is True


@pytest.mark.parametrize(("code", "problem"), [("N290", "not a CARC"), ("CO-16", "not a CARC"), ("016", "canonical")])
def test_a_card_keyed_by_a_wrong_code_is_refused(code: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        CarcCard.model_validate(_card(code=code))


def test_a_code_carded_twice_is_refused() -> None:
    with pytest.raises(ValidationError, match="carded twice: 16"):
        CarcFile.model_validate({"cards": [_card(), _card()]})


def test_appealability_is_said_once_either_for_all_payers_or_per_payer_type() -> None:
    medicare = {
        "payer_type": "medicare",
        "appealable": False,
        "text": "No appeal rights at Medicare.",
        "source": "42 CFR 424.44(b)",
        "reviewed_on": "2026-12-06",
    }
    card = CarcCard.model_validate(_card(appealable=None, appeal_by_payer_type=[medicare]))
    assert card.appealable is None and card.appeal_by_payer_type[0].payer_type == "medicare"
    with pytest.raises(ValidationError, match="both given"):
        CarcCard.model_validate(_card(appeal_by_payer_type=[medicare]))
    with pytest.raises(ValidationError, match="say whether the denial can be appealed"):
        CarcCard.model_validate(_card(appealable=None))
    with pytest.raises(ValidationError, match="unknown payer types"):
        CarcCard.model_validate(_card(appealable=None, appeal_by_payer_type=[{**medicare, "payer_type": "tricare"}]))
    with pytest.raises(ValidationError, match="given twice"):
        CarcCard.model_validate(_card(appealable=None, appeal_by_payer_type=[medicare, medicare]))
    with pytest.raises(ValidationError, match="source"):
        CarcCard.model_validate(
            _card(appealable=None, appeal_by_payer_type=[{k: v for k, v in medicare.items() if k != "source"}])
        )


def test_owner_roles_and_actions_are_known_words() -> None:
    assert all(re.fullmatch(r"[a-z_]+", card.action.value) for card in CARCS.values())
    with pytest.raises(ValidationError):
        CarcCard.model_validate(_card(action="resubmit_maybe"))


def test_topics_link_to_real_quiz_topics_and_payer_sheet_topics() -> None:
    with pytest.raises(ValidationError, match="quiz_topics"):
        CarcCard.model_validate(_card(quiz_topics=["underwater-basket-weaving"]))
    # The payer grid's topics are the payers domain's: its cross-check (payers above denials) says so.
    card = CarcCard.model_validate(_card(payer_rule_topics=["timely_filing", "fee_schedule"]))
    bundle = ContentBundle(Path("/nonexistent"), {"denial_carcs": [("denials/carc.yaml", CarcFile(cards=[card]))]})
    (problem,) = check_denial_card_topics(bundle)
    assert (problem.path, problem.field) == ("denials/carc.yaml", "cards.0.payer_rule_topics.1")
    assert "unknown payer topic 'fee_schedule'" in problem.message and problem.severity == "error"
    assert "timely_filing" in CARCS["29"].payer_rule_topics and "timely-filing" in CARCS["29"].quiz_topics


def test_every_carded_code_lies_in_a_series_the_official_lists_use() -> None:
    # The 'not a code' answer must never refuse a code we explain ourselves.
    from codedesk.denials.codes import CodeKind, in_official_series

    assert [code for code in CARCS if not in_official_series(CodeKind.CARC, code)] == []
    assert [code for code in RARCS if not in_official_series(CodeKind.RARC, code)] == []
    assert not in_official_series(CodeKind.CARC, "999") and not in_official_series(CodeKind.CARC, "0")
    assert not in_official_series(CodeKind.RARC, "MA131") and in_official_series(CodeKind.CARC, "A0")
