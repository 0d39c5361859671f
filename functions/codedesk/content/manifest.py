"""The publish manifest: what a namespace holds, so that a publish diffs without scanning the table.

For every item of a namespace the manifest lists its key and the hash of the entry readers see at
the version the manifest was written for ("-" for a tombstone). It lives in the namespace's own
partition, `META#MANIFEST#<namespace>`, cut into chunks well under DynamoDB's 400 KB item limit:
SK `<version, 10 digits>#<chunk, 4 digits>`, attribute `keys` holding lines `PK<TAB>SK<TAB>hash`.
A publish reads it with one query (a page per ~3 chunks; ICD-10-CM's namespace needs a handful).

The live pointer's `manifests` map names the version of each namespace's current manifest. Chunks
under another version are either a publish's intent (written before its items: a version above the
current manifest whose pointer switch never happened, so its keys may hold half-written entries)
or left-overs that the next publish of the namespace deletes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from codedesk.content.view import POINTER
from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item, Table

ItemKey = tuple[str, str]
Entries = dict[ItemKey, str | None]  # item key -> hash of the visible entry, None for a tombstone

MANIFESTS = "manifests"  # the pointer's attribute: namespace -> version of its current manifest
# The pointer's mark of a table published with manifests from the start: a namespace without one
# has no items, so it is not scanned for (a table published before manifests scans each namespace once).
ALL_LISTED = "manifests_complete"
# The pointer's attribute: namespace -> version of a publish that reserved its version and has not
# gone live (still writing, or stopped); the next publish takes that one's entries off before its own switch.
PUBLISHING = "publishing"
KEYS = "keys"
TOMBSTONE = "-"
CHUNK_BYTES = 300 * 1024


def manifest_pk(namespace: str) -> str:
    return key(Prefix.META, "MANIFEST", namespace)


def chunk_sk(version: int, chunk: int) -> str:
    return f"{version:010d}#{chunk:04d}"


def _line(item_key: ItemKey, digest: str | None) -> str:
    pk, sk = item_key
    if any(c in pk + sk for c in "\t\n"):
        raise ValueError(f"item {pk!r}/{sk!r}: a key with a tab or a line break cannot be listed in a manifest")
    return f"{pk}\t{sk}\t{digest or TOMBSTONE}\n"


def manifest_items(namespace: str, version: int, entries: Entries) -> list[Item]:
    """The chunks of a manifest (at least one, so that an empty namespace has a manifest too)."""
    pk, size = manifest_pk(namespace), 0
    chunks: list[str] = []
    current: list[str] = []
    for item_key in sorted(entries):
        line = _line(item_key, entries[item_key])
        if size + len(line.encode()) > CHUNK_BYTES and current:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line.encode())
    chunks.append("".join(current))
    return [{"PK": pk, "SK": chunk_sk(version, n), KEYS: text, "chunks": len(chunks)} for n, text in enumerate(chunks)]


def _stored_chunks(table: Table, namespace: str) -> Iterator[Item]:
    cursor = None
    while True:
        page = table.query(manifest_pk(namespace), cursor=cursor)
        yield from page.items
        cursor = page.cursor
        if cursor is None:
            return


@dataclass
class StoredManifests:
    entries: dict[int, Entries] = field(default_factory=dict)  # complete manifests, by version
    chunks: dict[int, list[ItemKey]] = field(default_factory=dict)  # every stored chunk's key, by version


def read_manifests(table: Table, namespace: str) -> StoredManifests:
    """Every manifest stored for `namespace`; a version missing a chunk has no entries (a publish
    stopped while writing it, so before writing any item)."""
    found: dict[int, dict[int, Item]] = {}
    for item in _stored_chunks(table, namespace):
        version, chunk = (int(part) for part in item["SK"].split("#"))
        found.setdefault(version, {})[chunk] = item
    stored = StoredManifests()
    for version, chunks in found.items():
        stored.chunks[version] = [(c["PK"], c["SK"]) for c in chunks.values()]
        expected = {int(c.get("chunks", 0)) for c in chunks.values()}
        if len(expected) != 1 or set(chunks) != set(range(expected.pop())):
            continue
        entries: Entries = {}
        for n in sorted(chunks):
            for line in chunks[n][KEYS].splitlines():
                pk, sk, digest = line.split("\t")
                entries[(pk, sk)] = None if digest == TOMBSTONE else digest
        stored.entries[version] = entries
    return stored


def listed_keys(table: Table, namespace: str) -> list[ItemKey] | None:
    """The keys of the items readers see in `namespace` (tombstones left out), from its current
    manifest; None when the namespace was published before manifests existed."""
    pointer = table.get(*POINTER) or {}
    version = pointer.get(MANIFESTS, {}).get(namespace)
    if version is None:
        return [] if not pointer or pointer.get(ALL_LISTED) else None
    entries = read_manifests(table, namespace).entries.get(int(version))
    if entries is None:
        return None
    return sorted(k for k, digest in entries.items() if digest is not None)
