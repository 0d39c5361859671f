"""A new member of staff on day one: choose a role on the home page, follow the guide, tick the checklist,
find things with search, and read a term's meaning by pointing at it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_a_receptionist_follows_her_guide_and_her_checklist_is_kept_with_her_account(visit):
    page = visit.page
    visit.open("/guides/receptionist/")
    page.wait_for_selector(".cd-checklist-note:has-text('Sign in')")
    assert page.locator(".cd-checklist input").first.is_disabled()  # nothing kept in a shared browser
    visit.sign_in("hb-rita", "receptionist", name="Rita Ó Sé")
    visit.open("/")
    page.get_by_role("link", name="I am a front desk / receptionist").click()
    page.wait_for_url("**/guides/receptionist/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Front desk / receptionist")
    your_pages = page.locator("h2#your-pages + ul")
    assert your_pages.get_by_role("link", name="Front desk essentials").is_visible()  # her quiz
    assert your_pages.get_by_role("link", name="Payer sheets").is_visible()
    assert your_pages.get_by_role("link", name="Assign and track reviews").count() == 0  # a supervisor's page

    page.wait_for_selector(".cd-checklist-note:has-text('0 of 9 done.')")
    privacy = page.get_by_label("Learn where the practice's privacy notice is kept", exact=False)
    eligibility = page.get_by_label("Verify eligibility for every scheduled patient", exact=False)
    copay = page.get_by_label("Collect the copay at check-in", exact=False)
    privacy.check()
    eligibility.focus()
    page.keyboard.press("Space")  # a keyboard user ticks the same way
    page.wait_for_selector(".cd-checklist-note:has-text('2 of 9 done.')")
    visit.screenshot("ticked")
    page.reload()
    page.wait_for_selector(".cd-checklist-note:has-text('2 of 9 done.')")
    assert privacy.is_checked() and eligibility.is_checked() and not copay.is_checked()
    quiz_item = page.get_by_label("Take the receptionist quiz and reach the pass mark", exact=False)
    assert quiz_item.is_disabled() and not quiz_item.is_checked()  # passing the quiz ticks it

    privacy.uncheck()
    page.wait_for_selector(".cd-checklist-note:has-text('1 of 9 done.')")
    page.reload()
    page.wait_for_selector(".cd-checklist-note:has-text('1 of 9 done.')")
    assert not privacy.is_checked() and eligibility.is_checked()

    # Someone else at the same desk has their own checklist.
    visit.sign_in("hb-dara", "receptionist")
    visit.open("/guides/receptionist/")
    page.wait_for_selector(".cd-checklist-note:has-text('0 of 9 done.')")
    visit.sign_in("hb-rita", "receptionist")
    visit.open("/guides/receptionist/")

    page.locator("h2#your-pages + ul").get_by_role("link", name="Front desk essentials").click()
    page.wait_for_url("**/quizzes/take/?quiz=receptionist")


def test_each_role_is_one_click_from_the_pages_it_needs(visit):
    page = visit.page
    visit.sign_in("sam", "supervisor")
    visit.open("/")
    page.get_by_role("link", name="I am a revenue-cycle manager / supervisor").click()
    page.wait_for_url("**/guides/supervisor/")
    page.locator("h2#your-pages + ul").get_by_role("link", name="Assign and track reviews").click()
    page.wait_for_url("**/calendar/assign-reviews/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Assign and track reviews")
    visit.screenshot("assign-reviews")


def test_search_finds_the_guide_that_explains_eligibility(visit):
    page = visit.page
    visit.open("/")
    page.keyboard.press("/")  # Material's shortcut: focus the search box
    page.keyboard.type("eligibility")
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    assert any("Front desk / receptionist" in text for text in results.all_inner_texts())
    visit.screenshot("search")
    page.locator(".md-search-result__link", has_text="Front desk / receptionist").first.click()
    page.wait_for_url("**/guides/receptionist/**")


# A guide, and pages of three other domains: the definitions are appended to every page of the site.
@pytest.mark.parametrize(
    "path", ["/guides/biller/", "/payers/medicare-part-b-novitas/", "/denials/carc/16/", "/quizzes/"]
)
def test_pointing_at_a_glossary_term_shows_its_definition(visit, path):
    page = visit.page
    visit.open(path)
    term = page.locator("article abbr[title]").first
    definition = term.get_attribute("title")
    term.scroll_into_view_if_needed()
    term.hover()
    tooltip = page.get_by_role("tooltip")
    tooltip.wait_for()
    assert definition and definition[:40] in tooltip.inner_text()
