"""Knowledge time read from each format (``gk:knownFrom``) and corrections that supersede
earlier records (``gk:supersedes``), nothing deleted. The expected values were read off
the files by hand: the BODS statements' dates, the GLEIF records'
``Registration.LastUpdateDate``, the CSV rows.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Literal, URIRef

from groupkg.graph.formats.bods import bods_to_graph, read_bods, to_bods
from groupkg.graph.formats.gleif import GLEIF_BASE, LEI_BASE, read_gleif
from groupkg.graph.formats.importer import import_file
from groupkg.graph.formats.importtime import import_moment
from groupkg.graph.store import OxigraphStore
from groupkg.graph.vocab import GK

DATA = Path(__file__).parents[1] / "data"
TWO_VERSIONS = DATA / "knowledge" / "bods-two-versions.json"
HOMECREDIT = (
    DATA / "real" / "gleif-bods-homecredit-replace" / "bods_relationship_replace_relationship.json"
)
GLEIF_OLD = DATA / "knowledge" / "gleif-rr-2019-06-18.csv"
GLEIF_NEW = DATA / "knowledge" / "gleif-rr-2020-07-01.csv"
RELATION = URIRef(
    f"{GLEIF_BASE}rr/001GPB6A9XPE8XJICC14-is-directly-consolidated-by-C7J4FOV6ELAVE39B7M82"
)


def day(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def moment(text: str) -> Literal:
    return Literal(text, datatype=XSD.dateTime)


def utc(text: str) -> str:
    """An xsd:dateTime in UTC, however its offset is spelt (``Z`` or ``+00:00``)."""
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC).isoformat()


def triples_of(store: OxigraphStore, prop: URIRef) -> set[tuple[str, str]]:
    rows = store.select(f"SELECT ?s (STR(?v) AS ?o) WHERE {{ ?s <{prop}> ?v }}")
    return {(str(r["s"]), str(r["o"])) for r in rows}


# --- BODS -------------------------------------------------------------------------------


def test_a_bods_update_keeps_the_first_version_and_supersedes_it():
    # Statement 1 (2020-01-10): Birch holds 60% of Alder from 2019-01-01. Statement 2
    # (2021-03-01, recordStatus updated): 40% from 2021-02-15. The 60% as first stated
    # stays, open-ended, known from 2020-01-10; the update's version of it ends on
    # 2021-02-15, known from 2021-03-01, and supersedes it; the 40% is new that day.
    graph = read_bods(TWO_VERSIONS)
    holdings = {
        (
            str(graph.value(h, GK.percent)),
            str(graph.value(h, GK.validFrom)),
            str(graph.value(h, GK.validTo)),
            graph.value(h, GK.knownFrom),
        ): h
        for h in graph.subjects(RDF.type, GK.Holding)
    }
    first = holdings[("60", "2019-01-01", "None", day("2020-01-10"))]
    ended = holdings[("60", "2019-01-01", "2021-02-15", day("2021-03-01"))]
    new = holdings[("40", "2021-02-15", "None", day("2021-03-01"))]
    assert len(holdings) == 3
    assert set(graph.subject_objects(GK.supersedes)) == {(ended, first)}
    assert new not in (first, ended)
    # the entities are known from their first statement
    (alder,) = graph.subjects(GK.legalName, Literal("Alder Ltd"))
    assert graph.value(alder, GK.knownFrom) == day("2020-01-10")


def test_a_closed_bods_record_supersedes_with_an_end():
    # tests/data/real/gleif-bods-homecredit-replace: the relationship to Home Credit N.V.
    # is new on 2023-12-14 and closed on 2024-07-02 (the statements' dates); its closed
    # version ends the relation and supersedes the one first stated.
    statements = json.loads(HOMECREDIT.read_text("utf-8"))
    closed = [s for s in statements if s["recordStatus"] == "closed"]
    assert closed
    graph = read_bods(HOMECREDIT)
    links = list(graph.subject_objects(GK.supersedes))
    assert len(links) == len(closed)
    for later, earlier in links:
        assert graph.value(earlier, GK.validTo) is None
        assert graph.value(later, GK.validTo) is not None
        assert str(graph.value(later, GK.knownFrom)) > str(graph.value(earlier, GK.knownFrom))
    dates = {s["statementDate"][:10] for s in closed}
    assert {str(graph.value(later, GK.knownFrom))[:10] for later, _ in links} == dates


@pytest.mark.parametrize("version", ["0.2", "0.3"])
def test_a_legacy_statement_is_known_from_its_statement_date(version):
    # 1-single-direct.json: the ownership statement is dated 2017-11-18.
    graph = read_bods(DATA / f"bods-{version}" / "1-single-direct.json")
    (holding,) = graph.subjects(RDF.type, GK.Holding)
    assert graph.value(holding, GK.knownFrom) == day("2017-11-18")


def test_a_bods_statement_date_with_a_time_is_known_from_that_time_in_utc():
    # fermcat.json: every statement is dated 2019-09-11T11:17:23Z or later.
    graph = read_bods(DATA / "bods-0.4" / "examples" / "fermcat.json")
    known = {utc(str(o)) for o in graph.objects(None, GK.knownFrom)}
    assert utc("2019-09-11T11:17:23Z") in known
    assert all(k.endswith("+00:00") for k in known)


def test_bods_export_writes_what_is_known_now():
    # The 60% as first stated is superseded: the export has the ended 60% and the 40%.
    statements = to_bods(read_bods(TWO_VERSIONS), publication_date=dt.date(2024, 1, 1))
    relationships = [s for s in statements if s["recordType"] == "relationship"]
    shares = sorted(
        (i["share"]["exact"], i.get("endDate"), s["statementDate"])
        for s in relationships
        for i in s["recordDetails"]["interests"]
    )
    assert shares == [(40, None, "2021-03-01"), (60, "2021-02-15", "2021-03-01")]


def test_a_consolidation_exported_to_bods_is_stated_when_it_became_known():
    # The GLEIF record of 2019-06-18T14:32Z, written as BODS and read back.
    graph = read_gleif(GLEIF_OLD)
    statements = to_bods(graph, publication_date=dt.date(2024, 1, 1))
    (relationship,) = [s for s in statements if s["recordType"] == "relationship"]
    assert utc(relationship["statementDate"]) == utc("2019-06-18T14:32:00Z")
    again = bods_to_graph(statements)
    (fact,) = again.subjects(RDF.type, GK.DirectConsolidation)
    assert utc(str(again.value(fact, GK.knownFrom))) == utc("2019-06-18T14:32:00Z")


# --- GLEIF ------------------------------------------------------------------------------


def test_a_gleif_relationship_record_is_known_from_its_last_update():
    graph = read_gleif(GLEIF_OLD)
    assert utc(str(graph.value(RELATION, GK.knownFrom))) == utc("2019-06-18T14:32:00Z")


def test_a_gleif_level1_record_is_known_from_its_last_update():
    # lei-golden-copy-excerpt.csv, first record: Registration.LastUpdateDate as written.
    path = DATA / "real" / "gleif-rr-csv-2019" / "lei-golden-copy-excerpt.csv"
    graph = read_gleif(path)
    known = {o for o in graph.objects(None, GK.knownFrom)}
    assert known and all(k.datatype == XSD.dateTime for k in known)


@pytest.mark.parametrize("order", [(GLEIF_OLD, GLEIF_NEW), (GLEIF_NEW, GLEIF_OLD)])
def test_a_gleif_update_is_a_new_version_superseding_the_old_in_either_order(tmp_path, order):
    # The same record updated on 2020-07-01 (INACTIVE, relationship ended 2020-06-30):
    # two versions, the update superseding the record of 2019-06-18 whichever file
    # came first; a file read again adds nothing.
    store = OxigraphStore(str(tmp_path / "db"))
    for path in order:
        import_file(store, path, "gleif-rr")
    count = len(store)
    for path in order:
        import_file(store, path, "gleif-rr")
    assert len(store) == count
    known = {utc(o): s for s, o in triples_of(store, GK.knownFrom) if s.startswith(str(RELATION))}
    assert set(known) == {utc("2019-06-18T14:32:00Z"), utc("2020-07-01T09:00:00Z")}
    old, new = known[utc("2019-06-18T14:32:00Z")], known[utc("2020-07-01T09:00:00Z")]
    assert (new, old) in triples_of(store, GK.supersedes)
    assert (old, new) not in triples_of(store, GK.supersedes)
    statuses = triples_of(store, GK.relationshipStatus)
    assert (old, "ACTIVE") in statuses and (new, "INACTIVE") in statuses
    assert (new, "2020-06-30") in triples_of(store, GK.validTo)
    assert not any(s == old for s, _ in triples_of(store, GK.validTo))
    store.close()


def test_a_gleif_file_changing_only_registration_dates_adds_no_version(tmp_path):
    # tests/data/real/gleif-updates-fbnquest is such a pair; here the same record with
    # a later LastUpdateDate and nothing else changed.
    later = tmp_path / "rr-later.csv"
    later.write_text(
        GLEIF_OLD.read_text("utf-8").replace(
            "2019-06-18T14:32:00.000Z", "2019-09-01T00:00:00.000Z"
        ),
        "utf-8",
    )
    store = OxigraphStore(str(tmp_path / "db"))
    import_file(store, GLEIF_OLD, "gleif-rr")
    import_file(store, later, "gleif-rr")
    known = {(s, utc(o)) for s, o in triples_of(store, GK.knownFrom) if s.startswith(str(RELATION))}
    assert known == {(str(RELATION), utc("2019-06-18T14:32:00Z"))}
    assert not triples_of(store, GK.supersedes)
    store.close()


# --- CSV and the import time ------------------------------------------------------------

CSV_HEADER = "owner,owned,percent,start_date,end_date,source,as_of\n"


def test_a_csv_known_from_column_is_the_knowledge_time(tmp_path):
    from groupkg.graph.formats.csvholdings import read_csv

    path = tmp_path / "h.csv"
    path.write_text(
        "owner,owned,percent,known_from\nA Ltd,B Ltd,50,2024-03-01\n"
        "A Ltd,C Ltd,20,2024-03-01T10:00:00+01:00\n",
        "utf-8",
    )
    graph = read_csv(path)
    known = {
        (o.datatype, utc(str(o)) if o.datatype == XSD.dateTime else str(o))
        for o in graph.objects(None, GK.knownFrom)
    }
    assert known == {(XSD.date, "2024-03-01"), (XSD.dateTime, utc("2024-03-01T09:00:00Z"))}


def test_a_bad_known_from_cell_is_reported(tmp_path):
    from groupkg.graph.errors import BadInput
    from groupkg.graph.formats.csvholdings import read_csv

    path = tmp_path / "h.csv"
    path.write_text("owner,owned,percent,known_from\nA Ltd,B Ltd,50,last week\n", "utf-8")
    with pytest.raises(BadInput) as caught:
        read_csv(path)
    (problem,) = caught.value.problems
    assert problem.field == "known_from"


def test_a_csv_imported_again_with_other_figures_supersedes_nothing_deleted(tmp_path):
    # A Ltd holds 60% of B Ltd as of 2024-01-31; the file imported again says 55%.
    store = OxigraphStore(str(tmp_path / "db"))
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(CSV_HEADER + "A Ltd,B Ltd,60,,,register,2024-01-31\n", "utf-8")
    second.write_text(CSV_HEADER + "A Ltd,B Ltd,55,,,register,2024-01-31\n", "utf-8")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    import_file(store, first, "csv")
    count = len(store)
    import_file(store, first, "csv")
    assert len(store) == count  # the same figures again change nothing
    import_file(store, second, "csv")
    import_file(store, second, "csv")
    percents = {o: s for s, o in triples_of(store, GK.percent)}
    assert set(percents) == {"60", "55"}
    assert triples_of(store, GK.supersedes) == {(percents["55"], percents["60"])}
    stamps = dict(triples_of(store, GK.knownFrom))
    for record in percents.values():  # stamped with the import time, once
        stamped = dt.datetime.fromisoformat(utc(stamps[record]))
        assert before <= stamped <= dt.datetime.now(dt.UTC)
    store.close()


def test_the_import_time_is_not_stamped_on_records_with_a_knowledge_time(tmp_path):
    store = OxigraphStore(str(tmp_path / "db"))
    import_file(store, TWO_VERSIONS, "bods")
    known = triples_of(store, GK.knownFrom)
    # every record has its statement's date; the sources and sections none
    assert {o for _, o in known} == {"2020-01-10", "2021-03-01"}
    store.close()


def test_an_entity_only_named_by_a_gleif_relationship_is_stamped_with_the_import_time(tmp_path):
    store = OxigraphStore(str(tmp_path / "db"))
    import_file(store, GLEIF_OLD, "gleif-rr")
    known = dict(triples_of(store, GK.knownFrom))
    child = f"{LEI_BASE}001GPB6A9XPE8XJICC14"
    assert known[child][:4] == import_moment()[:4]
    assert utc(known[str(RELATION)]) == utc("2019-06-18T14:32:00Z")
    store.close()
