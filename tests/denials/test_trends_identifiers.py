"""After a biller records every sample remit for the trends, no identifier those remits hold is anywhere
in the store: the whole store is read before and after, and each identifier occurs as often after as
before (published content may hold a word such as a payee's name by chance; recording adds none).

The identifiers are read from the files themselves, segment by segment, so a sample added to the
corpus is checked for every kind it carries: check trace numbers and the payer's and payee's ids,
bank accounts, patient account numbers, payer claim numbers, names and ids of patients, insureds and
providers (NM1), every REF value, and every date (DTM, as written and as an ISO date). Only the
payer's name is kept, on purpose: the trends are read by payer."""

from __future__ import annotations

import json

from codedesk.store.sqlite import SqliteTable
from tests.denials.conftest import ERA_DIR, needs_era_corpus
from tests.denials.test_trends import BILLER, TEXT
from tests.events import call

SHORTEST = 5  # shorter values ("33", "CP") are amounts' digits or words, not identifiers
SHORTEST_NAME = 4


def _segments(text: str) -> list[list[str]]:
    text = text.strip()
    element, terminator = (text[3], text[105]) if text.startswith("ISA") else ("*", "~")
    return [segment.strip().split(element) for segment in text.split(terminator) if segment.strip()]


def _at(segment: list[str], position: int) -> str:
    return segment[position].strip() if len(segment) > position else ""


def identifiers(text: str) -> dict[str, set[str]]:
    """Kind → the values of that kind in one 835."""
    found: dict[str, set[str]] = {}

    def add(kind: str, value: str, shortest: int = SHORTEST) -> None:
        if len(value) >= shortest:
            found.setdefault(kind, set()).add(value)

    for segment in _segments(text):
        tag = segment[0]
        if tag == "TRN":
            add("trace number", _at(segment, 2))
            add("payer id (TRN03)", _at(segment, 3))
        elif tag == "BPR":
            for position in (7, 9, 13, 15):
                add("bank account or routing number", _at(segment, position))
        elif tag == "CLP":
            add("patient account number", _at(segment, 1))
            add("payer claim number", _at(segment, 7))
        elif tag == "NM1":
            add(f"NM1*{_at(segment, 1)} last name", _at(segment, 3), SHORTEST_NAME)
            add(f"NM1*{_at(segment, 1)} first name", _at(segment, 4), SHORTEST_NAME)
            add(f"NM1*{_at(segment, 1)} id", _at(segment, 9))
        elif tag == "N1" and _at(segment, 1) != "PR":
            add(f"N1*{_at(segment, 1)} name", _at(segment, 2), SHORTEST_NAME)
            add(f"N1*{_at(segment, 1)} id", _at(segment, 4))
        elif tag == "N1":
            add("payer id (N104)", _at(segment, 4))
        elif tag == "REF":
            add(f"REF*{_at(segment, 1)}", _at(segment, 2))
        elif tag == "DTM":
            day = _at(segment, 2)
            add(f"date DTM*{_at(segment, 1)}", day)
            if len(day) == 8 and day.isdigit():
                add(f"date DTM*{_at(segment, 1)}", f"{day[:4]}-{day[4:6]}-{day[6:]}")
        elif tag == "PLB":
            for composite in segment[3::2]:
                add("provider adjustment reference", composite.split(":")[-1].split(">")[-1])
    return found


def _whole_store(table: SqliteTable) -> list[str]:
    texts, cursor = [], None
    while True:
        page = table.scan(cursor=cursor)
        texts += [json.dumps(item, default=str) for item in page.items]
        cursor = page.cursor
        if cursor is None:
            return texts


def _occurrences(texts: list[str], value: str) -> int:
    return sum(text.count(value) for text in texts)


@needs_era_corpus
def test_recording_every_sample_remit_leaves_no_identifier_they_hold_anywhere_in_the_store(api_store):
    from codedesk.denials.api import handler

    samples = sorted(ERA_DIR.rglob("*.835"))
    assert len(samples) >= 9
    before = _whole_store(api_store)
    kinds: dict[str, set[str]] = {}
    recorded = 0
    for sample in samples:
        text = sample.read_text(encoding="ascii")
        for kind, values in identifiers(text).items():
            kinds.setdefault(kind, set()).update(values)
        reply = call(handler, "POST", "/api/denials/era", query={"record": "true"}, body=text, headers=TEXT, **BILLER)
        assert reply.status == 200, (sample.name, reply.body)
        recorded += reply.body["recorded"]["added"]
    after = _whole_store(api_store)
    assert recorded >= len(samples) and len(after) > len(before), "the remits were not recorded"
    # Every kind of identifier an 835 carries is among those checked.
    for kind in ("trace number", "patient account number", "payer claim number", "NM1*QC last name",
                 "NM1*QC first name", "NM1*QC id", "date DTM*472", "REF*EA", "bank account or routing number"):  # fmt: skip
        assert kind in kinds, kind
    leaks = [
        (kind, value)
        for kind, values in sorted(kinds.items())
        for value in sorted(values)
        if _occurrences(after, value) != _occurrences(before, value)
    ]
    assert leaks == []
