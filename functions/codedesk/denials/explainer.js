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
    for (const payer of payers.items) {
      payerSelect.append(element("option", payer.name, { value: payer.payer_id }));
      document.getElementById("cd-era-payer").append(element("option", payer.name, { value: payer.payer_id }));
    }
  } catch {
    // Not signed in yet: the explain button shows the sign-in message.
  }
}

// ---------------------------------------------------------------------------------- 835
// The answer names each card once (answer.cards); adjustments and remarks point into it by key.
// A file larger than one request (data-max-bytes) is split here by check (ST…SE), and a check too
// large on its own between claims; each part is sent with its interchange's ISA/GS header, and the
// answers are put together as one.

const maxBytes = Number(eraForm.dataset.maxBytes);
const eraCsv = document.getElementById("cd-era-csv");
const encoder = new TextEncoder();
let lastParts = [];

function cardWords(card) {
  return card ? `${card.title}${card.action_words ? ` — ${card.action_words}` : ""}` : "no Codedesk card";
}

function codeRow(cells, code, money, card) {
  const row = element("tr");
  for (const cell of cells) row.append(element("td", cell));
  row.append(element("td", code), element("td", money), element("td", cardWords(card)));
  return row;
}

function procedureWords(line) {
  if (!line.procedure_code) return line.procedure_qualifier ? `(no code; ${line.procedure_qualifier} only)` : "(no code)";
  return [line.procedure_code, ...line.modifiers].join(" ");
}

function where(problem) {
  const parts = [`segment ${problem.position} (${problem.segment}${problem.element ? ` ${problem.element}` : ""})`];
  if (problem.part) parts.unshift(`part ${problem.part}`);
  if (problem.claim_index) parts.push(`claim ${problem.claim_index}`);
  if (problem.line_index) parts.push(`line ${problem.line_index}`);
  return parts.join(", ");
}

// With a payer's fee schedule: what it allows for the line against what the payer allowed.
function feeWords(fees, claim, line) {
  const fee = fees && fees.lines.find((f) => f.claim_index === claim.claim_index && f.line_index === line.line_index);
  if (!fee) return "";
  const short = fee.underpaid ? `, UNDERPAID by ${amount(-fee.variance)}` : "";
  return ` (schedule ${amount(fee.expected_allowed)}, allowed ${amount(fee.allowed)}${short})`;
}

