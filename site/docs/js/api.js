// The one module every interactive page uses: API calls, sign-in and error display.
// Locally, sign-in asks the local server for a token (POST /api/dev/session). On AWS the deploy writes
// auth-config.json at the site root — {"mode": "cognito", "domain", "clientId", "redirectUri"} — and
// sign-in goes through Cognito's hosted UI with the authorization code flow and PKCE (a browser app
// holds no client secret, so the one-time verifier proves the code was asked for by this page).
// Cognito's ID token lasts an hour; the refresh token it also gives (valid for the working day the
// user pool client allows) gets a new one shortly before it runs out, so nobody signs in every hour.
// Signing out revokes the refresh token.

const TOKEN_KEY = "codedesk.token";
const EXPIRES_KEY = "codedesk.token.expires";
const REFRESH_KEY = "codedesk.refresh"; // Cognito's refresh token (the hosted sign-in only)
const PENDING_KEY = "codedesk.signin"; // sessionStorage: {state, verifier, returnTo} while at Cognito
const REFRESH_AHEAD_MS = 5 * 60 * 1000; // renew the ID token this long before it expires

export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

function forgetToken() {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(EXPIRES_KEY);
}

function keepTokens(answer) {
  localStorage.setItem(TOKEN_KEY, answer.id_token);
  localStorage.setItem(EXPIRES_KEY, String(Date.now() + (Number(answer.expires_in) || 3600) * 1000));
  if (answer.refresh_token) localStorage.setItem(REFRESH_KEY, answer.refresh_token);
}

// The stored token while it is valid; an expired one is dropped unless a refresh token can renew it.
export function token() {
  const expires = Number(localStorage.getItem(EXPIRES_KEY) || 0);
  if (expires && Date.now() >= expires) {
    if (!localStorage.getItem(REFRESH_KEY)) forgetToken();
    return null;
  }
  return localStorage.getItem(TOKEN_KEY);
}

let refreshing = null;

// The ID token, renewed with the refresh token when it is about to expire (one renewal at a time,
// however many calls are waiting). A refresh token Cognito no longer accepts (expired, revoked)
// ends the session: the person signs in again.
export async function freshToken() {
  const expires = Number(localStorage.getItem(EXPIRES_KEY) || 0);
  const refresh = localStorage.getItem(REFRESH_KEY);
  if (!refresh || !expires || Date.now() < expires - REFRESH_AHEAD_MS) return token();
  refreshing ??= (async () => {
    try {
      const config = await authConfig();
      const response = await fetch(new URL("/oauth2/token", cognitoBase(config)), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", client_id: config.clientId, refresh_token: refresh }),
      });
      if (response.ok) keepTokens(await response.json());
      else if (response.status === 400 || response.status === 401) {
        localStorage.removeItem(REFRESH_KEY); // invalid_grant: the refresh token is spent
        forgetToken();
      }
    } catch {
      // Offline for a moment: the current token serves until it expires; the next call tries again.
    } finally {
      refreshing = null;
    }
  })();
  await refreshing;
  return token();
}

export async function api(path, { method = "GET", body, headers = {} } = {}) {
  const sent = { Accept: "application/json", ...headers };
  const current = await freshToken();
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
    if (response.status === 401) forgetToken();
    const message =
      response.status === 401
        ? "Please sign in first (Tools → Who am I?)."
        : error.message || `The request failed (${response.status}).`;
    throw new ApiError(response.status, error.code || "error", message, error.details || []);
  }
  return data;
}

// ------------------------------------------------------------------------------ sign-in

let configRequest;

// The deploy's sign-in setting; no file (the local server) means the dev session.
export function authConfig() {
  configRequest ??= fetch(new URL("../auth-config.json", import.meta.url))
    .then((response) => (response.ok ? response.json() : { mode: "local" }))
    .catch(() => ({ mode: "local" }));
  return configRequest;
}

