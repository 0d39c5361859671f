"""The local portal as a new user meets it: `codedesk serve`, a browser at /, curl at /api."""

from __future__ import annotations

import shutil
import subprocess

import pytest

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
    assert status == 200 and body == {
        "user_id": "alice", "name": "alice", "groups": ["biller"], "teams": ["main"], "time_zone": "UTC"
    }  # fmt: skip


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
    result = subprocess.run(
        portal.command("publish", "--content", str(broken), "--store", portal.store_url),
        env=portal.env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "roles.yaml:" in result.stderr and "Traceback" not in result.stderr
    _, after, _ = portal.request("GET", "/api/health")
    assert after["content_version"] == before["content_version"]
    again = subprocess.run(
        portal.command("publish", "--content", str(portal.content), "--store", portal.store_url),
        env=portal.env,
        capture_output=True,
        text=True,
    )
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


# ------------------------------------------------------------------ the local server's defences


def _raw(portal, request: bytes, timeout: float = 10) -> bytes:
    """What the server answers to bytes sent as they are (headers the stdlib client would fix up)."""
    import socket

    with socket.create_connection(("127.0.0.1", portal.port), timeout=timeout) as connection:
        connection.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer) < answer.index(b"\r\n\r\n") + 4 + _length(answer):
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


def _length(answer: bytes) -> int:
    for line in answer.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def _status_and_json(answer: bytes):
    import json

    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), json.loads(body)


