"""The W3C SPARQL 1.1 Protocol tests and result-format tests against ``groupkg serve``.

The cases are the W3C's own (``tests/data/w3c-sparql11-protocol/``, see its README):
``protocol/manifest.ttl`` describes HTTP exchanges (method, path, headers, body) and
what each answer must be (status class, boolean, kind of format); ``json-res`` and
``csv-tsv-res`` give a query, its data and the expected result. Each case runs as real
HTTP against a ``groupkg serve`` process on 127.0.0.1, on four servers: memory and
``oxigraph:PATH``, each read-only and with ``--allow-update``.

What the harness adds, as the manifest leaves it to the one running the tests:
``/sparql/`` becomes ``/sparql``; the connection goes to 127.0.0.1 (the manifest's
``www.example`` is no loopback name); an update carries the server's bearer token;
a case's ``ut:graphData`` is put in the named graph its label gives before the case
(on a writable server by an authorised ``INSERT DATA``, on a read-only
``oxigraph:`` store when the store is made). On a read-only server an update that
the case expects to succeed must be refused with 403 instead (read-only by design).
Cases that cannot apply are listed in ``NOT_APPLICABLE`` with the reason (also in the
data folder's README).
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF, RDFS

from groupkg.graph import OxigraphStore, open_store

SUITE = Path(__file__).parents[1] / "data" / "w3c-sparql11-protocol"
TOKEN = "w3c-protocol-token"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
XSD = "http://www.w3.org/2001/XMLSchema#"
SRX = "{http://www.w3.org/2005/sparql-results#}"

RESULT_TYPES = {
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
    "text/tab-separated-values",
}  # fmt: skip
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_TYPES = {
    "text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
}  # fmt: skip

# Cases that cannot run here, and why.
NOT_APPLICABLE = {
    ("memory", False): {
        # A read-only memory store holds the ontology and the bundled or --data files,
        # all in its default graph: a case's data cannot be put in a named graph.
        "query_dataset_default_graphs_get", "query_dataset_default_graphs_post",
        "query_dataset_named_graphs_post", "query_dataset_named_graphs_get",
        "query_dataset_full", "query_multiple_dataset",
    },
}  # fmt: skip


# -- reading the manifests ----------------------------------------------------------------


@dataclass
class Exchange:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    boolean: bool | None
    form: str | None


@dataclass
class ProtocolCase:
    name: str
    exchanges: list[Exchange]
    graphs: dict[str, Path] = field(default_factory=dict)

    @property
    def updates(self) -> bool:
        return any(_is_update(e) for e in self.exchanges)


def _is_update(exchange: Exchange) -> bool:
    kind = exchange.headers.get("content-type", "")
    body = exchange.body or b""
    return kind.startswith("application/sparql-update") or body.startswith(b"update=")


def _items(graph: rdflib.Graph, head: Any) -> list[Any]:
    return list(rdflib.collection.Collection(graph, head))


def protocol_cases() -> list[ProtocolCase]:
    graph = rdflib.Graph()
    manifest = SUITE / "protocol" / "manifest.ttl"
    graph.parse(manifest, format="turtle", publicID=manifest.as_uri())
    (root,) = graph.subjects(RDF.type, MF.Manifest)
    cases = []
    for entry in _items(graph, graph.value(root, MF.entries)):
        name = str(entry).rpartition("#")[2]
        graphs = {}
        for data in graph.objects(entry, UT.graphData):
            file = Path(str(graph.value(data, UT.graph)).removeprefix("file://"))
            graphs[str(graph.value(data, RDFS.label))] = file
        action = graph.value(entry, MF.action)
        exchanges = []
        for request in _items(graph, graph.value(action, HT.requests)):
            headers = {}
            listed = graph.value(request, HT.headers)
            for header in _items(graph, listed) if listed is not None else []:
                headers[str(graph.value(header, HT.fieldName)).lower()] = str(
                    graph.value(header, HT.fieldValue)
                )
            body = None
            content = graph.value(request, HT.body)
            if content is not None:
                encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(content, CNT.chars)).encode(encoding)
            response = graph.value(request, HT.resp)
            expected = graph.value(response, MF.expectedBoolean)
            form = graph.value(response, MF.expectedFormat)
            exchanges.append(Exchange(
                method=str(graph.value(request, HT.methodName)),
                path=str(graph.value(request, HT.absolutePath)),
                headers=headers,
                body=body,
                statuses={str(s).removeprefix(HTS) for s in
                          graph.objects(response, MF.expectedStatus)},
                boolean=None if expected is None else bool(expected.toPython()),
                form=None if form is None else str(form),
            ))  # fmt: skip
        cases.append(ProtocolCase(name, exchanges, graphs))
    return cases


@dataclass
class ResultCase:
    name: str
    query: str
    data: Path
    result: Path


def result_cases() -> list[ResultCase]:
    cases = []
    for folder in ("json-res", "csv-tsv-res"):
        graph = rdflib.Graph()
        manifest = SUITE / folder / "manifest.ttl"
        graph.parse(manifest, format="turtle", publicID=manifest.as_uri())
        (root,) = graph.subjects(RDF.type, MF.Manifest)
        for entry in _items(graph, graph.value(root, MF.entries)):
            action = graph.value(entry, MF.action)

            def local(term: Any) -> Path:
                return Path(str(term).removeprefix("file://"))

            cases.append(ResultCase(
                name=f"{folder}/{str(entry).rpartition('#')[2]}",
                query=local(graph.value(action, QT.query)).read_text(encoding="utf-8"),
                data=local(graph.value(action, QT.data)),
                result=local(graph.value(entry, MF.result)),
            ))  # fmt: skip
    return cases


PROTOCOL = protocol_cases()
RESULTS = result_cases()
# Every data file of a case, by the graph it goes in.
DATA = {label: file for case in PROTOCOL for label, file in case.graphs.items()}


def _data_graph(case: ResultCase) -> str:
    return f"urn:w3c:{case.data.parent.name}/{case.data.name}"


DATA.update({_data_graph(case): case.data for case in RESULTS})


def _ntriples(file: Path) -> str:
    fmt = ox.RdfFormat.N_TRIPLES if file.suffix == ".nt" else ox.RdfFormat.TURTLE
    quads = ox.parse(file.read_bytes(), format=fmt, base_iri=file.as_uri())
    return (ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b"").decode()


# -- the servers ----------------------------------------------------------------------------

CONFIGS = [("memory", False), ("memory", True), ("oxigraph", False), ("oxigraph", True)]


def _config_id(config: tuple[str, bool]) -> str:
    return f"{config[0]}-{'writable' if config[1] else 'read-only'}"


@pytest.fixture(scope="module")
def servers(start_server, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    started: dict[tuple[str, bool], str] = {}

    def server(kind: str, writable: bool) -> str:
        if (kind, writable) in started:
            return started[kind, writable]
        options = ["--no-default-data"]
        if kind == "oxigraph":
            path = tmp_path_factory.mktemp("w3c") / "store"
            store = open_store(f"oxigraph:{path}", default_data=False, writable=True)
            assert isinstance(store, OxigraphStore)
            for label, file in DATA.items():
                store.update(f"INSERT DATA {{ GRAPH <{label}> {{ {_ntriples(file)} }} }}")
            store.close()
            options += ["--store", f"oxigraph:{path}"]
        env = None
        if writable:
            options.append("--allow-update")
            env = {"GROUPKG_TOKEN": TOKEN}
        started[kind, writable] = start_server(*options, env=env)
        return started[kind, writable]

    return server


def send(base: str, method: str, path: str, headers: dict[str, str],
         body: bytes | None) -> tuple[int, str, bytes]:  # fmt: skip
    """One exchange as the manifest gives it: no header is added (urllib would add a
    form content type to a POST that has none, which two cases must not have)."""
    address = urllib.parse.urlsplit(base)
    target = "/sparql" + path.removeprefix("/sparql/").removeprefix("/sparql")
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.request(method, target, body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.getheader("Content-Type", ""), answer.read()
    finally:
        connection.close()


def load(base: str, graphs: dict[str, Path]) -> None:
    """Put each graph's data in it, afresh, by an authorised update."""
    for label, file in graphs.items():
        text = (f"DROP SILENT GRAPH <{label}> ; "
                f"INSERT DATA {{ GRAPH <{label}> {{ {_ntriples(file)} }} }}")  # fmt: skip
        status, _, body = send(base, "POST", "/sparql", {
            "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
            text.encode())  # fmt: skip
        assert 200 <= status < 300, body


def _boolean(kind: str, body: bytes) -> bool:
    if kind == "application/sparql-results+xml":
        found = ET.fromstring(body).find(f"{SRX}boolean")
        assert found is not None
        return found.text == "true"
    value = json.loads(body)["boolean"]
    assert isinstance(value, bool)
    return value


def _check_format(form: str, kind: str, body: bytes) -> None:
    if form == "boolean":
        assert kind in BOOLEAN_TYPES
        _boolean(kind, body)
    elif form == "tabular":
        assert kind in RESULT_TYPES
        if kind == "application/sparql-results+json":
            assert "results" in json.loads(body)
        elif kind == "application/sparql-results+xml":
            assert ET.fromstring(body).find(f"{SRX}results") is not None
    else:
        assert form == "RDF" and kind in RDF_TYPES
        rdflib.Graph().parse(data=body, format=RDF_TYPES[kind])


def test_the_cases_not_applicable_are_cases_that_need_data():
    names = {case.name: case for case in PROTOCOL}
    for skipped in NOT_APPLICABLE.values():
        assert skipped <= names.keys()
        assert all(names[name].graphs for name in skipped)


@pytest.mark.parametrize(
    ("case", "config"),
    [
        pytest.param(case, config, id=f"{case.name}-{_config_id(config)}")
        for case in PROTOCOL
        for config in CONFIGS
        if case.name not in NOT_APPLICABLE.get(config, set())
    ],
)
def test_protocol(case: ProtocolCase, config: tuple[str, bool], servers):  # type: ignore[no-untyped-def]
    kind, writable = config
    base = servers(kind, writable)
    if writable and case.graphs:
        load(base, case.graphs)
    for exchange in case.exchanges:
        headers = {k: v for k, v in exchange.headers.items()}
        if writable and _is_update(exchange):
            headers["Authorization"] = f"Bearer {TOKEN}"
        status, media, body = send(base, exchange.method, exchange.path, headers, exchange.body)
        media = media.split(";")[0].strip()
        succeeds = exchange.statuses <= {"2xx", "3xx"}
        if not writable and _is_update(exchange) and succeeds:
            # Read-only by design: an update that would succeed is refused.
            assert status == 403, body
            return
        assert f"{status // 100}xx" in exchange.statuses, (status, body)
        if exchange.form is not None:
            _check_format(exchange.form, media, body)
        if exchange.boolean is not None:
            assert _boolean(media, body) is exchange.boolean, body


# -- result formats ------------------------------------------------------------------------

# Oxigraph keeps a literal of a numeric type by its value: an xsd:negativeInteger comes
# back as an xsd:integer, and an xsd:double in its own writing ("1.0E6" as "1000000").
# The expected cells, as the store gives them back (see the README).
STORE_CHANGES = {
    "csv": {"1.0E6": "1000000"},
    "tsv": {f'"-3"^^<{XSD}negativeInteger>': "-3", "1.0e6": f'"1000000"^^<{XSD}double>'},
}


def _json_term(term: dict[str, str]) -> tuple[str, ...]:
    if term["type"] == "bnode":
        return ("bnode",)
    if term["type"] == "uri":
        return ("uri", term["value"], "", "")
    datatype = term.get("datatype", XSD + "string" if "xml:lang" not in term else "")
    return term["type"], term["value"], datatype, term.get("xml:lang", "")


def _json_rows(doc: dict[str, Any]) -> Any:
    if "boolean" in doc:
        return doc["boolean"]
    return [{k: _json_term(v) for k, v in row.items()} for row in doc["results"]["bindings"]]


def _xml_rows(body: bytes) -> Any:
    root = ET.fromstring(body)
    found = root.find(f"{SRX}boolean")
    if found is not None:
        return found.text == "true"
    rows = []
    for result in root.iter(f"{SRX}result"):
        row = {}
        for binding in result.findall(f"{SRX}binding"):
            (term,) = list(binding)
            tag = term.tag.removeprefix(SRX)
            if tag == "bnode":
                row[binding.get("name")] = ("bnode",)
            elif tag == "uri":
                row[binding.get("name")] = ("uri", term.text or "", "", "")
            else:
                lang = term.get("{http://www.w3.org/XML/1998/namespace}lang", "")
                datatype = term.get("datatype", XSD + "string" if not lang else "")
                row[binding.get("name")] = ("literal", term.text or "", datatype, lang)
        rows.append(row)
    return rows


def _table(text: str, tsv: bool) -> list[dict[str, str]]:
    """Rows of a CSV or TSV result by variable: the order of the columns of
    ``SELECT *`` is the writer's choice."""
    rows = list(csv.reader(io.StringIO(text), delimiter="\t" if tsv else ",",
                           quoting=csv.QUOTE_NONE if tsv else csv.QUOTE_MINIMAL))  # fmt: skip
    head = [name.removeprefix("?") for name in rows[0]]
    # Blank node labels are the writer's own: any label matches any other.
    return [
        {name: "_:" if cell.startswith("_:") else cell
         for name, cell in zip(head, row, strict=True)}
        for row in rows[1:]
    ]  # fmt: skip


def _store_changed(rows: list[dict[str, str]], tsv: bool) -> list[dict[str, str]]:
    """The expected rows as the store gives them back (see :data:`STORE_CHANGES`)."""
    changes = STORE_CHANGES["tsv" if tsv else "csv"]
    return [{k: changes.get(v, v) for k, v in row.items()} for row in rows]


@pytest.fixture(scope="module")
def result_server(servers):  # type: ignore[no-untyped-def]
    """A server per store kind whose named graphs hold every result case's data."""
    ready: dict[tuple[str, bool], str] = {}

    def server(config: tuple[str, bool]) -> str:
        base = servers(*config)
        if config[1] and config not in ready:
            load(base, {_data_graph(case): case.data for case in RESULTS})
        ready[config] = base
        return base

    return server


RESULT_CONFIGS = [c for c in CONFIGS if c != ("memory", False)]


@pytest.mark.parametrize("config", RESULT_CONFIGS, ids=_config_id)
@pytest.mark.parametrize("case", RESULTS, ids=lambda case: case.name)
def test_result_format(case: ResultCase, config: tuple[str, bool], result_server):  # type: ignore[no-untyped-def]
    base = result_server(config)
    params = urllib.parse.urlencode({"query": case.query, "default-graph-uri": _data_graph(case)})
    accept = {".srj": "application/sparql-results+json", ".csv": "text/csv",
              ".tsv": "text/tab-separated-values"}[case.result.suffix]  # fmt: skip
    status, media, body = send(base, "GET", "/sparql?" + params, {"Accept": accept}, None)
    assert status == 200, body
    assert media.split(";")[0] == accept
    expected_text = case.result.read_text(encoding="utf-8")
    if case.result.suffix == ".srj":
        expected = _json_rows(json.loads(expected_text))
        assert _json_rows(json.loads(body)) == expected
    else:
        tsv = case.result.suffix == ".tsv"
        expected_rows = _store_changed(_table(expected_text, tsv), tsv)
        assert _table(body.decode("utf-8"), tsv) == expected_rows
        # The same rows as SPARQL JSON, to compare with the XML answer below.
        as_json = {"Accept": "application/sparql-results+json"}
        json_status, _, json_body = send(base, "GET", "/sparql?" + params, as_json, None)
        assert json_status == 200
        expected = _json_rows(json.loads(json_body))
    # The XML result format: the same solutions as the expected (or JSON) ones.
    status, media, body = send(
        base, "GET", "/sparql?" + params, {"Accept": "application/sparql-results+xml"}, None
    )
    assert status == 200 and media.split(";")[0] == "application/sparql-results+xml"
    assert _xml_rows(body) == expected
