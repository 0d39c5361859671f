"""The progress bar long writes show on the command line (rich); the publisher drives it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is in the cli extra, imported when a bar is shown
    from rich.progress import Progress, TaskID

MIN_ITEMS_FOR_A_BAR = 500  # short writes finish before a bar would help


class ProgressBar:
    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def start(self, total: int) -> None:
        if total < MIN_ITEMS_FOR_A_BAR:
            return
        # rich is the cli extra's, not in the Lambda artifact: imported when a bar is first shown.
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn(self.label),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task(self.label, total=total)

    def advance(self, count: int) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task, count)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
