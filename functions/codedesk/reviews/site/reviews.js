// The calendar and review pages: the subscribe address, "My reviews" and "Assign and track".
// Everything a person typed (notes, user names) is shown with textContent, never as HTML.
import { api, clearError, currentUser, showError } from "../js/api.js";
import { showCodeSetWarnings } from "../js/currency.js";
import { element } from "../js/dom.js";

const siteRoot = new URL("../", import.meta.url); // this module lives in <site>/calendar/

function releaseLink(review) {
  if (!review.changes_url) return element("span", review.title);
  return element("a", review.title, { href: new URL(review.changes_url.replace(/^\//, ""), siteRoot).href });
}

function dueText(review) {
  if (review.status === "done") return `done ${String(review.completed_at || "").slice(0, 10)}`;
  return review.overdue ? `OVERDUE since ${review.due_on}` : `due ${review.due_on}`;
}

function table(headings, rows) {
  const result = element("table");
  const head = result.createTHead().insertRow();
  for (const heading of headings) head.appendChild(element("th", heading));
  const body = result.createTBody();
  for (const cells of rows) {
    const row = body.insertRow();
    for (const cell of cells) {
      const td = row.insertCell();
      if (cell instanceof Node) td.appendChild(cell);
      else td.textContent = cell ?? "";
    }
  }
  return result;
}

// ------------------------------------------------------------------ subscribe address

function showFeedAddress() {
  const feed = new URL("/api/calendar.ics", location.origin);
  for (const code of document.querySelectorAll(".cd-feed-url")) code.textContent = feed.href;
  for (const link of document.querySelectorAll(".cd-feed-link")) {
    link.href = `webcal://${feed.host}${feed.pathname}`; // opens the calendar program's subscribe dialog
  }
}

// ------------------------------------------------------------------------ My reviews

function completeForm(review, done) {
  const form = element("form", null, { class: "cd-form" });
  const ack = element("input", null, { type: "checkbox", required: "" });
  const label = element("label");
  label.append(ack, " I have reviewed these changes");
  const notes = element("input", null, { placeholder: "notes (optional, no patient details)", "aria-label": "Notes (optional)", size: "30", maxlength: "2000" });
  const button = element("button", "Mark complete", { type: "submit", class: "md-button md-button--primary" });
  const error = element("p", null, { hidden: "" });
  form.append(label, " ", notes, " ", button, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    try {
      await api(`/api/reviews/${encodeURIComponent(review.review_id)}/complete`, {
        method: "POST",
        body: { acknowledged: ack.checked, notes: notes.value.trim() || null },
      });
      done();
    } catch (problem) {
      showError(error, problem);
    }
  });
  return form;
}

// Pages of /api/reviews shown as one growing list. Returns `load`: load(true) starts again from the
// first page, the "more" button adds the next one. `filters()` gives the query (null: show
// nothing), `show(rows)` draws every review read so far.
function reviewPager(more, error, filters, show) {
  let cursor = null;
  let rows = [];

  async function load(reset) {
    clearError(error);
    if (reset) {
      cursor = null;
      rows = [];
    }
    try {
      const query = await filters();
      if (!query) return;
      if (cursor) query.set("cursor", cursor);
      const page = await api(`/api/reviews?${query}`);
      rows = rows.concat(page.items);
      cursor = page.next_cursor;
      more.hidden = !cursor;
      show(rows);
    } catch (problem) {
      showError(error, problem);
    }
  }

  more.addEventListener("click", () => load(false));
  return load;
}

async function myReviews(container) {
  const status = document.getElementById("cd-reviews-status");
  const load = reviewPager(
    document.getElementById("cd-more"),
    document.getElementById("cd-reviews-error"),
    async () => {
      if (await currentUser()) return new URLSearchParams({ limit: "50" });
      status.textContent = "Sign in first (Tools → Who am I?) to see your reviews.";
      container.replaceChildren();
      return null;
    },
    (rows) => {
      const open = rows.filter((review) => review.status === "open").length;
      status.textContent = rows.length
        ? `${open} open, ${rows.length - open} done.`
        : "No reviews are assigned to you.";
      container.replaceChildren(
        table(
          ["Release", "When", "Complete"],
          rows.map((review) => [
            releaseLink(review),
            dueText(review),
            review.status === "open" ? completeForm(review, () => load(true)) : review.notes || "✓",
          ]),
        ),
      );
    },
  );
  await load(true);
}

// ------------------------------------------------------------------ Assign and track

async function fillReleases(yearSelect, releaseSelect, error) {
  try {
    const page = await api(`/api/releases?year=${yearSelect.value}`);
    releaseSelect.replaceChildren(
      ...page.items.map((release) =>
        element("option", `${release.effective_on} · ${release.title} (review due ${release.review_due_on})`, {
          value: release.release_id,
        }),
      ),
    );
  } catch (problem) {
    showError(error, problem);
  }
}

// Before assigning: a due date already passed, or a release whose changes are not loaded yet.
async function showAssignWarnings(form, shown) {
  const query = new URLSearchParams({ release_id: form.elements.release_id.value });
  if (!query.get("release_id")) return;
  if (form.elements.due_on.value) query.set("due_on", form.elements.due_on.value);
  try {
    const answer = await api(`/api/review-warnings?${query}`);
    shown.replaceChildren(...answer.warnings.map((warning) => element("span", `${warning} `)));
    shown.hidden = !answer.warnings.length;
  } catch {
    shown.hidden = true; // the assignment itself reports what is wrong
  }
}

function assignPage(form) {
  const error = document.getElementById("cd-assign-error");
  const result = document.getElementById("cd-assign-result");
  const warnings = document.getElementById("cd-assign-warnings");
  showCodeSetWarnings(document.getElementById("cd-code-set-currency"));
  const year = form.elements.year;
  const thisYear = new Date().getFullYear();
  for (const value of [thisYear, thisYear + 1, thisYear + 2]) year.appendChild(element("option", String(value), { value }));
  const warn = () => showAssignWarnings(form, warnings);
  year.addEventListener("change", () => fillReleases(year, form.elements.release_id, error).then(warn));
  fillReleases(year, form.elements.release_id, error).then(warn);
  for (const control of [form.elements.release_id, form.elements.due_on]) control.addEventListener("change", warn);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    result.textContent = "";
    const assignees = form.elements.assignees.value.split(/[\s,;]+/).filter(Boolean);
    const body = { release_id: form.elements.release_id.value, assignees };
    if (form.elements.due_on.value) body.due_on = form.elements.due_on.value;
    try {
      const answer = await api("/api/reviews", { method: "POST", body });
      const created = answer.items.filter((item) => item.created).map((item) => item.assignee);
      const existing = answer.items.filter((item) => !item.created).map((item) => item.assignee);
      result.textContent =
        (created.length ? `Assigned to ${created.join(", ")}. ` : "") +
        (existing.length ? `Already assigned to ${existing.join(", ")} (unchanged). ` : "") +
        answer.warnings.join(" ");
    } catch (problem) {
      showError(error, problem);
    }
  });
}

function trackPage(form) {
  const container = document.getElementById("cd-tracked");
  const load = reviewPager(
    document.getElementById("cd-track-more"),
    document.getElementById("cd-track-error"),
    async () => {
      const query = new URLSearchParams({ limit: "100" });
      for (const name of ["release_id", "assignee", "status"]) {
        const value = form.elements[name].value.trim();
        if (value) query.set(name, value);
      }
      if (form.elements.overdue.checked) query.set("overdue", "true");
      return query;
    },
    (rows) =>
      container.replaceChildren(
        rows.length
          ? table(
              ["Person", "Release", "Status", "Notes"],
              rows.map((review) => [review.assignee, releaseLink(review), dueText(review), review.notes || ""]),
            )
          : element("p", "No reviews match."),
      ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load(true);
  });
  load(true);
}

// ------------------------------------------------------------------------------ start

showFeedAddress();
const mine = document.getElementById("cd-my-reviews");
if (mine) myReviews(mine);
const assign = document.getElementById("cd-assign");
if (assign) assignPage(assign);
const track = document.getElementById("cd-track");
if (track) trackPage(track);
