"""`make load`: locust against `codedesk serve` on this machine, then a soak that watches memory.

Prints requests/s, latency percentiles and failures for the load run (8 users by default), and the
resident memory of the server at the start and end of the soak. Only loopback traffic; every run is
bounded in time and stops by itself.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
BIN = REPOSITORY / ".venv" / "bin"
USERS = int(os.environ.get("LOAD_USERS", "8"))
LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
SOAK_SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
TARGET_RPS, TARGET_P99_MS, TARGET_RSS_GROWTH = 500, 50, 0.10


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def start_server(port: int) -> subprocess.Popen:
    data = REPOSITORY / "build" / "load-data"
    env = {**os.environ, "CODEDESK_DATA": str(data), "POWERTOOLS_LOG_LEVEL": "WARNING"}
    env.pop("CODEDESK_STORE", None)
    log = open(REPOSITORY / "build" / "load-serve.log", "wb")  # lives as long as the server
    server = subprocess.Popen(
        [str(BIN / "codedesk"), "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"codedesk serve stopped; see {log.name}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    sys.exit("codedesk serve did not come up in 15 minutes")


def run_locust(port: int, seconds: int, prefix: Path) -> dict[str, float]:
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "-u",
            str(USERS),
            "-r",
            str(USERS),
            "-t",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "5",
            "--exit-code-on-error",
            "0",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", newline="") as stream:
        total = next(row for row in csv.DictReader(stream) if row["Name"] == "Aggregated")
    return {
        "requests": float(total["Request Count"]),
        "failures": float(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
    }


def main() -> int:
    (REPOSITORY / "build").mkdir(exist_ok=True)
    port = free_port()
    server = start_server(port)
    results = Path(tempfile.mkdtemp(prefix="codedesk-load-"))
    try:
        load = run_locust(port, LOAD_SECONDS, results / "load")
        print(f"load: {USERS} users for {LOAD_SECONDS}s on {os.cpu_count()} cores (locust on the same machine)")
        print(f"  {'':<12}{'measured':>12}{'target':>12}")
        print(f"  {'requests/s':<12}{load['rps']:>12.0f}{'>= ' + str(TARGET_RPS):>12}")
        print(f"  {'p50 ms':<12}{load['p50']:>12.0f}{'':>12}")
        print(f"  {'p95 ms':<12}{load['p95']:>12.0f}{'':>12}")
        print(f"  {'p99 ms':<12}{load['p99']:>12.0f}{'<= ' + str(TARGET_P99_MS):>12}")
        print(f"  {'failures':<12}{load['failures']:>12.0f}{'0':>12}   of {load['requests']:.0f} requests")
        if SOAK_SECONDS:
            before = resident_kib(server.pid)
            soak = run_locust(port, SOAK_SECONDS, results / "soak")
            after = resident_kib(server.pid)
            growth = (after - before) / before
            print(
                f"soak: {SOAK_SECONDS}s, {soak['requests']:.0f} requests, {soak['failures']:.0f} failures, "
                f"p99 {soak['p99']:.0f} ms"
            )
            print(
                f"  resident memory {before / 1024:.1f} MiB -> {after / 1024:.1f} MiB "
                f"({growth:+.1%}; target < {TARGET_RSS_GROWTH:.0%})"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
