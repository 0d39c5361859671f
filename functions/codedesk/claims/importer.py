"""`codedesk import ncci-ptp|mue|addon FILE`: read a quarter's CMS edit file and publish it.

Each kind is its own publish namespace, so a new quarter replaces the previous one whole (rows the
new file no longer has are removed) and an unchanged file is not read twice.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from codedesk.claims.edit_files import EditFile, EditKind, read_edit_file
from codedesk.claims.items import edit_file_items, kind_pk
from codedesk.codes.importer import file_digest
from codedesk.content.publish import ItemSet, Progress, PublishReport, fingerprint_of, is_current, publish
from codedesk.store.port import Table

EDIT_FORMAT = "1"  # bump when the items' shape changes, so the next import rewrites them


def namespace(kind: EditKind) -> str:
    return f"edits:{kind}"


def import_edit_file(
    table: Table,
    kind: EditKind,
    path: Path,
    *,
    quarter: str | None = None,
    today: date,
    progress: Progress | None = None,
) -> tuple[EditFile | None, PublishReport | None]:
    """The file read and the publish report; (None, None) when this very file is already loaded."""
    fingerprint = fingerprint_of(EDIT_FORMAT, kind, quarter, file_digest([path])) if path.is_file() else ""
    if fingerprint and is_current(table, namespace(kind), fingerprint):
        return None, None
    read = read_edit_file(kind, path, quarter)
    items = ItemSet(namespace(kind), (kind_pk(kind),), edit_file_items(read, today), fingerprint=fingerprint)
    return read, publish(table, [items], progress=progress)
