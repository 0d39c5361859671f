// The quiz page: pick a quiz (or "Review my misses"), answer, submit, see the score and every
// explanation with links to the reference pages, and the list of my attempts.
// The server scores; this page never sees an answer before the attempt is submitted.
import { api, clearError, clinicTime, clinicTimeZone, currentUser, showError } from "./api.js";
import { element } from "./dom.js";

const status = document.getElementById("cd-quiz-status");
const picker = document.getElementById("cd-quiz-pick");
const select = document.getElementById("cd-quiz-select");
const missesButton = document.getElementById("cd-quiz-misses");
const form = document.getElementById("cd-quiz-form");
const title = document.getElementById("cd-quiz-title");
const description = document.getElementById("cd-quiz-description");
const list = document.getElementById("cd-quiz-questions");
const error = document.getElementById("cd-quiz-error");
const result = document.getElementById("cd-quiz-result");
const score = document.getElementById("cd-quiz-score");
const results = document.getElementById("cd-quiz-results");
const attemptRows = document.getElementById("cd-attempt-rows");

const REVIEW_ID = "misses";
let current = null; // {quiz, idempotencyKey}: one key per quiz shown, so a resent submit is not stored twice

function newKey() {
  return window.crypto && crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

// ------------------------------------------------------------------------------ questions

// One option per line: an option is read as a whole sentence, not scanned across a row.
function optionLine(label) {
  const line = element("div", null, { class: "cd-quiz-option" });
  line.append(label);
  return line;
}

function choiceInputs(question, index, type) {
  const box = element("div", null, { class: "cd-quiz-options" });
  question.options.forEach((option, n) => {
    const id = `cd-q${index}-o${n}`;
    const input = element("input", null, { type, id, name: question.id, value: option.id });
    const label = element("label", null, { for: id });
    label.append(input, " ", option.text);
    box.append(optionLine(label));
  });
  return box;
}

function trueFalseInputs(question, index) {
  const box = element("div", null, { class: "cd-quiz-options" });
  for (const [value, text] of [["true", "True"], ["false", "False"]]) {
    const id = `cd-q${index}-${value}`;
    const input = element("input", null, { type: "radio", id, name: question.id, value });
    const label = element("label", null, { for: id });
    label.append(input, " ", text);
    box.append(optionLine(label));
  }
  return box;
}

function codeInput(question, index) {
  const id = `cd-q${index}-code`;
  const box = element("p");
  box.append(
    element("label", `Your ${question.system} code`, { for: id }),
    element("input", null, { id, name: question.id, autocomplete: "off", maxlength: "20", spellcheck: "false" }),
  );
  return box;
}

function renderQuestion(question, index) {
  const item = element("li", null, { class: "cd-quiz-question", "data-question": question.id });
  // Review my misses: an audit miss says which encounter and codes put the question here.
  if (question.why) item.append(element("p", question.why, { class: "cd-why" }));
  item.append(element("p", question.prompt));
  if (question.cpt_in_own_words) {
    item.append(element("p", "CPT example in our own words, not the AMA descriptor.", { class: "cd-mark" }));
  }
  if (question.type === "single_choice") item.append(choiceInputs(question, index, "radio"));
  else if (question.type === "multiple_select") item.append(choiceInputs(question, index, "checkbox"));
  else if (question.type === "true_false") item.append(trueFalseInputs(question, index));
  else item.append(codeInput(question, index));
  return item;
}

function showQuiz(quiz) {
  current = { quiz, idempotencyKey: newKey() };
  title.textContent = quiz.title;
  description.textContent =
    quiz.quiz_id === REVIEW_ID ? quiz.description : `${quiz.description} Pass mark: ${quiz.pass_mark}%.`;
  list.replaceChildren(...quiz.questions.map(renderQuestion));
  result.hidden = true;
  if (!quiz.questions.length) {
    form.hidden = true;
    status.textContent =
      quiz.quiz_id === REVIEW_ID
        ? `Nothing to review today.${quiz.next_due_on ? ` The next question comes back on ${quiz.next_due_on}.` : ""}`
        : "This quiz has no questions.";
    return;
  }
  form.hidden = false;
  status.textContent =
    quiz.quiz_id === REVIEW_ID && quiz.due_later
      ? `${quiz.questions.length} to review now; ${quiz.due_later} more come back later.`
      : "";
}

function collectAnswers(quiz) {
  const answers = {};
  for (const question of quiz.questions) {
    const inputs = [...form.querySelectorAll(`[name="${CSS.escape(question.id)}"]`)];
    if (question.type === "multiple_select") {
      const picked = inputs.filter((input) => input.checked).map((input) => input.value);
      if (picked.length) answers[question.id] = picked;
    } else if (question.type === "code_this") {
      const typed = inputs[0].value.trim();
      if (typed) answers[question.id] = typed;
    } else {
      const picked = inputs.find((input) => input.checked);
      if (picked) answers[question.id] = question.type === "true_false" ? picked.value === "true" : picked.value;
    }
  }
  return answers;
}

// -------------------------------------------------------------------------------- results

function showAttempt(attempt) {
  let verdict = "";
  if (attempt.kind !== "review") {
    verdict = attempt.passed ? " Passed." : ` Not passed yet (pass mark ${attempt.pass_mark}%).`;
  }
  const right = `${attempt.score} of ${attempt.max_score} right (${attempt.percent}%)`;
  const seen = attempt.answers_seen_before ? " Taken after answers to this quiz were shown to you." : "";
  score.textContent = `${attempt.quiz_title}: ${right}.${verdict}${seen}`;
  results.replaceChildren(
    ...attempt.results.map((item) => {
      const entry = element("li", null, { class: item.correct ? "cd-right" : "cd-wrong" });
      entry.append(element("p", item.prompt, { class: "cd-prompt" }));
      const given = item.answered ? `Your answer: ${item.given_text}.` : "Not answered.";
      const verdict = item.correct ? "✓ Right." : "✗ Wrong.";
      // A quiz attempt is training evidence: a question left unanswered shows no answer (it comes back
      // in Review my misses, which shows everything).
      const answer = item.answer_withheld
        ? "The answer is not shown for a question left unanswered; practise it in Review my misses."
        : `Answer: ${item.expected_text}.`;
      entry.append(element("p", `${verdict} ${given} ${answer}`, { class: "cd-verdict" }));
      if (item.explanation) entry.append(element("p", item.explanation));
      for (const note of item.sources) {
        entry.append(element("p", `Source: ${note.source} (checked ${note.reviewed_on}).`, { class: "cd-source" }));
      }
      if (item.references.length) {
        const links = element("p", "See: ");
        item.references.forEach((link, n) => {
          if (n) links.append(" · ");
          links.append(element("a", link.label, { href: link.href }));
        });
        entry.append(links);
      }
      return entry;
    }),
  );
  result.hidden = false;
  result.scrollIntoView({ behavior: "smooth", block: "start" });
}

async function loadAttempts() {
  const zone = await clinicTimeZone();
  const page = await api("/api/attempts?limit=25");
  attemptRows.replaceChildren(
    ...page.items.map((attempt) => {
      const row = element("tr");
      const when = element("td");
      const open = element("a", clinicTime(attempt.submitted_at, zone), { href: "#" });
      open.addEventListener("click", async (event) => {
        event.preventDefault();
        clearError(error);
        try {
          showAttempt(await api(`/api/attempts/${encodeURIComponent(attempt.attempt_id)}`));
        } catch (problem) {
          showError(error, problem);
        }
      });
      when.append(open);
      row.append(
        when,
        element("td", attempt.quiz_title),
        element("td", `${attempt.score} / ${attempt.max_score}`),
        element("td", attempt.kind === "review" ? "practice" : attempt.passed ? "yes" : "no"),
      );
      return row;
    }),
  );
  if (!page.items.length) {
    const empty = element("tr");
    empty.append(element("td", "No attempts yet.", { colspan: "4" }));
    attemptRows.replaceChildren(empty);
  }
}

// ---------------------------------------------------------------------------------- flow

async function start(quizId) {
  clearError(error);
  status.textContent = "Loading…";
  try {
    showQuiz(await api(quizId === REVIEW_ID ? "/api/practice/misses" : `/api/quizzes/${encodeURIComponent(quizId)}`));
    const url = new URL(window.location.href);
    url.search = quizId === REVIEW_ID ? "?misses=1" : `?quiz=${encodeURIComponent(quizId)}`;
    window.history.replaceState(null, "", url);
  } catch (problem) {
    status.textContent = "";
    showError(error, problem);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError(error);
  const { quiz, idempotencyKey } = current;
  const path =
    quiz.quiz_id === REVIEW_ID
      ? "/api/practice/misses/attempts"
      : `/api/quizzes/${encodeURIComponent(quiz.quiz_id)}/attempts`;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const attempt = await api(path, {
      method: "POST",
      body: { answers: collectAnswers(quiz) },
      headers: { "Idempotency-Key": idempotencyKey },
    });
    form.hidden = true;
    showAttempt(attempt);
    await loadAttempts();
  } catch (problem) {
    showError(error, problem);
  } finally {
    button.disabled = false;
  }
});

picker.addEventListener("submit", (event) => {
  event.preventDefault();
  start(select.value);
});
missesButton.addEventListener("click", () => start(REVIEW_ID));

async function init() {
  try {
    if (!(await currentUser())) {
      status.textContent = "";
      status.append("Please sign in first: ", element("a", "Who am I?", { href: "../../tools/account/" }));
      picker.hidden = true;
      return;
    }
    const quizzes = (await api("/api/quizzes")).items;
    select.replaceChildren(...quizzes.map((quiz) => element("option", quiz.title, { value: quiz.quiz_id })));
    status.textContent = "Pick a quiz.";
    const params = new URLSearchParams(window.location.search);
    if (params.get("misses")) await start(REVIEW_ID);
    else if (params.get("quiz")) {
      select.value = params.get("quiz");
      await start(params.get("quiz"));
    }
    await loadAttempts();
  } catch (problem) {
    status.textContent = "";
    showError(error, problem);
  }
}

init();
