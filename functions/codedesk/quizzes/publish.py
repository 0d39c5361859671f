"""Quizzes in the table: one item per quiz holding its questions (answers included: the service strips
them before serving), and one small list item per quiz in a shared partition for the quiz list."""

from __future__ import annotations

from collections.abc import Iterator

from codedesk.content.bundle import ContentBundle
from codedesk.quizzes.catalog import BuiltQuiz, build_quizzes
from codedesk.quizzes.items import QUIZ_LIST_PK, QUIZ_SK, quiz_pk
from codedesk.quizzes.subjects import subjects_of
from codedesk.store.keys import Prefix
from codedesk.store.port import Item

PREFIXES = (f"{Prefix.QUIZ}#",)


def summary_of(built: BuiltQuiz) -> Item:
    quiz = built.quiz
    return {
        "quiz_id": quiz.id,
        "title": quiz.title,
        "description": quiz.description,
        "roles": list(quiz.roles),
        "topics": built.topics,
        "pass_mark": quiz.pass_mark,
        "question_count": len(built.questions),
    }


def publish_items(bundle: ContentBundle) -> Iterator[Item]:
    built_quizzes, _ = build_quizzes(bundle, subjects_of(bundle))  # the loader has reported the problems
    for built in built_quizzes:
        summary = summary_of(built)
        yield {"PK": QUIZ_LIST_PK, "SK": built.quiz.id, **summary}
        yield {
            "PK": quiz_pk(built.quiz.id),
            "SK": QUIZ_SK,
            **summary,
            "questions": [question.model_dump(mode="json") for question in built.questions],
        }
