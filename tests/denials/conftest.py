"""Fixtures of the denial tests: the published content as a ContentView, and the era835 corpus."""

from __future__ import annotations

from datetime import date

import pytest

from codedesk.content.view import ContentView, LivePointer
from codedesk.store.sqlite import SqliteTable
from tests.conftest import SHARED_DATA

ERA_DIR = SHARED_DATA / "era835"
TODAY = date(2026, 11, 23)


def needs_era_corpus(test):
    """Marks a test that reads the sample 835 files of ../shared/data (skipped where they are absent)."""
    skip = pytest.mark.skipif(not ERA_DIR.exists(), reason=f"the sample 835 files are not at {ERA_DIR}")
    return pytest.mark.corpus(skip(test))


def era_sample(name: str) -> str:
    return (ERA_DIR / name).read_text(encoding="ascii")


@pytest.fixture
def view(published: SqliteTable) -> ContentView:
    return LivePointer(published).view()
