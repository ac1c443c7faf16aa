"""Reading facts out of a store: the whole-store read, the scoped read, and the TSV rows
both ride on."""

from __future__ import annotations

import gc
from pathlib import Path

import pyoxigraph as ox
import pytest

from groupkg.graph import (
    Dataset,
    Entity,
    Event,
    Holding,
    InputError,
    Observation,
    OxigraphStore,
    Relation,
    Store,
    import_file,
    load_dataset,
    open_store,
    write_synth,
)
from groupkg.graph.dates import parse_partial_date as day
from groupkg.graph.store import select_many, select_tuples
from tests.turtle import prefixes

DATA = Path(__file__).parents[1] / "data"
X = "https://example.org/x/"
GK = "https://w3id.org/groupkg/ontology#"

# Every property the loader reads, on one fact of each kind; the answer below is written
# out by hand from this text.
FACTS = f"""
{prefixes(x=X)}
x:src a gk:Source ; dcterms:title "Annual report\\tFY2020" .
x:sec a gk:SourceSection ; dcterms:isPartOf x:src .
x:lonely a gk:Source .

x:p a gk:LegalEntity ; rdfs:label "Parent \\"P\\"" ; gk:legalName "P Holdings K.K." ;
    gk:alias "P-HD", "Pé" ; gk:incorporationDate "1990-04"^^xsd:gYearMonth ;
    gk:jurisdiction "JP" ; gk:lei "5299000J2N45DDNE4Y28" ; gk:address "1 Main St\\nTokyo" ;
    gk:representative "A. Person", "B. Person" ; gk:representativesAsOf "2020-06-30"^^xsd:date ;
    gk:businessDescription "Holding company" ; gk:fiscalYearEnd "--03-31" ;
    prov:wasDerivedFrom x:src, x:sec ;
    gk:hasIdentifier [ gk:identifierScheme "JP-CN" ; gk:identifierValue "0100-01-000001" ] ;
    gk:hasListing [ gk:exchange "TSE" ; gk:ticker "1234" ; gk:listedSince "2001-02-03"^^xsd:date ] .
x:a a gk:Entity, gk:LegalEntity ; rdfs:label "A"@en ; gk:dissolutionDate "2019"^^xsd:gYear .
x:b a gk:LegalEntity ; gk:legalName "B Co." .
x:n a gk:NaturalPerson ; rdfs:label "N" .
x:u a gk:UnnamedHolders .

x:h1 a gk:Holding ; gk:owner x:p ; gk:owned x:a ; gk:percent "50.5"^^xsd:decimal ;
    gk:shares "1000"^^xsd:integer ; gk:shareClass "common" ; gk:interestType "voting" ;
    gk:validFrom "2001-01-01"^^xsd:date ; gk:validTo "2010-12"^^xsd:gYearMonth ;
    gk:factStatus gk:Assumed ; gk:assumptionReason "inferred from the chart" ;
    prov:wasDerivedFrom x:sec ;
    gk:hasAssumption [ gk:assumedProperty gk:validTo ; gk:assumptionReason "last filing" ] .
x:h2 a gk:Holding ; gk:owner x:n ; gk:owned x:b ; gk:percentMin 25 ; gk:percentMax 50 ;
    gk:percentMinExclusive true ; gk:percentMaxExclusive false ; gk:asOf "2015"^^xsd:gYear .
x:h3 a gk:Holding ; gk:owner x:u ; gk:owned x:b ; gk:percent "NaN"^^xsd:double .
x:noowner a gk:Holding ; gk:owned x:b ; gk:percent 10 .

x:r1 a gk:DirectConsolidation ; gk:parent x:p ; gk:child x:b ; gk:percent 100 ;
    gk:validFrom "2005-01-01"^^xsd:date ; gk:relationshipStatus "ACTIVE" ;
    gk:factStatus gk:Stated .
x:r2 a gk:FundManagementRelation ; gk:parent x:p ; gk:child x:n ; gk:asOf "2021"^^xsd:gYear .

x:m a gk:AbsorptionMerger, org:ChangeEvent ; rdfs:label "P absorbs A" ;
    gk:announcementDate "2018-11-01"^^xsd:date ; gk:effectiveDate "2019-04-01"^^xsd:date ;
    org:originalOrganization x:p, x:a ; org:resultingOrganization x:p ;
    prov:wasDerivedFrom x:src ;
    gk:hasAssumption [ gk:assumedProperty gk:effectiveDate ; gk:assumptionReason "press" ] .
x:s a gk:StockSplit ; gk:issuer x:p ; gk:splitRatio 2 ; gk:effectiveDate "2012-10-01"^^xsd:date .
x:i a gk:ShareIssuance ; gk:issuer x:b ; gk:party x:n ; gk:newSharesIssued 500 ;
    gk:effectiveDate "2016"^^xsd:gYear .
x:c a org:ChangeEvent ; gk:participant x:a .

x:o a gk:ShareCapitalObservation ; gk:subject x:p ; gk:measure gk:IssuedShares ;
    gk:value 2000000 ; gk:unit "shares" ; gk:asOf "2020-03-31"^^xsd:date ;
    gk:periodStart "2019-04-01"^^xsd:date ; gk:periodEnd "2020-03-31"^^xsd:date ;
    gk:basis gk:Consolidated ; gk:figureKind gk:Actual ; prov:wasDerivedFrom x:src .
x:untyped gk:subject x:p ; gk:measure gk:IssuedShares ; gk:value 1 .
"""


