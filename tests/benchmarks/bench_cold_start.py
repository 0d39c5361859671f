"""Cold import of each Lambda function, against the floor any powertools HTTP function pays.

    .venv/bin/python tests/benchmarks/bench_cold_start.py [--runs 7]

Each function's handler module (from infra/template.yaml) is imported in a fresh interpreter, as a
cold start does, and timed inside that interpreter in CPU time (interpreter start-up is the same
for everyone and left out; CPU time, because on a shared machine wall time mostly measures the
neighbours, while a Lambda cold start has its CPU to itself). The floor is a minimal powertools handler: an APIGatewayHttpResolver with
validation, a Logger, Metrics and one pydantic route. Runs are interleaved (floor, each function,
floor, ...) so the machine's load drifts equally over all; the median of each is reported.
Target: every function within 1.3x the floor. Measured on this machine's Python, not on Lambda's
arm64 3.12; the ratio is what carries over.

Not in the import figure, and so reported beside it: the AWS clients (boto3) each function makes
on its first invocation. Every function opens its DynamoDB table on its first
request; the reminders function also makes its SES and Cognito clients, on each run. That cost is
moved out of the import, not removed: the first invocation pays it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPOSITORY / "functions"))

from codedesk.template import read_template

TARGET = 1.3
FLOOR_MODULE = "minimal_powertools_handler"
FLOOR_SOURCE = """
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from pydantic import BaseModel

logger = Logger()
metrics = Metrics(namespace="Floor")
app = APIGatewayHttpResolver(enable_validation=True)


class Pong(BaseModel):
    ok: bool


@app.get("/ping")
def ping() -> Pong:
    return Pong(ok=True)


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event, context):
    return app.resolve(event, context)
"""
# Services a function makes clients for on its first invocation besides its DynamoDB table (see
# codedesk.reviews.reminders.handler).
FIRST_CALL_CLIENTS = {"RemindersFunction": ["ses", "cognito-idp"]}
# argv: module, attribute, then "-" (the floor: no AWS clients) or "table" and the other services.
TIMER = """
import importlib, json, sys, time
started = time.process_time()
module = importlib.import_module(sys.argv[1])
assert callable(getattr(module, sys.argv[2]))
seconds = time.process_time() - started
packages = {name.split(".")[0] for name in sys.modules} - set(sys.stdlib_module_names) - {"codedesk", "cython_runtime"}
first_call = None
if sys.argv[3] == "table":
    from codedesk.web import deps
    started = time.process_time()
    deps.table()
    import boto3
    for service in sys.argv[4:]:
        boto3.client(service)
    first_call = time.process_time() - started
print(json.dumps({"seconds": seconds, "first_call": first_call,
                  "packages": sorted(p for p in packages if not p.startswith("_"))}))
"""
# Lambda passes a function its credentials in the environment; fake ones here (no request is sent),
# so that making a client never goes looking for others (instance metadata).
LAMBDA_ENVIRONMENT = {
    "TABLE_NAME": "codedesk",
    "AWS_DEFAULT_REGION": "us-east-1",
    "POWERTOOLS_SERVICE_NAME": "codedesk",
    "POWERTOOLS_METRICS_NAMESPACE": "Codedesk",
    "POWERTOOLS_LOG_LEVEL": "INFO",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_SESSION_TOKEN": "bench",
}


def handlers() -> dict[str, str]:
    """Function logical id → dotted handler, as the template deploys them."""
    return {
        name: r["Properties"]["Handler"]
        for name, r in read_template()["Resources"].items()
        if r["Type"] == "AWS::Serverless::Function"
    }


@dataclass
class Measured:
    handler: str
    clients: list[str] | None  # None for the floor; else the services beyond DynamoDB
    seconds: list[float] = field(default_factory=list)
    first_call: list[float] = field(default_factory=list)
    packages: set[str] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def cold_import(target: Measured, floor_dir: str) -> dict[str, Any]:
    """CPU seconds of importing the handler in a fresh interpreter, then of making its first-call AWS
    clients, and the third-party packages the import loaded."""
    module, _, attribute = target.handler.rpartition(".")
    environment = {
        **LAMBDA_ENVIRONMENT,
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join([floor_dir, str(REPOSITORY / "functions")]),
    }
    clients = ["-"] if target.clients is None else ["table", *target.clients]
    answer = subprocess.run(
        [sys.executable, "-c", TIMER, module, attribute, *clients],
        capture_output=True,
        text=True,
        env=environment,
        cwd=floor_dir,
        timeout=120,
    )
    if answer.returncode != 0:
        raise RuntimeError(f"{target.handler} does not import: {answer.stderr.strip().splitlines()[-1]}")
    return json.loads(answer.stdout.strip().splitlines()[-1])


def measure(runs: int) -> dict[str, Measured]:
    """Function name → its measurements; the floor comes first."""
    targets = {"(floor)": Measured(f"{FLOOR_MODULE}.handler", clients=None)}
    targets |= {
        name: Measured(handler, clients=FIRST_CALL_CLIENTS.get(name, [])) for name, handler in handlers().items()
    }
    measured: dict[str, Measured] = {}
    with tempfile.TemporaryDirectory() as floor_dir:
        Path(floor_dir, f"{FLOOR_MODULE}.py").write_text(FLOOR_SOURCE)
        for name, target in targets.items():  # one untimed pass: byte-compile, warm the disk cache
            try:
                target.packages = set(cold_import(target, floor_dir)["packages"])
                measured[name] = target
            except RuntimeError as error:
                print(f"!! {name}: {error}")
        for _ in range(runs):
            for result in measured.values():
                answer = cold_import(result, floor_dir)
                result.seconds.append(answer["seconds"])
                if answer["first_call"] is not None:
                    result.first_call.append(answer["first_call"])
    return measured


def report(measured: dict[str, Measured]) -> bool:
    floor_name, *_ = measured
    floor = measured[floor_name]
    print(
        f"{'function':<20} {'handler':<36} {'median CPU ms':>13} {'x floor':>8}       "
        f"{'+ 1st call':>10}  packages beyond the floor's"
    )
    within = True
    for name, result in measured.items():
        ratio = result.median / floor.median
        verdict = "" if name == floor_name else ("ok  " if ratio <= TARGET else "OVER")
        within &= ratio <= TARGET
        first_call = f"{statistics.median(result.first_call) * 1000:.0f}" if result.first_call else "-"
        beyond = ", ".join(sorted(result.packages - floor.packages)) or "-"
        print(
            f"{name:<20} {result.handler:<36} {result.median * 1000:>13.0f} {ratio:>7.2f}x {verdict} "
            f"{first_call:>10}  {beyond}"
        )
    print(
        "+ 1st call: median CPU ms of the AWS clients made on the first invocation, not at import (not in the"
        " ratio):\n  the DynamoDB table for every function, and SES and Cognito too for "
        + ", ".join(FIRST_CALL_CLIENTS)
        + " (on each run)"
    )
    return within


def main() -> int:
    parser = argparse.ArgumentParser(description="cold import time of each Lambda function")
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters per function (median of these)")
    args = parser.parse_args()
    within = report(measure(args.runs))
    print(f"target: every function within {TARGET}x the floor: " + ("met" if within else "NOT met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
