"""The payers function: payer quick-reference sheets for every signed-in role (API.md, Payers)."""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Query

from codedesk.payers import service
from codedesk.payers.answers import CodeRulesAnswer, Comparison, PayerList, PayerSheetAnswer
from codedesk.payers.freshness import configured_max_age_days
from codedesk.web.deps import Content, SignedIn, Today
from codedesk.web.resolver import make_handler, make_resolver

app = make_resolver()


def sheet_max_age() -> int:
    return configured_max_age_days()


MaxAge = Annotated[int, Depends(sheet_max_age)]


# /compare is registered before /<payer_id> so the literal route wins.
@app.get("/api/payers/compare")
def compare_payers(
    user: SignedIn,
    view: Content,
    on: Today,
    max_age: MaxAge,
    payers: Annotated[str | None, Query(max_length=1000, description="payer ids, comma-separated; default all")] = None,
    topics: Annotated[str | None, Query(max_length=500, description="topics, comma-separated; default all")] = None,
) -> Comparison:
    return service.compare_payers(view, payers, topics, on, max_age)


@app.get("/api/payers")
def list_payers(user: SignedIn, view: Content, on: Today, max_age: MaxAge) -> PayerList:
    return PayerList(items=service.list_payers(view, on, max_age))


@app.get("/api/payers/<payer_id>")
def get_payer(payer_id: str, user: SignedIn, view: Content, on: Today, max_age: MaxAge) -> PayerSheetAnswer:
    return service.get_payer(view, payer_id, on, max_age)


@app.get("/api/payers/<payer_id>/rules")
def payer_rules(
    payer_id: str,
    user: SignedIn,
    view: Content,
    on: Today,
    max_age: MaxAge,
    code: Annotated[str | None, Query(max_length=20, description="CPT or HCPCS code, e.g. 99213")] = None,
    as_of: Annotated[date | None, Query(description="date of service the rules are judged on; default today")] = None,
) -> CodeRulesAnswer:
    return service.payer_rules(view, payer_id, code, on, max_age, as_of=as_of)


handler = make_handler(app)
