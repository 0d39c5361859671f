"""The audit scorecard as compliance uses it: record a month's audit of ten encounters per provider,
see each coder's accuracy against the 95% benchmark, the codes most often wrong, and the trend."""

from __future__ import annotations

import pytest

from codedesk.audits.api import handler
from codedesk.quizzes.api import handler as quizzes_handler
from tests.events import call
from tests.staff_support import in_directory

COMPLIANCE = {"user": "cam", "groups": ("compliance",)}
SUPERVISOR = {"user": "sue", "groups": ("supervisor",)}


@pytest.fixture(autouse=True)
def _store(api_store):
    in_directory(api_store, {"cora": "coder", "colin": "coder"})
    in_directory(api_store, {"nora": "coder"}, team="north")
    return api_store


def audit(month="2026-11", provider="Dr. Ruiz", coder="cora", misses=1, total=10):
    encounters = [{"ref": f"A-{n:02d}", "billed": ["99213", "E11.9"], "supported": ["99213", "E11.9"]}
                  for n in range(1, total + 1)]  # fmt: skip
    for n in range(misses):
        encounters[n] = {"ref": f"A-{n + 1:02d}", "billed": ["99214", "E11.9"], "supported": ["99213", "e11.9"]}
    return {"month": month, "provider": provider, "coder": coder, "encounters": encounters}


def test_a_month_with_one_miss_in_ten_scores_90_and_names_the_miss():
    reply = call(handler, "POST", "/api/audits", body=audit(), **COMPLIANCE)
    assert reply.status == 201, reply.body
    body = reply.body
    assert (body["encounters"], body["correct"], body["accuracy"], body["meets_benchmark"]) == (10, 9, 90.0, False)
    assert body["misses"] == [
        {"ref": "A-01", "billed": ["99214", "E11.9"], "supported": ["99213", "E11.9"],
         "not_supported": ["99214"], "not_billed": ["99213"]}
    ]  # fmt: skip


def test_the_scorecard_per_coder_and_provider_the_codes_most_wrong_and_the_trend():
    call(handler, "POST", "/api/audits", body=audit(misses=1), **COMPLIANCE)
    call(handler, "POST", "/api/audits", body=audit(provider="Dr. Chen", misses=0), **COMPLIANCE)
    call(handler, "POST", "/api/audits", body=audit(coder="colin", misses=3), **COMPLIANCE)
    call(handler, "POST", "/api/audits", body=audit(month="2026-10", misses=2), **COMPLIANCE)
    call(handler, "POST", "/api/audits", body=audit(month="2025-10", misses=5), **COMPLIANCE)  # over a year before
    reply = call(handler, "GET", "/api/audits/summary", query={"month": "2026-11"}, **SUPERVISOR)
    assert reply.status == 200
    lines = {
        (i["provider"], i["coder"]): (i["accuracy"], i["meets_benchmark"], i["misses"]) for i in reply.body["items"]
    }
    assert lines == {
        ("Dr. Chen", "cora"): (100.0, True, 0),
        ("Dr. Ruiz", "colin"): (70.0, False, 3),
        ("Dr. Ruiz", "cora"): (90.0, False, 1),
    }
    assert reply.body["codes_most_often_wrong"] == [{"code": "99213", "times": 4}, {"code": "99214", "times": 4}]
    assert reply.body["trend"] == [
        {"month": "2026-10", "encounters": 10, "accuracy": 80.0},
        {"month": "2026-11", "encounters": 30, "accuracy": 86.7},
    ]
    assert reply.body["benchmark"] == 95.0


