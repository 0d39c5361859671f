"""`codedesk import icd10cm|hcpcs|cpt FILE... [--release R]`: load an official or licensed code file.

The same command takes `carc|rarc FILE` (an operator's licensed denial-reason lists), which the
denials domain reads: codedesk/cli.py hands its reader in (codedesk.denials.cli.import_official_list),
as codes and denials do not import each other."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from codedesk import settings
from codedesk.commands import import_reported
from codedesk.progress import ProgressBar

if TYPE_CHECKING:
    from codedesk.codes.releases import ReleaseSchedule
    from codedesk.store.port import Table

# `cmd_import` imports the readers and the store when it runs: start-up time only.


CODE_SYSTEMS = ("icd10cm", "hcpcs", "cpt")
INDEX_FILES = "icd10cm-index"  # the CDC's index XMLs: codedesk.codes.index_tables
DENIAL_LISTS = ("carc", "rarc")
EDIT_FILES = ("ncci-ptp", "mue", "addon")
FEE_SCHEDULES = "fees"

ImportDenialList = Callable[[str, list[Path], str | None], int]
"""Reads an operator's CARC or RARC list: (kind, files, store URL) → exit status; a
failed read or publish raises codedesk.commands.CommandFailed once it has said why."""
ImportEditFile = Callable[[str, list[Path], str | None, str | None], int]
"""Reads a CMS NCCI edit file (claims domain): (kind, files, quarter, store URL) → exit
status; a failed read or publish raises CommandFailed once it has said why."""
ImportFees = Callable[[list[Path], str | None, str | None], int]
"""Reads a clinic's fee schedule for a payer (payers domain): (files, payer_id, store URL) →
exit status; a failed read or publish raises CommandFailed once it has said why."""

ScheduleOf = Callable[["Table"], "ReleaseSchedule"]
"""The store's release schedule (the published release calendar): codedesk/cli.py hands it in."""


def add_commands(
    commands: argparse._SubParsersAction,
    import_denial_list: ImportDenialList,
    import_edit_file: ImportEditFile,
    import_fees: ImportFees,
    release_schedule: ScheduleOf,
) -> None:
    importer = commands.add_parser(
        "import",
        help="load an official code file (ICD-10-CM, HCPCS Level II) or a licensed CPT/CARC/RARC file",
        description="Read an official code file, keep the history of earlier releases (a code a release "
        "drops stays answerable as deleted), record what changed, and publish only what changed. "
        "icd10cm: the tabular XML (default: the April 1, 2026 file of the simple-icd-10-cm "
        "package) and optionally the CMS order file, releases oldest first; hcpcs: the CMS alpha-numeric zip or its "
        "HCPC*ANWEB*.txt; cpt: your licensed CSV (code, descriptor[, short_descriptor]); carc, rarc: your "
        "licensed X12 denial-reason CSV (code, description, start, last modified, stop); icd10cm-index: the CDC's "
        "index XMLs (Alphabetic Index, External Cause Index, Table of Neoplasms, Table of Drugs and Chemicals); "
        "ncci-ptp, mue, addon: a quarter's CMS NCCI practitioner PTP, MUE or add-on code edit table (zip, "
        "tab-delimited text or CSV); fees: your fee schedule CSV for one payer (code, modifier, allowed, "
        "effective_from, effective_to) with --payer.",
    )
    importer.add_argument(
        "system",
        choices=[*CODE_SYSTEMS, INDEX_FILES, *DENIAL_LISTS, *EDIT_FILES, FEE_SCHEDULES],
        help="what the file holds",
    )
    importer.add_argument("files", nargs="*", type=Path, metavar="FILE", help="the file(s) to read")
    importer.add_argument(
        "--release", default=None, help="the release's effective date, YYYY-MM-DD (default: from the file name)"
    )
    importer.add_argument(
        "--store", default=None, help="store URL (default: $CODEDESK_STORE or sqlite:///data/codedesk.db)"
    )
    importer.add_argument("--payer", default=None, help="fees: the payer_id of the payer sheet the schedule is for")
    importer.add_argument(
        "--quarter", default=None, help="NCCI files: the quarter, e.g. 2026Q4 (default: the file name)"
    )
    importer.set_defaults(
        run=cmd_import,
        import_denial_list=import_denial_list,
        import_edit_file=import_edit_file,
        import_fees=import_fees,
        release_schedule=release_schedule,
    )


