"""The quizzes as they are published: authored questions plus generated ones, checked as a whole.

`build_quizzes` is the one way from a content bundle to quizzes; the loader's cross-check
(`check_quizzes`) and the publisher both call it, so what validates is exactly what is published.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from pydantic import ValidationError

from codedesk.content.bundle import ContentBundle
from codedesk.content.problems import ContentProblem
from codedesk.denials.codes import GROUP_CODES
from codedesk.denials.models import reason_card_files
from codedesk.handbook.models import Guide
from codedesk.payers.models import PayerSheet
from codedesk.quizzes.generate import Subjects, generate
from codedesk.quizzes.models import (
    DenialReference,
    GuideReference,
    PayerReference,
    Question,
    QuestionBank,
    Quiz,
)
from codedesk.quizzes.subjects import subjects_of

GENERATED_PREFIX = "gen-"


@dataclass(frozen=True)
class BuiltQuiz:
    quiz: Quiz
    questions: list[Question]

    @property
    def topics(self) -> list[str]:
        return list(dict.fromkeys(question.topic for question in self.questions))


@dataclass
class _Report:
    bundle: ContentBundle
    problems: list[ContentProblem] = field(default_factory=list)

    @cached_property
    def targets(self) -> _LinkTargets:
        return _LinkTargets.of(self.bundle)

    def add(self, path: str, needle: str, field_name: str, message: str, severity: str = "error") -> None:
        line = _line_of(self.bundle, path, needle)
        self.problems.append(ContentProblem(path, line, field_name, message, severity))

    def dead_link(self, path: str, question: Question, message: str) -> None:
        """A reference to a page that does not exist: a broken link, not a wrong fact, so a warning."""
        self.add(path, question.id, f"{question.id}.references", message, severity="warning")


def _line_of(bundle: ContentBundle, path: str, needle: str) -> int:
    """The first line of the file holding `needle`: good enough to point an editor at a question."""
    try:
        lines = (bundle.root / path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next((number for number, line in enumerate(lines, start=1) if needle in line), 1)


def heading_anchor(heading: str) -> str:
    """The anchor MkDocs gives a heading: its own `{#id}`, or Python-Markdown's toc slugify."""
    if explicit := re.search(r"\{[^}]*#([\w-]+)[^}]*\}\s*$", heading):
        return explicit.group(1)
    text = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def guide_sections(bundle: ContentBundle) -> dict[str, set[str]]:
    """Guide slug (file name) → the anchors of its headings."""
    return {
        path.rsplit("/", 1)[-1].removesuffix(".md"): {
            heading_anchor(match) for match in re.findall(r"^#{2,4} +(.+?) *$", guide.body, flags=re.MULTILINE)
        }
        for path, guide in bundle.of(Guide)
    }


@dataclass(frozen=True)
class _LinkTargets:
    """What the site has pages for: guide headings, denial cards, payer sheets."""

    guides: dict[str, set[str]]
    cards: set[str]
    payers: set[str]

    @classmethod
    def of(cls, bundle: ContentBundle) -> _LinkTargets:
        return cls(
            guides=guide_sections(bundle),
            cards={card.code for _, file in reason_card_files(bundle) for card in file.cards},
            payers={sheet.payer_id for _, sheet in bundle.of(PayerSheet)},
        )


def _check_references(report: _Report, path: str, question: Question) -> None:
    guides, cards, payers = report.targets.guides, report.targets.cards, report.targets.payers
    for ref in question.references:
        if isinstance(ref, GuideReference):
            if ref.guide not in guides:
                report.dead_link(path, question, f"no guide content/guides/{ref.guide}.md")
            elif ref.section and ref.section not in guides[ref.guide]:
                report.dead_link(path, question, f"guide {ref.guide!r} has no heading with anchor #{ref.section}")
        elif isinstance(ref, DenialReference):
            if ref.card_code() not in cards and ref.card_code() not in GROUP_CODES:
                report.dead_link(path, question, f"no denial card for {ref.code}")
        elif isinstance(ref, PayerReference) and ref.payer_id not in payers:
            report.dead_link(path, question, f"no payer sheet content/payers/{ref.payer_id}.yaml")


def _bank(report: _Report) -> dict[str, tuple[str, Question]]:
    bank: dict[str, tuple[str, Question]] = {}
    for path, file in report.bundle.of(QuestionBank):
        for question in file.questions:
            if question.id.startswith(GENERATED_PREFIX):
                report.add(
                    path,
                    question.id,
                    f"{question.id}.id",
                    f"ids starting {GENERATED_PREFIX!r} are for generated questions",
                )
            elif question.id in bank:
                report.add(path, question.id, f"{question.id}.id", f"the id is already used in {bank[question.id][0]}")
            else:
                bank[question.id] = (path, question)
                _check_references(report, path, question)
    return bank


def _build(report: _Report, path: str, quiz: Quiz, bank: dict, subjects: Subjects) -> BuiltQuiz:
    questions: list[Question] = []
    for qid in quiz.questions:
        if qid not in bank:
            report.add(path, qid, "questions", f"no question with id {qid!r} in content/quizzes/questions/")
            continue
        question = bank[qid][1]
        if question.needs_verification:
            report.add(
                path, qid, "questions", f"{qid} rests on a fact marked verify: true; check it before quizzing on it"
            )
        questions.append(question)
    for number, spec in enumerate(quiz.generated):
        where = f"generated[{number}]"
        try:
            made = generate(spec.generator, subjects, spec.count, spec.seed)
        except ValidationError as error:
            report.add(path, spec.generator, where, f"a generated question is invalid: {error.errors()[0]['msg']}")
            continue
        if len(made) < spec.count:
            report.add(
                path,
                spec.generator,
                where,
                f"asks for {spec.count} {spec.generator} questions; the content gives only {len(made)}",
            )
        for question in made:
            _check_references(report, path, question)
        questions.extend(made)
    ids = [question.id for question in questions]
    if len(set(ids)) != len(ids):
        twice = sorted({qid for qid in ids if ids.count(qid) > 1})
        report.add(path, "generated", "generated", f"questions appear twice: {', '.join(twice)}")
    return BuiltQuiz(quiz, questions)


def build_quizzes(bundle: ContentBundle, subjects: Subjects) -> tuple[list[BuiltQuiz], list[ContentProblem]]:
    report = _Report(bundle)
    bank = _bank(report)
    built: list[BuiltQuiz] = []
    seen: set[str] = set()
    for path, quiz in bundle.of(Quiz):
        if path.rsplit("/", 1)[-1] != f"{quiz.id}.yaml":
            report.add(path, "id:", "id", f"the quiz id {quiz.id!r} must match the file name ({quiz.id}.yaml)")
        if quiz.id in seen:
            report.add(path, "id:", "id", f"quiz id {quiz.id!r} is used twice")
        seen.add(quiz.id)
        built.append(_build(report, path, quiz, bank, subjects))
    return built, report.problems


def check_quizzes(bundle: ContentBundle) -> list[ContentProblem]:
    """Question ids, references and generated questions, checked across content/ as a whole."""
    return build_quizzes(bundle, subjects_of(bundle))[1]
