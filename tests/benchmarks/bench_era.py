"""835 decoding: upload size → answer size and time, beside the previous decoder's costs, in one run.

    .venv/bin/python tests/benchmarks/bench_era.py [--repeat 3]

On a fresh SQLite store with content/ published, synthetic remits of 16 to 256 KiB (the documented
limit) — claims of one to four lines, some thirty CARCs and RARCs, carded or not, with the names,
dates and references a real remit carries — are decoded as POST /api/denials/era does: decode, read
the cards in one batch get, build the answer and serialise it. Each figure is the median of
`--repeat` runs, in-process (no HTTP). Beside it, measured in the same run on the same text:

- the previous decoder's parse, pyx12's `X12ContextReader`, which validated every segment against
  the 835 map (the rest of the decoding was the same, so this is the part that changed), and
- the previous answer, with a full copy of the card on every adjustment and remark.

Targets (issue 18): the whole remit within the limit in under a second; the answer a small multiple
of the upload (and far inside Lambda's 6 MB response).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPOSITORY / "functions"))

import pyx12.error_handler
import pyx12.params
import pyx12.x12context

from codedesk.catalog import content_item_sets, read_content
from codedesk.content.publish import publish
from codedesk.content.view import LivePointer
from codedesk.denials.remittance import MAX_ERA_BYTES
from codedesk.denials.service import decode_remittance
from codedesk.store.sqlite import SqliteTable

SIZES_KIB = (16, 64, 128, 256)
TODAY = date(2026, 12, 6)
LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024
REASONS = ["45", "1", "2", "3", "16", "18", "22", "23", "24", "27", "29", "50", "96", "97", "109", "119", "151",
           "167", "197", "204", "236", "242", "252", "253", "A1", "B7", "B13", "P1", "94", "144"]  # fmt: skip
REMARKS = ["N290", "MA130", "N4", "M15", "N130", "N362", "M80", "N56", "MA04", "N20", "M51", "N115"]
PROCEDURES = ["HC:99213", "HC:99214:25", "HC:J3420", "HC:G0008", "HC:V2020:RB", "HC:97110:GP:59", "HC:93000"]


def synthetic_remit(target_bytes: int, seed: int = 18) -> str:
    """A balanced 5010 835 of about `target_bytes`, one check, with names and dates like a real one."""
    rng = random.Random(seed)
    envelope = (
        "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *261206*1200*^*00501*000000001*0*P*:~"
        "GS*HP*PAYER*CLINIC*20261206*1200*1*X*005010X221A1~"
    )
    claims, paid_total, number = [], 0, 0
    size = len(envelope) + 400
    while size < target_bytes - 600:
        number += 1
        lines, claim_billed, claim_paid = [], 0, 0
        for _ in range(rng.randint(1, 4)):
            billed = rng.randint(50, 900)
            paid = rng.randint(0, billed)
            rest, cas = billed - paid, []
            while rest:
                amount = rng.randint(1, rest) if len(cas) < 2 else rest
                cas.append(f"CAS*{rng.choice(['CO', 'PR', 'OA'])}*{rng.choice(REASONS)}*{amount}~")
                rest -= amount
            remarks = "".join(f"LQ*HE*{rng.choice(REMARKS)}~" for _ in range(rng.randint(0, 2)))
            lines.append(
                f"SVC*{rng.choice(PROCEDURES)}*{billed}*{paid}**1~DTM*472*20261101~{''.join(cas)}"
                f"REF*6R*LINE{number:06d}~AMT*B6*{paid}~{remarks}"
            )
            claim_billed, claim_paid = claim_billed + billed, claim_paid + paid
        claim = (
            f"CLP*ACCT{number:07d}*1*{claim_billed}*{claim_paid}*0*12*PAYERCLAIM{number:09d}~"
            f"NM1*QC*1*SURNAME{number}*GIVEN****MI*MEMBER{number:08d}~DTM*232*20261101~DTM*233*20261101~"
            + "".join(lines)
        )
        claims.append(claim)
        paid_total += claim_paid
        size += len(claim)
    transaction = (
        f"ST*835*0001~BPR*I*{paid_total}*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261206~"
        "TRN*1*EFT0000001*1512345678~DTM*405*20261206~N1*PR*SAMPLE PAYER~N3*1 MAIN ST~N4*CITY*NY*10001~"
        "N1*PE*SAMPLE CLINIC*XX*1234567893~LX*1~" + "".join(claims)
    )
    text = f"{envelope}{transaction}SE*{transaction.count('~') + 1}*0001~GE*1*1~IEA*1*000000001~"
    assert len(text.encode()) <= MAX_ERA_BYTES, len(text)
    return text


def previous_parse(text: str) -> int:
    """What the previous decoder did for every segment: pyx12's map-validating reader."""
    reader = pyx12.x12context.X12ContextReader(
        pyx12.params.params(), pyx12.error_handler.errh_null(), io.StringIO(text)
    )
    return sum(1 for _ in reader.iter_segments())


