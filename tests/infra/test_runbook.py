"""docs/DEPLOY.md works as written: every command in its shell blocks is checked offline against
what it names. Parameter overrides, outputs and roles against infra/template.yaml, make targets
against the Makefile, `codedesk` commands against its argument parser, `aws` commands against the
AWS API models botocore ships (operation and option names, waiters), `sam deploy` against the
template (its path, parameters, capabilities). Each check is shown to catch a broken copy too."""

from __future__ import annotations

import re
import shlex
from typing import Any

import botocore.session
import pytest
from botocore import xform_name

from codedesk.cli import build_parser
from codedesk.template import REPOSITORY, read_template, template_path

RUNBOOK = REPOSITORY / "docs" / "DEPLOY.md"
MAKEFILE = REPOSITORY / "Makefile"
OUTPUT_CALL = re.compile(r"\$\(output (\w+)\)")
SUBSTITUTION = re.compile(r"\$\(([^()]*)\)")
# Options the AWS CLI takes on every command, and the CLI's own additions to an operation's input.
AWS_GLOBAL_OPTIONS = {"query", "output", "region", "profile", "cli-binary-format", "no-cli-pager", "debug"}
AWS_CUSTOM_OPTIONS = {("cloudfront", "create-invalidation"): {"paths"}}
AWS_HIGH_LEVEL = {"s3": {"sync", "cp", "rm", "ls"}}
PROFILE_SETTINGS = {"role_arn", "source_profile", "duration_seconds", "region", "mfa_serial", "external_id"}
SAM_DEPLOY_OPTIONS = {
    "guided",
    "stack-name",
    "template-file",
    "capabilities",
    "parameter-overrides",
    "save-params",
    "resolve-s3",
    "no-confirm-changeset",
    "region",
    "profile",
}
SHELL_BUILTINS = {"export", "unset", "cat"}
# Backticked CamelCase words the runbook may use that are neither parameters, outputs nor resources.
OTHER_TERMS = {"CodeUri"}


def code_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)


def command_lines(block: str) -> list[str]:
    """One line per command: continuations joined, here-documents and comments dropped."""
    lines, heredoc = [], None
    for line in block.replace("\\\n", " ").splitlines():
        if heredoc:
            heredoc = None if line.strip() == heredoc else heredoc
            continue
        if match := re.search(r"<<-?'?(\w+)'?", line):
            heredoc = match.group(1)
        if line.strip() and not line.strip().startswith("#"):
            lines.append(line.strip())
    return lines


def _makefile_targets(makefile: str) -> set[str]:
    variables = dict(re.findall(r"^(\w+)\s*[:?]?=\s*(.*)$", makefile, flags=re.MULTILINE))

    def expand(text: str) -> str:
        for _ in range(5):  # variables naming variables: STAMP := $(VENV)/...
            text = re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), text)
        return text

    return {
        expand(part)
        for name in re.findall(r"^([^\s:#=][^:=]*?):(?!=)", makefile, flags=re.MULTILINE)
        for part in name.split()
    }


def _options(tokens: list[str]) -> dict[str, list[str]]:
    """`--name value...` pairs (a flag gets no values); tokens before the first option are skipped."""
    found: dict[str, list[str]] = {}
    current = None
    for token in tokens:
        if token.startswith("--"):
            current = token[2:].split("=", 1)[0]
            found[current] = [token.split("=", 1)[1]] if "=" in token else []
        elif current is not None:
            found[current].append(token)
    return found


