// The denial explainer page: explain typed codes (GET /api/denials/explain) and decode a pasted or
// uploaded 835 (POST /api/denials/era). The 835 goes to the server only; this page keeps nothing.
// Published by `codedesk build-site` next to the explainer page (denials/explainer.js).
import { api, clearError, showError } from "../js/api.js";
import { element } from "../js/dom.js";

const explainForm = document.getElementById("cd-explain-form");
const codesInput = document.getElementById("cd-explain-codes");
const payerSelect = document.getElementById("cd-explain-payer");
const explainError = document.getElementById("cd-explain-error");
const explainResult = document.getElementById("cd-explain-result");
const eraForm = document.getElementById("cd-era-form");
const eraText = document.getElementById("cd-era-text");
const eraFile = document.getElementById("cd-era-file");
const eraError = document.getElementById("cd-era-error");
const eraResult = document.getElementById("cd-era-result");

const FOLDERS = { group: "groups", carc: "carc", rarc: "rarc" };
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

function amount(value) {
  return value === null || value === undefined ? "—" : money.format(value);
}

function cardLink(card) {
  const label = `${card.kind === "group" ? "Group" : card.kind.toUpperCase()} ${card.code}`;
  return card.carded ? element("a", label, { href: `${FOLDERS[card.kind]}/${card.code}/` }) : element("span", label);
}

function cardBlock(card) {
  const block = element("article", null, { class: "cd-denial-card" });
  const heading = element("h3");
  heading.append(cardLink(card), ` — ${card.title}`);
  block.append(heading, element("p", card.meaning));
  if (card.who_pays) block.append(element("p", `Who pays: ${card.who_pays}`));
  if (card.action_words) {
    block.append(element("p", `${card.action_words} (usually the ${card.owner_role.replace("_", " ")})`));
    if (card.appeal_words) block.append(element("p", `Can it be appealed? ${card.appeal_words}`));
  }
  if (card.official) {
    const stopped = card.official.deactivated ? ` (deactivated ${card.official.stop_date})` : "";
    block.append(element("p", `Official description${stopped}: ${card.official.description}`, { class: "cd-official" }));
  }
  if (card.explanation_by) block.append(element("p", card.explanation_by, { class: "cd-note" }));
  return block;
}

// ---------------------------------------------------------------------------------- explain

function showExplanation(answer) {
  explainResult.replaceChildren();
  explainResult.append(element("h2", answer.codes.join(" ")));
  explainResult.append(element("p", answer.who_pays, { class: "cd-who-pays" }));
  if (answer.action_words) explainResult.append(element("p", answer.action_words, { class: "cd-action" }));
  for (const note of answer.notes) explainResult.append(element("p", note, { class: "cd-warning" }));
  const steps = element("ol", null, { class: "cd-next-steps" });
  for (const step of answer.next_steps) steps.append(element("li", step.from_code ? `${step.text} (${step.from_code})` : step.text));
  explainResult.append(element("h3", "Next steps"), steps);
  for (const card of [answer.group, ...answer.reasons, ...answer.remarks].filter(Boolean)) explainResult.append(cardBlock(card));
  if (answer.deadlines.length) {
    const list = element("ul");
    for (const d of answer.deadlines) list.append(element("li", `${d.what} — ${d.applies_to} (source: ${d.source})`));
    explainResult.append(element("h3", "Deadlines"), list);
  }
  if (answer.payer_notes.length) {
    const list = element("ul");
    for (const n of answer.payer_notes) list.append(element("li", `${n.payer_name}: ${n.text} (source: ${n.source})`));
    explainResult.append(element("h3", "Payer notes"), list);
  }
  if (answer.not_found.length) explainResult.append(element("p", `No card yet for: ${answer.not_found.join(", ")}`));
  explainResult.hidden = false;
}

