"""Key design, written once.

Every item has a string partition key `PK` and sort key `SK`; items that must be found another way
also carry `GSI1PK`/`GSI1SK` (the table's one global secondary index, `GSI1`). Keys are built from
parts joined by `#`; each kind of item owns one prefix, listed here so two domains never collide.
"""

from __future__ import annotations

from enum import StrEnum

from codedesk.errors import NotFound

SEPARATOR = "#"


class KeyPartInvalid(NotFound):
    """A key part holds the separator. Parts come from content ids, and from requests (a review id,
    a release_id filter): no record can be named so, hence "not found" (404) for whoever asked."""


class Prefix(StrEnum):
    META = "META"  # content version pointer, publish fingerprints
    GLOSSARY = "GLOSSARY"
    ROLE = "ROLE"
    GUIDE = "GUIDE"
    PAYER = "PAYER"  # PK PAYER#SHEETS, SK <payer_id>: every payer sheet in one partition (one query lists all)
    STAFF = "STAFF"  # PK STAFF#<team>, SK <user_id>: the staff directory, a team's people in one partition
    TEAM = "TEAM"  # PK TEAM#ALL, SK <team>: every team (clinic) of the deployment and its settings (time zone)
    REVIEW = "REVIEW"  # SK of a review in its assignee's USER#<team>#<user_id> partition: REVIEW#<release_id>
    REVIEWS_OF_RELEASE = "REVIEWSOF"  # PK REVIEWSOF#<team>#<release_id>, SK <assignee>: who was assigned it
    REVIEWS_BY_STATUS = "REVIEWSTATUS"  # GSI1PK REVIEWSTATUS#<team>#open|done, GSI1SK <due_on>#<release_id>#<user>
    REMINDER = "REMINDER"  # SK REMINDER#<date> in the USER partition: that day's review reminder was sent
    RELEASE = "RELEASE"  # published release rules + review policy: PK RELEASE#CALENDAR, SK RULES
    QUIZ = "QUIZ"  # published quizzes: PK QUIZ#<quiz_id>, SK QUIZ; the list: PK QUIZ#ALL, SK <quiz_id>
    ATTEMPT = "ATTEMPT"  # PK ATTEMPT#<id>, SK ATTEMPT; GSI1PK USER#<team>#<sub>, GSI1SK ATTEMPT#<submitted_at>#<id>
    QUIZ_RESULTS = "RESULTS"  # PK RESULTS#<team>#<quiz_id>, SK REPORT: the team's best/last and per-question counts
    CHECKLIST = "CHECKLIST"  # SK CHECKLIST#<role> in the USER#<team>#<user_id> partition: the person's ticks
    LEITNER = "LEITNER"  # SK LEITNER in the USER partition: review-my-misses boxes, quizzes whose answers were shown
    DENIAL = "DENIAL"  # published denial cards: PK DENIAL#GROUP|CARC|RARC, SK <code>
    DENIAL_TERM = "DENIALTERM"  # denial card search postings: PK DENIALTERM#<term>, SK POSTINGS
    DENIAL_LIST = "DENIALLIST"  # operator-imported official CARC/RARC lists: PK DENIALLIST#CARC|RARC, SK <code>
    CODE = "CODE"  # PK CODE#<origin>#<system>#<code>, SK CODE; GSI1 CODEIX#<1st char> / <code>#<system>#<origin>
    CODE_INDEX = "CODEIX"  # GSI1PK only: every code of every system by its first character (code-prefix search)
    CODE_TERM = "CODETERM"  # search postings: PK CODETERM#<origin>#<system>#<term>, SK <chunk 000..>
    CODE_VOCAB = "CODEVOCAB"  # type-ahead vocabulary: PK CODEVOCAB#<origin>#<system>#<prefix>, SK V
    CODE_SET = "CODESET"  # PK CODESET#<origin>#<system>, SK SUMMARY | SEARCH | CHANGES#<release>#<part>
    FEE = "FEE"  # fee schedules: PK FEE#<payer_id>#<code>, SK FEES; PK FEE#<payer_id>#*, SK FILE
    TRENDS = "TRENDS"  # recorded remits' de-identified counts: PK TRENDS, SK <month>#<check hash>
    AUDIT = "AUDIT"  # compliance audits: PK AUDIT, SK <month>#<audit_id> (user data; no patient identifier)
    CLAIM_EDIT = "EDIT"  # operator-imported NCCI files: PK EDIT#PTP|MUE|ADDON#<code>, SK <column 2 code>|MUE|ADDON;
    # PK EDIT#<kind>, SK FILE: which file and quarter is loaded
    CODE_SYNONYMS = "CODESYN"  # PK CODESYN, SK ALL: abbreviations and lay terms from content/codes/synonyms.yaml
    ICD_INDEX = (
        "ICDINDEX"  # the ICD-10-CM index and tables: PK ICDINDEX#<table>#ROWS#<entry> | ICDINDEX#<table>#ENTRIES
    )


def key(prefix: str, *parts: str) -> str:
    """`key("CODE", "ICD10CM", "E11.9")` → `"CODE#ICD10CM#E11.9"`. Parts may not contain `#`."""
    for part in parts:
        if SEPARATOR in part:
            raise KeyPartInvalid(f"Nothing is named {part!r}: a name never contains {SEPARATOR!r}.")
    return SEPARATOR.join((str(prefix), *parts))


def user_key(team: str, user_id: str) -> str:
    """Partition of one user's own records, under their team (clinic): `USER#<team>#<user_id>`.
    `user_id` is the token's `sub`, never the request's; the team is the token's too (a supervisor
    reads only under their own teams), so one clinic's records are out of another's reach by key."""
    return key("USER", team, user_id.replace(SEPARATOR, "%23"))


# Reference data, as content/publish.py writes it: every published item carries the namespace it
# belongs to in this attribute, and one item points at the live content version. What carries
# neither is user data (store/backup.py exports only that).
NAMESPACE = "ns"
POINTER = (key(Prefix.META), "CONTENT")
