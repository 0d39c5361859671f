// The ICD-10-CM index and tables: type a main term and subterms, see the index's rows (path,
// nonessential modifiers, see / see also) or the table's grid (site × behaviour, substance × intent),
// every code marked with what the loaded release says of it. Everything comes from /api/codes/index;
// text is inserted as text, never as HTML.
import { api, clearError, showError } from "./api.js";
import { element } from "./dom.js";

const form = document.getElementById("cd-index");
const table = document.getElementById("cd-index-table");
const query = document.getElementById("cd-index-q");
const results = document.getElementById("cd-index-results");
const error = document.getElementById("cd-index-error");

const STATUS = {
  valid: ["billable", "cd-ok"],
  header: ["choose a code below it", "cd-warn"],
  ended: ["no longer valid", "cd-warn"],
  unknown: ["not in the loaded release", "cd-warn"],
};

let latest = 0; // only the answer to the newest keystroke is shown
let timer;

async function browse() {
  const typed = query.value;
  if (!typed.trim()) {
    results.replaceChildren();
    return;
  }
  const ticket = ++latest;
  const params = new URLSearchParams({ table: table.value, q: typed, limit: "100" });
  try {
    const answer = await api(`/api/codes/index?${params}`);
    if (ticket !== latest) return;
    clearError(error);
    render(answer);
  } catch (problem) {
    if (ticket === latest) showError(error, problem);
  }
}

function render(answer) {
  if (!answer.items.length) {
    results.replaceChildren(element("p", "Nothing in this table matches: type whole words, or the main term alone.", { class: "cd-empty" }));
    return;
  }
  const columns = [...new Set(answer.items.flatMap((item) => Object.keys(item.columns || {})))];
  const grid = element("table", undefined, { class: "cd-index-grid" });
  const head = element("tr");
  head.append(element("th", "Term"), ...(columns.length ? columns : ["Code"]).map((name) => element("th", name)));
  grid.append(element("thead"), element("tbody"));
  grid.tHead.append(head);
  for (const item of answer.items) {
    const row = element("tr");
    const term = element("td");
    term.append(element("span", "→ ".repeat(item.path.length - 1), { class: "cd-muted" }), item.path.at(-1));
    if (item.nonessential) term.append(" ", element("span", item.nonessential, { class: "cd-muted" }));
    if (item.see) term.append(" ", element("em", `see ${item.see}`));
    if (item.see_also) term.append(" ", element("em", `see also ${item.see_also}`));
    term.title = item.path.join(" → ");
    row.append(term);
    const codes = columns.length ? columns.map((name) => item.columns?.[name]) : [item.code];
    row.append(...codes.map((code) => codeCell(code, answer.codes)));
    grid.tBodies[0].append(row);
  }
  const parts = [grid];
  if (answer.truncated) parts.push(element("p", "More rows match: add a subterm to narrow them.", { class: "cd-muted" }));
  results.replaceChildren(...parts);
}

function codeCell(code, checks) {
  const cell = element("td");
  if (!code) return cell;
  const check = checks[code];
  const [words, style] = STATUS[check?.status] || ["", "cd-muted"];
  cell.append(element("strong", code), " ", element("small", words, { class: style }));
  const said = [check?.title, check?.choose_from?.length ? `choose from ${check.choose_from.join(", ")}` : ""];
  if (check?.ended_on) said.push(`last valid ${check.ended_on}`);
  cell.title = said.filter(Boolean).join(" · ");
  return cell;
}

query.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(browse, 200);
});
table.addEventListener("change", browse);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  browse();
});
