"""`codedesk`: validate and publish content, build the site, serve the portal locally, issue local tokens."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from codedesk import settings
from codedesk.claims import cli as claims_cli
from codedesk.codes import cli as codes_cli
from codedesk.commands import CommandFailed
from codedesk.denials import cli as denials_cli
from codedesk.payers import cli as payers_cli
from codedesk.progress import ProgressBar
from codedesk.reviews import cli as reviews_cli
from codedesk.staff import cli as staff_cli

# Each command imports what it uses when it runs, for start-up time only (`codedesk token` need not
# load the content catalog, nor `codedesk validate` the web server); none of these imports is there
# to hide a cycle (lint-imports checks function-level imports too).


# ---------------------------------------------------------------------------- content


def _load_content(content: Path | None, today: date | None = None):
    """All of content/ (or the folder given) read through the catalog: (bundle, problems)."""
    from codedesk.catalog import load_content

    return load_content(content, today)


def _load_and_report(content: Path | None, *, quiet_ok: bool = False, today: date | None = None):
    """Load content/, print every problem; returns (bundle, number of errors)."""
    bundle, problems = _load_content(content, today)
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        print(str(problem), file=sys.stderr)
    if errors:
        print(f"{len(errors)} error(s) in {bundle.root}; nothing was published.", file=sys.stderr)
    elif not quiet_ok:
        counted = sum(len(docs) for docs in bundle.documents.values())
        warnings = len(problems)
        print(f"content OK: {counted} file(s) valid" + (f", {warnings} warning(s)" if warnings else ""))
    return bundle, len(errors)


def cmd_validate(args: argparse.Namespace) -> int:
    _, errors = _load_and_report(args.content, today=args.today)
    return 1 if errors else 0


def publish_content(store_url: str, content: Path | None) -> int:
    """Validate, then publish; returns an exit status. Shared by `publish` and `serve`."""
    from codedesk.catalog import content_item_sets
    from codedesk.content.publish import PublishError, publish
    from codedesk.store import open_store
    from codedesk.store.port import StoreError

    bundle, errors = _load_and_report(content, quiet_ok=True)
    if errors:
        return 1
    table = open_store(store_url)
    bar = ProgressBar("publishing")
    try:
        report = publish(table, content_item_sets(bundle), progress=bar)
    except (PublishError, StoreError) as error:
        print(f"publish failed, the previous content is still served: {error}", file=sys.stderr)
        return 1
    finally:
        bar.stop()
    if report.changed:
        print(
            f"published content version {report.version}: {report.written} item(s) written, "
            f"{report.deleted} deleted, {report.unchanged} unchanged"
        )
    else:
        print(f"content unchanged (version {report.version}): 0 items written")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    return publish_content(args.store or settings.default_store_url(), args.content)


# ------------------------------------------------------------------------------- site


def cmd_build_site(args: argparse.Namespace) -> int:
    from codedesk.site.build import SiteBuildError

    bundle, errors = _load_and_report(args.content, quiet_ok=True)
    if errors:
        return 1
    try:
        site_dir, rebuilt = _build_site_with_releases(
            bundle, args.store or settings.default_store_url(), force=args.force
        )
    except SiteBuildError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"site {'built' if rebuilt else 'up to date'}: {site_dir}")
    return 0


# ------------------------------------------------------------------------------ serve


def release_schedule(table):
    """When releases we have not loaded may have taken effect (codes/releases.py): the release
    calendar published from content/, or, before the first publish, any day."""
    from codedesk.codes.releases import unknown_schedule
    from codedesk.content.view import LivePointer
    from codedesk.reviews.publish import published_calendar

    calendar = published_calendar(LivePointer(table).view())
    return calendar.first_release_between if calendar is not None else unknown_schedule


def import_default_code_sets(store_url: str) -> None:
    """The ICD-10-CM releases loaded by default, oldest first, each diff-based against the one
    before; a release already in the store is skipped without reading its file."""
    from codedesk.codes.icd10cm import CodeFileError
    from codedesk.codes.importer import default_icd10cm_file, import_code_sets, loaded_releases
    from codedesk.codes.models import CodeSystem
    from codedesk.codes.official_files import OLDER_ICD10CM_RELEASES, fetched
    from codedesk.store import open_store

    table = open_store(store_url)
    loaded = loaded_releases(table, CodeSystem.ICD10CM)
    latest = max(loaded, default="")
    wanted = [o for o in OLDER_ICD10CM_RELEASES if o.effective_on.isoformat() not in loaded]
    files = []
    for official in wanted:
        if official.effective_on.isoformat() < latest:
            continue  # history only moves forward: a store begun with a newer release keeps its start
        try:
            files.append(fetched(official, settings.data_dir() / "code-files"))
        except CodeFileError as error:
            print(
                f"ICD-10-CM {official.effective_on} not loaded: {error}. History will start with a later "
                "release; to load it afterwards, start again from a clean data/ (make clean).",
                file=sys.stderr,
            )
    newest = default_icd10cm_file()
    files.append(newest)
    schedule = release_schedule(table)
    for path in files:
        bar = ProgressBar(f"importing ICD-10-CM {path.name}")
        try:
            report = import_code_sets(table, "icd10cm", [path], schedule=schedule, progress=bar)
        finally:
            bar.stop()
        if report.publish is None:  # this file was the last one imported
            continue
        for done in report.systems:
            changed = (
                f" ({len(done.changes.added)} added, {len(done.changes.deleted)} deleted, "
                f"{len(done.changes.revised)} revised against {done.changes.previous_release})"
                if done.changes
                else ""
            )
            print(f"imported ICD-10-CM {done.release}{changed}: {report.publish.written:,} item(s) written")
    _import_index_tables(table)


def _import_index_tables(table) -> None:
    """The ICD-10-CM index tables from settings.index_files_dir(), once; without them search and the
    tabular lookup still work, and the Index page says how to load them."""
    from codedesk.codes.index_tables import IndexFileError, import_index_files
    from codedesk.store.port import StoreError

    how = "(set CODEDESK_INDEX_FILES, or run codedesk import icd10cm-index FILE...)"
    files = settings.index_files()
    if not files:
        print(f"ICD-10-CM index tables not loaded: no index XML in {settings.index_files_dir()} {how}", file=sys.stderr)
        return
    try:
        _, published = import_index_files(table, files)
    except (IndexFileError, StoreError) as error:  # the folder is the operator's: say why, keep serving
        print(f"ICD-10-CM index tables not loaded from {settings.index_files_dir()}: {error} {how}", file=sys.stderr)
        return
    if published is not None:  # None when these index files were imported before
        print(f"imported the ICD-10-CM index tables: {published.written:,} item(s) written")


def _build_site_with_releases(bundle, store_url: str, *, force: bool = False):
    """The site from content/ plus one page per code-set release (read from the store), and a page for
    each release the calendar names that is not loaded yet."""
    from codedesk.codes.pages import clinic_families, release_pages_from_store
    from codedesk.site.build import build_site
    from codedesk.store import open_store

    pages = release_pages_from_store(
        open_store(store_url), named=named_releases(bundle, date.today()), families=clinic_families(bundle)
    )
    return build_site(bundle, settings.build_dir(), extra_pages=pages, force=force)


NAMED_YEARS_AHEAD = 2  # as far as the calendar pages look (reviews/pages.py: this year and the next two)
NAMED_YEARS_BEFORE = 5  # reviews of recent years still link their releases


def named_releases(bundle, today: date):
    """The releases the content's calendar names for code sets with a lookup, recent years to the
    calendar's last year: each gets a page, loaded or not."""
    from codedesk.codes.models import CodeSystem
    from codedesk.codes.pages import NamedRelease
    from codedesk.reviews.calendar import ReleaseCalendar
    from codedesk.reviews.models import ReleaseRules, ReviewPolicy

    rules, policies = bundle.of(ReleaseRules), bundle.of(ReviewPolicy)
    if not (rules and policies):
        return []
    calendar = ReleaseCalendar(rules[0][1], policies[0][1])
    return [
        NamedRelease(CodeSystem(release.code_set.value), release.effective_on, release.title)
        for year in range(today.year - NAMED_YEARS_BEFORE, today.year + NAMED_YEARS_AHEAD + 1)
        for release in calendar.releases(year)
        if release.changes_url is not None
    ]


