"""One row of a GLEIF relationship-record file mapped to groupkg triples: its relation,
the entities at both ends and the file's source, or the problems that keep it out.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.term import Node

from groupkg.graph.errors import ImportProblem
from groupkg.graph.formats.gleif.columns import (
    END_NODE,
    END_NODE_TYPE,
    FUND_ENDS,
    LAST_UPDATE,
    PERIOD_COLUMN,
    QUANTIFIER_COLUMN,
    REGISTRATION_STATUS,
    RELATIONSHIP_STATUS,
    RELATIONSHIP_TYPE,
    RELATIONSHIP_TYPES,
    START_NODE,
    START_NODE_TYPE,
    VALIDATION_SOURCES,
    gleif_day,
    gleif_moment,
    is_lei,
    iso_day,
    percent_scale,
)
from groupkg.graph.vocab import DCTERMS, GK, ORG, PROV

__all__ = ["Triple", "RowMapper"]

Triple = tuple[Node, Node, Node]

_CACHE_SIZE = 100_000  # LEIs whose entity triples were sent lately: bounds repeats, and memory
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
_KNOWN = GK.knownFrom
_ASSUMES, _ASSUMPTION, _ASSUMED_P, _REASON = (
    GK.hasAssumption,
    GK.Assumption,
    GK.assumedProperty,
    GK.assumptionReason,
)
_PERIOD_P, _PERIOD, _PERIOD_TYPE, _START, _END = (
    GK.reportedPeriod,
    GK.ReportedPeriod,
    GK.periodType,
    GK.startDate,
    GK.endDate,
)


@lru_cache(maxsize=1024)
def _literal(text: str, datatype: URIRef | None = None) -> Literal:
    """A literal of a small vocabulary (statuses, dates, percentages), made once."""
    return Literal(text, datatype=datatype)


@lru_cache(maxsize=256)
def _layout(
    columns: tuple[str, ...],
) -> tuple[list[tuple[int, tuple[str, str, str]]], list[tuple[str, str, str]]]:
    """The period columns (number, (start, end, type)) and quantifier columns (amount,
    units, method) among ``columns``, in their numbers' order."""
    periods = [
        (n, (f"Relationship.Period.{n}.startDate", f"Relationship.Period.{n}.endDate",
             f"Relationship.Period.{n}.periodType"))
        for n in sorted({int(m.group(1)) for m in map(PERIOD_COLUMN.match, columns) if m})
    ]  # fmt: skip
    quantifiers = [
        tuple(
            f"Relationship.{group}.{n}.{part}"
            for part in ("QuantifierAmount", "QuantifierUnits", "MeasurementMethod")
        )
        for group, n in sorted(
            {(m.group(1), int(m.group(2))) for m in map(QUANTIFIER_COLUMN.match, columns) if m}
        )
    ]
    return periods, quantifiers  # type: ignore[return-value]


