"""What the generators may ask about, read from the other domains' content models.

The one place that knows those models: when a domain changes its model, only its function here
changes. A fact marked `verify: true` is never turned into a question; we do not teach what we have
not checked.
"""

from __future__ import annotations

from codedesk.codes.curated import CuratedCodeFile
from codedesk.codes.models import CodeSystem
from codedesk.content.bundle import ContentBundle
from codedesk.denials.models import reason_card_files
from codedesk.payers.models import PayerSheet
from codedesk.quizzes.generate import (
    CodeSubject,
    DenialSubject,
    FilingSubject,
    ReleaseSubject,
    SourcedFact,
    Subjects,
)
from codedesk.reviews.calendar import MONTH_NAMES
from codedesk.reviews.models import ReleaseRules

DAYS_PER_UNIT = {"days": 1, "months": 30, "years": 365}


def denial_subjects(bundle: ContentBundle) -> list[DenialSubject]:
    cards = [
        DenialSubject(code=card.code, kind=card.kind.value, title=card.title)
        for _, file in reason_card_files(bundle)
        for card in file.cards
        if not card.verify
    ]
    return sorted(cards, key=lambda subject: (subject.kind, subject.code))


def code_subjects(bundle: ContentBundle) -> list[CodeSubject]:
    """The curated code lists (HCPCS Level II, Level II modifiers, places of service). CPT and Level I
    modifiers are left out: their titles are our words, and a title in an explanation is still theirs."""
    subjects = []
    for _, file in bundle.of(CuratedCodeFile):
        if file.system == CodeSystem.CPT or file.verify:
            continue
        level_one = {entry.code for entry in file.codes if entry.level == "I" or entry.verify}
        for record in file.records():
            if record.code.replace(".", "") not in level_one and record.effective_to is None:
                subjects.append(CodeSubject(record.system.value, record.code, record.title, record.billable))
    return sorted(subjects, key=lambda subject: (subject.system, subject.code))


def filing_subjects(bundle: ContentBundle) -> list[FilingSubject]:
    subjects = []
    for _, sheet in bundle.of(PayerSheet):
        limit = sheet.timely_filing.initial_claim
        if limit.period is None or limit.verify or limit.contract_dependent:
            continue
        subjects.append(
            FilingSubject(
                payer_id=sheet.payer_id,
                payer_name=sheet.name,
                limit=limit.summary(),
                about_days=limit.period.amount * DAYS_PER_UNIT[limit.period.unit],
                fact=SourcedFact(
                    statement=f"{sheet.name}: {limit.label}, {limit.summary()}.",
                    source=limit.source,
                    reviewed_on=limit.reviewed_on,
                ),
            )
        )
    return sorted(subjects, key=lambda subject: subject.payer_id)


def _month_list(months: list[int]) -> str:
    days = [f"{MONTH_NAMES[month - 1]} 1" for month in months]
    return days[0] if len(days) == 1 else f"{', '.join(days[:-1])} and {days[-1]}"


def release_subjects(bundle: ContentBundle) -> list[ReleaseSubject]:
    subjects = []
    for _, rules in bundle.of(ReleaseRules):
        for rule in rules.rules:
            if rule.conditional or rule.verify:
                continue  # "in some years" or unchecked: not a fact to drill
            takes_effect = _month_list(rule.effective_months)
            subjects.append(
                ReleaseSubject(
                    code_set=rule.code_set.value,
                    name=rule.name,
                    takes_effect=takes_effect,
                    fact=SourcedFact(
                        statement=f"The {rule.name} takes effect on {takes_effect}.",
                        source=rule.source,
                        reviewed_on=rule.reviewed_on,
                    ),
                )
            )
    return sorted(subjects, key=lambda subject: subject.name)


def subjects_of(bundle: ContentBundle) -> Subjects:
    return Subjects(
        denials=denial_subjects(bundle),
        codes=code_subjects(bundle),
        filing_limits=filing_subjects(bundle),
        releases=release_subjects(bundle),
    )
