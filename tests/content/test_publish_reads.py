"""A publish reads the namespaces' manifests, not the table: no scan, and reads in proportion to what
changed. Counted by a wrapper around the table port, on SQLite and on DynamoDB (moto).

Measured on moto with content/ and a mini ICD-10-CM published (5,152 items), a second, unchanged
`publish` of content/: before manifests 25 scans reading 128,626 items (the whole table per
namespace prefix, as DynamoDB charges a filtered scan); with them 1 get and 6 queries reading 7
items (the pointer and the manifest chunks). With the full ICD-10-CM release imported (133,078
items), the same publish read 25 x 133,078 items before and 7 after; ICD-10-CM's own manifest
(128,338 keys) is 22 chunks, read by its next import instead of six scans.
"""

from __future__ import annotations

import pytest

from codedesk.catalog import content_item_sets, read_content
from codedesk.content.manifest import ALL_LISTED, MANIFESTS, manifest_pk, read_manifests
from codedesk.content.publish import ItemSet, content_hash, publish
from codedesk.content.view import NAMESPACE, POINTER, VERSIONS, LivePointer, visible_entry
from codedesk.store.port import StoreUnavailable, Table
from tests.conftest import CONTENT, MINI_ICD10CM
from tests.content.test_publish import FailingAfter


class CountingTable:
    """The table port, counting each call and the items it returned."""

    def __init__(self, table: Table):
        self.table = table
        self.calls: dict[str, int] = {}
        self.items_read = 0

    def __getattr__(self, name):
        return getattr(self.table, name)

    def _count(self, call: str, read: int) -> None:
        self.calls[call] = self.calls.get(call, 0) + 1
        self.items_read += read

    def get(self, pk, sk):
        item = self.table.get(pk, sk)
        self._count("get", 1 if item else 0)
        return item

    def query(self, pk, **kwargs):
        page = self.table.query(pk, **kwargs)
        self._count("query", len(page.items))
        return page

    def batch_get(self, keys):
        found = self.table.batch_get(keys)
        self._count("batch_get", len(found))
        return found

    def scan(self, **kwargs):
        page = self.table.scan(**kwargs)
        self._count("scan", len(page.items))
        return page

    def reset(self) -> None:
        self.calls.clear()
        self.items_read = 0


def _demo(titles: dict[str, str], namespace: str = "demo") -> list[ItemSet]:
    items = [{"PK": f"DEMO#{code}", "SK": "CARD", "title": title} for code, title in titles.items()]
    return [ItemSet(namespace, ("DEMO#",), items)]


def _view(table):
    return LivePointer(table, max_age=0).view()


def test_a_second_publish_of_content_reads_the_manifests_only(published):
    bundle = read_content(CONTENT)
    counting = CountingTable(published)
    report = publish(counting, content_item_sets(bundle))
    assert not report.changed and report.written == 0
    assert "scan" not in counting.calls
    assert set(counting.calls) == {"get", "query"}  # the pointer, then one query per namespace's manifest
    assert counting.calls["query"] == len(content_item_sets(bundle))
    assert counting.items_read <= 2 * len(content_item_sets(bundle))


def test_a_change_reads_only_the_changed_items(table):
    publish(table, _demo({str(n): f"v1 {n}" for n in range(300)}))
    counting = CountingTable(table)
    report = publish(counting, _demo({**{str(n): f"v1 {n}" for n in range(300)}, "7": "v2 7", "new": "fresh"}))
    assert (report.written, report.unchanged) == (2, 299)
    assert "scan" not in counting.calls
    assert counting.calls["batch_get"] == 1 and counting.items_read == 1 + 1 + 1  # pointer, manifest, item 7
    assert _view(table).get("DEMO#7", "CARD")["title"] == "v2 7"


def test_the_manifest_lists_what_readers_see(table):
    """After publishes that add, change, remove and fail half-way, the manifest is the table's truth."""
    publish(table, _demo({"a": "1", "b": "1", "c": "1"}))
    publish(table, _demo({"a": "2", "b": "1", "d": "1"}))  # c tombstoned
    with pytest.raises(StoreUnavailable):
        publish(FailingAfter(table, batches=0), _demo({"a": "3", "e": "1"}))
    publish(table, _demo({"a": "2", "d": "1"}))  # b tombstoned, c deleted; the failed entries cleaned
    pointer = table.get(*POINTER)
    version = pointer["version"]
    listed = read_manifests(table, "demo").entries[pointer[MANIFESTS]["demo"]]
    stored = {}
    cursor = None
    while True:
        page = table.scan(pk_prefix="DEMO#", cursor=cursor)
        for item in page.items:
            entry = visible_entry(item[VERSIONS], version)
            assert not any(e[0] > version for e in item[VERSIONS]), item  # nothing half-written is left
            stored[(item["PK"], item["SK"])] = entry[1] if entry else "invisible"
        cursor = page.cursor
        if cursor is None:
            break
    assert (
        listed
        == stored
        == {
            ("DEMO#a", "CARD"): content_hash({"title": "2"}),
            ("DEMO#b", "CARD"): None,
            ("DEMO#d", "CARD"): content_hash({"title": "1"}),
        }
    )
    assert _view(table).get("DEMO#e", "CARD") is None
    assert set(read_manifests(table, "demo").chunks) == {version}  # earlier and stopped manifests are gone


