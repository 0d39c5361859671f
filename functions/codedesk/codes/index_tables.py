"""The CDC's ICD-10-CM index files: read, published, browsed (`codedesk import icd10cm-index FILE...`,
GET /api/codes/index).

The files: the Alphabetic Index and the External Cause Index (`letter / mainTerm / term`, each with
a title, nonessential modifiers, a code, "see" and "see also"), the Table of Neoplasms and the Table
of Drugs and Chemicals (the same terms, with one code per column under `indexHeading`: malignant
primary … unspecified behavior; poisoning by intent, adverse effect, underdosing). Public domain;
read in memory with the standard library's XML parser.

Each row keeps the path of titles that leads to it ("Neoplasm, neoplastic → lung → bronchus") so a
trainee sees the route, and every code the index gives is checked against the loaded tabular release
(`check_codes`): a code the release does not hold as a billable code is shown as such — a header with
the codes to choose from, a code that ended with its last day, or unknown.

Items, one namespace per table (importing one file leaves the other tables as they are):
- PK ICDINDEX#<table>#ROWS#<entry>, SK 000…: the rows of one entry, a main term with its subterms, or
  one of its subterms when they are many (_entries), ROWS_PER_ITEM rows an item, as one string of a
  JSON object a line (one attribute to decode, however many rows; a line is parsed when needed; a
  table row's cells are its codes in the order of the item's `columns`, the table's headings), with
  the item's own map of search term → rows saying it (what a code search reads instead of every
  row: RowsItem);
- PK ICDINDEX#<table>#ENTRIES, SK <term>: the entries whose title has that search term (codes/text.py).
A browse reads the entries of the query's terms (one batch get), the rows of the entries having the
most of them (one batch get) and checks the page's codes (one batch get per 100 codes).
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import json
import lzma
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol

from pydantic import BaseModel, Field

from codedesk.codes.items import record_key
from codedesk.codes.models import CodeSystem
from codedesk.codes.notation import code_key
from codedesk.codes.text import terms, words
from codedesk.errors import Invalid
from codedesk.store.keys import POINTER, Prefix, key
from codedesk.store.port import MAX_BATCH_GET, Item, Table

if TYPE_CHECKING:
    from codedesk.content.publish import PublishReport

IndexTable = Literal["index", "external", "neoplasms", "drugs"]
TABLES: tuple[IndexTable, ...] = ("index", "external", "neoplasms", "drugs")
ROWS_PER_ITEM = 200  # about 60 KB of JSON at most: under 150 KB with the previous version beside it
ENTRIES_READ = 3  # entries whose rows a browse reads
SEARCH_CHUNKS = 2  # items of an entry's rows a code search reads (400 rows: the first subterms)
ENTRIES_SK = "ENTRIES"
# Changes when the items or their terms change, so that an unchanged file is written again (9: Latin
# plurals folded, codes/text.py).
ITEMS_FORMAT = 9
# A table cell that gives no code: "--" (not applicable) or "-" (no such code for that column).
_NO_CODE = ("", "-", "--")


class IndexFileError(ValueError):
    """A file that is not one of the CDC's index XMLs, said with the file's name."""


class IndexCell(BaseModel):
    column: str  # the column's heading, as the file writes it ("Malignant Primary")
    code: str  # as the index gives it: "C34.9-" (the dash: more characters to choose) or "T51.3X1"


class IndexRow(BaseModel):
    path: list[str] = Field(description="the titles from the main term down to this row, modifiers left out")
    nonessential: str | None = Field(default=None, description="the nonessential modifiers of this row's title")
    code: str | None = None
    see: str | None = None
    see_also: str | None = None
    cells: list[IndexCell] = Field(default_factory=list)

    def codes(self) -> list[str]:
        return [code for code in [self.code, *(cell.code for cell in self.cells)] if code is not None]


CodeStatus = Literal["valid", "header", "ended", "unknown"]


class CodeCheck(BaseModel):
    code: str
    status: CodeStatus  # valid: billable in the release; header: choose a code below it
    title: str | None = None
    choose_from: list[str] = Field(default_factory=list, description="for a header: the codes right below it")
    ended_on: str | None = Field(default=None, description="for a code the release no longer holds: its last valid day")


class ContentReader(Protocol):
    def batch_get(self, keys: Sequence[tuple[str, str]]) -> list[Item]: ...


class IndexFile(BaseModel):
    table: IndexTable
    version: str  # the fiscal year the file says (2025)
    columns: list[str]  # the tables' column headings after the first; none for the indexes
    rows: list[IndexRow]


def read_index_file(path: Path) -> IndexFile:
    """An index XML, or one compressed with xz."""
    try:
        with lzma.open(path) if path.suffix == ".xz" else path.open("rb") as stream:
            root = ET.parse(stream).getroot()
    except (ET.ParseError, OSError, lzma.LZMAError) as error:
        raise IndexFileError(f"{path.name}: not a readable XML file ({error})") from error
    if root.tag != "ICD10CM.index":
        raise IndexFileError(f"{path.name}: not an ICD-10-CM index file (root element {root.tag!r})")
    heads = {head.get("col", ""): " ".join((head.text or "").split()) for head in root.iter("head")}
    return IndexFile(
        table=_table(root, heads),
        version=(root.findtext("version") or "").strip(),
        columns=[heads[col] for col in sorted(heads, key=int) if col != "1"],
        rows=list(_rows(root, heads)),
    )


def _table(root: ET.Element, heads: dict[str, str]) -> IndexTable:
    if not heads:
        title = (root.findtext("title") or "").lower()
        return "external" if "external cause" in title else "index"
    return "neoplasms" if heads.get("1", "").lower().startswith("neoplasm") else "drugs"


def _rows(root: ET.Element, heads: dict[str, str]) -> Iterator[IndexRow]:
    def walk(element: ET.Element, above: list[str]) -> Iterator[IndexRow]:
        for child in element:
            if child.tag not in ("mainTerm", "term"):
                continue
            title, nonessential = _title(child)
            path = [*above, title]
            cells = [
                IndexCell(column=heads.get(cell.get("col", ""), cell.get("col", "")), code=code)
                for cell in child.findall("cell")
                if (code := (cell.text or "").strip()) not in _NO_CODE
            ]
            yield IndexRow(
                path=path,
                nonessential=nonessential,
                code=(child.findtext("code") or "").strip() or None,
                see=_said(child.find("see")),
                see_also=_said(child.find("seeAlso")),
                cells=cells,
            )
            yield from walk(child, path)

    for letter in root.iter("letter"):
        yield from walk(letter, [])


def _title(element: ET.Element) -> tuple[str, str | None]:
    """(the title without its nonessential modifiers, those modifiers)."""
    title = element.find("title")
    if title is None:
        return "", None
    modifiers = [" ".join(" ".join(nemod.itertext()).split()) for nemod in title.findall("nemod")]
    said = " ".join([title.text or "", *(nemod.tail or "" for nemod in title.findall("nemod"))])
    return " ".join(said.split()), " ".join(modifiers) or None


def _said(element: ET.Element | None) -> str | None:
    return " ".join(" ".join(element.itertext()).split()) or None if element is not None else None


def check_codes(view: ContentReader, codes: Sequence[str]) -> dict[str, CodeCheck]:
    """Every distinct code against the loaded ICD-10-CM release: one batch get per 100 codes. The
    index writes "C34.9-" for "a code below C34.9": its record is C34.9's."""
    wanted = {code: key_ for code in dict.fromkeys(codes) if (key_ := code_key(code.rstrip("-").rstrip(".")))}
    keys = list(dict.fromkeys(record_key("file", CodeSystem.ICD10CM, key_) for key_ in wanted.values()))
    found: dict[str, Item] = {}
    for at in range(0, len(keys), MAX_BATCH_GET):
        for item in view.batch_get(keys[at : at + MAX_BATCH_GET]):
            found[item["PK"]] = item
    checks = {code: CodeCheck(code=code, status="unknown") for code in codes if code not in wanted}
    for code, key_ in wanted.items():
        record = found.get(record_key("file", CodeSystem.ICD10CM, key_)[0])
        checks[code] = _check(code, record)
    return checks