def expected() -> Dataset:
    src, sec = X + "src", X + "sec"
    p = Entity(
        id=X + "p", label='Parent "P"', legal_name="P Holdings K.K.", aliases=["P-HD", "Pé"],
        incorporated=day("1990-04"), sources=[sec, src],
        identifiers=[("JP-CN", "0100-01-000001")], listings=["TSE since 2001-02-03"],
        listed_since={"TSE since 2001-02-03": day("2001-02-03")},
        ticker_since={"1234": day("2001-02-03")},
        facts={"address": ["1 Main St\nTokyo"], "representative": ["A. Person", "B. Person"],
               "business": ["Holding company"], "fiscal_year_end": ["--03-31"],
               "jurisdiction": ["JP"], "lei": ["5299000J2N45DDNE4Y28"]},
        facts_since={"representative": day("2020-06-30")},
    )  # fmt: skip
    entities = [
        p,
        Entity(id=X + "a", label="A", dissolved=day("2019")),
        Entity(id=X + "b", label="B Co.", legal_name="B Co."),
        Entity(id=X + "n", label="N", kind="person"),
        Entity(id=X + "u", label="u", kind="unnamed"),
    ]
    holdings = [
        Holding(id=X + "h1", owner=X + "p", owned=X + "a", percent=50.5, shares=1000,
                share_class="common", interest_type="voting", valid_from=day("2001-01-01"),
                valid_to=day("2010-12"), status="assumed", sources=[sec],
                assumptions={"validTo": "last filing", "fact": "inferred from the chart"}),
        Holding(id=X + "h2", owner=X + "n", owned=X + "b", percent_min=25.0, percent_max=50.0,
                min_exclusive=True, as_of=day("2015")),
        Holding(id=X + "h3", owner=X + "u", owned=X + "b"),
    ]  # fmt: skip
    relations = [
        Relation(id=X + "r1", kind="direct", parent=X + "p", child=X + "b", percent=100.0,
                 valid_from=day("2005-01-01"), relationship_status="ACTIVE"),
        Relation(id=X + "r2", kind="fund-management", parent=X + "p", child=X + "n",
                 as_of=day("2021")),
    ]  # fmt: skip
    events = [
        Event(id=X + "s", type="StockSplit", effective=day("2012-10-01"),
              participants=[X + "p"], issuer=X + "p", split_ratio=2.0),
        Event(id=X + "i", type="ShareIssuance", effective=day("2016"),
              participants=[X + "b", X + "n"], issuer=X + "b", new_shares=500),
        Event(id=X + "m", type="AbsorptionMerger", label="P absorbs A",
              announced=day("2018-11-01"), effective=day("2019-04-01"),
              participants=[X + "a", X + "p"], survivor=X + "p", absorbed=[X + "a"],
              assumed=["effectiveDate"], sources=[src], assumptions={"effectiveDate": "press"}),
        Event(id=X + "c", type="Merger", participants=[X + "a"]),
    ]  # fmt: skip
    observations = [
        Observation(id=X + "o", subject=X + "p", measure="IssuedShares", value=2000000.0,
                    unit="shares", as_of=day("2020-03-31"), period_start=day("2019-04-01"),
                    period_end=day("2020-03-31"), basis="Consolidated", kind="Actual",
                    sources=[src]),
    ]  # fmt: skip
    return Dataset(
        entities={e.id: e for e in entities},
        holdings=holdings,
        relations=relations,
        events=events,
        observations=observations,
        sources={src: "Annual report\tFY2020", sec: "Annual report\tFY2020"},
    )


