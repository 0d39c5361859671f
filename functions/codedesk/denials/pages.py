"""Site pages for denials: the interactive explainer, and one page per group code and per carded
CARC and RARC, cross-linked (related codes, the group codes) so a biller can walk from a remit line
to the fix. Only our own explanations are printed: the X12 descriptions are never in content/."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from codedesk.content.bundle import ContentBundle
from codedesk.denials.cards import (
    ACTION_WORDS,
    APPEAL_WORDS,
    DEPENDS_ON_PAYER,
    EXPLANATION_BY,
    Deadline,
    OwnerRole,
    Statement,
)
from codedesk.denials.codes import CodeKind, parse_denial_code
from codedesk.denials.models import CarcFile, GroupCode, GroupCodeFile, PayerAppeal, RarcFile, ReasonCard
from codedesk.denials.remittance import MAX_ERA_BYTES
from codedesk.payer_types import PAYER_TYPE_LABELS

FOLDER = "denials"
EXPLAINER_SCRIPT = Path(__file__).with_name("explainer.js")
TRENDS_SCRIPT = Path(__file__).with_name("trends.js")
TRENDS_PAGE = """# Denial trends

Where the clinic's denials come from, from the remits billers and supervisors recorded (on the
[denial explainer](index.md), "Add its counts to the denial trends"). For supervisors, finance and
compliance. A denial here is what the [revenue-cycle measures](../guides/revenue-cycle-measures.md)
guide counts: contractual adjustments (CO-45) and the patient's share (PR) are not denials, and the
claim-level rates count the claims the payers adjudicated (a reversal of an earlier payment is none).

**The weekly report.** The period is a week by default (ISO weeks, Monday to Sunday, by the date of
payment): grouped by code family, the page charts each family's denial rate week by week (or month
by month), with no weeks chosen the last three months, and "—" in a week with no line of that family
recorded; grouped by reason or by payer it shows the top reasons by dollars and the payers for the
weeks chosen. A supervisor can assign the quiz that
teaches a reason to everyone in the role that usually fixes it, in two clicks ("Assign the quiz…",
then the named quiz), and follow that reason week by week or month by month ("by week", "by month")
to see whether the training moved it. A reason Codedesk has no card for yet says so, and its quiz is
the billers' denials quiz.

**Reversals** (a payer taking back an earlier payment, claim status 22) are shown apart, as reversed
lines and the amount taken back, in the week the reversal was paid. They are never counted as lines
or denials, so a denied amount is never negative: the claim was counted when it was adjudicated, and
its corrected claim counts when it comes. A negative adjustment (a payer paying more than the
balance, such as OA-94 -$9.00 on a secondary claim) is money added, not a denial.