def _check(code: str, record: Item | None) -> CodeCheck:
    if record is None:
        return CodeCheck(code=code, status="unknown")
    title = record.get("title")
    if record.get("effective_to"):
        return CodeCheck(code=code, status="ended", title=title, ended_on=record["effective_to"])
    if record.get("billable"):
        return CodeCheck(code=code, status="valid", title=title)
    below = [child["code"] for child in record.get("children", [])]
    return CodeCheck(code=code, status="header", title=title, choose_from=below)


# ----------------------------------------------------------------------------- publish


def namespace(table: IndexTable) -> str:
    return f"codes:index:{table}"


def table_prefix(table: IndexTable) -> str:
    return key(Prefix.ICD_INDEX, table) + "#"


def _entries(rows: list[IndexRow], depth: int = 1) -> Iterator[tuple[list[str], list[IndexRow]]]:
    """(path, rows) of the entries rows are filed under: a main term with all its subterms when they
    fit in one item (ROWS_PER_ITEM), else the main term with its subterms that have none, and each
    other subterm as an entry of its own, the same way down ("Accident, transport, car occupant";
    the sites of "Neoplasm, neoplastic"). `rows` are in file order, each row before its subterms."""
    groups: dict[tuple[str, ...], list[IndexRow]] = {}
    for row in rows:
        groups.setdefault(tuple(row.path[:depth]), []).append(row)
    for path, grouped in groups.items():
        if len(grouped) <= ROWS_PER_ITEM or len(path) < depth:
            yield list(path), grouped
            continue
        below: dict[tuple[str, ...], int] = {}
        for row in grouped:
            below[tuple(row.path[: depth + 1])] = below.get(tuple(row.path[: depth + 1]), 0) + 1
        own = [row for row in grouped if below.get(tuple(row.path[: depth + 1]), 0) <= 1]
        yield list(path), own
        yield from _entries([row for row in grouped if below.get(tuple(row.path[: depth + 1]), 0) > 1], depth + 1)


