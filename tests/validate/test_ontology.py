"""The vocabulary files: they parse, define every term once, and agree with each other.

``groupkg.ttl`` is the only place terms are defined. The generated namespace
``groupkg.graph.vocab.GK`` must list exactly its terms, and every ``gk:`` term that
the shapes, the alignments, the queries or the data use must be defined there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from groupkg.graph.validate import parse_rdf_file
from groupkg.graph.vocab import GK, NAMESPACE

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology"
ONTOLOGY_FILES = sorted(ONTOLOGY.glob("*.ttl"))
QUERY_FILES = sorted((ONTOLOGY / "queries").glob("*.rq"))
DATA_FILES = sorted((ROOT / "data").glob("**/*.ttl"))
PROV = "http://www.w3.org/ns/prov#"

TERM_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
}
# What alignments.ttl may say about a groupkg term: links, never definitions.
LINKS = {
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
}


def _graph(name: str) -> Graph:
    return parse_rdf_file(ONTOLOGY / name)


def _defined_terms(graph: Graph) -> set[str]:
    return {
        str(s).removeprefix(NAMESPACE)
        for t in TERM_TYPES
        for s in graph.subjects(RDF.type, t)
        if str(s).startswith(NAMESPACE)
    }


def _gk_terms_in_graph(graph: Graph) -> set[str]:
    return {
        str(node).removeprefix(NAMESPACE)
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(NAMESPACE)
    }


def _gk_terms_in_query(text: str) -> set[str]:
    prefixes = re.findall(rf"PREFIX\s+(\w*):\s*<{re.escape(NAMESPACE)}>", text, flags=re.IGNORECASE)
    terms = set(re.findall(rf"<{re.escape(NAMESPACE)}(\w+)>", text))
    for prefix in prefixes:
        terms |= set(re.findall(rf"(?<![\w:]){prefix}:(\w+)", text))
    return terms


def _header(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line)
    return header


VOCABULARY = _graph("groupkg.ttl")
DEFINED = _defined_terms(VOCABULARY)


# ---- the files ----


def test_ontology_folder_has_the_vocabulary_shapes_and_alignments():
    names = {p.name for p in ONTOLOGY_FILES}
    assert {"groupkg.ttl", "shapes.ttl", "alignments.ttl"} <= names


@pytest.mark.parametrize("path", ONTOLOGY_FILES, ids=lambda p: p.name)
def test_ontology_file_parses(path: Path):
    assert len(parse_rdf_file(path)) > 0


@pytest.mark.parametrize("path", ONTOLOGY_FILES, ids=lambda p: p.name)
def test_ontology_file_header_gives_version_and_license(path: Path):
    header = "\n".join(_header(path))
    version = re.search(r"^# version: (\d+\.\d+\.\d+)$", header, flags=re.MULTILINE)
    assert version, f"{path.name}: no '# version: X.Y.Z' line in the header comment"
    assert re.search(r"^# license: Apache-2\.0\b", header, flags=re.MULTILINE), path.name
    assert re.search(r"^# preferred prefix: \w+: <", header, flags=re.MULTILINE), path.name
    # The version in the header is the one the ontology node states.
    graph = parse_rdf_file(path)
    stated = {str(v) for v in graph.objects(None, OWL.versionInfo)}
    assert stated == {version.group(1)}, path.name


def test_all_ontology_files_share_one_version():
    headers = ["\n".join(_header(path)) for path in ONTOLOGY_FILES]
    versions = {tuple(re.findall(r"^# version: (.+)$", h, flags=re.MULTILINE)) for h in headers}
    assert len(versions) == 1


# ---- the terms ----


def test_vocabulary_defines_terms():
    assert {"Holding", "owner", "owned", "percent", "Stated"} <= DEFINED


@pytest.mark.parametrize("term", sorted(DEFINED))
def test_term_has_one_english_label_and_a_definition(term: str):
    node = URIRef(NAMESPACE + term)
    labels = [
        v
        for v in VOCABULARY.objects(node, RDFS.label)
        if isinstance(v, Literal) and v.language == "en"
    ]
    assert len(labels) == 1, f"gk:{term} has {len(labels)} English labels"
    definitions = [v for v in VOCABULARY.objects(node, SKOS.definition) if isinstance(v, Literal)]
    assert definitions and all(str(d).strip() for d in definitions), (
        f"gk:{term} has no skos:definition"
    )


def test_generated_namespace_lists_exactly_the_defined_terms():
    generated = set(GK.__annotations__)
    assert generated - DEFINED == set(), "in graph/vocab.py but not in groupkg.ttl"
    assert DEFINED - generated == set(), "in groupkg.ttl but not in graph/vocab.py"


def test_generated_namespace_refuses_a_misspelt_term():
    assert GK.Holding == URIRef(NAMESPACE + "Holding")
    with pytest.raises(AttributeError):
        GK.Holdings  # noqa: B018


@pytest.mark.parametrize("name", ["shapes.ttl", "alignments.ttl"])
def test_terms_used_in_ontology_files_are_defined(name: str):
    assert _gk_terms_in_graph(_graph(name)) - DEFINED == set()


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_terms_used_in_queries_are_defined(path: Path):
    assert _gk_terms_in_query(path.read_text(encoding="utf-8")) - DEFINED == set()


def test_query_term_extraction_sees_prefixed_and_full_names():
    text = f"PREFIX gk: <{NAMESPACE}>\nSELECT * {{ ?h gk:owner ?o ; <{NAMESPACE}owned> ?x }}"
    assert _gk_terms_in_query(text) == {"owner", "owned"}


def test_data_files_exist():
    assert DATA_FILES, "data/ holds no Turtle files"


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_terms_used_in_data_are_defined(path: Path):
    assert _gk_terms_in_graph(parse_rdf_file(path)) - DEFINED == set()


# ---- the alignments ----


def test_alignments_only_link_groupkg_terms():
    graph = _graph("alignments.ttl")
    statements = [(s, p) for s, p, _ in graph if str(s).startswith(NAMESPACE)]
    assert statements, "alignments.ttl links no groupkg term"
    assert {p for _, p in statements} <= LINKS


def test_alignments_reach_every_vocabulary():
    targets = {str(o) for s, p, o in _graph("alignments.ttl") if p in LINKS}
    for namespace in (
        "http://www.w3.org/ns/org#",
        PROV,
        "http://xmlns.com/foaf/0.1/",
        "https://www.gleif.org/ontology/L1/",
        "https://www.gleif.org/ontology/L2/",
        "https://spec.edmcouncil.org/fibo/ontology/BE/OwnershipAndControl/",
        "https://spec.edmcouncil.org/fibo/ontology/CAE/",
        "https://raw.githubusercontent.com/openownership/data-standard/0.4.0/schema/",
    ):
        assert any(t.startswith(namespace) for t in targets), namespace


def test_no_class_is_both_a_prov_entity_and_a_prov_activity():
    # PROV-O makes the two disjoint; a class under both could have no instance.
    graph = VOCABULARY + _graph("alignments.ttl")
    entity, activity = URIRef(PROV + "Entity"), URIRef(PROV + "Activity")
    for cls in set(graph.subjects(RDF.type, OWL.Class)):
        ancestors = set(graph.transitive_objects(cls, RDFS.subClassOf))
        assert not {entity, activity} <= ancestors, cls
