"""Hostile input files and a command line that never shows a traceback.

Each test is a case that once aborted, hung, crashed the process or printed a
traceback: entity expansion and deep nesting in the parsers' inputs, over-long terms,
huge numbers, damaged archives and stores, full disks, endpoints that answer nonsense,
formula cells, control characters in names, and click's usage errors.
"""

from __future__ import annotations

import errno
import http.server
import json
import os
import socket
import subprocess
import sys
import xml.dom.minidom
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import groupkg.graph.output as output
from groupkg.graph import InputError, OxigraphStore, import_file, open_store
from groupkg.graph.cli import cli
from groupkg.graph.store import ntriples as ntriples_module
from groupkg.graph.store import staging as staging_module
from tests.fuzz.hostile import laughs
from tests.servers import serving
from tests.turtle import prefixes

TESTS = Path(__file__).parents[1]
TOY = str(TESTS / "data" / "toygroup.ttl")
GLEIF = TESTS / "data" / "gleif" / "sample.csv"
NO_DATA = ["--no-default-data"]
RDF_NS = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e.org/"'
PREFIXES = prefixes()


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def one_line_error(result, *words: str) -> str:
    """The run ended with exit 2 and one line on standard error holding ``words``."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def groupkg(*args: str, cwd: Path | None = None, stdout=subprocess.PIPE):
    """Run the command line in a process of its own (a crash must not end the tests)."""
    code = "import sys; from groupkg.graph.cli import main; main(sys.argv[1:])"
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, stdout=stdout,
        stderr=subprocess.PIPE, text=True, timeout=120,
    )  # fmt: skip


def _write(folder: Path, name: str, text: str | bytes) -> str:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


# ---- 1. entity expansion and deep nesting ----


@pytest.mark.parametrize("how", ["data", "import", "validate"])
def test_xml_entity_declarations_are_refused_before_parsing(tmp_path: Path, how: str):
    path = _write(tmp_path, "laughs.rdf", laughs(6))
    assert len(Path(path).read_bytes()) < 1000  # asks for 4 MB (a few levels more: GB)
    args = {
        "data": [*NO_DATA, "--data", path, "info"],
        "import": [*NO_DATA, "--store", f"oxigraph:{tmp_path / 'store'}", "import", path],
        "validate": ["validate", path],
    }[how]
    one_line_error(run(*args), "laughs.rdf", "line 3", "entity declarations are refused")


def test_an_external_entity_is_refused(tmp_path: Path):
    secret = _write(tmp_path, "secret.txt", "s3cret")
    path = _write(
        tmp_path, "ext.rdf",
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://e.org/a">'
        "<e:label>&x;</e:label></rdf:Description></rdf:RDF>\n",
    )  # fmt: skip
    result = run(*NO_DATA, "--data", path, "sparql", "--format", "csv",
                 "SELECT ?l WHERE { ?s <http://e.org/label> ?l }")  # fmt: skip
    one_line_error(result, "ext.rdf", "refused")
    assert "s3cret" not in result.output


def test_rdf_xml_with_a_doctype_but_no_entities_still_loads(tmp_path: Path):
    path = _write(
        tmp_path, "plain.rdf",
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF>\n'
        f'<rdf:RDF {RDF_NS}><rdf:Description rdf:about="http://e.org/a">'
        "<e:label>A</e:label></rdf:Description></rdf:RDF>\n",
    )  # fmt: skip
    result = run(*NO_DATA, "--data", path, "sparql", "--format", "csv",
                 "SELECT ?l WHERE { ?s <http://e.org/label> ?l }")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["l", "A"]


def test_deeply_nested_rdf_xml_is_refused(tmp_path: Path):
    depth = 5000  # parsed in quadratic time: 30,000 levels took 13 s
    path = _write(
        tmp_path, "deep.rdf",
        f"<rdf:RDF {RDF_NS}>" + "<rdf:Description><e:p>" * depth + "<rdf:Description/>"
        + "</e:p></rdf:Description>" * depth + "</rdf:RDF>\n",
    )  # fmt: skip
    one_line_error(run(*NO_DATA, "--data", path, "info"), "deep.rdf", "nested more than 256")
    one_line_error(run("validate", path), "deep.rdf", "nested more than 256")


def test_deeply_nested_json_ld_is_refused(tmp_path: Path):
    depth = 3000  # parsed in quadratic time: 3,000 levels took 8 s
    path = _write(
        tmp_path, "deep.jsonld",
        '{"@id": "http://e.org/a", "http://e.org/p": ' + '{"http://e.org/p": ' * depth
        + '"x"' + "}" * depth + "}\n",
    )  # fmt: skip
    one_line_error(run(*NO_DATA, "--data", path, "info"), "deep.jsonld", "nested more than")


@pytest.mark.parametrize(
    "name, text",
    [
        ("deep.ttl", "@prefix : <http://e.org/> .\n:a :b " + "<<( :s :p " * 100_000
         + ":o" + " )>>" * 100_000 + " .\n"),
        ("deep.nt", "<http://e.org/a> <http://e.org/b> " + "<<( <http://e.org/s> <http://e.org/p> "
         * 100_000 + "<http://e.org/o>" + " )>>" * 100_000 + " .\n"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("how", ["data", "import"])
def test_deeply_nested_triple_terms_are_refused_not_a_crash(
    tmp_path: Path, name: str, text: str, how: str
):
    path = _write(tmp_path, name, text)
    args = {
        "data": [*NO_DATA, "--data", path, "info"],
        "import": [*NO_DATA, "--store", f"oxigraph:{tmp_path / 'store'}", "import", path],
    }[how]
    done = groupkg(*args)  # the parser overflowed its stack: a segmentation fault
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    (line,) = done.stderr.strip().splitlines()
    assert name in line and "line 2" if name.endswith(".ttl") else "line 1" in line
    assert "triple terms nested more than 256" in line


def test_a_few_levels_of_triple_terms_still_load(tmp_path: Path):
    path = _write(
        tmp_path, "shallow.ttl",
        "@prefix : <http://e.org/> .\n# << >> in a comment\n"
        ':a :b <<( :s :p <<( :s :p ">>" )>> )>> .\n',
    )  # fmt: skip
    result = run(*NO_DATA, "--data", path, "info", "--json")
    assert result.exit_code == 0, result.output


# ---- 2. what reached the user as a traceback ----


def test_a_literal_over_16_mib_is_one_line(tmp_path: Path):
    path = _write(
        tmp_path, "big.ttl",
        '<http://e.org/a> <http://e.org/p> "' + "x" * (17 << 20) + '" .\n',
    )  # fmt: skip
    one_line_error(run(*NO_DATA, "--data", path, "info"), "big.ttl", "16 MiB")
    store = f"oxigraph:{tmp_path / 'store'}"
    one_line_error(run(*NO_DATA, "--store", store, "import", path), "big.ttl", "16 MiB")


def test_a_share_count_of_5000_digits_is_a_row_error(tmp_path: Path):
    path = _write(tmp_path, "h.csv", "owner,owned,shares\nAcme,Beta," + "9" * 5000 + "\n")
    line = one_line_error(run(*NO_DATA, "--data", path, "info"))
    assert line.endswith("h.csv:2: shares: 5000 digits: no share count has more than 30")


def _zip_with_flags(tmp_path: Path, flag: int) -> str:
    path = tmp_path / "rr.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(GLEIF, "rr.csv")
    data = bytearray(path.read_bytes())
    data[6] |= flag  # the local header's flags
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= flag  # the central directory's
    path.write_bytes(bytes(data))
    return str(path)


def test_a_gleif_zip_with_an_encrypted_member_is_one_line(tmp_path: Path):
    path = _zip_with_flags(tmp_path, 0x1)
    one_line_error(run(*NO_DATA, "import", path), "rr.zip", "rr.csv is encrypted")


def test_a_gleif_zip_with_a_corrupt_member_is_one_line(tmp_path: Path):
    path = Path(_zip_with_flags(tmp_path, 0))
    data = bytearray(path.read_bytes())
    for offset in (60, 100, 140):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    one_line_error(run(*NO_DATA, "import", str(path)), "rr.zip", "(zip)")


def test_export_into_a_missing_folder_is_one_line(tmp_path: Path):
    target = tmp_path / "missing" / "out.ttl"
    one_line_error(run(*NO_DATA, "--data", TOY, "export", "--format", "ttl", "-o", str(target)),
                   "out.ttl", "cannot write it")  # fmt: skip
    assert not target.parent.exists()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_export_onto_a_full_device_is_one_line():
    result = run(*NO_DATA, "--data", TOY, "export", "--format", "ttl", "-o", "/dev/full")
    one_line_error(result, "/dev/full", "No space left on device")


class _FullDisk:
    """``open`` for :mod:`groupkg.graph.output` whose files fill up after 100 bytes."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def __call__(self, target, mode="r", *args, **kwargs):
        stream = open(target, mode, *args, **kwargs)  # noqa: SIM115
        self.opened.append(str(target))
        real_write = stream.write

        def write(data: bytes) -> int:
            if stream.tell() + len(data) > 100:
                real_write(data[:100])
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(data)

        stream.write = write
        return stream


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "ttl"],
        ["export", "--format", "csv", "--lossy"],
        ["render", "--at", "2020-06-30"],
        ["parents", "--at", "2020-06-30", "--quiet"],
    ],
)
def test_a_full_disk_leaves_the_old_file_and_no_partial_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
):
    target = tmp_path / "out.txt"
    target.write_text("the previous contents\n", encoding="utf-8")
    full = _FullDisk()
    monkeypatch.setattr(output, "open", full, raising=False)
    result = run(*NO_DATA, "--data", TOY, *command, "-o", str(target))
    one_line_error(result, "out.txt", "No space left on device")
    assert full.opened, "the file was not written through the atomic helper"
    assert target.read_text(encoding="utf-8") == "the previous contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_written_file_is_whole(tmp_path: Path):
    target = tmp_path / "view.html"
    result = run(*NO_DATA, "--data", TOY, "render", "--at", "2020-06-30", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["view.html"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_service_call_to_an_unreachable_endpoint_is_one_line(fmt: str):
    where = f"http://127.0.0.1:{_closed_port()}/sparql"
    query = f"SELECT * WHERE {{ SERVICE <{where}> {{ ?s ?p ?o }} }}"
    result = run(*NO_DATA, "--data", TOY, "sparql", "--format", fmt, query)
    one_line_error(result, "SPARQL query failed", "refused")


def test_a_folder_that_is_not_a_store_is_one_line(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("not a store", encoding="utf-8")
    done = groupkg("parents", "--store", "oxigraph:.", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "no oxigraph store" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # nothing created
    (tmp_path / "CURRENT").write_text("damaged", encoding="utf-8")
    one_line_error(run("parents", "--store", f"oxigraph:{tmp_path}"), "cannot open the store")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["info"], ["export", "--format", "ttl"], ["owners", "IIJ"]])
def test_standard_output_on_a_full_disk_is_one_line(args: list[str]):
    with open("/dev/full", "w") as full:
        done = groupkg(*args, stdout=full)
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "No space left on device" in line


def test_a_full_disk_during_a_bulk_load_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    lines = [f'<http://e.org/s{i}> <http://e.org/p> "value {i}" .\n' for i in range(2000)]
    data = _write(tmp_path, "many.nt", "".join(lines))
    store = open_store(f"oxigraph:{tmp_path / 'store'}", default_data=False, writable=True)
    assert isinstance(store, OxigraphStore)
    before = len(store)

    class FillsUp:
        """The store, whose disk fills up on the second block of the bulk load."""

        def __init__(self, inner):
            self.inner, self.calls = inner, 0

        def bulk_load(self, **kwargs):
            self.calls += 1
            if self.calls == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.inner.bulk_load(**kwargs)

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def __len__(self):
            return len(self.inner)

    monkeypatch.setattr(ntriples_module, "BLOCK_BYTES", 4096)  # several blocks
    real = store.store
    store.store = FillsUp(real)
    with pytest.raises(InputError, match="many.nt: the import failed, nothing of it was added"):
        import_file(store, Path(data))
    assert store.store.calls == 2
    store.store = real
    assert len(store) == before
    assert not store.select("SELECT ?s WHERE { ?s <http://e.org/p> ?o } LIMIT 1")
    assert list(real.named_graphs()) == [staging_module.META] or not list(real.named_graphs())
    store.close()


class _Endpoint(http.server.BaseHTTPRequestHandler):
    body = b""
    media_type = "application/sparql-results+json"

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", self.media_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[type[_Endpoint]]:
    handler = type("Answers", (_Endpoint,), {})
    with serving(handler) as url:
        handler.url = url  # type: ignore[attr-defined]
        yield handler


@pytest.mark.parametrize(
    "body, media_type",
    [
        (b"{}", "application/sparql-results+json"),
        (b"[]", "application/sparql-results+json"),
        (b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal"}}]}}',
         "application/sparql-results+json"),
        (b"<html><body>Welcome</body></html>", "text/html"),
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    "command", [["info"], ["owners", "IIJ"], ["sparql", "ASK {}"], ["parents"]]
)
def test_an_endpoint_answering_nonsense_is_one_line(
    endpoint, body: bytes, media_type: str, command: list[str]
):
    endpoint.body, endpoint.media_type = body, media_type
    result = run("--store", f"sparql:{endpoint.url}", *command)
    one_line_error(result, "did not answer with")


@pytest.mark.parametrize(
    "body, media_type",
    [
        (b"{}", "application/sparql-results+json"),
        (b"[" * 100_000, "application/sparql-results+json"),
        (b'{"head": {"vars": ["n"]}, "results": {"bindings": [{}]}}',
         "application/sparql-results+json"),
        (b"<html><body>Welcome</body></html>", "text/html"),
        (b"<html><body>Welcome</body></html>", "application/n-triples"),
        (b"?s\t?k\t?o\nnot a term\n", "text/tab-separated-values"),
        (b"<html><body>Welcome</body></html>", "application/sparql-results+xml"),
        (b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="n"/>'
         b"</head><results><result/></results></sparql>", "application/sparql-results+xml"),
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    "command",
    [["info"], ["owners", "IIJ"], ["parents", "--at", "2014-01-01"], ["validate"],
     ["export", "--format", "ttl"], ["init"]],
)  # fmt: skip
def test_an_endpoint_answering_nonsense_is_one_line_for_every_reader(
    endpoint, body: bytes, media_type: str, command: list[str]
):
    # export and validate parsed the answer to their CONSTRUCT unchecked, the analytics
    # read a variable a row did not have, init read 100,000 "[" as JSON: tracebacks.
    endpoint.body, endpoint.media_type = body, media_type
    result = run("--store", f"sparql:{endpoint.url}", *command)
    one_line_error(result, endpoint.url, "did not answer")


# ---- 4. formula cells ----

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+SUM(1,2)", "-2+3", "@cmd"]


@pytest.mark.parametrize("cell", [*FORMULAS, "\tTab", "\rCR", "'=already quoted", "''-x"])
def test_every_formula_start_is_neutralised_and_reads_back(cell: str):
    from groupkg.graph.formats.csvholdings import _unquote_formula, spreadsheet_safe

    safe = spreadsheet_safe(cell)
    assert safe == "'" + cell and _unquote_formula(safe) == cell
    assert spreadsheet_safe("Acme 'quoted'") == "Acme 'quoted'"


def test_csv_export_neutralises_formula_cells_and_reads_back_the_same(tmp_path: Path):
    rows = "".join(f'"{name.replace(chr(34), chr(34) * 2)}",Target Co,{10 + i}\n'
                   for i, name in enumerate(FORMULAS))  # fmt: skip
    source = _write(tmp_path, "in.csv", "owner,owned,percent\n" + rows)
    exported = tmp_path / "out.csv"
    result = run(*NO_DATA, "--data", source, "export", "--format", "csv", "-o", str(exported))
    assert result.exit_code == 0, result.output
    import csv

    with exported.open(encoding="utf-8", newline="") as stream:
        cells = [row["owner"] for row in csv.DictReader(stream)]
    assert sorted(cells) == sorted("'" + name for name in FORMULAS)
    for cell in cells:
        assert cell[0] not in "=+-@\t\r"
    # Read back, the names are the ones written.
    again = run(*NO_DATA, "--data", str(exported), "holdings", "=HYPERLINK(\"http://evil.example\",\"x\")",
                "--json")  # fmt: skip
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["entity"]["name"] == FORMULAS[0]


# ---- 5. ambiguous names in a CSV file ----


def test_an_ambiguous_name_in_a_csv_row_is_an_error_listing_the_candidates(tmp_path: Path):
    known = _write(
        tmp_path, "known.ttl",
        PREFIXES + '<http://e.org/a1> a gk:LegalEntity ; rdfs:label "Acme Inc." .\n'
        '<http://e.org/a2> a gk:LegalEntity ; rdfs:label "Acme Ltd." .\n',
    )  # fmt: skip
    rows = _write(tmp_path, "h.csv", "owner,owned,percent\nBeta,Gamma,10\nBeta,Acme,50\n")
    store = f"oxigraph:{tmp_path / 'store'}"
    assert run(*NO_DATA, "--store", store, "import", known).exit_code == 0
    result = run(*NO_DATA, "--store", store, "import", rows)
    line = one_line_error(result, "h.csv:3: owned:", "'Acme' names more than one entity")
    assert "Acme Inc. (http://e.org/a1)" in line and "Acme Ltd. (http://e.org/a2)" in line
    answer = run(*NO_DATA, "--store", store, "info", "--json")
    assert json.loads(answer.stdout)["entities"] == 2  # nothing of the file was added


# ---- 6. control characters ----

EVIL = "Evil\x1b]0;pwned\x07\x9b31m Co\u202e"


def _evil_group(tmp_path: Path) -> str:
    escaped = EVIL.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
    return _write(
        tmp_path, "evil.ttl",
        PREFIXES + f'<http://e.org/a> a gk:LegalEntity ; rdfs:label "{escaped}" .\n'
        '<http://e.org/b> a gk:LegalEntity ; rdfs:label "Held Co" .\n'
        "<http://e.org/h> a gk:Holding ; gk:owner <http://e.org/a> ; gk:owned <http://e.org/b> ;"
        ' gk:percent 60 ; gk:validFrom "2000-01-01"^^xsd:date .\n',
    )  # fmt: skip


@pytest.mark.parametrize(
    "command",
    [["owners", "Held Co"], ["paths", "Held Co"], ["entity", "http://e.org/a"],
     ["sparql", "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"]],
)  # fmt: skip
def test_control_characters_in_names_are_shown_not_acted_on(tmp_path: Path, command):
    data = _evil_group(tmp_path)
    result = run(*NO_DATA, "--data", data, *command, "--at", "2020-01-01") if command[0] != \
        "sparql" else run(*NO_DATA, "--data", data, *command)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert EVIL[:4] in result.stdout
    for char in "\x1b\x07\x9b\u202e":
        assert char not in result.stdout
    assert "Evil\\x1b]0;pwned\\x07\\x9b31m Co\\u202e" in result.stdout


def test_json_output_keeps_names_exact(tmp_path: Path):
    result = run(*NO_DATA, "--data", _evil_group(tmp_path), "owners", "Held Co", "--json",
                 "--at", "2020-01-01")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert json.loads(result.stdout)["owners"][0]["name"] == EVIL


def test_xml_results_and_graphml_stay_well_formed(tmp_path: Path):
    data = _evil_group(tmp_path)
    query = "SELECT ?l WHERE { <http://e.org/a> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    result = run(*NO_DATA, "--data", data, "sparql", "--format", "xml", query)
    assert result.exit_code == 0, result.output
    document = xml.dom.minidom.parseString(result.stdout.encode("utf-8"))
    (literal,) = document.getElementsByTagName("literal")
    assert literal.firstChild.data == "Evil\\x1b]0;pwned\\x07\x9b31m Co\u202e"
    graphml = tmp_path / "g.graphml"
    result = run(*NO_DATA, "--data", data, "export", "--format", "graphml", "--at", "2020-01-01",
                 "-o", str(graphml))  # fmt: skip
    assert result.exit_code == 0, result.output
    labels = {
        d.firstChild.data
        for d in xml.dom.minidom.parse(str(graphml)).getElementsByTagName("data")
        if d.firstChild is not None
    }
    assert "Evil\\x1b]0;pwned\\x07\x9b31m Co\u202e" in labels


# ---- 7. smaller ----


def test_csv_import_accepts_9999_12_31(tmp_path: Path):
    path = _write(tmp_path, "far.csv", "owner,owned,percent,start_date,end_date\n"
                  "Acme,Beta,50,2000-01-01,9999-12-31\n")  # fmt: skip
    result = run(*NO_DATA, "--data", path, "owners", "Beta", "--at", "2020-01-01", "--json")
    assert result.exit_code == 0, result.output
    (owner,) = json.loads(result.stdout)["owners"]
    assert owner["name"] == "Acme" and owner["percent"] == 50


@pytest.mark.parametrize(
    "args",
    [
        ["owners"],
        ["nosuchcommand"],
        ["--bogus", "info"],
        ["info", "--bogus"],
        ["sparql", "--format", "nope", "ASK {}"],
        ["owners", "IIJ", "--at"],
        ["parents", "--threshold", "many"],
    ],
)
def test_every_usage_error_is_one_line(args: list[str]):
    one_line_error(run(*args), "Error: ", "--help")


def test_init_on_a_new_store_writes_the_ontology_once(tmp_path: Path):
    memory = len(open_store("memory", default_data=False))
    store = f"oxigraph:{tmp_path / 'store'}"
    for _ in range(2):  # and a second init adds nothing
        result = run(*NO_DATA, "--store", store, "init")
        assert result.exit_code == 0, result.output
        answer = run(*NO_DATA, "--store", store, "info", "--json")
        assert json.loads(answer.stdout)["triples"] == memory