def _row_line(row: IndexRow, columns: list[str]) -> str:
    """A row as its item holds it: its fields, its cells as codes by column ("" where none)."""
    line = row.model_dump(exclude_defaults=True, exclude={"cells"})
    if row.cells:
        codes = {cell.column: cell.code for cell in row.cells}
        line["cells"] = [codes.get(column, "") for column in columns]
    return json.dumps(line, separators=(",", ":"))


def _row_of(line: str, columns: list[str]) -> IndexRow:
    fields = json.loads(line)
    cells = [IndexCell(column=column, code=code) for _, column, code in _cells_of(fields, columns)]
    return IndexRow(**{name: value for name, value in fields.items() if name != "cells"}, cells=cells)


def _cells_of(fields: dict, columns: list[str]) -> list[tuple[int, str, str]]:
    """(place in the table's order, from 1; column; code) of a stored row's cells. _row_line wrote
    one code per column, "" where the table has none: a list of another length is not this table's."""
    codes = fields.get("cells", [])  # none for a row without cells
    if not codes:
        return []
    return [(at, column, code) for at, (column, code) in enumerate(zip(columns, codes, strict=True), start=1) if code]


def _lines(item: Item) -> list[str]:
    """The rows of a rows item, a JSON object each."""
    return item["rows"].split("\n") if item.get("rows") else []


def _rows_by_term(rows: list[IndexRow]) -> str:
    """Each search term of the rows' titles with the rows (their places in the item) saying it, as
    one string a search finds a term in without reading the rows: " lung:0.3.17 neoplasm:0.1.2 "."""
    by_term: dict[str, list[str]] = {}
    for at, row in enumerate(rows):
        for term in dict.fromkeys(terms(" ".join(row.path))):
            by_term.setdefault(term, []).append(str(at))
    return "".join(f" {term}:{'.'.join(places)}" for term, places in by_term.items()) + " "


def _entry_key(title: str) -> str:
    return "-".join(words(title)) or "-"


def rows_pk(table: IndexTable, entry: str) -> str:
    return key(Prefix.ICD_INDEX, table, "ROWS", entry)


def entries_pk(table: IndexTable) -> str:
    return key(Prefix.ICD_INDEX, table, ENTRIES_SK)


def index_items(read: IndexFile) -> Iterator[Item]:
    entries: dict[str, tuple[str, list[IndexRow]]] = {}
    for path, filed in _entries(read.rows):
        title = ", ".join(path)
        entries.setdefault(_entry_key(title), (title, []))[1].extend(filed)
    by_term: dict[str, list[list[str | int]]] = {}
    for entry, (title, rows) in entries.items():
        chunks = range(0, len(rows), ROWS_PER_ITEM)
        for number, start in enumerate(chunks):
            filed = rows[start : start + ROWS_PER_ITEM]
            yield {
                "PK": rows_pk(read.table, entry),
                "SK": f"{number:03d}",
                "rows": "\n".join(_row_line(row, read.columns) for row in filed),
                "where": _rows_by_term(filed),
                "columns": read.columns,
            }
        for term in dict.fromkeys(terms(title)):
            by_term.setdefault(term, []).append([entry, title, len(chunks)])
    for term, listed in by_term.items():
        yield {"PK": entries_pk(read.table), "SK": term, "entries": listed}


