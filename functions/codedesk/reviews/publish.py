"""The release calendar in the table: the rules and the review policy as one published item.

Only the rules are published, not dated releases: the functions generate any year from them, so the
calendar never runs out and a rule edit reaches every year at the next publish.
"""

from __future__ import annotations

from collections.abc import Iterator

from codedesk.content.bundle import ContentBundle
from codedesk.content.view import ContentView
from codedesk.reviews.calendar import ReleaseCalendar
from codedesk.reviews.models import ReleaseRules, ReviewPolicy
from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item

PREFIXES = (f"{Prefix.RELEASE}#",)
CALENDAR_KEY = (key(Prefix.RELEASE, "CALENDAR"), "RULES")


def publish_items(bundle: ContentBundle) -> Iterator[Item]:
    rules, policies = bundle.of(ReleaseRules), bundle.of(ReviewPolicy)
    if rules and policies:
        yield {
            "PK": CALENDAR_KEY[0],
            "SK": CALENDAR_KEY[1],
            "rules": rules[0][1].model_dump(mode="json"),
            "policy": policies[0][1].model_dump(mode="json"),
        }


def published_calendar(view: ContentView) -> ReleaseCalendar | None:
    """The calendar at the view's content version, or None before the first publish."""
    item = view.get(*CALENDAR_KEY)
    if item is None:
        return None
    return ReleaseCalendar(ReleaseRules.model_validate(item["rules"]), ReviewPolicy.model_validate(item["policy"]))