function showRemittance(answer) {
  eraResult.replaceChildren();
  const s = answer.summary;
  eraResult.append(element("h2", `${s.checks} check(s), ${s.claims} claim(s): billed ${amount(s.billed)}, paid ${amount(s.paid)}, adjusted ${amount(s.adjusted)}, patients owe ${amount(s.patient_responsibility)}`));
  for (const check of answer.checks) {
    const reconciled = check.payment_balances === true ? "matches" : check.payment_balances === false ? "does NOT match" : "cannot be checked against";
    const how = check.payment_method_words ? ` by ${check.payment_method_words}` : "";
    eraResult.append(element("h3", `Check ${check.check_index} — ${check.payer_name || "payer not named"}: ${amount(check.payment)}${how}`));
    const facts = element("p", `Trace number ${check.trace_number || "—"}, dated ${check.payment_date || "—"}, ${check.claims} claim(s); the payment ${reconciled} the claims paid minus provider adjustments.${check.version === "4010A1" ? " An older 4010A1 remit." : ""}`, { class: "cd-check" });
    eraResult.append(facts);
    if (check.provider_adjustments.length) {
      const list = element("ul", null, { class: "cd-plb" });
      for (const plb of check.provider_adjustments) {
        const sign = plb.amount < 0 ? "added to the check" : "taken from the check";
        list.append(element("li", `Provider adjustment ${plb.reason}${plb.reference ? ` (${plb.reference})` : ""}: ${amount(Math.abs(plb.amount))} ${sign} — ${plb.reason_words}`));
      }
      eraResult.append(list);
    }
  }
  if (answer.fees) {
    eraResult.append(element("p", `Compared with the fee schedule ${answer.fees.schedule}: ${answer.fees.underpaid_lines} line(s) paid below it, ${amount(answer.fees.underpaid_amount)} in all.`, { class: "cd-fees" }));
  }
  if (answer.problems.length) {
    const notes = element("ul", null, { class: "cd-era-notes" });
    for (const problem of answer.problems) notes.append(element("li", `${where(problem)}: ${problem.issue}`));
    eraResult.append(element("h3", "Notes on this file"), notes);
  }
  const top = element("ol");
  for (const reason of s.top_reasons) top.append(element("li", `${reason.reason}: ${reason.count} × — ${amount(reason.amount)}`));
  eraResult.append(element("h3", "Top reasons"), top);
  for (const claim of answer.claims) {
    const balance = claim.balances === true ? "adds up" : claim.balances === false ? "does NOT add up" : "cannot be checked";
    eraResult.append(element("h3", `Claim ${claim.claim_index} — account ${claim.account_number || "—"}, payer claim ${claim.payer_claim_number || "—"}`));
    eraResult.append(element("p", `${claim.status_words}: billed ${amount(claim.billed)}, paid ${amount(claim.paid)}, patient owes ${amount(claim.patient_responsibility)} (${balance})`, { class: "cd-claim" }));
    const table = element("table");
    const head = element("tr");
    for (const title of ["where", "procedure", "billed → paid", "code", "amount", "meaning and what to do"]) head.append(element("th", title));
    table.append(head);
    for (const a of claim.adjustments) table.append(codeRow(["claim", "", ""], `${a.group}-${a.reason}`, amount(a.amount), answer.cards[a.card_key]));
    for (const r of claim.remarks) table.append(codeRow(["claim", "", ""], r.code, "", answer.cards[r.card_key]));
    for (const line of claim.lines) {
      const lineBalance = line.balances === false ? " (does NOT add up)" : "";
      const cells = [`line ${line.line_index}`, procedureWords(line), `${amount(line.billed)} → ${amount(line.paid)}${lineBalance}${feeWords(answer.fees, claim, line)}`];
      const rows = [
        ...line.adjustments.map((a) => codeRow(cells, `${a.group}-${a.reason}`, amount(a.amount), answer.cards[a.card_key])),
        ...line.remarks.map((r) => codeRow(cells, r.code, "", answer.cards[r.card_key])),
      ];
      // a line with nothing to explain is still shown: a biller posts every line
      table.append(...(rows.length ? rows : [codeRow(cells, "", "", null)]));
    }
    eraResult.append(table);
  }
  if (answer.unexplained_codes.length) eraResult.append(element("p", `No card yet for: ${answer.unexplained_codes.join(", ")}`));
  eraResult.hidden = false;
}

// ---- splitting a large file: by check, and a check too large for one request between claims

function bytes(text) {
  return encoder.encode(text).length;
}

// The checks (ST…SE) of an 835, each with the ISA/GS header it belongs to; null when it cannot be split.
function checksOf(text) {
  const body = text.replace(/^[\ufeff\s]+/, "");
  if (!body.startsWith("ISA") || body.length < 106) return null;
  const separator = body[3];
  const terminator = body[105];
  const segments = body.split(terminator).map((segment) => segment.trim()).filter(Boolean);
  const checks = [];
  let isa = null;
  let gs = null;
  let current = null;
  for (const segment of segments) {
    const id = segment.split(separator, 1)[0];
    if (id === "ISA") isa = segment;
    else if (id === "GS") gs = segment;
    else if (id === "ST") current = [segment];
    else if (current) {
      current.push(segment);
      if (id === "SE") {
        checks.push({ id: checks.length, isa, gs, separator, terminator, segments: current });
        current = null;
      }
    }
  }
  return checks.length ? checks : null;
}

function envelope(group) {
  const { isa, gs, separator, terminator } = group[0];
  const isaControl = isa.split(separator)[13];
  const gsControl = gs.split(separator)[6];
  const body = group.flatMap((check) => check.segments).join(terminator);
  return [isa, gs, body, `GE${separator}${group.length}${separator}${gsControl}`, `IEA${separator}1${separator}${isaControl}`].join(terminator) + terminator;
}

// Bytes of segments once written with their terminators (one character each).
function size(segments) {
  return segments.reduce((sum, segment) => sum + bytes(segment) + 1, 0);
}

// The ISA, GS, GE and IEA around a part, with room for the control numbers and counts.
function overhead(check) {
  return bytes(check.isa) + bytes(check.gs) + 64;
}

