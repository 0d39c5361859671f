"""The denials function: denial cards, code combinations, search, 835 decoding and denial trends
(API.md, Denials; "Claims, measures, audits").

An 835 body is decoded in memory and answered; nothing from it is logged, and nothing is stored
unless a biller or supervisor records it for the trends, and then only de-identified counts
(denials/trends.py).
"""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

from datetime import date
from decimal import Decimal
from typing import Annotated
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from codedesk.content.view import ContentView
from codedesk.denials import service
from codedesk.denials.cards import DenialCard
from codedesk.denials.explain import Explanation, PayerNote, PayerType
from codedesk.denials.remittance import MAX_ERA_BYTES
from codedesk.denials.service import CardList, FeeComparison, LineFee, RecordedChecks, RemittanceAnswer
from codedesk.denials.trends import Over, TrendAnswer, TrendBy, period, record_remittance, trends, trends_csv
from codedesk.errors import InvalidFields
from codedesk.payer_types import PAYER_TYPE_LABELS
from codedesk.web.auth import User, require_groups
from codedesk.web.deps import Content, SignedIn, Store, Today
from codedesk.web.resolver import make_handler, make_resolver

app = make_resolver()


def payer_facts(view: ContentView, payer_id: str, codes: list[str], today: date) -> tuple[PayerType, list[PayerNote]]:
    """The named payer's type and its sheet's notes on these codes, for an explanation. This function
    is an entry point, above both domains, so it is the one that brings them together."""
    # Imported on first use, for cold start only: just an explanation that names a payer reads the
    # payer sheets, so the denials function starts without the payer models.
    from codedesk.payers.service import one_sheet, payer_notes_for_denial

    sheet = one_sheet(view, payer_id)
    notes = payer_notes_for_denial(view, sheet.payer_id, codes, today)
    return PayerType(sheet.type, PAYER_TYPE_LABELS[sheet.type]), notes


TOLERANCE = Decimal("0.01")


def compare_with_fees(view: ContentView, payer_id: str, answer: RemittanceAnswer, today: date) -> FeeComparison:
    """Each paid line's allowed amount against the payer's fee schedule (payers domain), on the payment
    date. An entry point, above both domains, so it is the one that brings them together."""
    from codedesk.payers.fees import allowed_on, fee_schedules
    from codedesk.payers.service import one_sheet

    sheet = one_sheet(view, payer_id)
    codes = [line.procedure_code for claim in answer.claims for line in claim.lines if line.procedure_code]
    loaded, periods = fee_schedules(view, sheet.payer_id, codes)
    if loaded is None:
        raise InvalidFields(
            f"No fee schedule is loaded for {sheet.name}; finance loads it with codedesk import fees FILE.csv "
            f"--payer {sheet.payer_id}.",
            details=[{"field": "payer", "message": "no fee schedule loaded"}],
        )
    paid_on = {check.check_index: check.payment_date or today for check in answer.checks}
    compared = []
    for claim in answer.claims:
        for line in claim.lines:
            day = paid_on.get(claim.check_index, today)
            expected = allowed_on(periods.get(line.procedure_code or "", []), line.modifiers, day)
            if expected is None or not line.paid:
                continue  # no schedule row, or a denied line: a denial, counted as such, not an underpayment
            allowed = line.paid + sum((a.amount for a in line.adjustments if a.group == "PR"), Decimal(0))
            variance = allowed - expected
            compared.append(
                LineFee(
                    claim_index=claim.claim_index,
                    line_index=line.line_index,
                    expected_allowed=expected,
                    allowed=allowed,
                    variance=variance,
                    underpaid=variance < -TOLERANCE,
                )
            )
    short = [line for line in compared if line.underpaid]
    return FeeComparison(
        schedule=loaded["file"],
        underpaid_lines=len(short),
        underpaid_amount=-sum((line.variance for line in short), Decimal(0)),
        lines=compared,
    )


# The literal routes are registered before /<code> so that they win.
@app.get("/api/denials/explain")
def explain_codes(
    user: SignedIn,
    view: Content,
    on: Today,
    codes: Annotated[str, Query(min_length=1, max_length=200, description="e.g. CO-16,N290 or PR-1")],
    payer: Annotated[str | None, Query(max_length=60, description="a payer_id for that payer's notes")] = None,
) -> Explanation:
    return service.explain_codes(view, codes, payer, on, payer_facts)


