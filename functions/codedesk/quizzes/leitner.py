""" "Review my misses": a Leitner schedule over the questions a learner got wrong.

A miss puts the question in box 1, due at once. Answered right when due, it moves up a box and
comes back after that box's interval; right in the last box, it is learned and leaves the review.
Answered wrong anywhere, it drops back to box 1. A right answer before the question is due changes
nothing: spacing, not cramming, is what the boxes are for. An audit miss is a miss like any other: the
question that teaches the missed code goes to box 1, with the miss as the card's reason (`why`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

BOX_INTERVAL_DAYS = {1: 0, 2: 1, 3: 3, 4: 7, 5: 14}
LAST_BOX = max(BOX_INTERVAL_DAYS)


@dataclass(frozen=True)
class ReviewCard:
    question_id: str
    quiz_id: str  # where the question lives in the published content
    box: int
    due_on: date
    misses: int
    why: str | None = None  # an audit miss says which encounter and codes; a quiz miss needs no words

    def as_item(self) -> dict:
        item = {"quiz_id": self.quiz_id, "box": self.box, "due_on": self.due_on.isoformat(), "misses": self.misses}
        return item | ({"why": self.why} if self.why else {})

    @classmethod
    def from_item(cls, question_id: str, item: dict) -> ReviewCard:
        return cls(
            question_id,
            item["quiz_id"],
            int(item["box"]),
            date.fromisoformat(item["due_on"]),
            int(item["misses"]),
            item.get("why"),
        )


def after_miss(
    card: ReviewCard | None, *, question_id: str, quiz_id: str, today: date, why: str | None = None
) -> ReviewCard:
    """Back to box 1, due today; a new reason replaces the old one, no reason keeps it."""
    if card is None:
        return ReviewCard(question_id, quiz_id, 1, today, 1, why)
    return replace(card, box=1, due_on=today, misses=card.misses + 1, why=why or card.why)


def after_answer(
    card: ReviewCard | None, *, question_id: str, quiz_id: str, correct: bool, today: date
) -> ReviewCard | None:
    """The card after one answer; None when the question is not (or no longer) under review."""
    if not correct:
        return after_miss(card, question_id=question_id, quiz_id=quiz_id, today=today)
    if card is None or card.due_on > today:
        return card
    if card.box == LAST_BOX:
        return None
    box = card.box + 1
    return replace(card, box=box, due_on=today + timedelta(days=BOX_INTERVAL_DAYS[box]))


def due_cards(cards: Iterable[ReviewCard], today: date, limit: int) -> list[ReviewCard]:
    """The cards to review today: the lowest boxes and the longest overdue first."""
    due = [card for card in cards if card.due_on <= today]
    return sorted(due, key=lambda card: (card.box, card.due_on, card.question_id))[:limit]
