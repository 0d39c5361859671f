import { authConfig, currentUser, showError, clearError, signIn, signOut } from "./api.js";

const form = document.getElementById("cd-signin");
const who = document.getElementById("cd-who");
const error = document.getElementById("cd-signin-error");
const out = document.getElementById("cd-signout");
const devOnly = form.querySelectorAll(".cd-dev-session");

async function refresh() {
  try {
    const user = await currentUser();
    who.textContent = user
      ? `Signed in as ${user.user_id} (${user.groups.join(", ")}).` +
        (user.name !== user.user_id ? ` Name: ${user.name}.` : "") +
        (user.teams.join() !== "main" ? ` Team: ${user.teams.join(", ")}.` : "")
      : "You are not signed in.";
    out.hidden = !user;
  } catch (problem) {
    showError(error, problem);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearError(error);
  const user = form.elements.user?.value.trim(); // no name or roles to pick when Cognito asks
  const groups = [...form.querySelectorAll("input[name=group]:checked")].map((box) => box.value);
  const name = form.elements.name?.value.trim() || undefined;
  const team = form.elements.team?.value.trim() || undefined;
  try {
    await signIn(user, groups, { name, team });
    await refresh();
  } catch (problem) {
    showError(error, problem);
  }
});

out.addEventListener("click", async () => {
  await signOut();
  refresh();
});

// On the organisation's portal the hosted sign-in page asks who you are: no name or role to pick here.
authConfig().then((config) => {
  if (config.mode !== "cognito") return;
  for (const part of devOnly) part.remove();
});

refresh();
