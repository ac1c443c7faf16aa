"""The Turtle the validation tests share, and the hygiene checks run on two engines.

``CASES`` holds, for each hygiene check in ``ontology/queries/check-*.rq``, small
graphs it must report or must not (near misses), written after the ``PREFIXES``
preamble; ``run_oxigraph`` and ``run_rdflib`` run a check over Turtle files and text.
``BASE`` is the preamble of the time-model checks, and ``holding`` writes one stated
holding after it.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from tests.turtle import prefixes

__all__ = [
    "BASE",
    "CASES",
    "ONTOLOGY",
    "PREFIXES",
    "QUERIES",
    "holding",
    "query",
    "run_oxigraph",
    "run_rdflib",
]

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "ontology" / "queries"
ONTOLOGY = ROOT / "ontology" / "groupkg.ttl"

PREFIXES = (
    prefixes(ex="https://example.org/test/")
    + """\

ex:src a gk:Source ; dcterms:title "Test release" ; dcterms:date "2013-11-07"^^xsd:date .
ex:src2 a gk:Source ; dcterms:title "Annual report" ; dcterms:date "2014-06-30"^^xsd:date .
ex:a a gk:LegalEntity ; rdfs:label "A" .
ex:b a gk:LegalEntity ; rdfs:label "B" .
ex:c a gk:LegalEntity ; rdfs:label "C" .
"""
)

# check -> [(why, Turtle, the focus nodes expected)]; an empty set is a near miss
# that the check must not report.
CASES: dict[str, list[tuple[str, str, set[str]]]] = {
    "check-over-100-percent": [
        (
            "60% of the shares and 60% of the votes are two interests, not 120%",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 60 ;
                gk:asOf "2013-09-30"^^xsd:date .
            ex:h2 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ; gk:percent 60 ;
                gk:interestType "voting-rights" ; gk:asOf "2013-09-30"^^xsd:date .
            """,
            set(),
        ),
        (
            "a later record of votes does not supersede the same owner's shares",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 70 ;
                gk:interestType "shareholding" ; gk:asOf "2012-03-31"^^xsd:date .
            ex:h2 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 10 ;
                gk:interestType "voting-rights" ; gk:asOf "2013-03-31"^^xsd:date .
            ex:h3 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ; gk:percent 40 ;
                gk:asOf "2013-03-31"^^xsd:date .
            """,
            {"c"},
        ),
        (
            "two owners hold 60% each on one date",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 60 ;
                gk:asOf "2013-09-30"^^xsd:date .
            ex:h2 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ; gk:percent 60.5 ;
                gk:asOf "2013-09-30"^^xsd:date .
            """,
            {"c"},
        ),
        (
            "an observation carried forward meets a later start",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 70 ;
                gk:asOf "2012"^^xsd:gYear .
            ex:h2 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ; gk:percentMin 40 ;
                gk:percentMax 50 ;
                gk:validFrom "2013-04-01"^^xsd:date .
            """,
            {"c"},
        ),
        (
            "a later observation of the same owner supersedes the earlier one",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 70 ;
                gk:asOf "2012-03-31"^^xsd:date .
            ex:h2 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 40 ;
                gk:asOf "2013-03-31"^^xsd:date .
            ex:h3 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ; gk:percent 60 ;
                gk:asOf "2013-03-31"^^xsd:date .
            """,
            set(),
        ),
        (
            "a holding is not counted from its validTo on (half-open interval)",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 70 ;
                gk:validFrom "2010-01-01"^^xsd:date ; gk:validTo "2013-01-01"^^xsd:date .
            ex:h2 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ; gk:percent 70 ;
                gk:asOf "2013-01-01"^^xsd:date .
            """,
            set(),
        ),
        (
            "the holdings of a company end when a merger absorbs it",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 60 ;
                gk:asOf "2012-06-30"^^xsd:date .
            ex:m a gk:AbsorptionMerger ; gk:survivor ex:b ; gk:absorbed ex:a ;
                gk:effectiveDate "2012-10-01"^^xsd:date .
            ex:h2 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ; gk:percent 60 ;
                gk:validFrom "2012-10-01"^^xsd:date .
            """,
            set(),
        ),
        (
            "two distinct records of one owner, kind and date add up (92% + 8% + 10%)",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 92 ;
                gk:asOf "2013-11-07"^^xsd:date ; prov:wasDerivedFrom ex:src .
            ex:h2 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 8 ;
                gk:asOf "2013-11-07"^^xsd:date ; prov:wasDerivedFrom ex:src .
            ex:h3 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ; gk:percent 10 ;
                gk:asOf "2013-11-07"^^xsd:date ; prov:wasDerivedFrom ex:src .
            """,
            {"c"},
        ),
        (
            "the same figure from two sources: two records, added up",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 60 ;
                gk:asOf "2013-11-07"^^xsd:date ; prov:wasDerivedFrom ex:src .
            ex:h2 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 60 ;
                gk:asOf "2013-11-07"^^xsd:date ; prov:wasDerivedFrom ex:src2 .
            """,
            {"c"},
        ),
        (
            "a record repeating another exactly counts once",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 60 ;
                gk:asOf "2013-11-07"^^xsd:date ; prov:wasDerivedFrom ex:src .
            ex:h2 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 60.0 ;
                gk:asOf "2013-11-07"^^xsd:date ; prov:wasDerivedFrom ex:src .
            ex:h3 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ; gk:percent 30 ;
                gk:asOf "2013-11-07"^^xsd:date ; prov:wasDerivedFrom ex:src .
            """,
            set(),
        ),
    ],
    "check-holdings-after-dissolution": [
        (
            "a holding observed after its owner's dissolution",
            """
            ex:a gk:dissolutionDate "2014-01-01"^^xsd:date .
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:asOf "2014-02-01"^^xsd:date .
            """,
            {"h1"},
        ),
        (
            "a holding starting on the day a merger absorbs the owned company",
            """
            ex:m a gk:AbsorptionMerger ; gk:survivor ex:a ; gk:absorbed ex:c ;
                gk:effectiveDate "2014-01-01"^^xsd:date .
            ex:h1 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ;
                gk:validFrom "2014-01-01"^^xsd:date .
            """,
            {"h1"},
        ),
        (
            "a holding in the year of a dissolution, day unknown: not reported",
            """
            ex:a gk:dissolutionDate "2014"^^xsd:gYear .
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:asOf "2014-05-01"^^xsd:date .
            ex:h2 a gk:Holding ; gk:owner ex:b ; gk:owned ex:a ; gk:asOf "2013-12-31"^^xsd:date .
            """,
            set(),
        ),
    ],
    "check-event-without-source": [
        (
            "a stock split citing nothing, and a merger citing a company",
            """
            ex:s a gk:StockSplit ; gk:issuer ex:a ; gk:splitRatio 2 ; gk:factStatus gk:Stated .
            ex:m a org:ChangeEvent ; prov:wasDerivedFrom ex:b .
            ex:ok a gk:PublicOffering ; prov:wasDerivedFrom ex:src .
            """,
            {"s", "m"},
        ),
    ],
    "check-fact-without-status": [
        (
            "a holding and an observation without a status, one with an unknown status",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; prov:wasDerivedFrom ex:src .
            ex:o1 a gk:FinancialObservation ; gk:factStatus ex:rumoured .
            ex:ok a gk:DirectConsolidation ; gk:factStatus gk:Derived .
            """,
            {"h1", "o1"},
        ),
    ],
    "check-conflicting-observations": [
        (
            "two values for one figure; another period and another basis do not conflict",
            """
            ex:o1 gk:subject ex:a ; gk:measure gk:Revenue ; gk:value 106248 ;
                gk:periodStart "2012-04-01"^^xsd:date ; gk:periodEnd "2013-03-31"^^xsd:date .
            ex:o2 gk:subject ex:a ; gk:measure gk:Revenue ; gk:value 106000 ;
                gk:periodStart "2012-04-01"^^xsd:date ; gk:periodEnd "2013-03-31"^^xsd:date .
            ex:o3 gk:subject ex:a ; gk:measure gk:Revenue ; gk:value 26000 ;
                gk:periodStart "2013-01-01"^^xsd:date ; gk:periodEnd "2013-03-31"^^xsd:date .
            ex:o4 gk:subject ex:a ; gk:measure gk:Revenue ; gk:value 90000 ;
                gk:basis gk:NonConsolidated ;
                gk:periodStart "2012-04-01"^^xsd:date ; gk:periodEnd "2013-03-31"^^xsd:date .
            ex:o5 gk:subject ex:a ; gk:measure gk:Revenue ; gk:value 106248.0 ;
                gk:periodStart "2012-04-01"^^xsd:date ; gk:periodEnd "2013-03-31"^^xsd:date .
            """,
            {"o1", "o2", "o5"},
        ),
    ],
    "check-conflicting-holdings": [
        (
            "two share counts for one stake on one date",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:shares 3996 ;
                gk:asOf "2013-11-07"^^xsd:date .
            ex:h2 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:shares 3960 ;
                gk:asOf "2013-11-07"^^xsd:date .
            ex:h3 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:shares 4000 ;
                gk:asOf "2013-12-31"^^xsd:date .
            """,
            {"h1", "h2"},
        ),
        (
            "one figure from two sources is two records; an exact repeat and another kind"
            " are not reported",
            """
            ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 40 ;
                gk:validFrom "2013"^^xsd:gYear ; prov:wasDerivedFrom ex:src .
            ex:h2 a gk:Holding ; gk:owner ex:a ; gk:owned ex:c ; gk:percent 40 ;
                gk:validFrom "2013-01-01"^^xsd:date ; prov:wasDerivedFrom ex:src2 .
            ex:h3 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ; gk:percent 30 ;
                gk:asOf "2013-11-07"^^xsd:date ; prov:wasDerivedFrom ex:src .
            ex:h4 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ; gk:percent 30 ;
                gk:asOf "2013-11-07"^^xsd:date ; prov:wasDerivedFrom ex:src .
            ex:h5 a gk:Holding ; gk:owner ex:b ; gk:owned ex:c ; gk:percentMin 25 ;
                gk:percentMax 50 ; gk:interestType "votingRights" ;
                gk:asOf "2013-11-07"^^xsd:date ; prov:wasDerivedFrom ex:src .
            """,
            {"h1", "h2"},
        ),
    ],
}


def query(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def run_oxigraph(name: str, turtle_files: list[Path], extra: str = "") -> list[dict[str, str]]:
    store = ox.Store()
    for path in turtle_files:
        store.load(path=path, format=ox.RdfFormat.TURTLE)
    if extra:
        store.load(extra, format=ox.RdfFormat.TURTLE)
    rows = []
    for solution in store.query(query(name)):  # type: ignore[union-attr]
        severity = solution["severity"]
        rows.append(
            {
                "focus": solution["focus"].value,
                "message": solution["message"].value,
                "severity": severity.value if severity is not None else "Violation",
            }
        )
    return rows


def run_rdflib(name: str, turtle_files: list[Path], extra: str = "") -> list[dict[str, str]]:
    graph = Graph()
    for path in turtle_files:
        graph.parse(path, format="turtle")
    if extra:
        graph.parse(data=extra, format="turtle")
    rows = []
    for row in graph.query(query(name)):
        values = row.asdict()  # type: ignore[union-attr]
        rows.append(
            {
                "focus": str(values["focus"]),
                "message": str(values["message"]),
                "severity": str(values.get("severity", "Violation")),
            }
        )
    return rows


BASE = (
    prefixes(ex="https://example.org/test/")
    + """\

ex:src a gk:Source ; dcterms:title "Register" ; dcterms:date "2014-06-30"^^xsd:date .
ex:src2 a gk:Source ; dcterms:title "Annual report" ; dcterms:date "2014-06-30"^^xsd:date .
ex:a a gk:LegalEntity ; rdfs:label "Alpha" ; prov:wasDerivedFrom ex:src .
ex:b a gk:LegalEntity ; rdfs:label "Beta" ; prov:wasDerivedFrom ex:src .
ex:c a gk:LegalEntity ; rdfs:label "Gamma" ; prov:wasDerivedFrom ex:src .
"""
)


def holding(name: str, owner: str, owned: str, extra: str, source: str = "src") -> str:
    """A stated holding ``ex:name`` of ``owner`` in ``owned``, with ``extra`` properties,
    derived from ``ex:source``."""
    return (
        f"ex:{name} a gk:Holding ; gk:owner ex:{owner} ; gk:owned ex:{owned} ; {extra} ;\n"
        f"    gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:{source} .\n"
    )
