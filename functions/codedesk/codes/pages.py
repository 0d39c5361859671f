"""Site pages for codes: the curated lists (from content/) and one page per imported release listing
what it changed (from the store, where `codedesk import` records it).

`site_pages(bundle)` is a page maker like every domain's. Release pages need the store, because
imported code sets are not part of content/: `release_pages_from_store(table)` reads every recorded
release's changes and `release_pages(changes)` renders them.
"""

from __future__ import annotations

from collections.abc import Iterable

from codedesk.codes.curated import CuratedCodeFile
from codedesk.codes.items import CODE_SETS, changes_from_items
from codedesk.codes.models import CodeSystem, ReleaseChanges
from codedesk.content.bundle import ContentBundle
from codedesk.content.publish import live_version
from codedesk.content.view import visible_data
from codedesk.store.keys import Prefix, key
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


def release_pages(all_changes: Iterable[ReleaseChanges]) -> dict[str, str]:
    """One page per release: codes added, deleted and retitled, and a list page linking them."""
    pages, links = {}, []
    for changes in sorted(all_changes, key=lambda c: (c.system, c.release), reverse=True):
        slug = f"codes/releases/{changes.system.lower()}-{changes.release}.md"
        links.append(
            f"- [{changes.system} {changes.release}]({slug.removeprefix('codes/releases/')}): "
            f"{len(changes.added)} added, {len(changes.deleted)} deleted, {len(changes.revised)} revised"
        )
        pages[slug] = _release_page(changes)
    if pages:
        pages["codes/releases/index.md"] = "# What changed in each release\n\n" + "\n".join(links) + "\n"
    return pages


def _release_page(changes: ReleaseChanges) -> str:
    lines = [
        f"# {changes.system} release {changes.release}",
        "",
        f"Effective {changes.effective_on.isoformat()}; compared with release {changes.previous_release}.",
        "",
        f"## Added ({len(changes.added)})",
        "",
    ]
    lines += [f"- **{c.code}** {c.title}" for c in changes.added] or ["None."]
    lines += [
        "",
        f"## Deleted ({len(changes.deleted)})",
        "",
        "Deleted codes stay answerable in the lookup with their last valid date.",
    ]
    lines += [f"- **{c.code}** {c.title}" for c in changes.deleted] or ["None."]
    lines += ["", f"## Revised titles ({len(changes.revised)})", "", "| Code | Before | Now |", "|---|---|---|"]
    lines += [f"| {r.code} | {_cell(r.old_title)} | {_cell(r.new_title)} |" for r in changes.revised]
    return "\n".join(lines) + "\n"


def release_pages_from_store(table: Table) -> dict[str, str]:
    """The release pages of every code set imported into `table` (a query per code set)."""
    version = live_version(table)
    found = []
    for origin, system in CODE_SETS:
        if origin != "file":
            continue
        by_release: dict[str, list] = {}
        cursor = None
        while True:
            page = table.query(key(Prefix.CODE_SET, origin, system), sk=sk_begins_with("CHANGES#"), cursor=cursor)
            for item in page.items:
                data = visible_data(item, version)
                if data is not None and data["SK"].startswith("CHANGES#"):
                    by_release.setdefault(data["release"], []).append(data)
            cursor = page.cursor
            if cursor is None:
                break
        found += [changes_from_items(sorted(items, key=lambda i: i["SK"])) for items in by_release.values()]
    return release_pages(found)
