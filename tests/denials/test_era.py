"""Decoding 835 remittances with pyx12: the sample files of several sources, each real-world
irregularity in a small synthetic file of its own, damaged files, the size limit, logging."""

from __future__ import annotations

import logging
from datetime import date
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


def synthetic_835(claims: str = CLAIM, header: str = HEADER) -> str:
    transaction = header + claims
    # SE01 counts ST through SE; counting terminators is fine for test data we wrote ourselves.
    return f"{ENVELOPE}{transaction}SE*{transaction.count('~') + 1}*0001~{TRAILER}"


# Counted independently of the decoder (by reading each file): claims (CLP), service lines (SVC),
# and every group-reason pair of its CAS segments.
@needs_era_corpus
@pytest.mark.parametrize(
    ("name", "claims", "lines", "reasons"),
    [
        ("united_healthcare_legacy_sample.835", 2, 5, {"CO-45": 4, "PR-1": 2, "PR-2": 1}),
        ("emedny_sample.835", 3, 10, {"CO-29": 2, "CO-251": 2}),
        ("blue_cross_nc_sample.835", 1, 3, {"CO-42": 1, "PR-2": 1, "PR-3": 1}),
        ("peers/linuxforhealth-x12_cob-contractural-adjustment.835", 1, 1, {"OA-23": 1, "OA-94": 1}),
        ("peers/linuxforhealth-x12_managed-care.835", 2, 2, {"CO-A2": 2, "PR-1": 2, "CO-45": 1}),
        ("peers/linuxforhealth-x12_medicare-part-a.835", 2, 0, {"CO-45": 2}),
        ("peers/linuxforhealth-x12_secondary-payment.835", 2, 2, {"OA-23": 2, "PR-1": 1, "PR-2": 1, "CO-42": 1}),
        ("peers/linuxforhealth-x12_tertiary-payment.835", 1, 1, {"OA-23": 1}),
        ("peers/pyx12_mult_loops.835", 1, 3, {"CO-16": 1, "OA-A7": 2}),
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
    for claim in remittance.claims:
        assert claim.balances is True, claim.claim_index
        assert claim.billed - claim.paid == claim.adjustment_total
        assert claim.account_number and claim.payer_claim_number
    assert remittance.summary.claims_not_balancing == []
    assert remittance.summary.payment_balances is True  # BPR02 = claims paid − provider adjustments
    assert remittance.checks[0].payer_name and remittance.checks[0].trace_number


@needs_era_corpus
@pytest.mark.parametrize(
    "name", ["linuxforhealth-x12_cob-contractural-adjustment.835", "linuxforhealth-x12_secondary-payment.835"]
)
def test_a_file_declaring_colon_but_writing_greater_than_is_read_and_says_so(name: str) -> None:
    remittance = decode_era(era_sample(f"peers/{name}"))
    line = remittance.claims[-1].lines[0]
    assert line.procedure_qualifier == "HC" and line.procedure_code in ("55669", "12345")
    assert [(p.segment, p.element) for p in remittance.problems] == [("ISA", "ISA16")]
    assert "uses `>` between code and modifier although its header declares `:`" in remittance.problems[0].issue


@needs_era_corpus
def test_the_check_and_claim_identifiers_a_biller_acts_on() -> None:
    remittance = decode_era(era_sample("emedny_sample.835"))
    check = remittance.checks[0]
    assert (check.payer_name, check.trace_number, check.payment_date) == ("NYSDOH", "10100000000", date(2010, 1, 1))
    assert (check.payment_method, check.payment_method_words) == ("ACH", "electronic funds transfer (ACH)")
    claim = remittance.claims[0]
    assert (claim.account_number, claim.payer_claim_number) == ("PATIENT ACCOUNT NUMBER", "1000210000000030")
    line = claim.lines[0]
    assert (line.procedure, line.procedure_qualifier, line.procedure_code, line.modifiers) == (
        "HC:V2020:RB",
        "HC",
        "V2020",
        ["RB"],
    )


@needs_era_corpus
def test_a_service_line_without_its_code_is_a_problem_on_that_line() -> None:
    remittance = decode_era(era_sample("peers/linuxforhealth-x12_tertiary-payment.835"))
    line = remittance.claims[0].lines[0]
    assert line.procedure_code is None
    # the code was written after `*` instead of `:`, so the amounts slid one place: the line does not add up
    assert line.balances is False and remittance.claims[0].balances is True
    (problem,) = remittance.problems
    assert (problem.segment, problem.position, problem.claim_index, problem.line_index) == ("SVC", 20, 1, 1)
    assert problem.issue == "the service line has no procedure code (SVC01 holds only the qualifier HC)"


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
    assert any(p.segment == "SE" and p.position == 32 and "segment count" in p.issue for p in remittance.problems)


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
    assert [(a.reason, a.reference, a.amount) for a in summary.provider_adjustments] == [
        ("WO", "ACCT1", Decimal("30")),
        ("L6", None, Decimal("-2.5")),
    ]
    assert summary.provider_adjustments[0].reason_words.startswith("overpayment recovery")
    assert summary.provider_adjustments[1].reason_words.startswith("interest paid on a late claim")
    assert (summary.payment, summary.payment_balances) == (Decimal("52.5"), True)
    assert decode_era(text.replace("BPR*I*52.5", "BPR*I*80")).summary.payment_balances is False


def test_a_second_transaction_cut_off_is_caught() -> None:
    second = HEADER.replace("ST*835*0001", "ST*835*0002") + CLAIM
    text = synthetic_835().replace(TRAILER, "") + second + TRAILER
    with pytest.raises(EraError, match="cut off"):
        decode_era(text)


def test_a_claim_that_does_not_add_up_is_flagged() -> None:
    remittance = decode_era(synthetic_835(CLAIM.replace("CAS*CO*45*100~", "CAS*CO*45*90~")))
    assert remittance.claims[0].balances is False and remittance.claims[0].lines[0].balances is False
    assert remittance.summary.claims_not_balancing == [1]


# ------------------------------------------------------------- irregularities of real files


def _claims_and_lines(text: str) -> list[tuple]:
    remittance = decode_era(text)
    return [
        (claim.account_number, claim.billed, claim.paid, [(line.procedure, line.billed) for line in claim.lines])
        for claim in remittance.claims
    ]


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param(lambda text: text.replace("~", "~\n"), id="one-segment-per-line"),
        pytest.param(lambda text: text.replace("~", "~\r\n    "), id="indented-crlf"),
        pytest.param(lambda text: "\n\n  " + text.replace("~", "~ \t"), id="blank-padded"),
        pytest.param(lambda text: text.replace("*PAYER          *", "*PAYER*"), id="isa-padding-trimmed"),
        pytest.param(lambda text: text.replace("~", "\n"), id="line-breaks-as-terminators"),
        pytest.param(lambda text: text.replace("~", "~~"), id="empty-segments"),
        pytest.param(lambda text: text.replace("*100~", "*100*~"), id="trailing-element-separator"),
        pytest.param(lambda text: text.replace("~", "\n\n  "), id="line-break-terminators-blank-lines"),
    ],
)
def test_whitespace_between_segments_and_a_trimmed_isa_read_as_the_plain_file(layout) -> None:
    remittance = decode_era(layout(synthetic_835()))
    assert _claims_and_lines(layout(synthetic_835())) == _claims_and_lines(synthetic_835())
    assert remittance.claims[0].balances is True and remittance.problems == []


