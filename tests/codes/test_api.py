"""The Codes routes end to end: API Gateway events into the Lambda handler, on a SQLite store."""

from __future__ import annotations

import pytest

from ..events import call
from .conftest import import_mini_releases


@pytest.fixture
def codes_api(api_store):
    import_mini_releases(api_store)
    from codedesk.codes.api import handler

    return handler


def get(handler, path, query=None, user="coder-1"):
    return call(handler, "GET", path, user=user, groups=("coder",), query=query)


def test_every_route_needs_a_signed_in_user(codes_api):
    reply = call(codes_api, "GET", "/api/codes/ICD10CM/E11.9")
    assert reply.status == 401 and reply.body["error"]["code"] == "unauthorized"


def test_lookup_answers_the_documented_shape(codes_api):
    reply = get(codes_api, "/api/codes/icd10cm/e119", {"as_of": "2026-05-01"})
    assert reply.status == 200
    body = reply.body
    assert {k: body[k] for k in ("system", "code", "billable", "status", "release")} == {
        "system": "ICD10CM",
        "code": "E11.9",
        "billable": True,
        "status": "active",
        "release": "2026-04-01",
    }
    assert body["parent"]["code"] == "E11" and body["children"] == []
    assert set(body["notes"]) >= {
        "includes",
        "inclusion_terms",
        "excludes1",
        "excludes2",
        "code_first",
        "use_additional_code",
        "code_also",
    }
    assert "seventh_characters" in body and body["effective_from"] == "2025-04-01"


def test_a_deleted_code_is_still_answered_with_its_dates(codes_api):
    body = get(codes_api, "/api/codes/ICD10CM/I21.4").body
    assert body["status"] == "deleted" and body["effective_to"] == "2026-03-31"


def test_unknown_code_is_404_with_suggestions(codes_api):
    reply = get(codes_api, "/api/codes/ICD10CM/E11.99")
    assert reply.status == 404
    assert reply.body["error"]["code"] == "not_found"
    assert reply.body["error"]["details"][0]["code"] == "E11.9"


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/codes/ICD10CM/E11.9", {"as_of": "yesterday"}, "as_of"),
        ("/api/codes/search", {"q": "diabetes", "limit": "500"}, "limit"),
        ("/api/codes/search", {"q": "   "}, "q"),
        ("/api/codes/search", {"q": "x", "cursor": "not-a-cursor"}, "cursor"),
        ("/api/codes/NOPE/E11.9", None, "system"),
    ],
)
def test_bad_input_is_a_clear_4xx(codes_api, path, query, field):
    reply = get(codes_api, path, query)
    assert reply.status in (400, 422)
    assert field in str(reply.body["error"])


def test_search_ranks_the_code_first_and_pages(codes_api):
    body = get(codes_api, "/api/codes/search", {"q": "E11"}).body
    assert body["items"][0]["code"] == "E11"
    body = get(codes_api, "/api/codes/search", {"q": "diabetes foot ulcer"}).body
    assert body["items"][0] == {
        "system": "ICD10CM",
        "code": "E11.621",
        "billable": True,
        "title": "Type 2 diabetes mellitus with foot ulcer",
        "index_path": [],  # no index table loaded here: tests/codes/test_index_api.py
    }
    whole = [i["code"] for i in get(codes_api, "/api/codes/search", {"q": "sprain"}).body["items"]]
    # The initial encounter first; the subsequent encounter and the sequela after every general code.
    assert whole[0] == "S93.401A" and whole[-2:] == ["S93.401D", "S93.401S"]
    first = get(codes_api, "/api/codes/search", {"q": "sprain", "limit": "2"}).body
    assert [i["code"] for i in first["items"]] == whole[:2] and first["next_cursor"]
    second = get(codes_api, "/api/codes/search", {"q": "sprain", "limit": "2", "cursor": first["next_cursor"]}).body
    assert [i["code"] for i in second["items"]] == whole[2:4]


def test_search_understands_abbreviations_and_filters(codes_api):
    body = get(codes_api, "/api/codes/search", {"q": "HTN"}).body
    assert body["items"][0]["code"] == "I10" and body["interpreted_as"] == ["hypertension"]
    assert body["said_as"] == [{"typed": "htn", "means": "hypertension"}]  # taught, not only applied
    assert get(codes_api, "/api/codes/search", {"q": "hypertension"}).body["said_as"] == []
    body = get(codes_api, "/api/codes/search", {"q": "diabetes", "billable": "false"}).body
    assert body["items"] and all(not item["billable"] for item in body["items"])
    body = get(codes_api, "/api/codes/search", {"q": "injection", "system": "HCPCS"}).body
    assert body["items"] and {item["system"] for item in body["items"]} == {"HCPCS"}


def test_code_sets_and_changes(codes_api):
    sets = {s["system"]: s for s in get(codes_api, "/api/code-sets").body["items"]}
    assert sets["ICD10CM"]["release"] == "2026-04-01" and sets["ICD10CM"]["licensed"] is False
    changes = get(codes_api, "/api/code-sets/ICD10CM/changes", {"release": "2026-04-01"}).body
    assert changes["previous_release"] == "2025-04-01"
    assert [c["code"] for c in changes["added"]] == ["I21.A1"]
    assert changes["revised"][0]["new_title"] == "Type 2 diabetes mellitus without complications"


@pytest.mark.parametrize(
    ("today", "warned"),
    [((2026, 12, 6), True), ((2026, 5, 1), False)],
)
def test_code_sets_warn_when_the_release_in_force_is_newer_than_the_one_loaded(codes_api, today, warned):
    from datetime import date

    from codedesk.codes.api import app
    from codedesk.web import deps

    app.dependency_overrides[deps.today] = lambda: date(*today)
    try:
        sets = {s["system"]: s for s in get(codes_api, "/api/code-sets").body["items"]}
    finally:
        app.dependency_overrides.clear()
    icd = sets["ICD10CM"]
    if warned:
        assert icd["in_force"] == "2026-10-01"
        assert "ICD-10-CM annual release, October 2026 (FY2027) has been in force since 2026-10-01" in icd["warning"]
        assert "the ICD10CM release loaded is 2026-04-01" in icd["warning"]
        assert "codedesk import icd10cm FILE" in icd["warning"]
    else:  # April 2026 is the newest release in force in May 2026
        assert icd["in_force"] is None and icd["warning"] is None
    assert sets["HCPCS"]["warning"] is None  # the curated list is not an imported release
