"""What a learner is shown of a question: never the answer, the explanation or the references.

Question and option ids are opaque, and the option order is derived only from (quiz, learner,
question, authored option id), so the served question is the same whatever option is correct and
wherever the author put it: neither ids nor order carry the answer (an authored id such as
"md-ga-waiver-on-file" would). The same learner sees the same ids on every load, so a page reload
keeps their choices; another learner sees another order.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict

from codedesk.quizzes.models import ChoiceQuestion, CodeThisQuestion, Question


class ServedOption(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    text: str


class ServedQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    type: str
    prompt: str
    topic: str
    options: list[ServedOption] | None = None
    system: str | None = None  # code_this: the code set the typed code belongs to
    cpt_in_own_words: bool = False
    why: str | None = None  # review my misses: the audit miss that put the question there


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


def opaque_question_id(context: str, user_id: str, question_id: str) -> str:
    return f"q{_digest(context, user_id, question_id)}"


def opaque_option_id(context: str, user_id: str, question_id: str, option_id: str) -> str:
    return f"o{_digest(context, user_id, question_id, option_id)}"


def option_ids(context: str, user_id: str, question: ChoiceQuestion) -> dict[str, str]:
    """Opaque id → authored option id, in the order the learner sees the options."""
    pairs = sorted(
        (opaque_option_id(context, user_id, question.id, option.id), option.id) for option in question.options
    )
    return dict(pairs)


def serve_question(context: str, user_id: str, question: Question) -> ServedQuestion:
    served = ServedQuestion(
        id=opaque_question_id(context, user_id, question.id),
        type=question.type,
        prompt=question.prompt,
        topic=question.topic,
        cpt_in_own_words=question.cpt_in_own_words,
    )
    if isinstance(question, ChoiceQuestion):
        texts = {option.id: option.text for option in question.options}
        served.options = [
            ServedOption(id=opaque, text=texts[authored])
            for opaque, authored in option_ids(context, user_id, question).items()
        ]
    if isinstance(question, CodeThisQuestion):
        served.system = question.system
    return served