def previous_answer_bytes(answer_json: dict) -> int:
    """The answer as before: the card copied onto every adjustment and remark that has one."""
    cards = answer_json.pop("cards")
    for claim in answer_json["claims"]:
        for owner in [claim, *claim["lines"]]:
            for item in owner["adjustments"] + owner["remarks"]:
                item["card"] = cards.get(item.pop("card_key", None) or "")
    return len(json.dumps(answer_json))


def median_seconds(action, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds: with other work on the cores, CPU time is what one full
    vCPU (the denials function's 1769 MB) would take."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"load average at start {os.getloadavg()[0]:.2f}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        table = SqliteTable(Path(folder) / "bench.db")
        publish(table, content_item_sets(read_content()))
        view = LivePointer(table).view()
        decode_remittance(view, synthetic_remit(4096), TODAY)  # loads pyx12 and builds the models once

        header = (
            f"{'upload':>10}{'segments':>10}{'claims':>8}{'decode+answer wall/cpu':>24}{'answer':>10}{'× upload':>10}"
            f"{'| before: parse wall/cpu':>26}{'answer':>10}{'× upload':>10}"
        )
        print(header)
        worst_seconds, worst_ratio = 0.0, 0.0
        for kib in SIZES_KIB:
            text = synthetic_remit(kib * 1024)
            upload = len(text.encode())

            def decode_and_answer(text: str = text) -> str:
                return decode_remittance(view, text, TODAY).model_dump_json()

            answer = decode_and_answer()
            seconds, cpu = median_seconds(decode_and_answer, args.repeat)
            before_seconds, before_cpu = median_seconds(lambda text=text: previous_parse(text), args.repeat)
            before_bytes = previous_answer_bytes(json.loads(answer))
            claims = json.loads(answer)["summary"]["claims"]
            ratio = len(answer) / upload
            worst_seconds, worst_ratio = max(worst_seconds, cpu), max(worst_ratio, ratio)
            print(
                f"{upload / 1024:>8.0f}Ki{text.count('~'):>10,}{claims:>8,}{seconds:>15.3f} / {cpu:.3f} s"
                f"{len(answer) / 1024:>8.0f}Ki{ratio:>10.1f}{before_seconds:>17.3f} / {before_cpu:.3f} s"
                f"{before_bytes / 1024:>8.0f}Ki{before_bytes / upload:>10.1f}"
            )
        print(
            f"\nworst decode+answer {worst_seconds:.3f} CPU s (target < 1 s: {'met' if worst_seconds < 1 else 'NOT met'}); "
            f"worst answer {worst_ratio:.1f} × the upload (the cards weigh most in a small remit); "
            f"at the limit the answer is {len(answer) / LAMBDA_RESPONSE_LIMIT:.0%} of Lambda's 6 MB response"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
