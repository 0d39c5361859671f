"""The local portal as a new user meets it: `codedesk serve`, a browser at /, curl at /api."""

from __future__ import annotations

import shutil
import subprocess

from tests.conftest import PortalServer


def test_health_is_public_and_reports_a_content_version(portal):
    status, body, _ = portal.request("GET", "/api/health")
    assert status == 200 and body["status"] == "ok" and body["content_version"] != "0"


def test_the_site_is_served_at_the_root(portal):
    status, page, headers = portal.request("GET", "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Codedesk" in page and "I am a biller" in page
    status, script, headers = portal.request("GET", "/js/api.js")
    assert status == 200 and "javascript" in headers["Content-Type"] and "export async function api" in script
    status, _, _ = portal.request("GET", "/no/such/page/")
    assert status == 404


def test_me_needs_a_token_and_answers_with_the_tokens_claims(portal):
    status, body, _ = portal.request("GET", "/api/me")
    assert status == 401 and body["error"]["code"] == "unauthorized"
    status, body, _ = portal.request("GET", "/api/me", token=portal.token("alice", "biller"))
    assert status == 200 and body == {"user_id": "alice", "name": "alice", "groups": ["biller"]}


def test_a_forged_token_is_refused(portal):
    token = portal.token("alice", "biller")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    status, body, _ = portal.request("GET", "/api/me", token=forged)
    assert status == 401 and body["error"]["code"] == "unauthorized"


def test_dev_session_signs_the_site_in(portal):
    status, body, _ = portal.request("POST", "/api/dev/session", body={"user": "rita", "groups": ["receptionist"]})
    assert status == 200
    status, me, _ = portal.request("GET", "/api/me", token=body["token"])
    assert me["user_id"] == "rita" and me["groups"] == ["receptionist"]
    status, body, _ = portal.request("POST", "/api/dev/session", body={"user": "rita", "groups": ["admin"]})
    assert status == 422 and "unknown group" in body["error"]["message"]


def test_unknown_api_paths_and_methods_use_the_error_shape(portal):
    status, body, _ = portal.request("GET", "/api/nope")
    assert status == 404 and body["error"]["code"] == "not_found"
    status, body, headers = portal.request("POST", "/api/health", body={})
    assert status == 405 and headers["Allow"] == "GET"


def test_a_broken_publish_leaves_the_running_server_on_the_previous_content(portal, tmp_path):
    _, before, _ = portal.request("GET", "/api/health")
    broken = tmp_path / "content"
    shutil.copytree(portal.content, broken)
    (broken / "roles.yaml").write_text("roles:\n  - id: coder\n    name: 7\n")
    result = subprocess.run(portal.command("publish", "--content", str(broken), "--store", portal.store_url),
                            env=portal.env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "roles.yaml:" in result.stderr and "Traceback" not in result.stderr
    _, after, _ = portal.request("GET", "/api/health")
    assert after["content_version"] == before["content_version"]
    again = subprocess.run(portal.command("publish", "--content", str(portal.content), "--store", portal.store_url),
                           env=portal.env, capture_output=True, text=True)
    assert again.returncode == 0 and "0 items written" in again.stdout


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    server = PortalServer(tmp_path)
    server.start()
    assert server.stop() == 0


def test_simultaneous_first_requests_to_one_function_each_get_their_own_answer(tmp_path):
    """Each request must see its own query, even when several arrive together at a fresh server.
    (Without the per-function lock, powertools' resolver mixes overlapping requests up; 320 requests
    on 8 threads show it in most runs, not all: the race needs two requests to overlap.)"""
    from concurrent.futures import ThreadPoolExecutor

    server = PortalServer(tmp_path)
    server.start()
    try:
        token = server.token("ann", "biller")
        codes = [f"CO-{n}" for n in (16, 45, 97, 29, 50, 96, 18, 22)] * 40

        def explain(code):
            status, body, _ = server.request("GET", f"/api/denials/explain?codes={code}", token=token)
            return code, status, body

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(explain, codes))
        for code, status, body in answers:
            assert status == 200, (code, body)
            assert [card["code"] for card in body["reasons"]] == [code.split("-")[1]], (code, body)
    finally:
        server.stop()
