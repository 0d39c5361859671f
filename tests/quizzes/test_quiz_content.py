"""content/quizzes/ as an editor meets it: the real bank validates, and mistakes are reported by line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codedesk.catalog import load_content
from codedesk.quizzes.catalog import build_quizzes, check_quizzes, heading_anchor
from codedesk.quizzes.generate import generate
from codedesk.quizzes.models import CPT_IN_TEXT
from codedesk.quizzes.subjects import subjects_of

CONTENT = Path(__file__).resolve().parents[2] / "content"
REQUIRED_QUIZZES = {"receptionist", "coder", "biller", "modifiers", "denials", "quarterly-updates"}


@pytest.fixture(scope="module")
def bundle():
    bundle, _ = load_content(CONTENT)
    return bundle


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


def quiz_problems(root: Path) -> list[str]:
    bundle, problems = load_content(root)
    assert not [p for p in problems if p.severity == "error" and not p.path.startswith("quizzes/")], problems
    return [str(p) for p in check_quizzes(bundle)]


def test_the_real_question_bank_and_quizzes_have_no_problem(bundle):
    assert check_quizzes(bundle) == []


def test_six_quizzes_each_with_a_pass_mark_and_enough_questions(bundle):
    built, _ = build_quizzes(bundle, subjects_of(bundle))
    quizzes = {b.quiz.id: b for b in built}
    assert set(quizzes) >= REQUIRED_QUIZZES
    for quiz in quizzes.values():
        assert 50 <= quiz.quiz.pass_mark <= 100
        assert len(quiz.questions) >= 5, quiz.quiz.id
    assert any(q.id.startswith("gen-denial-") for q in quizzes["denials"].questions)
    assert any(q.id.startswith("gen-release-") for q in quizzes["quarterly-updates"].questions)


def test_every_question_naming_a_cpt_code_is_marked_our_own_words(bundle):
    built, _ = build_quizzes(bundle, subjects_of(bundle))
    for question in {q.id: q for b in built for q in b.questions}.values():
        if any(CPT_IN_TEXT.search(text) for text in question.texts()):
            assert question.cpt_in_own_words, question.id


def test_a_calendar_fix_fixes_the_quiz(content_copy: Path):
    rules = content_copy / "calendar" / "releases.yaml"
    october_rule = 'effective_months: [10]\n    source: "CDC'
    rules.write_text(rules.read_text().replace(october_rule, october_rule.replace("[10]", "[9]"), 1))
    bundle, _ = load_content(content_copy)
    (question,) = [
        q
        for q in generate("release_date", subjects_of(bundle), 7, seed=0)
        if q.id == "gen-release-icd-10-cm-annual-release"
    ]
    assert [o.text for o in question.options if o.correct] == ["September 1"]


def test_an_unknown_question_in_a_quiz_is_reported_with_its_line(content_copy: Path):
    quiz = content_copy / "quizzes" / "quizzes" / "modifiers.yaml"
    quiz.write_text(quiz.read_text() + "  - md-no-such-question\n")
    problems = quiz_problems(content_copy)
    line = quiz.read_text().splitlines().index("  - md-no-such-question") + 1
    assert f"quizzes/quizzes/modifiers.yaml:{line}: questions: no question with id 'md-no-such-question'" in problems[0]


def test_a_question_resting_on_an_unverified_fact_cannot_be_quizzed(content_copy: Path):
    bank = content_copy / "quizzes" / "questions" / "updates.yaml"
    text = bank.read_text().replace('source: "45 CFR 162.1011"', 'source: "45 CFR 162.1011"\n        verify: true')
    bank.write_text(text)
    problems = quiz_problems(content_copy)
    assert any("up-code-valid-on-date-of-service rests on a fact marked verify: true" in p for p in problems)


def test_asking_more_generated_questions_than_the_content_gives_is_reported(content_copy: Path):
    quiz = content_copy / "quizzes" / "quizzes" / "quarterly-updates.yaml"
    quiz.write_text(
        quiz.read_text().replace(
            "{generator: release_date, count: 5, seed: 1}", "{generator: release_date, count: 20, seed: 1}"
        )
    )
    problems = quiz_problems(content_copy)
    assert any("asks for 20 release_date questions; the content gives only" in p for p in problems)


def test_ids_are_unique_and_gen_is_reserved(content_copy: Path):
    extra = content_copy / "quizzes" / "questions" / "extra.yaml"
    copied = (content_copy / "quizzes" / "questions" / "updates.yaml").read_text()
    extra.write_text(copied.replace("id: up-after-release-checklist", "id: gen-mine"))
    problems = quiz_problems(content_copy)
    assert any("up-code-valid-on-date-of-service.id: the id is already used in" in p for p in problems)
    assert any("gen-mine.id: ids starting 'gen-' are for generated questions" in p for p in problems)


def test_a_broken_guide_link_is_a_warning_naming_the_anchor(content_copy: Path):
    bank = content_copy / "quizzes" / "questions" / "front-desk.yaml"
    bank.write_text(bank.read_text().replace("section: privacy-at-the-desk", "section: privacy-at-the-bar"))
    bundle, _ = load_content(content_copy)
    (problem,) = check_quizzes(bundle)
    assert problem.severity == "warning" and "no heading with anchor #privacy-at-the-bar" in problem.message


def test_a_quiz_file_is_named_after_its_id(content_copy: Path):
    folder = content_copy / "quizzes" / "quizzes"
    (folder / "modifiers.yaml").rename(folder / "mods.yaml")
    assert any("must match the file name (modifiers.yaml)" in p for p in quiz_problems(content_copy))


def test_facts_marked_verify_are_never_drilled(content_copy: Path):
    bundle, _ = load_content(content_copy)
    assert any(s.system == "POS" for s in subjects_of(bundle).codes)
    pos = content_copy / "codes" / "lists" / "pos.yaml"
    pos.write_text(pos.read_text().replace("reviewed_on: 2026-11-23\n", "reviewed_on: 2026-11-23\nverify: true\n", 1))
    bundle, _ = load_content(content_copy)
    assert not [s for s in subjects_of(bundle).codes if s.system == "POS"]


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Which release applies: the date of service", "which-release-applies-the-date-of-service"),
        ("Privacy at the desk {#privacy}", "privacy"),
        ("Coordination of benefits — at the desk", "coordination-of-benefits-at-the-desk"),
    ],
)
def test_guide_anchors_are_the_ones_mkdocs_makes(heading, anchor):
    assert heading_anchor(heading) == anchor
