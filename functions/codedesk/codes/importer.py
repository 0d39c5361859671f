"""`codedesk import`: read official files, fold them into the stored history, publish what changed.

Each imported system is its own publish namespace (`codes:<SYSTEM>`, origin `file`), apart from
content/, so `codedesk publish` never touches imported codes and an import never touches content.
The namespace holds every code ever imported for the system plus the changes of every release; a
new release therefore writes the codes it changed (and their index entries), not the whole set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path

from codedesk.codes.cpt import read_licensed_csv
from codedesk.codes.hcpcs import read_anweb
from codedesk.codes.icd10cm import (
    CodeFileError,
    apply_order_file,
    read_order_file,
    read_tabular,
    release_date_from_name,
)
from codedesk.codes.index import INDEX_FORMAT
from codedesk.codes.items import RECORD_SK, SUMMARY_SK, namespace_prefixes, record_from_item, set_pk
from codedesk.codes.models import CodeSet, CodeSystem, ReleaseChanges
from codedesk.codes.publish import code_set_items
from codedesk.codes.releases import ReleaseSchedule, in_release, merge_release, unknown_schedule
from codedesk.content.manifest import listed_keys
from codedesk.content.publish import (
    ItemSet,
    Progress,
    PublishReport,
    fingerprint_of,
    is_current,
    live_version,
    publish,
    scanned_items,
)
from codedesk.content.view import visible_data
from codedesk.store.keys import Prefix, key
from codedesk.store.port import MAX_BATCH_GET, Item, Table, sk_begins_with

SYSTEMS_BY_NAME = {"icd10cm": CodeSystem.ICD10CM, "hcpcs": CodeSystem.HCPCS, "cpt": CodeSystem.CPT}


@dataclass
class SystemImport:
    system: CodeSystem
    release: str
    codes: int
    billable_codes: int
    changes: ReleaseChanges | None


@dataclass
class ImportReport:
    systems: list[SystemImport] = field(default_factory=list)
    publish: PublishReport | None = None
    unchanged: bool = False
    warnings: list[str] = field(default_factory=list)


def namespace(system: CodeSystem) -> str:
    return f"codes:{system}"


def default_icd10cm_file() -> Path:
    """The April 1, 2026 tabular XML shipped inside the simple-icd-10-cm package (CLI extra)."""
    try:
        folder = resources.files("simple_icd_10_cm") / "data"
    except ModuleNotFoundError as error:
        raise CodeFileError(
            "no ICD-10-CM file given and the simple-icd-10-cm package is not installed; "
            "install the cli extra or pass the tabular XML file"
        ) from error
    found = sorted(
        (p for p in folder.iterdir() if p.name.endswith(".xml") and "tabular" in p.name), key=lambda p: p.name
    )
    if not found:
        raise CodeFileError("the simple-icd-10-cm package holds no tabular XML file")
    return Path(str(found[-1]))


def _release_date(release: str | None, path: Path) -> date:
    if release:
        try:
            return date.fromisoformat(release)
        except ValueError:
            raise CodeFileError(f"--release {release!r}: write the release's effective date, e.g. 2026-04-01") from None
    found = release_date_from_name(path)
    if found is None:
        raise CodeFileError(f"{path}: the release date is not in the file name; give --release YYYY-MM-DD")
    return found


def read_files(system_name: str, files: list[Path], release: str | None) -> tuple[list[CodeSet], list[str]]:
    """The code sets in `files` and any warnings (order-file mismatches)."""
    system = SYSTEMS_BY_NAME.get(system_name.lower())
    if system is None:
        raise CodeFileError(f"unknown code system {system_name!r}; use one of {', '.join(SYSTEMS_BY_NAME)}")
    for path in files:
        if not path.is_file():
            raise CodeFileError(f"{path}: no such file")
    if system == CodeSystem.ICD10CM:
        files = files or [default_icd10cm_file()]
        tabular = [p for p in files if p.suffix.lower() == ".xml"]
        orders = [p for p in files if p.suffix.lower() != ".xml"]
        if len(tabular) != 1:
            raise CodeFileError("give exactly one ICD-10-CM tabular XML file (and optionally its order file)")
        code_set = read_tabular(tabular[0], effective_on=_release_date(release, tabular[0]))
        warnings = [w for order in orders for w in apply_order_file(code_set, read_order_file(order))]
        return [code_set], warnings
    if len(files) != 1:
        raise CodeFileError(f"give exactly one {system} file")
    if system == CodeSystem.HCPCS:
        effective_on = date.fromisoformat(release) if release else None
        return read_anweb(files[0], effective_on=effective_on), []
    return [read_licensed_csv(files[0], effective_on=_release_date(release, files[0]))], []


def _history(table: Table, system: CodeSystem, version: int) -> list[Item]:
    """Every code record stored for `system`: the keys from its namespace's manifest, then batch gets."""
    prefix = key(Prefix.CODE, "file", system) + "#"
    keys = listed_keys(table, namespace(system))
    if keys is None:
        # Only for a code set imported before publish manifests existed.
        return [
            data
            for item in scanned_items(table, (prefix,))
            if item["SK"] == RECORD_SK and (data := visible_data(item, version)) is not None
        ]
    keys = [(pk, sk) for pk, sk in keys if pk.startswith(prefix) and sk == RECORD_SK]
    found: list[Item] = []
    for start in range(0, len(keys), MAX_BATCH_GET):
        found.extend(
            data
            for item in table.batch_get(keys[start : start + MAX_BATCH_GET])
            if (data := visible_data(item, version)) is not None
        )
    return found


