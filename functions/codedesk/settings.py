"""Where the local tools keep their files; each can be moved with an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

from codedesk.template import REPOSITORY


def data_dir() -> Path:
    """The local data folder: the embedded store, the local signing key (git-ignored)."""
    return Path(os.environ.get("CODEDESK_DATA", REPOSITORY / "data")).resolve()


def default_store_url() -> str:
    return os.environ.get("CODEDESK_STORE") or f"sqlite:///{data_dir() / 'codedesk.db'}"


def build_dir() -> Path:
    return Path(os.environ.get("CODEDESK_BUILD", REPOSITORY / "build")).resolve()
