// The denial trends page: GET /api/denials/trends by reason, code family, payer, month or week, shown
// as a table with bars, each reason linked to its card and the denials quiz; the same as CSV.
// Published by `codedesk build-site` next to the page (denials/trends.js).
import { api, clearError, showError } from "../js/api.js";
import { element } from "../js/dom.js";

const form = document.getElementById("cd-trends-form");
const problem = document.getElementById("cd-trends-error");
const result = document.getElementById("cd-trends-result");
const csvButton = document.getElementById("cd-trends-csv");
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const HEADINGS = { carc: "Reason", code_family: "Code family", payer: "Payer", month: "Month", week: "Week" };

// "2026-W47" → "2026-W47 (from Mon 2026-11-16)": ISO week 1 is the week holding 4 January.
function weekLabel(key) {
  const match = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!match) return key;
  const jan4 = new Date(Date.UTC(Number(match[1]), 0, 4));
  const monday = new Date(jan4);
  monday.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() + 6) % 7) + (Number(match[2]) - 1) * 7);
  return `${key} (from Mon ${monday.toISOString().slice(0, 10)})`;
}

function query() {
  const data = new FormData(form);
  const params = new URLSearchParams({ by: data.get("by") });
  for (const name of ["from", "to", "reason"]) if (data.get(name)) params.set(name, data.get(name));
  return params;
}

// The owner of a denial reason is a card's "front desk", "coder" or "biller"; the role that takes quizzes.
const ROLE_OF_OWNER = { front_desk: "receptionist", coder: "coder", biller: "biller" };

// A reason Codedesk has no card for (a payer's rare CARC) is the billers' to work, on the denials quiz.
const NO_CARD = { owner_role: "biller", quiz_topics: ["denials"] };

// The quiz that teaches a reason: a quiz named by the card's topics, else the owner role's own quiz.
async function quizFor(carc) {
  const card = await api(`/api/denials/${encodeURIComponent(carc)}`).catch((error) => {
    if (error.status === 404) return NO_CARD;
    throw error;
  });
  const quizzes = await api("/api/quizzes");
  const role = ROLE_OF_OWNER[card.owner_role] || "biller";
  const quiz = quizzes.items.find((q) => card.quiz_topics.includes(q.quiz_id)) || quizzes.items.find((q) => q.quiz_id === role);
  return { card, role, quiz };
}

// Two clicks: the first finds the quiz and who would take it, the second assigns it.
function assignButton(key) {
  const box = element("span", null, { class: "cd-assign-quiz" });
  const first = element("button", "Assign the quiz…", { type: "button", class: "md-button" });
  first.addEventListener("click", async () => {
    clearError(problem);
    try {
      const { role, quiz } = await quizFor(key.split("-")[1]);
      const confirm = element("button", `Assign “${quiz.title}” to every ${role}`, { type: "button", class: "md-button md-button--primary" });
      confirm.addEventListener("click", async () => {
        try {
          const done = await api(`/api/quizzes/${quiz.quiz_id}/assignments`, { method: "POST", body: { role, reason: `${key} denials` } });
          box.replaceChildren(element("span", `Assigned to ${done.assigned.map((p) => p.name).join(", ")}.`));
        } catch (error) {
          showError(problem, error);
        }
      });
      box.replaceChildren(confirm);
    } catch (error) {
      showError(problem, error);
    }
  });
  box.append(first);
  return box;
}

function reasonCell(key) {
  const cell = element("td");
  const carc = key.split("-")[1];
  const over = (by) => element("a", `by ${by}`, { href: `?by=${by}&reason=${encodeURIComponent(key)}` });
  cell.append(element("a", key, { href: `../carc/${carc}/` }), " · ", over("month"), " · ", over("week"), " ", assignButton(key));
  return cell;
}

function show(answer) {
  result.replaceChildren();
  const only = answer.reason ? ` Denied lines: ${answer.reason} only.` : "";
  result.append(element("p", `${answer.checks} recorded check(s), ${answer.first_month} to ${answer.last_month}.${only}`));
  const r = answer.claim_rates;
  result.append(element("p", `Denial rate: ${r.denial_rate_by_count}% of claims (${r.denied_claims} of ${r.claims}), ${r.denial_rate_by_amount}% of charges (${money.format(Number(r.denied_charges))} of ${money.format(Number(r.charges))}).`, { class: "cd-claim-rates" }));
  result.append(element("p", `Paid as primary with no denied line: ${r.without_denial_rate}% (${r.primary_without_denial} of ${r.primary_claims} claims adjudicated as primary). Not the guide's clean-claim rate (why: above the form).`, { class: "cd-without-denial" }));
  if (!answer.items.length) {
    result.append(element("p", "Nothing recorded in these months yet."));
    result.hidden = false;
    return;
  }
  const table = element("table");
  const head = element("tr");
  for (const h of [HEADINGS[answer.by], "Lines", "Denied lines", "Denial rate", "", "Denied amount"]) head.append(element("th", h));
  table.append(head);
  for (const item of answer.items) {
    const row = element("tr");
    row.append(answer.by === "carc" ? reasonCell(item.key) : element("td", answer.by === "week" ? weekLabel(item.key) : item.key));
    row.append(element("td", String(item.lines)), element("td", String(item.denied_lines)), element("td", `${item.denial_rate}%`));
    const bar = element("td");
    bar.append(element("meter", `${item.denial_rate}%`, { min: "0", max: "100", value: String(item.denial_rate), "aria-label": `${item.key} denial rate` }));
    row.append(bar, element("td", money.format(Number(item.denied_amount))));
    table.append(row);
  }
  result.append(table);
  result.hidden = false;
}

async function load() {
  clearError(problem);
  try {
    show(await api(`/api/denials/trends?${query()}`));
  } catch (error) {
    result.hidden = true;
    showError(problem, error);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  load();
});

csvButton.addEventListener("click", async () => {
  clearError(problem);
  try {
    const csv = await api(`/api/denials/trends.csv?${query()}`);
    const link = element("a", null, { href: URL.createObjectURL(new Blob([csv], { type: "text/csv" })), download: `denial-trends-${query().get("by")}.csv` });
    link.click();
    URL.revokeObjectURL(link.href);
  } catch (error) {
    showError(problem, error);
  }
});

// A link "by month" or "by week" for one reason opens this page with it filled in.
const asked = new URLSearchParams(window.location.search);
for (const name of ["by", "reason", "from", "to"]) if (asked.get(name)) form.elements[name].value = asked.get(name);
load();
