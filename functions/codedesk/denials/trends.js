// The denial trends page, the revenue-cycle manager's weekly report: GET /api/denials/trends by code
// family period by period (a chart of denial rates, week by week or month by month), by reason (top
// by dollars, each linked to its card when Codedesk has one, and to the quiz that teaches it), by
// payer, or by period only; the same as CSV. Published by `codedesk build-site` next to the page.
import { api, clearError, showError } from "../js/api.js";
import { element, table } from "../js/dom.js";

const form = document.getElementById("cd-trends-form");
const problem = document.getElementById("cd-trends-error");
const result = document.getElementById("cd-trends-result");
const csvButton = document.getElementById("cd-trends-csv");
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const HEADINGS = { carc: "Reason", code_family: "Code family", payer: "Payer", month: "Month", week: "Week" };
// The guide section that teaches each CARC that has a card page ("16=/guides/biller/#the-denials-you-meet-first
// ..."; written into the page when the site is built): every card has an owner, every owner a guide.
const GUIDE = new Map(form.dataset.guides.split(" ").map((pair) => pair.split("=")));
const CARDED = new Set(GUIDE.keys());

// "2026-W47" → "2026-W47 (from Mon 2026-11-16)": ISO week 1 is the week holding 4 January.
function weekLabel(key) {
  const match = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!match) return key;
  const jan4 = new Date(Date.UTC(Number(match[1]), 0, 4));
  const monday = new Date(jan4);
  monday.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() + 6) % 7) + (Number(match[2]) - 1) * 7);
  return `${key} (from Mon ${monday.toISOString().slice(0, 10)})`;
}

// "period only" groups by the period itself (by=week or by=month); the other groupings are also
// answered period by period (over=), which the code-family chart draws.
function query() {
  const data = new FormData(form);
  const over = data.get("over");
  const by = data.get("by") === "time" ? over : data.get("by");
  const params = new URLSearchParams({ by });
  if (by !== over) params.set("over", over);
  for (const name of ["from", "to", "reason"]) if (data.get(name)) params.set(name, data.get(name));
  return params;
}

// From and To are weeks (2026-W47) or months (2026-11), as the period chosen.
function setPeriod(over) {
  form.elements.over.value = over;
  for (const name of ["from", "to"]) {
    const input = form.elements[name];
    if (input.type !== over) {
      input.value = "";
      input.type = over;
    }
  }
}

// The owner of a denial reason is a card's "front desk", "coder" or "biller"; the role that takes quizzes.
const ROLE_OF_OWNER = { front_desk: "receptionist", coder: "coder", biller: "biller" };

// A reason Codedesk has no card for (a payer's rare CARC) is the billers' to work, on the denials quiz.
const NO_CARD = { owner_role: "biller", quiz_topics: ["denials"] };

