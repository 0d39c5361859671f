"""The audits function: record an audit (compliance) and read the scorecard (compliance, supervisor).
Recording also puts the questions that teach the missed codes in the coder's "Review my misses": the
function's entry point brings the quizzes domain in (quizzes/audit_misses.py)."""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query

from codedesk.audits import service
from codedesk.audits.models import AuditAnswer, AuditRequest, AuditSummary
from codedesk.audits.records import audit_put
from codedesk.staff import service as staff
from codedesk.web.auth import require_groups
from codedesk.web.deps import Content, Now, SignedIn, Store, Today
from codedesk.web.resolver import make_handler, make_resolver

app = make_resolver()


@app.post(
    "/api/audits",
    responses={201: {"description": "the audit, scored", "content": {"application/json": {"model": AuditAnswer}}}},
)
def record_audit(
    request: AuditRequest, user: SignedIn, store: Store, view: Content, now: Now, on: Today
) -> Response[AuditAnswer]:
    require_groups(user, "compliance")
    # Here, not at the top: the quizzes domain is for recording only, not for every cold start's summary.
    from codedesk.quizzes.audit_misses import keep_with_review_cards

    answer = service.score_audit(store, request, teams=user.teams, recorded_by=user.user_id, now=now)
    kept = audit_put(answer.model_dump(mode="json", exclude={"review_cards", "no_question_for"}))
    if cards := keep_with_review_cards(store, view, answer, kept, on):
        answer.review_cards, answer.no_question_for = cards.added, cards.untaught
    return Response(status_code=201, content_type="application/json", body=answer)


@app.get("/api/audits/summary")
def audit_summary(
    user: SignedIn,
    store: Store,
    on: Today,
    month: Annotated[
        str | None, Query(pattern=r"^20[0-9]{2}-(0[1-9]|1[0-2])$", description="YYYY-MM; default this month")
    ] = None,
    team: Annotated[str | None, Query(max_length=40, description="one of your teams; default your first")] = None,
) -> AuditSummary:
    require_groups(user, "compliance", "supervisor")
    chosen = staff.chosen_teams(user.teams, team)[0]
    return service.summary(store, chosen, month or service.current_month(on))


handler = make_handler(app)
