"""Reading published reference data at one consistent content version.

Every published item keeps, in its attribute `v`, a short list of `[version, hash, data]` entries
(ascending; `data` is null for a deletion). A reader fixes the live version once per request and
sees, for every item, the newest entry at or below it. A publish writes its entries under a new
version and only then moves the live pointer, so readers see the previous content until the
publish has finished, and never a mix.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

# The pointer and namespace keys are the store's (backups tell reference data by them); named here
# too for the publisher and readers of versioned content.
from codedesk.store.keys import NAMESPACE as NAMESPACE, POINTER as POINTER
from codedesk.store.port import Item, KeyCondition, Page, Table

POINTER_CACHE_SECONDS = 2.0
VERSIONS = "v"


def visible_entry(entries: Sequence[Sequence[Any]], version: int) -> Sequence[Any] | None:
    """The newest `[version, hash, data]` entry at or below `version`."""
    found = None
    for entry in entries:
        if entry[0] <= version:
            found = entry
    return found


def visible_data(item: Item, version: int) -> Item | None:
    """The plain item (PK, SK and data) that a reader at `version` sees, or None."""
    entry = visible_entry(item.get(VERSIONS, ()), version)
    if entry is None or entry[2] is None:
        return None
    return {"PK": item["PK"], "SK": item["SK"], **entry[2]}


class ContentView:
    """Reference data at one content version: the same reads as the table port, unwrapped."""

    def __init__(self, table: Table, version: int):
        self.table = table
        self.version = version

    def get(self, pk: str, sk: str) -> Item | None:
        item = self.table.get(pk, sk)
        return visible_data(item, self.version) if item else None

    def batch_get(self, keys: Sequence[tuple[str, str]]) -> list[Item]:
        found = []
        for start in range(0, len(keys), 100):
            for item in self.table.batch_get(keys[start : start + 100]):
                if (data := visible_data(item, self.version)) is not None:
                    found.append(data)
        return found

    def query(
        self,
        pk: str,
        *,
        sk: KeyCondition | None = None,
        index: str | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        descending: bool = False,
    ) -> Page:
        """Like Table.query; items not visible at this version are left out of the page."""
        page = self.table.query(pk, sk=sk, index=index, limit=limit, cursor=cursor, descending=descending)
        items = [data for item in page.items if (data := visible_data(item, self.version)) is not None]
        return Page(items, page.cursor)


class LivePointer:
    """The live content version, cached briefly so that most requests pay no extra round trip."""

    def __init__(self, table: Table, max_age: float = POINTER_CACHE_SECONDS):
        self.table = table
        self.max_age = max_age
        self._lock = threading.Lock()
        self._read_at = -1e9
        self._pointer: Item = {}

    def pointer(self) -> Item:
        with self._lock:
            if time.monotonic() - self._read_at > self.max_age:
                self._pointer = self.table.get(*POINTER) or {}
                self._read_at = time.monotonic()
            return self._pointer

    def view(self) -> ContentView:
        return ContentView(self.table, int(self.pointer().get("version", 0)))


class Versioned(Protocol):
    """What a VersionCache keys its values by: a reader of one table at one content version
    (ContentView, or any reader with the same two attributes)."""

    table: Table
    version: int


Key = TypeVar("Key", bound=Hashable)


class VersionCache:
    """Values derived from published content, kept in memory for one table at one content version.

    Content never changes under a version, so a kept value is never stale; the first value of a
    newer version (or of another table, as in tests) empties the cache, and a reader still at an
    older version keeps nothing. Past `capacity` (in the sizes the caller gives, e.g. characters)
    the least recently used values are dropped."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._lock = threading.Lock()
        self._table: Table | None = None  # held, so that no other table can take its identity
        self._version = -1
        self._values: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._size = 0

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._size = 0

    def get(self, view: Versioned, key: Hashable) -> Any | None:
        with self._lock:
            if view.table is not self._table or view.version != self._version or key not in self._values:
                return None
            self._values.move_to_end(key)
            return self._values[key][0]

    def get_many(self, view: Versioned, keys: Iterable[Key]) -> dict[Key, Any]:
        """The values kept of `keys` (those not kept are left out), under one lock."""
        with self._lock:
            if view.table is not self._table or view.version != self._version:
                return {}
            found = {}
            for key in keys:
                kept = self._values.get(key)
                if kept is not None:
                    self._values.move_to_end(key)
                    found[key] = kept[0]
            return found

    def put(self, view: Versioned, key: Hashable, value: Any, size: int) -> None:
        with self._lock:
            if view.table is not self._table or view.version > self._version:
                self._table, self._version, self._size = view.table, view.version, 0
                self._values.clear()
            if view.version != self._version or size > self.capacity:
                return  # a reader still at an older version, or a value larger than the whole cache
            if key in self._values:
                self._size -= self._values.pop(key)[1]
            self._values[key] = (value, size)
            self._size += size
            while self._size > self.capacity:
                self._size -= self._values.popitem(last=False)[1][1]
