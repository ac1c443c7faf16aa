"""The SHACL shapes and the validation module.

Every node shape in ``ontology/shapes.ttl`` has one conforming and one violating
example under ``tests/shapes/``, validated together with ``tests/shapes/base.ttl``
(a source, a section and three companies). The bundled IIJ data must conform.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from groupkg.graph import InputError, validate_files
from groupkg.graph.validate import Finding, parse_rdf_file, validate_graph
from tests.turtle import prefixes

ROOT = Path(__file__).resolve().parents[2]
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
EXAMPLES = ROOT / "tests" / "shapes"
IIJ = ROOT / "data" / "iij"
GKSH = "https://w3id.org/groupkg/shapes#"
GK = "https://w3id.org/groupkg/ontology#"
EX = "https://example.org/test/"

PREFIXES = prefixes(ex="https://example.org/test/")


def _shapes_graph() -> Graph:
    return parse_rdf_file(SHAPES_FILE)


def _node_shapes() -> list[str]:
    graph = _shapes_graph()
    shapes = graph.subjects(RDF.type, SH.NodeShape)
    return sorted(str(s).removeprefix(GKSH) for s in shapes if isinstance(s, URIRef))


NODE_SHAPES = _node_shapes()


def _validate_example(kind: str, shape: str):
    return validate_graph(
        parse_rdf_file(EXAMPLES / "base.ttl") + parse_rdf_file(EXAMPLES / kind / f"{shape}.ttl")
    )


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- every shape has its two examples ----


def test_shapes_file_has_node_shapes():
    assert len(NODE_SHAPES) >= 20
    assert "HoldingShape" in NODE_SHAPES


def test_every_shape_has_a_conforming_and_a_violating_example():
    for kind in ("conforming", "violating"):
        examples = sorted(p.stem for p in (EXAMPLES / kind).glob("*.ttl"))
        assert examples == NODE_SHAPES, f"tests/shapes/{kind}/ does not match the shapes"


def test_base_context_conforms():
    report = validate_graph(parse_rdf_file(EXAMPLES / "base.ttl"))
    assert report.conforms
    assert report.findings == []


@pytest.mark.parametrize("shape", NODE_SHAPES)
def test_conforming_example(shape: str):
    report = _validate_example("conforming", shape)
    assert report.findings == [], "\n".join(map(str, report.findings))
    assert report.conforms


@pytest.mark.parametrize("shape", NODE_SHAPES)
def test_violating_example(shape: str):
    report = _validate_example("violating", shape)
    assert not report.conforms
    # The example breaks its own shape, and only that one.
    assert {finding.shape for finding in report.findings} == {GKSH + shape}, "\n".join(
        map(str, report.findings)
    )


# ---- how the shapes are written ----


def test_every_constraint_has_a_message():
    graph = _shapes_graph()
    node_level = [SH["or"], SH["not"], SH["and"], SH.xone, SH["class"], SH.closed]
    for name in NODE_SHAPES:
        shape = URIRef(GKSH + name)
        for prop in graph.objects(shape, SH.property):
            assert graph.value(prop, SH.message), (
                f"{name}: property shape of {graph.value(prop, SH.path)}"
            )
        for sparql in graph.objects(shape, SH.sparql):
            assert graph.value(sparql, SH.message), f"{name}: SPARQL constraint"
        if any(graph.value(shape, p) is not None for p in node_level):
            assert graph.value(shape, SH.message), f"{name}: node-level constraint"


# ---- the data ----


@pytest.fixture(scope="module")
def iij_report():
    files = sorted(IIJ.glob("*.ttl"))
    assert files, "data/iij/ holds no Turtle files"
    return validate_files(files)


def test_iij_data_conforms(iij_report):
    violations = [f for f in iij_report.findings if f.severity == "Violation"]
    assert violations == [], "\n".join(map(str, violations))
    assert iij_report.conforms


def test_bundled_data_is_the_iij_data(iij_report):
    assert validate_files() == iij_report


# ---- messages a user reads ----


def test_broken_turtle_names_the_file_and_the_line(tmp_path: Path):
    text = PREFIXES + '\nex:a rdfs:label "Acme" .\nex:b rdfs:label nope:x .\n'
    path = _write(tmp_path, "broken.ttl", text)
    with pytest.raises(InputError) as info:
        parse_rdf_file(path)
    message = str(info.value)
    bad_line = text.splitlines().index("ex:b rdfs:label nope:x .") + 1
    assert message.startswith(f"{path}, line {bad_line}: ")
    assert "nope" in message
    assert "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        (
            "broken.nt",
            "<http://e/a> <http://e/p> <http://e/o> .\n<http://e/a> <http://e/p> oops .\n",
            2,
        ),
        ("broken.jsonld", '{\n  "@id": "http://e/a",\n  "http://e/p": [1,\n}\n', 4),
        (
            "broken.trig",
            "<http://e/g> {\n  <http://e/a> <http://e/p> <http://e/o>\n"
            "  <http://e/b> <http://e/p> 1 .\n}\n",
            3,
        ),
    ],
)
def test_broken_files_in_other_syntaxes_name_the_line(
    tmp_path: Path, name: str, text: str, line: int
):
    path = _write(tmp_path, name, text)
    with pytest.raises(InputError, match=rf"^{path}, line {line}: "):
        parse_rdf_file(path)


def test_unreadable_inputs_are_input_errors(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        parse_rdf_file(tmp_path / "missing.ttl")
    with pytest.raises(InputError, match="cannot tell the RDF syntax"):
        parse_rdf_file(_write(tmp_path, "holdings.csv", "owner,owned\n"))
    latin1 = tmp_path / "latin1.ttl"
    latin1.write_bytes(b'<http://e/a> <http://e/p> "caf\xe9" .\n')
    with pytest.raises(InputError, match=rf"^{latin1}, line 1: .*UTF-8"):
        parse_rdf_file(latin1)


def test_validate_files_stops_at_a_broken_file(tmp_path: Path):
    good = EXAMPLES / "base.ttl"
    bad = _write(tmp_path, "bad.ttl", "ex:a ex:b ex:c .\n")
    with pytest.raises(InputError, match=rf"^{bad}, line 1: "):
        validate_files([good, bad])


def test_violation_names_the_focus_node_and_the_shape_message(tmp_path: Path):
    holding = (
        PREFIXES
        + """
