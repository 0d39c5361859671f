"""What a `codedesk import` command says when it fails, in one wording for every reader: a problem of
the file is the file's (path:line and field), and a failed publish says what is still served."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


class CommandFailed(Exception):
    """A command that has told the user why it failed; `codedesk` exits 1."""


@contextmanager
def import_reported(previous: str, *file_errors: type[Exception]) -> Iterator[None]:
    # Imported here, as the readers themselves are: `codedesk token` need not load the publisher.
    from codedesk.content.publish import PublishError
    from codedesk.store.port import StoreError

    try:
        yield
    except file_errors as error:
        print(f"codedesk import: {error}", file=sys.stderr)
        raise CommandFailed from error
    except (PublishError, StoreError) as error:
        print(f"import failed, the previous {previous} is still served: {error}", file=sys.stderr)
        raise CommandFailed from error
