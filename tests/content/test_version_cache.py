"""What a warm Lambda keeps of published content between requests: only values of the version its
readers are at, never more than its capacity, nothing of an older version or of another table."""

from __future__ import annotations

from codedesk.content.view import ContentView, VersionCache

TABLE, OTHER_TABLE = object(), object()


def at(version: int, table: object = TABLE) -> ContentView:
    return ContentView(table, version)


def test_values_are_kept_for_their_version_only():
    cache = VersionCache(capacity=100)
    cache.put(at(3), "pain", "postings of pain at v3", size=10)
    assert cache.get(at(3), "pain") == "postings of pain at v3"
    assert cache.get(at(4), "pain") is None  # a reader of a newer version never sees v3's value
    cache.put(at(4), "left", "postings of left at v4", size=10)
    assert cache.get(at(3), "pain") is None  # a newer version empties the cache
    cache.put(at(3), "pain", "late reader of v3", size=10)
    assert cache.get(at(3), "pain") is None and cache.get(at(4), "left") == "postings of left at v4"


def test_another_table_at_the_same_version_is_another_content():
    cache = VersionCache(capacity=100)
    cache.put(at(2), "pain", "pain in table one", size=10)
    assert cache.get(at(2, OTHER_TABLE), "pain") is None
    cache.put(at(1, OTHER_TABLE), "pain", "pain in table two", size=10)
    assert cache.get(at(1, OTHER_TABLE), "pain") == "pain in table two" and cache.get(at(2), "pain") is None


def test_the_least_recently_used_values_go_first_past_capacity():
    cache = VersionCache(capacity=30)
    for word in ("pain", "left", "fracture"):
        cache.put(at(1), word, word.upper(), size=10)
    cache.get(at(1), "pain")  # used: now the newest
    cache.put(at(1), "ulcer", "ULCER", size=10)
    assert [w for w in ("pain", "left", "fracture", "ulcer") if cache.get(at(1), w)] == ["pain", "fracture", "ulcer"]
    cache.put(at(1), "everything", "too big", size=31)
    assert cache.get(at(1), "everything") is None and cache.get(at(1), "ulcer") == "ULCER"
    cache.clear()
    assert cache.get(at(1), "ulcer") is None


def test_many_values_are_read_at_once_with_the_same_rules():
    cache = VersionCache(capacity=30)
    for word in ("pain", "left", "fracture"):
        cache.put(at(1), word, word.upper(), size=10)
    assert cache.get_many(at(1), ["left", "ulcer", "pain"]) == {"left": "LEFT", "pain": "PAIN"}
    assert cache.get_many(at(2), ["left"]) == {} and cache.get_many(at(1, OTHER_TABLE), ["left"]) == {}
    cache.put(at(1), "ulcer", "ULCER", size=10)  # "fracture" was used least lately: it goes
    assert cache.get_many(at(1), ["pain", "left", "fracture", "ulcer"]).keys() == {"pain", "left", "ulcer"}