// A check too large for one request, cut between claims: each piece keeps the check's header (BPR,
// TRN, payer, payee) and gets its own SE count; the provider adjustments (PLB) go with the last
// piece. The pieces' answers are put back together as one check (see merged).
function piecesOf(check) {
  const { separator, segments } = check;
  const ids = segments.map((segment) => segment.split(separator, 1)[0]);
  const first = ids.findIndex((id) => id === "LX" || id === "CLP");
  const plb = ids.indexOf("PLB");
  const end = plb === -1 ? segments.length - 1 : plb;
  if (first === -1) return [check];
  const head = segments.slice(0, first);
  const tail = segments.slice(end, -1);
  const control = segments[segments.length - 1].split(separator)[2];
  const units = [];
  let unit = null;
  for (let i = first; i < end; i += 1) {
    // a claim starts a unit, unless a header-number loop (LX) just started one for it
    if (!unit || ids[i] === "LX" || (ids[i] === "CLP" && unit.claim)) units.push((unit = { segments: [], claim: false }));
    unit.segments.push(segments[i]);
    if (ids[i] === "CLP") unit.claim = true;
  }
  const room = maxBytes - overhead(check) - size(head) - size(tail) - 32; // 32: the SE segment
  const piece = (body, last) => {
    const inner = [...head, ...body, ...(last ? tail : [])];
    return { ...check, segments: [...inner, `SE${separator}${inner.length + 1}${separator}${control}`] };
  };
  const pieces = [];
  let body = [];
  let used = 0;
  for (const next of units) {
    const weight = size(next.segments);
    if (weight > room) {
      throw new Error(`One claim of this file is larger than ${Math.round(maxBytes / 1024)} KiB on its own; the file cannot be sent in parts.`);
    }
    if (used + weight > room) {
      pieces.push(piece(body, false));
      body = [];
      used = 0;
    }
    body.push(...next.segments);
    used += weight;
  }
  pieces.push(piece(body, true));
  return pieces;
}

// Parts of at most maxBytes, each of whole checks (or pieces of one) under one header, and which
// check of the file each transaction of a part is.
function splitByCheck(text) {
  const checks = checksOf(text);
  if (!checks) return [{ text, checks: null }];
  const pieces = checks.flatMap((check) => (overhead(check) + size(check.segments) > maxBytes ? piecesOf(check) : [check]));
  const parts = [];
  let group = [];
  let used = 0;
  const close = () => parts.push({ text: envelope(group), checks: group.map((check) => check.id) });
  for (const piece of pieces) {
    const weight = size(piece.segments);
    const sameHeader = !group.length || (group[0].isa === piece.isa && group[0].gs === piece.gs);
    if (group.length && (!sameHeader || overhead(piece) + used + weight > maxBytes)) {
      close();
      group = [];
      used = 0;
    }
    group.push(piece);
    used += weight;
  }
  close();
  return parts;
}

const cents = (value) => Math.round((value || 0) * 100);

function merged(answers, parts) {
  if (answers.length === 1) return answers[0];
  const all = { checks: [], claims: [], problems: [], cards: {}, unexplained_codes: [] };
  const byCheck = new Map();
  const totals = new Map();
  const s = { claims: 0, service_lines: 0, billed: 0, paid: 0, adjusted: 0, patient_responsibility: 0, claims_not_balancing: [] };
  answers.forEach((answer, index) => {
    const known = parts[index].checks && parts[index].checks.length === answer.checks.length;
    const ours = {};
    answer.checks.forEach((check, i) => {
      const key = known ? parts[index].checks[i] : `${index}:${i}`;
      if (!byCheck.has(key)) {
        const first = { ...check, check_index: all.checks.length + 1, claims: 0, provider_adjustments: [], paidCents: 0 };
        byCheck.set(key, first);
        all.checks.push(first);
      }
      const target = byCheck.get(key);
      target.claims += check.claims;
      target.provider_adjustments.push(...check.provider_adjustments.map((plb) => ({ ...plb, check_index: target.check_index })));
      ours[check.check_index] = target;
    });
    const claimOffset = all.claims.length;
    for (const claim of answer.claims) {
      const check = ours[claim.check_index];
      check.paidCents += cents(claim.paid);
      all.claims.push({ ...claim, claim_index: claim.claim_index + claimOffset, check_index: check.check_index });
    }
    for (const problem of answer.problems) all.problems.push({ ...problem, part: index + 1, claim_index: problem.claim_index && problem.claim_index + claimOffset });
    Object.assign(all.cards, answer.cards);
    for (const code of answer.unexplained_codes) if (!all.unexplained_codes.includes(code)) all.unexplained_codes.push(code);
    const a = answer.summary;
    for (const key of ["claims", "service_lines", "billed", "paid", "adjusted", "patient_responsibility"]) s[key] += a[key] || 0;
    s.claims_not_balancing.push(...a.claims_not_balancing.map((claimIndex) => claimIndex + claimOffset));
  });
  // a check cut into pieces balances only as a whole: payment = its claims paid − its provider adjustments
  for (const check of all.checks) {
    const taken = check.provider_adjustments.reduce((sum, plb) => sum + cents(plb.amount), 0);
    check.payment_balances = check.payment === null ? null : cents(check.payment) === check.paidCents - taken;
    delete check.paidCents;
  }
  for (const claim of all.claims) {
    for (const a of [...claim.adjustments, ...claim.lines.flatMap((line) => line.adjustments)]) {
      const total = totals.get(`${a.group}-${a.reason}`) || { reason: `${a.group}-${a.reason}`, count: 0, amount: 0 };
      total.count += 1;
      total.amount += a.amount;
      totals.set(total.reason, total);
    }
  }
  const reasons = [...totals.values()];
  const balances = all.checks.map((check) => check.payment_balances);
  const payments = all.checks.filter((check) => check.payment !== null);
  Object.assign(s, {
    checks: all.checks.length,
    payment: payments.length ? payments.reduce((sum, check) => sum + cents(check.payment), 0) / 100 : null,
    provider_adjustments: all.checks.flatMap((check) => check.provider_adjustments),
    payment_balances: balances.includes(false) ? false : balances.includes(null) ? null : true,
    top_reasons: [...reasons].sort((x, y) => y.count - x.count || y.amount - x.amount).slice(0, 10),
    top_reasons_by_amount: [...reasons].sort((x, y) => y.amount - x.amount || y.count - x.count).slice(0, 10),
  });
  if (answers[0].fees) {
    // the pieces' claims were renumbered in order: so are the lines compared with the schedule
    let offset = 0;
    const lines = [];
    answers.forEach((answer) => {
      lines.push(...answer.fees.lines.map((f) => ({ ...f, claim_index: f.claim_index + offset })));
      offset += answer.claims.length;
    });
    all.fees = {
      schedule: answers[0].fees.schedule,
      underpaid_lines: answers.reduce((sum, a) => sum + a.fees.underpaid_lines, 0),
      underpaid_amount: answers.reduce((sum, a) => sum + Number(a.fees.underpaid_amount), 0),
      lines,
    };
  }
  return { ...all, summary: s };
}

