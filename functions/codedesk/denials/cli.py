"""`codedesk era FILE` (decode a remittance on the command line) and the `carc`/`rarc` kinds of
`codedesk import` (an operator's licensed code list; `import_official_list` does the work)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from codedesk import settings
from codedesk.commands import import_reported

# Commands import what they use when they run (the service, pyx12, rich): start-up time only.


def add_commands(commands: argparse._SubParsersAction) -> None:
    era = commands.add_parser(
        "era",
        help="decode an 835 remittance file and explain every adjustment",
        description="Decode an X12 835 remittance (5010; 4010A1 as far as it agrees) in memory and print, for "
        "each check, claim and service line, the numbers a biller finds it by, the billed and paid amounts "
        "and every adjustment and remark with its Codedesk card; then the top reasons and the decoder's "
        "notes. Nothing is stored; no patient name, member ID or date of service is printed.",
    )
    era.add_argument("file", type=Path, metavar="FILE", help="the 835 file")
    output = era.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the whole answer as JSON (as the API gives it)")
    output.add_argument("--csv", action="store_true", help="print the worked list as CSV, one row per adjustment")
    era.add_argument(
        "--store",
        default=None,
        help="store URL the cards are read from (default: $CODEDESK_STORE or sqlite:///data/codedesk.db)",
    )
    era.set_defaults(run=cmd_era)


def _today():
    return datetime.now(UTC).date()


def _view(store_url: str | None):
    from codedesk.content.view import LivePointer
    from codedesk.store import open_store

    return LivePointer(open_store(store_url or settings.default_store_url())).view()


def cmd_era(args: argparse.Namespace) -> int:
    from codedesk.denials.service import decode_remittance
    from codedesk.errors import DomainError

    try:
        raw = args.file.read_bytes()
    except OSError as error:
        print(f"codedesk era: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 1
    text = raw.decode("utf-8", errors="replace")
    view = _view(args.store)
    if view.version == 0:
        print(
            "codedesk era: the store holds no published content, so no card is shown; run `codedesk publish`",
            file=sys.stderr,
        )
    try:
        answer = decode_remittance(view, text, _today())
    except DomainError as error:
        where = (
            f" (segment {error.details[0]['position']})" if error.details and error.details[0].get("position") else ""
        )
        print(f"codedesk era: {args.file}: {error.message}{where}", file=sys.stderr)
        return 1
    if args.json:
        print(answer.model_dump_json(indent=2))
    elif args.csv:
        from codedesk.denials.service import worked_list_csv

        sys.stdout.write(worked_list_csv(answer))
    else:
        _print_remittance(answer)
    return 0


def _money(amount: Decimal | None) -> str:
    return "—" if amount is None else f"{amount:,.2f}"


def _print_remittance(answer) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    for check in answer.checks:
        balance = {True: "matches", False: "does NOT match", None: "cannot be checked"}[check.payment_balances]
        console.print(
            f"[bold]Check {check.check_index}[/bold] — {check.payer_name or 'payer not named'}, trace "
            f"{check.trace_number or '—'}, {check.payment_date or 'no date'}, {check.payment_method_words or '—'}: "
            f"{_money(check.payment)} ({balance} its claims paid minus provider adjustments)"
        )
        for adjustment in check.provider_adjustments:
            reference = f" ({adjustment.reference})" if adjustment.reference else ""
            console.print(
                f"  provider adjustment {adjustment.reason}{reference}: {_money(adjustment.amount)} — {adjustment.reason_words}"
            )
    for claim in answer.claims:
        balance = {True: "adds up", False: "DOES NOT add up", None: "cannot be checked"}[claim.balances]
        console.print(
            f"[bold]Claim {claim.claim_index}[/bold] account {claim.account_number or '—'}, payer claim "
            f"{claim.payer_claim_number or '—'} — {claim.status_words}: billed {_money(claim.billed)}, "
            f"paid {_money(claim.paid)}, patient owes {_money(claim.patient_responsibility)}, "
            f"adjusted {_money(claim.adjustment_total)} ({balance})"
        )
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
        for column in (
            "line",
            "procedure",
            "modifiers",
            "billed",
            "paid",
            "code",
            "amount",
            "what it means / what to do",
        ):
            table.add_column(column)
        for adjustment in claim.adjustments:
            table.add_row("claim", "", "", "", "", *_adjustment_cells(adjustment, answer.cards))
        for remark in claim.remarks:
            table.add_row("claim", "", "", "", "", remark.code, "", _card_words(answer.cards.get(remark.card_key)))
        for line in claim.lines:
            cells = [
                str(line.line_index),
                line.procedure_code or "(no code)",
                " ".join(line.modifiers),
                _money(line.billed),
                _money(line.paid),
            ]
            rows = [_adjustment_cells(a, answer.cards) for a in line.adjustments] + [
                (r.code, "", _card_words(answer.cards.get(r.card_key))) for r in line.remarks
            ]
            table.add_row(*cells, *(rows[0] if rows else ("", "", "")))
            for row in rows[1:]:
                table.add_row("", "", "", "", "", *row)
        console.print(table)
    summary = answer.summary
    console.print(
        f"[bold]{summary.checks} check(s), {summary.claims} claim(s), {summary.service_lines} line(s)[/bold]: "
        f"billed {_money(summary.billed)}, paid {_money(summary.paid)}, adjusted {_money(summary.adjusted)}, "
        f"patients owe {_money(summary.patient_responsibility)}"
    )
    for total in summary.top_reasons:
        console.print(f"  {total.reason:<8} ×{total.count:<4} {_money(total.amount):>12}")
    if summary.claims_not_balancing:
        console.print(
            f"[yellow]claims that do not add up: {', '.join(map(str, summary.claims_not_balancing))}[/yellow]"
        )
    for problem in answer.problems:
        where = f"claim {problem.claim_index}" if problem.claim_index else ""
        where += f" line {problem.line_index}" if problem.line_index else ""
        console.print(
            f"[dim]note: segment {problem.position} ({problem.segment}"
            f"{' ' + problem.element if problem.element else ''}){', ' + where if where else ''}: {problem.issue}[/dim]"
        )
    if answer.unexplained_codes:
        console.print(f"[dim]no card yet for: {', '.join(answer.unexplained_codes)}[/dim]")


def _adjustment_cells(adjustment, cards) -> tuple[str, str, str]:
    return (
        f"{adjustment.group}-{adjustment.reason}",
        _money(adjustment.amount),
        _card_words(cards.get(adjustment.card_key)),
    )


def _card_words(card) -> str:
    if card is None:
        return "(no Codedesk card)"
    return f"{card.title} → {card.action_words}" if card.action_words else card.title


# ----------------------------------------------------------------------- import carc|rarc


def import_official_list(kind_name: str, files: list[Path], store_url: str | None) -> int:
    """`codedesk import carc|rarc FILE`: replace the stored official list of that kind with the file's.
    Our card explanations are separate items and stay as they are."""
    from codedesk.content.publish import ItemSet, publish
    from codedesk.denials.codes import CodeKind
    from codedesk.denials.official_list import OfficialListError, read_official_list
    from codedesk.denials.publish import official_item, official_list_item
    from codedesk.store import open_store
    from codedesk.store.keys import Prefix

    if len(files) != 1:
        print(
            f"codedesk import {kind_name}: give exactly one CSV file "
            "(columns: code, description, start date, last modified, stop date)",
            file=sys.stderr,
        )
        return 2
    kind = CodeKind(kind_name)
    try:
        rows = read_official_list(files[0], kind)
    except OfficialListError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s); nothing was imported.", file=sys.stderr)
        return 1
    table = open_store(store_url or settings.default_store_url())
    # The list item tells the explainer a list is loaded, so a code missing from it is not a code at all.
    items = [official_item(row) for row in rows] + [official_list_item(kind, len(rows), _today())]
    item_set = ItemSet(f"denial_list_{kind.value}", (f"{Prefix.DENIAL_LIST}#",), items)
    with import_reported("list"):
        report = publish(table, [item_set])
    today = _today()
    deactivated = sum(1 for row in rows if row.stop_date is not None and row.stop_date < today)
    print(
        f"{kind.value.upper()}: {len(rows):,} codes ({deactivated:,} deactivated); "
        f"{report.written:,} item(s) written, {report.deleted:,} removed, {report.unchanged:,} unchanged"
    )
    return 0
