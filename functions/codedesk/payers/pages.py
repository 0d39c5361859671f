"""Site pages for payers: an index, one printable sheet per payer, and a comparison grid.

A sheet page is laid out to print on exactly one US-letter page (the print CSS below hides the site's
header, navigation and footer, and sets the sheet in two small columns). Every statement carries a
numbered reference to its source, listed at the foot of the sheet, and flags for values set by the
clinic's contract or still waiting for a check. The CSS ships inside the page so the sheet looks the
same wherever the page is rendered.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from codedesk.content.bundle import ContentBundle
from codedesk.content.facts import Sourced
from codedesk.denials.codes import CodeKind, parse_denial_code
from codedesk.denials.models import CarcFile, RarcFile
from codedesk.denials.pages import page_path as denial_page_path
from codedesk.payer_types import PAYER_TYPE_LABELS
from codedesk.payers.answers import GridEntry
from codedesk.payers.freshness import DEFAULT_MAX_AGE_DAYS, configured_max_age_days, is_stale
from codedesk.payers.models import (
    MODIFIER_TOPIC_LABELS,
    Contact,
    Fact,
    FilingLimit,
    PayerSheet,
)
from codedesk.payers.service import TOPICS, compare

FOLDER = "payers"
# The pages' own styles are files (site/docs/css/), linked from inside the page's raw HTML block (so
# Markdown wraps them in no paragraph): the site's CSP allows styles from its files only, and each
# sheet's @page (letter, or landscape for the grid) must apply to its own pages alone. Both pages
# live at payers/<name>/.
SHEET_CSS = '<link rel="stylesheet" href="../../css/payer-sheet.css">'
GRID_CSS = '<link rel="stylesheet" href="../../css/payer-grid.css">'


def site_pages(bundle: ContentBundle, *, today: date | None = None, max_age: int | None = None) -> dict[str, str]:
    """{relative path under the generated docs folder: Markdown} for the payers section."""
    today = today or date.today()
    max_age = max_age or configured_max_age_days()
    sheets = sorted((sheet for _, sheet in bundle.of(PayerSheet)), key=lambda s: s.name.lower())
    if not sheets:
        return {}
    pages = {
        f"{FOLDER}/index.md": index_page(sheets, today, max_age),
        f"{FOLDER}/compare.md": grid_page(sheets, today, max_age),
    }
    card_urls = denial_card_urls(bundle)
    for sheet in sheets:
        pages[f"{FOLDER}/{sheet.payer_id}.md"] = sheet_page(sheet, today, max_age, card_urls)
    return pages


# --------------------------------------------------------------------------------- index


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell or link label."""
    return escape(text).replace("|", "&#124;").replace("[", "&#91;").replace("]", "&#93;")


def index_page(sheets: list[PayerSheet], today: date, max_age: int) -> str:
    rows = "\n".join(
        f"| [{_md(sheet.name)}]({sheet.payer_id}.md) | {PAYER_TYPE_LABELS[sheet.type]} | "
        f"{sheet.verified_on.isoformat()}{' — **stale, re-verify**' if is_stale(sheet, today, max_age) else ''} |"
        for sheet in sheets
    )
    return (
        "# Payer quick-reference sheets\n\n"
        "One page per payer: timely filing, eligibility, prior authorization, modifier rules, code rules "
        "and common denials, each with its source. Print a sheet for the desk (one US-letter page), or "
        "[compare all payers side by side](compare.md).\n\n"
        "| Payer | Type | Last verified |\n|---|---|---|\n"
        f"{rows}\n\n"
        f"A sheet not verified in the last {max_age} days is marked stale: check it against its sources "
        "before relying on it.\n"
    )


# --------------------------------------------------------------------------------- one sheet


class _SourceNumbers:
    """Numbers each distinct source in the order it is first cited on the sheet."""

    def __init__(self) -> None:
        self.sources: dict[str, int] = {}

    def cite(self, fact: Sourced) -> str:
        number = self.sources.setdefault(fact.source, len(self.sources) + 1)
        return f"<sup>[{number}]</sup>"


def _flags(fact: Sourced | GridEntry) -> str:
    flags = []
    if getattr(fact, "contract_dependent", False):
        flags.append('<span class="flag" title="set by your contract with this payer">contract</span>')
    if fact.verify:
        flags.append('<span class="flag" title="confirm against the source before relying on it">verify</span>')
    return "".join(flags)


RECENT_CHANGE_DAYS = 3 * 365


