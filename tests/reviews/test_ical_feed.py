"""The .ics feed imports into calendar programs and re-imports without duplicating events.

Read back three ways: with the icalendar library that writes it, with vobject (an independent
parser, as a calendar program would bring its own), and with a strict RFC 5545 line reader written
here (content lines, folding, BEGIN/END nesting, required properties).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from codedesk.reviews.ical import calendar_feed

GENERATED_AT = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
SITE = "https://codedesk.example.org"


def feed(release_calendar, year: int = 2027, generated_at: datetime = GENERATED_AT) -> bytes:
    return calendar_feed(
        release_calendar.releases(year),
        release_calendar.policy,
        generated_at=generated_at,
        revised_on=release_calendar.revised_on,
        name=f"Code-set releases {year}",
        site_url=SITE,
    )


# ------------------------------------------------------------- an independent RFC 5545 reader

CONTENT_LINE = re.compile(r"^(?P<name>[A-Za-z0-9-]+)(?P<params>(;[A-Za-z0-9-]+=[^;:]*)*):(?P<value>.*)$")


def rfc5545_components(data: bytes) -> list[dict]:
    """Components as {"name", "props": [(name, params, value)], "children"}; asserts the syntax."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n"), "the last line must end with CRLF"
    physical = text[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in physical), "bare LF or CR in a line"
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, f"line longer than 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            assert logical, "a folded continuation cannot come first"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    root = {"name": "", "props": [], "children": []}
    stack = [root]
    for line in logical:
        match = CONTENT_LINE.match(line)
        assert match, f"not a content line: {line!r}"
        name, value = match["name"].upper(), match["value"]
        params = dict(p.split("=", 1) for p in match["params"].split(";")[1:])
        if name == "BEGIN":
            component = {"name": value.upper(), "props": [], "children": []}
            stack[-1]["children"].append(component)
            stack.append(component)
        elif name == "END":
            assert stack[-1]["name"] == value.upper(), f"END:{value} closes {stack[-1]['name']}"
            stack.pop()
        else:
            stack[-1]["props"].append((name, params, value))
    assert len(stack) == 1, "a component is never closed"
    return root["children"]


def prop(component: dict, name: str) -> tuple[dict, str]:
    found = [(params, value) for n, params, value in component["props"] if n == name]
    assert len(found) == 1, f"{component['name']} must have exactly one {name}, has {len(found)}"
    return found[0]


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


# ------------------------------------------------------------------------------------- tests


def test_an_independent_reader_finds_a_valid_calendar_with_two_all_day_events_per_release(release_calendar):
    components = rfc5545_components(feed(release_calendar))
    assert [c["name"] for c in components] == ["VCALENDAR"]
    vcalendar = components[0]
    assert prop(vcalendar, "VERSION")[1] == "2.0"
    assert prop(vcalendar, "PRODID")[1].startswith("-//Codedesk//")
    assert prop(vcalendar, "METHOD")[1] == "PUBLISH"
    events = vcalendar["children"]
    releases = release_calendar.releases(2027)
    assert len(events) == 2 * len(releases)
    for event in events:
        assert event["name"] == "VEVENT"
        assert prop(event, "DTSTAMP")[1] == "20261123T060000Z"
        assert prop(event, "LAST-MODIFIED")[1] == "20261206T000000Z"  # the rules' latest reviewed_on
        assert prop(event, "SEQUENCE")[1] == "339"  # days from 2026-01-01: grows with every revision
        start_params, start = prop(event, "DTSTART")
        end_params, end = prop(event, "DTEND")
        assert start_params == {"VALUE": "DATE"} and end_params == {"VALUE": "DATE"}
        first_day = datetime.strptime(start, "%Y%m%d").date()
        assert datetime.strptime(end, "%Y%m%d").date() == first_day + timedelta(days=1)
        assert prop(event, "UID")[1].endswith("@codedesk")


def test_the_hcpcs_q1_events_say_when_it_takes_effect_and_when_the_review_is_due(release_calendar):
    events = {prop(e, "UID")[1]: e for e in rfc5545_components(feed(release_calendar))[0]["children"]}
    effective = events["hcpcs-2027-q1.effective@codedesk"]
    review = events["hcpcs-2027-q1.review@codedesk"]
    assert prop(effective, "DTSTART")[1] == "20270101"
    assert unescape(prop(effective, "SUMMARY")[1]) == "Takes effect: HCPCS Level II quarterly update, 2027 Q1"
    assert prop(review, "DTSTART")[1] == "20270108"
    description = unescape(prop(review, "DESCRIPTION")[1])
    assert description.startswith("30-minute team review of HCPCS Level II quarterly update, 2027 Q1")
    assert "Who attends: coder, biller, supervisor." in description
    assert f"What changed: {SITE}/codes/releases/hcpcs-2027-01-01/" in description
    assert prop(review, "URL")[1] == f"{SITE}/codes/releases/hcpcs-2027-01-01/"


def test_uncertain_dates_are_marked_in_the_event_title(release_calendar):
    events = {prop(e, "UID")[1]: e for e in rfc5545_components(feed(release_calendar))[0]["children"]}
    assert unescape(prop(events["carc-rarc-2027-03.effective@codedesk"], "SUMMARY")[1]).endswith("(date to verify)")
    assert unescape(prop(events["icd10cm-2027-04.effective@codedesk"], "SUMMARY")[1]).endswith("(if issued)")


def test_the_icalendar_library_reads_it_back_with_the_same_dates(release_calendar):
    parsed = Calendar.from_ical(feed(release_calendar))
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    for release in release_calendar.releases(2027):
        assert events[f"{release.release_id}.effective@codedesk"].decoded("DTSTART") == release.effective_on
        assert events[f"{release.release_id}.review@codedesk"].decoded("DTSTART") == release.review_due_on
    assert isinstance(next(iter(events.values())).decoded("DTSTART"), date)


def test_vobject_an_independent_parser_reads_the_same_events(release_calendar):
    import vobject

    parsed = vobject.readOne(feed(release_calendar).decode("utf-8"))
    events = {event.uid.value: event for event in parsed.vevent_list}
    releases = release_calendar.releases(2027)
    assert len(events) == 2 * len(releases)
    for release in releases:
        assert events[f"{release.release_id}.effective@codedesk"].dtstart.value == release.effective_on
        assert events[f"{release.release_id}.review@codedesk"].dtstart.value == release.review_due_on


def test_uids_are_stable_across_generations_so_a_reimport_updates_instead_of_duplicating(release_calendar):
    def uids(data: bytes) -> list[str]:
        return [str(e["UID"]) for e in Calendar.from_ical(data).walk("VEVENT")]

    first = uids(feed(release_calendar, generated_at=GENERATED_AT))
    second = uids(feed(release_calendar, generated_at=GENERATED_AT + timedelta(days=30)))
    assert first == second
    assert len(set(first)) == len(first)
    # A release keeps its UID whichever feed it appears in.
    assert "hcpcs-2027-q1.review@codedesk" in first


def test_the_same_inputs_give_the_same_bytes(release_calendar):
    assert feed(release_calendar) == feed(release_calendar)


def test_a_naive_generation_time_is_refused(release_calendar):
    with pytest.raises(ValueError, match="timezone-aware"):
        feed(release_calendar, generated_at=datetime(2026, 11, 23))
