"""The question bank and the quizzes, as content editors write them in content/quizzes/.

A question carries its answer and explanation; what a learner sees is a separate, stripped view
(codedesk.quizzes.serving). Every rule a question must follow lives here, so authored questions and
questions generated from the other domains' content pass the same validator.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from codedesk.content.facts import ContentModel, Sourced
from codedesk.denials.codes import parse_denial_code
from codedesk.roles import Role
from codedesk.topics import Topic

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
CodeSystem = Literal["ICD10CM", "HCPCS", "CPT", "MODIFIER", "POS"]

# The shape each code system's codes take once normalised (upper case, no dot, no space).
CODE_SHAPES: dict[str, re.Pattern[str]] = {
    "ICD10CM": re.compile(r"^[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$"),
    "HCPCS": re.compile(r"^[A-V][0-9]{4}$"),
    "CPT": re.compile(r"^[0-9]{4}[0-9FTU]$"),
    "MODIFIER": re.compile(r"^[0-9A-Z]{2}$"),
    "POS": re.compile(r"^[0-9]{2}$"),
}
# A CPT-looking code in running text: five digits, or four digits and F (Category II) or T (III).
CPT_IN_TEXT = re.compile(r"(?<![\w.])\d{4}[0-9FT](?![\w.])")


def is_level_one(system: str, code: str) -> bool:
    """CPT codes and CPT's two-digit modifiers are AMA copyright; HCPCS Level II ones are not."""
    return system == "CPT" or (system == "MODIFIER" and normalise_code(code).isdigit())


def normalise_code(code: str) -> str:
    """`" e11.9 "` → `"E119"`: how a typed code is compared with the accepted answers."""
    return re.sub(r"[.\s]", "", code).upper()


# ------------------------------------------------------------------------------ references


class GuideReference(ContentModel):
    kind: Literal["guide"]
    guide: Slug
    section: Slug | None = None


class CodeReference(ContentModel):
    kind: Literal["code"]
    system: CodeSystem
    code: str

    @model_validator(mode="after")
    def _code_has_the_system_shape(self) -> CodeReference:
        if not CODE_SHAPES[self.system].match(normalise_code(self.code)):
            raise ValueError(f"{self.code!r} is not a {self.system} code")
        return self


class DenialReference(ContentModel):
    kind: Literal["denial"]
    code: str  # as a biller reads it on a remit: "CO", "CO-29", "29", "N290"

    @field_validator("code")
    @classmethod
    def _reads_as_a_denial_code(cls, code: str) -> str:
        parse_denial_code(code)  # raises with what to type instead
        return code.strip().upper()

    def card_code(self) -> str:
        """The code whose denial card answers this reference: "CO-29" → "29"."""
        return parse_denial_code(self.code).code


class PayerReference(ContentModel):
    kind: Literal["payer"]
    payer_id: Slug


class CalendarReference(ContentModel):
    kind: Literal["calendar"]
    code_set: str | None = None


Reference = Annotated[
    GuideReference | CodeReference | DenialReference | PayerReference | CalendarReference,
    Field(discriminator="kind"),
]


class QuestionFact(Sourced):
    """A regulatory statement the question rests on, with where it comes from."""

    statement: Annotated[str, Field(min_length=10)]


# ------------------------------------------------------------------------------- questions


class QuestionBase(ContentModel):
    id: Slug
    prompt: Annotated[str, Field(min_length=10, max_length=1200)]
    explanation: Annotated[str, Field(min_length=10, max_length=2000)]
    topic: Topic
    roles: Annotated[list[Role], Field(min_length=1)]
    references: list[Reference] = []
    # The question states a rule, a date or a limit: it must say where that comes from.
    regulatory: bool = False
    facts: list[QuestionFact] = []
    # CPT codes may be named, never described with the AMA's words: the author confirms that the
    # wording is ours, and the site shows the mark.
    cpt_in_own_words: bool = False

    @property
    def needs_verification(self) -> bool:
        return any(fact.verify for fact in self.facts)

    def texts(self) -> list[str]:
        return [self.prompt, self.explanation]

    @model_validator(mode="after")
    def _regulatory_questions_carry_sources(self) -> QuestionBase:
        if self.regulatory and not self.facts:
            raise ValueError("facts: a regulatory question needs at least one fact with its source and reviewed_on")
        return self

    @model_validator(mode="after")
    def _cpt_examples_are_marked(self) -> QuestionBase:
        if self.cpt_in_own_words:
            return self
        if any(is_level_one(ref.system, ref.code) for ref in self.references if isinstance(ref, CodeReference)) or any(
            CPT_IN_TEXT.search(text) for text in self.texts()
        ):
            raise ValueError(
                "cpt_in_own_words: this question names a CPT code or a CPT (Level I) modifier; write it in our "
                "own words (no AMA descriptor) and set cpt_in_own_words: true"
            )
        return self


class Option(ContentModel):
    id: Slug
    text: Annotated[str, Field(min_length=1, max_length=400)]
    correct: bool = False


class ChoiceQuestion(QuestionBase):
    options: list[Option]

    def texts(self) -> list[str]:
        return [*super().texts(), *(option.text for option in self.options)]

    def correct_option_ids(self) -> list[str]:
        return [option.id for option in self.options if option.correct]

    @model_validator(mode="after")
    def _options_are_distinct(self) -> ChoiceQuestion:
        ids = [option.id for option in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("options: two options share an id")
        texts = [option.text.strip().casefold() for option in self.options]
        if len(set(texts)) != len(texts):
            raise ValueError("options: two options have the same text")
        return self


class SingleChoiceQuestion(ChoiceQuestion):
    type: Literal["single_choice"]
    options: Annotated[list[Option], Field(min_length=2, max_length=6)]

    @model_validator(mode="after")
    def _exactly_one_correct(self) -> SingleChoiceQuestion:
        if len(self.correct_option_ids()) != 1:
            raise ValueError("options: a single-choice question has exactly one correct option")
        return self


class MultipleSelectQuestion(ChoiceQuestion):
    type: Literal["multiple_select"]
    options: Annotated[list[Option], Field(min_length=3, max_length=8)]

    @model_validator(mode="after")
    def _some_right_some_wrong(self) -> MultipleSelectQuestion:
        correct = len(self.correct_option_ids())
        if correct == 0 or correct == len(self.options):
            raise ValueError("options: a multiple-select question needs at least one correct and one wrong option")
        return self


class TrueFalseQuestion(QuestionBase):
    type: Literal["true_false"]
    answer: bool


class CodeThisQuestion(QuestionBase):
    """A short scenario; the learner types the code. Case, dots and spaces do not matter."""

    type: Literal["code_this"]
    system: CodeSystem
    accepted: Annotated[list[str], Field(min_length=1, max_length=10)]

    def texts(self) -> list[str]:
        return [*super().texts(), *self.accepted]

    def accepts(self, typed: str) -> bool:
        return normalise_code(typed) in {normalise_code(code) for code in self.accepted}

    @model_validator(mode="after")
    def _accepted_codes_have_the_system_shape(self) -> CodeThisQuestion:
        normalised = [normalise_code(code) for code in self.accepted]
        if len(set(normalised)) != len(normalised):
            raise ValueError("accepted: two accepted answers are the same code once case, dots and spaces are ignored")
        for code in self.accepted:
            if not CODE_SHAPES[self.system].match(normalise_code(code)):
                raise ValueError(f"accepted: {code!r} is not a {self.system} code")
        if any(is_level_one(self.system, code) for code in self.accepted) and not self.cpt_in_own_words:
            raise ValueError(
                "cpt_in_own_words: a CPT code or modifier answer needs the scenario in our own words; "
                "set cpt_in_own_words: true"
            )
        return self


Question = Annotated[
    SingleChoiceQuestion | MultipleSelectQuestion | TrueFalseQuestion | CodeThisQuestion,
    Field(discriminator="type"),
]


class QuestionBank(ContentModel):
    """One file of content/quizzes/questions/: the authored questions of one subject."""

    questions: Annotated[list[Question], Field(min_length=1)]


# --------------------------------------------------------------------------------- quizzes

# The practice quiz made of a learner's misses is served under this id; no authored quiz may take it.
REVIEW_QUIZ_ID = "misses"

GeneratorName = Literal[
    "denial_meaning", "code_billable", "code_system", "code_title", "payer_timely_filing", "release_date"
]


class GeneratedQuestions(ContentModel):
    """Questions made from the other domains' content at publish time; the seed picks which."""

    generator: GeneratorName
    count: Annotated[int, Field(ge=1, le=20)]
    seed: int = 0


class Quiz(ContentModel):
    """One file of content/quizzes/quizzes/: a set of questions with a pass mark."""

    id: Slug
    title: Annotated[str, Field(min_length=3, max_length=120)]
    description: Annotated[str, Field(min_length=10, max_length=600)]
    roles: Annotated[list[Role], Field(min_length=1)]
    pass_mark: Annotated[int, Field(ge=1, le=100, description="percent of questions right to pass")]
    questions: list[Slug] = []
    generated: list[GeneratedQuestions] = []

    @field_validator("id")
    @classmethod
    def _not_the_review_id(cls, quiz_id: str) -> str:
        if quiz_id == REVIEW_QUIZ_ID:
            raise ValueError(f"{REVIEW_QUIZ_ID!r} is the id of the review-my-misses practice; choose another id")
        return quiz_id

    @model_validator(mode="after")
    def _has_questions(self) -> Quiz:
        if not self.questions and not self.generated:
            raise ValueError("questions: a quiz needs authored questions, generated ones, or both")
        if len(set(self.questions)) != len(self.questions):
            raise ValueError("questions: a question is listed twice")
        return self