class RowMapper:
    """Turns the rows of one file into triples, collecting the problems of bad rows."""

    def __init__(self, name: str, columns: list[str], lei_base: str, base: str):
        self.name = name
        self.lei_base, self.rr_base = lei_base, base + "rr/"
        self.source = URIRef(
            base + "source/" + re.sub(r"[^A-Za-z0-9._-]+", "-", os.path.basename(name))
        )
        self.use_columns(columns)
        self.problems: list[ImportProblem] = []
        self.seen: OrderedDict[tuple[str, bool], None] = OrderedDict()

    def use_columns(self, columns: Iterable[str]) -> None:
        """Read the rows to come by ``columns``: a CSV's header, or an XML record's fields."""
        self.periods, self.quantifiers = _layout(tuple(columns))

    def source_triples(self, title: str = "GLEIF Level 2 relationship records") -> list[Triple]:
        file_name = os.path.basename(self.name)
        triples: list[Triple] = [
            (self.source, _A, GK.Source),
            (self.source, _A, PROV.Entity),
            (
                self.source,
                DCTERMS.title,
                Literal(f"{title} ({file_name})"),
            ),
            (self.source, DCTERMS.publisher, Literal("GLEIF")),
            (self.source, GK.fileName, Literal(file_name)),
        ]
        published = re.match(r"^(\d{4})(\d{2})(\d{2})", file_name)
        if published and iso_day("-".join(published.groups())):
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

        child, parent, kind = value(START_NODE), value(END_NODE), value(RELATIONSHIP_TYPE)
        for column, lei in ((START_NODE, child), (END_NODE, parent)):
            if not lei:
                problems.append((column, "missing node id"))
            elif not is_lei(lei):
                problems.append((column, f"{lei!r} is not an LEI (ISO 17442)"))
        for column in (START_NODE_TYPE, END_NODE_TYPE):
            if value(column) not in ("", "LEI"):
                problems.append(
                    (column, f"node id type {value(column)!r} is not supported (only LEI)")
                )
        cls = RELATIONSHIP_TYPES.get(kind)
        if cls is None:
            problems.append(
                (
                    RELATIONSHIP_TYPE,
                    f"unknown relationship type {kind!r} (expected one of "
                    + ", ".join(RELATIONSHIP_TYPES)
                    + ")",
                )
            )
        facts: list[tuple[URIRef, Node]] = []
        notes: list[str] = []
        periods: list[tuple[int, str, Literal | None, Literal | None]] = []
        interval = False
        for number, (start_column, end_column, type_column) in self.periods:
            start_text, end_text = value(start_column), value(end_column)
            if not start_text and not end_text:
                continue
            start, stop = gleif_day(start_text), gleif_day(end_text)
            for column, text, day in (
                (start_column, start_text, start),
                (end_column, end_text, stop),
            ):
                if text and day is None:
                    problems.append(
                        (column, f"{text!r} is not an ISO date, date-time or epoch milliseconds")
                    )
            period_type = value(type_column) or "RELATIONSHIP_PERIOD"
            # Only a relationship period dates the relation; an accounting or filing
            # period ending before it starts (published so in 2019) is kept as written.
            if period_type == "RELATIONSHIP_PERIOD" and start and stop and stop < start:
                problems.append((end_column, f"{stop} is before startDate {start}"))
            start_day = _literal(start.isoformat(), XSD.date) if start else None
            stop_day = _literal(stop.isoformat(), XSD.date) if stop else None
            periods.append((number, period_type, start_day, stop_day))
            if period_type == "RELATIONSHIP_PERIOD" and not interval:
                interval = True
                if start_day:
                    facts.append((_FROM, start_day))
                if stop_day:
                    facts.append((_TO, stop_day))
        updated = value(LAST_UPDATE)
        known = gleif_moment(updated) if updated else None
        if updated and known is None:
            problems.append((LAST_UPDATE, f"{updated!r} is not an ISO date-time"))
        percent_found = False
        assumed: list[str] = []
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
                percent, fraction = percent_scale(amount)
                shown = format(percent.normalize(), "f")
                facts.append((_PERCENT_P, _literal(shown, XSD.decimal)))
                if method:
                    facts.append((_METHOD, _literal(method)))
                if fraction:  # an editorial reading of the record: marked assumed, with why
                    assumed.append(
                        f"GLEIF states {text} PERCENTAGE; read as the fraction {text}, "
                        f"{shown} percent: a consolidating parent holding {text} percent "
                        f"is not credible, a fraction written in the wrong unit is"
                    )
            else:
                notes.append(f"GLEIF quantifier {text} {units} {method}".rstrip())
        if problems or cls is None:
            self.problems += [
                ImportProblem(self.name, line, column, reason) for column, reason in problems
            ]
            return
        child_fund, parent_fund = FUND_ENDS.get(kind, (False, False))
        relation = URIRef(f"{self.rr_base}{child}-{kind.lower().replace('_', '-')}-{parent}")
        facts += [
            (_A, cls),
            (_CHILD, self.entity(child, child_fund, out)),
            (_PARENT, self.entity(parent, parent_fund, out)),
            (_FACT_STATUS, _STATED),
            (_DERIVED, self.source),
        ]
        if value(RELATIONSHIP_STATUS):
            facts.append((_STATUS_P, _literal(value(RELATIONSHIP_STATUS))))
        if known is not None:  # this version of the record is known from its update on
            facts.append((_KNOWN, _literal(known, XSD.dateTime)))
        if value(VALIDATION_SOURCES):
            facts.append((_VALIDATION_P, _literal(value(VALIDATION_SOURCES))))
        if value(REGISTRATION_STATUS) not in ("", "PUBLISHED"):
            notes.append(f"GLEIF registration status {value(REGISTRATION_STATUS)}")
        facts += [(_NOTE_P, Literal(note)) for note in notes]
        out += [(relation, prop, obj) for prop, obj in facts]
        for reason in assumed:
            assumption = URIRef(f"{relation}/assumption/percent")
            out += [
                (relation, _ASSUMES, assumption),
                (assumption, _A, _ASSUMPTION),
                (assumption, _ASSUMED_P, _PERCENT_P),
                (assumption, _REASON, Literal(reason)),
            ]
        for number, period_type, start_day, stop_day in periods:
            period = URIRef(f"{relation}/period/{number}")
            out += [
                (relation, _PERIOD_P, period),
                (period, _A, _PERIOD),
                (period, _PERIOD_TYPE, _literal(period_type)),
            ]
            if start_day:
                out.append((period, _START, start_day))
            if stop_day:
                out.append((period, _END, stop_day))