def loaded_releases(table: Table, system: CodeSystem) -> list[str]:
    """The releases of `system` imported so far, oldest first (one read)."""
    summary = table.get(set_pk("file", system), SUMMARY_SK)
    data = visible_data(summary, live_version(table)) if summary else None
    return list(data["releases"]) if data else []


def _stored_changes(table: Table, system: CodeSystem, version: int) -> list[Item]:
    found: list[Item] = []
    cursor = None
    while True:
        page = table.query(set_pk("file", system), sk=sk_begins_with("CHANGES#"), cursor=cursor)
        found.extend(data for item in page.items if (data := visible_data(item, version)) is not None)
        cursor = page.cursor
        if cursor is None:
            return found


def _items_for(
    table: Table, code_set: CodeSet, version: int, schedule: ReleaseSchedule
) -> tuple[list[Item], SystemImport]:
    system = code_set.system
    summary = table.get(set_pk("file", system), SUMMARY_SK)
    summary = visible_data(summary, version) if summary else None
    releases = list(summary["releases"]) if summary else []
    history = [record_from_item(item) for item in _history(table, system, version)]
    kept_changes = _stored_changes(table, system, version)
    if releases and releases[-1] == code_set.release:
        # The same release again (a corrected file): its changes are already recorded; codes stay
        # as they were unless the file changed them.
        previous, previous_on = None, None
    else:
        previous = releases[-1] if releases else None
        previous_on = date.fromisoformat(summary["effective_on"]) if summary else None
        releases.append(code_set.release)
    # The first release loaded: older summaries (before this was recorded) name it first in `releases`.
    first_on = date.fromisoformat(summary.get("first_effective_on") or releases[0]) if summary else None
    merged, changes = merge_release(
        history, code_set, previous, previous_on, first_effective_on=first_on, schedule=schedule
    )
    items = list(
        code_set_items(
            "file",
            system,
            merged,
            release=code_set.release,
            effective_on=code_set.effective_on.isoformat(),
            licensed=code_set.licensed,
            releases=releases,
            first_effective_on=(first_on or code_set.effective_on).isoformat(),
            changes=[changes] if changes else [],
        )
    )
    items.extend(kept_changes)
    current = [r for r in merged if in_release(r, code_set.effective_on)]
    return items, SystemImport(system, code_set.release, len(current), sum(r.billable for r in current), changes)


def file_digest(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:20]


def import_code_sets(
    table: Table,
    system_name: str,
    files: list[Path],
    *,
    schedule: ReleaseSchedule = unknown_schedule,
    release: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read, merge with the stored history and publish; nothing is parsed when the same files were
    imported last time. `schedule`: when releases not loaded may have taken effect (releases.py);
    the entry points hand in the release calendar's, without it any day may have brought a change."""
    system = SYSTEMS_BY_NAME.get(system_name.lower())
    if system == CodeSystem.ICD10CM and not files:
        files = [default_icd10cm_file()]
    fingerprint = (
        fingerprint_of(INDEX_FORMAT, system_name.lower(), release, file_digest(files))
        if all(p.is_file() for p in files)
        else ""
    )
    systems = [CodeSystem.HCPCS, CodeSystem.MODIFIER] if system == CodeSystem.HCPCS else [system]
    if fingerprint and system and all(is_current(table, namespace(s), fingerprint) for s in systems if s):
        return ImportReport(unchanged=True)
    code_sets, warnings = read_files(system_name, files, release)
    version = live_version(table)
    report = ImportReport(warnings=warnings)
    item_sets = []
    for code_set in code_sets:
        items, summary = _items_for(table, code_set, version, schedule)
        report.systems.append(summary)
        item_sets.append(
            ItemSet(
                namespace(code_set.system), namespace_prefixes("file", code_set.system), items, fingerprint=fingerprint
            )
        )
    report.publish = publish(table, item_sets, progress=progress)
    return report