const eraRecord = document.getElementById("cd-era-record");
const eraPayer = document.getElementById("cd-era-payer");
const eraRecorded = document.getElementById("cd-era-recorded");

async function decodeParts(parts) {
  const answers = [];
  const query = new URLSearchParams();
  if (eraRecord.checked) query.set("record", "true");
  if (eraPayer.value) query.set("payer", eraPayer.value);
  const path = `/api/denials/era${query.size ? `?${query}` : ""}`;
  for (const part of parts) answers.push(await api(path, { method: "POST", body: part.text, headers: { "Content-Type": "text/plain" } }));
  if (eraRecord.checked) {
    const added = answers.reduce((sum, a) => sum + a.recorded.added, 0);
    const before = answers.reduce((sum, a) => sum + a.recorded.already_recorded, 0);
    eraRecorded.textContent = `${added} check(s) added to the denial trends` + (before ? `; ${before} had been recorded before and were not counted again.` : ".");
    eraRecorded.hidden = false;
  }
  return merged(answers, parts);
}

async function downloadCsv() {
  clearError(eraError);
  try {
    const pieces = [];
    for (const part of lastParts) pieces.push(await api("/api/denials/era.csv", { method: "POST", body: part.text, headers: { "Content-Type": "text/plain" } }));
    // one header line: the later parts' first lines repeat it
    const csv = pieces.map((piece, index) => (index ? piece.slice(piece.indexOf("\n") + 1) : piece)).join("");
    const link = element("a", null, { href: URL.createObjectURL(new Blob([csv], { type: "text/csv" })), download: "remit-worked-list.csv" });
    link.click();
    URL.revokeObjectURL(link.href);
  } catch (error) {
    showError(eraError, error);
  }
}

eraForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError(eraError);
  eraCsv.hidden = true;
  eraRecorded.hidden = true;
  const file = eraFile.files && eraFile.files[0];
  const text = file ? await file.text() : eraText.value;
  try {
    lastParts = bytes(text) > maxBytes ? splitByCheck(text) : [{ text, checks: null }];
    showRemittance(await decodeParts(lastParts));
    eraCsv.hidden = false;
  } catch (error) {
    eraResult.hidden = true;
    showError(eraError, error);
  }
});

eraCsv.addEventListener("click", downloadCsv);

loadPayers();
const asked = new URLSearchParams(window.location.search).get("codes");
if (asked) {
  codesInput.value = asked;
  explain(asked, "");
}
