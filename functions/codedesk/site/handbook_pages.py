"""Markdown pages for the handbook: home, role guides, glossary and its site-wide hover definitions."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from codedesk.content.bundle import ContentBundle
from codedesk.handbook.models import SOURCE_CITATION, Glossary, Guide, RoleCatalog, RoleProfile, checklist_item_id
from codedesk.quizzes.models import Quiz
from codedesk.roles import ROLES, Role


@dataclass(frozen=True)
class RolePage:
    """A page of the site some roles need, listed in those roles' guides under "Your pages"."""

    kind: str  # "Read", "Use" or "Look up": how the reader uses it
    title: str
    path: str  # under the generated docs folder
    purpose: str
    roles: tuple[str, ...] = ROLES


PAGE_KINDS = ("Read", "Use", "Look up")
# Paths are checked by `mkdocs build --strict`: a page that moves fails the build, never leaves a dead link.
ROLE_PAGES = [
    RolePage(
        "Read", "How a visit becomes a payment", "guides/visit-to-payment.md", "the whole path, and who does each step"
    ),
    RolePage(
        "Read",
        "Revenue-cycle measures",
        "guides/revenue-cycle-measures.md",
        "clean-claim rate, denial rate, days in A/R and payer mix, and how to compute them",
        ("supervisor", "finance", "biller", "compliance"),
    ),
    RolePage("Read", "Glossary", "glossary.md", "every term; hover a dotted term anywhere on the site"),
    RolePage("Use", "Who am I? (sign in)", "tools/account.md", "sign in before you use the tools below"),
    RolePage("Use", "Take a quiz", "quizzes/take.md", "practise, see your score and review your misses"),
    RolePage(
        "Use",
        "Code lookup",
        "codes/lookup.md",
        "any ICD-10-CM, HCPCS or CPT code by code or by words, valid on a date of service",
        ("coder", "biller", "supervisor", "compliance"),
    ),
    RolePage(
        "Use",
        "Check a claim",
        "claims/index.md",
        "catch the denial before the claim is sent: codes, notes, NCCI edits and payer rules, and why",
        ("coder", "biller", "supervisor", "compliance"),
    ),
    RolePage(
        "Use",
        "ICD-10-CM Index and tables",
        "codes/icd10cm-index.md",
        "main term, subterms: the Index, the Table of Neoplasms and the Table of Drugs, every code checked",
        ("coder", "biller", "supervisor", "compliance"),
    ),
    RolePage(
        "Use",
        "Denial explainer",
        "denials/index.md",
        "what a denial or remark code means and what to do next; decode a whole 835",
    ),
    RolePage("Use", "My reviews", "calendar/my-reviews.md", "the code-set update reviews assigned to you"),
    RolePage(
        "Use",
        "Assign and track reviews",
        "calendar/assign-reviews.md",
        "assign the review after each code-set release and see who has done it",
        ("supervisor",),
    ),
    RolePage(
        "Use",
        "Denial trends",
        "denials/trends.md",
        "denial rates by reason, code family, payer and month, from the remits billers record",
        ("supervisor", "finance", "compliance"),
    ),
    RolePage(
        "Use",
        "Audit scorecard",
        "audits/index.md",
        "record a month's coding audit and see accuracy per coder and provider against 95%",
        ("compliance", "supervisor"),
    ),
    RolePage(
        "Use", "Quiz report", "quizzes/report.md", "who has taken each quiz and passed", ("supervisor", "compliance")
    ),
    RolePage(
        "Use",
        "My team",
        "tools/people.md",
        "each person's onboarding checklist, open and late reviews and quiz standing",
        ("supervisor",),
    ),
    RolePage(
        "Look up",
        "Payer sheets",
        "payers/index.md",
        "timely filing, eligibility, prior authorization and common denials per payer",
        ("receptionist", "biller", "finance", "supervisor", "compliance"),
    ),
    RolePage(
        "Look up",
        "Payer comparison",
        "payers/compare.md",
        "every payer side by side, topic by topic",
        ("biller", "supervisor", "finance"),
    ),
    RolePage(
        "Look up",
        "Code lists",
        "codes/index.md",
        "the codes a clinic meets every day, and where each comes from",
        ("coder", "biller", "compliance"),
    ),
    RolePage(
        "Look up",
        "Code-set release calendar",
        "calendar/index.md",
        "when each code set changes and when the team reviews it",
        ("coder", "biller", "supervisor", "compliance"),
    ),
]


