"""The quiz topics: what a question is about. Denial cards and guides name them too, so they live
apart from the quiz models (a function that only names a topic need not load the question bank)."""

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
