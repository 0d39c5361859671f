"""One contract, two adapters: the SQLite store must behave as DynamoDB (moto) does."""

from __future__ import annotations

import pytest

from codedesk.store.port import (
    ConditionCheck,
    ConditionFailed,
    Delete,
    LimitExceeded,
    Put,
    TransactionCanceled,
    Update,
    attr_equals,
    item_absent,
    item_exists,
    sk_begins_with,
    sk_between,
    sk_ge,
    sk_lt,
)


@pytest.fixture(params=["sqlite", "dynamo"])
def store(request):
    return request.getfixturevalue(f"{request.param}_table")


def _fill(store, pk: str, count: int, **extra) -> list[str]:
    sks = [f"ITEM#{n:03d}" for n in range(count)]
    for start in range(0, count, 25):
        store.batch_write(puts=[{"PK": pk, "SK": sk, **extra} for sk in sks[start : start + 25]])
    return sks


def test_put_get_round_trip_keeps_types(store):
    item = {
        "PK": "A",
        "SK": "1",
        "name": "Éloïse",
        "count": 3,
        "ratio": 0.25,
        "ok": True,
        "none": None,
        "tags": ["x", "y"],
        "nested": {"k": [1, {"z": "w"}]},
    }
    store.put(item)
    assert store.get("A", "1") == item
    assert store.get("A", "2") is None


def test_conditional_put_refuses_to_overwrite(store):
    store.put({"PK": "A", "SK": "1", "v": 1}, condition=item_absent())
    with pytest.raises(ConditionFailed):
        store.put({"PK": "A", "SK": "1", "v": 2}, condition=item_absent())
    assert store.get("A", "1")["v"] == 1


def test_update_sets_fields_and_checks_conditions(store):
    store.put({"PK": "A", "SK": "1", "status": "open", "n": 1})
    updated = store.update("A", "1", changes={"status": "done"}, condition=attr_equals("status", "open"))
    assert updated == {"PK": "A", "SK": "1", "status": "done", "n": 1}
    with pytest.raises(ConditionFailed):
        store.update("A", "1", changes={"status": "done"}, condition=attr_equals("status", "open"))
    with pytest.raises(ConditionFailed):
        store.update("B", "1", changes={"status": "x"}, condition=item_exists())
    assert store.get("B", "1") is None


def test_conditional_delete(store):
    store.put({"PK": "A", "SK": "1", "owner": "alice"})
    with pytest.raises(ConditionFailed):
        store.delete("A", "1", condition=attr_equals("owner", "bob"))
    store.delete("A", "1", condition=attr_equals("owner", "alice"))
    assert store.get("A", "1") is None


def test_query_sort_key_conditions_and_order(store):
    _fill(store, "P", 10)
    store.put({"PK": "P", "SK": "OTHER#1"})
    store.put({"PK": "Q", "SK": "ITEM#000"})
    assert [i["SK"] for i in store.query("P", sk=sk_begins_with("ITEM#00")).items] == [f"ITEM#00{n}" for n in range(10)]
    assert [i["SK"] for i in store.query("P", sk=sk_between("ITEM#003", "ITEM#005")).items] == [
        "ITEM#003",
        "ITEM#004",
        "ITEM#005",
    ]
    assert [i["SK"] for i in store.query("P", sk=sk_lt("ITEM#002")).items] == ["ITEM#000", "ITEM#001"]
    assert store.query("P", sk=sk_ge("OTHER")).items == [{"PK": "P", "SK": "OTHER#1"}]
    assert store.query("P", sk=sk_begins_with("ITEM#"), descending=True, limit=2).items[0]["SK"] == "ITEM#009"


def test_pagination_returns_every_item_once(store):
    sks = _fill(store, "P", 57)
    seen, cursor, pages = [], None, 0
    while True:
        page = store.query("P", limit=10, cursor=cursor)
        pages += 1
        seen += [i["SK"] for i in page.items]
        cursor = page.cursor
        if cursor is None:
            break
    assert seen == sks
    assert pages in (6, 7)  # DynamoDB may hand back one empty last page


