"""The claim check of a 12-line claim with 12 diagnoses, against the store reads it makes, in one run.

    .venv/bin/python tests/benchmarks/bench_claims.py [--icd FILE] [--runs 200]

On a fresh SQLite store: publish content/, import the April 2026 ICD-10-CM tabular XML, and import
synthetic NCCI PTP, MUE and add-on files in the CMS layout (made-up code numbers; no CMS rows).
Then POST /api/claims/check through the claims function's handler, in process as `codedesk serve`
calls it (JSON parsing, sign-in, validation, the check, the JSON answer), p50/p95 over the runs;
beside it the baseline: the very batch gets the check makes, on their own, in the same run. Round
trips are counted at the table port. Target (issue 20): p95 under 50 ms on the local server, and
the reads only what the claim names (3 batch gets and the payer's sheet for this claim).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPOSITORY / "functions"))
sys.path.insert(0, str(REPOSITORY))

from codedesk.catalog import content_item_sets, read_content
from codedesk.claims.facts import _keys
from codedesk.claims.importer import import_edit_file
from codedesk.claims.models import ClaimCheckRequest
from codedesk.codes.importer import import_code_sets
from codedesk.content.publish import publish
from codedesk.content.view import LivePointer
from codedesk.store.sqlite import SqliteTable

DEFAULT_ICD = REPOSITORY.parent / "shared" / "data" / "icd10cm" / "icd10cm-tabular-April-2026.xml"
TARGET_MS = 50
DIAGNOSES = ["E11.9", "E10.9", "I10", "J18.9", "Z79.4", "E11.42", "G63", "S52.501A", "W01.0XXA", "E13.9",
             "E08.9", "O24.410"]  # fmt: skip
LINES = [f"1000{n}" for n in range(1, 9)] + ["99213", "G2211", "G0008", "99214"]


def claim_body() -> dict:
    return {
        "date_of_service": "2026-11-02",
        "patient": {"age": 45, "sex": "female"},
        "payer_id": "medicare-part-b-novitas",
        "diagnoses": DIAGNOSES,
        "lines": [{"code": code, "modifiers": ["59"] if code == "10002" else [], "units": 2} for code in LINES],
    }


def edit_files(folder: Path) -> dict[str, Path]:
    pairs = "\n".join(
        f"1000{a}\t1000{b}\t\t20250101\t*\t{(a + b) % 2}\tsynthetic" for a in range(1, 9) for b in range(1, 9) if a != b
    )
    texts = {
        "ptp": "Column 1\tColumn 2\t*\tEffective Date\tDeletion Date\tModifier\tRationale\n" + pairs + "\n",
        "mue": "HCPCS/CPT Code\tPractitioner Services MUE Values\tMUE Adjudication Indicator\n"
        + "\n".join(f"1000{n}\t1\t{1 + n % 3}" for n in range(1, 9))
        + "\n",
        "addon": "Add-on Code\tPrimary Code\tAOC Edit Type\n10008\t10001\t1\n",
    }
    paths = {}
    for kind, text in texts.items():
        paths[kind] = folder / f"{kind}-2026q4.txt"
        paths[kind].write_text(text)
    return paths


class Counting:
    def __init__(self, table):
        self.table, self.calls = table, []

    def __getattr__(self, name):
        attribute = getattr(self.table, name)
        if not callable(attribute):
            return attribute

        def counted(*args, **kwargs):
            self.calls.append(name)
            return attribute(*args, **kwargs)

        return counted


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--icd", type=Path, default=DEFAULT_ICD)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    if not args.icd.exists():
        print(f"no ICD-10-CM file at {args.icd}; give --icd", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store.db"
        table = SqliteTable(path)
        publish(table, content_item_sets(read_content(REPOSITORY / "content")))
        import_code_sets(table, "icd10cm", [args.icd])
        for kind, file in edit_files(Path(folder)).items():
            import_edit_file(table, kind, file, today=date(2026, 12, 6))  # type: ignore[arg-type]
        os.environ["CODEDESK_STORE"] = f"sqlite:///{path}"
        os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
        os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
        from codedesk.claims.api import handler
        from codedesk.web import deps
        from tests.events import call

        deps.reset()
        body = claim_body()
        reply = call(handler, "POST", "/api/claims/check", body=body, user="bench", groups=("coder",))
        assert reply.status == 200, reply.body
        edits = reply.body["edits"]

        view = LivePointer(table).view()
        counting = Counting(table)
        view.table = counting  # type: ignore[assignment]
        from codedesk.claims.service import check_claim

        check_claim(view, ClaimCheckRequest.model_validate(body))
        keys = _keys(ClaimCheckRequest.model_validate(body))

        check_ms, reads_ms = [], []
        plain = LivePointer(table).view()
        for _ in range(args.runs):  # interleaved, so the machine's load drifts over both alike
            started = time.perf_counter()
            call(handler, "POST", "/api/claims/check", body=body, user="bench", groups=("coder",))
            check_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            plain.batch_get(keys)
            reads_ms.append((time.perf_counter() - started) * 1000)
    print(f"claim: {len(DIAGNOSES)} diagnoses, {len(LINES)} lines; {len(edits)} edits "
          f"({sum(e['severity'] == 'error' for e in edits)} errors); {len(keys)} keys read")  # fmt: skip
    print(f"round trips at the table port: {counting.calls.count('batch_get')} batch gets, "
          f"{counting.calls.count('get')} gets, {counting.calls.count('query')} queries")  # fmt: skip
    print(f"{'':28} {'p50 ms':>8} {'p95 ms':>8}")
    print(f"{'check via the handler':28} {statistics.median(check_ms):8.2f} {percentile(check_ms, 0.95):8.2f}")
    print(f"{'baseline: its batch gets':28} {statistics.median(reads_ms):8.2f} {percentile(reads_ms, 0.95):8.2f}")
    p95 = percentile(check_ms, 0.95)
    print(f"target p95 < {TARGET_MS} ms: {'met' if p95 < TARGET_MS else 'NOT met'} ({p95:.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