def cmd_import(args: argparse.Namespace) -> int:
    from codedesk.codes.icd10cm import CodeFileError
    from codedesk.codes.importer import import_code_sets
    from codedesk.codes.releases import ReleaseOrderError
    from codedesk.store import open_store

    if args.system == FEE_SCHEDULES:
        return args.import_fees(args.files, args.payer, args.store)
    if args.payer:
        print(f"codedesk import {args.system}: --payer applies to fee schedules only", file=sys.stderr)
        return 2
    if args.system in EDIT_FILES:
        return args.import_edit_file(args.system, args.files, args.quarter, args.store)
    if args.quarter:
        print(f"codedesk import {args.system}: --quarter applies to NCCI edit files only", file=sys.stderr)
        return 2
    if args.system in DENIAL_LISTS:
        if args.release:
            print(f"codedesk import {args.system}: --release applies to code sets only", file=sys.stderr)
            return 2
        return args.import_denial_list(args.system, args.files, args.store)
    if args.system == INDEX_FILES:
        return _import_index(args)
    if args.system != "icd10cm" and not args.files:
        print(f"codedesk import {args.system}: give the file to read", file=sys.stderr)
        return 2
    table = open_store(args.store or settings.default_store_url())
    bar = ProgressBar(f"importing {args.system}")
    try:
        with import_reported("codes", CodeFileError, ReleaseOrderError):
            report = import_code_sets(
                table,
                args.system,
                args.files,
                schedule=args.release_schedule(table),
                release=args.release,
                progress=bar,
            )
    finally:
        bar.stop()
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.unchanged:
        print(f"{args.system}: these files were already imported; 0 items written")
        return 0
    for done in report.systems:
        changed = ""
        if done.changes is not None:
            changed = (
                f"; against {done.changes.previous_release}: {len(done.changes.added)} added, "
                f"{len(done.changes.deleted)} deleted, {len(done.changes.revised)} revised"
            )
        print(f"{done.system} release {done.release}: {done.codes:,} codes, {done.billable_codes:,} billable{changed}")
    published = report.publish
    assert published is not None  # a changed import publishes
    print(
        f"{published.written:,} item(s) written, {published.deleted:,} deleted, {published.unchanged:,} unchanged"
        f" (content version {published.version})"
    )
    return 0


def _import_index(args: argparse.Namespace) -> int:
    from codedesk.codes.index_tables import IndexFileError, check_codes, import_index_files
    from codedesk.content.view import LivePointer
    from codedesk.store import open_store

    if not args.files or args.release:
        print(f"codedesk import {INDEX_FILES}: give the index XML file(s), without --release", file=sys.stderr)
        return 2
    table = open_store(args.store or settings.default_store_url())
    with import_reported("index", IndexFileError):
        read, published = import_index_files(table, args.files)
    if published is None:
        print(f"{INDEX_FILES}: these files were already imported; 0 items written")
        return 0
    view = LivePointer(table).view()
    for found in read:
        checks = check_codes(view, [code for row in found.rows for code in row.codes()]).values()
        counted = {
            status: sum(c.status == status for c in checks) for status in ("valid", "header", "ended", "unknown")
        }
        print(
            f"{found.table} {found.version}: {len(found.rows):,} rows, {len(checks):,} distinct codes against the "
            f"loaded ICD-10-CM: " + ", ".join(f"{n:,} {status}" for status, n in counted.items())
        )
    print(f"{published.written:,} item(s) written, {published.deleted:,} deleted, {published.unchanged:,} unchanged")
    return 0