def test_query_on_the_global_secondary_index(store):
    for n, due in enumerate(["2027-01-09", "2027-01-02", "2027-01-05"]):
        store.put({"PK": f"USER#{n}", "SK": "REVIEW#1", "GSI1PK": "DUE", "GSI1SK": due})
    store.put({"PK": "USER#9", "SK": "REVIEW#1"})  # not in the index
    page = store.query("DUE", index="GSI1", sk=sk_lt("2027-01-06"))
    assert [i["GSI1SK"] for i in page.items] == ["2027-01-02", "2027-01-05"]
    first = store.query("DUE", index="GSI1", limit=2)
    rest = store.query("DUE", index="GSI1", limit=2, cursor=first.cursor)
    assert [i["GSI1SK"] for i in first.items + rest.items] == ["2027-01-02", "2027-01-05", "2027-01-09"]


def test_query_pages_stop_at_one_megabyte(store):
    blob = "x" * 100_000
    _fill(store, "BIG", 25, blob=blob)
    first = store.query("BIG")
    assert 8 <= len(first.items) <= 11 and first.cursor is not None
    rest = store.query("BIG", cursor=first.cursor)
    assert len(first.items) + len(rest.items) <= 25


def test_batch_get_returns_found_items_only(store):
    _fill(store, "P", 5)
    found = store.batch_get([("P", "ITEM#001"), ("P", "ITEM#004"), ("P", "MISSING")])
    assert sorted(i["SK"] for i in found) == ["ITEM#001", "ITEM#004"]


def test_batch_write_rejects_26_items(store):
    with pytest.raises(LimitExceeded):
        store.batch_write(puts=[{"PK": "P", "SK": str(n)} for n in range(26)])
    assert store.query("P").items == []


def test_item_over_400_kb_is_rejected(store):
    with pytest.raises(LimitExceeded):
        store.put({"PK": "P", "SK": "big", "blob": "x" * (401 * 1024)})
    assert store.get("P", "big") is None
    store.put({"PK": "P", "SK": "fits", "blob": "x" * (390 * 1024)})
    assert len(store.get("P", "fits")["blob"]) == 390 * 1024


def test_transaction_is_all_or_nothing(store):
    store.put({"PK": "A", "SK": "1", "status": "open"})
    store.put({"PK": "C", "SK": "1"})
    with pytest.raises(TransactionCanceled) as canceled:
        store.transact_write(
            [
                Put({"PK": "B", "SK": "1", "v": 1}),
                Update("A", "1", {"status": "done"}, condition=attr_equals("status", "closed")),
            ]
        )
    assert canceled.value.reasons[1] == "ConditionalCheckFailed"
    assert store.get("B", "1") is None and store.get("A", "1")["status"] == "open"
    store.transact_write(
        [
            Put({"PK": "B", "SK": "1", "v": 1}, condition=item_absent()),
            Update("A", "1", {"status": "done"}, condition=attr_equals("status", "open")),
            ConditionCheck("C", "1", item_exists()),
        ]
    )
    assert store.get("B", "1") == {"PK": "B", "SK": "1", "v": 1}
    store.transact_write([Delete("B", "1")])
    assert store.get("B", "1") is None


def test_transaction_over_100_operations_is_rejected(store):
    with pytest.raises(LimitExceeded):
        store.transact_write([Put({"PK": "T", "SK": str(n)}) for n in range(101)])
    assert store.query("T").items == []


def test_scan_by_prefix_pages_through_everything(store):
    for prefix in ("CODE#A", "CODE#B", "TERM#A"):
        _fill(store, prefix, 30)
    seen, cursor = [], None
    while True:
        page = store.scan(pk_prefix="CODE#", cursor=cursor)
        seen += [(i["PK"], i["SK"]) for i in page.items]
        cursor = page.cursor
        if cursor is None:
            break
    assert len(seen) == 60 and {pk for pk, _ in seen} == {"CODE#A", "CODE#B"}


def test_round_trips_are_counted(store):
    _fill(store, "P", 3)
    store.stats.reset()
    store.get("P", "ITEM#000")
    store.query("P")
    assert store.stats.round_trips == 2 and store.stats.items_read == 4
