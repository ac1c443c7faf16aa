"""BODS 0.4 import and export, held to the standard's own conformance material.

The material is vendored in ``tests/data/bods-0.4`` (origin and licence in its README); a
further input is the ``bods-v04-fixtures`` package (import name ``bods_fixtures``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bods_fixtures import list_cases, load
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from groupkg.graph.errors import BadInput
from groupkg.graph.formats.bods import (
    BODS_BASE,
    bods_to_graph,
    read_bods,
    to_bods,
    validate_bods,
    write_bods,
)
from groupkg.graph.formats.csvholdings import read_csv
from groupkg.graph.vocab import DCTERMS, GK, PROV

BODS = Path(__file__).parents[1] / "data" / "bods-0.4"
SCHEMA = Path(__file__).parents[2] / "graph" / "formats" / "bods" / "bods_schema"
PUBLISHED = dt.date(2024, 6, 30)


def names(folder: str) -> list[str]:
    return sorted(p.name for p in (BODS / folder).glob("*.json"))


@pytest.fixture
def bods() -> Path:
    return BODS


def statements_of(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def current(graph: Graph) -> Callable[[Any], bool]:
    """Whether a record is known now: no other record supersedes it."""
    superseded = set(graph.objects(None, GK.supersedes))
    return lambda record: record not in superseded


def facts(graph: Graph) -> list[tuple[Any, ...]]:
    """Holdings and indirect interests known now as comparable tuples (a sorted multiset)."""

    def value(node: Any, prop: URIRef) -> str | None:
        found = graph.value(node, prop)
        return None if found is None else str(found)

    out = []
    for kind in (GK.Holding, GK.IndirectInterest):
        for fact in filter(current(graph), graph.subjects(RDF.type, kind)):
            out.append(
                (
                    str(kind),
                    value(graph.value(fact, GK.owner), RDFS.label),
                    value(graph.value(fact, GK.owned), RDFS.label),
                    *(
                        value(fact, p)
                        for p in (
                            GK.percent,
                            GK.percentMin,
                            GK.percentMinExclusive,
                            GK.percentMax,
                            GK.percentMaxExclusive,
                            GK.validFrom,
                            GK.validTo,
                            GK.asOf,
                            GK.interestType,
                        )
                    ),
                    tuple(sorted(str(n) for n in graph.objects(fact, GK.note))),
                )
            )
    return sorted(out, key=repr)


def one(graph: Graph, **where: Any) -> URIRef:
    """The one fact whose owner/owned labels and interest type are as given."""
    found = [
        f
        for f in filter(current(graph), graph.subjects(GK.owner, None))
        if all(
            str(graph.value(graph.value(f, getattr(GK, k)), RDFS.label)) == v
            for k, v in where.items()
            if k in ("owner", "owned")
        )
        and str(graph.value(f, GK.interestType)) == where.get("interest", "shareholding")
    ]
    assert len(found) == 1, found
    return found[0]


# ---- the standard's examples, valid and invalid statements ----


@pytest.mark.parametrize("name", names("examples"))
def test_every_example_imports_with_its_records_and_facts(bods, name):
    statements = statements_of(bods / "examples" / name)
    graph = read_bods(bods / "examples" / name)
    for st in statements:
        iri = URIRef(BODS_BASE + st["recordId"])
        if st["recordType"] != "relationship":
            assert graph.value(iri, RDFS.label) is not None, st["recordId"]
            assert graph.value(iri, RDF.type) is not None, st["recordId"]
        section = URIRef(BODS_BASE + "statement/" + st["statementId"])
        assert (section, RDF.type, GK.SourceSection) in graph
        assert (graph.value(section, DCTERMS.isPartOf), RDF.type, GK.Source) in graph
    relationships = {st["recordId"] for st in statements if st["recordType"] == "relationship"}
    with_facts = {
        str(f).removeprefix(BODS_BASE).split("/")[0] for f in graph.subjects(GK.owner, None)
    }
    assert relationships == with_facts
    for fact in graph.subjects(GK.owner, None):
        assert graph.value(fact, GK.factStatus) == GK.Stated
        assert graph.value(fact, PROV.wasDerivedFrom) is not None


@pytest.mark.parametrize("name", names("valid-statements"))
def test_every_valid_statement_is_accepted(bods, name):
    statements = statements_of(bods / "valid-statements" / name)
    assert validate_bods(statements, name) == []
    graph = bods_to_graph(statements, file=name)
    for st in statements:
        assert (
            URIRef(BODS_BASE + "statement/" + st["statementId"]),
            RDF.type,
            GK.SourceSection,
        ) in graph


def expected_errors(bods: Path) -> dict[str, tuple[str, str, str]]:
    """expected_errors.csv: file -> (schema rule, JSONPath, field)."""
    with open(bods / "invalid-statements/expected_errors.csv", newline="") as stream:
        return {row[0]: (row[1], row[2], row[3].strip()) for row in csv.reader(stream) if row}


def json_pointer(json_path: str) -> str:
    """``$[0].recordDetails.addresses[0].type`` -> ``/0/recordDetails/addresses/0/type``."""
    return "".join("/" + (a or b) for a, b in re.findall(r"\[(\d+)\]|\.([^.\[]+)", json_path))


@pytest.mark.parametrize("name", names("invalid-statements"))
def test_every_invalid_statement_is_rejected_naming_the_record_and_the_field(bods, name):
    path = bods / "invalid-statements" / name
    statements = statements_of(path)
    with pytest.raises(BadInput) as caught:
        read_bods(path)
    problems = caught.value.problems
    assert problems and all(p.file == str(path) for p in problems)
    first = statements[0] if isinstance(statements, list) and statements else {}
    if isinstance(first, dict) and isinstance(first.get("statementId"), str):
        named = f"statement {first['statementId']}"
    elif isinstance(first, dict) and isinstance(first.get("recordId"), str):
        named = f"record {first['recordId']}"
    else:
        named = "statement #0" if isinstance(statements, list) else "the document"
    assert all(named in p.reason for p in problems), [str(p) for p in problems]
    expected = expected_errors(bods).get(name)
    if expected is not None:
        rule, where, field_name = expected
        matching = [
            p
            for p in problems
            if p.location == json_pointer(where) and f"schema rule: {rule})" in p.reason
        ]
        assert matching, (expected, [str(p) for p in problems])
        assert any(
            not field_name or p.field == field_name or repr(field_name) in p.reason
            for p in matching
        ), (field_name, [str(p) for p in matching])


def test_every_invalid_statement_file_has_an_expected_error_row(bods):
    listed = set(expected_errors(bods))
    files = {p.name for p in (bods / "invalid-statements").glob("*.json")}
    assert files == listed


def test_a_schema_problem_reads_file_pointer_field_and_schema_message():
    statement = make_relationship(
        "rel-1", "ent-1", "per-1", [{"type": "shareholding", "share": {"exact": 120}}]
    )
    problems = validate_bods([statement], "in.json")
    assert [str(p) for p in problems] == [
        "in.json:/0/recordDetails/interests/0/share/exact: exact: 120 is greater than the maximum "
        f"of 100 (statement {statement['statementId']}; schema rule: maximum)"
    ]


def test_every_problem_of_every_statement_is_reported_and_nothing_loaded():
    good = make_entity("ent-1", "Good Ltd")
    bad_date = {**make_entity("ent-2", "Bad Date Ltd"), "statementDate": "2020-02-30"}
    bad_share = make_relationship(
        "rel-1",
        "ent-1",
        "ent-2",
        [
            {"type": "shareholding", "share": {"exact": -1}},
            {"type": "votingRights", "share": {"minimum": 101}},
        ],
    )
    with pytest.raises(BadInput) as caught:
        bods_to_graph([good, bad_date, bad_share], file="many.json")
    assert [(p.location, p.field) for p in caught.value.problems] == [
        ("/1/statementDate", "statementDate"),
        ("/2/recordDetails/interests/0/share/exact", "exact"),
        ("/2/recordDetails/interests/1/share/minimum", "minimum"),
    ]


def test_rules_beyond_the_schema_are_checked():
    person = make_person("per-1", "Jane Doe")
    company = make_entity("ent-1", "Acme Ltd")
    twin = {**make_entity("ent-2", "Twin Ltd"), "statementId": company["statementId"]}
    wrong_subject = make_relationship("rel-1", "per-1", "ent-1", [{"type": "shareholding"}])
    empty_range = make_relationship(
        "rel-2",
        "ent-1",
        "per-1",
        [
            {"type": "shareholding", "share": {"minimum": 60, "maximum": 40}},
            {"type": "votingRights", "share": {"minimum": 50, "exclusiveMaximum": 50}},
            {"type": "boardMember", "startDate": "2020-05-01", "endDate": "2020-04-01"},
        ],
    )
    retyped = {**make_person("ent-1", "Not A Company"), "statementId": "b" * 32}
    problems = validate_bods([person, company, twin, wrong_subject, empty_range, retyped], "x.json")
    assert [(p.location, p.field) for p in problems] == [
        ("/2/statementId", "statementId"),
        ("/5/recordType", "recordType"),
        ("/3/recordDetails/subject", "subject"),
        ("/4/recordDetails/interests/0/share", "share"),
        ("/4/recordDetails/interests/1/share", "share"),
        ("/4/recordDetails/interests/2/endDate", "endDate"),
    ]
    assert "also used by /1" in problems[0].reason
    assert "is a person record, not entity" in problems[2].reason


def test_a_file_that_is_not_json_is_reported_with_its_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"statementId": \n', encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        read_bods(path)
    (problem,) = caught.value.problems
    assert (problem.location, problem.field) == (3, "(json)")


def test_the_bundled_schema_is_the_published_one(bods):
    published = {}
    for line in (bods / "schema.sha256").read_text(encoding="utf-8").splitlines():
        digest, name = line.split()
        published[name] = digest
    bundled = {
        str(p.relative_to(SCHEMA)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in [*SCHEMA.glob("*.json"), *SCHEMA.glob("codelists/*.csv")]
    }
    assert bundled == published
    assert (SCHEMA / "LICENSE").is_file() and (SCHEMA / "README.md").is_file()


def test_a_schema_folder_can_be_given(bods, tmp_path):
    folder = tmp_path / "schema"
    shutil.copytree(SCHEMA, folder)
    statements = statements_of(bods / "examples" / "joint-ownership.json")
    assert validate_bods(statements, schema_dir=folder) == []
    bad = [{**statements[0], "recordStatus": "reborn"}]
    assert [p.field for p in validate_bods(bad, schema_dir=folder)] == ["recordStatus"]
    # the folder given is the one read: without its statement schema, nothing validates
    other = tmp_path / "incomplete"
    shutil.copytree(SCHEMA, other)
    (other / "statement.json").unlink()
    with pytest.raises(FileNotFoundError, match="no statement.json"):
        validate_bods(statements, schema_dir=other)


# ---- mapping ----


def make_statement(
    record_id: str,
    kind: str,
    details: dict[str, Any],
    date: str = "2020-01-01",
    status: str = "new",
    statement_id: str | None = None,
) -> dict[str, Any]:
    return {
        "statementId": statement_id
        or uuid.uuid5(uuid.NAMESPACE_URL, f"{record_id}{date}{status}").hex,
        "declarationSubject": record_id,
        "statementDate": date,
        "recordId": record_id,
        "recordStatus": status,
        "recordType": kind,
        "recordDetails": {"isComponent": False, **details},
    }


def make_entity(
    record_id: str, name: str | None, entity_type: dict[str, str] | None = None, **details: Any
) -> dict[str, Any]:
    body = {"entityType": entity_type or {"type": "registeredEntity"}, **details}
    if name:
        body["name"] = name
    return make_statement(record_id, "entity", body)


def make_person(
    record_id: str, name: str | None, person_type: str = "knownPerson", **details: Any
) -> dict[str, Any]:
    body = {"personType": person_type, **details}
    if name:
        body["names"] = [{"type": "legal", "fullName": name}]
    return make_statement(record_id, "person", body)


def make_relationship(
    record_id: str, subject: Any, party: Any, interests: list[dict[str, Any]] | None, **options: Any
) -> dict[str, Any]:
    details: dict[str, Any] = {"subject": subject, "interestedParty": party}
    if interests is not None:
        details["interests"] = interests
    return make_statement(record_id, "relationship", details, **options)


@pytest.mark.parametrize(
    ("entity_type", "classes"),
    [
        ({"type": "registeredEntity"}, {GK.LegalEntity}),
        ({"type": "legalEntity"}, {GK.LegalEntity}),
        ({"type": "legalEntity", "subtype": "trust"}, {GK.Trust}),
        ({"type": "arrangement", "subtype": "trust"}, {GK.Trust}),
        ({"type": "arrangement", "subtype": "nomination"}, {GK.Entity}),
        ({"type": "arrangement"}, {GK.Entity}),
        ({"type": "anonymousEntity"}, {GK.UnnamedHolders}),
        ({"type": "unknownEntity"}, {GK.UnnamedHolders}),
        ({"type": "state"}, {GK.LegalEntity}),
        ({"type": "stateBody", "subtype": "governmentDepartment"}, {GK.LegalEntity}),
    ],
)
def test_entity_types_map_to_groupkg_classes(entity_type, classes):
    graph = bods_to_graph([make_entity("e", "Some Body", entity_type)])
    found = {
        c for c in graph.objects(URIRef(BODS_BASE + "e"), RDF.type) if str(c).startswith(str(GK))
    }
    assert found == classes


def test_persons_known_and_unnamed():
    graph = bods_to_graph(
        [
            make_person("p1", "Jane Doe"),
            make_person(
                "p2",
                None,
                "anonymousPerson",
                unspecifiedPersonDetails={
                    "reason": "interestedPartyExemptFromDisclosure",
                    "description": "a minor",
                },
            ),
            make_person("p3", None, "unknownPerson"),
        ]
    )
    p1, p2, p3 = (URIRef(BODS_BASE + p) for p in ("p1", "p2", "p3"))
    assert (
        set(graph.objects(p1, RDF.type)) >= {GK.NaturalPerson}
        and (p1, RDF.type, GK.UnnamedHolders) not in graph
    )
    for unnamed in (p2, p3):
        assert {GK.NaturalPerson, GK.UnnamedHolders} <= set(graph.objects(unnamed, RDF.type))
    assert graph.value(p2, RDFS.label) == Literal("Unnamed person (record p2)")
    assert graph.value(p2, RDFS.comment) == Literal(
        "BODS unspecified: interestedPartyExemptFromDisclosure — a minor"
    )


def test_entity_names_identifiers_dates_and_addresses(bods):
    graph = read_bods(bods / "examples" / "plc-entity-statement.json")
    (company,) = graph.subjects(RDF.type, GK.LegalEntity)
    assert graph.value(company, RDFS.label) == Literal("AstraZeneca PLC")
    assert graph.value(company, GK.legalName) == Literal("AstraZeneca PLC")
    assert graph.value(company, GK.incorporationDate) == Literal("1992-06-17", datatype=XSD.date)
    schemes = {
        (str(graph.value(i, GK.identifierScheme)), str(graph.value(i, GK.identifierValue)))
        for i in graph.objects(company, GK.hasIdentifier)
    }
    lei = graph.value(company, GK.lei)
    assert lei is not None and ("XI-LEI", str(lei)) in schemes and ("GB-COH", "02723534") in schemes
    assert graph.value(company, GK.jurisdiction) == Literal("GB")
    tickers = {
        str(graph.value(listing, GK.ticker)) for listing in graph.objects(company, GK.hasListing)
    }
    assert "AZN" in tickers
    fermcat = read_bods(bods / "examples" / "fermcat.json")
    (address,) = fermcat.objects(URIRef(BODS_BASE + "ent-93c75c87ab28f889"), GK.address)
    assert (
        str(address)
        == "53 Killard, Kilteragh, Dooradoyle, Co. Limerick, V94 V3VT, Republic of Ireland"
    )


def test_direct_unknown_and_indirect_interests(bods):
    graph = read_bods(bods / "examples" / "indirect-ownership.json")
    direct = one(graph, owner="Company B", owned="Company A")
    assert (direct, RDF.type, GK.Holding) in graph
    assert graph.value(direct, GK.percent) == Literal("60", datatype=XSD.decimal)
    assert graph.value(direct, GK.validFrom) == Literal("2017-11-01", datatype=XSD.date)
    assert graph.value(direct, GK.asOf) == Literal("2018-12-17", datatype=XSD.date)
    unknown = one(graph, owner="Person 1", owned="Company B", interest="unknownInterest")
    assert (unknown, RDF.type, GK.Holding) in graph
    assert Literal("BODS directOrIndirect: unknown") in set(graph.objects(unknown, GK.note))
    indirect = one(graph, owner="Person 1", owned="Company A")
    assert (indirect, RDF.type, GK.IndirectInterest) in graph
    assert (indirect, RDF.type, GK.Holding) not in graph
    assert graph.value(indirect, GK.percent) == Literal("30", datatype=XSD.decimal)


def test_a_range_keeps_its_exclusive_bounds(bods):
    graph = read_bods(bods / "examples" / "bods-package-entity-owning-entity.json")
    (holding,) = graph.subjects(RDF.type, GK.Holding)
    assert graph.value(holding, GK.percentMin) == Literal("75", datatype=XSD.decimal)
    assert graph.value(holding, GK.percentMinExclusive) is None
    assert graph.value(holding, GK.percentMax) == Literal("100", datatype=XSD.decimal)
    assert graph.value(holding, GK.percentMaxExclusive) == Literal(True)
    assert graph.value(holding, GK.percent) is None


def test_an_unspecified_interested_party_is_an_unnamed_holders_bucket_with_the_reason(bods):
    graph = read_bods(bods / "examples" / "listed-company-exempt-from-disclosure.json")
    (holding,) = graph.subjects(RDF.type, GK.Holding)
    bucket = graph.value(holding, GK.owner)
    assert (bucket, RDF.type, GK.UnnamedHolders) in graph
    assert graph.value(bucket, RDFS.label) == Literal(
        "Unspecified interested party in Listed Company OS-17"
    )
    assert Literal(
        "BODS unspecified interested party: subjectExemptFromDisclosure — "
        "Exempt from disclosure as a company listed on a recognised stock exchange"
    ) in set(graph.objects(holding, GK.note))
    assert graph.value(holding, GK.percent) is None


def test_annotations_are_kept_as_notes_on_the_facts(bods):
    graph = read_bods(bods / "examples" / "bods-package-annotations.json")
    (holding,) = graph.subjects(RDF.type, GK.Holding)
    notes = {str(n) for n in graph.objects(holding, GK.note)}
    assert (
        "Company number missing from beneficial ownership statement. "
        "Manually reconciled against official register." in notes
    )


def test_an_annotation_on_one_interest_stays_on_that_interest():
    relationship = make_relationship(
        "rel", "e", "p", [{"type": "shareholding"}, {"type": "votingRights"}]
    )
    relationship["annotations"] = [
        {
            "statementPointerTarget": "/recordDetails/interests/1/share",
            "motivation": "commenting",
            "description": "votes",
        },
        {"statementPointerTarget": "", "motivation": "linking", "url": "https://example.org/doc"},
    ]
    graph = bods_to_graph([make_entity("e", "E"), make_person("p", "P"), relationship])
    shares = one(graph, owner="P", owned="E")
    votes = one(graph, owner="P", owned="E", interest="votingRights")
    assert "votes" not in {str(n) for n in graph.objects(shares, GK.note)}
    assert {"votes", "https://example.org/doc"} <= {str(n) for n in graph.objects(votes, GK.note)}


def test_publication_details_and_source_become_the_source(bods):
    graph = read_bods(bods / "examples" / "bods-package-fi-soe.json")
    sources = set(graph.subjects(RDF.type, GK.Source))
    publishers = {str(graph.value(s, DCTERMS.publisher)) for s in sources}
    assert publishers == {"X Register"}
    assert {graph.value(s, DCTERMS.date) for s in sources} == {
        Literal("2022-04-01", datatype=XSD.date)
    }
    assert all(graph.value(s, DCTERMS.title) is not None for s in sources)


def test_a_reference_to_a_record_published_elsewhere_links_by_recordid():
    relationship = make_relationship(
        "rel", "ent-elsewhere", "per-elsewhere", [{"type": "shareholding"}]
    )
    relationship_graph = bods_to_graph([relationship])
    entity_graph = bods_to_graph([make_entity("ent-elsewhere", "Elsewhere Ltd")])
    (holding,) = relationship_graph.subjects(RDF.type, GK.Holding)
    owned = relationship_graph.value(holding, GK.owned)
    assert (owned, RDFS.label, Literal("Elsewhere Ltd")) in entity_graph


# ---- updates over time ----


def test_fermcat_updates_and_closures_give_one_fact_per_period(bods):
    graph = read_bods(bods / "examples" / "fermcat.json")
    shareholdings = sorted(
        (
            str(graph.value(graph.value(f, GK.owner), RDFS.label)),
            str(graph.value(f, GK.percent)),
            str(graph.value(f, GK.validFrom)),
            str(graph.value(f, GK.validTo)),
        )
        for f in filter(current(graph), graph.subjects(GK.interestType, Literal("shareholding")))
    )
    assert shareholdings == [
        ("Declan Byrne-Amin", "50", "2021-04-03", "2022-01-21"),  # closed with an end date
        ("Patrick O'Donohue", "100", "2022-01-21", "None"),  # the update of 2022-01-21
        ("Patrick O'Donohue", "50", "2019-09-11", "2022-01-21"),  # restated unchanged until then
        ("Riyadh Byrne-Amin", "50", "2019-09-11", "2021-04-03"),  # closed: its own end date
    ]
    patrick = one(graph, owner="Patrick O'Donohue", owned="Fermcat Ltd", interest="boardMember")
    assert len(set(graph.objects(patrick, PROV.wasDerivedFrom))) == 4  # one fact, four statements


def test_tecido_versions_follow_each_other_without_overlap(bods):
    graph = read_bods(bods / "examples" / "tecido.json")
    periods: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for fact in filter(current(graph), graph.subjects(RDF.type, GK.Holding)):
        key = (
            str(graph.value(graph.value(fact, GK.owner), RDFS.label)),
            str(graph.value(fact, GK.interestType)),
        )
        periods.setdefault(key, []).append(
            (
                str(graph.value(fact, GK.validFrom)),
                str(graph.value(fact, GK.validTo)),
                str(graph.value(fact, GK.percent)),
            )
        )
    assert sorted(periods[("Maria Esteves", "shareholding")]) == [
        ("2002-03-09", "2021-09-24", "100"),
        ("2021-09-24", "2022-09-21", "40"),
        ("2022-09-21", "2023-03-03", "30"),
    ]
    assert sorted(periods[("Shear Trust", "shareholding")]) == [
        ("2021-09-24", "2022-09-21", "60"),
        ("2022-09-21", "2023-03-01", "70"),
        ("2023-03-01", "None", "80"),
    ]
    for chain in periods.values():
        chain.sort()
        assert all(a[1] != "None" and a[1] <= b[0] for a, b in zip(chain, chain[1:], strict=False))


def test_statements_are_applied_in_statement_date_order_not_file_order():
    entity, person = make_entity("e", "E"), make_person("p", "P")
    first = make_relationship(
        "r", "e", "p", [{"type": "shareholding", "share": {"exact": 10}}], date="2020-01-01"
    )
    second = make_relationship(
        "r",
        "e",
        "p",
        [{"type": "shareholding", "share": {"exact": 20}}],
        date="2021-01-01",
        status="updated",
    )
    graph = bods_to_graph([entity, person, second, first])
    ends = {
        str(graph.value(f, GK.percent)): graph.value(f, GK.validTo)
        for f in graph.subjects(RDF.type, GK.Holding)
    }
    assert ends == {"10": Literal("2021-01-01", datatype=XSD.date), "20": None}


def test_a_record_seen_only_closed_ends_on_its_statement_date():
    closed = make_relationship(
        "r",
        "e",
        "p",
        [{"type": "shareholding", "startDate": "2019-01-01"}],
        date="2022-06-30",
        status="closed",
    )
    graph = bods_to_graph([make_entity("e", "E"), make_person("p", "P"), closed])
    (holding,) = graph.subjects(RDF.type, GK.Holding)
    assert graph.value(holding, GK.validFrom) == Literal("2019-01-01", datatype=XSD.date)
    assert graph.value(holding, GK.validTo) == Literal("2022-06-30", datatype=XSD.date)


def test_an_interest_an_update_drops_ends_on_the_update():
    first = make_relationship(
        "r", "e", "p", [{"type": "shareholding"}, {"type": "boardMember"}], date="2020-01-01"
    )
    second = make_relationship(
        "r", "e", "p", [{"type": "shareholding"}], date="2021-03-01", status="updated"
    )
    graph = bods_to_graph([make_entity("e", "E"), make_person("p", "P"), first, second])
    board = one(graph, owner="P", owned="E", interest="boardMember")
    assert graph.value(board, GK.validTo) == Literal("2021-03-01", datatype=XSD.date)
    shares = one(graph, owner="P", owned="E")
    assert graph.value(shares, GK.validTo) is None


# ---- export ----


@pytest.mark.parametrize("name", names("examples"))
def test_export_of_every_example_validates_and_round_trips(bods, name):
    graph = read_bods(bods / "examples" / name)
    exported = to_bods(graph, publication_date=PUBLISHED)
    assert validate_bods(exported, "export") == []
    assert facts(bods_to_graph(exported, file="export")) == facts(graph)


def test_export_is_deterministic_with_uuid_statement_ids(bods):
    graph = read_bods(bods / "examples" / "tecido.json")
    first, second = (
        to_bods(graph, publication_date=PUBLISHED),
        to_bods(graph, publication_date=PUBLISHED),
    )
    assert first == second
    ids = [st["statementId"] for st in first]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 5 for i in ids)
    records = {st["recordId"] for st in first if st["recordType"] != "relationship"}
    assert {"01B68D7633", "018AF6B3EB", "033E84672B"} == records  # recordIds survive under the base


def test_export_writes_ranges_directness_and_unspecified_parties(bods):
    graph = read_bods(bods / "examples" / "bods-package-linking-annotations.json")
    graph += read_bods(bods / "examples" / "listed-company-exempt-from-disclosure.json")
    exported = {st["recordId"]: st for st in to_bods(graph, publication_date=PUBLISHED)}
    relationships = [st for st in exported.values() if st["recordType"] == "relationship"]
    by_party = {
        str(st["recordDetails"]["interestedParty"]): st["recordDetails"] for st in relationships
    }
    linked = by_party["0fc263ba4126"]["interests"][0]
    assert linked["share"] == {"exclusiveMinimum": 25, "exclusiveMaximum": 50}
    assert "directOrIndirect" not in linked  # the statement did not say
    (unspecified,) = [d for p, d in by_party.items() if p.startswith("{")]
    assert unspecified["interestedParty"] == {
        "reason": "subjectExemptFromDisclosure",
        "description": "Exempt from disclosure as a company listed on a recognised stock exchange",
    }
    assert not any(
        st["recordType"] == "entity" and "Unspecified" in st["recordDetails"].get("name", "")
        for st in exported.values()
    )


def test_export_of_a_csv_graph_widens_partial_dates_and_validates(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(
        "owner,owned,percent,percent_min,percent_max,start_date,end_date,as_of\n"
        "Parent Co,Child Co,60,,,2006,2013-11,\n"
        "Parent Co,Other Co,,25,50,,,2013-09-30\n",
        encoding="utf-8",
    )
    exported = to_bods(read_csv(path), publisher="Tester", publication_date=PUBLISHED)
    assert validate_bods(exported, "export") == []
    interests = {
        st["recordDetails"]["interests"][0].get("share", {}).get("exact"): st
        for st in exported
        if st["recordType"] == "relationship"
    }
    sixty = interests[60]
    assert sixty["recordDetails"]["interests"][0]["startDate"] == "2006-01-01"
    assert (
        sixty["recordDetails"]["interests"][0]["endDate"] == "2013-12-01"
    )  # a partial end: the day after
    assert sixty["statementDate"] == PUBLISHED.isoformat()  # no as-of date: the publication date
    assert interests[None]["statementDate"] == "2013-09-30"
    assert sixty["publicationDetails"] == {
        "publicationDate": "2024-06-30",
        "bodsVersion": "0.4",
        "publisher": {"name": "Tester"},
    }


def test_write_bods_writes_a_json_array(bods, tmp_path):
    graph = read_bods(bods / "examples" / "joint-ownership.json")
    out = tmp_path / "out.json"
    assert write_bods(graph, out, publication_date=PUBLISHED) == 7
    assert facts(read_bods(out)) == facts(graph)


# ---- the bods-v04-fixtures package ----


@pytest.mark.parametrize("case", list_cases())
def test_fixture_package_cases_import_export_and_round_trip(case):
    fixture = load(case)
    graph = bods_to_graph(fixture.statements, file=case)
    assert facts(graph)
    exported = to_bods(graph, publication_date=PUBLISHED)
    assert validate_bods(exported, "export") == []
    assert facts(bods_to_graph(exported, file="export")) == facts(graph)


def test_fixture_direct_ownership_keeps_both_interests_and_the_beneficial_flag():
    graph = bods_to_graph(load("core/01-direct-ownership").statements)
    for interest in ("shareholding", "votingRights"):
        fact = one(graph, owner="Jane Smith", owned="Acme Holdings Ltd", interest=interest)
        assert graph.value(fact, GK.percent) == Literal("75", datatype=XSD.decimal)
        assert Literal("BODS beneficialOwnershipOrControl: true") in set(
            graph.objects(fact, GK.note)
        )


def test_fixture_circular_ownership_keeps_both_edges():
    graph = bods_to_graph(load("edge-cases/10-circular-ownership").statements)
    edges = {
        (
            str(graph.value(graph.value(f, GK.owner), RDFS.label)),
            str(graph.value(graph.value(f, GK.owned), RDFS.label)),
        )
        for f in graph.subjects(RDF.type, GK.Holding)
    }
    assert edges == {("Alpha Corp Ltd", "Beta Corp Ltd"), ("Beta Corp Ltd", "Alpha Corp Ltd")}


def test_fixture_declared_unknown_owner_keeps_the_reason_verbatim():
    fixture = load("edge-cases/11-anonymous-person")
    graph = bods_to_graph(fixture.statements)
    (holding,) = graph.subjects(RDF.type, GK.Holding)
    assert not list(graph.subjects(RDF.type, GK.NaturalPerson))  # no placeholder person
    (relationship,) = [
        st
        for st in to_bods(graph, publication_date=PUBLISHED)
        if st["recordType"] == "relationship"
    ]
    assert (
        relationship["recordDetails"]["interestedParty"]
        == fixture.by_record_type("relationship")[0]["recordDetails"]["interestedParty"]
    )
