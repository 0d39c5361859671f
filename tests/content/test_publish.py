"""Publishing is diff-based and atomic for readers: they see the previous version until it is done."""

from __future__ import annotations

import pytest

from codedesk.content.publish import ItemSet, PublishError, publish
from codedesk.content.view import LivePointer
from codedesk.store.port import StoreUnavailable


def _set(items, namespace="demo", fingerprint=None):
    return ItemSet(namespace, ("DEMO#",), items, fingerprint)


def _items(titles: dict[str, str]):
    return [{"PK": f"DEMO#{code}", "SK": "CARD", "title": title} for code, title in titles.items()]


def _view(table):
    return LivePointer(table, max_age=0).view()


def test_second_publish_of_unchanged_content_writes_nothing(table):
    first = publish(table, [_set(_items({"16": "Missing information", "45": "Contractual"}))])
    assert first.written == 2 and first.version == 1
    table.stats.reset()
    second = publish(table, [_set(_items({"16": "Missing information", "45": "Contractual"}))])
    assert second.written == 0 and second.deleted == 0 and not second.changed
    assert table.stats.items_written == 0


def test_a_change_writes_only_what_changed_and_keeps_old_readers_consistent(table):
    publish(table, [_set(_items({"16": "old 16", "45": "old 45", "97": "old 97"}))])
    old_view = _view(table)
    report = publish(table, [_set(_items({"16": "new 16", "45": "old 45"}))])
    assert (report.written, report.deleted, report.unchanged) == (2, 0, 1)  # 16 rewritten, 97 tombstoned
    new_view = _view(table)
    assert new_view.get("DEMO#16", "CARD")["title"] == "new 16"
    assert new_view.get("DEMO#97", "CARD") is None
    # A request that fixed its version before the publish still reads the previous content whole.
    assert old_view.get("DEMO#16", "CARD")["title"] == "old 16"
    assert old_view.get("DEMO#97", "CARD")["title"] == "old 97"


class FailingAfter:
    """A table that stops answering after a number of batch writes, as a crash half-way would."""

    def __init__(self, table, batches: int):
        self.table, self.batches = table, batches

    def __getattr__(self, name):
        return getattr(self.table, name)

    def batch_write(self, puts=(), deletes=()):
        if self.batches == 0:
            raise StoreUnavailable("injected failure")
        self.batches -= 1
        self.table.batch_write(puts=puts, deletes=deletes)


def test_a_publish_that_fails_half_way_leaves_the_previous_version_serving(table):
    publish(table, [_set(_items({f"{n}": f"v1 {n}" for n in range(60)}))])
    with pytest.raises(StoreUnavailable):
        publish(FailingAfter(table, batches=1), [_set(_items({f"{n}": f"v2 {n}" for n in range(60)}))])
    view = _view(table)
    assert view.version == 1
    assert {view.get(f"DEMO#{n}", "CARD")["title"] for n in range(60)} == {f"v1 {n}" for n in range(60)}
    # The next publish finishes the job, and readers then see the new content whole.
    report = publish(table, [_set(_items({f"{n}": f"v2 {n}" for n in range(60)}))])
    assert report.written == 60
    view = _view(table)
    assert {view.get(f"DEMO#{n}", "CARD")["title"] for n in range(60)} == {f"v2 {n}" for n in range(60)}


def test_half_written_entries_are_cleaned_even_when_content_goes_back(table):
    original = _items({f"{n}": "A" for n in range(30)})
    publish(table, [_set(original)])
    with pytest.raises(StoreUnavailable):
        publish(FailingAfter(table, batches=1), [_set(_items({f"{n}": "B" for n in range(30)}))])
    # The editor reverts to the original and adds one card: the failed publish's "B" entries
    # must not surface once this publish goes live.
    publish(table, [_set([*original, *_items({"new": "C"})])])
    view = _view(table)
    assert {view.get(f"DEMO#{n}", "CARD")["title"] for n in range(30)} == {"A"}
    assert view.get("DEMO#new", "CARD")["title"] == "C"


def test_namespaces_are_independent(table):
    publish(table, [_set(_items({"1": "one"}))])
    publish(table, [ItemSet("other", ("OTHER#",), [{"PK": "OTHER#x", "SK": "X", "v": 1}])])
    assert _view(table).get("DEMO#1", "CARD")["title"] == "one"


def test_items_outside_the_namespace_or_twice_are_refused(table):
    with pytest.raises(PublishError, match="outside"):
        publish(table, [_set([{"PK": "ELSEWHERE#1", "SK": "X"}])])
    with pytest.raises(PublishError, match="twice"):
        publish(table, [_set(_items({"1": "a"}) * 2)])
    assert _view(table).version == 0


def test_unchanged_fingerprint_skips_the_set_without_reading_it(table):
    publish(table, [_set(_items({"1": "a"}), fingerprint="f1")])

    def exploding():
        raise AssertionError("a set with an unchanged fingerprint must not be read")
        yield

    report = publish(table, [_set(exploding(), fingerprint="f1")])
    assert report.skipped_namespaces == ["demo"] and report.written == 0