def test_only_compliance_records_and_a_biller_reads_nothing():
    assert call(handler, "POST", "/api/audits", body=audit(), **SUPERVISOR).status == 403
    assert call(handler, "GET", "/api/audits/summary", user="bea", groups=("biller",)).status == 403


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda a: a.update(month="2026-13"), "month"),
        (lambda a: a["encounters"][0].update(ref="Jane Smith"), "ref"),  # a name is not an audit reference
        (lambda a: a["encounters"][1].update(ref="A-01"), "encounters"),
        (lambda a: a["encounters"][0].update(billed=["99213; DROP"]), "billed"),
        (lambda a: a.update(encounters=[]), "encounters"),
        (lambda a: a.update(provider="   "), "provider"),
        (lambda a: a.update(patient_name="Jane"), "patient_name"),
    ],
)
def test_bad_audits_are_422_naming_the_field(change, field):
    body = audit()
    change(body)
    reply = call(handler, "POST", "/api/audits", body=body, **COMPLIANCE)
    assert reply.status == 422, reply.body
    assert any(field in d["field"] for d in reply.body["error"]["details"]), reply.body


def test_an_empty_month_is_an_empty_scorecard_not_an_error():
    reply = call(handler, "GET", "/api/audits/summary", query={"month": "2027-01"}, **COMPLIANCE)
    assert reply.status == 200 and reply.body["items"] == [] and reply.body["trend"] == []


def test_the_coder_is_a_person_of_the_auditors_team_and_other_clinics_see_nothing():
    unknown = call(handler, "POST", "/api/audits", body=audit(coder="mraia"), **COMPLIANCE)
    assert unknown.status == 422 and unknown.body["error"]["details"][0]["field"] == "coder"
    other_team = call(handler, "POST", "/api/audits", body=audit(coder="nora"), **COMPLIANCE)
    assert other_team.status == 422
    assert call(handler, "POST", "/api/audits", body=audit(), **COMPLIANCE).status == 201
    north = call(handler, "GET", "/api/audits/summary", query={"month": "2026-11"}, user="nell",
                 groups=("supervisor", "team:north"))  # fmt: skip
    assert north.status == 200 and north.body["team"] == "north" and north.body["items"] == []
    not_theirs = call(handler, "GET", "/api/audits/summary", query={"month": "2026-11", "team": "main"}, user="nell",
                      groups=("supervisor", "team:north"))  # fmt: skip
    assert not_theirs.status == 404


# ------------------------------------------------------------- misses feed the coder's review

CORA = {"user": "cora", "groups": ("coder",)}


def review(who=CORA):
    return call(quizzes_handler, "GET", "/api/practice/misses", **who)


def practise(answers, key, who=CORA):
    return call(quizzes_handler, "POST", "/api/practice/misses/attempts", body={"answers": answers},
                headers={"Idempotency-Key": key}, **who)  # fmt: skip


def test_each_missed_code_puts_the_question_that_teaches_it_in_the_coders_review():
    body = audit(misses=0)
    body["encounters"][3] = {"ref": "A-04", "billed": ["99214", "E11.65"], "supported": ["99214", "E11.9"]}
    recorded = call(handler, "POST", "/api/audits", body=body, **COMPLIANCE)
    assert recorded.status == 201 and recorded.body["accuracy"] == 90.0
    assert recorded.body["review_cards"] == 2  # E11.65 billed without support, E11.9 supported and not billed
    assert recorded.body["no_question_for"] == []
    served = review().body["questions"]
    why = "Audit of 2026-11, encounter A-04: a code (ICD-10-CM E11) did not match the documentation."
    assert [q["why"] for q in served] == [why, why]
    assert not any("E11.9" in q["why"] for q in served)  # the reason does not give the answer away
    prompts = sorted(q["prompt"] for q in served)
    # E11.65 → the question on its category E11 (is E11 reportable?); E11.9 → the one whose answer it is
    assert prompts[0].startswith("The category E11 has subcategories") and "type 2 diabetes" in prompts[1], prompts
    assert review({"user": "colin", "groups": ("coder",)}).body["questions"] == []  # only the audited coder's