def import_index_files(table: Table, files: list[Path]) -> tuple[list[IndexFile], PublishReport | None]:
    """Read every file (all before writing anything), then publish each table's items in its own
    namespace. A file whose very bytes are what a table was last published from is not even read
    (a start-up of `codedesk serve` costs one get); no report when no file was read."""
    from codedesk.content.publish import ItemSet, publish  # the importer's, not the Lambda handler's

    published = set((table.get(*POINTER) or {}).get("fingerprints", {}).values())
    digests = [(path, f"{ITEMS_FORMAT}:{hashlib.sha256(path.read_bytes()).hexdigest()}") for path in files]
    read = [(read_index_file(path), digest) for path, digest in digests if digest not in published]
    if not read:
        return [], None
    tables = [found.table for found, _ in read]
    if len(set(tables)) < len(tables):
        raise IndexFileError("Two of the files are the same table; give one file per table.")
    sets = [
        ItemSet(namespace(found.table), (table_prefix(found.table),), index_items(found), digest)
        for found, digest in read
    ]
    return [found for found, _ in read], publish(table, sets)


# ------------------------------------------------------------------------------ browse


class IndexItem(BaseModel):
    path: list[str]
    nonessential: str | None = None
    code: str | None = None
    see: str | None = None
    see_also: str | None = None
    columns: dict[str, str] | None = Field(default=None, description="a table row: column heading → code")


class IndexAnswer(BaseModel):
    table: IndexTable
    query: str
    items: list[IndexItem]
    codes: dict[str, CodeCheck] = Field(description="every code of the items, checked against the loaded release")
    truncated: bool = Field(description="more rows matched than `limit`: add a subterm to the query")


def browse(view: ContentReader, table: str, q: str, limit: int) -> IndexAnswer:
    """The rows of the entries listed under the most of the query's terms (whole words, folded as
    code search folds them), narrowed to the rows whose path has every term when some do."""
    if table not in TABLES:
        raise Invalid(f"No index table {table!r}: use one of {', '.join(TABLES)}.", details=[{"field": "table"}])
    typed = set(terms(q))
    if not typed:
        raise Invalid("Type a main term to look up.", details=[{"field": "q", "message": "no words"}])
    chosen = TABLES[TABLES.index(table)]
    listed = [
        entry
        for item in view.batch_get([(entries_pk(chosen), term) for term in sorted(typed)])
        for entry in item.get("entries", [])
    ]
    matched = Counter(entry for entry, _, _ in listed)
    titles = {entry: (title, int(chunks)) for entry, title, chunks in listed}
    best = sorted(matched, key=lambda entry: (-matched[entry], len(titles[entry][0]), entry))[:ENTRIES_READ]
    keys = [(rows_pk(chosen, entry), f"{n:03d}") for entry in best for n in range(titles[entry][1])]
    order = {pk: at for at, pk in enumerate(dict.fromkeys(pk for pk, _ in keys))}
    items = sorted(view.batch_get(keys[:MAX_BATCH_GET]), key=lambda i: (order[i["PK"]], i["SK"]))
    read = [RowsItem(item) for item in items]
    # Narrowed by each item's map of term → rows; only the rows shown are decoded.
    narrowed = [(found, at) for found in read for at in sorted(frozenset.intersection(*map(found.rows_of, typed)))]
    places = narrowed or [(found, at) for found in read for at in range(len(found.rows))]
    shown = [_row_of(found.rows[at], found.columns) for found, at in places[:limit]]
    return IndexAnswer(
        table=chosen,
        query=q,
        items=[_item(row) for row in shown],
        codes=check_codes(view, [code for row in shown for code in row.codes()]),
        truncated=len(places) > limit,
    )


def _item(row: IndexRow) -> IndexItem:
    return IndexItem(
        path=row.path,
        nonessential=row.nonessential,
        code=row.code,
        see=row.see,
        see_also=row.see_also,
        columns={cell.column: cell.code for cell in row.cells} or None,
    )


# ----------------------------------------------------------------------------- search
# A code search asks the index tables too (codes/search.py): it reads the entries listed under each
# of its words and the rows of the entries listed under the most of them (kept between queries, a
# row decoded only when its titles say the words), and puts the codes whose route says every word
# among the first results, with the route.


