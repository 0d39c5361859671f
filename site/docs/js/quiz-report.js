// The supervisor's quiz report: per quiz, everyone of the team in the quiz's roles (passed, in
// progress or not started), each one's best and last result, and the questions answered wrong most
// often (to find confusing questions).
import { api, clinicTime, clinicTimeZone, currentUser, showError } from "./api.js";
import { element, table } from "./dom.js";

const status = document.getElementById("cd-report-status");
const error = document.getElementById("cd-report-error");
const report = document.getElementById("cd-report");
const zone = await clinicTimeZone();


// An attempt made after answers to the quiz had been shown to the person is weaker evidence.
const AFTER = ", after answers were shown";

function passedText(person) {
  if (!person.passed) return "not yet";
  return person.passed_before_answers_seen ? "yes" : `yes${AFTER}`;
}

function quizSection(quiz) {
  const section = element("section", null, { "data-quiz": quiz.quiz_id });
  section.append(element("h2", `${quiz.title} (pass mark ${quiz.pass_mark}%)`));
  const passed = quiz.people.filter((p) => p.status === "passed").length;
  section.append(
    element(
      "p",
      `${passed} passed, ${quiz.people.length - passed} in progress, ${quiz.not_started.length} not started` +
        (quiz.roles.length ? ` (people in the ${quiz.roles.join(", ")} role${quiz.roles.length > 1 ? "s" : ""}).` : "."),
      { class: "cd-report-counts" },
    ),
  );
  if (!quiz.people.length && !quiz.not_started.length) {
    section.append(element("p", "Nobody has taken this quiz yet."));
    return section;
  }
  section.append(
    table(
      ["Person", "Status", "Attempts", "Best", "Last attempt", "Last score", "Passed"],
      quiz.people
        .map((p) => [
          p.name === p.user_id ? p.user_id : `${p.name} (${p.user_id})`,
          p.status === "passed" ? "passed" : "in progress",
          String(p.attempts),
          `${p.best_score} / ${p.max_score} (${p.best_percent}%)${p.best_answers_seen_before ? AFTER : ""}`,
          clinicTime(p.last_submitted_at, zone),
          `${p.last_score} / ${p.max_score}${p.last_answers_seen_before ? AFTER : ""}`,
          passedText(p),
        ])
        .concat(quiz.not_started.map((p) => [`${p.name} (${p.user_id})`, "not started", "0", "", "", "", "not yet"])),
    ),
  );
  if (!quiz.questions.length) return section;
  section.append(element("h3", "Questions, most often missed first"));
  section.append(
    table(
      ["Question", "Answered right", "Times asked"],
      quiz.questions.map((q) => [q.prompt, `${Math.round(q.share_correct * 100)}%`, String(q.seen)]),
    ),
  );
  return section;
}

async function init() {
  try {
    const user = await currentUser();
    if (!user) {
      status.textContent = "";
      status.append("Please sign in first: ", element("a", "Who am I?", { href: "../../tools/account/" }));
      return;
    }
    if (!user.groups.includes("supervisor")) {
      status.textContent = "";
      showError(error, new Error("The quiz report is for supervisors; your own results are under My attempts."));
      return;
    }
    // Pages of quizzes, read one after the other until the last (each page is a few round trips).
    let cursor = null;
    let shown = 0;
    report.replaceChildren();
    do {
      const data = await api(`/api/reports/quizzes?limit=25${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      report.append(...data.items.map(quizSection));
      shown += data.items.length;
      status.textContent = `${shown} quizzes.`;
      cursor = data.next_cursor;
    } while (cursor);
  } catch (problem) {
    status.textContent = "";
    showError(error, problem.status === 403 ? new Error("The quiz report is for supervisors.") : problem);
  }
}

init();
