"""GET /api/codes/index and `codedesk import icd10cm-index`: the index published, browsed by main term
and subterms, every code checked against the loaded release (tests/codes/data/mini-index.xml, in the
CDC's schema, over the mini April 2026 tabular)."""

from __future__ import annotations

import pytest

from codedesk.cli import main
from codedesk.codes.index_tables import check_codes, import_index_files, read_index_file

from ..events import call
from .conftest import MINI, MINI_2025, MINI_2026

MINI_INDEX = MINI / "mini-index.xml"


@pytest.fixture
def index_api(api_store):
    from codedesk.codes.importer import import_code_sets

    import_code_sets(api_store, "icd10cm", [MINI_2025])
    import_code_sets(api_store, "icd10cm", [MINI_2026])
    import_index_files(api_store, [MINI_INDEX])
    from codedesk.codes.api import handler

    return handler


def browse(handler, **query):
    return call(handler, "GET", "/api/codes/index", user="coder-1", groups=("coder",), query=query)


def test_a_main_term_lists_its_subterms_with_the_path_and_modifiers(index_api):
    body = browse(index_api, table="index", q="diabetes").body
    assert [item["path"] for item in body["items"]] == [
        ["Diabetes, diabetic"],
        ["Diabetes, diabetic", "with"],
        ["Diabetes, diabetic", "with", "foot ulcer"],
        ["Diabetes, diabetic", "with", "skin complication NEC"],
    ]
    assert body["items"][0]["nonessential"] == "(mellitus) (sugar)" and body["items"][0]["code"] == "E11.9"


def test_subterms_narrow_the_rows(index_api):
    body = browse(index_api, table="index", q="Diabetes, with, foot ulcer").body
    assert [item["code"] for item in body["items"]] == ["E11.621"]
    assert body["codes"]["E11.621"]["status"] == "valid"


def test_every_code_is_checked_against_the_loaded_release(index_api):
    codes = browse(index_api, table="index", q="diabetes").body["codes"]
    assert codes["E11.62-"]["status"] == "header" and codes["E11.62-"]["choose_from"] == ["E11.621"]
    infarct = browse(index_api, table="index", q="infarct").body
    assert infarct["items"][0]["see_also"] == "Infarct, myocardium"
    assert infarct["codes"]["I21.4"] == {
        "code": "I21.4",
        "status": "ended",
        "title": "Non-ST elevation (NSTEMI) myocardial infarction",
        "choose_from": [],
        "ended_on": "2026-03-31",
    }
    assert infarct["codes"]["Q99.99"]["status"] == "unknown"


def test_see_points_to_the_main_term_to_use(index_api):
    item = browse(index_api, table="index", q="high blood pressure").body["items"][0]
    assert item["path"] == ["High blood pressure"] and item["see"] == "Hypertension" and item["code"] is None


def test_a_table_not_loaded_or_nothing_matching_is_an_empty_list(index_api):
    assert browse(index_api, table="drugs", q="aspirin").body["items"] == []
    assert browse(index_api, table="index", q="zzz").body["items"] == []


@pytest.mark.parametrize(
    ("query", "field"), [({"table": "tabular", "q": "x"}, "table"), ({"table": "index", "q": "  "}, "q")]
)
def test_bad_input_is_a_clear_4xx(index_api, query, field):
    reply = browse(index_api, **query)
    assert reply.status == 422 and field in str(reply.body["error"])


def test_the_import_command_reports_the_codes_checked(tmp_path, capsys):
    store = f"sqlite:///{tmp_path / 'codes.db'}"
    assert main(["import", "icd10cm", str(MINI_2026), "--store", store]) == 0
    assert main(["import", "icd10cm-index", str(MINI_INDEX), "--store", store]) == 0
    out = capsys.readouterr().out
    # Without the 2025 release loaded, I21.4 is unknown rather than ended.
    assert (
        "index 2025: 9 rows, 6 distinct codes against the loaded ICD-10-CM: 3 valid, 1 header, 0 ended, 2 unknown"
        in out
    )
    assert main(["import", "icd10cm-index", str(MINI_INDEX), "--store", store]) == 0
    assert "already imported; 0 items written" in capsys.readouterr().out
    assert main(["import", "icd10cm-index", str(MINI_2026), "--store", store]) == 1
    assert "not an ICD-10-CM index file" in capsys.readouterr().err