def test_a_missed_code_no_question_teaches_is_named_not_padded_with_an_unrelated_question():
    recorded = call(handler, "POST", "/api/audits", body=audit(misses=1), **COMPLIANCE)  # 99214 for 99213
    assert recorded.status == 201 and recorded.body["accuracy"] == 90.0
    assert (recorded.body["review_cards"], recorded.body["no_question_for"]) == (0, ["99213", "99214"])
    assert review().body["questions"] == []


def test_the_stored_audit_is_the_scorecard_record_not_the_answer_about_review_cards(api_store):
    from codedesk.audits.records import audits_between

    body = audit(misses=0)
    body["encounters"][3] = {"ref": "A-04", "billed": ["99214", "E11.65"], "supported": ["99214", "E11.9"]}
    assert call(handler, "POST", "/api/audits", body=body, **COMPLIANCE).body["review_cards"] == 2
    [stored] = audits_between(api_store, "main", "2026-11", "2026-11")
    assert "review_cards" not in stored and "no_question_for" not in stored


def test_an_audit_miss_moves_through_the_same_boxes_as_a_quiz_miss():
    body = audit(misses=0)
    body["encounters"][0] = {"ref": "A-01", "billed": ["99213", "I10"], "supported": ["99213", "J02.9"]}
    call(handler, "POST", "/api/audits", body=body, **COMPLIANCE)
    served = review().body
    assert served["questions"] and served["due_later"] == 0
    wrong = {q["id"]: (q["options"][0]["id"] if q.get("options") else "Z00.00") for q in served["questions"]}
    results = practise(wrong, "first-try").body["results"]
    missed = [r for r in results if not r["correct"]]
    assert missed, "the first try answers some question wrong"
    assert review().body["questions"], "a wrong answer keeps the question in box 1, due today"
    right = {r["question_id"]: r["expected"] for r in results}
    assert all(r["correct"] for r in practise(right, "second-try").body["results"])
    after = review().body
    assert after["questions"] == [] and after["due_later"] == len(served["questions"]), (missed, after)
    assert after["next_due_on"] is not None  # box 2: back tomorrow, as after a quiz miss answered right


def test_recording_an_audit_with_misses_costs_the_same_few_round_trips_however_many_misses(api_store):
    from datetime import UTC, date, datetime

    from codedesk.audits.models import AuditRequest
    from codedesk.audits.records import audit_put
    from codedesk.audits.service import score_audit
    from codedesk.content.view import LivePointer
    from codedesk.quizzes.audit_misses import keep_with_review_cards

    view = LivePointer(api_store).view()  # the content version, as a warm function holds it
    calls = []
    for misses in (1, 10):
        answer = score_audit(api_store, AuditRequest.model_validate(audit(misses=misses)), teams=["main"],
                             recorded_by="cam", now=datetime(2026, 12, 1, tzinfo=UTC))  # fmt: skip
        for n, encounter in enumerate(answer.misses):
            encounter.not_billed = ["E11.9", "I10", "J02.9"][: 1 + n % 3]
        api_store.stats.reset()
        keep_with_review_cards(api_store, view, answer, audit_put(answer.model_dump(mode="json")), date(2026, 12, 1))
        calls.append(dict(api_store.stats.calls))
    # the quiz list, the quizzes, the coder's learner record, and one transaction with the audit
    assert calls[0] == calls[1] == {"query": 1, "batch_get": 1, "get": 1, "transact_write": 1}
    # misses no question teaches (99214 billed for 99213): the audit alone, the coder's record untouched
    answer = score_audit(api_store, AuditRequest.model_validate(audit(month="2026-10")), teams=["main"],
                         recorded_by="cam", now=datetime(2026, 12, 1, tzinfo=UTC))  # fmt: skip
    api_store.stats.reset()
    kept = keep_with_review_cards(api_store, view, answer, audit_put(answer.model_dump(mode="json")), date(2026, 12, 1))
    assert kept is not None and (kept.added, kept.untaught) == (0, ["99213", "99214"])
    assert dict(api_store.stats.calls) == {"query": 1, "batch_get": 1, "put": 1}
