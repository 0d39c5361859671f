"""No PHI, proven: an 835 full of canary identifiers goes through the handler with logging at DEBUG,
and no canary appears in any log record, in stdout/stderr or in the store file. The answer carries
only what a biller needs to find the claim (account number, the payer's claim number, a recouped
claim's reference), back to the person who sent the file: never a name, a member ID or a date of
service."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from codedesk.denials.api import handler
from codedesk.web.observability import logger as service_logger
from tests.denials.test_era import ENVELOPE, HEADER, TRAILER
from tests.events import call

CANARIES = {
    "patient_last": "ZQCANARYLAST",
    "patient_first": "ZQCANARYFIRST",
    "patient_id": "ZQPATIENTID991",
    "subscriber_last": "ZQSUBSCRIBERLAST",
    "subscriber_id": "ZQSUBSCRIBERID992",
    "service_date": "20190317",
    "statement_start": "20190311",
    "statement_end": "20190312",
}
# In the answer (a biller finds the claim by them), and nowhere else.
ANSWERED = {"account": "ZQACCOUNT993", "payer_claim": "ZQPAYERREF995", "recouped_claim": "ZQRECOUPED994"}
PATIENT_CLAIM = (
    f"CLP*{ANSWERED['account']}*1*150*90*10*12*{ANSWERED['payer_claim']}~"
    f"NM1*QC*1*{CANARIES['patient_last']}*{CANARIES['patient_first']}****MI*{CANARIES['patient_id']}~"
    f"NM1*IL*1*{CANARIES['subscriber_last']}*ROBIN****MI*{CANARIES['subscriber_id']}~"
    f"DTM*232*{CANARIES['statement_start']}~DTM*233*{CANARIES['statement_end']}~"
    f"SVC*HC:99214*150*90**1~DTM*472*{CANARIES['service_date']}~CAS*CO*45*50~CAS*PR*3*10~LQ*HE*N290~"
)


def canary_835(claims: str) -> str:
    transaction = HEADER + claims
    return f"{ENVELOPE}{transaction}SE*{transaction.count('~') + 1}*0001~{TRAILER}"


GOOD = canary_835(PATIENT_CLAIM + f"PLB*1234567893*20261231*WO:{ANSWERED['recouped_claim']}*0~")
# damaged on purpose next to the canaries: an unknown segment, and a non-numeric amount
UNKNOWN_SEGMENT = canary_835(PATIENT_CLAIM.replace("CAS*CO*45*50~", f"ZQX*{CANARIES['patient_id']}~"))
BAD_AMOUNT = canary_835(PATIENT_CLAIM.replace("SVC*HC:99214*150", f"SVC*HC:99214*{CANARIES['patient_id']}"))
TRUNCATED = GOOD[: GOOD.index("CAS*CO*45")]


def _leaks(text: str, canaries: dict[str, str] = CANARIES | ANSWERED) -> list[str]:
    return [name for name, value in canaries.items() if value in text]


@pytest.fixture
def debug_logging(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="pyx12")
    previous = service_logger.log_level
    service_logger.setLevel("DEBUG")
    yield caplog
    service_logger.setLevel(previous)


def test_the_canary_file_is_decoded_with_what_a_biller_acts_on(api_store) -> None:
    reply = call(handler, "POST", "/api/denials/era", body=GOOD, user="bea", groups=("biller",))
    assert reply.status == 200 and reply.body["claims"][0]["billed"] == 150.0
    assert _leaks(str(reply.body), ANSWERED) == ["account", "payer_claim", "recouped_claim"]


@pytest.mark.parametrize(
    "body", [GOOD, UNKNOWN_SEGMENT, BAD_AMOUNT, TRUNCATED], ids=["good", "unknown-segment", "bad-amount", "truncated"]
)
def test_no_patient_identifier_reaches_logs_store_or_answer(
    api_store, debug_logging: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture, body: str
) -> None:
    reply = call(handler, "POST", "/api/denials/era", body=body, user="bea", groups=("biller",))
    assert reply.status in (200, 400)

    records = debug_logging.records
    assert records, "the handler logs at least its request line, so the capture works"
    logged = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in records)
    captured = capfd.readouterr()
    assert _leaks(logged) == []
    assert _leaks(captured.out + captured.err) == []
    assert _leaks(str(reply.body), CANARIES) == []

    store_files = [path for path in Path(api_store.path).parent.glob(Path(api_store.path).name + "*")]
    assert store_files
    for path in store_files:
        assert _leaks(path.read_bytes().decode("latin-1")) == [], path
    cursor, items = None, []
    while True:
        page = api_store.scan(pk_prefix="", cursor=cursor)
        items.extend(page.items)
        if (cursor := page.cursor) is None:
            break
    assert items and _leaks(str(items)) == []
