"""The security headers of every answer, site and API: written once here for `codedesk serve`;
infra/template.yaml sends the same through CloudFront (a test keeps the two equal).

Scripts come only from the site's own files: no page carries an inline script or an on*= handler
(site/overrides replaces the two inline scripts MkDocs Material writes into every page). Styles may
be inline: Material sets style attributes from its own script (e.g. the header's shadow), which CSP
cannot tell from an attacker's, and a style cannot run code.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
