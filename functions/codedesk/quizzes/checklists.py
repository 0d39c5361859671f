"""Onboarding checklists, kept per person on the server: a shared front-desk PC no longer shares one
checklist, and a supervisor sees each person's progress.

The items are the role's guide's week-one checklist (content/guides, published as GUIDE#<slug>);
an item's id is named by its words (handbook.models.checklist_item_id), as the guide page's boxes
are. Ticks are user data: PK `USER#<team>#<user_id>`, SK `CHECKLIST#<role>`, one attribute per ticked
item (`item_<id>`: the day it was ticked; an empty string once unticked), so ticking is one update
that never overwrites another item's tick. An item the guide ties to quizzes (`quiz_items`) is
ticked by passing them, not by hand: it reads the team's quiz results. Round trips: reading a
checklist is two content reads (role, guide) and one batch get (the ticks and the quizzes'
results); ticking adds one update.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from codedesk.content.view import ContentView
from codedesk.errors import InvalidFields, NotFound
from codedesk.handbook.models import checklist_item_id
from codedesk.handbook.publish import guide_key, role_key
from codedesk.quizzes.records import results_key
from codedesk.quizzes.standing import Checklist, ChecklistItem
from codedesk.store.keys import Prefix, key, user_key
from codedesk.store.port import Item, Table

TICK = "item_"


class NoChecklist(NotFound):
    pass


class UnknownItem(NotFound):
    pass


class TickedByQuiz(InvalidFields):
    pass


def _ticks_key(team: str, user_id: str, role: str) -> tuple[str, str]:
    return user_key(team, user_id), key(Prefix.CHECKLIST, role)


def _guide(view: ContentView, role: str) -> tuple[str, Item]:
    profile = view.get(*role_key(role))
    guide = view.get(*guide_key(profile["guide"])) if profile else None
    if profile is None or guide is None or not guide.get("checklist"):
        raise NoChecklist(f"The {role} role has no onboarding checklist.")
    return profile["guide"], guide


def _quizzes_of(guide: Item) -> dict[str, list[str]]:
    """Checklist text → the quizzes whose passing ticks it."""
    return {entry["item"]: list(entry["quizzes"]) for entry in guide.get("quiz_items") or []}


def _first_pass(standing: dict[str, Any] | None) -> tuple[bool, date | None]:
    if not standing or not standing.get("passed"):
        return False, None
    passed_at = standing.get("passed_at")
    return True, date.fromisoformat(passed_at[:10]) if passed_at else None


def read_checklist(table: Table, view: ContentView, *, team: str, user_id: str, role: str) -> Checklist:
    slug, guide = _guide(view, role)
    by_quiz = _quizzes_of(guide)
    quiz_ids = sorted({quiz for quizzes in by_quiz.values() for quiz in quizzes})
    wanted = [_ticks_key(team, user_id, role), *(results_key(team, quiz) for quiz in quiz_ids)]
    found = {(item["PK"], item["SK"]): item for item in table.batch_get(wanted)}
    ticks = found.get(wanted[0]) or {}
    standings = {
        quiz: ((found.get(results_key(team, quiz)) or {}).get("people") or {}).get(user_id) for quiz in quiz_ids
    }
    items = []
    for text in guide["checklist"]:
        item_id = checklist_item_id(slug, text)
        if text in by_quiz:
            passes = [_first_pass(standings[quiz]) for quiz in by_quiz[text]]
            done = all(passed for passed, _ in passes)
            days = [day for _, day in passes if day]
            done_on = max(days) if done and len(days) == len(passes) else None
        else:
            ticked = ticks.get(TICK + item_id) or ""
            done, done_on = bool(ticked), date.fromisoformat(ticked) if ticked else None
        items.append(
            ChecklistItem(
                item_id=item_id, text=text, done=done, done_on=done_on, ticked_by_quizzes=by_quiz.get(text, [])
            )
        )
    return Checklist(role=role, guide=slug, items=items, done=sum(i.done for i in items), total=len(items))


def tick(
    table: Table, view: ContentView, *, team: str, user_id: str, role: str, item_id: str, done: bool, today: date
) -> ChecklistItem:
    """Tick or untick one item of the person's own checklist."""
    slug, guide = _guide(view, role)
    texts = {checklist_item_id(slug, text): text for text in guide["checklist"]}
    if item_id not in texts:
        raise UnknownItem(f"The {role} checklist has no item {item_id!r}; reload the page.")
    quizzes = _quizzes_of(guide).get(texts[item_id])
    if quizzes:
        raise TickedByQuiz(
            f"This item ticks itself when you pass the {' and '.join(quizzes)} quiz"
            f"{'zes' if len(quizzes) > 1 else ''}.",
            [{"field": "item_id", "message": "ticked by passing quizzes"}],
        )
    table.update(*_ticks_key(team, user_id, role), changes={TICK + item_id: today.isoformat() if done else ""})
    return ChecklistItem(item_id=item_id, text=texts[item_id], done=done, done_on=today if done else None)
