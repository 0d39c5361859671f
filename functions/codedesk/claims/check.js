// The "Check a claim" page: sends the form to POST /api/claims/check and shows the edits. The claim
// goes to the server only; this page keeps nothing (no storage, no history).
// Published by `codedesk build-site` next to the page (claims/check.js).
import { api, clearError, showError } from "../js/api.js";
import { element } from "../js/dom.js";

const form = document.getElementById("cd-claim-form");
const lines = document.querySelector("#cd-claim-lines tbody");
const addLine = document.getElementById("cd-claim-add-line");
const payerSelect = document.getElementById("cd-claim-payer");
const problem = document.getElementById("cd-claim-error");
const result = document.getElementById("cd-claim-result");
const SEVERITY_WORDS = { error: "Will deny", warning: "Check", info: "Good to know" };

function words(text) {
  return text.split(/[\s,;]+/).map((w) => w.trim()).filter(Boolean);
}

function lineRow() {
  const n = lines.children.length + 1;
  const row = element("tr");
  const cell = (name, attributes) => {
    const input = element("input", null, { name, "aria-label": `Line ${n} ${name.replace("_", " ")}`, ...attributes });
    const td = element("td");
    td.append(input);
    return td;
  };
  row.append(
    cell("code", { maxlength: "5", size: "6", placeholder: "99213" }),
    cell("modifiers", { size: "8", placeholder: "25, GA" }),
    cell("units", { type: "number", min: "1", value: "1", size: "4" }),
    cell("diagnosis_pointers", { size: "8", placeholder: "1, 2" }),
  );
  lines.append(row);
}

function claimFromForm() {
  const data = new FormData(form);
  const claimLines = [];
  for (const row of lines.children) {
    const value = (name) => row.querySelector(`[name=${name}]`).value.trim();
    if (!value("code")) continue;
    claimLines.push({
      code: value("code"),
      modifiers: words(value("modifiers")),
      units: Number(value("units") || 1),
      diagnosis_pointers: words(value("diagnosis_pointers")).map(Number),
    });
  }
  return {
    date_of_service: data.get("date_of_service"),
    patient: { age: Number(data.get("age")), sex: data.get("sex") },
    payer_id: data.get("payer_id") || null,
    diagnoses: words(data.get("diagnoses")),
    lines: claimLines,
  };
}

function editBlock(edit) {
  const block = element("article", null, { class: `cd-edit cd-edit-${edit.severity}` });
  block.append(element("h3", `${SEVERITY_WORDS[edit.severity]}: ${edit.codes.join(", ")}`));
  block.append(element("p", edit.message), element("p", `Fix: ${edit.fix}`, { class: "cd-fix" }));
  const more = element("p", null, { class: "cd-links" });
  if (edit.denial) more.append("Would come back as ", element("a", edit.denial.code, { href: edit.denial.url }), ". ");
  if (edit.topic) {
    more.append("Learn it: ", element("a", "the guide", { href: edit.topic.guide_url }), " · ");
    more.append(element("a", "the quiz", { href: edit.topic.quiz_url }));
  }
  block.append(more);
  if (edit.source) block.append(element("p", `Source: ${edit.source}`, { class: "cd-note" }));
  return block;
}

function show(answer) {
  result.replaceChildren();
  const errors = answer.edits.filter((e) => e.severity === "error").length;
  const heading = answer.edits.length === 0 ? "No findings" : `${answer.edits.length} finding(s), ${errors} that would deny`;
  result.append(element("h2", heading));
  for (const edit of answer.edits) result.append(editBlock(edit));
  const checked = element("ul");
  for (const line of answer.checked) checked.append(element("li", line));
  result.append(element("h3", "What was checked"), checked);
  result.hidden = false;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError(problem);
  try {
    show(await api("/api/claims/check", { method: "POST", body: claimFromForm() }));
  } catch (error) {
    result.hidden = true;
    showError(problem, error);
  }
});

addLine.addEventListener("click", lineRow);

async function loadPayers() {
  try {
    const payers = await api("/api/payers");
    for (const payer of payers.items) payerSelect.append(element("option", payer.name, { value: payer.payer_id }));
  } catch {
    // Not signed in yet: the check button shows the sign-in message.
  }
}

for (let i = 0; i < 3; i += 1) lineRow();
loadPayers();
