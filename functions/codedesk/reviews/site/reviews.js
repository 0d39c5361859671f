// The calendar and review pages: the subscribe address, "My reviews" and "Assign and track".
// Everything a person typed (notes, names) is shown with textContent, never as HTML.
import { api, clearError, clinicDay, clinicTimeZone, currentUser, showError } from "../js/api.js";
import { showCodeSetWarnings } from "../js/currency.js";
import { element, folded, table } from "../js/dom.js";

const siteRoot = new URL("../", import.meta.url); // this module lives in <site>/calendar/
const zone = await clinicTimeZone(); // completion days are the clinic's days

function releaseLink(review) {
  if (!review.changes_url) return element("span", review.title);
  return element("a", review.title, { href: new URL(review.changes_url.replace(/^\//, ""), siteRoot).href });
}

function dueText(review) {
  if (review.status === "done") return `done ${review.completed_at ? clinicDay(review.completed_at, zone) : ""}`;
  return review.overdue ? `OVERDUE since ${review.due_on}` : `due ${review.due_on}`;
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
      await show(rows);
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

// ------------------------------------------------------------------ the people picker

// Names are compared folded (dom.js: "maria" finds "María"), from the start of any word.
function matches(person, wanted) {
  if (!wanted || folded(person.user_id).startsWith(wanted)) return true;
  const name = folded(person.name);
  const starts = [0];
  for (let at = 0; at < name.length; at += 1) if (" '-".includes(name[at])) starts.push(at + 1);
  return starts.some((at) => name.startsWith(wanted, at));
}

let peopleRequest;

// Everyone of the supervisor's team(s), by name: a clinic's people are a few pages of /api/staff.
function teamPeople() {
  peopleRequest ??= (async () => {
    let people = [];
    let cursor = null;
    do {
      const query = new URLSearchParams({ limit: "100" });
      if (cursor) query.set("cursor", cursor);
      const page = await api(`/api/staff?${query}`);
      people = people.concat(page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return people;
  })();
  return peopleRequest;
}

function peoplePicker(people) {
  const box = document.getElementById("cd-people");
  const legend = box.querySelector("legend");
  const search = document.getElementById("cd-people-q");
  const role = document.getElementById("cd-people-role");
  const summary = document.getElementById("cd-people-chosen");
  const active = people.filter((person) => person.active);
  const chosen = new Map(); // user_id → person
  let shown = [];

  function describe() {
    const names = [...chosen.values()].map((person) => person.name);
    summary.textContent = names.length ? `Chosen (${names.length}): ${names.join(", ")}` : "Nobody chosen yet.";
  }

  function draw() {
    const wanted = folded(search.value);
    shown = active.filter((person) => (!role.value || person.roles.includes(role.value)) && matches(person, wanted));
    const rows = shown.map((person) => {
      const box = element("input", null, { type: "checkbox", value: person.user_id, name: "person" });
      box.checked = chosen.has(person.user_id);
      box.addEventListener("change", () => {
        if (box.checked) chosen.set(person.user_id, person);
        else chosen.delete(person.user_id);
        describe();
      });
      const label = element("label", null, { class: "cd-person" });
      label.append(box, ` ${person.name} `, element("small", `${person.roles.join(", ") || "no role"} · ${person.user_id}`));
      return label;
    });
    box.replaceChildren(legend, ...(rows.length ? rows : [element("p", "Nobody of your team matches.")]));
  }

  function choose(people) {
    if (!people.length) chosen.clear();
    for (const person of people) chosen.set(person.user_id, person);
    draw();
    describe();
  }

  search.addEventListener("input", draw);
  role.addEventListener("change", draw);
  document.getElementById("cd-people-all").addEventListener("click", () => choose(shown));
  document.getElementById("cd-people-none").addEventListener("click", () => choose([]));
  draw();
  return { chosen: () => [...chosen.keys()], clear: () => choose([]) };
}

// ------------------------------------------------------------------ Assign and track

function releaseOption(release) {
  return element("option", `${release.effective_on} · ${release.title} (review due ${release.review_due_on})`, {
    value: release.release_id,
  });
}

async function fillReleases(yearSelect, releaseSelect, error) {
  const year = yearSelect.value;
  try {
    const page = await api(`/api/releases?year=${year}`);
    if (yearSelect.value !== year) return; // another year was chosen meanwhile: its answer fills the list
    releaseSelect.replaceChildren(...page.items.map(releaseOption));
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

function names(items) {
  return items.map((item) => item.assignee_name).join(", ");
}

async function assignPage(form, tracking) {
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
  let picker;
  try {
    picker = peoplePicker(await teamPeople());
  } catch (problem) {
    showError(error, problem);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(error);
    result.textContent = "";
    const assignees = picker ? picker.chosen() : [];
    if (!assignees.length) {
      showError(error, new Error("Choose at least one person from the list."));
      return;
    }
    const body = { release_id: form.elements.release_id.value, assignees };
    if (form.elements.due_on.value) body.due_on = form.elements.due_on.value;
    try {
      const answer = await api("/api/reviews", { method: "POST", body });
      const created = answer.items.filter((item) => item.created);
      const existing = answer.items.filter((item) => !item.created);
      result.textContent =
        (created.length ? `Assigned to ${names(created)}. ` : "") +
        (existing.length ? `Already assigned to ${names(existing)} (unchanged). ` : "") +
        (answer.warnings || []).join(" ");
      picker.clear();
      tracking.show(body.release_id);
    } catch (problem) {
      showError(error, problem);
    }
  });
}

function statusText(review) {
  return review.late ? `${dueText(review)} (late; was due ${review.due_on})` : dueText(review);
}

// A release's list with nobody filtered out shows the whole team: those not assigned it too.
function everyone(rows, people, release) {
  const assigned = new Set(rows.map((review) => review.assignee));
  const missing = people
    .filter((person) => person.active && !assigned.has(person.user_id))
    .map((person) => [person.name, release, "not assigned", ""]);
  return rows.map((review) => [review.assignee_name, releaseLink(review), statusText(review), review.notes || ""]).concat(missing);
}

async function fillTrackingChoices(form, error) {
  const thisYear = new Date().getFullYear();
  try {
    const years = await Promise.all([thisYear, thisYear + 1, thisYear + 2].map((y) => api(`/api/releases?year=${y}`)));
    form.elements.release_id.append(...years.flatMap((page) => page.items).map(releaseOption));
    const people = await teamPeople();
    form.elements.assignee.append(...people.map((person) => element("option", person.name, { value: person.user_id })));
  } catch (problem) {
    showError(error, problem);
  }
}

function trackPage(form) {
  const container = document.getElementById("cd-tracked");
  const error = document.getElementById("cd-track-error");
  const wholeTeam = () =>
    form.elements.release_id.value &&
    !form.elements.assignee.value &&
    !form.elements.status.value &&
    !form.elements.overdue.checked;
  const load = reviewPager(
    document.getElementById("cd-track-more"),
    error,
    async () => {
      const query = new URLSearchParams({ limit: "100" });
      for (const name of ["release_id", "assignee", "status"]) {
        const value = form.elements[name].value.trim();
        if (value) query.set(name, value);
      }
      if (form.elements.overdue.checked) query.set("overdue", "true");
      return query;
    },
    async (rows) => {
      const selected = form.elements.release_id.selectedOptions[0];
      const cells =
        wholeTeam() && document.getElementById("cd-track-more").hidden
          ? everyone(rows, await teamPeople(), selected ? selected.textContent : "")
          : rows.map((review) => [review.assignee_name, releaseLink(review), statusText(review), review.notes || ""]);
      container.replaceChildren(
        cells.length ? table(["Person", "Release", "Status", "Notes"], cells) : element("p", "No reviews match."),
      );
    },
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load(true);
  });
  const ready = fillTrackingChoices(form, error).then(() => load(true));
  return {
    // After assigning: that release's list, everyone of the team.
    async show(releaseId) {
      await ready;
      form.elements.release_id.value = releaseId;
      form.elements.assignee.value = "";
      form.elements.status.value = "";
      form.elements.overdue.checked = false;
      await load(true);
    },
  };
}

// ------------------------------------------------------------------------------ start

showFeedAddress();
const mine = document.getElementById("cd-my-reviews");
if (mine) myReviews(mine);
const track = document.getElementById("cd-track");
const tracking = track ? trackPage(track) : null;
const assign = document.getElementById("cd-assign");
if (assign) assignPage(assign, tracking);
