"""The quiz pages of the site: the list of quizzes (from content/), the page that takes them and the
supervisor's report. Questions are never written into a page: the page asks the API, which serves
them without answers."""

from __future__ import annotations

from html import escape
from pathlib import Path

from codedesk.content.bundle import ContentBundle
from codedesk.quizzes.catalog import build_quizzes
from codedesk.quizzes.subjects import subjects_of


def _cell(text: str) -> str:
    return escape(text).replace("|", "\\|")


def _quiz_list(bundle: ContentBundle) -> str:
    built, _ = build_quizzes(bundle, subjects_of(bundle))
    rows = [
        f'| <a href="take/?quiz={escape(b.quiz.id)}">{_cell(b.quiz.title)}</a> | {_cell(b.quiz.description)} | '
        f"{', '.join(b.quiz.roles)} | {len(b.questions)} | {b.quiz.pass_mark}% |"
        for b in sorted(built, key=lambda b: b.quiz.title.lower())
    ]
    return "\n".join(
        [
            "# Practice quizzes",
            "",
            "Practise what the guides teach. Each answer is explained, with links to the guide section, code, denial "
            "card or payer sheet it comes from. Your attempts are kept so you can see your progress, and the "
            "questions you miss come back in **Review my misses** until you know them.",
            "",
            "Sign in first (Tools → Who am I?).",
            "",
            '<section id="cd-quiz-assigned" aria-live="polite" hidden></section>',
            '<script type="module" src="assigned.js"></script>',
            "",
            "| Quiz | What it covers | For | Questions | Pass mark |",
            "|---|---|---|---|---|",
            *rows,
            "",
            '<p><a class="md-button md-button--primary" href="take/?misses=1">Review my misses</a> '
            '<a class="md-button" href="report/">Supervisor report</a></p>',
            "",
            "CPT codes appear in examples written in our own words, never with the AMA's descriptors; "
            "denial explanations are ours, not the X12 descriptions.",
            "",
        ]
    )


ASSIGNED_SCRIPT = Path(__file__).with_name("assigned.js")

TAKE_PAGE = """# Take a quiz

<p id="cd-quiz-status" aria-live="polite">Loading…</p>

<form id="cd-quiz-pick" class="cd-form">
  <label for="cd-quiz-select">Quiz</label>
  <select id="cd-quiz-select" name="quiz"></select>
  <button type="submit" class="md-button">Start</button>
  <button type="button" id="cd-quiz-misses" class="md-button">Review my misses</button>
</form>

<form id="cd-quiz-form" class="cd-form cd-quiz" hidden>
  <h2 id="cd-quiz-title"></h2>
  <p id="cd-quiz-description"></p>
  <ol id="cd-quiz-questions"></ol>
  <p><button type="submit" class="md-button md-button--primary">Submit answers</button></p>
</form>

<p id="cd-quiz-error" hidden></p>

<section id="cd-quiz-result" hidden aria-live="polite">
  <h2>Your result</h2>
  <p id="cd-quiz-score"></p>
  <ol id="cd-quiz-results"></ol>
</section>

<section id="cd-my-attempts">
  <h2>My attempts</h2>
  <table>
    <thead><tr><th>When</th><th>Quiz</th><th>Score</th><th>Passed</th></tr></thead>
    <tbody id="cd-attempt-rows"></tbody>
  </table>
</section>

<script type="module" src="../../js/quiz.js"></script>
"""

REPORT_PAGE = """# Quiz report

For supervisors: who has taken each quiz, their best and last result and whether they passed, and
which questions are most often answered wrong (a question many people miss may be confusing, or a
topic to train again). A result marked "after answers were shown" comes from an attempt made after
the quiz's answers had been shown to that person (by an earlier attempt or by Review my misses): it
is weaker evidence than a first pass.

<p id="cd-report-status" aria-live="polite">Loading…</p>
<p id="cd-report-error" hidden></p>
<div id="cd-report"></div>

<script type="module" src="../../js/quiz-report.js"></script>
"""


def site_pages(bundle: ContentBundle) -> dict[str, str]:
    return {
        "quizzes/index.md": _quiz_list(bundle),
        "quizzes/take.md": TAKE_PAGE,
        "quizzes/assigned.js": ASSIGNED_SCRIPT.read_text(),
        "quizzes/report.md": REPORT_PAGE,
    }
