"""The CSV holdings format: one holding a row, read into groupkg RDF and written back.

The format (DESIGN.md) is UTF-8 with a header row naming the columns
``owner,owned,percent,percent_min,percent_max,shares,start_date,end_date,source`` in any
order. Only ``owner`` and ``owned`` must be there; an absent column reads as empty. Five
optional columns carry what a holding may have beside those, so that an exported file
reads back to the same facts: ``percent_min_exclusive`` and ``percent_max_exclusive``
(``true``/``false``), ``share_class``, ``as_of`` (observation date) and ``interest_type``
(a BODS interest type, or a reported consolidation: see below). Any other column is
rejected rather than ignored, because a misspelt header (``precent``) would otherwise
drop a figure without a word. A percentage may carry a trailing ``%``; cells are stripped
of surrounding spaces; blank lines are skipped.

A row whose ``interest_type`` is ``directConsolidation`` or ``ultimateConsolidation``
(spelt so) is not a holding but a reported consolidation, as GLEIF Level 2 reports it:
the owned is a (direct, or ultimate) consolidated subsidiary of the owner. It becomes a
``gk:DirectConsolidation`` / ``gk:UltimateConsolidation`` with ``gk:parent`` the owner and
``gk:child`` the owned, ``gk:percent`` when one is given, and the dates, source and fact
status a holding row gets. A range, a share count or a share class on such a row is an
error: a consolidation is reported with one percentage at most.

Reading is all-or-nothing: every bad row is reported with its line number and column,
all at once, in a :class:`~groupkg.graph.errors.BadInput`, and nothing of the file is
returned.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TextIO

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from groupkg.graph.dates import PartialDate, parse_partial_date
from groupkg.graph.errors import BadInput, GroupkgError, ImportProblem, InputError
from groupkg.graph.formats.graphvalues import ENTITY_CLASSES, first_value
from groupkg.graph.store.terms import XSD_BOOLEAN, literal_value
from groupkg.graph.vocab import DCTERMS, GK, ORG, PROV

__all__ = [
    "LOCAL_BASE",
    "CSV_COLUMNS",
    "CSV_EXTRA_COLUMNS",
    "CONSOLIDATION_TYPES",
    "read_csv",
    "write_csv",
    "spreadsheet_safe",
]

LOCAL_BASE = "https://w3id.org/groupkg/data/local/"
CSV_COLUMNS = (
    "owner",
    "owned",
    "percent",
    "percent_min",
    "percent_max",
    "shares",
    "start_date",
    "end_date",
    "source",
)
CSV_EXTRA_COLUMNS = (
    "percent_min_exclusive",
    "percent_max_exclusive",
    "share_class",
    "as_of",
    "interest_type",
)

#: The most digits a share count may have (the largest issued anywhere has 13).
MAX_SHARE_DIGITS = 30
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_INTEGER = re.compile(r"^\d+$")
_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0", ""}


def _fold(name: str) -> str:
    """A name as names compare: case-insensitive, whitespace collapsed."""
    return " ".join(name.casefold().split())


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


def _decimal_literal(value: Decimal) -> Literal:
    """An xsd:decimal in its shortest form, so equal figures are equal terms."""
    text = format(value.normalize(), "f")
    return Literal(text, datatype=XSD.decimal)


def _date_literal(date: PartialDate) -> Literal:
    return Literal(str(date), datatype=URIRef(date.xsd_datatype))


#: The ``interest_type`` values that make a row a reported consolidation, not a holding.
CONSOLIDATION_TYPES = {
    "directConsolidation": GK.DirectConsolidation,
    "ultimateConsolidation": GK.UltimateConsolidation,
}


@cache
def _interest_types() -> frozenset[str]:
    codelist = files("groupkg.graph.formats") / "bods/bods_schema/codelists/interestType.csv"
    text = codelist.read_text("utf-8")
    return frozenset(row["code"] for row in csv.DictReader(io.StringIO(text)))


class _Unreadable(Exception):
    """A record the csv module cannot read at all (a field past its size limit)."""

    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line, self.reason = line, reason


def _records(stream: TextIO) -> Iterator[tuple[int, list[str]]]:
    """Rows of a CSV stream with the line each starts on (quoted fields may span lines)."""
    reader = csv.reader(stream)
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if row and any(cell.strip() for cell in row):
                yield start, row
    except csv.Error as exc:
        raise _Unreadable(end + 1, str(exc)) from None


class _CsvReader:
    """One pass over one file: parse every row, collect every problem, build the graph."""

    def __init__(self, name: str, resolve: Callable[[str], URIRef | None] | None, base: str):
        self.name = name
        self.resolve = resolve
        self.ns = Namespace(base)
        self.graph = Graph()
        self.problems: list[ImportProblem] = []
        self.entities: dict[str, URIRef] = {}  # folded name -> IRI
        self.minted: dict[URIRef, str] = {}  # minted IRI -> folded name
        self.sources: dict[str, URIRef] = {}
        self.file_source: URIRef | None = None

    def problem(self, line: int, field: str, reason: str) -> None:
        self.problems.append(ImportProblem(self.name, line, field, reason))

    def header(self, line: int, row: list[str]) -> list[str] | None:
        columns = [c.strip().lstrip("\ufeff") for c in row]
        known = CSV_COLUMNS + CSV_EXTRA_COLUMNS
        ok = True
        for column in columns:
            if column not in known:
                close = difflib.get_close_matches(column, known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.problem(line, column or "(empty)", f"unknown column{hint}")
                ok = False
        for column in sorted({c for c in columns if columns.count(c) > 1}):
            self.problem(line, column, "column appears more than once")
            ok = False
        for column in ("owner", "owned"):
            if column not in columns:
                self.problem(line, column, "required column is missing from the header")
                ok = False
        return columns if ok else None

    def entity(self, line: int, field: str, name: str, source: URIRef) -> URIRef | None:
        key = _fold(name)
        if key not in self.entities:
            found = None
            if self.resolve is not None:
                try:
                    found = self.resolve(name)
                except GroupkgError as exc:  # an ambiguous name, say
                    self.problem(line, field, str(exc))
                    return None
            self.entities[key] = URIRef(found) if found is not None else self.mint(name)
        iri = self.entities[key]
        if iri in self.minted:
            self.graph.add((iri, PROV.wasDerivedFrom, source))
        return iri

    def mint(self, name: str) -> URIRef:
        """A new entity for an unknown name: its slug, made unique where it is taken."""
        key = _fold(name)
        slug = _slug(name) or "entity"
        iri = self.ns[slug]
        taken = iri in self.minted and self.minted[iri] != key
        if not taken and self.resolve is not None:
            try:  # the slug may be the local id of some other, existing entity
                taken = self.resolve(slug) is not None
            except GroupkgError:
                taken = True
        if taken:
            iri = self.ns[f"{slug}-{_digest(key)[:8]}"]
        self.minted[iri] = key
        for triple in (
            (iri, RDF.type, GK.LegalEntity),
            (iri, RDF.type, ORG.FormalOrganization),
            (iri, RDFS.label, Literal(" ".join(name.split()))),
        ):
            self.graph.add(triple)
        return iri

    def source(self, value: str) -> URIRef:
        if not value:
            if self.file_source is None:
                base = os.path.basename(self.name)
                self.file_source = self.ns[f"source/file-{_slug(base)[:40]}-{_digest(base)[:8]}"]
                self.graph.add((self.file_source, RDF.type, GK.Source))
                self.graph.add((self.file_source, RDF.type, PROV.Entity))
                self.graph.add((self.file_source, DCTERMS.title, Literal(base)))
                self.graph.add((self.file_source, GK.fileName, Literal(base)))
            return self.file_source
        if value not in self.sources:
            iri = self.ns[f"source/{_slug(value)[:40]}-{_digest(value)[:8]}"]
            self.graph.add((iri, RDF.type, GK.Source))
            self.graph.add((iri, RDF.type, PROV.Entity))
            self.graph.add((iri, DCTERMS.title, Literal(value)))
            self.sources[value] = iri
        return self.sources[value]

    def decimal(self, line: int, field: str, text: str) -> Decimal | None:
        if not text:
            return None
        try:
            value = Decimal(text.removesuffix("%").strip())
        except InvalidOperation:
            self.problem(line, field, f"{text!r} is not a decimal number")
            return None
        if not value.is_finite() or not 0 <= value <= 100:
            self.problem(line, field, f"{text} is not a percentage between 0 and 100")
            return None
        return value

    def date(self, line: int, field: str, text: str) -> PartialDate | None:
        if not text:
            return None
        if not _DATE.match(text):
            self.problem(line, field, f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
            return None
        try:
            return parse_partial_date(text)
        except InputError:
            self.problem(line, field, f"{text} is not a real date")
            return None

    def flag(self, line: int, field: str, text: str) -> bool | None:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False if text else None
        self.problem(line, field, f"{text!r} is not true or false")
        return None

    def row(self, line: int, values: dict[str, str]) -> None:
        before = len(self.problems)
        get = values.get
        owner_name, owned_name = get("owner", ""), get("owned", "")
        for field, name in (("owner", owner_name), ("owned", owned_name)):
            if not name:
                self.problem(line, field, "is empty: every holding needs an owner and an owned")
        percent = self.decimal(line, "percent", get("percent", ""))
        low = self.decimal(line, "percent_min", get("percent_min", ""))
        high = self.decimal(line, "percent_max", get("percent_max", ""))
        low_x = self.flag(line, "percent_min_exclusive", get("percent_min_exclusive", ""))
        high_x = self.flag(line, "percent_max_exclusive", get("percent_max_exclusive", ""))
        if percent is not None and (low is not None or high is not None):
            self.problem(line, "percent", "give either percent or a range, not both")
        if low is not None and high is not None:
            if low > high:
                self.problem(line, "percent_min", f"{low} is greater than percent_max {high}")
            elif low == high and (low_x or high_x):
                self.problem(line, "percent_min", "an exclusive bound makes the range empty")
        if low_x and low is None:
            self.problem(line, "percent_min_exclusive", "is set but percent_min is empty")
        if high_x and high is None:
            self.problem(line, "percent_max_exclusive", "is set but percent_max is empty")
        shares_text = get("shares", "")
        if shares_text and not _INTEGER.match(shares_text):
            self.problem(line, "shares", f"{get('shares')!r} is not a whole number of shares")
        elif len(shares_text.lstrip("0")) > MAX_SHARE_DIGITS:
            self.problem(
                line, "shares",
                f"{len(shares_text)} digits: no share count has more than {MAX_SHARE_DIGITS}",
            )  # fmt: skip
        start = self.date(line, "start_date", get("start_date", ""))
        end = self.date(line, "end_date", get("end_date", ""))
        as_of = self.date(line, "as_of", get("as_of", ""))
        if start is not None and end is not None:
            # A partial end takes effect after its period; only an impossible order is wrong.
            end_day = end.start if end.precision == "day" else end.end
            if end_day <= start.start:
                self.problem(
                    line, "end_date", f"{end} is not after start_date {start} (end is exclusive)"
                )
        interest = get("interest_type", "")
        relation = CONSOLIDATION_TYPES.get(interest)
        if interest and relation is None and interest not in _interest_types():
            known = sorted(_interest_types()) + list(CONSOLIDATION_TYPES)
            close = difflib.get_close_matches(interest, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.problem(
                line, "interest_type",
                f"{interest!r} is not a BODS interest type nor a reported consolidation{hint}",
            )  # fmt: skip
        if relation is not None:
            for field in ("percent_min", "percent_max", "shares", "share_class"):
                if get(field, ""):
                    self.problem(
                        line, field,
                        f"a reported consolidation ({interest}) takes one percent at most,"
                        f" not {field}",
                    )  # fmt: skip
        if len(self.problems) > before or not owner_name or not owned_name:
            return
        source = self.source(get("source", ""))
        owner = self.entity(line, "owner", owner_name, source)
        owned = self.entity(line, "owned", owned_name, source)
        if owner is None or owned is None:
            return
        if owner == owned:
            self.problem(line, "owned", f"{owned_name!r} is also the owner: nothing holds itself")
            return
        if relation is not None:
            self.relation(relation, owner, owned, source, percent, (start, end, as_of))
            return
        facts: list[tuple[URIRef, Node]] = [
            (RDF.type, GK.Holding),
            (GK.owner, owner),
            (GK.owned, owned),
            (GK.factStatus, GK.Stated),
            (PROV.wasDerivedFrom, source),
        ]
        if percent is not None:
            facts.append((GK.percent, _decimal_literal(percent)))
        if low is not None:
            facts.append((GK.percentMin, _decimal_literal(low)))
            if low_x:
                facts.append((GK.percentMinExclusive, Literal(True)))
        if high is not None:
            facts.append((GK.percentMax, _decimal_literal(high)))
            if high_x:
                facts.append((GK.percentMaxExclusive, Literal(True)))
        if shares_text:
            facts.append((GK.shares, Literal(int(shares_text))))
        if get("share_class"):
            facts.append((GK.shareClass, Literal(get("share_class"))))
        for prop, date in ((GK.validFrom, start), (GK.validTo, end), (GK.asOf, as_of)):
            if date is not None:
                facts.append((prop, _date_literal(date)))
        if interest:
            facts.append((GK.interestType, Literal(interest)))
        # The same row read twice is the same holding: the IRI hashes what the row says.
        holding = self.ns["holding/" + _digest(*sorted(f"{p} {o.n3()}" for p, o in facts))[:16]]
        for prop, value in facts:
            self.graph.add((holding, prop, value))

    def relation(
        self,
        cls: URIRef,
        parent: URIRef,
        child: URIRef,
        source: URIRef,
        percent: Decimal | None,
        dates: tuple[PartialDate | None, PartialDate | None, PartialDate | None],
    ) -> None:
        """A reported consolidation: ``child`` is a consolidated subsidiary of ``parent``."""
        facts: list[tuple[URIRef, Node]] = [
            (RDF.type, cls),
            (GK.parent, parent),
            (GK.child, child),
            (GK.factStatus, GK.Stated),
            (PROV.wasDerivedFrom, source),
        ]
        if percent is not None:
            facts.append((GK.percent, _decimal_literal(percent)))
        for prop, date in zip((GK.validFrom, GK.validTo, GK.asOf), dates, strict=True):
            if date is not None:
                facts.append((prop, _date_literal(date)))
        # As for a holding: the same row read twice is the same relation.
        iri = self.ns["relation/" + _digest(*sorted(f"{p} {o.n3()}" for p, o in facts))[:16]]
        for prop, value in facts:
            self.graph.add((iri, prop, value))

    def read(self, stream: TextIO) -> Graph:
        try:
            self._read_records(_records(stream))
        except _Unreadable as exc:  # nothing after it can be read: report what was found
            self.problem(exc.line, "(file)", exc.reason)
        if self.problems:
            raise BadInput(self.problems)
        return self.graph

    def _read_records(self, records: Iterator[tuple[int, list[str]]]) -> None:
        first = next(records, None)
        if first is None:
            raise BadInput([ImportProblem(self.name, 1, "header", "the file has no header row")])
        columns = self.header(*first)
        if columns is None:
            raise BadInput(self.problems)
        for line, row in records:
            cells = [_unquote_formula(cell.strip()) for cell in row]
            if len(cells) > len(columns) and any(cells[len(columns) :]):
                self.problem(
                    line, "(row)", f"has {len(cells)} fields but the header has {len(columns)}"
                )
                continue
            self.row(line, dict(zip(columns, cells, strict=False)))


def read_csv(
    path: str | os.PathLike[str],
    resolve: Callable[[str], URIRef | None] | None = None,
    *,
    base: str = LOCAL_BASE,
) -> Graph:
    """Read a CSV holdings file into a graph of stated holdings, all or nothing.

    Parameters
    ----------
    path
        The CSV file (UTF-8, a byte-order mark is allowed).
    resolve
        Called with each distinct ``owner``/``owned`` value; returns the IRI of an
        existing entity so called (name, alias, local id or IRI), or ``None``. It may
        raise an :class:`~groupkg.graph.errors.InputError` (an ambiguous name), which is
        reported against the row. Without it every name is new.
    base
        The namespace new entities, sources and holdings are minted in. A new entity is
        a ``gk:LegalEntity`` named by its first spelling, at ``base`` + the slug of its
        name (``Acme Inc.`` -> ``acme-inc``), with a hash suffix when that slug is
        already the local id of another entity.

    Returns
    -------
    rdflib.Graph
        One ``gk:Holding`` a row (a ``gk:DirectConsolidation`` or
        ``gk:UltimateConsolidation`` for a row of that ``interest_type``), ``gk:Stated``,
        ``prov:wasDerivedFrom`` the row's ``source`` (one ``gk:Source`` per distinct
        value, its ``dcterms:title``) or, for an empty ``source``, a ``gk:Source`` for the
        file itself. The graph holds the new entities but not the resolved ones.

    Raises
    ------
    BadInput
        Listing every bad row (line and column): a percentage outside 0-100 or not a
        number, a percent together with a range, a minimum above the maximum, a date
        that is not ``YYYY``/``YYYY-MM``/``YYYY-MM-DD`` or not a real day, an end not
        after the start, a missing owner or owned, an owner that is also the owned, a
        share count that is not a whole number, an unknown ``interest_type``, a range,
        share count or share class on a reported consolidation; and unknown, repeated or
        missing header columns. Nothing is returned when anything is wrong.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder, "h.csv")
    ...     _ = path.write_text("owner,owned,percent\\nAcme,Acme USA,120\\n")
    ...     try:
    ...         read_csv(path)
    ...     except BadInput as error:
    ...         print(*(f"{p.location}: {p.field}: {p.reason}" for p in error.problems))
    2: percent: 120 is not a percentage between 0 and 100
    """
    reader = _CsvReader(str(path), resolve, base)
    try:
        stream = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    with stream:
        try:
            return reader.read(stream)
        except UnicodeDecodeError as exc:
            raise BadInput([ImportProblem(str(path), 1, "(file)", f"not UTF-8: {exc}")]) from None


# ---- export ----


def _source_name(graph: Graph, source: Node) -> str:
    for prop in (DCTERMS.title, RDFS.label, GK.fileName):
        value = first_value(graph, source, prop)
        if value is not None:
            return str(value)
    parent = first_value(graph, source, DCTERMS.isPartOf)
    if parent is not None:
        locator = first_value(graph, source, GK.locator)
        return _source_name(graph, parent) + (f", {locator}" if locator is not None else "")
    return str(source)


def write_csv(graph: Graph, out: str | os.PathLike[str] | TextIO) -> int:
    """Write every ``gk:Holding`` of ``graph`` as a row of the CSV holdings format, and
    every ``gk:DirectConsolidation`` / ``gk:UltimateConsolidation`` as a row with that
    ``interest_type`` (parent as owner, child as owned), so the file reads back to the
    same facts. Other reported relations (branches, funds) have no CSV form.

    Owners and owned are written by ``rdfs:label``, or by IRI where an entity has no
    label or shares it with another entity (so the file reads back to the same
    entities through a resolver that knows IRIs). ``source`` is the title of each
    source the holding is derived from, joined by ``"; "``. The optional columns are
    written only when some holding uses them, so a plain graph gives the plain format.
    Rows are sorted by owner, owned and dates.

    Returns
    -------
    int
        The number of rows written.
    """
    entities = set(graph.objects(None, GK.owner)) | set(graph.objects(None, GK.owned))
    entities |= set(graph.objects(None, GK.parent)) | set(graph.objects(None, GK.child))
    for kind in ENTITY_CLASSES:
        entities.update(graph.subjects(RDF.type, kind))
    labels: dict[Node, str] = {}
    by_label: dict[str, set[Node]] = {}
    for entity in entities:
        found = first_value(graph, entity, RDFS.label)
        if found is not None:
            labels[entity] = str(found)
    for entity, label in labels.items():
        by_label.setdefault(_fold(label), set()).add(entity)

    def name(entity: Node) -> str:
        label = labels.get(entity)
        return label if label and len(by_label[_fold(label)]) == 1 else str(entity)

    def text(holding: Node, prop: URIRef) -> str:
        value = first_value(graph, holding, prop)
        if value is None:
            return ""
        if isinstance(value, Literal) and value.datatype == XSD.boolean:
            return "true" if literal_value(str(value), XSD_BOOLEAN) is True else ""
        return str(value)

    facts: list[tuple[Node, URIRef, URIRef, str]] = [
        (holding, GK.owner, GK.owned, "") for holding in set(graph.subjects(RDF.type, GK.Holding))
    ]
    for interest, cls in CONSOLIDATION_TYPES.items():
        facts += [
            (rel, GK.parent, GK.child, interest) for rel in set(graph.subjects(RDF.type, cls))
        ]
    rows = []
    for holding, owner_p, owned_p, relation_type in facts:
        owner, owned = first_value(graph, holding, owner_p), first_value(graph, holding, owned_p)
        if owner is None or owned is None:
            continue
        sources = sorted(
            {_source_name(graph, s) for s in graph.objects(holding, PROV.wasDerivedFrom)}
        )
        row = {
            "owner": name(owner),
            "owned": name(owned),
            "percent": text(holding, GK.percent),
            "percent_min": text(holding, GK.percentMin),
            "percent_max": text(holding, GK.percentMax),
            "shares": text(holding, GK.shares),
            "start_date": text(holding, GK.validFrom),
            "end_date": text(holding, GK.validTo),
            "source": "; ".join(sources),
            "percent_min_exclusive": text(holding, GK.percentMinExclusive),
            "percent_max_exclusive": text(holding, GK.percentMaxExclusive),
            "share_class": text(holding, GK.shareClass),
            "as_of": text(holding, GK.asOf),
            "interest_type": relation_type or text(holding, GK.interestType),
        }
        rows.append(row)
    rows.sort(key=lambda r: (r["owner"], r["owned"], r["start_date"], r["as_of"], str(r)))
    columns = list(CSV_COLUMNS) + [c for c in CSV_EXTRA_COLUMNS if any(r[c] for r in rows)]
    if isinstance(out, str | os.PathLike):
        with open(Path(out), "w", encoding="utf-8", newline="") as stream:
            _write_rows(stream, columns, rows)
    else:
        _write_rows(out, columns, rows)
    return len(rows)


def _write_rows(stream: TextIO, columns: list[str], rows: list[dict[str, str]]) -> None:
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)


# ---- cells a spreadsheet would run ----

#: What a spreadsheet takes as the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text and never runs it: a cell a
    spreadsheet would read as a formula (``=HYPERLINK(...)``, ``+SUM(...)``, ``-2+3``,
    ``@cmd``, or one starting with a tab or carriage return) gets a ``'`` in front, as
    OWASP advises. So that reading the file back gives the text that was written, a
    cell that already starts with ``'`` before such a character gets one more.

    >>> print(spreadsheet_safe("=1+2"), spreadsheet_safe("'=1+2"), spreadsheet_safe("Acme"))
    '=1+2 ''=1+2 Acme
    """
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_STARTS) else cell


def _unquote_formula(cell: str) -> str:
    """The text :func:`spreadsheet_safe` was given (a cell of a file it wrote)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell
