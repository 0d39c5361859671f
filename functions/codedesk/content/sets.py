"""Everything `codedesk publish` writes from content/: one item set per namespace."""

from __future__ import annotations

from codedesk.content.loader import ContentBundle
from codedesk.content.publish import ItemSet
from codedesk.handbook import publish as handbook


def content_item_sets(bundle: ContentBundle) -> list[ItemSet]:
    return [
        ItemSet("handbook", handbook.PREFIXES, handbook.publish_items(bundle)),
    ]
