"""The security headers of every answer, site and API: written once here for `codedesk serve`;
infra/template.yaml sends the same through CloudFront (a test keeps the two equal).

Scripts and styles come only from the site's own files, nothing is 'unsafe-inline': no page carries
an inline script or an on*= handler (site/overrides replaces the two inline scripts MkDocs Material
writes into every page), nor a <style> element or style= attribute (the payer pages link their
stylesheets). Material's script sets styles through the CSSOM (element.style), which CSP allows.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
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
