"""Site pages for codes: the curated lists (from content/) and one page per release listing what it
changed (from the store, where `codedesk import` records it).

`site_pages(bundle)` is a page maker like every domain's. Release pages need the store, because
imported code sets are not part of content/: `release_pages_from_store(table, ...)` reads every
recorded release's changes and `release_pages(changes, ...)` renders them, the changes to the code
families the clinic uses first, plus a page for every release the calendar names that is not loaded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from codedesk.codes.curated import CuratedCodeFile
from codedesk.codes.items import CODE_SETS, SUMMARY_SK, changes_from_items, set_pk
from codedesk.codes.models import CodeSystem, ReleaseChanges
from codedesk.content.bundle import ContentBundle
from codedesk.content.publish import live_version
from codedesk.content.view import visible_data
from codedesk.store.port import Table, sk_begins_with

_SYSTEM_NAMES = {
    CodeSystem.ICD10CM: "ICD-10-CM diagnosis codes",
    CodeSystem.HCPCS: "HCPCS Level II codes",
    CodeSystem.CPT: "CPT codes (our own words)",
    CodeSystem.MODIFIER: "Modifiers",
    CodeSystem.POS: "Place-of-service codes",
}


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def site_pages(bundle: ContentBundle) -> dict[str, str]:
    pages = {}
    lists = sorted(bundle.of(CuratedCodeFile), key=lambda pair: list(CodeSystem).index(pair[1].system))
    for _, curated in lists:
        pages[f"codes/{curated.system.lower()}.md"] = _list_page(curated)
    index = [
        "# Codes",
        "",
        "Look any code up on the [code lookup](lookup.md) page, or find it the way coders are taught, "
        "in the ICD-10-CM [Index and tables](icd10cm-index.md). The pages below list the codes "
        "a clinic meets every day, with where each list comes from.",
        "",
    ]
    index += [f"- [{_SYSTEM_NAMES[c.system]}]({c.system.lower()}.md): {len(c.codes)} codes" for _, c in lists]
    pages["codes/index.md"] = "\n".join(index) + "\n"
    pages["codes/lookup.md"] = LOOKUP_PAGE
    pages["codes/icd10cm-index.md"] = INDEX_PAGE
    return pages


# The interactive lookup: site/docs/js/lookup.js fills it through the API (sign in first).
LOOKUP_PAGE = """# Code lookup

Type a code (`E11.9`, `e119`), the start of one (`E11.6`) or words (`diabetes foot ulcer`, `diab neuro`,
`HTN`, `sore throat`). Choose a result to see its notes, whether it is billable and whether it was valid
on a date of service. Sign in first (Tools → Who am I?).

<p id="cd-lookup-currency" class="cd-warn" role="status" hidden></p>
<form id="cd-lookup" class="cd-form" role="search">
  <p><label for="cd-lookup-q">Code or words</label>
     <input id="cd-lookup-q" type="search" autocomplete="off" spellcheck="false" maxlength="200"></p>
  <p><label for="cd-lookup-system">Code set</label>
     <select id="cd-lookup-system">
       <option value="">All</option><option value="ICD10CM">ICD-10-CM</option><option value="HCPCS">HCPCS</option>
       <option value="CPT">CPT</option><option value="MODIFIER">Modifiers</option>
       <option value="POS">Place of service</option>
     </select>
     <label><input id="cd-lookup-billable" type="checkbox"> billable only</label>
     <label for="cd-lookup-as-of">Date of service</label> <input id="cd-lookup-as-of" type="date"></p>
</form>
<p id="cd-lookup-error" hidden></p>
<ol id="cd-lookup-results" aria-live="polite"></ol>
<section id="cd-lookup-detail" aria-live="polite"></section>

<script type="module" src="../../js/lookup.js"></script>
"""


# The ICD-10-CM index and tables: site/docs/js/code-index.js fills it through the API.
INDEX_PAGE = """# ICD-10-CM Index and tables

Find a code the way coders are taught: the main term, then its subterms (`Neoplasm` table: `lung,
bronchus`; `Drugs`: `aspirin`; `External causes`: `fall, ladder`), then confirm the code in the
[code lookup](lookup.md). Each code says whether the loaded ICD-10-CM release holds it as a billable
code or a header to choose below. The tables are the CDC's (public domain), loaded with
`codedesk import icd10cm-index`. Sign in first (Tools → Who am I?).

