"""Audit misses feed the coder's "Review my misses", in the same boxes as quiz misses.

Each code an audit found wrong (billed without support, or documented and not billed) puts one
published question in box 1 of the coder's review, with the miss as the card's reason. The question
is the one that teaches the code, not one built from the encounter: the coder cannot see the chart
in a review, so "the documentation supported X, what was billed was Y: which is right?" would give
its own answer away and teach nothing for the next chart, while the question on the code's rule
(specificity for E11.x, the E/M levels for 99214 against 99213) is what the next chart needs.

The question, best first: one naming the code itself (a code reference or a code-this answer), then
one naming a code of its family (the ICD-10-CM category; the CPT section or HCPCS letter of the denial
trends); among equals a coder's quiz first. Not merely one of the code set's topic: a 99214 billed for
a 99213 is an E/M level question, and a question on CPT's categories would teach it nothing. A code no
published question teaches adds no card; the answer names it, so the question bank's gaps show.

The audit and the cards are one transaction: the audit (which must not exist yet) and the learner
record at the version read, retried when a quiz submission wins the race for the same record.
Round trips: the quiz list (one query), the quizzes (one batch get), the learner record (one get)
and the transaction; a lost race repeats the last two. An audit with no miss is one conditional put,
and so is one whose misses no question teaches (after the two reads of the questions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from codedesk.audits.models import AuditAnswer
from codedesk.content.view import ContentView
from codedesk.denials.trends import code_family
from codedesk.quizzes import records
from codedesk.quizzes.leitner import after_miss
from codedesk.quizzes.models import CODE_SHAPES, CodeReference, CodeThisQuestion, Question, normalise_code
from codedesk.quizzes.service import SUBMIT_TRIES, StoreBusy
from codedesk.store.port import Put, Table, TransactionCanceled


def code_system(code: str) -> str:
    """What an audited code is: an ICD-10-CM code keeps its dot when it has one (J11.00 is a diagnosis,
    J1100 an HCPCS drug code), two characters are a modifier."""
    if len(code) == 2:
        return "MODIFIER"
    if CODE_SHAPES["CPT"].match(code):
        return "CPT"
    if "." not in code and CODE_SHAPES["HCPCS"].match(code):
        return "HCPCS"
    return "ICD10CM"


def family(system: str, code: str) -> str:
    if system == "ICD10CM":
        return f"ICD-10-CM {normalise_code(code)[:3]}"
    if system in ("CPT", "HCPCS"):
        return code_family(normalise_code(code))
    return "modifier"


def _codes_named(question: Question) -> set[tuple[str, str]]:
    named: set[tuple[str, str]] = {
        (ref.system, normalise_code(ref.code)) for ref in question.references if isinstance(ref, CodeReference)
    }
    if isinstance(question, CodeThisQuestion):
        named |= {(question.system, normalise_code(code)) for code in question.accepted}
    return named


class QuestionFinder:
    """The published questions, each with the quiz it lives in, ready to be matched with codes."""

    def __init__(self, view: ContentView):
        summaries = records.quiz_summaries(view)
        for_coders = {s.quiz_id for s in summaries if "coder" in s.roles}
        quizzes = records.read_quizzes(view, [s.quiz_id for s in summaries])
        self.questions: list[tuple[Question, str, bool]] = []
        seen: set[str] = set()
        for quiz_id in sorted(quizzes, key=lambda q: (q not in for_coders, q)):
            for question in quizzes[quiz_id].questions:
                if question.id not in seen:
                    seen.add(question.id)
                    self.questions.append((question, quiz_id, quiz_id in for_coders))

    def best(self, code: str, taken: set[str]) -> tuple[Question, str] | None:
        system = code_system(code)
        wanted, its_family = normalise_code(code), family(system, code)

        def closeness(entry: tuple[Question, str, bool]) -> int | None:
            question = entry[0]
            named = _codes_named(question)
            if (system, wanted) in named:
                return 0
            if system != "MODIFIER" and any(s == system and family(s, c) == its_family for s, c in named):
                return 1
            return None

        ranked = [
            (rank, not for_coder, question.id, question, quiz_id)
            for question, quiz_id, for_coder in self.questions
            if question.id not in taken and (rank := closeness((question, quiz_id, for_coder))) is not None
        ]
        if not ranked:
            return None
        *_, question, quiz_id = min(ranked, key=lambda r: r[:3])
        return question, quiz_id


def _why(audit: AuditAnswer, ref: str, code: str) -> str:
    """The miss in the family's words, not the codes': "the documentation supported E11.9" would give
    away the answer of the question that asks for E11.9 (the scorecard has the codes)."""
    system = code_system(code)
    return f"Audit of {audit.month}, encounter {ref}: a code ({family(system, code)}) did not match the documentation."


class Lesson(NamedTuple):
    """A question an audit miss puts in box 1 of the coder's review."""

    question_id: str
    quiz_id: str
    why: str


@dataclass(frozen=True)
class AuditCards:
    lessons: list[Lesson]  # the questions the audit puts in box 1, one per missed code taught
    untaught: list[str]  # missed codes no published question teaches

    @property
    def added(self) -> int:
        return len(self.lessons)


def cards_for_audit(finder: QuestionFinder, audit: AuditAnswer) -> AuditCards:
    """The questions that teach the audit's missed codes (which depend on the published content
    only, not on the coder's record), each question once."""
    lessons, taken, untaught = list[Lesson](), set[str](), list[str]()
    for miss in audit.misses:
        for code in [*miss.not_supported, *miss.not_billed]:  # billed-not-supported, supported-not-billed: apart
            found = finder.best(code, taken)
            if found is None:
                untaught.append(code)
                continue
            question, quiz_id = found
            taken.add(question.id)
            lessons.append(Lesson(question.id, quiz_id, _why(audit, miss.ref, code)))
    return AuditCards(lessons, sorted(set(untaught)))


def keep_with_review_cards(
    table: Table, view: ContentView, audit: AuditAnswer, audit_put: Put, today: date
) -> AuditCards | None:
    """Store the audit and the coder's new review cards together; None when the audit missed nothing.
    An audit whose misses no question teaches is stored alone: the coder's record is not touched."""
    found = cards_for_audit(QuestionFinder(view), audit) if audit.misses else None
    if found is None or not found.lessons:
        table.put(audit_put.item, condition=audit_put.condition)
        return found
    for _ in range(SUBMIT_TRIES):
        learner = records.read_learner(table, audit.team, audit.coder)
        cards = dict(learner.cards)
        for lesson in found.lessons:
            cards[lesson.question_id] = after_miss(
                cards.get(lesson.question_id),
                question_id=lesson.question_id,
                quiz_id=lesson.quiz_id,
                today=today,
                why=lesson.why,
            )
        try:
            table.transact_write(
                [audit_put, records.learner_put(audit.team, audit.coder, learner, cards, learner.answers_seen)]
            )
            return found
        except TransactionCanceled:
            continue
    raise StoreBusy(audit.audit_id)
