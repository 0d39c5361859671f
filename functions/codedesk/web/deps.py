"""Dependencies that routes declare with `Depends(...)`; tests swap them with `app.dependency_overrides`.

The table is opened once per process (a warm Lambda reuses it); the content view is fixed once per
request, so every read in a request sees the same content version.
"""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

from datetime import UTC, date, datetime
from functools import cache
from typing import Annotated

from aws_lambda_powertools.event_handler.depends import Depends

from codedesk.content.view import ContentView, LivePointer
from codedesk.store import open_store, store_url_from_environment
from codedesk.store.port import Table
from codedesk.web.auth import User, current_user


@cache
def table() -> Table:
    return open_store(store_url_from_environment())


@cache
def _live_pointer() -> LivePointer:
    return LivePointer(table())


def content() -> ContentView:
    return _live_pointer().view()


def reset() -> None:
    """Forget the opened store (the local server calls it after switching stores; tests too)."""
    table.cache_clear()
    _live_pointer.cache_clear()


def now() -> datetime:
    """The current moment (UTC, aware): when an attempt is submitted, a review assigned or completed;
    tests override it."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date (UTC): the default date of service and of staleness checks; tests override it."""
    return now().date()


# The parameters routes declare, each meaning one thing everywhere.
SignedIn = Annotated[User, Depends(current_user)]
Content = Annotated[ContentView, Depends(content)]
Store = Annotated[Table, Depends(table)]
Today = Annotated[date, Depends(today)]
Now = Annotated[datetime, Depends(now)]