<form id="cd-index" class="cd-form" role="search">
  <p><label for="cd-index-table">Index or table</label>
     <select id="cd-index-table">
       <option value="neoplasms">Table of Neoplasms</option>
       <option value="drugs">Table of Drugs and Chemicals</option>
       <option value="external">External Cause Index</option>
       <option value="index">Alphabetic Index</option>
     </select>
     <label for="cd-index-q">Main term, subterms</label>
     <input id="cd-index-q" type="search" autocomplete="off" spellcheck="false" maxlength="100"></p>
</form>
<p id="cd-index-error" hidden></p>
<section id="cd-index-results" aria-live="polite"></section>

<script type="module" src="../../js/code-index.js"></script>
"""


def _list_page(curated: CuratedCodeFile) -> str:
    lines = [f"# {_SYSTEM_NAMES[curated.system]}", ""]
    if curated.system == CodeSystem.CPT or any(entry.descriptor == "our_words" for entry in curated.codes):
        lines += [
            '!!! note "Our words, not the AMA\'s"',
            "    CPT and Level I modifier titles below are Codedesk's own plain-words summaries, not AMA "
            "descriptors. Use your licensed CPT book or file for the official text.",
            "",
        ]
    if curated.verify:
        lines += [
            '!!! warning "Waiting for a check"',
            "    This list has not yet been compared with the current official file; treat it as a guide.",
            "",
        ]
    lines += [f"Source: {curated.source}. Reviewed on {curated.reviewed_on.isoformat()}.", ""]
    dated = any(entry.effective_from or entry.effective_to for entry in curated.codes)
    lines += (
        ["| Code | Title | Valid | Notes |", "|---|---|---|---|"]
        if dated
        else ["| Code | Title | Notes |", "|---|---|---|"]
    )
    for entry in curated.codes:
        notes = " ".join(filter(None, (entry.explanation, entry.history()))) or (entry.group or "")
        if entry.verify:
            notes = f"**to verify** {notes}"
        valid = [f"| {_valid(entry.effective_from, entry.effective_to)} "] if dated else []
        lines.append(f"| {entry.code} | {_cell(entry.title)} {''.join(valid)}| {_cell(notes)} |")
    return "\n".join(lines) + "\n"


def _valid(effective_from, effective_to) -> str:
    """ "from 2021-01-01", or "**deleted** 2019-01-01 to 2024-12-31" once the code has an end date."""
    if effective_from is None and effective_to is None:
        return ""
    start = effective_from.isoformat() if effective_from else "?"
    if effective_to is None:
        return f"from {start}"
    return f"**deleted**: {start} to {effective_to.isoformat()}"


@dataclass(frozen=True)
class NamedRelease:
    """A release the release calendar names (the entry points hand them in): it gets a page even
    before it is loaded, so that every "what changed" link answers."""

    system: CodeSystem
    effective_on: date
    title: str


# The content that shows which codes the clinic uses: its curated lists, payer rules and quizzes.
CLINIC_CONTENT = ("code_lists", "payers", "quiz_questions", "quizzes")
_ICD10CM_IN_TEXT = re.compile(r"\b([A-Z][0-9][0-9A-Z])(?:\.[0-9A-Z]{1,4})?\b")
_HCPCS_IN_TEXT = re.compile(r"\b([A-V][0-9]{2})[0-9]{2}\b")
# How a release not loaded yet is loaded, per code system.
_HOW_TO_LOAD = {
    CodeSystem.ICD10CM: "the CDC's tabular XML of this release: `codedesk import icd10cm FILE`",
    CodeSystem.HCPCS: "the CMS alpha-numeric HCPCS file of this quarter: `codedesk import hcpcs FILE --release {on}`",
    CodeSystem.CPT: "your licensed CPT file of this release: `codedesk import cpt FILE --release {on}`",
}


def family(code: str) -> str:
    """A code's family: its first three characters (the ICD-10-CM category, a HCPCS code's range)."""
    return code.replace(".", "")[:3]


Families = Counter[tuple[CodeSystem, str]]
"""How often each (code system, family) is named in the clinic's content."""


def clinic_families(bundle: ContentBundle) -> Families:
    """How often each code family appears in the clinic's content: the families a review starts with."""
    found: Families = Counter()
    for kind in CLINIC_CONTENT:
        for _, document in bundle.documents.get(kind, []):
            text = document.model_dump_json()
            found.update((CodeSystem.ICD10CM, match[1]) for match in _ICD10CM_IN_TEXT.finditer(text))
            found.update((CodeSystem.HCPCS, match[1]) for match in _HCPCS_IN_TEXT.finditer(text))
    return found


