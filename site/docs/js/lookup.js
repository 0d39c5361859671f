// Code lookup: type-ahead search as you type, then the whole code (notes, billable, status on a date
// of service) when a result is chosen. Everything shown comes from /api/codes; text is inserted as
// text, never as HTML.
import { api, clearError, showError } from "./api.js";
import { showCodeSetWarnings } from "./currency.js";
import { element } from "./dom.js";

const form = document.getElementById("cd-lookup");
const query = document.getElementById("cd-lookup-q");
const system = document.getElementById("cd-lookup-system");
const billable = document.getElementById("cd-lookup-billable");
const asOf = document.getElementById("cd-lookup-as-of");
const results = document.getElementById("cd-lookup-results");
const detail = document.getElementById("cd-lookup-detail");
const error = document.getElementById("cd-lookup-error");

const NOTE_LABELS = {
  includes: "Includes",
  inclusion_terms: "Inclusion terms",
  excludes1: "Excludes1 (never together)",
  excludes2: "Excludes2 (not included here)",
  code_first: "Code first",
  use_additional_code: "Use additional code",
  code_also: "Code also",
  general: "Notes",
};
const currency = document.getElementById("cd-lookup-currency");
const STATUS_WORDS = {
  active: "valid",
  deleted: "deleted",
  not_yet_effective: "not yet effective",
  unknown: "unknown (release not loaded)",
};

let latest = 0; // only the answer to the newest keystroke is shown
let timer;

async function runSearch() {
  const typed = query.value;
  if (!typed.trim()) {
    results.replaceChildren();
    return;
  }
  const ticket = ++latest;
  const params = new URLSearchParams({ q: typed, limit: "15" });
  if (system.value) params.set("system", system.value);
  if (billable.checked) params.set("billable", "true");
  try {
    const answer = await api(`/api/codes/search?${params}`);
    if (ticket !== latest) return;
    clearError(error);
    showResults(answer.items);
    // No code has every word: say which words the first results do without.
    if (answer.items.length && answer.not_used?.length) {
      results.prepend(element("li", `No code has every word; not used: ${answer.not_used.join(", ")}`, { class: "cd-muted" }));
    }
    // A phrase the titles say otherwise: teach their words ("passed out" is "syncope").
    if (answer.items.length && answer.said_as?.length) {
      const said = answer.said_as.map((pair) => `“${pair.typed}” as “${pair.means}”`).join(", ");
      results.prepend(element("li", `Searched in the titles' words: ${said}`, { class: "cd-muted cd-said-as" }));
    }
  } catch (problem) {
    if (ticket === latest) showError(error, problem);
  }
}

function showResults(items) {
  if (!items.length) {
    results.replaceChildren(element("li", "No code matches; try fewer or other words.", { class: "cd-empty" }));
    return;
  }
  results.replaceChildren(
    ...items.map((item) => {
      const row = element("li");
      const button = element("button", undefined, { class: "cd-code-result" });
      button.type = "button";
      button.append(element("strong", item.code), " ", item.title, " ");
      button.append(element("span", item.billable ? "billable" : "header", { class: item.billable ? "cd-ok" : "cd-muted" }));
      // A result the ICD-10-CM index led to shows the route, so a trainee learns it.
      if (item.index_path?.length) button.append(" ", element("small", `Index: ${item.index_path.join(" → ")}`, { class: "cd-muted" }));
      button.addEventListener("click", () => showCode(item.system, item.code));
      row.append(element("small", item.system), " ", button);
      return row;
    }),
  );
}

async function showCode(codeSystem, code) {
  const params = asOf.value ? `?${new URLSearchParams({ as_of: asOf.value })}` : "";
  try {
    const answer = await api(`/api/codes/${encodeURIComponent(codeSystem)}/${encodeURIComponent(code)}${params}`);
    clearError(error);
    renderCode(answer);
  } catch (problem) {
    showError(error, problem);
    if (problem.status === 404 && problem.details?.length) showResults(problem.details);
  }
}

function renderCode(code) {
  const parts = [element("h2", `${code.code} ${code.title}`)];
  const facts = element("p");
  facts.append(
    element("span", code.billable ? "Billable" : "Not billable", { class: code.billable ? "cd-ok" : "cd-warn" }),
    ` · ${code.system} · ${STATUS_WORDS[code.status] || code.status}`,
    code.as_of ? ` on ${code.as_of}` : " today",
    code.effective_from && code.effective_from === code.known_from
      ? ` · in every release loaded, the first from ${code.known_from}`
      : code.effective_from
        ? ` · from ${code.effective_from}`
        : "",
    code.effective_to ? ` · until ${code.effective_to}` : "",
    ` · release ${code.release}`,
  );
  parts.push(facts);
  if (code.status_note) parts.push(element("p", code.status_note, { class: "cd-warn" }));
  if (code.hint) parts.push(element("p", code.hint, { class: "cd-warn" }));
  if (code.descriptor === "our_words") {
    parts.push(element("p", "Title and explanation are Codedesk's own words, not the AMA descriptor.", { class: "cd-muted" }));
  }
  if (code.explanation) parts.push(element("p", code.explanation));
  if (code.parent) parts.push(linkList("Part of", [code.parent], code.system));
  if (code.children.length) parts.push(linkList("Choose from", code.children, code.system));
  for (const [name, label] of Object.entries(NOTE_LABELS)) {
    const notes = code.notes?.[name] || [];
    if (notes.length) parts.push(element("h3", label), list(notes));
  }
  for (const above of code.inherited_notes || []) {
    for (const [name, label] of Object.entries(NOTE_LABELS)) {
      const notes = above.notes?.[name] || [];
      if (notes.length) parts.push(element("h3", `${label} (from ${above.code} ${above.title})`), list(notes));
    }
  }
  if (code.seventh_characters.length) {
    parts.push(
      element("h3", "7th characters"),
      list(code.seventh_characters.map((seventh) => `${seventh.char}: ${seventh.meaning}`)),
    );
  }
  detail.replaceChildren(...parts);
}

function list(texts) {
  const made = element("ul");
  made.append(...texts.map((text) => element("li", text)));
  return made;
}

function linkList(label, refs, codeSystem) {
  const wrapper = element("div");
  wrapper.append(element("h3", label));
  const made = element("ul");
  for (const ref of refs) {
    const button = element("button", `${ref.code} ${ref.title}`, { class: "cd-code-result" });
    button.type = "button";
    button.addEventListener("click", () => showCode(codeSystem, ref.code));
    const row = element("li");
    row.append(button);
    made.append(row);
  }
  wrapper.append(made);
  return wrapper;
}

showCodeSetWarnings(currency);

query.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(runSearch, 150);
});
for (const control of [system, billable]) control.addEventListener("change", runSearch);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  runSearch();
});
