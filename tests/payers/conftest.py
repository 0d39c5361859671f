"""The five payer sheets of content/payers, published into a SQLite store with the real publisher.

Only the payers item set is published, so these tests do not depend on the state of other
domains' content."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from codedesk.catalog import load_content
from codedesk.content.bundle import ContentBundle
from codedesk.content.publish import ItemSet, publish
from codedesk.content.view import LivePointer
from codedesk.payers import publish as payers_publish
from codedesk.store.sqlite import SqliteTable
from codedesk.web import deps

CONTENT = Path(__file__).resolve().parents[2] / "content"
TODAY = date(2026, 11, 23)
MEDICARE = "medicare-part-b-novitas"
PAYER_IDS = [
    "aetna-commercial",
    "humana-medicare-advantage",
    MEDICARE,
    "new-york-medicaid",
    "unitedhealthcare-commercial",
]


@pytest.fixture(scope="session")
def payer_bundle() -> ContentBundle:
    bundle, problems = load_content(CONTENT)
    ours = [p for p in problems if p.path.startswith("payers/") and p.severity == "error"]
    assert not ours, "\n".join(map(str, ours))
    return bundle


@pytest.fixture
def payer_store(tmp_path: Path, payer_bundle: ContentBundle) -> SqliteTable:
    store = SqliteTable(tmp_path / "payers.db")
    publish(store, [ItemSet("payers", payers_publish.PREFIXES, payers_publish.publish_items(payer_bundle))])
    return store


@pytest.fixture
def view(payer_store: SqliteTable):
    return LivePointer(payer_store).view()


@pytest.fixture
def payers_api(payer_store: SqliteTable, monkeypatch: pytest.MonkeyPatch):
    """The payers Lambda handler reading `payer_store`."""
    monkeypatch.setenv("CODEDESK_STORE", f"sqlite:///{payer_store.path}")
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    deps.reset()
    from codedesk.payers.api import handler

    yield handler
    deps.reset()