def test_one_bad_qualifier_is_a_problem_on_its_line_and_the_rest_decodes() -> None:
    two_lines = CLAIM.replace("LQ*HE*N290~", "LQ*HE*N290~SVC*ZZ:99999*50*0**1~CAS*CO*97*50~").replace(
        "CLP*ACCT1*1*200", "CLP*ACCT1*1*250"
    )
    remittance = decode_era(synthetic_835(two_lines))
    claim = remittance.claims[0]
    assert [line.procedure for line in claim.lines] == ["HC:99213", "ZZ:99999"]
    assert claim.balances is True and claim.lines[1].adjustments[0].reason == "97"
    (problem,) = remittance.problems
    assert (problem.segment, problem.claim_index, problem.line_index, problem.element) == ("SVC", 1, 2, "SVC01")
    assert "qualifier `ZZ` is not one the 835 defines" in problem.issue


def test_one_line_written_with_another_separator_is_read_and_noted_on_that_line() -> None:
    two_lines = CLAIM.replace("LQ*HE*N290~", "LQ*HE*N290~SVC*HC>97110>GP*50*0**1~CAS*CO*97*50~").replace(
        "CLP*ACCT1*1*200", "CLP*ACCT1*1*250"
    )
    remittance = decode_era(synthetic_835(two_lines))
    line = remittance.claims[0].lines[1]
    assert (line.procedure, line.procedure_code, line.modifiers) == ("HC:97110:GP", "97110", ["GP"])
    (problem,) = remittance.problems
    assert (problem.claim_index, problem.line_index) == (1, 2)
    assert problem.issue == (
        "this line uses `>` between code and modifier although the file declares `:`; Codedesk read it with `>`"
    )


