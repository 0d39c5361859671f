"""Fee schedules as finance uses them: import a payer's schedule, then a remit shows expected against
paid per line, flags underpayments, and the trends add the underpaid amount by payer."""

from __future__ import annotations

from datetime import date

import pytest

from codedesk.cli import main
from codedesk.denials.api import handler as denials
from codedesk.payers.fees import FeeFileError, allowed_on, read_fee_schedule
from tests.denials.test_trends import REMIT
from tests.events import call

MEDICARE = "medicare-part-b-novitas"
SCHEDULE = """code,modifier,allowed,effective_from,effective_to
99213,,110.00,2026-01-01,2026-12-31
99213,,95.00,2025-01-01,2025-12-31
97110,GP,31.50,2026-01-01,
J1100,,0.12,,
"""
BILLER = {"user": "bea", "groups": ("biller",)}
FINANCE = {"user": "fin", "groups": ("finance",)}


@pytest.fixture
def schedule(tmp_path):
    path = tmp_path / "medicare-2026.csv"
    path.write_text(SCHEDULE)
    return path


def test_the_allowed_amount_in_force_for_the_modifier(schedule):
    periods, rows = read_fee_schedule(schedule)
    assert rows == 4
    assert allowed_on(periods["99213"], [], date(2026, 11, 20)) == 110
    assert allowed_on(periods["99213"], ["25"], date(2025, 6, 1)) == 95  # no 25 row: the plain one
    assert allowed_on(periods["97110"], [], date(2026, 11, 20)) is None  # only a GP row
    assert allowed_on(periods["97110"], ["GP"], date(2026, 11, 20)) == 31.5


@pytest.mark.parametrize(
    "text, expected",
    [
        ("code,allowed\n9921,10\n", ":2: code '9921' is not a CPT or HCPCS code"),
        ("code,allowed\n99213,ten\n", ":2: allowed 'ten' is not an amount"),
        ("code,allowed\n99213,-5\n", ":2: allowed '-5' is not an amount"),
        ("code,modifier,allowed\n99213,GPX,10\n", ":2: modifier 'GPX' is not a modifier"),
        ("code,allowed,effective_from\n99213,10,2026-02-30\n", ":2: effective_from '2026-02-30' is not a date"),
        ("price,amount\n99213,10\n", ":1: the heading row needs the columns"),
        ("code,allowed\n", "has no rows"),
    ],
)
def test_a_bad_schedule_is_refused_naming_the_line(tmp_path, text, expected):
    path = tmp_path / "fees.csv"
    path.write_text(text)
    with pytest.raises(FeeFileError) as refused:
        read_fee_schedule(path)
    assert expected in str(refused.value) and str(path) in str(refused.value)


def test_a_remit_compared_with_the_schedule_flags_the_underpaid_line(api_store, schedule, capsys):
    store = f"sqlite:///{api_store.path}"
    assert main(["import", "fees", str(schedule), "--payer", "no-such-payer", "--store", store]) == 1
    assert "has no payer sheet" in capsys.readouterr().err
    assert main(["import", "fees", str(schedule), "--payer", MEDICARE, "--store", store]) == 0
    assert "4 rows" in capsys.readouterr().out

    reply = call(denials, "POST", "/api/denials/era", query={"payer": MEDICARE}, body=REMIT,
                 headers={"content-type": "text/plain"}, **BILLER)  # fmt: skip
    assert reply.status == 200, reply.body
    fees = reply.body["fees"]
    # paid 80 + the patient's 20 = 100 allowed, against 110 in the schedule; the denied lines are denials
    assert [(f["claim_index"], f["line_index"]) for f in fees["lines"]] == [(1, 1)]
    office = fees["lines"][0]
    assert (float(office["expected_allowed"]), float(office["allowed"]), float(office["variance"])) == (110, 100, -10)
    assert office["underpaid"] is True
    assert (fees["schedule"], fees["underpaid_lines"], float(fees["underpaid_amount"])) == ("medicare-2026.csv", 1, 10)
    assert "expected_allowed" not in reply.body["claims"][0]["lines"][0]  # nothing added to each line

    call(denials, "POST", "/api/denials/era", query={"payer": MEDICARE, "record": "true"}, body=REMIT,
         headers={"content-type": "text/plain"}, **BILLER)  # fmt: skip
    trend = call(denials, "GET", "/api/denials/trends", query={"by": "payer", "from": "2026-01", "to": "2026-12"},
                 **FINANCE)  # fmt: skip
    assert float(trend.body["items"][0]["underpaid_amount"]) == 10.0


def test_a_payer_without_a_schedule_is_422_saying_how_to_load_it(api_store):
    reply = call(denials, "POST", "/api/denials/era", query={"payer": MEDICARE}, body=REMIT,
                 headers={"content-type": "text/plain"}, **BILLER)  # fmt: skip
    assert reply.status == 422 and "codedesk import fees FILE.csv --payer" in reply.body["error"]["message"]
