import { currentUser, showError, clearError, signIn, signOut } from "./api.js";

const form = document.getElementById("cd-signin");
const who = document.getElementById("cd-who");
const error = document.getElementById("cd-signin-error");
const out = document.getElementById("cd-signout");

async function refresh() {
  try {
    const user = await currentUser();
    who.textContent = user
      ? `Signed in as ${user.user_id} (${user.groups.join(", ")}).`
      : "You are not signed in.";
    out.hidden = !user;
  } catch (problem) {
    showError(error, problem);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError(error);
  const user = form.elements.user.value.trim();
  const groups = [...form.querySelectorAll("input[name=group]:checked")].map((box) => box.value);
  try {
    await signIn(user, groups);
    await refresh();
  } catch (problem) {
    showError(error, problem);
  }
});

out.addEventListener("click", () => {
  signOut();
  refresh();
});

refresh();