ex:h1 a gk:Holding ;
    gk:owner ex:parent ; gk:owned ex:acme ; gk:percent 150 ;
    gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:src-s1 .
"""
    )
    report = validate_files([EXAMPLES / "base.ttl", _write(tmp_path, "holding.ttl", holding)])
    assert not report.conforms
    assert report.findings == [
        Finding(
            focus=EX + "h1",
            shape=GKSH + "HoldingShape",
            message="gk:percent is one xsd:decimal from 0 to 100.",
            severity="Violation",
            path=GK + "percent",
            sources=(EX + "src-s1",),
        )
    ]
    assert str(report.findings[0]).startswith(f"Violation: {EX}h1 ({GK}percent): gk:percent is one")


def test_sparql_constraint_message_names_the_dates(tmp_path: Path):
    entity = (
        PREFIXES
        + """
ex:w a gk:LegalEntity ; rdfs:label "Widget" ;
    gk:incorporationDate "2010-03-01"^^xsd:date ; gk:dissolutionDate "2009-12-31"^^xsd:date .
"""
    )
    report = validate_files([_write(tmp_path, "entity.ttl", entity)])
    (finding,) = report.findings
    assert finding.focus == EX + "w"
    assert finding.shape == GKSH + "EntityLifetimeShape"
    assert "2009-12-31" in finding.message and "2010-03-01" in finding.message


def test_ill_typed_literal_is_a_finding_not_a_crash(tmp_path: Path):
    entity = (
        PREFIXES
        + """
ex:w a gk:LegalEntity ; rdfs:label "Widget" ; gk:incorporationDate "2013-13-45"^^xsd:date .
"""
    )
    report = validate_files([_write(tmp_path, "entity.ttl", entity)])
    assert [(f.focus, f.path) for f in report.findings] == [(EX + "w", GK + "incorporationDate")]


def test_blank_nodes_of_different_files_stay_apart(tmp_path: Path):
    # Both files call their identifier _:id; merged, the company would have one
    # identifier with two schemes and two values.
    first = (
        PREFIXES
        + """
ex:acme rdfs:label "Acme" ; gk:hasIdentifier _:id .
_:id a gk:Identifier ; gk:identifierScheme "TSE" ; gk:identifierValue "3774" .
"""
    )
    second = (
        PREFIXES
        + """
ex:acme gk:hasIdentifier _:id .
_:id a gk:Identifier ; gk:identifierScheme "NASDAQ" ; gk:identifierValue "IIJI" .
"""
    )
    report = validate_files([_write(tmp_path, "a.ttl", first), _write(tmp_path, "b.ttl", second)])
    assert report.conforms
    assert report.findings == []


def test_plain_strings_match_listed_values(tmp_path: Path):
    # sh:in ("shareholding" ...) must accept the string whichever parser read it.
    holding = (
        PREFIXES
        + """
ex:h1 a gk:Holding ; gk:owner ex:parent ; gk:owned ex:acme ; gk:interestType "shareholding" ;
    gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:src-s1 .
"""
    )
    report = validate_files([EXAMPLES / "base.ttl", _write(tmp_path, "holding.ttl", holding)])
    assert report.findings == []


def test_other_shapes_can_be_used(tmp_path: Path):
    shapes = parse_rdf_file(
        _write(
            tmp_path,
            "shapes.ttl",
            prefixes(sh="http://www.w3.org/ns/shacl#")
            + """<https://example.org/LeiRequired> a sh:NodeShape ; sh:targetClass gk:LegalEntity ;
    sh:property [ sh:path gk:lei ; sh:minCount 1 ; sh:message "Every company needs an LEI here." ] .
""",
        )
    )
    report = validate_graph(parse_rdf_file(EXAMPLES / "base.ttl"), shapes)
    assert {f.focus for f in report.findings} == {EX + "parent", EX + "acme", EX + "sub"}
    assert {f.message for f in report.findings} == {"Every company needs an LEI here."}


def test_report_as_text_and_json(tmp_path: Path):
    entity = PREFIXES + '\nex:w a gk:LegalEntity ; rdfs:label "W", "Double-u" .\n'
    report = validate_files([_write(tmp_path, "entity.ttl", entity)])
    assert report.text().splitlines() == [
        "The data does not conform.",
        f"Violation: {EX}w (http://www.w3.org/2000/01/rdf-schema#label): "
        f"An entity needs exactly one rdfs:label, the name it is shown by. [{GKSH}EntityShape]",
    ]
    assert report.to_json() == {
        "conforms": False,
        "findings": [
            {
                "focus": EX + "w",
                "shape": GKSH + "EntityShape",
                "message": "An entity needs exactly one rdfs:label, the name it is shown by.",
                "severity": "Violation",
                "path": "http://www.w3.org/2000/01/rdf-schema#label",
                "sources": [],
            }
        ],
    }
