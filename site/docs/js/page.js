// Runs on every page: finishes a hosted sign-in that came back to this page, and remembers ticked
// checklist boxes in this browser.
import { completeSignIn, showError } from "./api.js";
import { element } from "./dom.js";

function rememberChecklists() {
  for (const box of document.querySelectorAll(".cd-checklist input[type=checkbox][data-item]")) {
    const key = `codedesk.checklist.${box.dataset.item}`;
    box.checked = localStorage.getItem(key) === "1";
    box.addEventListener("change", () => localStorage.setItem(key, box.checked ? "1" : "0"));
  }
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
  rememberChecklists();
  finishSignIn();
}

// Material swaps pages without a reload when "instant" navigation is on (it is off; stay safe).
if (window.document$) window.document$.subscribe(onPage);
else document.addEventListener("DOMContentLoaded", onPage);