def when_it_applies(fact: Sourced | GridEntry, today: date) -> str | None:
    """The dates of a rule that changed on a date, as a reader needs them on `today`: "Since 2026-01-01",
    "From 2027-01-01" (not yet in force), "2024-01-01 to 2025-12-31" (superseded); None when undated."""
    start, end = fact.effective_from, fact.effective_to
    if start is None and end is None:
        return None
    if end is not None and today > end:
        return f"{start.isoformat()} to {end.isoformat()}" if start else f"Until {end.isoformat()}"
    if start is not None and today < start:
        return f"From {start.isoformat()}" + (f" to {end.isoformat()}" if end else "")
    if start is None:
        return f"Until {end.isoformat()}" if end else None
    if end is not None:
        return f"{start.isoformat()} to {end.isoformat()}"
    # A long-settled rule needs no date at the desk; a recent change does (the API always has both).
    return f"Since {start.isoformat()}" if (today - start).days <= RECENT_CHANGE_DAYS else None


def _when(fact: Sourced | GridEntry, today: date) -> str:
    said = when_it_applies(fact, today)
    if said is None:
        return ""
    superseded = fact.effective_to is not None and today > fact.effective_to
    kind = "when superseded" if superseded else "when"  # CSS classes: a superseded rule reads muted
    note = " (superseded; for older dates of service)" if superseded else ""
    return f'<span class="{kind}">{escape(said)}{note}:</span> '


def _fact(
    fact: Fact, refs: _SourceNumbers, lead: str = "", lead_href: str | None = None, today: date | None = None
) -> str:
    lead_html = f"<strong>{escape(lead)}</strong> " if lead else ""
    if lead and lead_href:
        lead_html = f'<strong><a href="{escape(lead_href)}">{escape(lead)}</a></strong> '
    when = _when(fact, today) if today else ""
    return (
        f"<li{_superseded_class(fact, today)}>{lead_html}{when}{escape(fact.text)}{refs.cite(fact)}{_flags(fact)}</li>"
    )


def _superseded_class(fact: Sourced, today: date | None) -> str:
    # A superseded rule is shown on screen, for older dates of service, but left off the printed desk sheet.
    return ' class="screen-only"' if today and fact.superseded_on(today) else ""


def _limit(limit: FilingLimit, refs: _SourceNumbers, today: date | None = None) -> str:
    value = escape(limit.summary())
    note = f" {escape(limit.note)}" if limit.note else ""
    when = _when(limit, today) if today else ""
    return (
        f"<li{_superseded_class(limit, today)}><strong>{escape(limit.label)}:</strong> {when}{value}.{note}"
        f"{refs.cite(limit)}{_flags(limit)}</li>"
    )


def _contact(contact: Contact, refs: _SourceNumbers) -> str:
    value = escape(contact.value)
    if contact.value.startswith("https://"):
        value = f'<a href="{value}">{value.removeprefix("https://")}</a>'
    note = f" — {escape(contact.note)}" if contact.note else ""
    return f"<li><strong>{escape(contact.label)}:</strong> {value}{note}{refs.cite(contact)}{_flags(contact)}</li>"


def _section(title: str, items: Iterable[str]) -> str:
    items = list(items)
    if not items:
        return ""
    return f"<section><h2>{escape(title)}</h2><ul>{''.join(items)}</ul></section>"


def denial_card_urls(bundle: ContentBundle) -> dict[str, str]:
    """Denial code (CARC "29", RARC "N290") → the URL of its card page, relative to a sheet page
    (payers/<payer_id>/ once built, so two folders up to the site root)."""
    cards = [(CodeKind.CARC, card.code) for _, file in bundle.of(CarcFile) for card in file.cards]
    cards += [(CodeKind.RARC, card.code) for _, file in bundle.of(RarcFile) for card in file.cards]
    return {code: "../../" + denial_page_path(kind, code).removesuffix(".md") + "/" for kind, code in cards}


def _card_url(denial_code: str, card_urls: dict[str, str]) -> str | None:
    return card_urls.get(parse_denial_code(denial_code).code)


def _sheet_sections(sheet: PayerSheet, refs: _SourceNumbers, card_urls: dict[str, str], today: date) -> list[str]:
    tf = sheet.timely_filing
    sections = [
        _section(
            "Timely filing",
            (_limit(limit, refs, today) for limit in (tf.initial_claim, tf.corrected_claim, *tf.appeals)),
        ),
        _section(
            "Eligibility",
            [
                *(_fact(fact, refs, today=today) for fact in sheet.eligibility.how_to_verify),
                *(_fact(fact, refs, "Capture:", today=today) for fact in sheet.eligibility.capture_at_check_in),
            ],
        ),
        _section(
            "Prior authorization",
            [
                *(_fact(fact, refs, today=today) for fact in sheet.prior_auth.how_to_check),
                *(_fact(fact, refs, "Commonly needed:", today=today) for fact in sheet.prior_auth.commonly_required),
            ],
        ),
        _section(
            "Modifiers and place of service",
            (_fact(rule, refs, MODIFIER_TOPIC_LABELS[rule.topic] + ":", today=today) for rule in sheet.modifier_rules),
        ),
        _section(
            "Rules for specific codes",
            (
                _fact(rule, refs, f"{rule.title} ({', '.join(map(str, rule.codes))}):", today=today)
                for rule in sheet.code_rules
            ),
        ),
        _section(
            "Common denials",
            (
                _fact(denial, refs, denial.code, _card_url(denial.code, card_urls), today)
                for denial in sheet.common_denials
            ),
        ),
        _section("Contacts and portals", (_contact(contact, refs) for contact in sheet.contacts)),
    ]
    return [section for section in sections if section]


