"""Storage: the table port and its adapters, chosen by a store URL.

`sqlite:///path/to/file.db` — the embedded store (a relative path after the three slashes is taken
from the working directory; `sqlite:////abs/path.db` is absolute); `dynamodb://TABLE` — DynamoDB,
with region, credentials and endpoint from the usual AWS settings (`AWS_ENDPOINT_URL` reaches a moto
server).
"""

from __future__ import annotations

import os
from urllib.parse import urlparse

from codedesk.store.port import Table


def open_store(url: str) -> Table:
    # Each adapter is imported when its URL is opened, for cold start: a Lambda function never
    # loads sqlite3's adapter, and `codedesk serve` never loads boto3.
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        from codedesk.store.sqlite import SqliteTable

        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else ""
        if not path:
            raise ValueError(f"store URL {url!r}: write sqlite:///relative/path.db or sqlite:////absolute/path.db")
        return SqliteTable(path)
    if parsed.scheme == "dynamodb":
        from codedesk.store.dynamodb import DynamoTable

        if not parsed.netloc:
            raise ValueError(f"store URL {url!r}: write dynamodb://TABLE_NAME")
        return DynamoTable(parsed.netloc)
    raise ValueError(f"store URL {url!r} is neither sqlite:///... nor dynamodb://...")


def store_url_from_environment() -> str:
    """Lambda sets TABLE_NAME; the local server and CLI set CODEDESK_STORE."""
    if os.environ.get("CODEDESK_STORE"):
        return os.environ["CODEDESK_STORE"]
    if os.environ.get("TABLE_NAME"):
        return f"dynamodb://{os.environ['TABLE_NAME']}"
    raise RuntimeError("no store configured: set TABLE_NAME (DynamoDB) or CODEDESK_STORE (a store URL)")
