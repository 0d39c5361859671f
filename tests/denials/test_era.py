"""Decoding 835 remittances with pyx12: the sample files, damaged files, the size limit, logging."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest

from codedesk.denials.era import MAX_ERA_BYTES, EraError, EraTooLarge, decode_era
from tests.denials.conftest import era_sample, needs_era_corpus

# A small, balanced 5010 835 of our own (synthetic values) for what the corpus does not show.
ENVELOPE = (
    "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *261120*1200*^*00501*000000001*0*P*:~"
    "GS*HP*PAYER*CLINIC*20261120*1200*1*X*005010X221A1~"
)
HEADER = (
    "ST*835*0001~BPR*I*80*C*CHK************20261120~TRN*1*12345*1512345678~DTM*405*20261120~"
    "N1*PR*SAMPLE PAYER~N3*1 MAIN ST~N4*CITY*NY*10001~PER*BL*PAYER HELP*TE*8005551212~N1*PE*SAMPLE CLINIC*XX*1234567893~LX*1~"
)
CLAIM = (
    "CLP*ACCT1*1*200*80*20*12*CLAIMREF1~NM1*QC*1*DOE*JANE****MI*MEMBER1~MOA***MA130*N4~"
    "SVC*HC:99213*200*80**1~DTM*472*20261101~CAS*CO*45*100~CAS*PR*1*15*2*2*5~LQ*HE*N290~"
)
TRAILER = "GE*1*1~IEA*1*000000001~"


def synthetic_835(claims: str = CLAIM) -> str:
    transaction = HEADER + claims
    # SE01 counts ST through SE; counting terminators is fine for test data we wrote ourselves.
    return f"{ENVELOPE}{transaction}SE*{transaction.count('~') + 1}*0001~{TRAILER}"


@needs_era_corpus
@pytest.mark.parametrize(
    ("name", "claims", "lines", "reasons"),
    [
        ("united_healthcare_legacy_sample.835", 2, 5, {"CO-45": 4, "PR-1": 2, "PR-2": 1}),
        ("emedny_sample.835", 3, 10, {"CO-29": 2, "CO-251": 2}),
        ("blue_cross_nc_sample.835", 1, 3, {"CO-42": 1, "PR-2": 1, "PR-3": 1}),
    ],
)
def test_each_sample_file_decodes_with_every_adjustment_and_balances(
    name: str, claims: int, lines: int, reasons: dict
) -> None:
    text = era_sample(name)
    remittance = decode_era(text)
    assert remittance.summary.claims == claims
    assert remittance.summary.service_lines == lines
    assert {total.reason: total.count for total in remittance.summary.top_reasons} == reasons
    # every CAS segment of the file became adjustments (a CAS may carry several reasons)
    assert sum(reasons.values()) >= text.count("~CAS*")
    for claim in remittance.claims:
        assert claim.balances is True, claim.claim_index
        assert claim.billed - claim.paid == claim.adjustment_total
    assert remittance.summary.claims_not_balancing == []
    assert remittance.summary.payment_balances is True  # BPR02 = claims paid − provider adjustments


@needs_era_corpus
def test_a_cas_with_two_reasons_gives_two_adjustments() -> None:
    remittance = decode_era(era_sample("united_healthcare_legacy_sample.835"))
    line = remittance.claims[1].lines[2]
    assert [(a.group, a.reason, a.amount) for a in line.adjustments] == [
        ("PR", "2", Decimal("5.13")),
        ("PR", "1", Decimal("110")),
        ("CO", "45", Decimal("184.32")),
    ]
    assert remittance.claims[1].patient_responsibility == Decimal("115.13")


@needs_era_corpus
def test_line_remarks_come_from_lq() -> None:
    remittance = decode_era(era_sample("emedny_sample.835"))
    remarks = [
        (remark.code, remark.found_in) for claim in remittance.claims for line in claim.lines for remark in line.remarks
    ]
    assert remarks == [("N206", "LQ"), ("N206", "LQ")]
    assert remittance.claims[1].status_words == "processed as secondary"


@needs_era_corpus
def test_a_bare_transaction_without_isa_is_read_and_its_oddities_reported() -> None:
    remittance = decode_era(era_sample("blue_cross_nc_sample.835"))
    odd_line = remittance.claims[0].lines[2]
    assert odd_line.billed is None and odd_line.procedure == "HC:59426"
    # positions count the file as submitted (ST is segment 1), not our added envelope
    assert any(p.segment == "SVC" and p.position == 28 and p.element == "SVC02" for p in remittance.problems)
    assert any(p.segment == "TRN" and p.position == 3 for p in remittance.problems)


def test_claim_and_line_amounts_adjustments_and_remarks_of_a_synthetic_file() -> None:
    remittance = decode_era(synthetic_835())
    claim = remittance.claims[0]
    assert (claim.billed, claim.paid, claim.status) == (Decimal("200"), Decimal("80"), "1")
    assert [(r.code, r.found_in) for r in claim.remarks] == [("MA130", "MOA"), ("N4", "MOA")]
    line = claim.lines[0]
    assert line.procedure == "HC:99213" and (line.billed, line.paid) == (Decimal("200"), Decimal("80"))
    assert [(a.group, a.reason, a.amount, a.quantity) for a in line.adjustments] == [
        ("CO", "45", Decimal("100"), None),
        ("PR", "1", Decimal("15"), Decimal("2")),
        ("PR", "2", Decimal("5"), None),
    ]
    assert [r.code for r in line.remarks] == ["N290"]
    assert claim.balances is True and remittance.problems == []


def test_summary_ranks_reasons_by_count_and_by_amount() -> None:
    claims = CLAIM + CLAIM.replace("ACCT1", "ACCT2").replace(
        "CAS*CO*45*100~CAS*PR*1*15*2*2*5~", "CAS*CO*45*60~CAS*CO*97*40~CAS*PR*1*20~"
    )
    summary = decode_era(synthetic_835(claims)).summary
    assert [(t.reason, t.count, t.amount) for t in summary.top_reasons][:2] == [
        ("CO-45", 2, Decimal("160")),
        ("PR-1", 2, Decimal("35")),
    ]
    assert summary.top_reasons_by_amount[0].reason == "CO-45"
    assert [t.reason for t in summary.top_reasons_by_amount][1:3] == ["CO-97", "PR-1"]


def test_provider_level_adjustments_reconcile_the_payment() -> None:
    text = synthetic_835(CLAIM + "PLB*1234567893*20261231*WO:ACCT1*30*L6*-2.5~").replace("BPR*I*80", "BPR*I*52.5")
    summary = decode_era(text).summary
    assert [(a.reason, a.amount) for a in summary.provider_adjustments] == [
        ("WO", Decimal("30")),
        ("L6", Decimal("-2.5")),
    ]
    assert (summary.payment, summary.payment_balances) == (Decimal("52.5"), True)
    assert decode_era(text.replace("BPR*I*52.5", "BPR*I*80")).summary.payment_balances is False


def test_a_second_transaction_cut_off_is_caught() -> None:
    second = HEADER.replace("ST*835*0001", "ST*835*0002") + CLAIM
    text = synthetic_835().replace(TRAILER, "") + second + TRAILER
    with pytest.raises(EraError, match="cut off"):
        decode_era(text)


def test_a_claim_that_does_not_add_up_is_flagged() -> None:
    remittance = decode_era(synthetic_835(CLAIM.replace("CAS*CO*45*100~", "CAS*CO*45*90~")))
    assert remittance.claims[0].balances is False
    assert remittance.summary.claims_not_balancing == [1]


@pytest.mark.parametrize(
    ("text", "segment", "position", "words"),
    [
        ("hello, this is not an 835", None, 1, "must start with an ISA"),
        ("", None, None, "empty"),
        (synthetic_835().replace("CAS*CO*45*100~", "CAS*CO*45*100~ZZZ*1~"), "ZZZ", 19, "not a segment an 835 allows"),
        (synthetic_835().replace("CLP*ACCT1*1*200", "CLP*ACCT1*1*ABC"), "CLP", 13, "non-numeric amount in CLP03"),
        (synthetic_835().replace("CAS*CO*45*100~", "CAS*CO*45~"), "CAS", 18, "no amount in CAS03"),
        (synthetic_835()[:-60], "CAS", 18, "cut off"),
        ("ISA*00*short~", "ISA", 1, "ISA segment"),
        ("ST*835*1~garbage without a payment segment", "ST", 1, "BPR"),
        (synthetic_835().replace("ST*835", "ST*837"), "ST", 3, "not an 835"),
    ],
)
def test_damaged_input_names_the_segment_and_position(
    text: str, segment: str | None, position: int | None, words: str
) -> None:
    with pytest.raises(EraError) as raised:
        decode_era(text)
    assert words in raised.value.message
    assert (raised.value.segment, raised.value.position) == (segment, position)


def test_error_messages_never_quote_the_files_values() -> None:
    secret = "SECRETNAME"
    damaged = (
        synthetic_835()
        .replace("NM1*QC*1*DOE*JANE", f"NM1*QC*1*{secret}*JANE")
        .replace("CAS*CO*45*100~", f"{secret}*1~")
    )
    with pytest.raises(EraError) as raised:
        decode_era(damaged)
    assert secret not in raised.value.message and secret not in str(raised.value.details())


def test_a_body_over_the_limit_is_refused_before_decoding() -> None:
    claims = CLAIM * (MAX_ERA_BYTES // len(CLAIM) + 1)
    with pytest.raises(EraTooLarge, match="larger than 256 KiB"):
        decode_era(synthetic_835(claims))


def test_pyx12_logs_nothing_even_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    decode_era(synthetic_835().replace("N4*CITY*NY*10001", "N4*CITY*QQ*10001"))  # an invalid state: pyx12 complains
    assert [record for record in caplog.records if record.name.startswith("pyx12")] == []
