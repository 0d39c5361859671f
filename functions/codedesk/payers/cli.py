"""`codedesk import fees FILE.csv --payer ID`, reached through the import command (codedesk/cli.py
hands this reader to codes.cli, which owns `import`)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from codedesk import settings


def import_fees(files: list[Path], payer_id: str | None, store_url: str | None) -> int:
    from codedesk.content.publish import PublishError
    from codedesk.payers.fees import FeeFileError, import_fee_schedule
    from codedesk.store import open_store
    from codedesk.store.port import StoreError

    if len(files) != 1 or not payer_id:
        print("codedesk import fees: give one CSV file and --payer ID", file=sys.stderr)
        return 2
    table = open_store(store_url or settings.default_store_url())
    try:
        rows, report = import_fee_schedule(table, payer_id.strip().lower(), files[0], date.today())
    except FeeFileError as error:
        print(f"codedesk import: {error}", file=sys.stderr)
        return 1
    except (PublishError, StoreError) as error:
        print(f"import failed, the previous fee schedule is still served: {error}", file=sys.stderr)
        return 1
    print(f"fee schedule of {payer_id}: {rows:,} rows from {files[0].name}; {report.written:,} item(s) written")
    return 0
