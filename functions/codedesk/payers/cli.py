"""`codedesk import fees FILE.csv --payer ID`, reached through the import command (codedesk/cli.py
hands this reader to codes.cli, which owns `import`)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from codedesk import settings
from codedesk.commands import import_reported


def import_fees(files: list[Path], payer_id: str | None, store_url: str | None) -> int:
    from codedesk.payers.fees import FeeFileError, import_fee_schedule
    from codedesk.store import open_store

    if len(files) != 1 or not payer_id:
        print("codedesk import fees: give one CSV file and --payer ID", file=sys.stderr)
        return 2
    table = open_store(store_url or settings.default_store_url())
    with import_reported("fee schedule", FeeFileError):
        rows, report = import_fee_schedule(table, payer_id.strip().lower(), files[0], date.today())
    print(f"fee schedule of {payer_id}: {rows:,} rows from {files[0].name}; {report.written:,} item(s) written")
    return 0