class Checker:
    def __init__(self, template: dict[str, Any], makefile: str):
        self.template = template
        self.targets = _makefile_targets(makefile)
        self.session = botocore.session.get_session()
        self.problems: list[str] = []

    def fail(self, line: str, message: str) -> None:
        self.problems.append(f"{line[:90]}: {message}")

    # ------------------------------------------------------------------------------ commands

    def check_outputs(self, block: str) -> None:
        """Every `$(output NAME)`, here-documents included."""
        for name in OUTPUT_CALL.findall(block):
            if name not in self.template.get("Outputs", {}):
                self.problems.append(f"$(output {name}): the stack has no output {name!r}")

    def check_line(self, line: str) -> None:
        """Every command of the line: each side of `&&`, `||`, `;` and `|`, and each `$(...)` other
        than `$(output NAME)`, is checked on its own."""
        line = OUTPUT_CALL.sub(lambda m: f"OUTPUT-{m.group(1)}", line)
        if line.startswith("output() {"):
            line = line[len("output() {") :].rsplit(";", 1)[0]
        while substitution := SUBSTITUTION.search(line):
            self.check_line(substitution.group(1))
            line = line[: substitution.start()] + "SUBSTITUTED" + line[substitution.end() :]
        try:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
            lexer.whitespace_split = True
            lexer.commenters = "#"
            words = list(lexer)
        except ValueError as error:
            self.fail(line, f"not shell: {error}")
            return
        commands: list[list[str]] = [[]]
        for word in words:
            if word in ("&&", "||", ";", "|"):
                commands.append([])
            elif set(word) <= set(";&|"):
                self.fail(line, f"{word!r}: a shell operator this check does not read")
            else:
                commands[-1].append(word)
        for tokens in commands:
            self.check_command(line, tokens)

    def check_command(self, line: str, tokens: list[str]) -> None:
        while tokens and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", tokens[0]):
            tokens = tokens[1:]  # VAR=value before a command, or an assignment alone
        if not tokens:
            return
        program, args = tokens[0], tokens[1:]
        if program == "make":
            for target in args:
                if target not in self.targets:
                    self.fail(line, f"the Makefile has no target {target!r}")
        elif program.endswith("codedesk"):
            self.check_codedesk(line, args)
        elif program == "sam":
            self.check_sam(line, args)
        elif program == "aws":
            self.check_aws(line, args)
        elif program.endswith("python") and args[:1] == ["-c"]:
            compile(args[1], "<runbook>", "exec")
        elif program not in SHELL_BUILTINS:
            self.fail(line, f"a command this check does not know: {program!r}")

    def check_codedesk(self, line: str, args: list[str]) -> None:
        try:
            build_parser().parse_args(args)
        except SystemExit:
            self.fail(line, "codedesk does not accept these arguments")

    def check_sam(self, line: str, args: list[str]) -> None:
        if args[:1] != ["deploy"]:
            self.fail(line, f"only `sam deploy` is part of the runbook, not {args[:1]}")
            return
        options = _options(args[1:])
        for name in set(options) - SAM_DEPLOY_OPTIONS:
            self.fail(line, f"sam deploy has no option --{name}")
        if (REPOSITORY / options.get("template-file", [""])[0]).resolve() != template_path().resolve():
            self.fail(
                line, "deploy infra/template.yaml with --template-file (a stale .aws-sam/build is used otherwise)"
            )
        capabilities = set(options.get("capabilities", []))
        if capabilities != {self.needed_capability()}:
            self.fail(line, f"the template needs --capabilities {self.needed_capability()}, not {sorted(capabilities)}")
        for override in options.get("parameter-overrides", []):
            name = override.split("=", 1)[0]
            if name not in self.template["Parameters"]:
                self.fail(line, f"the template has no parameter {name!r}")

    def needed_capability(self) -> str:
        named = [
            n
            for n, r in self.template["Resources"].items()
            if r["Type"].startswith("AWS::IAM::")
            and {"RoleName", "ManagedPolicyName", "GroupName", "UserName"} & set(r.get("Properties", {}))
        ]
        return "CAPABILITY_NAMED_IAM" if named else "CAPABILITY_IAM"

    def check_aws(self, line: str, args: list[str]) -> None:
        service, command, rest = args[0], args[1] if len(args) > 1 else "", args[2:]
        if service == "configure":
            if (
                command != "set"
                or not re.fullmatch(r"profile\.[\w-]+\.(\w+)", rest[0])
                or rest[0].rsplit(".", 1)[1] not in PROFILE_SETTINGS
            ):
                self.fail(line, "aws configure set profile.NAME.SETTING with a setting the CLI knows")
            return
        if service in AWS_HIGH_LEVEL:
            if command not in AWS_HIGH_LEVEL[service]:
                self.fail(line, f"aws {service} has no command {command!r} here")
            return
        try:
            model = self.session.get_service_model(service)
        except Exception:
            self.fail(line, f"no AWS service {service!r}")
            return
        if command == "wait":
            waiters = self.session.get_waiter_model(service).waiter_names
            if rest[0] not in {xform_name(w, "-") for w in waiters}:
                self.fail(line, f"aws {service} has no waiter {rest[0]!r}")
                return
            operation = model.operation_model(
                self.session.get_waiter_model(service)
                .get_waiter(next(w for w in waiters if xform_name(w, "-") == rest[0]))
                .operation
            )
        else:
            operations = {xform_name(name, "-"): name for name in model.operation_names}
            if command not in operations:
                self.fail(line, f"aws {service} has no command {command!r}")
                return
            operation = model.operation_model(operations[command])
        members = operation.input_shape.members if operation.input_shape else {}
        accepted = {xform_name(name, "-") for name in members} | AWS_GLOBAL_OPTIONS
        accepted |= AWS_CUSTOM_OPTIONS.get((service, command), set())
        for option in _options(rest):
            name = option[3:] if option.startswith("no-") and option[3:] in accepted else option
            if name not in accepted:
                self.fail(line, f"aws {service} {command} has no option --{option}")

    # ------------------------------------------------------------------------------ prose

    def check_prose(self, text: str) -> None:
        known = (
            set(self.template["Parameters"])
            | set(self.template.get("Outputs", {}))
            | set(self.template["Resources"])
            | OTHER_TERMS
        )
        for word in set(re.findall(r"`([A-Z][a-z]+(?:[A-Z][a-z0-9]*)+)`", text)) - known:
            self.problems.append(f"`{word}` is neither a parameter, an output nor a resource of the template")
        for role in set(re.findall(r"\b([A-Z]\w*Role)\b", text)):
            if self.template["Resources"].get(role, {}).get("Type") != "AWS::IAM::Role":
                self.problems.append(f"{role}: the template has no such role")
        for target in re.findall(r"`make ([^`]+)`", text):
            for part in target.split():
                if part not in self.targets:
                    self.problems.append(f"`make {target}`: the Makefile has no target {part!r}")
        table = {m for m in re.findall(r"^\| `(\w+)` \|", text, flags=re.MULTILINE)}
        if table and table != set(self.template["Parameters"]):
            self.problems.append(
                f"the parameter table lists {sorted(table - set(self.template['Parameters']))} that "
                f"the template lacks and leaves out {sorted(set(self.template['Parameters']) - table)}"
            )


