"""When a payer sheet is due for another check against its sources.

A sheet whose `verified_on` is older than the allowed age is *stale*: still shown (an old sheet is
better than none at the desk), but marked on the site and in the API, and `codedesk validate` warns.
"""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING

from codedesk.content.problems import ContentProblem
from codedesk.payers.models import PayerSheet

if TYPE_CHECKING:
    from codedesk.content.bundle import ContentBundle

DEFAULT_MAX_AGE_DAYS = 365
MAX_AGE_VARIABLE = "CODEDESK_PAYER_SHEET_MAX_AGE_DAYS"


def configured_max_age_days() -> int:
    """The allowed age in days: CODEDESK_PAYER_SHEET_MAX_AGE_DAYS, or 365 when unset or not a whole number > 0."""
    configured = os.environ.get(MAX_AGE_VARIABLE, "").strip()
    return int(configured) if configured.isdigit() and int(configured) > 0 else DEFAULT_MAX_AGE_DAYS


def age_in_days(sheet: PayerSheet, today: date) -> int:
    return (today - sheet.verified_on).days


def is_stale(sheet: PayerSheet, today: date, max_age: int = DEFAULT_MAX_AGE_DAYS) -> bool:
    return age_in_days(sheet, today) > max_age


def stale_sheet_warnings(
    bundle: ContentBundle, today: date, max_age_days: int = DEFAULT_MAX_AGE_DAYS
) -> list[ContentProblem]:
    """One warning per stale sheet, pointing at its `verified_on` line."""
    from codedesk.content.yaml_lines import line_in_file  # validation only: not in the Lambda artifact

    return [
        ContentProblem(
            path,
            line_in_file(bundle.root / path, ("verified_on",)),
            "verified_on",
            f"sheet last verified {sheet.verified_on.isoformat()}, {age_in_days(sheet, today)} days ago "
            f"(more than {max_age_days}): check every fact against its source, then update verified_on",
            severity="warning",
        )
        for path, sheet in bundle.of(PayerSheet)
        if is_stale(sheet, today, max_age_days)
    ]
