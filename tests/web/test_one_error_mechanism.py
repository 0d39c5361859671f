"""One error mechanism: services raise the domain errors of codedesk/errors.py (or a subclass), and
web/errors.py alone turns them into statuses. No module outside web/ answers an error status, uses
powertools' HTTP exceptions or writes the error body itself, and every domain error anywhere in the
code base is a kind mapped to a status a caller can act on (4xx, or 503 to retry)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import codedesk
from codedesk.errors import DomainError
from codedesk.web.errors import STATUS

FUNCTIONS = Path(codedesk.__file__).parent
HTTP_EXCEPTIONS = "aws_lambda_powertools.event_handler.exceptions"


def _subclasses(kind: type) -> set[type]:
    found = set()
    for sub in kind.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_every_domain_error_of_every_module_is_one_of_the_mapped_kinds():
    """Every domain error subclasses a kind web/errors.py maps on purpose: none falls through to
    status_of's default, which would answer 400 for what may be a conflict or an outage."""
    for module in pkgutil.walk_packages(codedesk.__path__, "codedesk."):
        importlib.import_module(module.name)
    errors = _subclasses(DomainError)
    assert len(errors) >= 15, sorted(e.__name__ for e in errors)  # the domains' own names are there
    assert sorted(e.__name__ for e in errors if not any(kind in STATUS for kind in e.__mro__)) == []
    assert all(400 <= status < 500 or status == 503 for status in STATUS.values())


def error_answers(source: str) -> list[int]:
    """Lines that choose an HTTP error themselves: powertools' HTTP exceptions, a Response with a
    4xx/5xx status, or the error body written by hand."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == HTTP_EXCEPTIONS:
            lines.append(node.lineno)
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if (
                    keyword.arg == "status_code"
                    and isinstance(keyword.value, ast.Constant)
                    and isinstance(keyword.value.value, int)
                    and keyword.value.value >= 400
                ):
                    lines.append(node.lineno)
        if isinstance(node, ast.Dict) and any(
            isinstance(key, ast.Constant)
            and key.value == "error"
            and isinstance(value, ast.Dict)
            and any(isinstance(inner, ast.Constant) and inner.value == "code" for inner in value.keys)
            for key, value in zip(node.keys, node.values, strict=True)
        ):
            lines.append(node.lineno)
    return lines


def test_no_module_outside_web_answers_an_error_itself():
    answering = {
        f"{path.relative_to(FUNCTIONS)}:{line}"
        for path in sorted(FUNCTIONS.rglob("*.py"))
        if path.relative_to(FUNCTIONS).parts[0] != "web"
        for line in error_answers(path.read_text())
    }
    assert answering == set(), "raise a codedesk.errors error; web/errors.py maps it"


def test_the_check_catches_each_way_around_the_mapping():
    assert error_answers(f"from {HTTP_EXCEPTIONS} import NotFoundError\n") == [1]
    assert error_answers('Response(status_code=404, body="")\n') == [1]
    assert error_answers('answer = {"error": {"code": "x"}}\n') == [1]
    assert error_answers('Response(status_code=201, body="")\n') == []
