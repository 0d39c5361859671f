"""The local portal: signing in by name records the person; `codedesk staff` manages the directory."""

from __future__ import annotations

import subprocess


def sign_in(portal, **body):
    status, answer, _ = portal.request("POST", "/api/dev/session", body=body)
    assert status == 200, answer
    return answer["token"]


def test_signing_in_by_name_puts_the_person_in_their_teams_directory(portal):
    sign_in(portal, user="mlopez17", name="María López", groups=["biller"], team="north17")
    sign_in(portal, user="doneil17", name="Dara O'Neil", groups=["receptionist"], team="north17")
    sign_in(portal, user="tkim17", name="Tae Kim", groups=["biller"], team="south17")
    north = sign_in(portal, user="sam17", name="Sam Super", groups=["supervisor"], team="north17")

    status, body, _ = portal.request("GET", "/api/staff", token=north)
    assert status == 200
    assert [(p["user_id"], p["name"], p["roles"]) for p in body["items"]] == [
        ("doneil17", "Dara O'Neil", ["receptionist"]),
        ("mlopez17", "María López", ["biller"]),
        ("sam17", "Sam Super", ["supervisor"]),
    ]
    status, _, _ = portal.request("GET", "/api/staff/tkim17", token=north)
    assert status == 404


def test_a_sign_in_with_a_bad_team_or_name_is_refused_in_words(portal):
    status, body, _ = portal.request(
        "POST", "/api/dev/session", body={"user": "x", "name": "X", "groups": ["biller"], "team": "North Clinic"}
    )
    assert status == 422 and "team id" in body["error"]["message"]
    status, body, _ = portal.request("POST", "/api/dev/session", body={"user": "x", "name": "  ", "groups": ["biller"]})
    assert status == 422 and "name" in body["error"]["message"]


def run(portal, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        portal.command("staff", *args, "--store", portal.store_url), env=portal.env, capture_output=True, text=True
    )


def test_staff_add_list_and_import_from_the_command_line(portal, tmp_path):
    added = run(portal, "add", "jdoe17", "--name", "Jo D'Arcy", "--roles", "coder,biller", "--team", "cli17")
    assert added.returncode == 0, added.stderr
    sheet = tmp_path / "staff.csv"
    sheet.write_text("user_id,name,roles,active\nzoe17,Zoë Ñúñez,receptionist,true\nold17,Old Timer,biller,false\n")
    imported = run(portal, "import", str(sheet), "--team", "cli17")
    assert imported.returncode == 0 and "imported 2 people" in imported.stdout

    listed = run(portal, "list", "--team", "cli17")
    assert listed.returncode == 0
    assert "Jo D'Arcy" in listed.stdout and "Zoë Ñúñez" in listed.stdout and "3 people" in listed.stdout

    bad = tmp_path / "bad.csv"
    bad.write_text("user_id,name,roles\nok17,Ok,biller\nbad17,Bad,wizard\n")
    refused = run(portal, "import", str(bad), "--team", "cli17")
    assert refused.returncode == 1
    assert f"{bad}:3: roles.0:" in refused.stderr and "nothing was written" in refused.stderr
    assert "ok17" not in run(portal, "list", "--team", "cli17").stdout
