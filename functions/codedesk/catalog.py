"""The composition root of content: every kind of content/ file, the domain that owns it, and the
item sets each domain publishes.

The core (content, store, web) knows no domain, and a domain knows only the domains below it; this
module, like the CLI and the API modules, stands above them all and puts them together. Anything that
reads or publishes the whole of content/ takes it from here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from codedesk.codes import publish as codes
from codedesk.codes.curated import CuratedCodeFile, SynonymFile
from codedesk.content import loader
from codedesk.content.bundle import ContentBundle
from codedesk.content.kinds import ContentKind
from codedesk.content.problems import ContentProblem
from codedesk.content.publish import ItemSet
from codedesk.denials import publish as denials
from codedesk.denials.models import CarcFile, GroupCodeFile, RarcFile
from codedesk.handbook import publish as handbook
from codedesk.handbook.models import Glossary, Guide, RoleCatalog
from codedesk.payers import publish as payers
from codedesk.payers.checks import check_denial_card_topics, check_payer_sheets
from codedesk.payers.models import PayerSheet
from codedesk.quizzes import publish as quizzes
from codedesk.quizzes.catalog import check_quizzes
from codedesk.quizzes.models import QuestionBank, Quiz
from codedesk.reviews import publish as reviews
from codedesk.reviews.models import ReleaseRules, ReviewPolicy

# One line per kind; a file that matches no pattern is reported, so a misnamed file cannot be
# silently ignored.
KINDS: list[ContentKind] = [
    ContentKind("roles", "handbook", "roles.yaml", RoleCatalog, (RoleCatalog.check_bundle,)),
    ContentKind("glossary", "handbook", "glossary.yaml", Glossary),
    ContentKind("guides", "handbook", "guides/*.md", Guide, (Guide.check_bundle,)),
    ContentKind("release_rules", "reviews", "calendar/releases.yaml", ReleaseRules, (ReleaseRules.check_bundle,)),
    ContentKind("review_policy", "reviews", "calendar/review_policy.yaml", ReviewPolicy),
    ContentKind("quiz_questions", "quizzes", "quizzes/questions/*.yaml", QuestionBank),
    ContentKind("quizzes", "quizzes", "quizzes/quizzes/*.yaml", Quiz, (check_quizzes,)),
    ContentKind("payers", "payers", "payers/*.yaml", PayerSheet, (check_payer_sheets, check_denial_card_topics)),
    ContentKind("denial_groups", "denials", "denials/groups.yaml", GroupCodeFile),
    ContentKind("denial_carcs", "denials", "denials/carc.yaml", CarcFile, (CarcFile.check_bundle,)),
    ContentKind("denial_rarcs", "denials", "denials/rarc.yaml", RarcFile),
    ContentKind("code_lists", "codes", "codes/lists/*.yaml", CuratedCodeFile, (CuratedCodeFile.check_bundle,)),
    ContentKind("code_synonyms", "codes", "codes/synonyms.yaml", SynonymFile, (SynonymFile.check_bundle,)),
]


def load_content(root: Path | None = None, today: date | None = None) -> tuple[ContentBundle, list[ContentProblem]]:
    """Every file of content/ (or `root`) read and checked; the problems instead of an exception.
    `today` is the day age warnings are judged on (default: the day of the check)."""
    return loader.load_content(KINDS, root, today)


def read_content(root: Path | None = None) -> ContentBundle:
    """The validated bundle, or ContentInvalid listing every error (warnings do not stop it)."""
    return loader.read_content(KINDS, root)


def content_item_sets(bundle: ContentBundle) -> list[ItemSet]:
    """Everything `codedesk publish` writes from content/: one item set per namespace."""
    return [
        ItemSet("handbook", handbook.PREFIXES, handbook.publish_items(bundle)),
        ItemSet("reviews", reviews.PREFIXES, reviews.publish_items(bundle)),
        ItemSet("payers", payers.PREFIXES, payers.publish_items(bundle)),
        ItemSet("codes", codes.PREFIXES, codes.publish_items(bundle)),
        ItemSet("denials", denials.PREFIXES, denials.publish_items(bundle)),
        ItemSet("quizzes", quizzes.PREFIXES, quizzes.publish_items(bundle)),
    ]
