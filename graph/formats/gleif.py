"""GLEIF Level 2 relationship records (RR-CDF golden copy CSV) as reported relations.

The golden copy holds about half a million rows, so the importer streams: rows are read
one at a time with :class:`csv.DictReader` from a ``.csv`` file or from the one CSV
inside a ``.zip``, and triples come out in batches. Memory stays flat: nothing grows
with the file but the list of problems.

Mapping, per row (child = ``StartNode``, parent = ``EndNode``):

- ``RelationshipType`` gives the class: ``IS_DIRECTLY_CONSOLIDATED_BY``
  ``gk:DirectConsolidation``, ``IS_ULTIMATELY_CONSOLIDATED_BY`` ``gk:UltimateConsolidation``,
  ``IS_INTERNATIONAL_BRANCH_OF`` ``gk:BranchRelation``, ``IS_FUND-MANAGED_BY``
  ``gk:FundManagementRelation``, ``IS_SUBFUND_OF`` ``gk:SubFundRelation``,
  ``IS_FEEDER_TO`` ``gk:FeederRelation``.
- The first ``RELATIONSHIP_PERIOD`` gives ``gk:validFrom``/``gk:validTo`` (the day of
  its ISO date-times as written, the end read as the first day the relation no longer
  holds); accounting and filing periods, and any further relationship period, are kept
  as ``gk:note``s: they say when a document or an account covered the relation, not
  when it held.
- The first quantifier in ``PERCENTAGE`` (or with no unit) is ``gk:percent`` with its
  ``gk:measurementMethod``. GLEIF writes 100 percent both as ``100`` and as ``1.00``;
  an amount of at most 1 is read as a fraction (``1.00`` -> 100, ``0.6`` -> 60) and a
  ``gk:note`` says so, since a consolidation quantifier of one percent or less is not a
  credible reading. No quantifier means an unknown percentage, never 0.
- ``RelationshipStatus`` is ``gk:relationshipStatus``, ``Registration.ValidationSources``
  ``gk:validationSource``; a registration status other than ``PUBLISHED`` (``LAPSED``,
  ``RETIRED``, ``ANNULLED``...) is a ``gk:note``. Registration dates are record time,
  not valid time, and are not carried.
- Each LEI is a ``gk:LegalEntity`` at ``lei_base`` + the LEI, labelled with the LEI
  (names come from Level 1), with ``gk:lei``; a fund (the child of a fund-management,
  sub-fund or feeder relation, the parent of the last two) is also a ``gk:Fund``.
- The file is one ``gk:Source``; every relation is ``gk:Stated`` and derived from it.

A row that cannot be read (missing or malformed LEI, unknown relationship type, bad
date, end before start, non-numeric or out-of-range quantifier) yields nothing and is
reported with its line number; the problems are raised together, as one
:class:`~groupkg.graph.errors.BadInput`, after the last batch. A caller that wants
all or nothing must therefore hold back (not commit) what it receives until the
generator has finished without raising.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TextIO

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from groupkg.graph.errors import BadInput, ImportProblem, InputError
from groupkg.graph.vocab import DCTERMS, GK, ORG, PROV

__all__ = ["LEI_BASE", "GLEIF_BASE", "RELATIONSHIP_TYPES", "iter_gleif_triples", "read_gleif"]

LEI_BASE = "https://w3id.org/groupkg/data/lei/"
GLEIF_BASE = "https://w3id.org/groupkg/data/gleif/"
RELATIONSHIP_TYPES = {
    "IS_DIRECTLY_CONSOLIDATED_BY": GK.DirectConsolidation,
    "IS_ULTIMATELY_CONSOLIDATED_BY": GK.UltimateConsolidation,
    "IS_INTERNATIONAL_BRANCH_OF": GK.BranchRelation,
    "IS_FUND-MANAGED_BY": GK.FundManagementRelation,
    "IS_SUBFUND_OF": GK.SubFundRelation,
    "IS_FEEDER_TO": GK.FeederRelation,
}
# Which ends of a relation are funds: (child, parent).
_FUNDS = {
    "IS_FUND-MANAGED_BY": (True, False),
    "IS_SUBFUND_OF": (True, True),
    "IS_FEEDER_TO": (True, True),
}

Triple = tuple[Node, Node, Node]

_START, _END = "Relationship.StartNode.NodeID", "Relationship.EndNode.NodeID"
_START_TYPE, _END_TYPE = "Relationship.StartNode.NodeIDType", "Relationship.EndNode.NodeIDType"
_TYPE, _STATUS = "Relationship.RelationshipType", "Relationship.RelationshipStatus"
_REGISTRATION, _VALIDATION = "Registration.RegistrationStatus", "Registration.ValidationSources"
_REQUIRED = (_START, _END, _TYPE)
_PERIOD = re.compile(r"^Relationship\.Period\.(\d+)\.(startDate|endDate|periodType)$")
# Golden copies of 2019 name the quantifier columns "Relationship.Qualifiers.N.Quantifier..."
# (beside the qualifier dimension and category); later ones "Relationship.Quantifiers.N...".
_QUANTIFIER = re.compile(
    r"^Relationship\.(Quantifiers|Qualifiers)\.(\d+)\."
    r"(MeasurementMethod|QuantifierAmount|QuantifierUnits)$"
)
_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_DATE_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_CACHE_SIZE = 100_000  # LEIs whose entity triples were sent lately: bounds repeats, and memory
_LEI_DIGITS = {ord(c): str(int(c, 36)) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_A, _LABEL, _DERIVED = RDF.type, RDFS.label, PROV.wasDerivedFrom
_ENTITY_TYPES = (GK.LegalEntity, ORG.FormalOrganization)
# GK's attribute look-up checks each name against the ontology: too slow per row.
_CHILD, _PARENT, _STATUS_P, _STATED, _FACT_STATUS = (
    GK.child,
    GK.parent,
    GK.relationshipStatus,
    GK.Stated,
    GK.factStatus,
)
_FROM, _TO, _PERCENT_P, _METHOD, _NOTE_P, _LEI_P, _FUND, _VALIDATION_P = (
    GK.validFrom,
    GK.validTo,
    GK.percent,
    GK.measurementMethod,
    GK.note,
    GK.lei,
    GK.Fund,
    GK.validationSource,
)


def _is_lei(text: str) -> bool:
    """ISO 17442: 18 letters or digits and two ISO 7064 MOD 97-10 check digits."""
    return bool(_LEI.match(text)) and int(text.translate(_LEI_DIGITS)) % 97 == 1


@lru_cache(maxsize=1024)
def _literal(text: str, datatype: URIRef | None = None) -> Literal:
    """A literal of a small vocabulary (statuses, dates, percentages), made once."""
    return Literal(text, datatype=datatype)


def _day(text: str) -> dt.date | None:
    match = _DATE_TIME.match(text)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _percent(amount: Decimal) -> tuple[Decimal, bool]:
    """A GLEIF percentage quantifier on a 0-100 scale, and whether it was a fraction."""
    if 0 < amount <= 1:
        return amount * 100, True
    return amount, False


@contextmanager
def _open_csv(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """The CSV text of ``path``, or of the single CSV member of a zip archive."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [
                m
                for m in archive.namelist()
                if m.lower().endswith(".csv") and not m.startswith("__MACOSX/")
            ]
            if len(members) != 1:
                raise InputError(
                    f"{path}: a GLEIF zip must hold exactly one CSV file, not {len(members)}"
                )
            if archive.getinfo(members[0]).flag_bits & 0x1:  # zipfile would raise RuntimeError
                problem = f"{members[0]} is encrypted: give the archive without a password"
                raise BadInput([ImportProblem(str(path), 1, "(zip)", problem)])
            with archive.open(members[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    else:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            yield stream


class _Rows:
    """A :class:`csv.DictReader` that also tells the line each row starts on."""

    def __init__(self, stream: TextIO):
        self.reader = csv.DictReader(stream)
        self.fieldnames = [name.strip() for name in self.reader.fieldnames or []]
        self.reader.fieldnames = self.fieldnames
        self.end = self.reader.line_num

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        for row in self.reader:
            start, self.end = self.end + 1, self.reader.line_num
            yield start, row


class _Mapper:
    """Turns the rows of one file into triples, collecting the problems of bad rows."""

    def __init__(self, name: str, columns: list[str], lei_base: str, base: str):
        self.name = name
        self.lei_base, self.rr_base = lei_base, base + "rr/"
        self.source = URIRef(
            base + "source/" + re.sub(r"[^A-Za-z0-9._-]+", "-", os.path.basename(name))
        )
        self.periods = [
            tuple(
                f"Relationship.Period.{n}.{part}" for part in ("startDate", "endDate", "periodType")
            )
            for n in sorted({int(m.group(1)) for m in map(_PERIOD.match, columns) if m})
        ]
        self.quantifiers = [
            tuple(
                f"Relationship.{group}.{n}.{part}"
                for part in ("QuantifierAmount", "QuantifierUnits", "MeasurementMethod")
            )
            for group, n in sorted(
                {(m.group(1), int(m.group(2))) for m in map(_QUANTIFIER.match, columns) if m}
            )
        ]
        self.problems: list[ImportProblem] = []
        self.seen: OrderedDict[tuple[str, bool], None] = OrderedDict()

    def source_triples(self) -> list[Triple]:
        file_name = os.path.basename(self.name)
        triples: list[Triple] = [
            (self.source, _A, GK.Source),
            (self.source, _A, PROV.Entity),
            (
                self.source,
                DCTERMS.title,
                Literal(f"GLEIF Level 2 relationship records ({file_name})"),
            ),
            (self.source, DCTERMS.publisher, Literal("GLEIF")),
            (self.source, GK.fileName, Literal(file_name)),
        ]
        published = re.match(r"^(\d{4})(\d{2})(\d{2})", file_name)
        if published and _day("-".join(published.groups())):
            triples.append(
                (
                    self.source,
                    DCTERMS.date,
                    Literal("-".join(published.groups()), datatype=XSD.date),
                )
            )
        return triples

    def entity(self, lei: str, fund: bool, out: list[Triple]) -> URIRef:
        iri = URIRef(self.lei_base + lei)
        key = (lei, fund)
        if key in self.seen:
            self.seen.move_to_end(key)
            return iri
        self.seen[key] = None
        if len(self.seen) > _CACHE_SIZE:
            self.seen.popitem(last=False)
        name = Literal(lei)
        out += [(iri, _A, t) for t in _ENTITY_TYPES]
        out += [(iri, _LABEL, name), (iri, _LEI_P, name), (iri, _DERIVED, self.source)]
        if fund:
            out.append((iri, _A, _FUND))
        return iri

    def row(self, line: int, row: dict[str, str], out: list[Triple]) -> None:
        """Add the triples of one row to ``out``, or its problems to :attr:`problems`."""
        problems = []

        def value(column: str) -> str:
            return (row.get(column) or "").strip()

        child, parent, kind = value(_START), value(_END), value(_TYPE)
        for column, lei in ((_START, child), (_END, parent)):
            if not lei:
                problems.append((column, "missing node id"))
            elif not _is_lei(lei):
                problems.append((column, f"{lei!r} is not an LEI (ISO 17442)"))
        for column in (_START_TYPE, _END_TYPE):
            if value(column) not in ("", "LEI"):
                problems.append(
                    (column, f"node id type {value(column)!r} is not supported (only LEI)")
                )
        cls = RELATIONSHIP_TYPES.get(kind)
        if cls is None:
            problems.append(
                (
                    _TYPE,
                    f"unknown relationship type {kind!r} (expected one of "
                    + ", ".join(RELATIONSHIP_TYPES)
                    + ")",
                )
            )
        facts: list[tuple[URIRef, Node]] = []
        notes: list[str] = []
        interval = False
        for start_column, end_column, type_column in self.periods:
            start_text, end_text = value(start_column), value(end_column)
            if not start_text and not end_text:
                continue
            start, stop = _day(start_text), _day(end_text)
            for column, text, day in (
                (start_column, start_text, start),
                (end_column, end_text, stop),
            ):
                if text and day is None:
                    problems.append((column, f"{text!r} is not an ISO date or date-time"))
            if start and stop and stop < start:
                problems.append((end_column, f"{stop} is before startDate {start}"))
            period_type = value(type_column) or "RELATIONSHIP_PERIOD"
            if period_type == "RELATIONSHIP_PERIOD" and not interval:
                interval = True
                if start:
                    facts.append((_FROM, _literal(start.isoformat(), XSD.date)))
                if stop:
                    facts.append((_TO, _literal(stop.isoformat(), XSD.date)))
            else:
                notes.append(f"GLEIF {period_type} from {start or '?'} to {stop or '?'}")
        percent_found = False
        for amount_column, units_column, method_column in self.quantifiers:
            text = value(amount_column)
            if not text:
                continue
            units, method = value(units_column), value(method_column)
            try:
                amount = Decimal(text)
            except InvalidOperation:
                problems.append((amount_column, f"{text!r} is not a number"))
                continue
            if not amount.is_finite() or not 0 <= amount <= 100:
                problems.append((amount_column, f"{text} is not a percentage from 0 to 100"))
                continue
            if units in ("", "PERCENTAGE") and not percent_found:
                percent_found = True
                percent, fraction = _percent(amount)
                shown = format(percent.normalize(), "f")
                facts.append((_PERCENT_P, _literal(shown, XSD.decimal)))
                if method:
                    facts.append((_METHOD, _literal(method)))
                if fraction:
                    notes.append(f"GLEIF quantifier {text} read as a fraction: {shown} percent")
            else:
                notes.append(f"GLEIF quantifier {text} {units} {method}".rstrip())
        if problems or cls is None:
            self.problems += [
                ImportProblem(self.name, line, column, reason) for column, reason in problems
            ]
            return
        child_fund, parent_fund = _FUNDS.get(kind, (False, False))
        relation = URIRef(f"{self.rr_base}{child}-{kind.lower().replace('_', '-')}-{parent}")
        facts += [
            (_A, cls),
            (_CHILD, self.entity(child, child_fund, out)),
            (_PARENT, self.entity(parent, parent_fund, out)),
            (_FACT_STATUS, _STATED),
            (_DERIVED, self.source),
        ]
        if value(_STATUS):
            facts.append((_STATUS_P, _literal(value(_STATUS))))
        if value(_VALIDATION):
            facts.append((_VALIDATION_P, _literal(value(_VALIDATION))))
        if value(_REGISTRATION) not in ("", "PUBLISHED"):
            notes.append(f"GLEIF registration status {value(_REGISTRATION)}")
        facts += [(_NOTE_P, Literal(note)) for note in notes]
        out += [(relation, prop, obj) for prop, obj in facts]


def iter_gleif_triples(
    path: str | os.PathLike[str],
    *,
    lei_base: str = LEI_BASE,
    base: str = GLEIF_BASE,
    batch_size: int = 10_000,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[Triple]]:
    """Stream a GLEIF relationship-record file as batches of groupkg triples.

    Parameters
    ----------
    path
        A golden-copy RR CSV, or a zip holding one. Columns may come in any order;
        columns not used are ignored.
    lei_base
        Where entities are minted: ``lei_base`` + the LEI.
    base
        Where relations (``base/rr/CHILD-type-PARENT``) and the file's source are minted.
    batch_size
        About how many triples a batch holds.
    progress
        Called with the number of rows read so far after each batch and at the end.

    Yields
    ------
    list of triples
        The triples of the rows read so far; a triple may repeat across batches (an
        entity seen again after many rows), which a graph or store absorbs.

    Raises
    ------
    BadInput
        After the last batch, with every row that could not be read; or before the
        first, when the header lacks a required column. Do not commit what the batches
        gave until the generator ends without raising.
    """
    name = str(path)
    rows_done = 0
    rows: _Rows | None = None
    try:
        with _open_csv(path) as stream:
            rows = _Rows(stream)
            missing = [c for c in _REQUIRED if c not in rows.fieldnames]
            if missing:
                raise BadInput(
                    ImportProblem(name, 1, c, "required column is missing") for c in missing
                )
            mapper = _Mapper(name, rows.fieldnames, lei_base, base)
            batch = mapper.source_triples()
            for line, row in rows:
                rows_done += 1
                mapper.row(line, row, batch)
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
                    if progress is not None:
                        progress(rows_done)
    except (UnicodeDecodeError, csv.Error) as exc:
        # A byte that is not UTF-8, or a field past csv's size limit: the file as a
        # whole cannot be read, so it is refused with the line the reader had reached.
        line = rows.end + 1 if rows is not None else 1
        reason = f"not UTF-8: {exc.reason}" if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise BadInput([ImportProblem(name, line, "(file)", reason)]) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        problem = ImportProblem(name, 1, "(zip)", f"not a readable zip archive: {exc}")
        raise BadInput([problem]) from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read it ({exc.strerror or exc})") from None
    if batch:
        yield batch
    if progress is not None:
        progress(rows_done)
    if mapper.problems:
        raise BadInput(mapper.problems)


def read_gleif(path: str | os.PathLike[str], **options: object) -> Graph:
    """Read a whole GLEIF relationship-record file into a graph, all or nothing.

    Takes the options of :func:`iter_gleif_triples`; for files too large for memory,
    stream with it into a store instead.

    Raises
    ------
    BadInput
        With every row that could not be read.
    """
    graph = Graph()
    for batch in iter_gleif_triples(path, **options):  # type: ignore[arg-type]
        for triple in batch:
            graph.add(triple)
    return graph
