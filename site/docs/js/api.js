// The one module every interactive page uses: API calls, sign-in and error display.
// Locally, sign-in asks the local server for a token (POST /api/dev/session); on AWS the deploy
// writes auth-config.json with mode "cognito" and sign-in goes through Cognito's hosted UI.

const TOKEN_KEY = "codedesk.token";

export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function token() {
  return localStorage.getItem(TOKEN_KEY);
}

export async function api(path, { method = "GET", body, headers = {} } = {}) {
  const sent = { Accept: "application/json", ...headers };
  const current = token();
  if (current) sent.Authorization = `Bearer ${current}`;
  let payload = body;
  if (body !== undefined && typeof body !== "string" && !(body instanceof Blob)) {
    sent["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body: payload });
  } catch {
    throw new ApiError(0, "network", "Codedesk cannot be reached. Check the connection and try again.");
  }
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const error = (data && data.error) || {};
    if (response.status === 401) localStorage.removeItem(TOKEN_KEY);
    const message =
      response.status === 401
        ? "Please sign in first (Tools → Who am I?)."
        : error.message || `The request failed (${response.status}).`;
    throw new ApiError(response.status, error.code || "error", message, error.details || []);
  }
  return data;
}

async function authConfig() {
  try {
    const response = await fetch(new URL("../auth-config.json", import.meta.url));
    if (response.ok) return await response.json();
  } catch {
    // No config file: the local server.
  }
  return { mode: "local" };
}

export async function signIn(user, groups) {
  const config = await authConfig();
  if (config.mode !== "local") {
    throw new ApiError(0, "unsupported", "Sign in through your organisation's sign-in page.");
  }
  const session = await api("/api/dev/session", { method: "POST", body: { user, groups } });
  localStorage.setItem(TOKEN_KEY, session.token);
  return session;
}

export function signOut() {
  localStorage.removeItem(TOKEN_KEY);
}

export async function currentUser() {
  if (!token()) return null;
  try {
    return await api("/api/me");
  } catch (error) {
    if (error.status === 401) return null;
    throw error;
  }
}

export function showError(element, error) {
  element.hidden = false;
  element.setAttribute("role", "alert");
  element.classList.add("cd-error");
  element.textContent = error instanceof ApiError || error instanceof Error ? error.message : String(error);
}

export function clearError(element) {
  element.hidden = true;
  element.textContent = "";
}
