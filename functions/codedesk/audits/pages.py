"""The site's audit scorecard page: record a month's audit (compliance) and read the scorecard."""

from __future__ import annotations

from pathlib import Path

from codedesk.audits.models import BENCHMARK
from codedesk.content.bundle import ContentBundle

FOLDER = "audits"
SCORECARD_SCRIPT = Path(__file__).with_name("scorecard.js")
ROWS = 10

_ROWS = "\n".join(
    f'    <tr><td><input name="ref" aria-label="Encounter {n} reference" maxlength="20" placeholder="A-{n:02d}"></td>'
    f'<td><input name="billed" aria-label="Encounter {n} billed codes" placeholder="99213, E11.9"></td>'
    f'<td><input name="supported" aria-label="Encounter {n} supported codes" placeholder="99213, E11.9"></td></tr>'
    for n in range(1, ROWS + 1)
)

SCORECARD_PAGE = f"""# Audit scorecard

Each month compliance selects encounters per provider (ten is the usual sample) and checks that the
billed codes match what the documentation supports. Record the audit here; the scorecard shows each
coder's and provider's accuracy against the {BENCHMARK:.0f}% benchmark, the codes most often wrong and
the trend by month. Each code found wrong puts the quiz question that teaches it (one naming the
code, else a code of its family) in the coder's [Review my misses](../quizzes/index.md), in the same
boxes as a quiz miss, with the encounter's reference and the code's family as the reason (not the
codes: they would give the answer away); a code no question teaches yet is named, for the content
editors.

Name each encounter by your own audit reference (A-01, A-02, …), never by a patient's name,
account or member number: Codedesk refuses references with spaces and keeps no patient identifier.

## Record an audit (compliance)

<form id="cd-audit-form" class="cd-form">
  <label for="cd-audit-month">Month audited</label>
  <input id="cd-audit-month" name="month" type="month" required>
  <label for="cd-audit-provider">Provider</label>
  <input id="cd-audit-provider" name="provider" maxlength="80" required>
  <label for="cd-audit-coder">Coder (user id)</label>
  <input id="cd-audit-coder" name="coder" maxlength="128" required>
  <table id="cd-audit-encounters">
    <thead><tr><th>Reference</th><th>Billed codes</th><th>Supported by the documentation</th></tr></thead>
    <tbody>
{_ROWS}
    </tbody>
  </table>
  <button type="submit" class="md-button md-button--primary">Record the audit</button>
</form>
<p id="cd-audit-error" hidden></p>
<section id="cd-audit-recorded" aria-live="polite" hidden></section>

## Scorecard (compliance, supervisor)

<form id="cd-score-form" class="cd-form">
  <label for="cd-score-month">Month</label>
  <input id="cd-score-month" name="month" type="month" required>
  <button type="submit" class="md-button">Show</button>
</form>
<p id="cd-score-error" hidden></p>
<section id="cd-score-result" aria-live="polite" hidden></section>

<script type="module" src="scorecard.js"></script>
"""


def site_pages(bundle: ContentBundle) -> dict[str, str]:
    return {f"{FOLDER}/index.md": SCORECARD_PAGE, f"{FOLDER}/scorecard.js": SCORECARD_SCRIPT.read_text()}
