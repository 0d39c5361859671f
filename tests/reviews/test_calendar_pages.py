"""The calendar on the site: year pages with quarter sections, static .ics files, the review pages."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar

from codedesk.catalog import load_content
from codedesk.reviews.pages import site_pages
from codedesk.template import REPOSITORY
from tests.reviews.calendar_site import build_calendar_site

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    bundle, _ = load_content(REPOSITORY / "content")
    return site_pages(bundle, today=TODAY)


def section(page: str, heading: str) -> str:
    after = page.split(f"## {heading}\n", 1)[1]
    return after.split("\n## ", 1)[0]


def test_a_page_per_year_from_this_year_with_its_calendar_file(pages):
    for year in (2026, 2027, 2028):
        assert f"calendar/{year}.md" in pages
        assert f"calendar/codedesk-releases-{year}.ics" in pages
    assert "calendar/2029.md" not in pages
    index = pages["calendar/index.md"]
    assert "| [2027](2027.md) | [codedesk-releases-2027.ics](codedesk-releases-2027.ics) |" in index
    assert "30-minute review" in index


def test_the_2027_page_has_quarter_sections_with_dates_and_sources(pages):
    page = pages["calendar/2027.md"]
    assert page.startswith("# Code-set releases in 2027\n")
    q1 = section(page, "Q1: January to March")
    assert (
        "| Fri Jan 1, 2027 | HCPCS Level II quarterly update, 2027 Q1 | Fri Jan 8, 2027 | coder, biller, supervisor "
        "| [CMS](https://www.cms.gov/medicare/coding-billing/healthcare-common-procedure-system/quarterly-update) |"
    ) in q1
    assert "CARC and RARC code-list update, March 2027 (*date to verify*)" in q1
    q3 = section(page, "Q3: July to September")
    assert "CPT Category III codes, July 2027<br>published Fri Jan 1, 2027" in q3
    q4 = section(page, "Q4: October to December")
    assert "| Fri Oct 1, 2027 | ICD-10-CM annual release, October 2027 | Fri Oct 8, 2027 |" in q4
    assert "ICD-10-CM April update, April 2027 (*if issued*)" in section(page, "Q2: April to June")


def test_the_pages_offer_the_subscribe_link(pages):
    for name in ("calendar/index.md", "calendar/2027.md"):
        assert '<a class="md-button cd-feed-link" href="/api/calendar.ics">Subscribe</a>' in pages[name]


def test_the_static_calendar_file_imports_and_does_not_change_between_builds(pages, release_calendar):
    parsed = Calendar.from_ical(pages["calendar/codedesk-releases-2027.ics"])
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    assert events["hcpcs-2027-q1.review@codedesk"].decoded("DTSTART") == date(2027, 1, 8)
    assert len(events) == 2 * len(release_calendar.releases(2027))
    bundle, _ = load_content(REPOSITORY / "content")
    assert site_pages(bundle, today=TODAY) == pages


def test_review_pages_and_their_script_are_shipped(pages):
    assert 'src="../reviews.js"' in pages["calendar/my-reviews.md"]
    assert 'id="cd-assign"' in pages["calendar/assign-reviews.md"]
    assert 'from "../js/api.js"' in pages["calendar/reviews.js"]


def test_mkdocs_builds_the_calendar_pages_strictly(pages, tmp_path):
    """Links between the generated pages and files resolve (MkDocs --strict fails on a broken one)."""
    site = build_calendar_site(pages, tmp_path)
    assert "Q1: January to March" in (site / "calendar" / "2027" / "index.html").read_text()
    assert (site / "calendar" / "codedesk-releases-2027.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    assert (site / "calendar" / "reviews.js").is_file()
