"""Where on the site each kind of reference points: written once, used by results and pages."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote, urlencode

from codedesk.denials.codes import CodeKind, parse_denial_code
from codedesk.quizzes.models import (
    CalendarReference,
    CodeReference,
    DenialReference,
    GuideReference,
    PayerReference,
    Reference,
)

# The card pages codedesk.denials.pages writes (its page_path); not imported from there because that
# module reads content, and the Lambda function that scores attempts carries no YAML reader.
DENIAL_FOLDERS = {CodeKind.GROUP: "groups", CodeKind.CARC: "carc", CodeKind.RARC: "rarc"}


def reference_link(ref: Reference) -> dict[str, str]:
    """`{"label", "href"}` with a site-root path, for the quiz page and the results."""
    if isinstance(ref, GuideReference):
        anchor = f"#{ref.section}" if ref.section else ""
        section = f": {ref.section.replace('-', ' ')}" if ref.section else ""
        return {"label": f"{ref.guide.capitalize()} guide{section}", "href": f"/guides/{quote(ref.guide)}/{anchor}"}
    if isinstance(ref, CodeReference):
        query = urlencode({"system": ref.system, "code": ref.code})
        return {"label": f"{ref.system} {ref.code}", "href": f"/codes/?{query}"}
    if isinstance(ref, DenialReference):
        card = parse_denial_code(ref.code)
        return {"label": f"Denial {ref.code}", "href": f"/denials/{DENIAL_FOLDERS[card.kind]}/{quote(card.code)}/"}
    if isinstance(ref, PayerReference):
        return {"label": f"Payer sheet: {ref.payer_id}", "href": f"/payers/{quote(ref.payer_id)}/"}
    assert isinstance(ref, CalendarReference)
    return {"label": "Release calendar", "href": "/calendar/"}


def reference_links(refs: Sequence[Reference]) -> list[dict[str, str]]:
    return [reference_link(ref) for ref in refs]