def cmd_serve(args: argparse.Namespace) -> int:
    from codedesk.site.build import SiteBuildError
    from codedesk.store.port import StoreError
    from codedesk.web.local_server import NotLoopback, check_host, make_server

    try:
        warning = check_host(args.host, insecure_dev_login=args.insecure_dev_login)
    except NotLoopback as error:
        print(f"codedesk serve: {error}", file=sys.stderr)
        return 2
    if warning:
        print(warning, file=sys.stderr)
    store_url = args.store or settings.default_store_url()
    os.environ["CODEDESK_STORE"] = store_url
    if publish_content(store_url, args.content) != 0:
        print("serving the content published before; fix the problems above and publish again", file=sys.stderr)
    if not args.no_code_sets:
        try:
            import_default_code_sets(store_url)
        except StoreError as error:
            print(f"ICD-10-CM was not imported ({error}); serving the codes imported before", file=sys.stderr)
    site_dir = settings.build_dir() / "site"
    bundle, errors = _load_and_report(args.content, quiet_ok=True)
    if not errors:
        try:
            site_dir, _ = _build_site_with_releases(bundle, store_url)
        except SiteBuildError as error:
            print(f"{error}\nserving the site built before", file=sys.stderr)
    if not (site_dir / "index.html").is_file():
        print(f"no site at {site_dir}; run `codedesk build-site` and look at its errors", file=sys.stderr)
        return 1

    server = make_server(
        args.host, args.port, site_dir, settings.data_dir(), insecure_dev_login=args.insecure_dev_login,
        on_sign_in=_directory_recorder(store_url),
    )  # fmt: skip
    print(f"Codedesk is serving at http://{args.host}:{args.port}/ (API at /api); Ctrl-C stops it", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        server.server_close()
    return 0


def _directory_recorder(store_url: str):
    """What the local sign-in does with each person: records them in the staff directory."""
    from codedesk.staff.models import Person
    from codedesk.staff.service import record_sign_in
    from codedesk.store import open_store
    from codedesk.web.auth import DEFAULT_TEAM
    from codedesk.web.local_server import SignedInPerson

    table = open_store(store_url)

    def record(person: SignedInPerson) -> None:
        team = person.teams[0] if person.teams else DEFAULT_TEAM
        signed_in = {"user_id": person.user_id, "name": person.name, "roles": person.roles, "team": team}
        record_sign_in(table, Person.model_validate(signed_in), datetime.now(UTC))

    return record


# ------------------------------------------------------------------------------ token


def cmd_token(args: argparse.Namespace) -> int:
    from codedesk.web.tokens import issue_token

    groups = [g.strip() for g in args.groups.split(",") if g.strip()]
    try:
        teams = [t.strip() for t in args.team.split(",") if t.strip()]
        print(issue_token(settings.data_dir(), args.user, groups, name=args.name, teams=teams))
    except ValueError as error:
        print(f"codedesk token: {error}", file=sys.stderr)
        return 2
    return 0


# ---------------------------------------------------------------------------- backups


def cmd_export(args: argparse.Namespace) -> int:
    from codedesk.store import open_store
    from codedesk.store.backup import export_user_data, write_lines

    table = open_store(args.store or settings.default_store_url())
    if args.output:
        with args.output.open("w", encoding="utf-8") as stream:
            count = write_lines(export_user_data(table), stream)
    else:
        count = write_lines(export_user_data(table), sys.stdout)
    print(f"exported {count} user record(s)", file=sys.stderr)
    return 0


def cmd_import_data(args: argparse.Namespace) -> int:
    from codedesk.store import open_store
    from codedesk.store.backup import BackupInvalid, import_user_data, read_lines

    try:
        with args.file.open(encoding="utf-8") as stream:
            items = read_lines(stream)
    except (OSError, BackupInvalid) as error:
        print(f"codedesk import-data: {args.file}: {error}; nothing was written", file=sys.stderr)
        return 1
    count = import_user_data(open_store(args.store or settings.default_store_url()), items)
    print(f"imported {count} user record(s)")
    return 0


# ------------------------------------------------------------------------------- main


def _port(value: str) -> int:
    port = int(value)
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError("a port is 1 to 65535")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="codedesk",
        description="Codedesk: the reference and training portal for billing and coding teams.",
        epilog="Store URLs: sqlite:///path/file.db (default under ./data) or dynamodb://TABLE.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def content_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--content", type=Path, default=None, help="content folder (default: the repository's content/)"
        )

    def store_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--store", default=None, help="store URL (default: $CODEDESK_STORE or sqlite:///data/codedesk.db)"
        )

    validate = commands.add_parser(
        "validate",
        help="check every file of content/ and list each problem",
        description="Read all of content/ and print every problem as "
        "path:line: field: message. Exit status 1 when there are errors.",
    )
    content_option(validate)
    validate.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="judge review ages and code end dates on this day (default: today)",
    )
    validate.set_defaults(run=cmd_validate)

    publish = commands.add_parser(
        "publish",
        help="validate, then write content/ into the store",
        description="Validate content/, then write what changed into the store under a "
        "new content version. Readers see the previous version until the "
        "publish finishes; unchanged content writes nothing.",
    )
    content_option(publish)
    store_option(publish)
    publish.set_defaults(run=cmd_publish)

    site = commands.add_parser(
        "build-site",
        help="generate the site's pages and build it with MkDocs",
        description="Generate Markdown from content/ and build the MkDocs Material site "
        "(mkdocs build --strict) into build/site.",
    )
    content_option(site)
    site.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    store_option(site)
    site.set_defaults(run=cmd_build_site)

    serve = commands.add_parser(
        "serve",
        help="serve the site and the API on this machine",
        description="Bring the store and the site up to date with content/, then serve "
        "the site at / and the API at /api. Ctrl-C stops it.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; only loopback addresses without --insecure-dev-login)",
    )
    serve.add_argument(
        "--insecure-dev-login",
        action="store_true",
        help="allow a --host other machines can reach, although anyone reaching it can sign in "
        "as anyone (local sign-in has no password)",
    )
    serve.add_argument(
        "--port", type=_port, default=_port(os.environ.get("PORT", "8000")), help="port (default $PORT or 8000)"
    )
    content_option(serve)
    store_option(serve)
    serve.add_argument(
        "--no-code-sets",
        action="store_true",
        help="skip importing the default ICD-10-CM releases (faster first start; lookups then "
        "answer only what was imported before)",
    )
    serve.set_defaults(run=cmd_serve)

    token = commands.add_parser(
        "token",
        help="print a bearer token the local server accepts",
        description="Print a bearer token for USER that the local server accepts, "
        "e.g. codedesk token alice --groups biller",
    )
    token.add_argument("user", help="the user id (the token's sub)")
    token.add_argument("--groups", required=True, help="comma-separated roles, e.g. biller,coder")
    token.add_argument("--name", default=None, help="display name (default: the user id)")
    token.add_argument("--team", default="", help="comma-separated team ids (default: the one team, main)")
    token.set_defaults(run=cmd_token)
    codes_cli.add_commands(
        commands,
        import_denial_list=denials_cli.import_official_list,
        import_edit_file=claims_cli.import_edit_file,
        import_fees=payers_cli.import_fees,
        release_schedule=release_schedule,
    )
    denials_cli.add_commands(commands)
    reviews_cli.add_commands(commands, load_content=_load_content)
    staff_cli.add_commands(commands)

    export = commands.add_parser(
        "export",
        help="write every user record (attempts, reviews, ...) as JSON lines",
        description="Write the user data (attempts, reviews, reminders, ...) as JSON "
        "lines, for a backup or to move to another store. Reference data "
        "is not included: publish content/ to rebuild it.",
    )
    store_option(export)
    export.add_argument("--output", "-o", type=Path, default=None, help="file to write (default: standard output)")
    export.set_defaults(run=cmd_export)

    import_data = commands.add_parser(
        "import-data",
        help="load user records written by `codedesk export`",
        description="Load a file written by `codedesk export` into a store. Every "
        "line is checked before anything is written.",
    )
    import_data.add_argument("file", type=Path, help="the JSON-lines file from `codedesk export`")
    store_option(import_data)
    import_data.set_defaults(run=cmd_import_data)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except CommandFailed:  # it has said why
        return 1


if __name__ == "__main__":
    sys.exit(main())
