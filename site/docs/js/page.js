// Runs on every page: finishes a hosted sign-in that came back to this page, and shows a guide's
// checklist as the signed-in person's own, kept on the server (/api/checklists/{role}): people who
// share a front-desk PC each have theirs, and their supervisor sees their progress.
import { api, completeSignIn, freshToken, showError } from "./api.js";
import { element } from "./dom.js";

async function serverChecklist(list) {
  const boxes = [...list.querySelectorAll("input[type=checkbox][data-item]")];
  const note = element("p", null, { class: "cd-checklist-note" });
  list.before(note);
  for (const box of boxes) box.disabled = true;
  if (!(await freshToken())) {
    note.append("Sign in (", element("a", "Who am I?", { href: new URL("../tools/account/", import.meta.url).href }),
      ") to tick this checklist: it is kept with your account, not in this browser.");
    return;
  }
  const role = encodeURIComponent(list.dataset.role);
  try {
    const checklist = await api(`/api/checklists/${role}`);
    const items = new Map(checklist.items.map((item) => [item.item_id, item]));
    for (const box of boxes) {
      const item = items.get(box.dataset.item);
      box.checked = Boolean(item && item.done);
      if (item && item.ticked_by_quizzes.length) {
        box.title = `Ticks itself when you pass the ${item.ticked_by_quizzes.join(" and ")} quiz`;
        continue;
      }
      box.disabled = false;
      box.addEventListener("change", async () => {
        try {
          await api(`/api/checklists/${role}/items/${encodeURIComponent(box.dataset.item)}`, {
            method: "PUT",
            body: { done: box.checked },
          });
          note.textContent = `${boxes.filter((other) => other.checked).length} of ${boxes.length} done.`;
        } catch (problem) {
          box.checked = !box.checked;
          showError(note, problem);
        }
      });
    }
    note.textContent = `${checklist.done} of ${checklist.total} done.`;
  } catch (problem) {
    showError(note, problem);
  }
}

function checklists() {
  for (const list of document.querySelectorAll(".cd-checklist[data-role]")) serverChecklist(list);
}

async function finishSignIn() {
  try {
    await completeSignIn();
  } catch (problem) {
    const notice = element("p");
    document.querySelector("article")?.prepend(notice);
    showError(notice, problem);
  }
}

function onPage() {
  checklists();
  finishSignIn();
}

// Material swaps pages without a reload when "instant" navigation is on (it is off; stay safe).
if (window.document$) window.document$.subscribe(onPage);
else document.addEventListener("DOMContentLoaded", onPage);
