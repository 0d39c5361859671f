"""The embedded store: the table port on one SQLite file.

Safe for many concurrent readers and one writer at a time (WAL journal; writers take the lock up
front with BEGIN IMMEDIATE). Every write is one SQLite transaction, so a process killed mid-write
leaves either all of it or none of it. DynamoDB's limits are enforced here too.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from codedesk.store import cursors, limits
from codedesk.store.definition import TableDefinition, table_definition
from codedesk.store.port import (
    MAX_QUERY_PAGE_BYTES,
    Condition,
    ConditionCheck,
    ConditionFailed,
    Delete,
    Item,
    KeyCondition,
    Page,
    Put,
    StoreUnavailable,
    TableStats,
    TransactionCanceled,
    TransactOp,
    Update,
    condition_holds,
    op_key,
)

SCAN_PAGE = 1000
CURSOR_KIND = "sq"  # the values of the ordering columns of the last item read
MMAP_BYTES = 1 << 30  # address space only: the pages stay the operating system's file cache


class SqliteTable:
    def __init__(self, path: str | Path, definition: TableDefinition | None = None):
        self.path = Path(path)
        self.definition = definition or table_definition()
        self.stats = TableStats()
        self._local = threading.local()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._index_columns = [c for i in self.definition.indexes for c in (i.partition, i.sort)]
        self._create_schema()

    # ------------------------------------------------------------------ connection

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a committed write survives the process being killed (it is in the
            # WAL); only an operating-system crash could drop the last commits.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            # The default 2 MB page cache loses the B-tree's inner pages to every large code-index
            # item read, and the next read walks the tree from the file again; 64 MB keeps them.
            conn.execute("PRAGMA cache_size=-65536")
            # Reads map the file rather than copy each page in by a system call: a code search's
            # batch gets land on random pages of a file of hundreds of MB, and measured over the
            # benchmark's batches this halves the time SQLite takes to hand them over.
            conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _create_schema(self) -> None:
        columns = "".join(f', "{c}" TEXT' for c in self._index_columns)
        conn = self._connection()
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS items (pk TEXT NOT NULL, sk TEXT NOT NULL, size INTEGER NOT NULL,"
            f" body TEXT NOT NULL{columns}, PRIMARY KEY (pk, sk)) WITHOUT ROWID"
        )
        for index in self.definition.indexes:
            conn.execute(
                f'CREATE INDEX IF NOT EXISTS "ix_{index.name}" ON items'
                f' ("{index.partition}", "{index.sort}", pk, sk) WHERE "{index.partition}" IS NOT NULL'
            )

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise StoreUnavailable(f"the store is busy: {error}") from error
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    # --------------------------------------------------------------------- helpers

    def _load(self, conn: sqlite3.Connection, pk: str, sk: str) -> Item | None:
        row = conn.execute("SELECT body FROM items WHERE pk = ? AND sk = ?", (pk, sk)).fetchone()
        return json.loads(row[0]) if row else None

    def _store(self, conn: sqlite3.Connection, item: Item) -> None:
        limits.check_item(item)
        index_values = [item.get(c) if isinstance(item.get(c), str) else None for c in self._index_columns]
        placeholders = ", ".join("?" for _ in range(4 + len(index_values)))
        columns = "".join(f', "{c}"' for c in self._index_columns)
        conn.execute(
            f"INSERT OR REPLACE INTO items (pk, sk, size, body{columns}) VALUES ({placeholders})",
            (item["PK"], item["SK"], limits.item_size(item), json.dumps(item, separators=(",", ":")), *index_values),
        )

    @staticmethod
    def _check(condition: Condition | None, current: Item | None) -> None:
        if not condition_holds(condition, current):
            raise ConditionFailed(f"condition {condition.kind if condition else None} failed")

    @staticmethod
    def _merge(pk: str, sk: str, current: Item | None, changes: dict[str, Any]) -> Item:
        if "PK" in changes or "SK" in changes:
            raise ValueError("an update cannot change the item's key")
        return {**(current or {"PK": pk, "SK": sk}), **changes}

    # ----------------------------------------------------------------- single item

    def get(self, pk: str, sk: str) -> Item | None:
        item = self._load(self._connection(), pk, sk)
        self.stats.count("get", read=1 if item else 0)
        return item

    def put(self, item: Item, *, condition: Condition | None = None) -> None:
        self.stats.count("put", written=1)
        with self._write() as conn:
            self._check(condition, self._load(conn, item["PK"], item["SK"]) if condition else None)
            self._store(conn, item)

    def update(self, pk: str, sk: str, *, changes: dict[str, Any], condition: Condition | None = None) -> Item:
        self.stats.count("update", written=1)
        with self._write() as conn:
            current = self._load(conn, pk, sk)
            self._check(condition, current)
            item = self._merge(pk, sk, current, changes)
            self._store(conn, item)
        return item

    def delete(self, pk: str, sk: str, *, condition: Condition | None = None) -> None:
        self.stats.count("delete", written=1)
        with self._write() as conn:
            if condition:
                self._check(condition, self._load(conn, pk, sk))
            conn.execute("DELETE FROM items WHERE pk = ? AND sk = ?", (pk, sk))

    # ----------------------------------------------------------------------- query

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
        # (SQL column, item attribute) pairs that order the results; the cursor holds their values.
        if index:
            keys = self.definition.index(index)
            part_col, sort_col = f'"{keys.partition}"', f'"{keys.sort}"'
            order = [(sort_col, keys.sort), ("pk", "PK"), ("sk", "SK")]
        else:
            part_col, sort_col = "pk", "sk"
            order = [("sk", "SK")]
        order_cols = [column for column, _ in order]
        where, params = [f"{part_col} = ?"], [pk]
        if sk is not None:
            clause, values = _sort_clause(sort_col, sk)
            where.append(clause)
            params.extend(values)
        if cursor:
            after = cursors.decode_list(CURSOR_KIND, cursor, len(order_cols), str)
            comparison = "<" if descending else ">"
            where.append(f"({', '.join(order_cols)}) {comparison} ({', '.join('?' for _ in order_cols)})")
            params.extend(after)
        direction = "DESC" if descending else "ASC"
        ordering = ", ".join(f"{c} {direction}" for c in order_cols)
        sql = f"SELECT body, size FROM items WHERE {' AND '.join(where)} ORDER BY {ordering}"
        if limit is not None:
            sql += f" LIMIT {int(limit) + 1}"
        rows = self._connection().execute(sql, params)
        items: list[Item] = []
        page_bytes = 0
        next_cursor = None
        for body, size in rows:
            if (limit is not None and len(items) == limit) or page_bytes >= MAX_QUERY_PAGE_BYTES:
                last = items[-1]
                next_cursor = cursors.encode(CURSOR_KIND, [last[attribute] for _, attribute in order])
                break
            items.append(json.loads(body))
            page_bytes += size
        self.stats.count("query", read=len(items))
        return Page(items, next_cursor)

    def scan(self, *, pk_prefix: str = "", cursor: str | None = None) -> Page:
        where, params = ["pk >= ?"], [pk_prefix]
        if pk_prefix:
            where.append("pk < ?")
            params.append(pk_prefix + "\U0010ffff")
        if cursor:
            where.append("(pk, sk) > (?, ?)")
            params.extend(cursors.decode_list(CURSOR_KIND, cursor, 2, str))
        rows = (
            self._connection()
            .execute(
                f"SELECT body FROM items WHERE {' AND '.join(where)} ORDER BY pk, sk LIMIT {SCAN_PAGE + 1}", params
            )
            .fetchall()
        )
        items = [json.loads(body) for (body,) in rows[:SCAN_PAGE]]
        self.stats.count("scan", read=len(items))
        more = len(rows) > SCAN_PAGE
        return Page(items, cursors.encode(CURSOR_KIND, [items[-1]["PK"], items[-1]["SK"]]) if more else None)

    # ----------------------------------------------------------------------- batch

    def batch_get(self, keys: Sequence[tuple[str, str]]) -> list[Item]:
        limits.check_batch_get(keys)
        if not keys:
            return []
        # One statement for the whole batch; CROSS JOIN keeps SQLite on the primary key for each
        # wanted key (a row-value IN over VALUES would scan the table).
        pairs = ", ".join("(?, ?)" for _ in keys)
        rows = self._connection().execute(
            f"SELECT items.body FROM (VALUES {pairs}) AS wanted CROSS JOIN items"
            " ON items.pk = wanted.column1 AND items.sk = wanted.column2",
            [part for key in keys for part in key],
        )
        found = [json.loads(body) for (body,) in rows]
        self.stats.count("batch_get", read=len(found))
        return found

    def batch_write(self, puts: Sequence[Item] = (), deletes: Sequence[tuple[str, str]] = ()) -> None:
        limits.check_batch_write(puts, deletes)
        self.stats.count("batch_write", written=len(puts) + len(deletes))
        with self._write() as conn:
            for item in puts:
                self._store(conn, item)
            conn.executemany("DELETE FROM items WHERE pk = ? AND sk = ?", list(deletes))

    def transact_write(self, ops: Sequence[TransactOp]) -> None:
        limits.check_transaction(len(ops), [op_key(op) for op in ops])
        self.stats.count("transact_write", written=sum(not isinstance(op, ConditionCheck) for op in ops))
        with self._write() as conn:
            current = [self._load(conn, *op_key(op)) for op in ops]
            reasons = [
                "None" if condition_holds(op.condition, item) else "ConditionalCheckFailed"
                for op, item in zip(ops, current, strict=True)
            ]
            if any(r != "None" for r in reasons):
                raise TransactionCanceled(reasons)
            for op, item in zip(ops, current, strict=True):
                if isinstance(op, Put):
                    self._store(conn, op.item)
                elif isinstance(op, Update):
                    self._store(conn, self._merge(op.pk, op.sk, item, op.changes))
                elif isinstance(op, Delete):
                    conn.execute("DELETE FROM items WHERE pk = ? AND sk = ?", (op.pk, op.sk))


def _sort_clause(column: str, condition: KeyCondition) -> tuple[str, list[str]]:
    if condition.op == "begins_with":
        # A range, so SQLite can use the index: every string with the prefix sorts in [p, p + max).
        return f"{column} >= ? AND {column} < ?", [condition.value, condition.value + "\U0010ffff"]
    if condition.op == "between":
        return f"{column} BETWEEN ? AND ?", [condition.value, condition.upper or ""]
    operator = {"lt": "<", "ge": ">="}[condition.op]
    return f"{column} {operator} ?", [condition.value]
