// The audit scorecard page: records an audit (POST /api/audits) and shows a month's scorecard
// (GET /api/audits/summary). Published by `codedesk build-site` next to the page (audits/scorecard.js).
import { api, clearError, showError } from "../js/api.js";
import { element, table } from "../js/dom.js";

const auditForm = document.getElementById("cd-audit-form");
const auditError = document.getElementById("cd-audit-error");
const recorded = document.getElementById("cd-audit-recorded");
const scoreForm = document.getElementById("cd-score-form");
const scoreError = document.getElementById("cd-score-error");
const scoreResult = document.getElementById("cd-score-result");

function codes(text) {
  return text.split(/[\s,;]+/).map((c) => c.trim()).filter(Boolean);
}


auditForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError(auditError);
  const data = new FormData(auditForm);
  const encounters = [];
  for (const row of auditForm.querySelectorAll("#cd-audit-encounters tbody tr")) {
    const value = (name) => row.querySelector(`[name=${name}]`).value.trim();
    if (!value("ref")) continue;
    encounters.push({ ref: value("ref"), billed: codes(value("billed")), supported: codes(value("supported")) });
  }
  try {
    const audit = await api("/api/audits", {
      method: "POST",
      body: { month: data.get("month"), provider: data.get("provider"), coder: data.get("coder"), encounters },
    });
    recorded.replaceChildren(
      element("p", `${audit.provider} / ${audit.coder_name}, ${audit.month}: ${audit.correct} of ${audit.encounters} ` +
        `encounters coded as documented, ${audit.accuracy}% (${audit.meets_benchmark ? "meets" : "below"} the benchmark).`),
    );
    if (audit.misses.length) {
      recorded.append(table(["Reference", "Billed", "Supported", "Billed without support", "Supported, not billed"],
        audit.misses.map((m) => [m.ref, m.billed.join(" "), m.supported.join(" "), m.not_supported.join(" "), m.not_billed.join(" ")])));
      const untaught = audit.no_question_for.length
        ? ` No quiz question teaches ${audit.no_question_for.join(", ")} yet: tell the content editors.` : "";
      recorded.append(element("p",
        `${audit.review_cards} question(s) on the missed codes are now in ${audit.coder_name}'s Review my misses.${untaught}`,
        { class: "cd-review-cards" }));
    }
    recorded.hidden = false;
    document.getElementById("cd-score-month").value = audit.month;
    showScorecard(audit.month);
  } catch (error) {
    showError(auditError, error);
  }
});

async function showScorecard(month) {
  clearError(scoreError);
  try {
    const summary = await api(`/api/audits/summary?${new URLSearchParams({ month })}`);
    scoreResult.replaceChildren(element("h3", `${summary.month} (benchmark ${summary.benchmark}%)`));
    if (!summary.items.length) scoreResult.append(element("p", "No audit recorded for this month."));
    else {
      scoreResult.append(table(["Provider", "Coder", "Encounters", "Accuracy", "Misses", ""],
        summary.items.map((i) => [i.provider, i.coder_name, i.encounters, `${i.accuracy}%`, i.misses, i.meets_benchmark ? "meets" : "below benchmark"])));
    }
    if (summary.codes_most_often_wrong.length) {
      scoreResult.append(element("h3", "Codes most often wrong"),
        table(["Code", "Encounters"], summary.codes_most_often_wrong.map((c) => [c.code, c.times])));
    }
    if (summary.trend.length) {
      scoreResult.append(element("h3", "Accuracy by month"),
        table(["Month", "Encounters", "Accuracy"], summary.trend.map((m) => [m.month, m.encounters, `${m.accuracy}%`])));
    }
    scoreResult.hidden = false;
  } catch (error) {
    scoreResult.hidden = true;
    showError(scoreError, error);
  }
}

scoreForm.addEventListener("submit", (event) => {
  event.preventDefault();
  showScorecard(new FormData(scoreForm).get("month"));
});

const thisMonth = new Date().toISOString().slice(0, 7);
document.getElementById("cd-audit-month").value = thisMonth;
document.getElementById("cd-score-month").value = thisMonth;
