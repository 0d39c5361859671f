"""What each edit teaches: the denial it would cause (a card on the site) and where to learn the rule."""

from __future__ import annotations

from codedesk.claims.models import DenialLink, TopicLink

_QUIZ = "/quizzes/take/?quiz={}"
_GUIDE = "/guides/{}/#{}"

# rule → (topic, quiz, guide, guide section anchor)
_TOPICS: dict[str, tuple[str, str, str, str]] = {
    "dx": ("icd-10-cm", "coder", "coder", "reading-an-icd-10-cm-code"),
    "dx_date": ("code-sets", "quarterly-updates", "coder", "which-release-applies-the-date-of-service"),
    "procedure_date": ("code-sets", "quarterly-updates", "coder", "which-release-applies-the-date-of-service"),
    "modifier": ("modifiers", "modifiers", "coder", "modifiers"),
    "ncci": ("claims", "modifiers", "coder", "edits-the-claim-meets"),
    "payer": ("payers", "biller", "biller", "building-and-sending-the-claim"),
}


def topic(area: str) -> TopicLink:
    name, quiz, guide, section = _TOPICS[area]
    return TopicLink(topic=name, quiz_url=_QUIZ.format(quiz), guide_url=_GUIDE.format(guide, section))


def denial(spelled: str) -> DenialLink:
    """The remit code the payer would answer with, as sheets write it ("CO-236", or a remark code
    such as "N290"), linked to its card on the site."""
    group, _, reason = spelled.partition("-")
    if reason:
        return DenialLink(code=spelled, url=f"/denials/carc/{reason}/")
    return DenialLink(code=spelled, url=f"/denials/rarc/{group}/")
