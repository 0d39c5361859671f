"""The Lambda artifact: what `make package` puts in it, and that the handlers need nothing else."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import packages_distributions

import pytest

from codedesk.template import read_template
from infra.package import FORBIDDEN, RUNTIME_PROVIDED, forbidden_inside, lambda_target, runtime_requirements

HANDLERS = sorted(
    {
        r["Properties"]["Handler"]
        for r in read_template()["Resources"].values()
        if r["Type"] == "AWS::Serverless::Function"
    }
)


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", requirement.split("==")[0]).lower()


@pytest.fixture(scope="module")
def runtime_distributions() -> set[str]:
    return {_name(r) for r in runtime_requirements()} | RUNTIME_PROVIDED | {"codedesk"}


def test_the_artifact_targets_the_templates_runtime():
    function = read_template()["Globals"]["Function"]
    assert lambda_target() == (function["Runtime"].removeprefix("python"), "aarch64-manylinux2014")


def test_no_cli_site_or_test_package_is_a_runtime_dependency(runtime_distributions):
    for excluded in (
        "pyyaml",
        "rich",
        "pyjwt",
        "simple-icd-10-cm",
        "mkdocs",
        "mkdocs-material",
        "moto",
        "pytest",
        "playwright",
        "cfn-lint",
        "aws-sam-translator",
        "locust",
    ):
        assert excluded not in runtime_distributions


def test_the_build_refuses_an_artifact_holding_a_forbidden_package(tmp_path):
    for name in ("codedesk", "pydantic", "yaml", "mkdocs", "moto", "pyx12-4.0.0.dist-info"):
        (tmp_path / name).mkdir()
    (tmp_path / "rich.py").write_text("")
    assert forbidden_inside(tmp_path) == ["mkdocs", "moto", "rich", "yaml"]
    assert {"yaml", "jwt", "rich", "simple_icd_10_cm", "mkdocs", "moto"} <= FORBIDDEN


def test_every_handler_imports_with_only_the_runtime_dependencies(runtime_distributions):
    """In a fresh interpreter where every installed package outside the runtime closure refuses to
    import, as in Lambda; a failure names the chain of imports that reached it."""
    blocked = sorted(
        module
        for module, dists in packages_distributions().items()
        if not {_name(d) for d in dists} & runtime_distributions
    )
    script = f"""
import importlib, importlib.abc, json, sys, traceback
BLOCKED = set({blocked!r})
class NotInLambda(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{{name}} is not in the Lambda artifact")
sys.meta_path.insert(0, NotInLambda())
failures = {{}}
for handler in {HANDLERS!r}:
    module, _, attribute = handler.rpartition(".")
    try:
        assert callable(getattr(importlib.import_module(module), attribute))
    except Exception as error:
        chain = [f"{{f.filename.split('functions/')[-1]}}:{{f.lineno}}" for f in traceback.extract_tb(error.__traceback__)
                 if "/codedesk/" in f.filename]
        failures[handler] = f"{{error}} (via {{' -> '.join(chain)}})"
print(json.dumps(failures))
"""
    answer = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "TABLE_NAME": "codedesk", "AWS_DEFAULT_REGION": "us-east-1"},
    )
    assert answer.returncode == 0, answer.stderr
    failures = json.loads(answer.stdout.strip().splitlines()[-1])
    assert failures == {}, "\n".join(f"{handler}: {why}" for handler, why in failures.items())


def test_handlers_import_without_the_aws_sdk_or_models_they_do_not_serve():
    """What would lengthen every cold start (tests/benchmarks/bench_cold_start.py): boto3 and botocore's
    session load with a function's first AWS client; the denial content models only where content
    is validated or published; and in the denials function the payer sheet models only for an
    explanation that names a payer."""
    never = {"boto3", "botocore.session", "codedesk.denials.models"}
    also = {"codedesk.denials.api": {"codedesk.payers.models"}}
    for handler in HANDLERS:
        module = handler.rpartition(".")[0]
        answer = subprocess.run(
            [sys.executable, "-c", f"import sys, {module}; print(*sys.modules)"],
            capture_output=True,
            text=True,
            timeout=120,
            env={"PATH": "/usr/bin:/bin", "TABLE_NAME": "codedesk", "AWS_DEFAULT_REGION": "us-east-1"},
        )
        assert answer.returncode == 0, answer.stderr
        assert set(answer.stdout.split()) & (never | also.get(module, set())) == set(), handler