def _stores(tmp_path: Path, turtle: str) -> list[Store]:
    memory = open_store("memory", default_data=False)
    disk = open_store(f"oxigraph:{tmp_path / 'store'}", default_data=False, writable=True)
    for store in (memory, disk):
        store.add_rdf(turtle.encode(), ox.RdfFormat.TURTLE)
    return [memory, disk]


def test_every_fact_reads_as_written_from_memory_and_disk(tmp_path):
    for store in _stores(tmp_path, FACTS):
        assert load_dataset(store) == expected(), store.description


def test_the_scoped_read_of_a_group_agrees(tmp_path):
    want = expected()
    for store in _stores(tmp_path, FACTS):
        scoped = load_dataset(store, scope=[X + "p", X + "a", X + "b", X + "n", X + "u"])
        # A figure without an observation type is no observation, in a scoped read as
        # in the whole store's: the two reads agree.
        assert [o.id for o in scoped.observations] == [X + "o"]
        assert scoped == want, store.description


# Two holdings: one named by an IRI, one a blank node (which no second query can name).
BLANK_HOLDING = f"""
{prefixes(x=X)}
x:p a gk:LegalEntity ; rdfs:label "P" .
x:a a gk:LegalEntity ; rdfs:label "A" .
x:b a gk:LegalEntity ; rdfs:label "B" .
x:h a gk:Holding ; gk:owner x:p ; gk:owned x:a ; gk:percent 60 .
[] a gk:Holding ; gk:owner x:a ; gk:owned x:b ; gk:percent 25 ;
    gk:validFrom "2001-01-01"^^xsd:date .
"""


def test_a_scoped_read_reads_every_property_of_facts_named_or_blank(tmp_path):
    for store in _stores(tmp_path, BLANK_HOLDING):
        # x:p touches x:h alone: its facts are read by their IRIs
        named = load_dataset(store, scope=[X + "p"])
        assert [(h.id, h.owner, h.owned, h.percent) for h in named.holdings] == [
            (X + "h", X + "p", X + "a", 60)
        ], store.description
        # x:a touches the blank holding too: it is read with every property
        both = load_dataset(store, scope=[X + "a"])
        got = sorted((h.owner, h.owned, h.percent, h.valid_from) for h in both.holdings)
        assert got == [
            (X + "a", X + "b", 25, day("2001-01-01")),
            (X + "p", X + "a", 60, None),
        ], store.description
        assert sorted(both.entities) == [X + "a", X + "b", X + "p"]


def _import(store: Store, path: Path, fmt: str | None = None) -> Store:
    import_file(store, path, fmt)
    return store


CSV = (
    "owner,owned,percent,start_date,source\nAlpha,Beta,60,2001-01-01,S1\nBeta,Gamma,30.5,2005,S2\n"
)


