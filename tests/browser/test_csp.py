"""The site under its Content-Security-Policy (codedesk/web/security.py, sent by `codedesk serve` as
CloudFront sends it): every page, signed in, loads and runs its scripts with no violation reported.
The policy allows scripts from the site's files only, so an inline script or on*= handler shows here."""

from __future__ import annotations

import pytest

from codedesk.roles import ROLES
from codedesk.site.build import BLOCKED_INLINE, blocked_inline
from codedesk.web.security import CONTENT_SECURITY_POLICY
from tests.browser.test_every_page import FILLED_IN
from tests.browser_support import DESKTOP, QuietNetwork, built_site, page_paths

pytestmark = pytest.mark.browser

# Installed before any script of the page runs; Playwright's init scripts are not subject to the CSP.
RECORD_VIOLATIONS = """
window.cdViolations = [];
document.addEventListener("securitypolicyviolation", (event) => window.cdViolations.push(
  `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`));
"""


def test_no_page_reports_a_csp_violation(chromium, portal):
    context = chromium.new_context(viewport=DESKTOP)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    network = QuietNetwork(page)
    console: list[str] = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and console.append(f"{page.url}: {message.text}"),
    )
    page.goto(portal.base_url + "/")
    page.evaluate("token => localStorage.setItem('codedesk.token', token)", portal.token("csp", *ROLES))
    violations, unprotected = [], []
    paths = page_paths(portal) + FILLED_IN
    assert len(paths) > 50
    for path in paths:
        answer = page.goto(portal.base_url + path)
        network.wait()
        if answer.headers.get("content-security-policy") != CONTENT_SECURITY_POLICY:
            unprotected.append(path)
        violations += [f"{path}: {violation}" for violation in page.evaluate("window.cdViolations")]
    context.close()
    assert not unprotected, f"pages served without the CSP: {unprotected}"
    assert not violations and not console, "\n".join(violations + console)


def test_the_built_site_holds_no_inline_script_or_style(portal):
    assert blocked_inline(built_site(portal)) == []


@pytest.mark.parametrize(
    "html, blocked",
    [
        ("<script>__md_scope=1</script>", True),
        ('<script type="module">import "./a.js"</script>', True),
        ('<button onclick="go()">Go</button>', True),
        ('<a href="javascript:go()">Go</a>', True),
        ('<script src="js/page.js" type="module"></script>', False),
        ('<script id="__config" type="application/json">{"base": "."}</script>', False),
        ('<th style="text-align: right">Paid</th>', True),
        ("<style>.cd-grid { gap: 1em }</style>", True),
        ('<link rel="stylesheet" href="css/payer-sheet.css">', False),
        ("<p>Send the claim on time.</p>", False),
    ],
)
def test_the_build_check_finds_what_the_csp_blocks(html, blocked):
    assert bool(BLOCKED_INLINE.search(html)) is blocked
