"""Durability of the embedded store: `codedesk serve` and a publish are killed (SIGKILL) in the
middle of writing; after a restart every acknowledged write is there, the file is not corrupt, and
readers see the previous or the new content version, never a mix."""

from __future__ import annotations

import http.client
import json
import signal
import sqlite3
import subprocess
import threading
import time

import yaml

from codedesk.content.view import LivePointer
from codedesk.store.sqlite import SqliteTable
from tests.conftest import PortalServer

EXTRA_TERMS = 6000  # enough that the publish is still writing when it is killed


def _write_until(stop: threading.Event, portal: PortalServer, acknowledged: list, make_request) -> None:
    number = 0
    while not stop.is_set():
        number += 1
        try:
            status, body, _ = make_request(number)
        except (OSError, http.client.HTTPException):
            # The server is gone, perhaps in the middle of an answer (IncompleteRead): whatever was
            # not acknowledged may be lost.
            return
        if status == 201:
            acknowledged.append(body)


def test_acknowledged_writes_and_content_survive_sigkill(tmp_path):
    portal = PortalServer(tmp_path)
    portal.start()
    # The people reviews are assigned to, in the staff directory (far more than the run assigns).
    roster = tmp_path / "staff.csv"
    roster.write_text("user_id,name,roles\n" + "".join(f"staff-{n},Staff {n},biller\n" for n in range(1, 5001)))
    subprocess.run(
        portal.command("staff", "import", str(roster), "--store", portal.store_url),
        env=portal.env,
        check=True,
        capture_output=True,
    )
    supervisor = portal.token("sue", "supervisor")
    learner = portal.token("lee", "receptionist")
    attempts: list = []
    reviews: list = []

    def submit_attempt(number):
        return portal.request(
            "POST",
            "/api/quizzes/receptionist/attempts",
            token=learner,
            body={"answers": {}},
            headers={"Idempotency-Key": f"durability-{number}"},
        )

    def assign_review(number):
        return portal.request(
            "POST",
            "/api/reviews",
            token=supervisor,
            body={"release_id": "hcpcs-2027-q1", "assignees": [f"staff-{number}"]},
        )

    # A publish big enough to be mid-way when it is killed: many new glossary terms.
    changed = tmp_path / "changed-content"
    subprocess.run(["cp", "-r", str(portal.content), str(changed)], check=True)
    glossary = yaml.safe_load((changed / "glossary.yaml").read_text())
    glossary["terms"] += [
        {"term": f"Durability term {n}", "definition": f"A term written only to load the store ({n})."}
        for n in range(EXTRA_TERMS)
    ]
    (changed / "glossary.yaml").write_text(yaml.safe_dump(glossary))
    original_terms = [
        t["term"].lower() for t in yaml.safe_load((portal.content / "glossary.yaml").read_text())["terms"]
    ]

    stop = threading.Event()
    writers = [
        threading.Thread(target=_write_until, args=(stop, portal, attempts, submit_attempt)),
        threading.Thread(target=_write_until, args=(stop, portal, reviews, assign_review)),
    ]
    for writer in writers:
        writer.start()
    publisher = subprocess.Popen(
        portal.command("publish", "--content", str(changed), "--store", portal.store_url),
        env=portal.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    store_path = tmp_path / "data" / "codedesk.db"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _publish_under_way(store_path):
        time.sleep(0.02)
    assert _publish_under_way(store_path), "the publish finished or never started before the kill"
    portal.process.send_signal(signal.SIGKILL)
    publisher.send_signal(signal.SIGKILL)
    stop.set()
    for writer in writers:
        writer.join(timeout=30)
    portal.process.wait(timeout=30)
    publisher.wait(timeout=30)
    assert len(attempts) >= 3 and len(reviews) >= 3, (len(attempts), len(reviews))

    with sqlite3.connect(store_path) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    portal.start()  # the restart publishes content/ again (the original), so the previous version stays
    view = LivePointer(SqliteTable(store_path), max_age=0).view()
    seen = [view.get(f"GLOSSARY#durability term {n}", "TERM") is not None for n in range(0, EXTRA_TERMS, 500)]
    assert not any(seen), "terms of the killed publish are visible"
    assert all(view.get(f"GLOSSARY#{term}", "TERM") for term in original_terms), "the previous content is not whole"

    for attempt in attempts:
        status, body, _ = portal.request("GET", f"/api/attempts/{attempt['attempt_id']}", token=learner)
        assert status == 200 and body["attempt_id"] == attempt["attempt_id"]
    for assigned in reviews:
        item = assigned["items"][0]
        status, body, _ = portal.request("GET", f"/api/reviews?assignee={item['assignee']}", token=supervisor)
        assert status == 200 and [r["review_id"] for r in body["items"]] == [item["review_id"]]

    # Publishing the changed content now completes, and every new term appears at once.
    finished = subprocess.run(
        portal.command("publish", "--content", str(changed), "--store", portal.store_url),
        env=portal.env,
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stderr
    view = LivePointer(SqliteTable(store_path), max_age=0).view()
    assert all(view.get(f"GLOSSARY#durability term {n}", "TERM") for n in range(0, EXTRA_TERMS, 500))
    assert portal.stop() == 0


def _publish_under_way(store_path) -> bool:
    """A publish has reserved its version but not yet gone live, and has written part of its items."""
    try:
        with sqlite3.connect(f"file:{store_path}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute("SELECT body FROM items WHERE pk = 'META' AND sk = 'CONTENT'").fetchone()
            if not row:
                return False
            pointer = json.loads(row[0])
            if pointer.get("next_version", 0) <= pointer.get("version", 0):
                return False
            written = conn.execute("SELECT count(*) FROM items WHERE pk LIKE 'GLOSSARY#durability term%'").fetchone()
            return written[0] > 100
    except sqlite3.Error:
        return False
