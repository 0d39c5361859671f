"""`codedesk import ncci-ptp|mue|addon FILE [--quarter 2026Q4]`, reached through the import command
(codedesk/cli.py hands this reader to codes.cli, which owns `import`)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from codedesk import settings
from codedesk.commands import import_reported
from codedesk.progress import ProgressBar

KINDS = {"ncci-ptp": "ptp", "mue": "mue", "addon": "addon"}


def import_edit_file(command: str, files: list[Path], quarter: str | None, store_url: str | None) -> int:
    from codedesk.claims.edit_files import KIND_NAMES, EditFileError
    from codedesk.claims.importer import import_edit_file as publish_edit_file
    from codedesk.store import open_store

    if len(files) != 1:
        print(f"codedesk import {command}: give exactly one edit file", file=sys.stderr)
        return 2
    kind = KINDS[command]
    table = open_store(store_url or settings.default_store_url())
    bar = ProgressBar(f"importing {command}")
    try:
        with import_reported("edit file", EditFileError):
            read, report = publish_edit_file(table, kind, files[0], quarter=quarter, today=date.today(), progress=bar)  # type: ignore[arg-type]
    finally:
        bar.stop()
    if read is None or report is None:
        print(f"{command}: this file was already imported; 0 items written")
        return 0
    print(
        f"{KIND_NAMES[read.kind]} {read.quarter}: {read.rows:,} rows from {read.file_name}; "
        f"{report.written:,} item(s) written, {report.deleted:,} deleted (content version {report.version})"
    )
    return 0
