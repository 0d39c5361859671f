"""The training topics: what a quiz question, a denial card or a guide is about. Shared vocabulary
like the roles, so it lives in the core: the domains that name a topic depend on it, not on each other."""

from typing import Literal

Topic = Literal[
    "front-desk",
    "eligibility",
    "privacy",
    "code-sets",
    "icd-10-cm",
    "hcpcs",
    "cpt",
    "modifiers",
    "claims",
    "denials",
    "payers",
    "timely-filing",
    "quarterly-updates",
]
