"""The release calendar generated from content/calendar: dates a supervisor plans the year around."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from codedesk.catalog import load_content
from codedesk.reviews.calendar import ReleaseCalendar, YearOutOfRange, next_business_day
from codedesk.reviews.models import ReleaseCodeSet, ReleaseRules, ReviewPolicy
from codedesk.template import REPOSITORY

CALENDAR_FILES = REPOSITORY / "content" / "calendar"


def calendar_from(root: Path) -> tuple[ReleaseCalendar | None, list[str]]:
    bundle, problems = load_content(root)
    mine = [str(p) for p in problems if p.path.startswith("calendar/")]
    if mine:
        return None, mine
    return ReleaseCalendar(bundle.one(ReleaseRules), bundle.one(ReviewPolicy)), []


@pytest.fixture
def calendar(release_calendar) -> ReleaseCalendar:
    return release_calendar


def by_id(calendar: ReleaseCalendar, year: int) -> dict:
    return {release.release_id: release for release in calendar.releases(year)}


def test_2027_has_the_releases_a_supervisor_plans_around(calendar):
    releases = by_id(calendar, 2027)

    assert releases["icd10cm-2027-10"].effective_on == date(2027, 10, 1)
    assert releases["icd10cm-2027-10"].code_set is ReleaseCodeSet.ICD10CM
    assert releases["cpt-2027-01"].effective_on == date(2027, 1, 1)
    hcpcs = [r for r in releases.values() if r.code_set is ReleaseCodeSet.HCPCS]
    assert [(r.release_id, r.effective_on) for r in hcpcs] == [
        ("hcpcs-2027-q1", date(2027, 1, 1)),
        ("hcpcs-2027-q2", date(2027, 4, 1)),
        ("hcpcs-2027-q3", date(2027, 7, 1)),
        ("hcpcs-2027-q4", date(2027, 10, 1)),
    ]
    assert releases["hcpcs-2027-q1"].title == "HCPCS Level II quarterly update, 2027 Q1"


def test_every_review_is_due_in_the_week_after_on_a_business_day(calendar):
    for year in (2026, 2027, 2028):
        for release in calendar.releases(year):
            week_after = release.effective_on + timedelta(days=7)
            assert week_after <= release.review_due_on <= week_after + timedelta(days=4), release
            assert release.review_due_on.weekday() < 5, release


def test_a_due_date_on_a_weekend_then_a_federal_holiday_moves_to_the_next_business_day(calendar):
    # October 1, 2028 is a Sunday: a week later is Sunday October 8, and Monday the 9th is Columbus Day.
    assert by_id(calendar, 2028)["icd10cm-2028-10"].review_due_on == date(2028, 10, 10)
    # January 1, 2028 is a Saturday: a week later is Saturday the 8th.
    assert by_id(calendar, 2028)["hcpcs-2028-q1"].review_due_on == date(2028, 1, 10)
    # An ordinary Thursday stays put.
    assert by_id(calendar, 2027)["hcpcs-2027-q2"].review_due_on == date(2027, 4, 8)


def test_observed_federal_holidays_are_not_business_days():
    assert next_business_day(date(2027, 7, 5)) == date(2027, 7, 6)  # July 4 observed on Monday
    assert next_business_day(date(2027, 11, 25)) == date(2027, 11, 26)  # Thanksgiving
    assert next_business_day(date(2027, 12, 24)) == date(2027, 12, 27)  # Christmas observed, then weekend


def test_category_iii_codes_take_effect_six_months_after_publication(calendar):
    releases = by_id(calendar, 2027)
    july = releases["cpt-cat3-2027-07"]
    january = releases["cpt-cat3-2027-01"]
    assert (july.published_on, july.effective_on) == (date(2027, 1, 1), date(2027, 7, 1))
    assert (january.published_on, january.effective_on) == (date(2026, 7, 1), date(2027, 1, 1))


def test_every_release_carries_its_source_and_uncertain_ones_are_marked(calendar):
    releases = calendar.releases(2027)
    assert all(r.source.startswith(("CDC", "CMS", "AMA", "X12")) for r in releases)
    carc = [r for r in releases if r.code_set is ReleaseCodeSet.CARC_RARC]
    assert carc and all(r.verify for r in carc)
    april_icd = by_id(calendar, 2027)["icd10cm-2027-04"]
    assert april_icd.conditional and not april_icd.verify


def test_release_ids_are_unique_and_the_same_every_time(calendar):
    first = [r.release_id for year in range(2026, 2031) for r in calendar.releases(year)]
    again = [r.release_id for year in range(2026, 2031) for r in calendar.releases(year)]
    assert first == again
    assert len(set(first)) == len(first)


def test_review_links_point_at_the_code_lookup_changes_page_where_one_exists(calendar):
    releases = by_id(calendar, 2027)
    assert releases["hcpcs-2027-q1"].changes_url == "/codes/releases/hcpcs-2027-01-01/"
    assert releases["icd10cm-2027-10"].changes_url == "/codes/releases/icd10cm-2027-10-01/"
    assert releases["ncci-ptp-2027-q1"].changes_url is None


def test_attendees_come_from_the_review_policy(calendar):
    releases = by_id(calendar, 2027)
    assert "biller" in releases["hcpcs-2027-q1"].attendees
    assert releases["carc-rarc-2027-07"].attendees == ["biller", "supervisor"]


def test_release_lookup_by_id(calendar):
    assert calendar.release("hcpcs-2027-q1").effective_on == date(2027, 1, 1)
    assert calendar.release("hcpcs-2027-q5") is None
    assert calendar.release("nonsense") is None
    assert calendar.release("hcpcs-9999-q1") is None


def test_a_year_out_of_range_is_refused_with_a_reason(calendar):
    with pytest.raises(YearOutOfRange, match="between 2000 and 2100"):
        calendar.releases(1999)


def write_calendar(root: Path, releases: str, policy: str | None = None) -> None:
    (root / "calendar").mkdir(parents=True)
    (root / "calendar" / "releases.yaml").write_text(releases)
    (root / "calendar" / "review_policy.yaml").write_text(policy or (CALENDAR_FILES / "review_policy.yaml").read_text())


RULE = """rules:
  - id_prefix: hcpcs
    code_set: HCPCS
    name: HCPCS Level II quarterly update
    effective_months: {months}
    id_style: quarter
    source: "CMS"
    reviewed_on: 2026-11-23