function cognitoBase(config) {
  const domain = config.domain.replace(/\/+$/, "");
  return domain.startsWith("https://") ? domain : `https://${domain}`;
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

function randomText(byteCount) {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

async function pkceChallenge(verifier) {
  return base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
}

async function goToHostedSignIn(config) {
  const pending = { state: randomText(16), verifier: randomText(48), returnTo: location.href };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL("/oauth2/authorize", cognitoBase(config));
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: "openid email profile",
    state: pending.state,
    code_challenge: await pkceChallenge(pending.verifier),
    code_challenge_method: "S256",
  });
  location.assign(url.href);
}

// Locally: a dev-session token for `user` in `groups`, named `name`, of `team` (the local server adds
// them to the staff directory). On AWS: leaves for the hosted sign-in page (the arguments are not
// used; Cognito knows who the person is, their groups and team).
export async function signIn(user, groups, { name, team } = {}) {
  const config = await authConfig();
  if (config.mode === "cognito") return goToHostedSignIn(config);
  const session = await api("/api/dev/session", { method: "POST", body: { user, groups, name, team } });
  forgetToken();
  localStorage.setItem(TOKEN_KEY, session.token);
  return session;
}

// Cognito sends the browser back to redirectUri with ?code=…&state=…; every page calls this once.
// Returns true when it signed the browser in (and moves on to the page sign-in started from).
export async function completeSignIn() {
  const query = new URLSearchParams(location.search);
  if (!query.has("code") && !query.has("error")) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || "null");
  if (!pending || query.get("state") !== pending.state) return false; // not a sign-in this tab started
  sessionStorage.removeItem(PENDING_KEY);
  if (query.has("error")) {
    throw new ApiError(401, "signin_failed", `Sign-in did not finish (${query.get("error_description") ||
      query.get("error")}). Try again, or ask your supervisor to check your account.`);
  }
  const config = await authConfig();
  let answer;
  try {
    const response = await fetch(new URL("/oauth2/token", cognitoBase(config)), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: config.clientId,
        code: query.get("code"),
        redirect_uri: config.redirectUri,
        code_verifier: pending.verifier,
      }),
    });
    answer = await response.json();
    if (!response.ok) throw new Error(answer.error || response.status);
  } catch (problem) {
    throw new ApiError(401, "signin_failed", `Sign-in did not finish (${problem.message}). Please sign in again.`);
  }
  // The ID token carries the person's groups (roles and team) and name, and its audience is this
  // client, as the API's JWT authorizer expects.
  keepTokens(answer);
  location.replace(pending.returnTo || config.redirectUri);
  return true;
}

export async function signOut() {
  forgetToken();
  const refresh = localStorage.getItem(REFRESH_KEY);
  localStorage.removeItem(REFRESH_KEY);
  const config = await authConfig();
  if (config.mode === "cognito") {
    if (refresh) {
      // Revoked, a copy of the refresh token left on a shared PC signs nobody in.
      await fetch(new URL("/oauth2/revoke", cognitoBase(config)), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: refresh, client_id: config.clientId }),
      }).catch(() => {});
    }
    const url = new URL("/logout", cognitoBase(config));
    url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri });
    location.assign(url.href);
  }
}

export async function currentUser() {
  if (!(await freshToken())) return null;
  try {
    return await api("/api/me");
  } catch (error) {
    if (error.status === 401) return null;
    throw error;
  }
}

// ---------------------------------------------------------------------------- clinic time

let zoneRequest;

// The clinic's time zone (the signed-in person's team's setting, from /api/me); UTC until known.
export function clinicTimeZone() {
  zoneRequest ??= currentUser()
    .then((user) => (user && user.time_zone) || "UTC")
    .catch(() => "UTC");
  return zoneRequest;
}

function parts(iso, zone, options) {
  const format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", ...options });
  return Object.fromEntries(format.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
}

// "2027-01-07": the day an ISO moment falls on in the clinic.
export function clinicDay(iso, zone) {
  const p = parts(iso, zone, { year: "numeric", month: "2-digit", day: "2-digit" });
  return `${p.year}-${p.month}-${p.day}`;
}

// "2027-01-07 10:30 CST": an ISO moment as the clinic's clock showed it.
export function clinicTime(iso, zone) {
  const p = parts(iso, zone, { hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  return `${clinicDay(iso, zone)} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

// --------------------------------------------------------------------------------- errors

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