**Paid as primary with no denied line** is what a remit can honestly say about clean claims, and it
is not the [clean-claim rate](../guides/revenue-cycle-measures.md#clean-claim-rate) the guide
defines. The guide's rate counts every claim submitted for the first time, and a claim the
clearinghouse or payer rejected is not clean; a rejected claim never reaches a remit, and a remit
does not say whether a claim was a first submission or a corrected one. So the figure here counts,
of the claims the recorded remits adjudicated as primary payer (or denied), those with no denied
line; claims processed as secondary, reversals and pricing-only answers are left out. It knows
nothing of rejected claims and counts a corrected claim like a first one: read it beside the
clearinghouse's rejection report, never as the clean-claim rate.

Only counts are kept: month and ISO week of payment, payer, procedure code family, reason, lines and
amounts. No patient, account, claim or check number, and no day, is stored, and a remit recorded
twice counts once.

<form id="cd-trends-form" class="cd-form" data-guides="{guides}">
  <label for="cd-trends-over">Period</label>
  <select id="cd-trends-over" name="over">
    <option value="week">week</option>
    <option value="month">month</option>
  </select>
  <label for="cd-trends-by">Group by</label>
  <select id="cd-trends-by" name="by">
    <option value="code_family">procedure code family, period by period</option>
    <option value="carc">reason (group and CARC), top by dollars</option>
    <option value="payer">payer</option>
    <option value="time">period only</option>
  </select>
  <label for="cd-trends-reason">Only one reason (e.g. CO-50; optional)</label>
  <input id="cd-trends-reason" name="reason" maxlength="9" pattern="(CO|OA|PI|PR|CR)-[A-Za-z0-9]{{1,5}}">
  <label for="cd-trends-from">From</label>
  <input id="cd-trends-from" name="from" type="week">
  <label for="cd-trends-to">To</label>
  <input id="cd-trends-to" name="to" type="week">
  <button type="submit" class="md-button md-button--primary">Show</button>
  <button type="button" id="cd-trends-csv" class="md-button">Download CSV</button>
</form>
<p id="cd-trends-error" hidden></p>
<section id="cd-trends-result" aria-live="polite" hidden></section>

<script type="module" src="../trends.js"></script>
"""
OWNER_WORDS = {OwnerRole.FRONT_DESK: "front desk", OwnerRole.CODER: "coder", OwnerRole.BILLER: "biller"}
KIND_FOLDER = {CodeKind.GROUP: "groups", CodeKind.CARC: "carc", CodeKind.RARC: "rarc"}
# The guide section that teaches the denials of each owner: the role guide's denials section.
GUIDE_SECTION = {
    OwnerRole.FRONT_DESK: ("receptionist", "denials-that-start-at-the-front-desk"),
    OwnerRole.CODER: ("coder", "denials-that-come-back-to-coding"),
    OwnerRole.BILLER: ("biller", "the-denials-you-meet-first"),
}


def guide_url(owner: OwnerRole) -> str:
    """The site address of the guide section for a card's owner (the trends page links it per reason)."""
    guide, section = GUIDE_SECTION[owner]
    return f"/guides/{guide}/#{section}"


def page_path(kind: CodeKind, code: str) -> str:
    """Where a card's page lives, relative to the docs folder."""
    return f"{FOLDER}/{KIND_FOLDER[kind]}/{code}.md"


def _link_from_card(kind: CodeKind, code: str) -> str:
    """A link from one card page to another (both two folders deep)."""
    return f"../{KIND_FOLDER[kind]}/{code}.md"


def _bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _sourced(fact: Statement | Deadline | PayerAppeal, text: str) -> str:
    check = " **(still to be verified)**" if fact.verify else ""
    return f"{text}{check} — *source: {fact.source}; reviewed {fact.reviewed_on.isoformat()}*"


def _facts_section(card: GroupCode | ReasonCard) -> str:
    parts = []
    deadlines = getattr(card, "deadlines", [])
    if deadlines:
        lines = [
            _sourced(d, f"{d.what}" + (f" ({d.days} days)" if d.days else "") + f" — {d.applies_to}") for d in deadlines
        ]
        parts.append("## Deadlines that matter\n\n" + _bullets(lines))
    if card.statements:
        parts.append("## Rules behind it\n\n" + _bullets(_sourced(s, s.text) for s in card.statements))
    return "\n\n".join(parts)


def _appeal_cell(card: ReasonCard) -> str:
    if card.appealable is not None:
        return APPEAL_WORDS[card.appealable]
    return f"{DEPENDS_ON_PAYER.split(':')[0]}: see [by kind of payer](#can-it-be-appealed-by-kind-of-payer) below"


def _appeal_section(card: ReasonCard) -> str:
    if not card.appeal_by_payer_type:
        return ""
    lines = [
        _sourced(
            rule,
            f"**{PAYER_TYPE_LABELS[rule.payer_type]}** — {'can be appealed' if rule.appealable else 'no appeal'}: {rule.text}",
        )
        for rule in card.appeal_by_payer_type
    ]
    lines.append("**Any other payer** — depends on its rules and your contract: check its appeal or dispute process.")
    return "## Can it be appealed? By kind of payer\n\n" + _bullets(lines) + "\n\n"


def _footer(card: GroupCode | ReasonCard) -> str:
    check = " This card still waits for a check against its source." if card.verify else ""
    return (
        f"*{EXPLANATION_BY} Meaning checked against: {card.source} (reviewed {card.reviewed_on.isoformat()}).{check}*"
    )


def _group_page(group: GroupCode) -> str:
    status = "" if group.current else '\n\n!!! warning "Legacy code"\n    Not valid on current (5010) remittances.\n'
    return f"""# Group {group.code} — {group.title}
{status}
**Who pays:** {group.who_pays}

**May the patient be billed?** {"Yes" if group.patient_may_be_billed else "No"}

{group.meaning}

## Common causes

{_bullets(group.common_causes)}

## What to do

{_bullets(group.fix_steps)}

{_facts_section(group)}

[Explain a code under group {group.code}](../index.md) · [All group codes](../index.md#group-codes)

{_footer(group)}
"""


def _reason_page(kind: CodeKind, card: ReasonCard, carded: set[tuple[CodeKind, str]]) -> str:
    related = []
    for code in card.related_codes:
        parsed = parse_denial_code(code)
        if (parsed.kind, parsed.code) in carded:
            related.append(f"[{parsed.kind.value.upper()} {parsed.code}]({_link_from_card(parsed.kind, parsed.code)})")
    topics = ", ".join(card.quiz_topics) or "—"
    rules = ", ".join(card.payer_rule_topics) or "—"
    return f"""# {kind.value.upper()} {card.code} — {card.title}

{card.meaning}

| | |
|---|---|
| **What to do** | {ACTION_WORDS[card.action]} |
| **Can it be appealed?** | {_appeal_cell(card)} |
| **Who usually fixes it** | {OWNER_WORDS[card.owner_role]} |
| **Who pays** | the group code on the remit decides: [CO](../groups/CO.md) or [PI](../groups/PI.md) the provider, [PR](../groups/PR.md) the patient, [OA](../groups/OA.md) read the reason |

## Common causes

{_bullets(card.common_causes)}

## Fix checklist

{_bullets(card.fix_steps)}

{_appeal_section(card)}{_facts_section(card)}

## Related

- Often seen with: {", ".join(related) or "—"}
- Quiz topics: {topics}
- Learn it: [the {OWNER_WORDS[card.owner_role]} guide's denials](../../guides/{GUIDE_SECTION[card.owner_role][0]}.md#{GUIDE_SECTION[card.owner_role][1]})
- Payer rule topics: {rules} (see the [payer sheets](../../payers/index.md))
- [Open the denial explainer](../index.md)

{_footer(card)}
"""


def _index_page(groups: list[GroupCode], carcs: Sequence[ReasonCard], rarcs: Sequence[ReasonCard]) -> str:
    def table(kind: CodeKind, cards: Iterable[GroupCode | ReasonCard]) -> str:
        rows = "\n".join(f"| [{card.code}]({KIND_FOLDER[kind]}/{card.code}.md) | {card.title} |" for card in cards)
        return f"| code | our explanation |\n|---|---|\n{rows}"

    return f"""# Denial explainer

Type the codes from a remittance line — a group and reason such as `CO-16`, remark codes such as
`N290` — or paste or upload a whole 835 file. Every code is explained in Codedesk's own words: what
it means, who pays, what to do and who usually fixes it. A remittance is decoded on the server in
memory: nothing from it is stored or logged.

For each check the decoded remit shows the payer, the trace number and date; for each claim the
patient account number and the payer's claim number you find it by, the status in words and what the
patient owes; for each line the procedure code and modifiers. Irregularities of the file (a line
without its code, an unexpected separator) are listed as notes and the rest is still decoded. A file
larger than {MAX_ERA_BYTES // 1024} KiB is sent in parts, split by check; **Download the worked list**
gives every adjustment and remark as a CSV file for a spreadsheet.

<div class="cd-denials">
<form id="cd-explain-form" class="cd-form">
  <label for="cd-explain-codes">Codes</label>
  <input id="cd-explain-codes" name="codes" placeholder="CO-16, N290" required maxlength="200">
  <label for="cd-explain-payer">Payer (optional)</label>
  <select id="cd-explain-payer" name="payer"><option value="">—</option></select>
  <button type="submit" class="md-button md-button--primary">Explain</button>
</form>
<p id="cd-explain-error" hidden></p>
<section id="cd-explain-result" aria-live="polite" hidden></section>
<form id="cd-era-form" class="cd-form" data-max-bytes="{MAX_ERA_BYTES}">
  <label for="cd-era-text">835 remittance</label>
  <textarea id="cd-era-text" name="era" rows="6" placeholder="ISA*00*…~"></textarea>
  <label for="cd-era-file">or upload the file</label>
  <input id="cd-era-file" type="file" accept=".835,.txt,.edi,text/plain">
  <label for="cd-era-payer">Compare with the fee schedule of (optional)</label>
  <select id="cd-era-payer" name="payer"><option value="">—</option></select>
  <label><input id="cd-era-record" type="checkbox" name="record"> Add its counts to the
    <a href="trends/">denial trends</a> (billers and supervisors; only counts by month, payer, code family and
    reason are kept: no patient, account, claim or check number)</label>
  <button type="submit" class="md-button md-button--primary">Decode</button>
  <button type="button" id="cd-era-csv" class="md-button" hidden>Download the worked list (CSV)</button>
</form>
<p id="cd-era-error" hidden></p>
<p id="cd-era-recorded" class="cd-note" hidden></p>
<section id="cd-era-result" aria-live="polite" hidden></section>
</div>

<script type="module" src="explainer.js"></script>

## Group codes

{table(CodeKind.GROUP, groups)}

## Reason codes (CARC)

{table(CodeKind.CARC, carcs)}

## Remark codes (RARC)

{table(CodeKind.RARC, rarcs)}

*{EXPLANATION_BY} The official descriptions are X12's; an operator with a licence can load them
(`codedesk import carc|rarc FILE`) and they then show next to our explanation in the explainer.*
"""


def site_pages(bundle: ContentBundle) -> dict[str, str]:
    groups = [group for _, file in bundle.of(GroupCodeFile) for group in file.groups]
    carcs = [card for _, file in bundle.of(CarcFile) for card in file.cards]
    rarcs = [card for _, file in bundle.of(RarcFile) for card in file.cards]
    carded = {(CodeKind.CARC, card.code) for card in carcs} | {(CodeKind.RARC, card.code) for card in rarcs}
    pages = {
        f"{FOLDER}/index.md": _index_page(groups, carcs, rarcs),
        f"{FOLDER}/explainer.js": EXPLAINER_SCRIPT.read_text(),
        # the page links a reason to its card and its guide only where there is a card
        f"{FOLDER}/trends.md": TRENDS_PAGE.format(
            guides=" ".join(
                f"{card.code}={guide_url(card.owner_role)}" for card in sorted(carcs, key=lambda c: c.code)
            ),
        ),
        f"{FOLDER}/trends.js": TRENDS_SCRIPT.read_text(),
    }
    pages.update({page_path(CodeKind.GROUP, group.code): _group_page(group) for group in groups})
    pages.update({page_path(CodeKind.CARC, card.code): _reason_page(CodeKind.CARC, card, carded) for card in carcs})
    pages.update({page_path(CodeKind.RARC, card.code): _reason_page(CodeKind.RARC, card, carded) for card in rarcs})
    return pages
