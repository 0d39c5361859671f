"""What a supervisor should know before assigning a release's review: plain rules, no store.

The reviews function asks the codes service whether the release's changes are loaded and hands the
answer in, as reviews and codes do not import each other.
"""

from __future__ import annotations

from datetime import date

from codedesk.reviews.models import CalendarRelease


def assignment_warnings(
    release: CalendarRelease, due_on: date, today: date, *, changes_loaded: bool | None
) -> list[str]:
    """`changes_loaded`: None for a code set without a code lookup (nothing to load)."""
    warnings = []
    if due_on < today:
        warnings.append(
            f"The review would be due {due_on.isoformat()}, which has already passed: it is overdue the "
            "moment it is assigned. Pick a later due date unless that is what you mean."
        )
    if changes_loaded is False:
        warnings.append(
            f'No changes of {release.title} are loaded, so its "what changed" page has nothing to review '
            f"yet. Load the release first: codedesk import {release.code_set.value.lower()} FILE."
        )
    return warnings
