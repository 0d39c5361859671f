"""Keeping history across releases of a code set, and saying what a release changed.

A code set is stored as every code ever imported for its system: a code dropped by a new release
stays, with `effective_to` set to the day before that release, so a claim for an old date of
service still gets a true answer. `merge_release` folds a newly read release into that history and
returns the release's changes (added, deleted, revised titles).

History is never invented. Before the first release loaded a code's status is "unknown"; and when
the publisher may have issued a release between two loaded ones (the ICD-10-CM October release
between two April updates), a code that changed between them is "unknown" from the first date such
a release could have taken effect: `ReleaseSchedule` says when that is (the release calendar knows;
the entry points hand it in).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal

from codedesk.codes.models import CodeRecord, CodeRef, CodeSet, CodeSystem, EarlierTitle, ReleaseChanges, TitleRevision

Status = Literal["active", "deleted", "not_yet_effective", "unknown"]

ReleaseSchedule = Callable[[CodeSystem, date, date], date | None]
"""(system, after, before) → the first date strictly between the two on which a release of `system`
may have taken effect, or None when no release can fall between them."""


def unknown_schedule(system: CodeSystem, after: date, before: date) -> date | None:
    """Without a release calendar any day after a loaded release may have brought a change."""
    next_day = after + timedelta(days=1)
    return next_day if next_day < before else None


class ReleaseOrderError(ValueError):
    """A release older than the one already imported; history only moves forward."""


def active_on(record: CodeRecord, day: date) -> bool:
    """Valid for a date of service `day` by the record's own dates."""
    if record.effective_from is not None and day < record.effective_from:
        return False
    return record.effective_to is None or day <= record.effective_to


def status_on(record: CodeRecord, day: date) -> Status:
    if record.known_from is not None and day < record.known_from:
        return "unknown"
    if record.effective_from is not None and day < record.effective_from:
        unsure = record.added_unsure_from is not None and day >= record.added_unsure_from
        return "unknown" if unsure else "not_yet_effective"
    if record.effective_to is not None and day > record.effective_to:
        return "deleted"
    if record.deleted_unsure_from is not None and day >= record.deleted_unsure_from:
        return "unknown"
    return "active"


def title_on(record: CodeRecord, day: date) -> str:
    """The title in force on `day` by the releases loaded (the current one after the last revision)."""
    return next((earlier.title for earlier in record.earlier_titles if day <= earlier.until), record.title)


def in_release(record: CodeRecord, effective_on: date) -> bool:
    """Part of a release: not terminated before the release took effect (HCPCS files keep such rows).
    A code outside its release is still answered by lookup, with its dates, but not offered by search."""
    return record.effective_to is None or record.effective_to >= effective_on


def merge_release(
    history: list[CodeRecord],
    new: CodeSet,
    previous_release: str | None,
    previous_effective_on: date | None,
    *,
    first_effective_on: date | None = None,
    schedule: ReleaseSchedule = unknown_schedule,
) -> tuple[list[CodeRecord], ReleaseChanges | None]:
    """History plus `new`; the changes are None for the first release (everything would be "added").
    `first_effective_on`: the first release loaded before this one, if any."""
    if previous_effective_on is not None and new.effective_on < previous_effective_on:
        raise ReleaseOrderError(
            f"release {new.release} ({new.effective_on}) is older than the imported {previous_release} "
            f"({previous_effective_on}); import releases oldest first"
        )
    old = {record.code: record for record in history}
    changes = ReleaseChanges(
        system=new.system, release=new.release, previous_release=previous_release, effective_on=new.effective_on
    )
    # The first day a release we have not loaded may have changed a code (None: the releases are adjacent).
    unsure_from = (
        schedule(new.system, previous_effective_on, new.effective_on) if previous_effective_on is not None else None
    )
    known_from = None if new.dated_codes else (first_effective_on or new.effective_on)
    merged = []
    for record in new.records:
        before = old.pop(record.code, None)
        was_current = (
            before is not None and previous_effective_on is not None and in_release(before, previous_effective_on)
        )
        is_current = in_release(record, new.effective_on)
        if not new.dated_codes:
            record = _undated_history(record, before, known_from, unsure_from, new.effective_on)
        if before is not None and _same(before, record):
            record = before  # unchanged: keep its release, so a re-publish rewrites nothing
        if is_current and not was_current:
            changes.added.append(_ref(record))
        elif was_current and not is_current:
            changes.deleted.append(_ref(record))
        elif before is not None and was_current and is_current and before.title != record.title:
            changes.revised.append(TitleRevision(code=record.code, old_title=before.title, new_title=record.title))
        merged.append(record)
    for record in old.values():  # dropped by this release, or by an earlier one
        if record.effective_to is None:
            record = record.model_copy(
                update={
                    "effective_to": new.effective_on - timedelta(days=1),
                    "deleted_unsure_from": None if new.dated_codes else unsure_from,
                }
            )
            changes.deleted.append(_ref(record))
        merged.append(record)
    return merged, (changes if previous_release is not None else None)


def _undated_history(
    record: CodeRecord,
    before: CodeRecord | None,
    known_from: date | None,
    unsure_from: date | None,
    effective_on: date,
) -> CodeRecord:
    """A record of a file without per-code dates (ICD-10-CM), dated by the releases loaded."""
    if before is None or before.effective_to is not None:
        # New to the releases loaded (or back after a deletion): in force from this release on, and
        # perhaps from a release between the previous loaded one and this one.
        return record.model_copy(update={"known_from": known_from, "added_unsure_from": unsure_from})
    earlier = list(before.earlier_titles)
    if before.title != record.title:
        earlier.append(EarlierTitle(title=before.title, until=effective_on - timedelta(days=1)))
    return record.model_copy(
        update={
            "effective_from": before.effective_from,
            "known_from": known_from,
            "added_unsure_from": before.added_unsure_from,
            "earlier_titles": earlier,
        }
    )


def _same(before: CodeRecord, after: CodeRecord) -> bool:
    ignored = {"release"}
    return before.model_dump(exclude=ignored) == after.model_dump(exclude=ignored)


def _ref(record: CodeRecord) -> CodeRef:
    return CodeRef(code=record.code, title=record.title, billable=record.billable)
