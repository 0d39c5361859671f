"""Questions made from the other domains' content, so a fixed denial card or payer sheet fixes the quiz.

Each generator takes plain *subjects* (a denial card's code and title, a payer's filing limit, ...)
and a seed, and returns questions built through the same models as authored ones, so they pass the
same validator. The subjects come from small functions over the other domains' models
(codedesk.quizzes.subjects); the generators know nothing of those models.

Deterministic: the same subjects and seed give the same questions, in the same order, with the same
ids. A question's id names its subject, not the seed, so statistics follow the subject.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import TypeAdapter

from codedesk.quizzes.models import CODE_SHAPES, GeneratorName, Question, normalise_code

DISTRACTORS = 3
QUESTION: TypeAdapter[Question] = TypeAdapter(Question)


@dataclass(frozen=True)
class SourcedFact:
    statement: str
    source: str
    reviewed_on: date


@dataclass(frozen=True)
class DenialSubject:
    code: str  # the card's code: "29", "N290"
    kind: str  # "carc" or "rarc"
    title: str  # our own short wording of what it means


@dataclass(frozen=True)
class CodeSubject:
    system: str  # "ICD10CM", "HCPCS", ...
    code: str  # dotted, upper case
    title: str
    billable: bool


@dataclass(frozen=True)
class FilingSubject:
    payer_id: str
    payer_name: str
    limit: str  # "12 months from the date of service"
    about_days: int  # the limit's length, to keep near-equal periods out of the distractors
    fact: SourcedFact


# Wrong answers to mix with other payers' limits when the content has few payers with a fixed limit.
FILING_DISTRACTORS = (
    ("30 days from the date of service", 30),
    ("90 days from the date of service", 90),
    ("6 months from the date of service", 182),
    ("12 months from the date of service", 365),
    ("2 years from the date of service", 730),
)


@dataclass(frozen=True)
class ReleaseSubject:
    code_set: str
    name: str  # "ICD-10-CM annual release"
    takes_effect: str  # "October 1" or "January 1, April 1, July 1 and October 1"
    fact: SourcedFact


@dataclass(frozen=True)
class Subjects:
    denials: Sequence[DenialSubject] = ()
    codes: Sequence[CodeSubject] = ()
    filing_limits: Sequence[FilingSubject] = ()
    releases: Sequence[ReleaseSubject] = ()


CODE_SET_NAMES = {
    "ICD10CM": "ICD-10-CM (diagnoses)",
    "HCPCS": "HCPCS Level II (supplies, drugs, services not in CPT)",
    "CPT": "CPT (procedures and services)",
    "MODIFIER": "A modifier",
    "POS": "Place of service",
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _pick(rng: random.Random, items: Sequence, count: int) -> list:
    return rng.sample(list(items), min(count, len(items)))


def _choice_question(
    qid: str, prompt: str, correct: str, wrong: Sequence[str], rng: random.Random, **fields
) -> Question:
    """A single-choice question; options in a seeded order (serving reorders them anyway)."""
    texts = [correct, *wrong]
    rng.shuffle(texts)
    options = [{"id": slug(text)[:40], "text": text, "correct": text == correct} for text in texts]
    return QUESTION.validate_python(
        {"id": qid, "type": "single_choice", "prompt": prompt, "options": options, **fields}
    )


def _facts(fact: SourcedFact) -> list[dict]:
    return [{"statement": fact.statement, "source": fact.source, "reviewed_on": fact.reviewed_on}]


# ------------------------------------------------------------------------------ generators


def denial_meaning(subjects: Subjects, count: int, rng: random.Random) -> list[Question]:
    """ "A remit shows CARC 29. What does it mean?" with the titles of other cards as distractors."""
    questions = []
    for card in _pick(rng, subjects.denials, count):
        others = sorted({d.title for d in subjects.denials if d.kind == card.kind and d.title != card.title})
        if len(others) < DISTRACTORS:
            continue
        label = "reason code (CARC)" if card.kind == "carc" else "remark code (RARC)"
        questions.append(
            _choice_question(
                f"gen-denial-{slug(card.code)}",
                f"A remittance shows the {label} {card.code}. What does it mean, in plain words?",
                card.title,
                _pick(rng, others, DISTRACTORS),
                rng,
                explanation=(
                    f"{card.code}: {card.title}. The denial card explains the common causes and the fix. "
                    "Explanations are Codedesk's own words, not the X12 description."
                ),
                topic="denials",
                roles=["biller"],
                references=[{"kind": "denial", "code": card.code}],
            )
        )
    return questions


def code_billable(subjects: Subjects, count: int, rng: random.Random) -> list[Question]:
    """ "Can E11 be reported on a claim?": billable code or header with codes under it."""
    questions = []
    for code in _pick(rng, [c for c in subjects.codes if c.system == "ICD10CM"], count):
        verdict = "a billable code" if code.billable else "a header: report one of the codes under it"
        questions.append(
            QUESTION.validate_python(
                {
                    "id": f"gen-billable-{slug(code.system)}-{slug(code.code)}",
                    "type": "true_false",
                    "prompt": f"True or false: {code.code} ({code.title}) can be reported on a claim as it is.",
                    "answer": code.billable,
                    "explanation": f"{code.code} is {verdict}. The code lookup shows whether a code is billable.",
                    "topic": "icd-10-cm",
                    "roles": ["coder"],
                    "references": [{"kind": "code", "system": code.system, "code": code.code}],
                }
            )
        )
    return questions


def code_system(subjects: Subjects, count: int, rng: random.Random) -> list[Question]:
    """ "Which code set does G0008 belong to?" Code sets whose codes could look the same (POS 22 and
    modifier 22) are never offered as wrong answers: the question would have two right ones."""
    questions = []
    for code in _pick(rng, [c for c in subjects.codes if c.system != "CPT"], count):
        typed = normalise_code(code.code)
        wrong = [
            CODE_SET_NAMES[s] for s in sorted(CODE_SET_NAMES) if s != code.system and not CODE_SHAPES[s].match(typed)
        ]
        if len(wrong) < 2:
            continue
        questions.append(
            _choice_question(
                f"gen-system-{slug(code.system)}-{slug(code.code)}",
                f"Which code set does {code.code} belong to?",
                CODE_SET_NAMES[code.system],
                _pick(rng, wrong, DISTRACTORS),
                rng,
                explanation=f"{code.code} is a {code.system} code: {code.title}.",
                topic="code-sets",
                roles=["coder", "biller"],
                references=[{"kind": "code", "system": code.system, "code": code.code}],
            )
        )
    return questions


def code_title(subjects: Subjects, count: int, rng: random.Random) -> list[Question]:
    """ "What is place of service 02?" with other codes' titles of the same code set as distractors.
    Only public-domain titles are subjects (the curated lists hold no CPT or Level I modifier)."""
    questions = []
    for code in _pick(rng, subjects.codes, count):
        others = sorted({c.title for c in subjects.codes if c.system == code.system and c.title != code.title})
        if len(others) < DISTRACTORS:
            continue
        name = CODE_SET_NAMES[code.system].split(" (")[0].lower() if code.system != "POS" else "place of service"
        questions.append(
            _choice_question(
                f"gen-title-{slug(code.system)}-{slug(code.code)}",
                f"What does {name} code {code.code} stand for?",
                code.title,
                _pick(rng, others, DISTRACTORS),
                rng,
                explanation=f"{code.system} {code.code}: {code.title}. The code lookup shows the code with its notes.",
                topic="code-sets",
                roles=["receptionist", "biller", "coder"],
                references=[{"kind": "code", "system": code.system, "code": code.code}],
            )
        )
    return questions


def payer_timely_filing(subjects: Subjects, count: int, rng: random.Random) -> list[Question]:
    """ "How long does Medicare allow to file a claim?" with other payers' limits as distractors."""
    questions = []
    periods = sorted({**dict(FILING_DISTRACTORS), **{s.limit: s.about_days for s in subjects.filing_limits}}.items())
    for subject in _pick(rng, subjects.filing_limits, count):
        # a distractor within a fifth of the right length would be a trick, not a test
        others = [text for text, days in periods if abs(days - subject.about_days) > subject.about_days / 5]
        questions.append(
            _choice_question(
                f"gen-filing-{subject.payer_id}",
                f"How long does {subject.payer_name} allow to file an initial claim?",
                subject.limit,
                _pick(rng, others, DISTRACTORS),
                rng,
                explanation=(
                    f"{subject.payer_name}: {subject.limit} (source: {subject.fact.source}). The payer sheet "
                    "lists every filing limit with its source."
                ),
                topic="timely-filing",
                roles=["biller"],
                references=[{"kind": "payer", "payer_id": subject.payer_id}],
                regulatory=True,
                facts=_facts(subject.fact),
            )
        )
    return questions