def test_a_second_payee_loop_and_line_level_amounts_are_read() -> None:
    second_payee = HEADER.replace("LX*1~", "N1*PE*OTHER CLINIC*XX*1234567893~LX*1~")
    text = synthetic_835(CLAIM + "AMT*B6*80~AMT*KH*5~", header=second_payee)
    remittance = decode_era(text)
    assert remittance.claims[0].balances is True and remittance.summary.payment_balances is True
    assert [(p.segment, p.issue) for p in remittance.problems] == [
        ("N1", "a second payee (N1*PE) in one check; its claims are read with the check's")
    ]


def test_several_interchanges_in_one_file_are_each_check_their_own_section() -> None:
    second = (
        synthetic_835(CLAIM.replace("ACCT1", "ACCT2"))
        .replace("000000001", "000000002")
        .replace("TRN*1*12345", "TRN*1*67890")
        .replace("SAMPLE PAYER", "OTHER PAYER")
    )
    remittance = decode_era(synthetic_835() + "\n" + second)
    assert [(c.check_index, c.payer_name, c.trace_number, c.claims) for c in remittance.checks] == [
        (1, "SAMPLE PAYER", "12345", 1),
        (2, "OTHER PAYER", "67890", 1),
    ]
    assert [(claim.check_index, claim.account_number) for claim in remittance.claims] == [(1, "ACCT1"), (2, "ACCT2")]
    assert (remittance.summary.checks, remittance.summary.payment, remittance.summary.payment_balances) == (
        2,
        Decimal("160"),
        True,
    )
    assert remittance.problems == []


def test_several_transactions_in_one_group_are_several_checks() -> None:
    second = HEADER.replace("ST*835*0001", "ST*835*0002").replace("BPR*I*80", "BPR*I*0") + CLAIM.replace(
        "CLP*ACCT1*1*200*80", "CLP*ACCT2*4*200*0"
    ).replace("CAS*CO*45*100~", "CAS*CO*45*180~")
    text = synthetic_835().replace(TRAILER, "") + second + f"SE*{second.count('~') + 1}*0002~" + TRAILER
    remittance = decode_era(text.replace("GE*1*1", "GE*2*1"))
    assert [check.payment for check in remittance.checks] == [Decimal("80"), Decimal("0")]
    assert [claim.status_words for claim in remittance.claims] == ["processed as primary", "denied"]
    assert remittance.summary.payment_balances is True and remittance.problems == []


def test_a_4010a1_remit_is_read_as_far_as_it_agrees_and_says_so() -> None:
    text = synthetic_835().replace("*00501*", "*00401*").replace("005010X221A1", "004010X091A1")
    remittance = decode_era(text)
    assert remittance.checks[0].version == "4010A1" and remittance.claims[0].balances is True
    (note,) = remittance.problems
    assert note.element == "GS08" and "older 4010A1 format" in note.issue