def test_a_search_the_index_answers_shows_the_route(index_api):
    reply = call(index_api, "GET", "/api/codes/search", user="coder-1", groups=("coder",), query={"q": "Infarct, quux"})
    # No code title has "quux": the index leads to Q99.99, which the release does not hold, so the
    # answer is the words' codes, and no route is shown for a code that is not there.
    assert all(item["index_path"] == [] for item in reply.body["items"])
    found = call(
        index_api,
        "GET",
        "/api/codes/search",
        user="coder-1",
        groups=("coder",),
        query={"q": "Diabetes, with, skin complication"},
    ).body
    assert found["items"][0]["code"] == "E11.62"
    assert found["items"][0]["index_path"] == ["Diabetes, diabetic", "with", "skin complication NEC", "E11.62"]


def test_the_index_tables_cost_no_extra_round_trip(api_store):
    from codedesk.codes.importer import import_code_sets
    from codedesk.codes.search import search
    from codedesk.content.view import LivePointer

    import_code_sets(api_store, "icd10cm", [MINI_2026])
    import_index_files(api_store, [MINI_INDEX])
    view = LivePointer(api_store).view()
    search(view, "warm the synonym cache")
    api_store.stats.reset()
    found = search(view, "Diabetes, with, foot ulcer")
    assert found.hits[0].index_path == ("Diabetes, diabetic", "with", "foot ulcer", "E11.621")
    assert api_store.stats.round_trips <= 3


def test_check_codes_names_valid_header_and_unknown_codes_of_the_release(view):
    """The mini April 2026 release: a billable code, a header with what to choose, an unknown code."""
    checks = check_codes(view, ["E11.9", "E11.6-", "Q99.99", "not a code!"])
    assert checks["E11.9"].status == "valid" and checks["E11.9"].title
    assert checks["E11.6-"].status == "header" and checks["E11.6-"].choose_from == ["E11.62"]
    assert checks["Q99.99"].status == "unknown" and checks["not a code!"].status == "unknown"


def test_a_compressed_index_file_reads_as_the_cdc_file(tmp_path):
    import lzma

    compressed = tmp_path / f"{MINI_INDEX.name}.xz"
    compressed.write_bytes(lzma.compress(MINI_INDEX.read_bytes()))
    assert read_index_file(compressed) == read_index_file(MINI_INDEX)


def test_serve_loads_the_index_files_of_its_folder_once_and_says_when_there_are_none(
    codes_store, monkeypatch, tmp_path, capsys
):
    from codedesk.cli import _import_index_tables

    monkeypatch.setenv("CODEDESK_INDEX_FILES", str(tmp_path / "nowhere"))
    _import_index_tables(codes_store)
    assert "ICD-10-CM index tables not loaded: no index XML in" in capsys.readouterr().err
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / MINI_INDEX.name).write_bytes(MINI_INDEX.read_bytes())
    monkeypatch.setenv("CODEDESK_INDEX_FILES", str(folder))
    _import_index_tables(codes_store)
    assert "imported the ICD-10-CM index tables" in capsys.readouterr().out
    _import_index_tables(codes_store)  # the same files again: nothing read, nothing written
    assert capsys.readouterr().out == ""
    # A file of the operator's folder that is not an index: said, not a traceback that stops `codedesk serve`.
    (folder / "notes.xml").write_text("not XML at all")
    _import_index_tables(codes_store)
    assert "index tables not loaded from" in capsys.readouterr().err
