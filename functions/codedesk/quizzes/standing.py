"""Where a person stands in their training: quiz standing and checklist progress, as the API shows
them. Plain models with no content models behind them, so the staff function's person page can
declare its answer without loading the quizzes themselves (cold start)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class QuizStanding(BaseModel):
    """Where one person stands in one quiz of their roles."""

    quiz_id: str
    title: str
    status: Literal["not_started", "in_progress", "passed"]
    best_percent: int | None = None
    passed_at: str | None = None


class ChecklistItem(BaseModel):
    item_id: str
    text: str
    done: bool
    done_on: date | None = None
    ticked_by_quizzes: list[str] = Field(default_factory=list, description="passing these quizzes ticks it")


class Checklist(BaseModel):
    role: str
    guide: str
    items: list[ChecklistItem]
    done: int
    total: int