async function explain(codes, payer) {
  clearError(explainError);
  const query = new URLSearchParams({ codes });
  if (payer) query.set("payer", payer);
  try {
    showExplanation(await api(`/api/denials/explain?${query}`));
  } catch (error) {
    explainResult.hidden = true;
    showError(explainError, error);
  }
}

explainForm.addEventListener("submit", (event) => {
  event.preventDefault();
  explain(codesInput.value, payerSelect.value);
});

async function loadPayers() {
  try {
    const payers = await api("/api/payers");
    for (const payer of payers.items) payerSelect.append(element("option", payer.name, { value: payer.payer_id }));
  } catch {
    // Not signed in yet: the explain button shows the sign-in message.
  }
}

// ---------------------------------------------------------------------------------- 835

function adjustmentRow(where, adjustment) {
  const row = element("tr");
  const card = adjustment.card;
  row.append(
    element("td", where),
    element("td", `${adjustment.group}-${adjustment.reason}`),
    element("td", amount(adjustment.amount)),
    element("td", card ? `${card.title} — ${card.action_words || ""}` : "no Codedesk card"),
  );
  return row;
}

function remarkRow(where, remark) {
  const row = element("tr");
  row.append(element("td", where), element("td", remark.code), element("td", ""),
    element("td", remark.card ? `${remark.card.title} — ${remark.card.action_words || ""}` : "no Codedesk card"));
  return row;
}

function showRemittance(answer) {
  eraResult.replaceChildren();
  const s = answer.summary;
  eraResult.append(element("h2", `${s.claims} claim(s): billed ${amount(s.billed)}, paid ${amount(s.paid)}, adjusted ${amount(s.adjusted)}`));
  if (s.payment !== null) {
    const reconciled = s.payment_balances ? "matches" : "does NOT match";
    eraResult.append(element("p", `Payment ${amount(s.payment)} ${reconciled} the claims paid minus provider adjustments.`));
  }
  for (const plb of s.provider_adjustments) eraResult.append(element("p", `Provider adjustment ${plb.reason}: ${amount(plb.amount)}`));
  const top = element("ol");
  for (const reason of s.top_reasons) top.append(element("li", `${reason.reason}: ${reason.count} × — ${amount(reason.amount)}`));
  eraResult.append(element("h3", "Top reasons"), top);
  for (const claim of answer.claims) {
    const balance = claim.balances === true ? "adds up" : claim.balances === false ? "does NOT add up" : "cannot be checked";
    eraResult.append(element("h3", `Claim ${claim.claim_index} — ${claim.status_words}: billed ${amount(claim.billed)}, paid ${amount(claim.paid)} (${balance})`));
    const table = element("table");
    const head = element("tr");
    for (const title of ["where", "code", "amount", "meaning and what to do"]) head.append(element("th", title));
    table.append(head);
    for (const a of claim.adjustments) table.append(adjustmentRow("claim", a));
    for (const r of claim.remarks) table.append(remarkRow("claim", r));
    for (const line of claim.lines) {
      const where = `line ${line.line_index} ${line.procedure || ""} (${amount(line.billed)} → ${amount(line.paid)})`;
      for (const a of line.adjustments) table.append(adjustmentRow(where, a));
      for (const r of line.remarks) table.append(remarkRow(where, r));
    }
    eraResult.append(table);
  }
  if (answer.unexplained_codes.length) eraResult.append(element("p", `No card yet for: ${answer.unexplained_codes.join(", ")}`));
  eraResult.hidden = false;
}

eraForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError(eraError);
  const file = eraFile.files && eraFile.files[0];
  const text = file ? await file.text() : eraText.value;
  try {
    showRemittance(await api("/api/denials/era", { method: "POST", body: text, headers: { "Content-Type": "text/plain" } }));
  } catch (error) {
    eraResult.hidden = true;
    showError(eraError, error);
  }
});

loadPayers();
const asked = new URLSearchParams(window.location.search).get("codes");
if (asked) {
  codesInput.value = asked;
  explain(asked, "");
}
