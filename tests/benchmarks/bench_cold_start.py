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

REPOSITORY = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPOSITORY / "functions"))

from codedesk.template import read_template  # noqa: E402

TARGET = 1.3
FLOOR_MODULE = "minimal_powertools_handler"
FLOOR_SOURCE = '''
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
'''
TIMER = """
import importlib, json, sys, time
started = time.process_time()
module = importlib.import_module(sys.argv[1])
assert callable(getattr(module, sys.argv[2]))
seconds = time.process_time() - started
packages = {name.split(".")[0] for name in sys.modules} - set(sys.stdlib_module_names) - {"codedesk", "cython_runtime"}
print(json.dumps({"seconds": seconds, "packages": sorted(p for p in packages if not p.startswith("_"))}))
"""
LAMBDA_ENVIRONMENT = {"TABLE_NAME": "codedesk", "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_SERVICE_NAME": "codedesk",
                      "POWERTOOLS_METRICS_NAMESPACE": "Codedesk", "POWERTOOLS_LOG_LEVEL": "INFO"}


def handlers() -> dict[str, str]:
    """Function logical id → dotted handler, as the template deploys them."""
    return {name: r["Properties"]["Handler"] for name, r in read_template()["Resources"].items()
            if r["Type"] == "AWS::Serverless::Function"}


def cold_import(handler: str, floor_dir: str) -> tuple[float, set[str]]:
    """(CPU seconds, third-party packages loaded) of importing `handler` in a fresh interpreter."""
    module, _, attribute = handler.rpartition(".")
    environment = {**LAMBDA_ENVIRONMENT, "PATH": os.environ.get("PATH", ""),
                   "PYTHONPATH": os.pathsep.join([floor_dir, str(REPOSITORY / "functions")])}
    answer = subprocess.run([sys.executable, "-c", TIMER, module, attribute], capture_output=True, text=True,
                            env=environment, cwd=floor_dir, timeout=120)
    if answer.returncode != 0:
        raise RuntimeError(f"{handler} does not import: {answer.stderr.strip().splitlines()[-1]}")
    measured = json.loads(answer.stdout.strip().splitlines()[-1])
    return measured["seconds"], set(measured["packages"])


@dataclass
class Measured:
    handler: str
    seconds: list[float] = field(default_factory=list)
    packages: set[str] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def measure(runs: int) -> dict[str, Measured]:
    """Function name → its measurements; the floor comes first."""
    targets = {"(floor)": f"{FLOOR_MODULE}.handler", **handlers()}
    measured: dict[str, Measured] = {}
    with tempfile.TemporaryDirectory() as floor_dir:
        Path(floor_dir, f"{FLOOR_MODULE}.py").write_text(FLOOR_SOURCE)
        for name, handler in targets.items():  # one untimed pass: byte-compile, warm the disk cache
            try:
                measured[name] = Measured(handler, packages=cold_import(handler, floor_dir)[1])
            except RuntimeError as error:
                print(f"!! {name}: {error}")
        for _ in range(runs):
            for name, result in measured.items():
                result.seconds.append(cold_import(result.handler, floor_dir)[0])
    return measured


def report(measured: dict[str, Measured]) -> bool:
    floor_name, *_ = measured
    floor = measured[floor_name]
    print(f"{'function':<20} {'handler':<36} {'median CPU ms':>13} {'x floor':>8}  packages beyond the floor's")
    within = True
    for name, result in measured.items():
        ratio = result.median / floor.median
        verdict = "" if name == floor_name else ("ok  " if ratio <= TARGET else "OVER")
        within &= ratio <= TARGET
        beyond = ", ".join(sorted(result.packages - floor.packages)) or "-"
        print(f"{name:<20} {result.handler:<36} {result.median * 1000:>13.0f} {ratio:>7.2f}x {verdict} {beyond}")
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