def runbook_problems(text: str, template: dict[str, Any] | None = None, makefile: str | None = None) -> list[str]:
    checker = Checker(template or read_template(), makefile if makefile is not None else MAKEFILE.read_text())
    for block in code_blocks(text):
        checker.check_outputs(block)
        for line in command_lines(block):
            checker.check_line(line)
    checker.check_prose(text)
    return checker.problems


def test_the_runbook_matches_the_template_the_makefile_the_cli_and_the_aws_apis():
    text = RUNBOOK.read_text()
    assert len(code_blocks(text)) >= 10
    assert runbook_problems(text) == []


def test_the_readmes_deploy_section_matches_too():
    readme = (REPOSITORY / "README.md").read_text()
    section = readme[readme.index("## Deploy to AWS") :]
    assert "docs/DEPLOY.md" in section
    assert runbook_problems(section) == []


def test_the_runbook_covers_what_an_operator_needs():
    text = RUNBOOK.read_text()
    commands = " ".join(line for block in code_blocks(text) for line in command_lines(block))
    for needed in (
        "make package",
        "sam deploy",
        "codedesk publish",
        "codedesk import icd10cm",
        "codedesk import hcpcs",
        "codedesk import icd10cm-index",
        "codedesk import ncci-ptp",
        "codedesk import mue",
        "codedesk import addon",
        "codedesk import fees",
        "codedesk build-site",
        "aws s3 sync",
        "admin-create-user",
        "--group-name supervisor",
        "restore-table-to-point-in-time",
        "codedesk export",
        "codedesk import-data",
        "delete-stack",
        "object_versions.delete()",
        "OUTPUT-PublisherRoleArn",
    ):
        assert needed in OUTPUT_CALL.sub(lambda m: f"OUTPUT-{m.group(1)}", commands), needed


