"""Where quiz data lives in the table: the keys, written once for the publisher and the service.

Kept free of the content loader, so the Lambda function imports no YAML reader.
"""

from __future__ import annotations

from codedesk.store.keys import Prefix, key

QUIZ_LIST_PK = key(Prefix.QUIZ, "ALL")  # quiz ids are lower-case slugs, so no quiz is called ALL
QUIZ_SK = "QUIZ"
ATTEMPT_SK = "ATTEMPT"
RESULTS_SK = "REPORT"  # a quiz's results: everyone's standing and the per-question counts
LEITNER_SK = key(Prefix.LEITNER)


def quiz_pk(quiz_id: str) -> str:
    return key(Prefix.QUIZ, quiz_id)


def attempt_pk(attempt_id: str) -> str:
    return key(Prefix.ATTEMPT, attempt_id)


def results_pk(team: str, quiz_id: str) -> str:
    return key(Prefix.QUIZ_RESULTS, team, quiz_id)


# A person's attempts, newest first, through GSI1 in their USER partition.
ATTEMPTS_LISTED_UNDER = f"{Prefix.ATTEMPT}#"


def attempt_listing_sk(submitted_at: str, attempt_id: str) -> str:
    return key(Prefix.ATTEMPT, submitted_at, attempt_id)
