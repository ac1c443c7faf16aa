"""The named queries read every record of the entity they are asked about: a fact one
source reported on its own record of the entity is a fact of the entity, on every store
(memory, oxigraph:PATH, and sparql:URL on the Oxigraph server and on Virtuoso).

Two records of Alpha Holdings carry one LEI (PY6ZZQWO2IZFZC3IOL08): ``a-register``
(a register's record, the canonical one: the least IRI of the records with an LEI) and
``b-filing`` (a filing's). Most facts were reported on ``b-filing``, so an answer that
read the canonical record alone would miss them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from groupkg.graph import import_file, open_store, query
from tests.turtle import prefixes

E = "https://example.org/cluster/"
LEI = "PY6ZZQWO2IZFZC3IOL08"

DATA = (
    prefixes(ex=E)
    + f"""
ex:register a gk:Source ; dcterms:title "Register" .
ex:filing a gk:Source ; dcterms:title "Filing" .
ex:a-register a gk:LegalEntity ; rdfs:label "Alpha Holdings plc" ; gk:lei "{LEI}" ;
    prov:wasDerivedFrom ex:register .
ex:b-filing a gk:LegalEntity ; rdfs:label "Alpha Holdings" ;
    gk:hasIdentifier [ gk:identifierScheme "XI-LEI" ; gk:identifierValue "{LEI}" ] ;
    prov:wasDerivedFrom ex:filing .
ex:parent a gk:LegalEntity ; rdfs:label "Parent Co" .
ex:top a gk:LegalEntity ; rdfs:label "Top Co" .
ex:sub a gk:LegalEntity ; rdfs:label "Sub Co" .
ex:other-sub a gk:LegalEntity ; rdfs:label "Other Sub Co" .

# Parent Co's stake, 55% from the register in 2019, then 60% from the filing in 2020:
# the later record of the pair supersedes the earlier, across the two records.
ex:h-register a gk:Holding ; gk:owner ex:parent ; gk:owned ex:a-register ;
    gk:percent "55"^^xsd:decimal ; gk:validFrom "2019-01-01"^^xsd:date ;
    gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:register .
ex:h-filing a gk:Holding ; gk:owner ex:parent ; gk:owned ex:b-filing ;
    gk:percent "60"^^xsd:decimal ; gk:validFrom "2020-01-01"^^xsd:date ;
    gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:filing .
ex:h-top a gk:Holding ; gk:owner ex:top ; gk:owned ex:parent ;
    gk:percent "100"^^xsd:decimal ; gk:validFrom "2018-01-01"^^xsd:date ;
    gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:register .
# what Alpha holds: Sub Co by the filing's record, Other Sub Co by the register's
ex:h-sub a gk:Holding ; gk:owner ex:b-filing ; gk:owned ex:sub ;
    gk:percent "75"^^xsd:decimal ; gk:validFrom "2020-06-01"^^xsd:date ;
    gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:filing .
ex:h-other-sub a gk:Holding ; gk:owner ex:a-register ; gk:owned ex:other-sub ;
    gk:percent "100"^^xsd:decimal ; gk:validFrom "2019-01-01"^^xsd:date ;
    gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:register .
# a consolidating parent the filing alone reports
ex:group a gk:LegalEntity ; rdfs:label "Group Parent Ltd" .
ex:c-filing a gk:DirectConsolidation ; gk:parent ex:group ; gk:child ex:b-filing ;
    gk:validFrom "2020-01-01"^^xsd:date ; gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:filing .
ex:renamed a gk:NameChange ; rdfs:label "Alpha renamed" ; gk:participant ex:b-filing ;
    gk:effectiveDate "2021-03-01"^^xsd:date ; prov:wasDerivedFrom ex:filing .
"""
)

SERVERS = ["oxigraph", "virtuoso"]


@pytest.fixture(scope="module")
def data_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cluster") / "cluster.ttl"
    path.write_text(DATA, encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["memory", "oxigraph:PATH", *SERVERS])
def store(request, data_file, tmp_path_factory):
    if request.param == "memory":
        store = open_store("memory", default_data=False)
    elif request.param == "oxigraph:PATH":
        spec = f"oxigraph:{tmp_path_factory.mktemp('db') / 'db'}"
        store = open_store(spec, default_data=False, writable=True)
    elif request.param == "oxigraph":
        server = request.getfixturevalue("oxigraph_server")
        store = open_store(f"sparql:{server}")
    else:
        server = request.getfixturevalue("virtuoso_server")
        store = open_store(server.store("urn:groupkg:test:named-query-clusters"))
    import_file(store, data_file, "ttl")
    return store


def ids(rows, key: str) -> list[str]:
    return [str(row[key]).removeprefix(E) for row in rows]


@pytest.mark.parametrize("name", ["Alpha Holdings plc", "Alpha Holdings", E + "b-filing"])
def test_owners_at_reads_every_record_and_the_latest_record_of_a_pair_across_them(store, name):
    # 2019-06-30: the register's 55% alone; 2021-06-30: the filing's 60% (on b-filing)
    # supersedes it, though the two name Alpha by different records
    early = query(store, "owners-at", entity=name, date=dt.date(2019, 6, 30))
    assert [(r["ownerName"], r["percent"], ids([r], "holding")[0]) for r in early] == [
        ("Parent Co", 55.0, "h-register")
    ]
    late = query(store, "owners-at", entity=name, date=dt.date(2021, 6, 30))
    assert [(r["ownerName"], r["percent"], ids([r], "holding")[0]) for r in late] == [
        ("Parent Co", 60.0, "h-filing")
    ]


def test_holdings_at_gives_what_each_record_holds(store):
    rows = query(store, "holdings-at", entity="Alpha Holdings plc", date="2021-06-30")
    # Other Sub Co 100% (a-register), Sub Co 75% (b-filing), by percent
    assert [(r["ownedName"], r["percent"]) for r in rows] == [
        ("Other Sub Co", 100.0),
        ("Sub Co", 75.0),
    ]


def test_ancestors_at_climbs_from_every_record(store):
    # Group Parent Ltd consolidates b-filing, Parent Co holds it, Top Co holds Parent
    # Co; no record of Alpha itself is its ancestor
    rows = query(store, "ancestors-at", entity="Alpha Holdings", date="2021-06-30")
    assert [r["name"] for r in rows] == ["Group Parent Ltd", "Parent Co", "Top Co"]
    # from below, each step follows the record it reaches
    rows = query(store, "ancestors-at", entity="Sub Co", date="2021-06-30")
    assert [r["name"] for r in rows] == [
        "Alpha Holdings", "Group Parent Ltd", "Parent Co", "Top Co"
    ]  # fmt: skip


def test_events_and_sources_of_read_every_record(store):
    [event] = query(store, "events-of", entity="Alpha Holdings plc")
    assert (event["label"], event["effective"]) == ("Alpha renamed", dt.date(2021, 3, 1))
    rows = query(store, "sources-of", entity="Alpha Holdings plc")
    # the consolidation and the event (b-filing), the holdings of and by either record
    assert sorted(ids(rows, "fact")) == [
        "c-filing", "h-filing", "h-other-sub", "h-register", "h-sub", "renamed"
    ]  # fmt: skip
