"""Signing in on "Who am I?": the local dev session, and Cognito's hosted UI (authorization code + PKCE)
as the deployed site does it, with Cognito's two endpoints answered in the browser."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

pytestmark = pytest.mark.browser

COGNITO = "https://codedesk-test.auth.us-east-1.amazoncognito.com"
CLIENT_ID = "5ltsiteclient"


def deployed_csp() -> str:
    """The Content-Security-Policy CloudFront sends (infra/template.yaml) for this test's Cognito host."""
    from codedesk.template import read_template

    config = read_template()["Resources"]["SecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    policy = config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    return policy.replace("${AuthDomainPrefix}", "codedesk-test").replace("${AWS::Region}", "us-east-1")


def serve_as_deployed(page, portal) -> None:
    """The site's answers with the deployed CSP in place of the local server's (which knows no Cognito)."""

    def with_deployed_csp(route):
        answer = route.fetch()
        route.fulfill(response=answer, headers={**answer.headers, "content-security-policy": deployed_csp()})

    page.route(f"{portal.base_url}/**", with_deployed_csp)


def test_sign_in_on_the_who_am_i_page(visit):
    page = visit.page
    visit.open("/tools/account/")
    assert page.locator("#cd-who").inner_text() == "You are not signed in."
    page.get_by_label("User name").fill("rita")
    page.get_by_label("Receptionist").check()
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as rita (receptionist).").wait_for()
    visit.screenshot("signed-in")

    page.reload()
    page.get_by_text("Signed in as rita (receptionist).").wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You are not signed in.").wait_for()
    assert page.get_by_role("button", name="Sign out").is_hidden()


def test_signing_in_without_a_role_says_what_to_do(visit):
    page = visit.page
    visit.open("/tools/account/")
    page.get_by_label("User name").fill("rita")
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "no Codedesk role" in alert.inner_text() and "supervisor" in alert.inner_text()
    # /api/me answering 403 is the point here, and Chromium logs every 4xx response as an error.
    assert visit.errors and all("403" in error for error in visit.errors), visit.errors
    visit.errors.clear()


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def test_cognito_hosted_sign_in_uses_the_code_flow_with_pkce(visit, portal):
    page = visit.page
    redirect_uri = portal.base_url + "/"
    seen: dict[str, dict] = {}
    id_token = portal.token("cora", "coder")  # stands in for Cognito's ID token: the local server accepts it
    refreshed_token = portal.token("cora", "coder", "biller")  # the renewed one: in a group added meanwhile

    serve_as_deployed(page, portal)  # routed first, so the routes below (registered later) take precedence
    page.route(
        "**/auth-config.json",
        lambda route: route.fulfill(
            json={
                "mode": "cognito",
                "domain": COGNITO.removeprefix("https://"),
                "clientId": CLIENT_ID,
                "redirectUri": redirect_uri,
            }
        ),
    )

    def cognito(route):
        request = route.request
        url = urlsplit(request.url)
        if url.path == "/oauth2/authorize":
            seen["authorize"] = {k: v[0] for k, v in parse_qs(url.query).items()}
            back = redirect_uri + "?" + urlencode({"code": "one-time-code", "state": seen["authorize"]["state"]})
            # A page that moves on, not a 302: Playwright routes no request of a redirect chain but the first,
            # and the page sign-in returns to must be served with the deployed CSP too.
            page_that_moves_on = f'<meta http-equiv="refresh" content="0; url={html.escape(back)}">'
            route.fulfill(content_type="text/html", body=page_that_moves_on)
        elif url.path == "/oauth2/token" and request.method == "POST":
            form = {k: v[0] for k, v in parse_qs(request.post_data).items()}
            if form["grant_type"] == "refresh_token":
                seen["refresh"] = form
                answer = {"id_token": refreshed_token, "expires_in": 3600}
            else:
                seen["token"] = form
                # Expiring within the five minutes the site renews ahead: the next call renews it.
                answer = {"id_token": id_token, "refresh_token": "refresh-1", "expires_in": 120}
            route.fulfill(
                json={**answer, "access_token": "unused", "token_type": "Bearer"},
                headers={"Access-Control-Allow-Origin": "*"},
            )
        elif url.path == "/oauth2/revoke" and request.method == "POST":
            seen["revoke"] = {k: v[0] for k, v in parse_qs(request.post_data).items()}
            route.fulfill(status=200, body="", headers={"Access-Control-Allow-Origin": "*"})
        elif url.path == "/logout":
            seen["logout"] = {k: v[0] for k, v in parse_qs(url.query).items()}
            route.fulfill(status=302, headers={"Location": redirect_uri})
        else:
            route.fulfill(status=404, body="unexpected Cognito path")

    page.route(f"{COGNITO}/**", cognito)

    visit.open("/tools/account/")
    assert page.get_by_label("User name").count() == 0, "on AWS the hosted page asks who you are, not this form"
    page.get_by_role("button", name="Sign in").click()
    # The token from the code expires within minutes: the page renewed it with the refresh token.
    page.get_by_text("Signed in as cora (biller, coder).").wait_for()
    assert urlsplit(page.url).path == "/tools/account/" and "code=" not in page.url
    assert seen["refresh"] == {"grant_type": "refresh_token", "client_id": CLIENT_ID, "refresh_token": "refresh-1"}
    assert page.evaluate("localStorage.getItem('codedesk.token')") == refreshed_token

    authorize, exchange = seen["authorize"], seen["token"]
    assert authorize["response_type"] == "code" and authorize["client_id"] == CLIENT_ID
    assert authorize["redirect_uri"] == redirect_uri and authorize["code_challenge_method"] == "S256"
    assert set(authorize["scope"].split()) == {"openid", "email", "profile"}
    assert exchange["grant_type"] == "authorization_code" and exchange["code"] == "one-time-code"
    assert exchange["client_id"] == CLIENT_ID and exchange["redirect_uri"] == redirect_uri
    assert len(exchange["code_verifier"]) >= 43
    assert _challenge(exchange["code_verifier"]) == authorize["code_challenge"], "the verifier must match the challenge"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(redirect_uri)
    assert seen["logout"] == {"client_id": CLIENT_ID, "logout_uri": redirect_uri}
    assert seen["revoke"] == {"token": "refresh-1", "client_id": CLIENT_ID}  # a copy left behind signs nobody in
    assert page.evaluate("localStorage.getItem('codedesk.token')") is None
    assert page.evaluate("localStorage.getItem('codedesk.refresh')") is None
    page.unroute_all(behavior="ignoreErrors")  # the page back from sign-out may still be loading its icon


def test_a_sign_in_answer_this_tab_did_not_ask_for_is_ignored(visit):
    """A link carrying someone else's ?code=…&state=… must not sign this browser in."""
    page = visit.page
    page.route(
        "**/auth-config.json",
        lambda route: route.fulfill(
            json={"mode": "cognito", "domain": COGNITO, "clientId": CLIENT_ID, "redirectUri": visit.url("/")}
        ),
    )
    exchanged = []
    page.route(f"{COGNITO}/**", lambda route: (exchanged.append(route.request.url), route.abort()))
    visit.open("/?" + urlencode({"code": "stolen", "state": "not-mine"}))
    assert exchanged == [] and page.evaluate("localStorage.getItem('codedesk.token')") is None
    assert json.loads(page.evaluate("JSON.stringify(sessionStorage)")) == {}


def test_a_refused_hosted_sign_in_says_what_happened(visit):
    page = visit.page
    page.route(
        "**/auth-config.json",
        lambda route: route.fulfill(
            json={"mode": "cognito", "domain": COGNITO, "clientId": CLIENT_ID, "redirectUri": visit.url("/")}
        ),
    )

    def refuse(route):
        state = parse_qs(urlsplit(route.request.url).query)["state"][0]
        back = visit.url(
            "/?" + urlencode({"error": "access_denied", "error_description": "User is disabled.", "state": state})
        )
        route.fulfill(status=302, headers={"Location": back})

    page.route(f"{COGNITO}/oauth2/authorize*", refuse)
    visit.open("/tools/account/")
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Sign-in did not finish (User is disabled.)" in alert.inner_text()
    assert page.evaluate("localStorage.getItem('codedesk.token')") is None
