"""A CSV holdings file read into groupkg RDF, all or nothing: every bad row is reported
with its line number and column, all at once, and nothing of the file is returned.

The rows become N-Triples text directly, each term written once as a string: an
import of 100,000 rows writes over a million triples, and making rdflib's terms (and
then Oxigraph's) for each cost more than reading and checking the rows.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator

from rdflib import Graph, URIRef
from rdflib.term import Node

from groupkg.graph.errors import BadInput, GroupkgError, ImportProblem, InputError
from groupkg.graph.formats.csvholdings.cells import Unreadable, csv_records, unquote_formula
from groupkg.graph.formats.csvholdings.columns import (
    CSV_COLUMNS,
    CSV_EXTRA_COLUMNS,
    LOCAL_BASE,
    did_you_mean,
    fold,
)
from groupkg.graph.formats.csvholdings.rows import HoldingsRow, check_row
from groupkg.graph.formats.csvholdings.statements import (
    CHILD,
    DERIVED,
    FILE_NAME,
    HOLDING,
    LABEL,
    LEGAL_ENTITY,
    ORGANIZATION,
    OWNED,
    OWNER,
    PARENT,
    PROV_ENTITY,
    SOURCE,
    TITLE,
    TYPE,
    Triple,
    row_statements,
)
from groupkg.graph.formats.gleif.columns import LEI_BASE
from groupkg.graph.formats.gleif.entities import lei_entity_triples
from groupkg.graph.formats.identifiers import LEI_SCHEME, identifier_triples
from groupkg.graph.formats.minting import digest
from groupkg.graph.store.ntriples import ntriples_iri, ntriples_literal, rdflib_ntriples

__all__ = ["Triple", "read_csv", "read_csv_ntriples", "read_records"]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


class _CsvReader:
    """One pass over one file: parse every row, collect every problem, build the graph."""

    def __init__(self, name: str, resolve: Callable[[str], URIRef | None] | None, base: str):
        self.name = name
        self.resolve = resolve
        self.base = base
        # The triples in the order they are stated, each once (an rdflib Graph indexes
        # each triple three ways, which costs most of a long file's reading).
        self.triples: dict[Triple, None] = {}
        self.problems: list[ImportProblem] = []
        self.entities: dict[str, str] = {}  # folded name -> IRI (N-Triples)
        self.minted: dict[str, str] = {}  # minted IRI (N-Triples) -> folded name
        self.sources: dict[str, str] = {}
        self.file_source: str | None = None
        self.tentative = 0  # problems found before the look-up that it may word otherwise

    def problem(self, line: int | str, field: str, reason: str) -> None:
        self.problems.append(ImportProblem(self.name, line, field, reason))

    def header(self, line: int | str, row: list[str]) -> list[str] | None:
        columns = [c.strip().lstrip("\ufeff") for c in row]
        known = CSV_COLUMNS + CSV_EXTRA_COLUMNS
        ok = True
        for column in columns:
            if column not in known:
                hint = did_you_mean(column, known)
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

    def iri(self, local: str) -> str:
        """The N-Triples IRI of ``local`` in the namespace new terms are minted in."""
        return f"<{self.base}{local}>"

    def entity(
        self,
        line: int | str,
        field: str,
        name: str,
        source: str,
        identifier: tuple[str, str] | None = None,
    ) -> str | None:
        # An LEI names GLEIF's entity, whatever the name written; any identifier is
        # added to the party by ``row`` (records that share one are merged when read).
        if identifier is None or identifier[0] != LEI_SCHEME:
            return self.named_entity(line, field, name, source)
        iri = URIRef(LEI_BASE + identifier[1])
        self.add_terms(
            lei_entity_triples(iri, " ".join(name.split()), identifier[1], URIRef(source[1:-1]))
        )
        return ntriples_iri(iri)

    def named_entity(self, line: int | str, field: str, name: str, source: str) -> str | None:
        key = fold(name)
        if key not in self.entities:
            found = None
            if self.resolve is not None:
                try:
                    found = self.resolve(name)
                except GroupkgError as exc:  # an ambiguous name, say
                    self.problem(line, field, str(exc))
                    return None
            self.entities[key] = ntriples_iri(found) if found is not None else self.mint(name)
        iri = self.entities[key]
        if iri in self.minted:
            self.triples[(iri, DERIVED, source)] = None
        return iri

    def mint(self, name: str) -> str:
        """A new entity for an unknown name: its slug, made unique where it is taken."""
        key = fold(name)
        slug = _slug(name) or "entity"
        iri = self.iri(slug)
        taken = iri in self.minted and self.minted[iri] != key
        if not taken and self.resolve is not None:
            try:  # the slug may be the local id of some other, existing entity
                taken = self.resolve(slug) is not None
            except GroupkgError:
                taken = True
        if taken:
            iri = self.iri(f"{slug}-{digest(key)[:8]}")
        self.minted[iri] = key
        for triple in (
            (iri, TYPE, LEGAL_ENTITY),
            (iri, TYPE, ORGANIZATION),
            (iri, LABEL, ntriples_literal(" ".join(name.split()))),
        ):
            self.triples[triple] = None
        return iri

    def source(self, value: str) -> str:
        if not value:
            if self.file_source is None:
                base = os.path.basename(self.name)
                self.file_source = self.iri(f"source/file-{_slug(base)[:40]}-{digest(base)[:8]}")
                self.triples[(self.file_source, TYPE, SOURCE)] = None
                self.triples[(self.file_source, TYPE, PROV_ENTITY)] = None
                self.triples[(self.file_source, TITLE, ntriples_literal(base))] = None
                self.triples[(self.file_source, FILE_NAME, ntriples_literal(base))] = None
            return self.file_source
        if value not in self.sources:
            iri = self.iri(f"source/{_slug(value)[:40]}-{digest(value)[:8]}")
            self.triples[(iri, TYPE, SOURCE)] = None
            self.triples[(iri, TYPE, PROV_ENTITY)] = None
            self.triples[(iri, TITLE, ntriples_literal(value))] = None
            self.sources[value] = iri
        return self.sources[value]

    def look_up(self, rows: list[tuple[int | str, HoldingsRow]]) -> None:
        """Find every name of ``rows`` in one batch, and the slugs new names would take,
        when ``resolve`` can (``resolve.look_up``); it then answers from what it found."""
        look_up = getattr(self.resolve, "look_up", None)
        if look_up is None:
            return
        names = list(dict.fromkeys(name for _, row in rows for name in (row.owner, row.owned)))
        look_up(names)
        look_up(_slug(name) or "entity" for name in names if self._new(name))

    def _new(self, name: str) -> bool:
        """Whether ``name`` is no entity's yet (as ``resolve`` says)."""
        assert self.resolve is not None
        try:
            return self.resolve(name) is None
        except GroupkgError:
            return False

    def holds_itself(self, line: int | str, row: HoldingsRow) -> None:
        self.problem(line, "owned", f"{row.owned!r} is also the owner: nothing holds itself")

    def row(self, line: int | str, row: HoldingsRow) -> None:
        source = self.source(row.source)
        owner = self.entity(line, "owner", row.owner, source, row.owner_identifier)
        owned = self.entity(line, "owned", row.owned, source, row.owned_identifier)
        if owner is None or owned is None:
            return
        if owner == owned:
            self.holds_itself(line, row)
            return
        for iri, identifier in ((owner, row.owner_identifier), (owned, row.owned_identifier)):
            if identifier is not None:
                self.identifier(iri, *identifier)
        if row.consolidation is not None:
            # A reported consolidation: ``owned`` is a consolidated subsidiary of ``owner``.
            kind = ntriples_iri(row.consolidation)
            parties = [(TYPE, kind), (PARENT, owner), (CHILD, owned)]
            self.stated("relation", parties, row, source)
        else:
            parties = [(TYPE, HOLDING), (OWNER, owner), (OWNED, owned)]
            self.stated("holding", parties, row, source)

    def identifier(self, iri: str, scheme: str, value: str) -> None:
        """An identifier a row gives its owner or owned (an ``XI-LEI`` also its LEI)."""
        self.add_terms(identifier_triples(URIRef(iri[1:-1]), scheme, value))

    def add_terms(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Triples of rdflib terms (the few an identifier makes), as N-Triples terms."""
        for triple in triples:
            self.triples[tuple(rdflib_ntriples(t) for t in triple)] = None  # type: ignore[index]

    def stated(
        self, kind: str, parties: list[tuple[str, str]], row: HoldingsRow, source: str
    ) -> None:
        """The stated holding or relation a good row is, at an IRI that hashes what it
        says: the same row read twice is the same fact."""
        facts, said = row_statements(parties, row, source)
        iri = self.iri(f"{kind}/" + digest(*said)[:16])
        for prop, value in facts:
            self.triples[(iri, prop, value)] = None

    def read(self, records: Iterator[tuple[int | str, list[str]]]) -> list[Triple]:
        """Every row checked first (a bad one is reported before any name is looked
        up, with the rows naming one holder as owner and owned), then the names looked
        up, then the graph built row by row."""
        rows: list[tuple[int | str, HoldingsRow]] = []
        try:
            self._read_records(records, rows)
        except Unreadable as exc:  # nothing after it can be read: report what was found
            self.problem(exc.line, "(file)", exc.reason)
        if len(self.problems) > self.tentative:
            raise BadInput(self.problems)
        # Rows that hold themselves only: reported as the rows are read below, where a
        # name that means several entities is reported as such, as one by one.
        self.problems.clear()
        self.look_up(rows)
        for line, row in rows:
            self.row(line, row)
        if self.problems:
            raise BadInput(self.problems)
        return list(self.triples)

    def _read_records(
        self,
        records: Iterator[tuple[int | str, list[str]]],
        rows: list[tuple[int | str, HoldingsRow]],
    ) -> None:
        first = next(records, None)
        if first is None:
            raise BadInput([ImportProblem(self.name, 1, "header", "the file has no header row")])
        columns = self.header(*first)
        if columns is None:
            raise BadInput(self.problems)
        for line, cells_read in records:
            cells = [unquote_formula(cell.strip()) for cell in cells_read]
            if len(cells) > len(columns) and any(cells[len(columns) :]):
                self.problem(
                    line, "(row)", f"has {len(cells)} fields but the header has {len(columns)}"
                )
                continue
            row = check_row(line, dict(zip(columns, cells, strict=False)), self.problem)
            if row is not None:
                rows.append((line, row))
                if fold(row.owner) == fold(row.owned):  # wrong whatever the name means
                    self.holds_itself(line, row)
                    self.tentative += 1


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
        reported against the row. Without it every name is new. When it has a
        ``look_up`` method, that is first given every name of the file at once (and then
        the slugs of the new ones), after every row was checked: a file with a bad row
        is reported without a name looked up.
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
    return _graph(read_csv_ntriples(path, resolve, base=base))


def read_csv_ntriples(
    path: str | os.PathLike[str],
    resolve: Callable[[str], URIRef | None] | None = None,
    *,
    base: str = LOCAL_BASE,
) -> list[Triple]:
    """The triples of :func:`read_csv` as N-Triples terms, each triple once, in the
    order the rows state them, without a graph made of them (what an import writes)."""
    reader = _CsvReader(str(path), resolve, base)
    try:
        stream = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read it ({exc.strerror or exc})", file=str(path)
        ) from None
    with stream:
        try:
            return reader.read(csv_records(stream))
        except UnicodeDecodeError as exc:
            raise BadInput([ImportProblem(str(path), 1, "(file)", f"not UTF-8: {exc}")]) from None


def _graph(triples: list[Triple]) -> Graph:
    graph = Graph()
    graph.parse(data="".join(f"{s} {p} {o} .\n" for s, p, o in triples), format="nt")
    return graph


def read_records(
    name: str,
    records: Iterable[tuple[int | str, list[str]]],
    resolve: Callable[[str], URIRef | None] | None = None,
    *,
    base: str = LOCAL_BASE,
) -> Graph:
    """Read rows in the CSV holdings layout that come from elsewhere than a file (a
    table in memory), all or nothing, as :func:`read_csv` reads a file's.

    ``records`` gives ``(where, cells)`` pairs, the header's first; ``where`` names
    the row in a problem reported against it (its line in a file, its label in a
    table), ``name`` names the whole as a file name would.

    Raises
    ------
    BadInput
        Every problem :func:`read_csv` reports, each at its row's ``where``.

    Examples
    --------
    >>> rows = [("columns", ["owner", "owned", "percent"]), ("row 0", ["Acme", "B", "nan"])]
    >>> try:
    ...     read_records("DataFrame", rows)
    ... except BadInput as error:
    ...     print(error)
    DataFrame:row 0: percent: nan is not a percentage between 0 and 100
    """
    return _graph(_CsvReader(name, resolve, base).read(iter(records)))
