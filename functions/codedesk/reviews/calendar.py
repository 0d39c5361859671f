"""The release calendar: dated releases and review due dates for any year, from the rules in content.

Pure functions: same rules, policy and year in, same releases out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

from codedesk.reviews.models import (
    CODE_SETS_WITH_CHANGES_PAGE,
    QUARTER_MONTHS,
    CalendarRelease,
    ReleaseRule,
    ReleaseRules,
    ReviewPolicy,
)

FIRST_YEAR = 2000
LAST_YEAR = 2100
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class YearOutOfRange(ValueError):
    pass


@cache
def _us_federal_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("US", years=year)


def is_business_day(day: date) -> bool:
    """Monday to Friday and not a US federal holiday (observed dates count: a Saturday July 4 closes Friday)."""
    return day.weekday() < 5 and day not in _us_federal_holidays(day.year)


def next_business_day(day: date) -> date:
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def review_due_on(effective_on: date, policy: ReviewPolicy) -> date:
    return next_business_day(effective_on + timedelta(days=policy.review_within_days))


def release_id(rule: ReleaseRule, year: int, month: int) -> str:
    """Stable for ever: it is part of the iCalendar UIDs and of every review's key."""
    if rule.id_style == "quarter":
        return f"{rule.id_prefix}-{year}-q{QUARTER_MONTHS.index(month) + 1}"
    return f"{rule.id_prefix}-{year}-{month:02d}"


def release_title(rule: ReleaseRule, year: int, month: int) -> str:
    if rule.id_style == "quarter":
        return f"{rule.name}, {year} Q{QUARTER_MONTHS.index(month) + 1}"
    return f"{rule.name}, {MONTH_NAMES[month - 1]} {year}"


def changes_url(rule: ReleaseRule, effective_on: date) -> str | None:
    """The site page of the release's changes, which the code lookup writes once the release is
    imported (codes/pages.py: `codes/releases/<system>-<release>.md`, a release named by its
    effective date). Code sets without a code lookup get None."""
    if rule.code_set not in CODE_SETS_WITH_CHANGES_PAGE:
        return None
    return f"/codes/releases/{rule.code_set.value.lower()}-{effective_on.isoformat()}/"


def _months_back(year: int, month: int, months: int) -> date:
    index = year * 12 + (month - 1) - months
    return date(index // 12, index % 12 + 1, 1)


def _release(rule: ReleaseRule, policy: ReviewPolicy, year: int, month: int) -> CalendarRelease:
    effective_on = date(year, month, 1)
    published_on = _months_back(year, month, rule.published_months_before) if rule.published_months_before else None
    return CalendarRelease(
        release_id=release_id(rule, year, month),
        code_set=rule.code_set,
        title=release_title(rule, year, month),
        effective_on=effective_on,
        published_on=published_on,
        review_due_on=review_due_on(effective_on, policy),
        changes_url=changes_url(rule, effective_on),
        attendees=list(policy.attendees.get(rule.code_set, [])),
        conditional=rule.conditional,
        verify=rule.verify,
        note=rule.note,
        source=rule.source,
    )


def releases_for_year(rules: ReleaseRules, policy: ReviewPolicy, year: int) -> list[CalendarRelease]:
    """Every release taking effect in `year`, by effective date, then in the rules' order."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise YearOutOfRange(f"year must be between {FIRST_YEAR} and {LAST_YEAR}, got {year}")
    dated = [
        (month, order, _release(rule, policy, year, month))
        for order, rule in enumerate(rules.rules)
        for month in rule.effective_months
    ]
    return [release for _, _, release in sorted(dated, key=lambda entry: entry[:2])]


def year_of_release(release_id: str) -> int | None:
    """The year a release id names (`hcpcs-2027-q1` → 2027), or None when it names none."""
    parts = release_id.rsplit("-", 2)
    if len(parts) != 3 or not (parts[1].isdigit() and len(parts[1]) == 4):
        return None
    return int(parts[1])


@dataclass(frozen=True)
class ReleaseCalendar:
    """The release rules and the review policy together: what every calendar question needs."""

    rules: ReleaseRules
    policy: ReviewPolicy

    @property
    def revised_on(self) -> date:
        """When a person last revised the rules or the policy: the calendar's version for clients."""
        return max([rule.reviewed_on for rule in self.rules.rules] + [self.policy.reviewed_on])

    def releases(self, year: int) -> list[CalendarRelease]:
        return releases_for_year(self.rules, self.policy, year)

    def first_release_between(self, code_set: str, after: date, before: date) -> date | None:
        """The first day strictly between `after` and `before` on which a release of `code_set` may
        have taken effect (a conditional one counts: it may have been issued), or None."""
        for year in range(after.year, before.year + 1):
            for release in self.releases(year):
                if release.code_set == code_set and after < release.effective_on < before:
                    return release.effective_on
        return None

    def in_force(self, code_set: str, day: date) -> CalendarRelease | None:
        """The latest release of `code_set` certainly in force on `day` (conditional ones are not certain)."""
        for year in range(day.year, max(FIRST_YEAR, day.year - 2) - 1, -1):
            dated = [r for r in self.releases(year) if r.code_set == code_set and not r.conditional]
            found = [r for r in dated if r.effective_on <= day]
            if found:
                return found[-1]
        return None

    def release(self, release_id: str) -> CalendarRelease | None:
        year = year_of_release(release_id)
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            return None
        return next((r for r in self.releases(year) if r.release_id == release_id), None)