def _dev_session(portal, host: str) -> bytes:
    body = b'{"user": "rita", "groups": ["supervisor"]}'
    head = (
        f"POST /api/dev/session HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return _raw(portal, head.encode() + body)


def test_dev_session_answers_only_requests_addressed_to_its_own_loopback_host_and_port(portal):
    for host in (f"127.0.0.1:{portal.port}", f"localhost:{portal.port}"):
        status, body = _status_and_json(_dev_session(portal, host))
        assert status == 200 and body["token"], host
    # A page of another site whose name was made to resolve to 127.0.0.1 (DNS rebinding) sends its own name.
    for host in (
        f"evil.example:{portal.port}",
        "evil.example",
        f"127.0.0.1:{portal.port + 1}",
        "127.0.0.1",
        "",
        f"127.0.0.1.evil.example:{portal.port}",
    ):
        status, body = _status_and_json(_dev_session(portal, host))
        assert status == 403 and body["error"]["code"] == "forbidden", host


# b"\xb2" is "²" to http.server (headers are read as Latin-1): str.isdigit() takes it, int() does not.
@pytest.mark.parametrize("length", [b"abc", b"-1", b"+5", b"1e3", b"5 5", b"\xb2", b"1_0"])
def test_a_content_length_that_is_no_number_is_400_and_the_server_keeps_serving(portal, length):
    answer = _raw(portal, b"POST /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + length + b"\r\n\r\n{}")
    status, body = _status_and_json(answer)
    assert status == 400 and body["error"]["code"] == "invalid" and "Content-Length" in body["error"]["message"]
    assert portal.request("GET", "/api/health")[0] == 200


def test_two_content_lengths_that_differ_are_400(portal):
    answer = _raw(
        portal, b"POST /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nContent-Length: 50\r\n\r\n{}"
    )
    status, body = _status_and_json(answer)
    assert status == 400 and "'2, 50'" in body["error"]["message"]


def test_a_chunked_body_is_411_not_read_as_the_next_request(portal):
    answer = _raw(
        portal,
        b"POST /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    )
    status, body = _status_and_json(answer)
    assert status == 411 and "Content-Length" in body["error"]["message"]
    assert answer.count(b"HTTP/1.1 ") == 1  # the chunks were not answered as a request of their own


@pytest.mark.parametrize(
    "request_bytes, status",
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"FOO /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 405),
        (b"GET /api/health HTTP/1.1\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    ],
)
def test_a_request_http_server_cannot_parse_gets_the_one_error_shape_and_the_headers(portal, request_bytes, status):
    answer = _raw(portal, request_bytes)
    assert _status_and_json(answer)[0] == status
    assert set(_status_and_json(answer)[1]["error"]) == {"code", "message", "details"}
    assert b"X-Content-Type-Options: nosniff" in answer and b"frame-ancestors 'none'" in answer
    assert portal.request("GET", "/api/health")[0] == 200


def test_thirty_simultaneous_connections_are_all_served(portal):
    import threading

    barrier = threading.Barrier(30)
    answers: list[bytes | Exception] = []

    def visit():
        import socket

        try:
            barrier.wait(timeout=10)
            # A connection the listen backlog had no room for is retried by TCP after 1 s at the earliest.
            with socket.create_connection(("127.0.0.1", portal.port), timeout=0.9) as connection:
                connection.settimeout(20)
                connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                answer = b""
                while chunk := connection.recv(65536):
                    answer += chunk
            answers.append(answer)
        except Exception as error:
            answers.append(error)

    threads = [threading.Thread(target=visit) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 30
    assert all(isinstance(a, bytes) and a.startswith(b"HTTP/1.1 200") for a in answers), answers


def test_the_listen_backlog_has_room_for_thirty_connections(tmp_path):
    from codedesk.web.local_server import make_server

    server = make_server("127.0.0.1", 0, tmp_path, tmp_path)
    try:
        assert server.request_queue_size >= 30
    finally:
        server.server_close()


@pytest.mark.parametrize("path", ["/", "/js/api.js", "/api/health", "/api/me", "/no/such/page/"])
def test_site_and_api_answers_carry_the_security_headers(portal, path):
    _, _, headers = portal.request("GET", path)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"] and policy["style-src"] == "'self'"


def _signed(portal, claims: dict) -> str:
    import jwt

    key = (portal.root / "data" / "local-signing.key").read_bytes().strip()
    return jwt.encode({"iss": "codedesk-local", "aud": "codedesk-local", **claims}, key, algorithm="HS256")


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "eve", "cognito:groups": ["supervisor"], "iat": 1},  # no exp: it would never expire
        {"sub": "eve", "cognito:groups": 7, "iat": 1, "exp": 4_000_000_000},
        {"sub": "eve", "cognito:groups": {"supervisor": True}, "iat": 1, "exp": 4_000_000_000},
        {"sub": "eve", "cognito:groups": [1, 2], "iat": 1, "exp": 4_000_000_000},
        {"sub": "eve", "cognito:groups": [["supervisor"]], "iat": 1, "exp": 4_000_000_000},
        {"sub": 42, "cognito:groups": ["supervisor"], "iat": 1, "exp": 4_000_000_000},
    ],
)
def test_a_signed_token_without_exp_or_with_claims_of_the_wrong_type_is_401(portal, claims):
    status, body, _ = portal.request("GET", "/api/me", token=_signed(portal, claims))
    assert status == 401 and body["error"]["code"] == "unauthorized", body
    assert portal.request("GET", "/api/health")[0] == 200


def test_a_well_formed_signed_token_is_accepted(portal):
    token = _signed(portal, {"sub": "eve", "cognito:groups": ["coder"], "iat": 1, "exp": 4_000_000_000})
    status, body, _ = portal.request("GET", "/api/me", token=token)
    assert status == 200 and body["groups"] == ["coder"]


def test_serve_refuses_a_host_other_machines_can_reach(portal):
    result = subprocess.run(
        portal.command("serve", "--host", "0.0.0.0", "--port", "1"),
        env=portal.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "--insecure-dev-login" in result.stderr and "Traceback" not in result.stderr


def test_insecure_dev_login_allows_another_host_with_a_warning(tmp_path):
    from codedesk.web.local_server import NotLoopback, check_host, make_server

    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert check_host(host, insecure_dev_login=False) is None
    for host in ("0.0.0.0", "192.168.1.10", "::", "example.org"):
        with pytest.raises(NotLoopback):
            check_host(host, insecure_dev_login=False)
        assert "anyone" in check_host(host, insecure_dev_login=True)
    with pytest.raises(NotLoopback):
        make_server("0.0.0.0", 0, tmp_path, tmp_path)
    server = make_server("0.0.0.0", 0, tmp_path, tmp_path, insecure_dev_login=True)
    server.server_close()


def test_a_path_id_arrives_decoded_as_api_gateway_hands_it_on(portal):
    """API Gateway's HTTP API decodes the path before the function sees it: the person page of a
    user id with an '@' (encodeURIComponent writes %40) finds them, and an encoded '#' is refused."""
    status, _body, _ = portal.request(
        "POST", "/api/dev/session", body={"user": "pd-sam@mercy.org", "name": "Sam At", "groups": ["biller"]}
    )
    assert status == 200
    boss = portal.token("pd-boss", "supervisor")
    status, body, _ = portal.request("GET", "/api/staff/pd-sam%40mercy.org", token=boss)
    assert status == 200 and body["user_id"] == "pd-sam@mercy.org", body
    status, body, _ = portal.request("GET", "/api/staff/pd-sam%23mercy.org", token=boss)
    assert status == 404 and set(body["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize(
    "request_bytes, allowed",
    [
        (b"FOO /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"Allow: GET\r\n"),
        (b"FOO /api/reviews HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"Allow: GET, POST\r\n"),
        (b"FOO /codes/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"Allow: GET, HEAD\r\n"),
        (b"POST /codes/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", b"Allow: GET, HEAD\r\n"),
    ],
)
def test_a_405_names_the_methods_the_path_answers(portal, request_bytes, allowed):
    answer = _raw(portal, request_bytes)
    assert _status_and_json(answer)[0] == 405 and allowed in answer


def test_an_unknown_method_on_a_path_the_api_does_not_have_is_404(portal):
    answer = _raw(portal, b"FOO /api/nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    status, body = _status_and_json(answer)
    assert status == 404 and body["error"]["code"] == "not_found" and b"Allow:" not in answer
