"""Everything `codedesk publish` writes from content/: one item set per namespace."""

from __future__ import annotations

from codedesk.codes import publish as codes
from codedesk.content.bundle import ContentBundle
from codedesk.content.publish import ItemSet
from codedesk.denials import publish as denials
from codedesk.handbook import publish as handbook
from codedesk.reviews import publish as reviews
from codedesk.payers import publish as payers
from codedesk.quizzes import publish as quizzes


def content_item_sets(bundle: ContentBundle) -> list[ItemSet]:
    return [
        ItemSet("handbook", handbook.PREFIXES, handbook.publish_items(bundle)),
        ItemSet("reviews", reviews.PREFIXES, reviews.publish_items(bundle)),
        ItemSet("payers", payers.PREFIXES, payers.publish_items(bundle)),
        ItemSet("codes", codes.PREFIXES, codes.publish_items(bundle)),
        ItemSet("denials", denials.PREFIXES, denials.publish_items(bundle)),
        ItemSet("quizzes", quizzes.PREFIXES, quizzes.publish_items(bundle)),
    ]