def _slug(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")


def _your_pages(role: str, quizzes: list[Quiz]) -> list[str]:
    lines = ["## Your pages", ""]
    for kind in PAGE_KINDS:
        pages = [page for page in ROLE_PAGES if page.kind == kind and role in page.roles]
        if pages:
            links = "; ".join(f"[{page.title}](../{page.path}) ({page.purpose})" for page in pages)
            lines.append(f"- **{kind}:** {links}.")
    mine = [quiz for quiz in quizzes if role in quiz.roles]
    if mine:
        links = ", ".join(
            f"[{quiz.title}](../quizzes/take.md?quiz={quiz.id}) (pass mark {quiz.pass_mark}%)" for quiz in mine
        )
        lines.append(f"- **Quizzes for your role:** {links}.")
    return [*lines, ""]


def _guide_page(slug: str, guide: Guide, quizzes: list[Quiz], roles: dict[Role, RoleProfile]) -> str:
    lines = [f"# {guide.title}", "", f"*{guide.summary}*", ""]
    if guide.role:
        lines += _your_pages(guide.role, quizzes)
    if guide.checklist:
        role = f' data-role="{guide.role}"' if guide.role else ""
        lines += ["## Week-one checklist", "", f'<div class="cd-checklist" data-checklist="{slug}"{role}>']
        by_quiz = {item.item for item in guide.quiz_items}
        for item in guide.checklist:
            box = checklist_item_id(slug, item)
            ticked = " data-by-quiz" if item in by_quiz else ""
            lines.append(f'<label><input type="checkbox" data-item="{box}"{ticked}> {html.escape(item)}</label>')
        lines += ["</div>", ""]
    numbers = {source.id: n + 1 for n, source in enumerate(guide.sources)}
    body = SOURCE_CITATION.sub(lambda m: f"[[{numbers[m.group(1)]}]](#source-{m.group(1)})", guide.body)
    lines += [body.strip(), ""]
    if guide.hands_off_to:
        lines += [
            "## Who you hand work to",
            "",
            ", ".join(f"[{roles[role].name}]({roles[role].guide}.md)" for role in guide.hands_off_to),
            "",
        ]
    if guide.sources:
        lines += ["## Sources", ""]
        for source in guide.sources:
            target = f"[{source.title}]({source.url})" if source.url else source.title
            citation = f" — {source.citation}" if source.citation else ""
            lines.append(f'{numbers[source.id]}. <span id="source-{source.id}"></span>{target}{citation}')
        lines.append("")
    lines.append(f"*Last reviewed {guide.reviewed_on.isoformat()}.*")
    return "\n".join(lines) + "\n"


def _home(bundle: ContentBundle) -> str:
    lines = [
        "# Codedesk",
        "",
        "The reference and training portal for the people who turn a clinic visit into a payment.",
        "",
        "## Start with your role",
        "",
    ]
    for _, catalog in bundle.of(RoleCatalog):
        for role in catalog.roles:
            lines.append(f"- **[I am a {role.name.lower()}](guides/{role.guide}.md)** — {role.summary}")
    lines += ["", "## Tools and reference", ""]
    lines += [f"- [{page.title}]({page.path}): {page.purpose}." for page in ROLE_PAGES if page.kind != "Read"]
    lines += [
        "",
        "New to billing? Read [how a visit becomes a payment](guides/visit-to-payment.md) and keep the "
        "[glossary](glossary.md) at hand: a term with a dotted underline shows its meaning when you point at it.",
        "",
    ]
    return "\n".join(lines) + "\n"


def _glossary(glossary: Glossary) -> str:
    lines = ["# Glossary", ""]
    for term in sorted(glossary.terms, key=lambda t: t.term.lower()):
        lines += [f"**{term.term}**", f":   {term.definition}"]
        if term.aliases:
            lines.append(f"    *Also: {', '.join(term.aliases)}.*")
        if term.source:
            checked = f" Checked {term.reviewed_on.isoformat()}." if term.reviewed_on else ""
            flag = " **To verify.**" if term.verify else ""
            lines.append(f"    *Source: {term.source}.{checked}*{flag}")
        lines.append("")
    return "\n".join(lines)


def abbreviations(bundle: ContentBundle) -> str:
    """Definitions Material shows on hover wherever a term appears (abbr + snippets auto-append)."""
    lines = []
    for _, glossary in bundle.of(Glossary):
        for term in glossary.terms:
            definition = re.sub(r"\s+", " ", term.definition).replace("]", ")")
            # abbr matches case-sensitively: also define the lower-case start ("Clean claim" → "clean claim").
            names = (term.term, *term.aliases)
            for name in dict.fromkeys((*names, *(n[0].lower() + n[1:] for n in names))):
                lines.append(f"*[{name}]: {definition}")
    # One definition per block: Markdown's block parser re-tests the rest of a block after each line it
    # consumes, so 400 lines in one block cost every page seconds; blank lines keep it linear.
    return "\n\n".join(lines) + "\n"


def site_pages(bundle: ContentBundle) -> dict[str, str]:
    pages = {"index.md": _home(bundle)}
    quizzes = sorted((quiz for _, quiz in bundle.of(Quiz)), key=lambda quiz: quiz.title.lower())
    roles = {role.id: role for _, catalog in bundle.of(RoleCatalog) for role in catalog.roles}
    for path, guide in bundle.of(Guide):
        pages[f"guides/{_slug(path)}.md"] = _guide_page(_slug(path), guide, quizzes, roles)
    for _, glossary in bundle.of(Glossary):
        pages["glossary.md"] = _glossary(glossary)
    return pages