def release_date(subjects: Subjects, count: int, rng: random.Random) -> list[Question]:
    """ "When does the ICD-10-CM annual release take effect?" from the release calendar's rules."""
    questions = []
    dates = sorted({s.takes_effect for s in subjects.releases})
    for subject in _pick(rng, subjects.releases, count):
        others = [d for d in dates if d != subject.takes_effect]
        if len(others) < 2:
            continue
        questions.append(
            _choice_question(
                f"gen-release-{slug(subject.name)}",
                f"When does the {subject.name} take effect each year?",
                subject.takes_effect,
                _pick(rng, others, DISTRACTORS),
                rng,
                explanation=(
                    f"The {subject.name} takes effect on {subject.takes_effect}. Claims use the codes valid "
                    "on the date of service; the release calendar lists every date and the review that follows."
                ),
                topic="quarterly-updates",
                roles=["coder", "biller", "supervisor"],
                references=[{"kind": "calendar", "code_set": subject.code_set}],
                regulatory=True,
                facts=_facts(subject.fact),
            )
        )
    return questions


GENERATORS: dict[str, Callable[[Subjects, int, random.Random], list[Question]]] = {
    "denial_meaning": denial_meaning,
    "code_billable": code_billable,
    "code_system": code_system,
    "code_title": code_title,
    "payer_timely_filing": payer_timely_filing,
    "release_date": release_date,
}


def generate(generator: GeneratorName, subjects: Subjects, count: int, seed: int) -> list[Question]:
    """Up to `count` questions; fewer when the content has too few subjects (the caller reports it)."""
    rng = random.Random(f"{generator}:{seed}")
    return GENERATORS[generator](subjects, count, rng)
