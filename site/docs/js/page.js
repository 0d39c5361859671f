// Runs on every page: remembers ticked checklist boxes in this browser.
function rememberChecklists() {
  for (const box of document.querySelectorAll(".cd-checklist input[type=checkbox][data-item]")) {
    const key = `codedesk.checklist.${box.dataset.item}`;
    box.checked = localStorage.getItem(key) === "1";
    box.addEventListener("change", () => localStorage.setItem(key, box.checked ? "1" : "0"));
  }
}

// Material swaps pages without a reload ("instant" navigation is off, but stay safe either way).
if (window.document$) window.document$.subscribe(rememberChecklists);
else document.addEventListener("DOMContentLoaded", rememberChecklists);