// The quiz that teaches a reason: a quiz named by the card's topics, else the owner role's own quiz.
async function quizFor(carc) {
  const [card, quizzes] = await Promise.all([
    CARDED.has(carc) ? api(`/api/denials/${encodeURIComponent(carc)}`) : NO_CARD,
    api("/api/quizzes"),
  ]);
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

// A reason links to its card page only where there is one; otherwise it says so, as the explainer does.
function reasonCell(key) {
  const cell = element("span");
  const carc = key.split("-")[1];
  const over = (period) => element("a", `by ${period}`, { href: `?by=time&over=${period}&reason=${encodeURIComponent(key)}` });
  const name = CARDED.has(carc) ? element("a", key, { href: `../carc/${carc}/` }) : element("span", `${key} (no card yet)`, { class: "cd-no-card" });
  cell.append(name);
  if (CARDED.has(carc)) cell.append(" · ", element("a", "guide", { href: GUIDE.get(carc), class: "cd-guide" }));
  cell.append(" · ", over("week"), " · ", over("month"), " ", assignButton(key));
  return cell;
}

function rateBar(label, rate) {
  return element("meter", `${rate}%`, { min: "0", max: "100", value: String(rate), "aria-label": `${label} denial rate` });
}

// Reversed lines are apart from the lines and denials: what the payers took back in the period.
function reversed(item) {
  if (!item.reversed_lines) return "—";
  return `${item.reversed_lines} line(s), ${money.format(Number(item.reversed_amount))} taken back`;
}

// The chart of denial rate by code family over time: a row per family, a column per week or month
// (every one of the range, so a week with no remit shows as "—", up to a year and some of weeks).
function familyChart(answer) {
  const chart = element("table", null, { class: "cd-trends-chart" });
  const head = element("tr");
  head.append(element("th", "Code family"));
  for (const period of answer.periods) head.append(element("th", period, { title: weekLabel(period) }));
  head.append(element("th", "All"), element("th", "Denied amount"), element("th", "Reversed"));
  chart.append(head);
  for (const item of answer.items) {
    const row = element("tr");
    row.append(element("td", item.key));
    for (const p of item.periods) {
      const title = p.lines ? `${p.denied_lines} of ${p.lines} line(s) denied, ${money.format(Number(p.denied_amount))}` : "no line of this family recorded";
      const cell = element("td", null, { "data-period": p.period, title });
      if (p.lines) cell.append(rateBar(`${item.key} ${p.period}`, p.denial_rate), ` ${p.denial_rate}%`);
      else cell.append("—");
      row.append(cell);
    }
    row.append(element("td", `${item.denial_rate}% (${item.denied_lines} of ${item.lines})`), element("td", money.format(Number(item.denied_amount))), element("td", reversed(item)));
    chart.append(row);
  }
  return chart;
}

function figuresTable(answer) {
  const headings = [HEADINGS[answer.by], "Lines", "Denied lines", "Denial rate", "", "Denied amount"];
  if (answer.by !== "carc") headings.push("Reversed");
  const rows = answer.items.map((item) => {
    const key = answer.by === "carc" ? reasonCell(item.key) : answer.by === "week" ? weekLabel(item.key) : item.key;
    const cells = [key, String(item.lines), String(item.denied_lines), `${item.denial_rate}%`, rateBar(item.key, item.denial_rate), money.format(Number(item.denied_amount))];
    if (answer.by !== "carc") cells.push(reversed(item));
    return cells;
  });
  return table(headings, rows);
}

function show(answer) {
  result.replaceChildren();
  const only = answer.reason ? ` Denied lines: ${answer.reason} only.` : "";
  const span = answer.first_week ? `weeks ${weekLabel(answer.first_week)} to ${answer.last_week}` : `${answer.first_month} to ${answer.last_month}`;
  result.append(element("p", `${answer.checks} recorded check(s), ${span}.${only}`));
  const r = answer.claim_rates;
  result.append(element("p", `Denial rate: ${r.denial_rate_by_count}% of claims (${r.denied_claims} of ${r.claims}), ${r.denial_rate_by_amount}% of charges (${money.format(Number(r.denied_charges))} of ${money.format(Number(r.charges))}).`, { class: "cd-claim-rates" }));
  result.append(element("p", `Paid as primary with no denied line: ${r.without_denial_rate}% (${r.primary_without_denial} of ${r.primary_claims} claims adjudicated as primary). Not the guide's clean-claim rate (why: above the form).`, { class: "cd-without-denial" }));
  if (r.reversed_claims) {
    result.append(element("p", `Reversed: ${r.reversed_claims} claim(s) took back ${money.format(Number(r.reversed_amount))} of earlier payments; shown apart, never as denials (why: above the form).`, { class: "cd-reversed" }));
  }
  if (!answer.items.length) {
    result.append(element("p", "Nothing recorded in these periods yet."));
  } else {
    result.append(answer.by === "code_family" ? familyChart(answer) : figuresTable(answer));
  }
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

form.elements.over.addEventListener("change", () => setPeriod(form.elements.over.value));

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

// A link ("by week" for one reason, a bookmarked report) opens this page with it filled in: the
// period from `over`, else from the range's form (2026-11 is a month), else a week.
const asked = new URLSearchParams(window.location.search);
const askedBy = asked.get("by");
const askedOver = ["week", "month"].includes(askedBy) ? askedBy : asked.get("over");
setPeriod(askedOver || (/^\d{4}-\d{2}$/.test(asked.get("from") || asked.get("to") || "") ? "month" : "week"));
if (askedBy) form.elements.by.value = ["week", "month"].includes(askedBy) ? "time" : askedBy;
for (const name of ["reason", "from", "to"]) if (asked.get(name)) form.elements[name].value = asked.get(name);
load();