def sheet_page(
    sheet: PayerSheet, today: date, max_age: int = DEFAULT_MAX_AGE_DAYS, card_urls: dict[str, str] | None = None
) -> str:
    refs = _SourceNumbers()
    meta = [f"<span><strong>Type:</strong> {PAYER_TYPE_LABELS[sheet.type]}</span>"]
    if sheet.edi_payer_id:
        edi = sheet.edi_payer_id
        meta.append(f"<span><strong>EDI payer ID:</strong> {escape(edi.value)}{refs.cite(edi)}{_flags(edi)}</span>")
    meta.append(f"<span><strong>Last verified:</strong> {sheet.verified_on.isoformat()}</span>")
    stale = ""
    if is_stale(sheet, today, max_age):
        stale = (
            f'<p class="stale-banner">Stale: last verified {sheet.verified_on.isoformat()}, more than '
            f"{max_age} days ago. Check each fact against its source before relying on it.</p>"
        )
    sections = _sheet_sections(sheet, refs, card_urls or {}, today)
    sources = "".join(f"<li>{escape(source)}</li>" for source in refs.sources)
    legend = (
        '<span class="legend"><span class="flag">contract</span> set by your contract with this payer · '
        '<span class="flag">verify</span> confirm against the source before relying on it · '
        "[n] source below · explanations are Codedesk's own words</span>"
    )
    return (
        f"# {sheet.name}\n\n"
        f'<div class="payer-sheet" data-payer-id="{escape(sheet.payer_id)}" markdown="0">\n'
        f"{SHEET_CSS}\n"
        f"{stale}"
        f'<p class="sheet-meta">{"".join(meta)}</p>\n'
        f'<p class="sheet-summary">{escape(sheet.summary)} {legend}</p>\n'
        f'<div class="sheet-body">{"".join(sections)}</div>\n'
        f'<ol class="sheet-sources" aria-label="Sources">{sources}</ol>\n'
        "</div>\n\n"
        '<p class="screen-only" markdown="1">[Compare all payers](compare.md) · '
        "[All payer sheets](index.md) · print this page for a one-page desk sheet</p>\n"
    )


# --------------------------------------------------------------------------------- the grid


def _grid_cell(entries: list[GridEntry], today: date) -> str:
    if not entries:
        return "<td>—</td>"
    items = []
    for entry in entries:
        label = f"<strong>{escape(entry.label)}:</strong> " if entry.label else ""
        flags = _flags(entry)
        source = f'<span class="source">({escape(entry.source)})</span>'
        items.append(f"<li>{label}{_when(entry, today)}{escape(entry.text)}{flags} {source}</li>")
    return f"<td><ul>{''.join(items)}</ul></td>"


def grid_page(sheets: list[PayerSheet], today: date, max_age: int = DEFAULT_MAX_AGE_DAYS) -> str:
    grid = compare(sheets, [s.payer_id for s in sheets], TOPICS, today, max_age)
    head = "".join(
        f'<th scope="col"><a href="../{p.payer_id}/">{escape(p.name)}</a><br>{escape(p.type_label)}, '
        f"verified {p.verified_on.isoformat()}{' <span class=stale>stale</span>' if p.stale else ''}</th>"
        for p in grid.payers
    )
    body = "".join(
        f'<tr><th scope="row">{escape(row.label)}</th>{"".join(_grid_cell(cell.entries, today) for cell in row.cells)}</tr>'
        for row in grid.rows
    )
    return (
        "---\nhide:\n  - navigation\n  - toc\n---\n\n"  # the grid needs the page's whole width
        "# Payer comparison\n\n"
        "Every payer side by side, topic by topic. Flags: <strong>contract</strong> = set by your contract "
        "with the payer; <strong>verify</strong> = confirm against the source before relying on it. "
        "Each statement names its source; the explanations are Codedesk's own words.\n\n"
        '<div class="payer-grid" markdown="0">\n'
        f"{GRID_CSS}\n"
        f'<table class="payer-grid-table"><thead><tr><th scope="col">Topic</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>\n"
        "</div>\n"
    )