class IndexRoute(NamedTuple):
    """A code the index leads to, the titles that lead there and their search terms."""

    path: tuple[str, ...]  # the row's titles, then the table's column when the code is a cell's
    code: str  # as the index gives it, without the dash: "C34.9", "T39.011", "W11"
    said: frozenset[str]  # the terms of the row's titles
    titles: tuple[tuple[frozenset[str], ...], ...]  # the same, title by title, variant by variant
    heading: frozenset[str]  # the terms of the column's heading (none for a row's own code)
    column: int  # 0 for a row's own code, else the cell's place in the row: the table's order


class TermEntries(NamedTuple):
    """The entries of one table listing a term, as read: [entry, its title, its rows' chunks] each.
    Left as read: a common word lists hundreds, and a search ranks them by name in C (best_entries)."""

    table: str
    listed: list[list]


def entries_keys(typed: list[str]) -> list[tuple[str, str]]:
    """The entries items a search reads for its terms: every table, every term."""
    return [(entries_pk(table), term) for table in TABLES for term in typed]


def parse_item(item_key: tuple[str, str], item: Item | None) -> TermEntries | RowsItem:
    """An index item a code search read (None: the table holds none under that key): the entries of
    one term in one table, or the rows of an entry."""
    pk, _ = item_key
    if not pk.endswith(f"#{ENTRIES_SK}"):
        return RowsItem(item or {})
    return TermEntries(pk.split("#")[1], (item or {}).get("entries", []))


class RowsItem:
    """One rows item as a code search keeps it between queries: the rows as read, found by term in
    the item's map of term → rows (_rows_by_term), a row's titles made into terms only when a
    query's terms meet there and into routes only when it is among the closest, each row once.
    Reading an item costs no per-row work, so a cold search pays for the few rows that say its
    words, not the hundreds it reads."""

    def __init__(self, item: Item):
        self.rows = _lines(item)
        self._where: str = item.get("where", "")
        self.columns: list[str] = item.get("columns", [])
        # The terms any column of the table says ("malignant", "poisoning"): a query's word may be
        # said by a cell's column rather than by the row's titles.
        self.heading_terms = frozenset(term for column in self.columns for term in _heading(column))
        self._rows_of: dict[str, frozenset[int]] = {}
        self._said: dict[int, RowTerms] = {}
        self._routes: dict[int, list[IndexRoute]] = {}
        # The terms of each title met: an entry's rows repeat their first titles ("Neoplasm,
        # neoplastic", "skin"), and "skin cancer" meets 167 rows.
        self._titles: dict[str, tuple[frozenset[str], ...]] = {}

    def rows_of(self, term: str) -> frozenset[int]:
        """The places of the rows whose titles say the term."""
        found = self._rows_of.get(term)
        if found is None:
            at = self._where.find(f" {term}:")
            if at < 0:
                found = frozenset()
            else:
                start = at + len(term) + 2
                found = frozenset(map(int, self._where[start : self._where.find(" ", start)].split(".")))
            self._rows_of[term] = found
        return found

    def terms_of(self, at: int) -> RowTerms:
        """The row's titles and their terms (a title's variants told apart: "Fall, falling": "fall"
        says the title whole)."""
        found = self._said.get(at)
        if found is None:
            row = json.loads(self.rows[at])
            path = tuple(row["path"])
            titles = tuple(_title_terms(title, self._titles) for title in path)
            said = frozenset(term for title in titles for variant in title for term in variant)
            found = self._said[at] = RowTerms(row, path, titles, said)
        return found

    def routes_of(self, at: int) -> list[IndexRoute]:
        """Every route of a row: its own code, then each of its table cells in the table's order."""
        found = self._routes.get(at)
        if found is None:
            row, path, titles, said = self.terms_of(at)
            found = []
            if "code" in row:
                found.append(IndexRoute(path, row["code"].rstrip("-."), said, titles, frozenset(), 0))
            for place, column, code in _cells_of(row, self.columns):
                found.append(IndexRoute((*path, column), code.rstrip("-."), said, titles, _heading(column), place))
            self._routes[at] = found
        return found


class RowTerms(NamedTuple):
    """A row of a rows item as a search reads it: enough to tell how closely it says the query."""

    row: dict
    path: tuple[str, ...]
    titles: tuple[tuple[frozenset[str], ...], ...]  # title by title, variant by variant
    said: frozenset[str]  # every term of the titles