def test_new_items_of_a_stopped_publish_never_surface(table):
    publish(table, _demo({"a": "1"}))
    with pytest.raises(StoreUnavailable):
        publish(FailingAfter(table, batches=0), _demo({"a": "1", "b": "1"}))
    table.batch_write(
        puts=[
            {
                "PK": "DEMO#b",
                "SK": "CARD",
                NAMESPACE: "demo",
                VERSIONS: [[table.get(*POINTER)["next_version"], "x", {"title": "half"}]],
            }
        ]
    )
    # Another namespace goes live at a higher version first: the stopped entries must not surface.
    assert publish(table, [ItemSet("other", ("OTHER#",), [{"PK": "OTHER#1", "SK": "X"}])]).changed
    assert _view(table).get("DEMO#b", "CARD") is None and table.get("DEMO#b", "CARD") is None
    assert _view(table).get("DEMO#a", "CARD")["title"] == "1"
    assert publish(table, _demo({"a": "1"})).written == 0


def test_a_table_published_before_manifests_is_scanned_once(table):
    publish(table, _demo({"a": "1", "b": "1"}))
    # What a table published by the previous code looks like: no manifests, an unmarked pointer.
    for _version, keys in read_manifests(table, "demo").chunks.items():
        table.batch_write(deletes=keys)
    pointer = table.get(*POINTER)
    table.put({k: v for k, v in pointer.items() if k not in (MANIFESTS, ALL_LISTED)})
    counting = CountingTable(table)
    report = publish(counting, _demo({"a": "1", "b": "2"}))
    assert report.written == 1 and counting.calls["scan"] >= 1
    counting.reset()
    assert publish(counting, _demo({"a": "1", "b": "2"})).written == 0
    assert "scan" not in counting.calls


def test_an_import_reads_the_code_records_by_key_not_by_scan(sqlite_table):
    from codedesk.codes.importer import import_code_sets

    previous = MINI_ICD10CM.with_name("mini-tabular-April-2025.xml")
    import_code_sets(sqlite_table, "icd10cm", [previous], release="2025-04-01")
    counting = CountingTable(sqlite_table)
    report = import_code_sets(counting, "icd10cm", [MINI_ICD10CM])
    assert report.publish.written > 0
    assert "scan" not in counting.calls


def test_serve_on_unchanged_content_checks_the_manifests_and_writes_nothing(published, monkeypatch, capsys):
    """`codedesk serve` publishes on every start; unchanged content costs the manifest check only."""
    from codedesk import cli, store
    from codedesk.codes.pages import release_pages_from_store

    counting = CountingTable(published)
    monkeypatch.setattr(store, "open_store", lambda url: counting)
    published.stats.reset()
    assert cli.publish_content("dynamodb://codedesk-test", CONTENT) == 0
    assert "content unchanged" in capsys.readouterr().out
    release_pages_from_store(counting)  # the site build's read of imported releases
    assert "scan" not in counting.calls and published.stats.items_written == 0


def test_on_dynamodb_a_second_publish_makes_no_scan(dynamo_table):
    counting = CountingTable(dynamo_table)
    publish(counting, _demo({str(n): "x" for n in range(40)}))
    assert "scan" not in counting.calls  # a new table: every namespace is listed, none is scanned for
    counting.reset()
    report = publish(counting, _demo({**{str(n): "x" for n in range(40)}, "3": "y"}))
    assert report.written == 1 and "scan" not in counting.calls
    assert counting.calls == {"get": 1, "query": 1, "batch_get": 1}
    assert dynamo_table.query(manifest_pk("demo")).items[0]["chunks"] == 1
    assert _view(dynamo_table).get("DEMO#3", "CARD")["title"] == "y"


class PublishesMeanwhile:
    """A table on which another publish runs to its end while this one reads its manifests."""

    def __init__(self, table, other: list[ItemSet]):
        self.table, self.other = table, other

    def __getattr__(self, name):
        return getattr(self.table, name)

    def query(self, pk, **kwargs):
        if self.other:
            other, self.other = self.other, []
            publish(self.table, other)
        return self.table.query(pk, **kwargs)


def test_a_publish_that_another_one_overtakes_is_refused_and_leaves_its_content(table):
    from codedesk.content.publish import PublishError

    publish(table, _demo({"a": "1"}))
    with pytest.raises(PublishError, match="another publish"):
        publish(PublishesMeanwhile(table, _demo({"a": "from B"})), _demo({"a": "from A"}))
    assert _view(table).get("DEMO#a", "CARD")["title"] == "from B"
    assert publish(table, _demo({"a": "from A"})).written == 1  # run again, it goes through
    assert _view(table).get("DEMO#a", "CARD")["title"] == "from A"
