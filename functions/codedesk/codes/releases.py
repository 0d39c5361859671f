"""Keeping history across releases of a code set, and saying what a release changed.

A code set is stored as every code ever imported for its system: a code dropped by a new release
stays, with `effective_to` set to the day before that release, so a claim for an old date of
service still gets a true answer. `merge_release` folds a newly read release into that history and
returns the release's changes (added, deleted, revised titles).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from codedesk.codes.models import CodeRecord, CodeRef, CodeSet, ReleaseChanges, TitleRevision


class ReleaseOrderError(ValueError):
    """A release older than the one already imported; history only moves forward."""


def active_on(record: CodeRecord, day: date) -> bool:
    """Valid for a date of service `day` by the record's own dates."""
    if record.effective_from is not None and day < record.effective_from:
        return False
    return record.effective_to is None or day <= record.effective_to


def status_on(record: CodeRecord, day: date) -> Literal["active", "deleted", "not_yet_effective"]:
    if record.effective_from is not None and day < record.effective_from:
        return "not_yet_effective"
    if record.effective_to is not None and day > record.effective_to:
        return "deleted"
    return "active"


def in_release(record: CodeRecord, effective_on: date) -> bool:
    """Part of a release: not terminated before the release took effect (HCPCS files keep such rows).
    A code outside its release is still answered by lookup, with its dates, but not offered by search."""
    return record.effective_to is None or record.effective_to >= effective_on


def merge_release(
    history: list[CodeRecord], new: CodeSet, previous_release: str | None, previous_effective_on: date | None
) -> tuple[list[CodeRecord], ReleaseChanges | None]:
    """History plus `new`; the changes are None for the first release (everything would be "added")."""
    if previous_effective_on is not None and new.effective_on < previous_effective_on:
        raise ReleaseOrderError(
            f"release {new.release} ({new.effective_on}) is older than the imported {previous_release} "
            f"({previous_effective_on}); import releases oldest first"
        )
    old = {record.code: record for record in history}
    changes = ReleaseChanges(
        system=new.system, release=new.release, previous_release=previous_release, effective_on=new.effective_on
    )
    merged = []
    for record in new.records:
        before = old.pop(record.code, None)
        was_current = (
            before is not None and previous_effective_on is not None and in_release(before, previous_effective_on)
        )
        is_current = in_release(record, new.effective_on)
        if (
            before is not None
            and record.effective_from == new.effective_on
            and before.effective_from
            and before.effective_to is None
        ):
            # A file without per-code dates (ICD-10-CM): the code dates from the first release we saw.
            record = record.model_copy(update={"effective_from": before.effective_from})
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
            record = record.model_copy(update={"effective_to": new.effective_on - timedelta(days=1)})
            changes.deleted.append(_ref(record))
        merged.append(record)
    return merged, (changes if previous_release is not None else None)


def _same(before: CodeRecord, after: CodeRecord) -> bool:
    ignored = {"release"}
    return before.model_dump(exclude=ignored) == after.model_dump(exclude=ignored)


def _ref(record: CodeRecord) -> CodeRef:
    return CodeRef(code=record.code, title=record.title, billable=record.billable)