def _title_terms(title: str, kept: dict[str, tuple[frozenset[str], ...]]) -> tuple[frozenset[str], ...]:
    found = kept.get(title)
    if found is None:
        found = kept[title] = tuple(frozenset(terms(variant)) for variant in title.split(","))
    return found


@functools.lru_cache(maxsize=64)
def _heading(column: str) -> frozenset[str]:
    """A table's column heading as terms: a handful of headings, repeated on every row."""
    return frozenset(terms(column))


def best_entries(by_term: list[TermEntries], per_table: int) -> list[tuple[str, str]]:
    """(rows PK, SK) of the entries listed under the most of the query's terms (`by_term`: the
    entries of each term in each table, in the query's order), then under its earliest term (the
    main term comes first in the index's phrasing), then the shortest, `per_table` at most, their
    first SEARCH_CHUNKS items each. Entries are counted by name in C; only the few listed as often
    as the per_table-th most listed are ranked: a common word lists hundreds."""
    keys = []
    for table in TABLES:
        lists = [found.listed for found in by_term if found.table == table and found.listed]
        matched: Counter[str] = Counter()
        earliest: dict[str, int] = {}
        listing: dict[str, list] = {}  # entry → [entry, title, chunks]
        for at in reversed(range(len(lists))):  # an entry ends with its earliest term
            names = list(map(itemgetter(0), lists[at]))
            matched.update(names)
            earliest.update(dict.fromkeys(names, at))
            listing.update(zip(names, lists[at], strict=True))
        if not matched:
            continue
        enough = heapq.nlargest(per_table, matched.values())[-1]
        contenders = [entry for entry, count in matched.items() if count >= enough]
        best = sorted(contenders, key=lambda e: (-matched[e], earliest[e], len(listing[e][1]), e))[:per_table]
        keys += [
            (rows_pk(table, entry), f"{n:03d}")
            for entry in best
            for n in range(min(int(listing[entry][2]), SEARCH_CHUNKS))
        ]
    return keys


def _rows_saying(item: RowsItem, group: frozenset[str]) -> frozenset[int]:
    """The rows of `item` whose titles say a word in one of its forms."""
    if len(group) == 1:
        (term,) = group
        return item.rows_of(term)
    return frozenset().union(*map(item.rows_of, group))


class RouteFit(NamedTuple):
    """How closely a route says the query, lower is closer."""

    titles: int  # titles of the route the query does not say (a title is said when one of its
    # variants is typed whole: "Fall, falling" by "fall"; "Dehydration from lack of water" not by
    # "dehydration")
    words: int  # words of the route's titles the query does not say ("lingula, lung" has one more
    # than "lung")


def routes(
    typed: list[str], items: list[RowsItem], limit: int, forms: dict[str, tuple[str, ...]] | None = None
) -> list[tuple[RouteFit, IndexRoute]]:
    """The `limit` closest routes that say every word, in any of its forms (`forms`: term → its
    other forms' terms, "ovarian" → "ovary"), a table's cell only when the query says something of
    its column ("aspirin" alone is not a poisoning); a row's cells in the table's order ("aspirin
    poisoning": accidental before intentional self-harm, assault and undetermined, the intent the
    guidelines default to). Only the rows whose titles say every word no column of their item says
    are looked at, and only the closest of them made into routes: a row's routes are as close as
    the row."""
    forms = forms or {}
    groups = [frozenset((term, *forms[term])) if term in forms else frozenset((term,)) for term in dict.fromkeys(typed)]
    wanted = frozenset().union(*groups)
    rows = []
    for item in items:
        by_titles = sorted((_rows_saying(item, group) for group in groups if not group & item.heading_terms), key=len)
        places = frozenset.intersection(*by_titles) if by_titles else range(len(item.rows))
        cells_may = bool(wanted & item.heading_terms)  # a cell's route needs a word of its column
        for at in sorted(places):
            row, path, titles, said = item.terms_of(at)
            if not cells_may and "code" not in row:
                continue  # a row of cells only, and the query names no column
            fit = RouteFit(
                sum(1 for title in titles if not any(variant <= wanted for variant in title)), len(said - wanted)
            )
            rows.append((fit, path, item, at))
    rows.sort(key=lambda row: (row[0], row[1]))
    found: list[tuple[RouteFit, IndexRoute]] = []
    for fit, _, item, at in rows:
        found += [
            (fit, route)
            for route in item.routes_of(at)
            if all(group & (route.said | route.heading) for group in groups)
            and (not route.column or wanted & route.heading)
        ]
        if len(found) >= limit:
            break
    return found[:limit]
