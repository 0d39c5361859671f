"""`codedesk calendar`: an editor checks a year's dates before publishing a rule change."""

from __future__ import annotations

from icalendar import Calendar

from codedesk.cli import main


def test_the_year_is_listed_and_written_as_a_calendar_file(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    target = tmp_path / "2027.ics"
    assert main(["calendar", "2027", "--ics", str(target)]) == 0
    printed = capsys.readouterr().out
    assert "hcpcs-2027-q1" in printed and "Fri 2027-01-08" in printed
    assert "CARC and RARC code-list update, March 2027  (date to verify)" in printed
    uids = {str(e["UID"]) for e in Calendar.from_ical(target.read_bytes()).walk("VEVENT")}
    assert "icd10cm-2027-10.review@codedesk" in uids


def test_a_broken_rule_is_reported_with_its_line(tmp_path, capsys):
    (tmp_path / "calendar").mkdir()
    (tmp_path / "calendar" / "releases.yaml").write_text("rules:\n  - id_prefix: Bad Prefix\n")
    (tmp_path / "calendar" / "review_policy.yaml").write_text("review_within_days: 7\n")
    assert main(["calendar", "2027", "--content", str(tmp_path)]) == 1
    errors = capsys.readouterr().err
    assert "calendar/releases.yaml:2: rules[0].id_prefix:" in errors
    assert "calendar/review_policy.yaml:1: duration_minutes: required field is missing" in errors


def test_a_year_out_of_range_is_refused(capsys):
    assert main(["calendar", "1999"]) == 2
    assert "between 2000 and 2100" in capsys.readouterr().err
