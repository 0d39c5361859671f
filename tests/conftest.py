"""Shared fixtures: stores (SQLite and moto's DynamoDB), published content, API handlers on a store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codedesk.catalog import content_item_sets, read_content
from codedesk.content.publish import publish
from codedesk.store.definition import table_definition
from codedesk.store.sqlite import SqliteTable
from codedesk.web import deps

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED_DATA = REPOSITORY.parent / "shared" / "data"
CONTENT = REPOSITORY / "content"
# A small extract of the real April 2026 tabular file (tests/codes/data), for servers started by tests.
MINI_ICD10CM = REPOSITORY / "tests" / "codes" / "data" / "mini-tabular-April-2026.xml"


@pytest.fixture
def sqlite_table(tmp_path: Path) -> SqliteTable:
    return SqliteTable(tmp_path / "store.db")


@pytest.fixture
def moto_dynamodb(monkeypatch: pytest.MonkeyPatch):
    """A DynamoDB client on moto's in-memory AWS, with test credentials in the environment."""
    import boto3
    from moto import mock_aws

    for name, value in {
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("dynamodb", region_name="us-east-1")


@pytest.fixture
def dynamo_table(moto_dynamodb):
    """A DynamoDB table in moto, created from the one definition in infra/template.yaml."""
    from codedesk.store.dynamodb import DynamoTable

    moto_dynamodb.create_table(**table_definition().create_table_arguments("codedesk-test"))
    return DynamoTable("codedesk-test", client=moto_dynamodb)


@pytest.fixture
def table(sqlite_table: SqliteTable) -> SqliteTable:
    """The store services are tested on; the contract suite proves DynamoDB behaves the same."""
    return sqlite_table


@pytest.fixture(scope="session")
def published_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """content/ published once per test session; tests get their own copy of the file."""
    path = tmp_path_factory.mktemp("published") / "store.db"
    store = SqliteTable(path)
    publish(store, content_item_sets(read_content(CONTENT)))
    store.close()
    return path


@pytest.fixture
def published(tmp_path: Path, published_file: Path) -> SqliteTable:
    """A store holding the published content/, private to the test."""
    path = tmp_path / "published.db"
    shutil.copy(published_file, path)
    return SqliteTable(path)


@pytest.fixture
def api_store(published: SqliteTable, monkeypatch: pytest.MonkeyPatch):
    """Point every API handler at `published` (as CODEDESK_STORE would on the local server)."""
    monkeypatch.setenv("CODEDESK_STORE", f"sqlite:///{published.path}")
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    deps.reset()
    yield published
    deps.reset()


class PortalServer:
    """A running `codedesk serve` on a free port, with its own data, build and content folders."""

    def __init__(self, root: Path):
        import socket

        self.root = root
        self.content = root / "content"
        shutil.copytree(CONTENT, self.content)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.store_url = f"sqlite:///{root / 'data' / 'codedesk.db'}"
        self.env = {
            **__import__("os").environ,
            "CODEDESK_DATA": str(root / "data"),
            "CODEDESK_BUILD": str(root / "build"),
            "CODEDESK_STORE": self.store_url,
            "POWERTOOLS_LOG_LEVEL": "WARNING",
        }
        self.process = None

    def command(self, *args: str) -> list[str]:
        return [str(REPOSITORY / ".venv" / "bin" / "codedesk"), *args]

    def start(self, timeout: float = 300) -> None:
        import subprocess
        import time
        import urllib.request

        log = open(self.root / "serve.log", "wb")  # closed with the process
        # The full ICD-10-CM import takes most of a minute; the session portal imports a small real sample.
        self.process = subprocess.Popen(
            self.command("serve", "--port", str(self.port), "--content", str(self.content), "--no-code-sets"),
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"codedesk serve exited:\n{(self.root / 'serve.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/api/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"codedesk serve did not answer in {timeout}s:\n{(self.root / 'serve.log').read_text()}")

    def import_code_set(self, system: str, path: Path) -> None:
        self.run("import", system, str(path))

    def run(self, *args: str) -> None:
        """A codedesk command against this server's store, as an administrator runs it beside the server."""
        import subprocess

        subprocess.run(self.command(*args, "--store", self.store_url), env=self.env, check=True, capture_output=True)

    def token(self, user: str, *groups: str) -> str:
        import subprocess

        return subprocess.run(
            self.command("token", user, "--groups", ",".join(groups)),
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def request(self, method: str, path: str, *, token: str | None = None, body=None, headers=None):
        """(status, parsed JSON or text, headers) of one request to the running server."""
        import json
        import urllib.error
        import urllib.request

        data = None
        sent = dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        if token:
            sent["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, raw, answer_headers = answer.status, answer.read(), dict(answer.headers)
        except urllib.error.HTTPError as error:
            status, raw, answer_headers = error.code, error.read(), dict(error.headers)
        text = raw.decode("utf-8", errors="replace")
        if "json" in answer_headers.get("Content-Type", ""):
            return status, json.loads(text), answer_headers
        return status, text, answer_headers

    def stop(self) -> int:
        import signal

        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            return self.process.wait(timeout=30)
        return self.process.returncode if self.process else 0


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory):
    """One `codedesk serve` for the whole session (the site build and publish are paid once)."""
    server = PortalServer(tmp_path_factory.mktemp("portal"))
    server.import_code_set("icd10cm", MINI_ICD10CM)
    server.start()
    yield server
    server.stop()


# The browser fixtures live in one module and are shared from here, so the whole session runs one browser.
from tests.browser_support import chromium as chromium, visit as visit
