// "My team": the supervisor's people (GET /api/staff) and one person's page (GET /api/staff/{id}):
// checklist progress, open and late reviews, quiz standing. Names are set as text, never as HTML.
import { api, clinicDay, clinicTimeZone, currentUser, showError } from "./api.js";
import { element, folded, table } from "./dom.js";

const error = document.getElementById("cd-team-error");
const list = document.getElementById("cd-team-list");
const search = document.getElementById("cd-team-q");
const page = document.getElementById("cd-person");
const zone = await clinicTimeZone();


const QUIZ_STATUS = { not_started: "not started", in_progress: "in progress", passed: "passed" };

function reviewText(review) {
  if (review.status === "done") return `done ${clinicDay(review.completed_at, zone)}, was due ${review.due_on}`;
  return review.overdue ? `OVERDUE since ${review.due_on}` : `due ${review.due_on}`;
}

async function showPerson(userId) {
  page.hidden = false;
  page.replaceChildren(element("p", "Loading…"));
  try {
    const person = await api(`/api/staff/${encodeURIComponent(userId)}`);
    const parts = [
      element("h2", person.name),
      element("p", `${person.roles.join(", ") || "no role"} · team ${person.team} · ${person.active ? "active" : "no longer active"} · ${person.user_id}`),
    ];
    for (const checklist of person.checklists) {
      parts.push(element("h3", `Checklist (${checklist.role}): ${checklist.done} of ${checklist.total} done`));
      parts.push(
        table(
          ["Item", "Done"],
          checklist.items.map((item) => [item.text, item.done ? `✓ ${item.done_on || ""}`.trim() : "not yet"]),
        ),
      );
    }
    parts.push(element("h3", `Open reviews: ${person.open_reviews.length}`));
    if (person.open_reviews.length) {
      parts.push(table(["Release", "When"], person.open_reviews.map((r) => [r.title, reviewText(r)])));
    }
    parts.push(element("h3", `Reviews completed late: ${person.late_reviews.length}`));
    if (person.late_reviews.length) {
      parts.push(table(["Release", "When"], person.late_reviews.map((r) => [r.title, reviewText(r)])));
    }
    parts.push(element("h3", "Quizzes"));
    parts.push(
      person.quizzes.length
        ? table(
            ["Quiz", "Standing", "Best"],
            person.quizzes.map((q) => [q.title, QUIZ_STATUS[q.status], q.best_percent === null ? "" : `${q.best_percent}%`]),
          )
        : element("p", "No quiz is meant for this person's roles."),
    );
    page.replaceChildren(...parts);
  } catch (problem) {
    page.replaceChildren();
    showError(error, problem);
  }
}

function showList(people) {
  const wanted = folded(search.value.trim());
  const shown = people.filter((p) => !wanted || folded(p.name).includes(wanted) || folded(p.user_id).includes(wanted));
  list.replaceChildren(
    shown.length
      ? table(
          ["Person", "Roles", ""],
          shown.map((person) => {
            const open = element("button", "Open", { type: "button", class: "md-button", "aria-label": `Open ${person.name}` });
            open.addEventListener("click", () => showPerson(person.user_id));
            return [person.active ? person.name : `${person.name} (no longer active)`, person.roles.join(", "), open];
          }),
        )
      : element("p", "Nobody of your team matches."),
  );
}

async function init() {
  try {
    const user = await currentUser();
    if (!user) {
      list.append("Please sign in first: ", element("a", "Who am I?", { href: "../account/" }));
      return;
    }
    let people = [];
    let cursor = null;
    do {
      const query = new URLSearchParams({ limit: "100" });
      if (cursor) query.set("cursor", cursor);
      const answer = await api(`/api/staff?${query}`);
      people = people.concat(answer.items);
      cursor = answer.next_cursor;
    } while (cursor);
    search.addEventListener("input", () => showList(people));
    document.getElementById("cd-team-find").addEventListener("submit", (event) => event.preventDefault());
    showList(people);
  } catch (problem) {
    showError(error, problem);
  }
}

init();
