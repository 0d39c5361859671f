"""Recording an audit and scoring it: accuracy per coder and provider against the benchmark, the
codes most often wrong, and the trend by month. Plain Python over the table port.

Round trips: scoring reads the coder from the directory; the audit is then kept with the coder's
review cards (quizzes/audit_misses.py); the summary of a month is one range query over the
twelve months up to it (the month's lines and the trend come from the same items)."""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from codedesk.audits.models import (
    BENCHMARK,
    AuditAnswer,
    AuditRequest,
    AuditSummary,
    CodeMisses,
    Miss,
    MonthAccuracy,
    ScoreLine,
)
from codedesk.audits.records import audits_between
from codedesk.staff import service as staff
from codedesk.store.port import Table

MOST_MISSED = 10


def _percent(correct: int, total: int) -> float:
    return round(100.0 * correct / total, 1) if total else 0.0


def _miss(encounter: Any) -> Miss:
    billed, supported = set(encounter.billed), set(encounter.supported)
    return Miss(
        ref=encounter.ref,
        billed=encounter.billed,
        supported=encounter.supported,
        not_supported=sorted(billed - supported),
        not_billed=sorted(supported - billed),
    )


def score_audit(
    table: Table, request: AuditRequest, *, teams: Sequence[str], recorded_by: str, now: datetime
) -> AuditAnswer:
    """The coder is an active person of the auditor's teams (else 422 with the closest user ids); the
    audit belongs to the coder's team. Nothing is stored here (records.audit_put is the write)."""
    coder = staff.active_people(table, teams, [request.coder], field="coder")[request.coder]
    correct = sum(e.correct for e in request.encounters)
    accuracy = _percent(correct, len(request.encounters))
    answer = AuditAnswer(
        audit_id=secrets.token_urlsafe(9),
        team=coder.team,
        month=request.month,
        provider=request.provider,
        coder=coder.user_id,
        coder_name=coder.name,
        recorded_by=recorded_by,
        recorded_at=now,
        encounters=len(request.encounters),
        correct=correct,
        accuracy=accuracy,
        meets_benchmark=accuracy >= BENCHMARK,
        misses=[_miss(e) for e in request.encounters if not e.correct],
    )
    return answer


def _month_back(month: str, count: int) -> str:
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1 - count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def summary(table: Table, team: str, month: str) -> AuditSummary:
    year_of_audits = audits_between(table, team, _month_back(month, 11), month)
    this_month = [a for a in year_of_audits if a["month"] == month]
    lines: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for audit in this_month:
        lines[(audit["provider"], audit["coder"])].append(audit)
    items = []
    for (provider, coder), audits in sorted(lines.items()):
        encounters = sum(int(a["encounters"]) for a in audits)
        accuracy = _percent(sum(int(a["correct"]) for a in audits), encounters)
        items.append(
            ScoreLine(
                provider=provider,
                coder=coder,
                coder_name=audits[-1]["coder_name"],
                audits=len(audits),
                encounters=encounters,
                accuracy=accuracy,
                meets_benchmark=accuracy >= BENCHMARK,
                misses=sum(len(a["misses"]) for a in audits),
            )
        )
    wrong: Counter[str] = Counter()
    for audit in this_month:
        for miss in audit["misses"]:
            wrong.update(set(miss["not_supported"]) | set(miss["not_billed"]))
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for audit in year_of_audits:
        by_month[audit["month"]][0] += int(audit["correct"])
        by_month[audit["month"]][1] += int(audit["encounters"])
    return AuditSummary(
        team=team,
        month=month,
        items=items,
        codes_most_often_wrong=[
            CodeMisses(code=c, times=n) for c, n in sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:MOST_MISSED]
        ],
        trend=[
            MonthAccuracy(month=m, encounters=total, accuracy=_percent(correct, total))
            for m, (correct, total) in sorted(by_month.items())
        ],
    )


def current_month(today: date) -> str:
    return today.strftime("%Y-%m")