def release_slug(system: CodeSystem | str, release: str) -> str:
    """The page the release calendar links as "what changed" (reviews/calendar.py: changes_url)."""
    return f"{str(system).lower()}-{release}"


def release_pages(
    all_changes: Iterable[ReleaseChanges],
    *,
    loaded: dict[CodeSystem, list[str]] | None = None,
    named: Iterable[NamedRelease] = (),
    families: Families | None = None,
) -> dict[str, str]:
    """A page per release with changes (and its printable summary), per release loaded without any to
    compare with, and per release the calendar names that is not loaded yet; and the index of them."""
    families = families or Counter()
    pages, rows = {}, []
    recorded = {(changes.system, changes.release): changes for changes in all_changes}
    for changes in recorded.values():
        slug = release_slug(changes.system, changes.release)
        pages[f"codes/releases/{slug}.md"] = _release_page(changes, families)
        pages[f"codes/releases/{slug}-summary.md"] = _summary_page(changes, families)
        counts = f"{len(changes.added)} added, {len(changes.deleted)} deleted, {len(changes.revised)} revised"
        rows.append((changes.system, changes.release, f"[{counts}]({slug}.md) · [one-page summary]({slug}-summary.md)"))
    for system, releases in (loaded or {}).items():
        for release in releases:
            if (system, release) not in recorded:
                pages[f"codes/releases/{release_slug(system, release)}.md"] = _first_release_page(system, release)
                rows.append((system, release, f"[first release loaded]({release_slug(system, release)}.md)"))
    loaded_sets = {(system, release) for system, releases in (loaded or {}).items() for release in releases}
    for named_release in named:
        key_ = (named_release.system, named_release.effective_on.isoformat())
        if key_ in recorded or key_ in loaded_sets:
            continue
        slug = release_slug(*key_)
        if f"codes/releases/{slug}.md" not in pages:
            pages[f"codes/releases/{slug}.md"] = _not_loaded_page(named_release, (loaded or {}).get(key_[0], []))
            rows.append((key_[0], key_[1], f"[not loaded yet]({slug}.md)"))
    if pages:
        lines = [
            "# What changed in each release",
            "",
            "Every release the calendar names, newest first; a release not loaded yet says how to load it.",
            "",
            "| Code set | Release | Changes |",
            "|---|---|---|",
        ]
        lines += [f"| {system} | {release} | {link} |" for system, release, link in sorted(rows, reverse=True)]
        pages["codes/releases/index.md"] = "\n".join(lines) + "\n"
    return pages


def _by_family(changes: ReleaseChanges, families: Families) -> list[tuple[str, list[str]]]:
    """The clinic's families this release touches, most used first, each with its changes as lines."""
    touched: dict[str, list[str]] = {}
    for ref in changes.added:
        touched.setdefault(family(ref.code), []).append(f"- added **{ref.code}** {ref.title}")
    for ref in changes.deleted:
        touched.setdefault(family(ref.code), []).append(f"- deleted **{ref.code}** {ref.title}")
    for revision in changes.revised:
        touched.setdefault(family(revision.code), []).append(
            f"- retitled **{revision.code}**: {revision.old_title} → {revision.new_title}"
        )
    uses = {name: families[(changes.system, name)] for name in touched}
    ours = [name for name in touched if uses[name]]
    return [(name, touched[name]) for name in sorted(ours, key=lambda name: (-uses[name], name))]


def _release_page(changes: ReleaseChanges, families: Families) -> str:
    slug = release_slug(changes.system, changes.release)
    ours = _by_family(changes, families)
    lines = [
        f"# {changes.system} release {changes.release}",
        "",
        f"Effective {changes.effective_on.isoformat()}; compared with release {changes.previous_release}. "
        f"[One-page summary to print]({slug}-summary.md).",
        "",
        f"## The clinic's code families ({len(ours)})",
        "",
        "The families that appear in our code lists, payer rules and quizzes, most used first: start the review here.",
        "",
    ]
    for name, entries in ours:
        lines += [f"### {name} (named {families[(changes.system, name)]} times in our content)", "", *entries, ""]
    if not ours:
        lines += ["This release changes none of them.", ""]
    lines += [f"## Added ({len(changes.added)})", ""]
    lines += [f"- **{c.code}** {c.title}" for c in changes.added] or ["None."]
    lines += [
        "",
        f"## Deleted ({len(changes.deleted)})",
        "",
        "Deleted codes stay answerable in the lookup with their last valid date.",
        "",
    ]
    lines += [f"- **{c.code}** {c.title}" for c in changes.deleted] or ["None."]
    lines += ["", f"## Revised titles ({len(changes.revised)})", "", "| Code | Before | Now |", "|---|---|---|"]
    lines += [f"| {r.code} | {_cell(r.old_title)} | {_cell(r.new_title)} |" for r in changes.revised]
    return "\n".join(lines) + "\n"


