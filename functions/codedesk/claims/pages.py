"""The site's "Check a claim" page: a form for a claim's codes, answered by POST /api/claims/check."""

from __future__ import annotations

from pathlib import Path

from codedesk.claims.models import MAX_DIAGNOSES, MAX_LINES
from codedesk.content.bundle import ContentBundle

FOLDER = "claims"
CHECK_SCRIPT = Path(__file__).with_name("check.js")

CHECK_PAGE = f"""# Check a claim

Before a claim leaves the building, check it the way the payer's software will: are the codes real
and in force on the date of service, do the diagnoses follow the tabular list's notes (Excludes1,
"code first", newborn and maternal records), do the procedures pass the NCCI edits the clinic has
loaded (procedure-to-procedure pairs, medically unlikely edits, add-on codes), and what does the
payer's sheet say about them. Each finding names the denial it would cause and where to learn the rule.

The claim is checked on the server and kept nowhere: nothing you type here is stored or logged.
Up to {MAX_DIAGNOSES} diagnoses and {MAX_LINES} service lines.

<form id="cd-claim-form" class="cd-form cd-claim">
  <fieldset>
    <legend>Visit</legend>
    <label for="cd-claim-date">Date of service</label>
    <input id="cd-claim-date" name="date_of_service" type="date" required>
    <label for="cd-claim-age">Patient age (years; 0 for a newborn)</label>
    <input id="cd-claim-age" name="age" type="number" min="0" max="124" required>
    <label for="cd-claim-sex">Patient sex</label>
    <select id="cd-claim-sex" name="sex">
      <option value="unknown">not given</option><option value="female">female</option><option value="male">male</option>
    </select>
    <label for="cd-claim-payer">Payer (optional)</label>
    <select id="cd-claim-payer" name="payer_id"><option value="">—</option></select>
  </fieldset>
  <label for="cd-claim-diagnoses">Diagnoses, first-listed first (comma or one per line)</label>
  <textarea id="cd-claim-diagnoses" name="diagnoses" rows="3" placeholder="E11.9, I10" required></textarea>
  <table id="cd-claim-lines">
    <caption>Service lines</caption>
    <thead><tr><th>Code</th><th>Modifiers</th><th>Units</th><th>Diagnosis pointers</th></tr></thead>
    <tbody></tbody>
  </table>
  <button type="button" id="cd-claim-add-line" class="md-button">Add a line</button>
  <button type="submit" class="md-button md-button--primary">Check the claim</button>
</form>
<p id="cd-claim-error" hidden></p>
<section id="cd-claim-result" aria-live="polite" hidden></section>

<script type="module" src="check.js"></script>

The rules come from the loaded ICD-10-CM, HCPCS and CPT releases, the NCCI files an administrator
imports each quarter (`codedesk import ncci-ptp|mue|addon FILE`) and the payer sheets. The answer
lists which of them were used, so a claim with no findings says what "clean" covered.
"""


def site_pages(bundle: ContentBundle) -> dict[str, str]:
    return {f"{FOLDER}/index.md": CHECK_PAGE, f"{FOLDER}/check.js": CHECK_SCRIPT.read_text()}
