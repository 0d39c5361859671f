from __future__ import annotations

import pytest

from codedesk.catalog import load_content
from codedesk.reviews.calendar import ReleaseCalendar
from codedesk.reviews.models import ReleaseRules, ReviewPolicy
from codedesk.template import REPOSITORY
from tests.staff_support import in_directory


@pytest.fixture(scope="session")
def release_calendar() -> ReleaseCalendar:
    """The calendar of the repository's own content/calendar files."""
    bundle, problems = load_content(REPOSITORY / "content")
    mine = [str(p) for p in problems if p.path.startswith("calendar/")]
    assert not mine, mine
    return ReleaseCalendar(bundle.one(ReleaseRules), bundle.one(ReviewPolicy))


# The people of the team `main` whom these tests assign reviews to.
TEAM = {"bea": "biller", "bo": "biller", "cy": "coder", "new-hire": "biller"} | {
    f"staff-{n:03}": "biller" for n in range(150)
}


@pytest.fixture(params=["sqlite_table", "dynamo_table"])
def review_table(request):
    """Both adapters: the no-duplicate and complete-once guarantees rest on their conditional writes."""
    table = request.getfixturevalue(request.param)
    in_directory(table, TEAM)
    return table


@pytest.fixture
def calendar_api_store(tmp_path, monkeypatch):
    """A store holding only the published release calendar, which every API handler reads.

    Publishing just this namespace keeps these tests about the calendar, whatever other content
    folders hold while they are being written."""
    from codedesk.content.publish import ItemSet, publish
    from codedesk.reviews import publish as reviews
    from codedesk.store.sqlite import SqliteTable
    from codedesk.web import deps

    bundle, _ = load_content(REPOSITORY / "content")
    store = SqliteTable(tmp_path / "calendar.db")
    publish(store, [ItemSet("reviews", reviews.PREFIXES, reviews.publish_items(bundle))])
    in_directory(store, TEAM | {"sam": "supervisor"})
    monkeypatch.setenv("CODEDESK_STORE", f"sqlite:///{store.path}")
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    deps.reset()
    yield store
    deps.reset()
