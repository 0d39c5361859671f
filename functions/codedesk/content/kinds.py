"""Which files of content/ hold which kind of content. One line per kind; a file that matches no
pattern is reported, so a misnamed file cannot be silently ignored."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from codedesk.codes.curated import CuratedCodeFile, SynonymFile
from codedesk.denials.models import CarcFile, GroupCodeFile, RarcFile
from codedesk.handbook.models import Glossary, Guide, RoleCatalog
from codedesk.payers.models import PayerSheet
from codedesk.quizzes.models import QuestionBank, Quiz
from codedesk.reviews.models import ReleaseRules, ReviewPolicy


@dataclass(frozen=True)
class ContentKind:
    name: str
    pattern: str  # glob relative to content/
    model: type[BaseModel]


KINDS: list[ContentKind] = [
    ContentKind("roles", "roles.yaml", RoleCatalog),
    ContentKind("glossary", "glossary.yaml", Glossary),
    ContentKind("guides", "guides/*.md", Guide),
    ContentKind("release_rules", "calendar/releases.yaml", ReleaseRules),
    ContentKind("review_policy", "calendar/review_policy.yaml", ReviewPolicy),
    ContentKind("quiz_questions", "quizzes/questions/*.yaml", QuestionBank),
    ContentKind("quizzes", "quizzes/quizzes/*.yaml", Quiz),
    ContentKind("payers", "payers/*.yaml", PayerSheet),
    ContentKind("denial_groups", "denials/groups.yaml", GroupCodeFile),
    ContentKind("denial_carcs", "denials/carc.yaml", CarcFile),
    ContentKind("denial_rarcs", "denials/rarc.yaml", RarcFile),
    ContentKind("code_lists", "codes/lists/*.yaml", CuratedCodeFile),
    ContentKind("code_synonyms", "codes/synonyms.yaml", SynonymFile),
]