def test_make_package_builds_the_artifact_the_template_deploys():
    import importlib.util

    spec = importlib.util.spec_from_file_location("package", REPOSITORY / "infra" / "package.py")
    package = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(package)
    code_uri = read_template()["Globals"]["Function"]["CodeUri"]
    assert (template_path().parent / code_uri).resolve() == (package.BUILD / "lambda.zip").resolve()
    assert "package" in _makefile_targets(MAKEFILE.read_text())


def test_what_the_runbook_says_is_retained_is_retained():
    resources = read_template()["Resources"]
    assert resources["Table"]["DeletionPolicy"] == "Retain"
    assert resources["UserPool"]["DeletionPolicy"] == "Retain"
    assert "DeletionPolicy" not in resources["SiteBucket"]  # deleted with the stack, once emptied
    assert resources["SiteBucket"]["Properties"]["VersioningConfiguration"]["Status"] == "Enabled"


@pytest.mark.parametrize(
    "broken, expected",
    [
        (
            "sam deploy --template-file infra/template.yaml --capabilities CAPABILITY_IAM --parameter-overrides SiteDomain=x",
            "no parameter 'SiteDomain'",
        ),
        ("sam deploy --template-file template.yaml --capabilities CAPABILITY_IAM", "--template-file"),
        ("sam deploy --template-file infra/template.yaml", "--capabilities CAPABILITY_IAM"),
        ("sam build", "only `sam deploy`"),
        ('aws s3 sync build/site "s3://$(output SiteBucket)"', "no output 'SiteBucket'"),
        ('cat > x.json <<JSON\n{"clientId": "$(output UserPoolClient)"}\nJSON', "no output 'UserPoolClient'"),
        ("make lambda", "no target 'lambda'"),
        (".venv/bin/codedesk publish --table dynamodb://T", "codedesk does not accept"),
        (".venv/bin/codedesk export --store dynamodb://T --file x.jsonl", "codedesk does not accept"),
        (
            "aws dynamodb restore-table-to-point-in-time --source-table T --target-table-name U --restore-date-time x",
            "no option --source-table",
        ),
        ("aws dynamodb restore-table --source-table-name T", "no command 'restore-table'"),
        ("aws dynamodb wait table-ready --table-name T", "no waiter 'table-ready'"),
        (
            "aws cognito-idp admin-add-user-to-group --user-pool-id P --username u --group supervisor",
            "no option --group",
        ),
        ("terraform apply", "does not know"),
        # every command of a line, not its first only
        ("make package && sam build", "only `sam deploy`"),
        ("aws s3 sync build/site s3://b; aws dynamodb restore-table --x y", "no command 'restore-table'"),
        ("aws dynamodb describe-table --table-name T | aws sqs purge --queue-url U", "no command 'purge'"),
        ("TABLE=$(aws dynamodb list-tablez --output text)", "no command 'list-tablez'"),
        ('echo "$(output TableName)" > x', "does not know: 'echo'"),
        ("make package & make lambda", "a shell operator this check does not read"),
    ],
)
def test_a_broken_command_is_caught(broken, expected):
    problems = runbook_problems(f"```sh\n{broken}\n```\n")
    assert [p for p in problems if expected in p], problems


def test_a_renamed_output_role_or_parameter_in_the_prose_is_caught():
    assert [
        p
        for p in runbook_problems("Assume `PublishingRole`, then read the `TableArn` output.")
        if "PublishingRole" in p
    ]
    assert [p for p in runbook_problems("the `TableArn` output") if "TableArn" in p]
    assert [p for p in runbook_problems("| `SiteDomain` | x |\n") if "SiteDomain" in p]


def test_a_template_that_names_a_role_needs_named_iam():
    import copy

    template = copy.deepcopy(read_template())
    template["Resources"]["PublisherRole"]["Properties"]["RoleName"] = "codedesk-publisher"
    problems = runbook_problems(
        "```sh\nsam deploy --template-file infra/template.yaml --capabilities CAPABILITY_IAM\n```", template
    )
    assert [p for p in problems if "CAPABILITY_NAMED_IAM" in p]