"""


def test_an_editor_sees_where_a_rule_is_wrong(tmp_path):
    write_calendar(tmp_path, RULE.format(months="[1, 3]"))
    _, problems = calendar_from(tmp_path)
    assert problems == [
        "calendar/releases.yaml:2: rules[0]: Value error, id_style 'quarter' needs effective months among "
        "[1, 4, 7, 10], got [1, 3]; use id_style 'month'"
    ]


def test_two_rules_that_would_make_the_same_release_id_are_refused(tmp_path):
    write_calendar(tmp_path, RULE.format(months="[1, 4]") + RULE.format(months="[4]").removeprefix("rules:\n"))
    _, problems = calendar_from(tmp_path)
    assert len(problems) == 1 and "both make release ids 'hcpcs-<year>-…' for month 4" in problems[0]


def test_a_code_set_without_attendees_is_reported(tmp_path):
    policy = (CALENDAR_FILES / "review_policy.yaml").read_text().replace("  HCPCS: [coder, biller, supervisor]\n", "")
    write_calendar(tmp_path, RULE.format(months="[1]"), policy)
    _, problems = calendar_from(tmp_path)
    assert problems == [
        "calendar/review_policy.yaml:1: attendees: no attendees for HCPCS (released in calendar/releases.yaml)"
    ]


@pytest.mark.parametrize("release_id", ["hcpcs-2027-q1", "icd10cm-2027-10", "cpt-2027-01"])
def test_the_changes_link_is_the_page_the_code_lookup_writes_for_that_release(calendar, release_id):
    from codedesk.codes.models import ReleaseChanges
    from codedesk.codes.pages import release_pages

    release = calendar.release(release_id)
    changes = ReleaseChanges(system=release.code_set.value, release=release.effective_on.isoformat(),
                             previous_release=None, effective_on=release.effective_on)  # fmt: skip
    written = set(release_pages([changes]))
    assert release.changes_url.strip("/") + ".md" in written
