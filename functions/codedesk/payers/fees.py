"""A clinic's fee schedules: what each payer allows per code (and modifier), by effective dates, so a
decoded 835 can show expected against paid per line and flag underpayments.

`codedesk import fees FILE.csv --payer ID` (finance) reads a CSV with the columns code, modifier,
allowed, effective_from, effective_to (modifier and the dates may be empty) and publishes it as the
payer's own namespace: a new file replaces the previous one whole. Items: PK FEE#<payer>#<code>,
SK FEES, every period of that code; PK FEE#<payer>#*, SK FILE, which file is loaded.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from codedesk.payers.models import MODIFIER, PROCEDURE_CODE, normalise_code
from codedesk.store.keys import Prefix, key
from codedesk.store.port import Item

COLUMNS = ("code", "modifier", "allowed", "effective_from", "effective_to")
FEES_SK = "FEES"
FILE_SK = "FILE"


class FeeFileError(ValueError):
    """A fee schedule that cannot be read; the message names the file and line."""


def fee_key(payer_id: str, code: str) -> tuple[str, str]:
    return key(Prefix.FEE, payer_id, code), FEES_SK


def file_key(payer_id: str) -> tuple[str, str]:
    return key(Prefix.FEE, payer_id, "*"), FILE_SK


def namespace(payer_id: str) -> str:
    return f"fees:{payer_id}"


def prefixes(payer_id: str) -> tuple[str, ...]:
    return (key(Prefix.FEE, payer_id) + "#",)


def _date(value: str, where: str, column: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise FeeFileError(f"{where}: {column} {value!r} is not a date (YYYY-MM-DD)") from None


def read_fee_schedule(path: Path) -> tuple[dict[str, list[list[Any]]], int]:
    """{code: [[modifier, allowed, from, to], ...]} and the number of rows."""
    if not path.is_file():
        raise FeeFileError(f"{path}: no such file")
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("code", "allowed") if c not in (reader.fieldnames or [])]
    if missing:
        raise FeeFileError(f"{path}:1: the heading row needs the columns {', '.join(COLUMNS)}; missing {missing}")
    periods: dict[str, list[list[Any]]] = defaultdict(list)
    rows = 0
    for number, row in enumerate(reader, start=2):
        where = f"{path}:{number}"
        code = normalise_code(row.get("code") or "")
        modifier = (row.get("modifier") or "").strip().upper()
        if not PROCEDURE_CODE.match(code):
            raise FeeFileError(f"{where}: code {row.get('code')!r} is not a CPT or HCPCS code")
        if modifier and not MODIFIER.match(modifier):
            raise FeeFileError(f"{where}: modifier {modifier!r} is not a modifier")
        try:
            allowed = Decimal((row.get("allowed") or "").strip().lstrip("$").replace(",", ""))
        except InvalidOperation:
            raise FeeFileError(f"{where}: allowed {row.get('allowed')!r} is not an amount") from None
        if not allowed.is_finite() or allowed < 0:
            raise FeeFileError(f"{where}: allowed {row.get('allowed')!r} is not an amount")
        start = _date(row.get("effective_from") or "", where, "effective_from")
        end = _date(row.get("effective_to") or "", where, "effective_to")
        if start and end and end < start:
            raise FeeFileError(f"{where}: effective_to {end} is before effective_from {start}")
        periods[code].append([modifier, str(allowed.quantize(Decimal("0.01"))), start, end])
        rows += 1
    if not rows:
        raise FeeFileError(f"{path}: the fee schedule has no rows")
    return dict(periods), rows


def fee_items(
    payer_id: str, periods: dict[str, list[list[Any]]], file_name: str, rows: int, today: date
) -> Iterator[Item]:
    pk, sk = file_key(payer_id)
    yield {"PK": pk, "SK": sk, "file": file_name, "rows": rows, "imported_on": today.isoformat()}
    for code, code_periods in periods.items():
        pk, sk = fee_key(payer_id, code)
        yield {"PK": pk, "SK": sk, "periods": code_periods}


def allowed_on(periods: Sequence[Sequence[Any]], modifiers: Sequence[str], day: date) -> Decimal | None:
    """The allowed amount in force on `day`: a row for one of the line's modifiers first, else the
    row without a modifier."""
    text = day.isoformat()
    in_force = [p for p in periods if (p[2] is None or p[2] <= text) and (p[3] is None or text <= p[3])]
    for wanted in [*modifiers, ""]:
        for modifier, allowed, _start, _end in in_force:
            if modifier == wanted:
                return Decimal(str(allowed))
    return None


def fee_schedules(view: Any, payer_id: str, codes: Sequence[str]) -> tuple[dict[str, Any] | None, dict[str, list]]:
    """The payer's loaded file (None when there is none) and the periods of `codes`: one batch get."""
    keys = [file_key(payer_id), *(fee_key(payer_id, code) for code in sorted(set(codes)))]
    found = {item["PK"]: item for item in view.batch_get(keys)}
    loaded = found.get(file_key(payer_id)[0])
    periods = {
        code: found[fee_key(payer_id, code)[0]]["periods"] for code in codes if fee_key(payer_id, code)[0] in found
    }
    return loaded, periods


def import_fee_schedule(table: Any, payer_id: str, path: Path, today: date) -> tuple[int, Any]:
    """Publish the file as the payer's fee schedule: (rows read, publish report). The payer must have
    a sheet, so that the remit page can offer it."""
    # The importer's only: the denials function reads fee schedules (allowed_on) without the publisher.
    from codedesk.content.publish import ItemSet, publish
    from codedesk.content.view import LivePointer
    from codedesk.payers.service import all_sheets

    known = {sheet.payer_id for sheet in all_sheets(LivePointer(table).view())}
    if payer_id not in known:
        raise FeeFileError(f"--payer {payer_id!r} has no payer sheet; use one of {', '.join(sorted(known))}")
    periods, rows = read_fee_schedule(path)
    items = ItemSet(namespace(payer_id), prefixes(payer_id), fee_items(payer_id, periods, path.name, rows, today))
    return rows, publish(table, [items])
