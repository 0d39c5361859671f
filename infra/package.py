"""Build the Lambda artifact every function of infra/template.yaml runs from: build/lambda.zip.

    python infra/package.py        (or `make package`)

The runtime and architecture come from the template's Globals. The artifact holds the `codedesk`
package and the locked runtime dependencies (pyproject's `dependencies`, as wheels for the Lambda
platform), nothing from the CLI extra or the dependency groups, and bytecode compiled by the
runtime's Python version. Reproducible: the same inputs give a byte-identical zip, so `sam deploy`
uploads it only when something changed.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from codedesk.template import read_template

REPOSITORY = Path(__file__).resolve().parents[1]
PACKAGE = REPOSITORY / "functions" / "codedesk"
BUILD = REPOSITORY / "build"
PLATFORMS = {"arm64": "aarch64-manylinux2014", "x86_64": "x86_64-manylinux2014"}
# Already in every Lambda Python runtime; bundling them would add ~20 MB for no gain.
RUNTIME_PROVIDED = {"boto3", "botocore", "s3transfer"}
# Must never be inside: the site builder, test tools and the CLI's importers. Checked after the build
# by top-level import name, so a dependency that starts pulling one in fails the build.
FORBIDDEN = {
    "mkdocs",
    "material",
    "moto",
    "pytest",
    "_pytest",
    "hypothesis",
    "playwright",
    "schemathesis",
    "cfnlint",
    "samtranslator",
    "locust",
    "yaml",
    "_yaml",
    "jwt",
    "rich",
    "simple_icd_10_cm",
    "boto3",
    "botocore",
}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class PackagingError(Exception):
    """Something the person running the build has to fix; the message says what."""


def lambda_target() -> tuple[str, str]:
    """(Python version, uv platform) of the template's functions: ("3.12", "aarch64-manylinux2014")."""
    function = read_template()["Globals"]["Function"]
    runtime, [architecture] = function["Runtime"], function["Architectures"]
    if not runtime.startswith("python3."):
        raise PackagingError(f"infra/template.yaml: the runtime {runtime!r} is not a Python runtime")
    return runtime.removeprefix("python"), PLATFORMS[architecture]


def _uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv") or str(REPOSITORY / ".uv" / "bin" / "uv")
    if not Path(found).exists() and not shutil.which(found):
        raise PackagingError("uv is needed: run `make test` once (it installs uv into .uv/) or install uv")
    return found


def runtime_requirements() -> list[str]:
    """`name==version` of every locked runtime dependency (the closure, markers resolved by uv)."""
    exported = subprocess.run(
        [
            _uv(),
            "export",
            "--frozen",
            "--no-dev",
            "--no-default-groups",
            "--no-hashes",
            "--no-emit-project",
            "--no-header",
            "--no-annotate",
        ],
        cwd=REPOSITORY,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [line.strip() for line in exported.splitlines() if line.strip() and not line.startswith(("#", "-"))]


def _python_version(executable: str) -> str | None:
    try:
        answer = subprocess.run(
            [executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except OSError:
        return None
    return answer.stdout.strip() if answer.returncode == 0 else None


def runtime_python(version: str) -> str:
    """An interpreter of the runtime's version, to compile bytecode Lambda can use as it is."""
    candidates = [os.environ.get("CODEDESK_RUNTIME_PYTHON", "")]
    found = subprocess.run([_uv(), "python", "find", "--no-project", version], capture_output=True, text=True)
    candidates.append(found.stdout.strip() if found.returncode == 0 else "")
    candidates.append(shutil.which(f"python{version}") or "")
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    for candidate in filter(None, candidates):
        if _python_version(candidate) == version:
            return candidate
    raise PackagingError(
        f"Python {version} (the template's runtime) is needed to compile the bytecode: "
        f"`uv python install {version}`, or set CODEDESK_RUNTIME_PYTHON to its interpreter"
    )


def install_dependencies(target: Path, version: str, platform: str) -> None:
    wanted = [r for r in runtime_requirements() if r.split("==")[0].lower() not in RUNTIME_PROVIDED]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as requirements:
        requirements.write("\n".join(wanted) + "\n")
    try:
        subprocess.run(
            [
                _uv(),
                "pip",
                "install",
                "--quiet",
                "--target",
                str(target),
                "--python-version",
                version,
                "--python-platform",
                platform,
                "--only-binary",
                ":all:",
                "--no-deps",
                "--no-compile",
                "-r",
                requirements.name,
            ],
            check=True,
        )
    finally:
        os.unlink(requirements.name)
    shutil.rmtree(target / "bin", ignore_errors=True)
    (target / ".lock").unlink(missing_ok=True)
    for tests in [*target.glob("*/tests"), *target.glob("*/test")]:
        shutil.rmtree(tests)  # the dependencies' own test suites


def copy_package(target: Path) -> None:
    shutil.copytree(PACKAGE, target / "codedesk", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def compile_bytecode(target: Path, python: str) -> None:
    # unchecked-hash: Lambda's file system is read-only and zip timestamps are coarse, so a
    # timestamp check could make every cold start recompile in memory; these never re-check.
    subprocess.run(
        [python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(target)], check=True
    )


def top_level(target: Path) -> dict[str, int]:
    """Bytes per top-level entry of the unpacked artifact."""
    sizes = {}
    for entry in sorted(target.iterdir()):
        files = [entry] if entry.is_file() else [p for p in entry.rglob("*") if p.is_file()]
        sizes[entry.name] = sum(p.stat().st_size for p in files)
    return sizes


def forbidden_inside(target: Path) -> list[str]:
    names = {
        entry.name.removesuffix(".py").split(".")[0]
        for entry in target.iterdir()
        if not entry.name.endswith((".dist-info", ".libs"))
    }
    return sorted(names & FORBIDDEN)


def write_zip(target: Path, archive: Path) -> None:
    archive.unlink(missing_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for path in sorted(p for p in target.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(str(path.relative_to(target)), ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            bundle.writestr(info, path.read_bytes(), compresslevel=9)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def build(target: Path, archive: Path) -> dict[str, int]:
    version, platform = lambda_target()
    python = runtime_python(version)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    install_dependencies(target, version, platform)
    copy_package(target)
    compile_bytecode(target, python)
    if inside := forbidden_inside(target):
        raise PackagingError(f"the artifact must not contain {inside}; a runtime dependency pulls them in")
    write_zip(target, archive)
    sizes = top_level(target)
    print(f"Lambda artifact for python{version} on {platform}: {archive.relative_to(REPOSITORY)}")
    print(
        f"  zipped {_megabytes(archive.stat().st_size)}, unpacked {_megabytes(sum(sizes.values()))} "
        f"(Lambda's limit: 250 MB unpacked)"
    )
    print("  top-level contents:")
    for name, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"    {size / 1000:>9.0f} kB  {name}")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=Path, default=BUILD / "lambda", help="the unpacked artifact")
    parser.add_argument("--zip", type=Path, default=BUILD / "lambda.zip", help="the artifact the template deploys")
    args = parser.parse_args(argv)
    try:
        build(args.target.resolve(), args.zip.resolve())
    except PackagingError as error:
        print(f"make package: {error}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as error:
        print(
            f"make package: `{' '.join(map(str, error.cmd[:3]))} ...` failed (exit {error.returncode})", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
