"""The claims function: POST /api/claims/check (API.md, "Claims, measures, audits")."""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

from codedesk.claims import service
from codedesk.claims.models import CheckAnswer, ClaimCheckRequest
from codedesk.web.auth import require_groups
from codedesk.web.deps import Content, SignedIn
from codedesk.web.resolver import make_handler, make_resolver

app = make_resolver()

# Who prepares and sends claims, and who teaches them.
CHECKERS = ("coder", "biller", "supervisor", "compliance")


@app.post("/api/claims/check")
def check_claim(request: ClaimCheckRequest, user: SignedIn, view: Content) -> CheckAnswer:
    require_groups(user, *CHECKERS)
    return service.check_claim(view, request)


handler = make_handler(app)
