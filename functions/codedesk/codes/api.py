"""The codes function: lookup, search, code sets and release changes (API.md, Codes)."""

# Annotations stay real objects here (no `from __future__ import annotations`): powertools reads
# route and dependency annotations on every request, and string ones would be eval()'d each time.

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from codedesk.codes import index_tables, service
from codedesk.codes.answers import ChangesAnswer, CodeAnswer, CodeSetList, InForce, SearchAnswer
from codedesk.codes.models import CodeSystem
from codedesk.content.view import ContentView
from codedesk.reviews.publish import published_calendar
from codedesk.web.deps import Content, SignedIn, Today
from codedesk.web.resolver import make_handler, make_resolver

app = make_resolver()


def _any_case(name: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in name)


# The code systems, in any case (e119 and icd10cm are as good as E11.9 and ICD10CM), so that the
# OpenAPI document says exactly what the service accepts.
SYSTEM_PATTERN = "^(" + "|".join(_any_case(system.value) for system in CodeSystem) + ")$"
SystemName = Annotated[str, Path(pattern=SYSTEM_PATTERN, description="ICD10CM, HCPCS, CPT, MODIFIER or POS")]


@app.get("/api/codes/search")
def search_codes(
    user: SignedIn,
    view: Content,
    q: Annotated[
        str,
        Query(
            max_length=service.MAX_QUERY_LENGTH,
            pattern=r"\S",
            description="a code, a code prefix or words (E11.9, e11.6, diab neuro)",
        ),
    ],
    system: Annotated[
        str | None, Query(pattern=SYSTEM_PATTERN, description="ICD10CM, HCPCS, CPT, MODIFIER or POS")
    ] = None,
    billable: Annotated[bool | None, Query(description="only billable codes (true) or only headers (false)")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
) -> SearchAnswer:
    return service.find(view, q, system=system, billable=billable, limit=limit, cursor=cursor)


@app.get("/api/codes/<system>/<code>")
def get_code(
    system: SystemName,
    code: Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,8}$", description="E11.9 or e119")],
    user: SignedIn,
    view: Content,
    on: Today,
    as_of: Annotated[date | None, Query(description="date of service: is the code valid on that day?")] = None,
) -> CodeAnswer:
    return service.lookup(view, system, code, as_of=as_of, today=on)


@app.get("/api/code-sets")
def list_code_sets(user: SignedIn, view: Content, on: Today) -> CodeSetList:
    return service.code_sets(view, releases_in_force(view, on))


def releases_in_force(view: ContentView, on: date) -> dict[CodeSystem, InForce]:
    """What the release calendar (reviews) says is in force `on`, for every imported code system."""
    calendar = published_calendar(view)
    if calendar is None:
        return {}
    found = {}
    for system in (CodeSystem.ICD10CM, CodeSystem.HCPCS, CodeSystem.CPT):
        release = calendar.in_force(system, on)
        if release is not None:
            # ICD-10-CM is named by the federal fiscal year that begins with its October release.
            fiscal = f" (FY{release.effective_on.year + (release.effective_on.month >= 10)})"
            title = release.title + (fiscal if system == CodeSystem.ICD10CM else "")
            found[system] = InForce(release=release.effective_on.isoformat(), title=title)
    return found


@app.get("/api/code-sets/<system>/changes")
def release_changes(
    system: SystemName,
    user: SignedIn,
    view: Content,
    release: Annotated[str | None, Query(max_length=20, description="e.g. 2026-04-01; default: the latest")] = None,
) -> ChangesAnswer:
    return service.changes(view, system, release)


@app.get("/api/codes/index")
def browse_index(
    user: SignedIn,
    view: Content,
    table: Annotated[str, Query(pattern="^(index|external|drugs|neoplasms)$", description="which index or table")],
    q: Annotated[str, Query(max_length=100, pattern=r"\w", description="a main term, then subterms: lung, bronchus")],
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> index_tables.IndexAnswer:
    return index_tables.browse(view, table, q, limit)


handler = make_handler(app)
