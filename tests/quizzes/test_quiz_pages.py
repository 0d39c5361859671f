"""The quiz pages of the site: a list built from content/, never a question or an answer in a page."""

from __future__ import annotations

from pathlib import Path

import pytest

from codedesk.catalog import load_content
from codedesk.quizzes.catalog import build_quizzes
from codedesk.quizzes.pages import site_pages
from codedesk.quizzes.subjects import subjects_of

CONTENT = Path(__file__).resolve().parents[2] / "content"
JS = Path(__file__).resolve().parents[2] / "site" / "docs" / "js"


@pytest.fixture(scope="module")
def bundle():
    return load_content(CONTENT)[0]


def test_the_list_links_every_quiz_with_its_pass_mark(bundle):
    pages = site_pages(bundle)
    index = pages["quizzes/index.md"]
    built, _ = build_quizzes(bundle, subjects_of(bundle))
    for quiz in built:
        assert f'href="take/?quiz={quiz.quiz.id}"' in index
        assert f"| {len(quiz.questions)} | {quiz.quiz.pass_mark}% |" in index
    assert 'href="take/?misses=1"' in index and 'href="report/"' in index


def test_no_page_carries_a_question_prompt_or_explanation(bundle):
    text = "".join(site_pages(bundle).values())
    built, _ = build_quizzes(bundle, subjects_of(bundle))
    for question in {q.id: q for b in built for q in b.questions}.values():
        assert question.prompt not in text and question.explanation not in text


def test_the_pages_load_the_quiz_modules_that_use_the_shared_api_module(bundle):
    pages = site_pages(bundle)
    assert '<script type="module" src="../../js/quiz.js"></script>' in pages["quizzes/take.md"]
    assert '<script type="module" src="../../js/quiz-report.js"></script>' in pages["quizzes/report.md"]
    for module in ("quiz.js", "quiz-report.js"):
        source = (JS / module).read_text()
        assert 'from "./api.js"' in source
        assert "innerHTML" not in source  # server text is shown with textContent only
