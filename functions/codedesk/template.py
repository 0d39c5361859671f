"""Reading infra/template.yaml: the one definition of the table and the API's routes.

CloudFormation's short-form tags (!Ref, !GetAtt, !Sub, ...) are kept as `{"Fn::X": value}` the way
the long form writes them, so callers see plain data.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REPOSITORY = Path(__file__).resolve().parents[2]


def template_path() -> Path:
    return Path(os.environ.get("CODEDESK_TEMPLATE", REPOSITORY / "infra" / "template.yaml"))


class _CloudFormationLoader(yaml.SafeLoader):
    pass


def _short_form(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _short_form)


@cache
def read_template() -> dict[str, Any]:
    with template_path().open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_CloudFormationLoader)  # a SafeLoader subclass: safe
