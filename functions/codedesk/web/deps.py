"""Dependencies that routes declare with `Depends(...)`; tests swap them with `app.dependency_overrides`.

The table is opened once per process (a warm Lambda reuses it); the content view is fixed once per
request, so every read in a request sees the same content version.
"""

from __future__ import annotations

from functools import cache

from codedesk.content.view import ContentView, LivePointer
from codedesk.store import open_store, store_url_from_environment
from codedesk.store.port import Table


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