@pytest.mark.parametrize(
    ("damage", "segment", "element", "words"),
    [
        (("CAS*CO*45*100~", "CAS*CO*45*100~ZZZ*1~"), "ZZZ", None, "is not a segment an 835 uses"),
        (("CLP*ACCT1*1*200", "CLP*ACCT1*1*ABC"), "CLP", "CLP03", "the claim's billed amount is not a number"),
        (("CAS*CO*45*100~", "CAS*CO*45~"), "CAS", "CAS03", "the adjustment amount CAS03 is missing"),
        (("SVC*HC:99213*200", "SVC*HC:99213*"), "SVC", "SVC02", "the line has no billed amount"),
        (("SVC*HC:99213", "SVC*HC"), "SVC", "SVC01", "no procedure code (SVC01 holds only the qualifier HC)"),
        (("CLP*ACCT1", "CLP*"), "CLP", "CLP01", "no patient account number"),
    ],
)
def test_a_damaged_element_or_segment_is_a_problem_where_it_is_and_the_rest_decodes(
    damage: tuple[str, str], segment: str, element: str | None, words: str
) -> None:
    remittance = decode_era(synthetic_835().replace(*damage))
    assert remittance.summary.claims == 1 and remittance.claims[0].lines
    problems = [p for p in remittance.problems if p.segment == segment]
    assert problems and problems[0].element == element and words in problems[0].issue
    assert problems[0].claim_index == 1


def test_a_problem_after_the_last_claim_is_not_put_on_that_claim() -> None:
    remittance = decode_era(synthetic_835(CLAIM + "PLB*1234567893*20261231*WO:X~CAS*CO*45*1~"))
    assert [(p.segment, p.element, p.claim_index) for p in remittance.problems] == [
        ("PLB", "PLB04", None),
        ("CAS", None, None),
    ]
    assert remittance.problems[1].issue == "is not inside a claim (after a CLP segment); it was skipped"
    assert remittance.claims[0].balances is True


@pytest.mark.parametrize(
    ("text", "segment", "position", "words"),
    [
        ("hello, this is not an 835", None, 1, "an 835 file starts with ISA"),
        ("", None, None, "empty"),
        (synthetic_835()[:-60], "CAS", 18, "cut off"),
        ("ISA*00*short~", "ISA", 1, "the file's header (its first segment, ISA) is damaged"),
        ("ST*835*1~garbage without a payment segment", "ST", 1, "no payment (BPR) segment follows"),
        (
            synthetic_835().replace("ST*835", "ST*837"),
            None,
            None,
            "another kind of X12 file (its transactions are X12 837)",
        ),
    ],
)
def test_a_file_nothing_can_be_read_from_is_refused_in_words(
    text: str, segment: str | None, position: int | None, words: str
) -> None:
    with pytest.raises(EraError) as raised:
        decode_era(text)
    assert words in raised.value.message
    assert (raised.value.segment, raised.value.position) == (segment, position)


def test_problems_and_errors_never_quote_the_files_values() -> None:
    secret = "SECRETNAME"
    damaged = (
        synthetic_835()
        .replace("NM1*QC*1*DOE*JANE", f"NM1*QC*1*{secret}*JANE")
        .replace("CAS*CO*45*100~", f"{secret}*1~CAS*CO*45*{secret}~")
        .replace("SVC*HC:", f"SVC*{secret}:")
    )
    remittance = decode_era(damaged)
    assert {p.segment for p in remittance.problems} >= {"?", "CAS", "SVC"}
    assert secret not in str(remittance.problems)
    with pytest.raises(EraError) as raised:
        decode_era(damaged[:-60])
    assert secret not in raised.value.message and secret not in str(raised.value.details())


def test_a_body_over_the_limit_is_refused_before_decoding() -> None:
    claims = CLAIM * (MAX_ERA_BYTES // len(CLAIM) + 1)
    with pytest.raises(EraTooLarge, match="larger than 256 KiB"):
        decode_era(synthetic_835(claims))


def test_pyx12_logs_nothing_even_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    decode_era(synthetic_835().replace("N4*CITY*NY*10001", "N4*CITY*QQ*10001"))  # an invalid state: pyx12 complains
    assert [record for record in caplog.records if record.name.startswith("pyx12")] == []