SUMMARY_LINES = 25  # of the clinic's changes: what fits one printed page beside the counts


def _summary_page(changes: ReleaseChanges, families: Families) -> str:
    slug = release_slug(changes.system, changes.release)
    ours = _by_family(changes, families)
    entries = [entry for _, family_entries in ours for entry in family_entries]
    lines = [
        f"# {changes.system} {changes.release}: review summary",
        "",
        f"Effective {changes.effective_on.isoformat()}, compared with {changes.previous_release}. "
        "One page for the 30-minute team review; print it (Ctrl+P) or share the link.",
        "",
        "| Added | Deleted | Revised titles | Our families touched |",
        "|---|---|---|---|",
        f"| {len(changes.added)} | {len(changes.deleted)} | {len(changes.revised)} | {len(ours)} |",
        "",
        "## Our code families",
        "",
    ]
    lines += [f"- **{name}**: {len(family_entries)} change(s)" for name, family_entries in ours] or ["None touched."]
    lines += ["", "## Our changes to go through", ""]
    lines += entries[:SUMMARY_LINES] or ["None."]
    if len(entries) > SUMMARY_LINES:
        lines.append(f"- … and {len(entries) - SUMMARY_LINES} more on the [full page]({slug}.md).")
    lines += ["", "## Deleted codes (a claim using one for a later date of service is rejected)", ""]
    lines += [f"- **{c.code}** {c.title}" for c in changes.deleted[:SUMMARY_LINES]] or ["None."]
    if len(changes.deleted) > SUMMARY_LINES:
        lines.append(f"- … and {len(changes.deleted) - SUMMARY_LINES} more on the [full page]({slug}.md).")
    lines += ["", f"Everything else this release changed is on the [full page]({slug}.md)."]
    return "\n".join(lines) + "\n"


def _first_release_page(system: CodeSystem, release: str) -> str:
    return (
        f"# {system} release {release}\n\n"
        f"The first {system} release loaded: there is no earlier release to compare it with, so it lists "
        f"no changes. Dates of service before {release} are answered as unknown.\n"
    )


def _not_loaded_page(named: NamedRelease, loaded: list[str]) -> str:
    on = named.effective_on.isoformat()
    how = _HOW_TO_LOAD[named.system].format(on=on)
    have = (
        f"The {named.system} releases loaded are {', '.join(loaded)}."
        if loaded
        else f"No {named.system} release is loaded."
    )
    return (
        f"# {named.title}\n\n"
        f'!!! warning "Not loaded yet"\n'
        f"    This release takes effect {on}, and Codedesk has not loaded it, so its changes are not listed here "
        f"and the code lookup does not know them. {have}\n\n"
        f"To load it, an administrator imports {how}; the page then lists what it added, deleted and retitled.\n"
    )


def release_pages_from_store(
    table: Table, *, named: Iterable[NamedRelease] = (), families: Families | None = None
) -> dict[str, str]:
    """The release pages of every code set imported into `table` (a get and a query per code set)."""
    version = live_version(table)
    found = []
    loaded: dict[CodeSystem, list[str]] = {}
    for origin, system in CODE_SETS:
        if origin != "file":
            continue
        summary = table.get(set_pk(origin, system), SUMMARY_SK)
        summary = visible_data(summary, version) if summary else None
        if summary is not None:
            loaded[system] = list(summary["releases"])
        by_release: dict[str, list] = {}
        cursor = None
        while True:
            page = table.query(set_pk(origin, system), sk=sk_begins_with("CHANGES#"), cursor=cursor)
            for item in page.items:
                data = visible_data(item, version)
                if data is not None and data["SK"].startswith("CHANGES#"):
                    by_release.setdefault(data["release"], []).append(data)
            cursor = page.cursor
            if cursor is None:
                break
        found += [changes_from_items(sorted(items, key=lambda i: i["SK"])) for items in by_release.values()]
    return release_pages(found, loaded=loaded, named=named, families=families)
