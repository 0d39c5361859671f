"""The one cursor codec: what a list gives out comes back intact; anything else is a clear 400 naming `cursor`."""

from __future__ import annotations

import pytest

from codedesk.store import cursors
from codedesk.web.errors import as_domain_error, http_answer


def test_a_cursor_is_url_safe_versioned_and_reads_back():
    value = ["2027-01-08#hcpcs-2027-q1#bea", "USER#bea", "REVIEW#x/y+z"]
    cursor = cursors.encode("sq", value)
    assert cursor.startswith("1.sq.") and all(c.isalnum() or c in "-_." for c in cursor)
    assert cursors.decode("sq", cursor) == value


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: c[:-1],  # truncated when copied
        lambda c: c.replace(".", "", 1),
        lambda c: c[:8] + ("A" if c[8] != "A" else "B") + c[9:],  # one character of the payload changed
        lambda c: "garbage",
        lambda c: "",
        lambda c: "2" + c[1:],  # a format this code does not know
    ],
)
def test_a_garbled_cursor_is_a_400_naming_the_cursor(mangle):
    with pytest.raises(cursors.BadCursor) as caught:
        cursors.decode("sq", mangle(cursors.encode("sq", ["a", "b"])))
    status, body, _ = http_answer(as_domain_error(caught.value))
    assert status == 400 and body["error"]["details"][0]["field"] == "cursor"
    assert "start again without a cursor" in body["error"]["message"]


def test_another_lists_cursor_is_refused():
    with pytest.raises(cursors.BadCursor):
        cursors.decode("rv", cursors.encode("sq", ["a"]))
    with pytest.raises(ValueError):  # what the store port promises its callers
        cursors.decode_list("sq", cursors.encode("sq", ["a"]), 2, str)


@pytest.mark.parametrize("store", ["sqlite_table", "dynamo_table"])
def test_both_stores_refuse_a_foreign_cursor_as_a_bad_cursor(store, request):
    table = request.getfixturevalue(store)
    for n in range(3):
        table.put({"PK": "P", "SK": f"S{n}"})
    page = table.query("P", limit=1)
    assert table.query("P", limit=5, cursor=page.cursor).items == [{"PK": "P", "SK": "S1"}, {"PK": "P", "SK": "S2"}]
    for foreign in ("eyJQSyI6IHsiUyI6ICJQIn19", cursors.encode("rv", [0, None]), page.cursor[:-2]):
        with pytest.raises(cursors.BadCursor):
            table.query("P", cursor=foreign)
