// The quizzes page: the quizzes a supervisor assigned to the signed-in person (GET /api/quiz-assignments),
// with why, by when and whether they are done. Published next to the page (quizzes/assigned.js).
import { api, token } from "../js/api.js";
import { element } from "../js/dom.js";

const section = document.getElementById("cd-quiz-assigned");
const WORDS = { not_started: "not started", in_progress: "in progress, not passed yet", passed: "passed" };

async function show() {
  if (!token()) return; // not signed in: the page says to sign in first
  let answer;
  try {
    answer = await api("/api/quiz-assignments");
  } catch {
    return; // not signed in: the page says to sign in first
  }
  if (!answer.items.length) return;
  const list = element("ul");
  for (const a of answer.items) {
    const item = element("li");
    const due = a.due_on ? `, due ${a.due_on}${a.overdue ? " (overdue)" : ""}` : "";
    item.append(element("a", a.title, { href: `take/?quiz=${encodeURIComponent(a.quiz_id)}` }), ` — ${WORDS[a.status]}${due}`);
    if (a.reason) item.append(element("span", ` (${a.reason})`, { class: "cd-note" }));
    list.append(item);
  }
  section.replaceChildren(element("h2", "Assigned to you"), list);
  section.hidden = false;
}

show();
