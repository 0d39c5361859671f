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


# The CDC's FY2025 index, neoplasm, drug and external-cause XMLs in the shared corpus beside the
# checkout (public domain; not copied into the repository).
SHARED_INDEX_FILES = REPOSITORY.parent / "shared" / "data" / "icd10cm" / "index-2025"


def index_files_dir() -> Path:
    """The ICD-10-CM index XMLs that `codedesk serve` loads at start-up: SHARED_INDEX_FILES unless
    CODEDESK_INDEX_FILES names another folder."""
    return Path(os.environ.get("CODEDESK_INDEX_FILES", SHARED_INDEX_FILES)).resolve()


def index_files() -> list[Path]:
    """The index XMLs in index_files_dir() (plain or .xz), none when the folder is absent."""
    folder = index_files_dir()
    return sorted(p for p in folder.glob("*.xml*") if p.name.endswith((".xml", ".xml.xz"))) if folder.is_dir() else []