@pytest.mark.parametrize(
    "source",
    ["iij", "synth", "gleif/sample.csv", "csv", "bods-0.4/examples/fermcat.json",
     "bods-0.4/examples/tecido.json",
     "real/gleif-bods-homecredit-replace/bods_relationship_replace_relationship.json"],
)  # fmt: skip
@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_the_whole_store_and_a_scope_of_every_entity_read_the_same_facts(tmp_path, source, kind):
    # Two readings of one store with different queries: one row per numbered property
    # for the whole store, every triple of each fact (?s ?p ?o) for a scope.
    spec = "memory" if kind == "memory" else f"oxigraph:{tmp_path / 'store'}"
    store = open_store(spec, default_data=source == "iij", writable=True)
    if source == "synth":
        write_synth(tmp_path / "synth.nt", 200, seed=4)
        _import(store, tmp_path / "synth.nt")
    elif source == "csv":
        (tmp_path / "holdings.csv").write_text(CSV)
        _import(store, tmp_path / "holdings.csv")
    elif source != "iij":
        fmt = "gleif-rr" if source.endswith(".csv") else "bods"
        _import(store, DATA / source, fmt)
    whole = load_dataset(store)
    assert whole.holdings or whole.relations
    scoped = load_dataset(store, scope=list(whole.entities))
    for name in ("entities", "holdings", "relations", "events", "observations"):
        assert getattr(scoped, name) == getattr(whole, name), name
    assert scoped.sources.items() <= whole.sources.items()  # a scope names cited sources


def test_a_staging_graph_is_not_read_and_a_committed_graph_is(tmp_path):
    store = open_store(f"oxigraph:{tmp_path / 'store'}", default_data=False, writable=True)
    assert isinstance(store, OxigraphStore)
    holding = f"<{X}h> a <{GK}Holding> ; <{GK}owner> <{X}p> ; <{GK}owned> <{X}q> ."
    staged = ox.NamedNode("urn:groupkg:import:00000000-0000-0000-0000-000000000000")
    for quad in ox.parse(holding.encode(), format=ox.RdfFormat.TURTLE):
        store.store.add(ox.Quad(quad.subject, quad.predicate, quad.object, staged))
    assert load_dataset(store).holdings == []
    store.update(f"INSERT DATA {{ GRAPH <https://example.org/written> {{ {holding} }} }}")
    assert [h.id for h in load_dataset(store).holdings] == [X + "h"]


def test_tsv_rows_hold_the_values_select_gives(tmp_path):
    # Escapes, language tags, numbers written short, odd datatypes, blank nodes.
    text = (
        prefixes()
        + r"""
    <http://e/a> <http://e/p> "NaN"^^xsd:double, "-INF"^^xsd:double, "1.0E3"^^xsd:double,
      "12"^^xsd:integer, "-3"^^xsd:integer, "1.50"^^xsd:decimal, true, "0"^^xsd:boolean,
      "2020-01"^^xsd:gYearMonth, "2020"^^xsd:gYear, "2020-01-02"^^xsd:date,
      "2020-13-45"^^xsd:date, "abc"^^xsd:integer, "tab\there", "new\nline\r", "quote\"s",
      "back\\slash", "uni\u00e9\U0001F600", "lang"@en-GB, "x"^^<http://e/dt>, "", "\u0001",
      "99999999999999999999999999"^^xsd:integer, <http://e/iri\u00e9>, [ <http://e/q> 1 ] .
    """
    )
    query = 'SELECT ?s ?p ?o ?none WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?p), "http://e/")) }'
    for store in _stores(tmp_path, text):
        fast = sorted(map(repr, select_tuples(store, query, ("o", "s", "none", "p"))))
        rows = store.select(query)
        slow = sorted(repr((r["o"], r["s"], None, r["p"])) for r in rows)
        assert len(fast) == 26 and fast == slow


def test_queries_run_side_by_side_give_their_rows_in_order_or_fail_in_one_line(tmp_path):
    store = _stores(tmp_path, FACTS)[1]
    queries = [f"SELECT ?s WHERE {{ ?s a <{GK}{name}> }} ORDER BY ?s" for name in
               ("Holding", "NaturalPerson", "StockSplit")]  # fmt: skip
    rows = list(select_many(store, queries, ("s",), workers=2))
    assert rows == [(X + "h1",), (X + "h2",), (X + "h3",), (X + "noowner",), (X + "n",), (X + "s",)]
    with pytest.raises(InputError, match="SPARQL syntax error"):
        list(select_many(store, [queries[0], "SELECT WHERE nothing"], ("s",), workers=2))


def test_reading_leaves_the_collector_as_it_found_it(tmp_path):
    store = _stores(tmp_path, FACTS)[0]
    assert gc.isenabled()
    load_dataset(store)
    assert gc.isenabled()
    gc.disable()
    try:
        load_dataset(store)
        assert not gc.isenabled()
    finally:
        gc.enable()
