"""infra/template.yaml checked offline: cfn-lint, the SAM translator, handlers and routes."""

from __future__ import annotations

import copy
import importlib

from cfnlint.api import ManualArgs, lint_file

from codedesk.store.definition import table_definition
from codedesk.template import read_template, template_path
from codedesk.web.routes import route_table


def test_cfn_lint_finds_no_errors():
    matches = lint_file(template_path(), config=ManualArgs(regions=["us-east-1"]))
    errors = [str(m) for m in matches if m.rule.id.startswith("E")]
    assert errors == []


def test_the_sam_translator_accepts_the_template(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.translator.transform import transform
    from samtranslator.public.translator import ManagedPolicyLoader

    class NoManagedPolicies(ManagedPolicyLoader):
        def __init__(self):
            pass

        def load(self):
            return {}

    # `sam package` replaces the local CodeUri with the uploaded artifact's S3 address; do the same.
    template = copy.deepcopy(read_template())
    template["Globals"]["Function"]["CodeUri"] = "s3://codedesk-artifacts/lambda.zip"
    try:
        output = transform(template, {}, NoManagedPolicies())
    except InvalidDocumentException as error:
        raise AssertionError("; ".join(str(cause) for cause in error.causes)) from error
    kinds = {resource["Type"] for resource in output["Resources"].values()}
    assert {"AWS::Lambda::Function", "AWS::ApiGatewayV2::Api", "AWS::DynamoDB::Table"} <= kinds


def test_every_handler_resolves_to_an_importable_function():
    for name, resource in read_template()["Resources"].items():
        if resource["Type"] == "AWS::Serverless::Function":
            module, _, attribute = resource["Properties"]["Handler"].rpartition(".")
            assert callable(getattr(importlib.import_module(module), attribute)), name


def test_the_table_keys_follow_the_index_naming_the_adapters_rely_on():
    definition = table_definition()
    assert (definition.partition, definition.sort) == ("PK", "SK")
    for index in definition.indexes:
        assert (index.partition, index.sort) == (f"{index.name}PK", f"{index.name}SK")


def test_routes_are_unique():
    keys = [route.route_key for route in route_table()]
    assert len(keys) == len(set(keys))
