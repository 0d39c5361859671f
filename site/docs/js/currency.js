// A code set older than the release in force today answers with yesterday's codes: the lookup and
// the supervisor's assign page say so first, with what /api/code-sets warns (which release is in
// force and how to load it).
import { api } from "./api.js";
import { element } from "./dom.js";

export async function showCodeSetWarnings(target) {
  try {
    const sets = await api("/api/code-sets");
    const warnings = sets.items.map((set) => set.warning).filter(Boolean);
    target.replaceChildren(...warnings.map((warning) => element("span", `${warning} `)));
    target.hidden = !warnings.length;
  } catch {
    target.hidden = true; // not signed in yet: the page itself says so when used
  }
}
