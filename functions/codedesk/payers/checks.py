"""Checks of the payer sheets across content/, run by `codedesk validate` and before a publish.

Validation only: nothing here is imported by a Lambda function (the YAML reader is not in the
artifact), so the denial content models and the grid topics are imported at the top.
"""

from __future__ import annotations

from codedesk.content.bundle import ContentBundle
from codedesk.content.problems import ContentProblem
from codedesk.content.yaml_lines import line_in_file
from codedesk.denials.codes import parse_denial_code
from codedesk.denials.models import CarcFile, RarcFile, reason_card_files
from codedesk.payers.freshness import configured_max_age_days, stale_sheet_warnings
from codedesk.payers.models import PayerSheet
from codedesk.payers.service import TOPICS


def check_payer_sheets(bundle: ContentBundle) -> list[ContentProblem]:
    """Payer ids are unique and name their files. Warnings (never errors): sheets past their review
    age, and denial codes that have no denial card to link to yet."""
    problems: list[ContentProblem] = []
    first_path: dict[str, str] = {}
    for path, sheet in bundle.of(PayerSheet):
        expected_name = f"{sheet.payer_id}.yaml"
        if not path.endswith("/" + expected_name):
            message = f"the file of payer {sheet.payer_id!r} must be named {expected_name} (its page URL uses it)"
            problems.append(ContentProblem(path, 1, "payer_id", message))
        if sheet.payer_id in first_path:
            message = f"{sheet.payer_id!r} is already the payer_id of {first_path[sheet.payer_id]}"
            problems.append(ContentProblem(path, 1, "payer_id", message))
        first_path.setdefault(sheet.payer_id, path)
        problems += _denials_without_cards(bundle, path, sheet)
    return problems + stale_sheet_warnings(bundle, bundle.checked_on(), configured_max_age_days())


def _denials_without_cards(bundle: ContentBundle, path: str, sheet: PayerSheet) -> list[ContentProblem]:
    carcs = {card.code for _, file in bundle.of(CarcFile) for card in file.cards}
    rarcs = {card.code for _, file in bundle.of(RarcFile) for card in file.cards}
    named: list[tuple[tuple[str | int, ...], str]]
    named = [(("common_denials", n, "code"), d.code) for n, d in enumerate(sheet.common_denials)]
    named += [
        (("code_rules", n, "denials", m), code)
        for n, rule in enumerate(sheet.code_rules)
        for m, code in enumerate(rule.denials)
    ]

    problems = []
    for loc, code in named:
        parsed = parse_denial_code(code)
        if (parsed.rarc and parsed.rarc not in rarcs) or (parsed.carc and parsed.carc not in carcs):
            problems.append(
                ContentProblem(
                    path,
                    line_in_file(bundle.root / path, loc),
                    ".".join(map(str, loc)),
                    f"no denial card for {code} in content/denials yet, so the sheet cannot link to one",
                    severity="warning",
                )
            )
    return problems


def check_denial_card_topics(bundle: ContentBundle) -> list[ContentProblem]:
    """A denial card's `payer_rule_topics` name rows of the payer comparison grid (payers.service
    .TOPICS). Checked here, not in the card model: payers sits above denials and knows both."""
    problems = []
    for path, file in reason_card_files(bundle):
        for n, card in enumerate(file.cards):
            for m, topic in enumerate(card.payer_rule_topics):
                if topic not in TOPICS:
                    loc = ("cards", n, "payer_rule_topics", m)
                    problems.append(
                        ContentProblem(
                            path,
                            line_in_file(bundle.root / path, loc),
                            ".".join(map(str, loc)),
                            f"unknown payer topic {topic!r}; the payer sheets know {', '.join(TOPICS)}",
                        )
                    )
    return problems