@app.get("/api/denials/search")
def search_cards(
    user: SignedIn,
    view: Content,
    on: Today,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words or a code, e.g. 'timely filing'")],
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> CardList:
    return service.search_cards(view, q, limit, on)


RECORDERS = ("biller", "supervisor")
TeamChoice = Annotated[str | None, Query(max_length=40, description="one of your teams; default your first")]
ReasonChoice = Annotated[
    str | None, Query(pattern=r"^(CO|OA|PI|PR|CR)-[A-Z0-9]{1,5}$", description="one reason only, e.g. CO-50")
]


def chosen_team(user: User, team: str | None) -> str:
    """A clinic's own counts only: the team asked for if it is the reader's, else their first."""
    from codedesk.staff.service import chosen_teams

    return chosen_teams(user.teams, team)[0]


TREND_READERS = ("supervisor", "finance", "compliance")
MONTH_OR_WEEK = r"^20[0-9]{2}-(0[1-9]|1[0-2]|W(0[1-9]|[1-4][0-9]|5[0-3]))$"
FromMonth = Annotated[
    str | None, Query(alias="from", pattern=MONTH_OR_WEEK, description="first month, YYYY-MM, or ISO week, YYYY-Www")
]
ToMonth = Annotated[
    str | None,
    Query(alias="to", pattern=MONTH_OR_WEEK, description="last month (default this one) or ISO week, as `from`"),
]
OverTime = Annotated[
    Over | None, Query(description="month or week: each key's figures period by period (by=carc, code_family, payer)")
]


@app.post("/api/denials/era")
def decode_era(
    user: SignedIn,
    view: Content,
    store: Store,
    on: Today,
    record: Annotated[bool, Query(description="add the remit's de-identified counts to the denial trends")] = False,
    payer: Annotated[
        str | None, Query(max_length=60, description="a payer_id: compare lines with its fee schedule")
    ] = None,
) -> RemittanceAnswer:
    """Body: the text of an X12 835 file (up to 256 KiB). Nothing from it is logged; with
    record=true its de-identified counts are kept for the trends, nothing else."""
    if record:
        require_groups(user, *RECORDERS)
    answer = service.decode_remittance(view, app.current_event.decoded_body or "", on)
    if payer:
        answer.fees = compare_with_fees(view, payer, answer, on)
    if record:
        underpaid = (
            {(f.claim_index, f.line_index): -f.variance for f in answer.fees.lines if f.underpaid}
            if answer.fees
            else {}
        )
        added, before = record_remittance(store, user.team, answer, on, underpaid)
        answer.recorded = RecordedChecks(added=added, already_recorded=before)
    return answer


TrendGrouping = Annotated[TrendBy, Query(description="carc, code_family, payer, month or week (ISO weeks, 2026-W47)")]


@app.get("/api/denials/trends")
def denial_trends(
    user: SignedIn,
    store: Store,
    on: Today,
    by: TrendGrouping = "carc",
    from_month: FromMonth = None,
    to_month: ToMonth = None,
    team: TeamChoice = None,
    reason: ReasonChoice = None,
    over: OverTime = None,
) -> TrendAnswer:
    require_groups(user, *TREND_READERS)
    span = period(on, from_month, to_month, by, over)
    return trends(store, chosen_team(user, team), by, span, reason=reason, over=over)


CSV_ANSWER: dict[int, OpenAPIResponse] = {
    200: {"description": "the same, as CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}
}


@app.get("/api/denials/trends.csv", responses=CSV_ANSWER)
def denial_trends_csv(
    user: SignedIn,
    store: Store,
    on: Today,
    by: TrendGrouping = "carc",
    from_month: FromMonth = None,
    to_month: ToMonth = None,
    team: TeamChoice = None,
    reason: ReasonChoice = None,
    over: OverTime = None,
) -> Response[str]:
    answer = denial_trends(user, store, on, by, from_month, to_month, team, reason, over)
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=trends_csv(answer),
        headers={"Content-Disposition": f'attachment; filename="denial-trends-{by}.csv"'},
    )


@app.post("/api/denials/era.csv", responses=CSV_ANSWER)
def worked_list(user: SignedIn, view: Content, on: Today) -> Response[str]:
    """The same 835 body → the worked list as CSV, one row per adjustment and remark. Not stored."""
    answer = service.decode_remittance(view, app.current_event.decoded_body or "", on)
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=service.worked_list_csv(answer),
        headers={"Content-Disposition": 'attachment; filename="remit-worked-list.csv"', "Cache-Control": "no-store"},
    )


@app.get("/api/denials/<code>")
def get_card(code: str, user: SignedIn, view: Content, on: Today) -> DenialCard:
    # A code typed with a space ("co 16") arrives percent-encoded in the path.
    return service.get_card(view, unquote(code), on)


handler = make_handler(app, max_body_bytes=MAX_ERA_BYTES)
