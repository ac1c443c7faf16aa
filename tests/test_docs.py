"""docs/ held to the code: a page that no longer says what the program does fails here.

``docs/json.md`` lists every command and route with the fields of its answer; the
fields are compared with the keys of real answers on the bundled IIJ data (the command
line through click's runner, the routes through a started ``groupkg serve``), the
values with the types listed, and each example introduced as "A real answer, of
`COMMAND`:" with what the command prints today. ``docs/rules.md`` and
``docs/definitions.md`` hold tables and defaults the code also holds (the interest
kinds each measure weighs, the bases of an ultimate parent, the control threshold and
the affiliate floor); those are compared too, and every link between the pages
resolves.
"""

from __future__ import annotations

import json
import re
import shlex
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli
from groupkg.graph.cli.options import Settings
from groupkg.graph.serve.api import _ACCEPTS
from groupkg.graph.serve.api import API as _API
from groupkg.graph.timemodel.register import BASES
from groupkg.graph.timemodel.stakes import WEIGHING

DOCS = Path(__file__).parent.parent / "docs"
JSON_DOC = (DOCS / "json.md").read_text(encoding="utf-8")

# A group whose reported ultimate parent completes the chain the direct records leave
# open (``reported_links`` is empty on the IIJ data), added to the IIJ data.
COMPLETED = """owner,owned,percent,start_date,end_date,source,interest_type
Top Co,Mid Co,60,2020-01-01,,Toy register,shareholding
Top Co,Sub Co,,2020-01-01,,Toy register,ultimateConsolidation
"""

MERGED = """@prefix gk: <https://w3id.org/groupkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<urn:toy:acme> a gk:LegalEntity ; rdfs:label "Acme Ltd" ; gk:lei "529900T8BM49AURSDO55" .
<urn:toy:acme-2> a gk:LegalEntity ; rdfs:label "ACME LIMITED" ; gk:lei "529900T8BM49AURSDO55" .
"""

SELECT = "SELECT ?e WHERE { ?e a <http://www.w3.org/ns/org#ChangeEvent> } LIMIT 2"

# The questions whose answers, together, show every field json.md lists for a command.
QUESTIONS: dict[str, list[list[str]]] = {
    "info": [["info"]],
    "entity": [
        ["entity", "IIJ", "--at", "2013-09-30"],
        ["entity", "IIJ Exlayer USA", "--at", "2014-01-01"],
        # records of two sources with one LEI: one entity, with its records
        ["entity", "Acme Ltd", "--at", "2021-01-01", "--data", "{merged}"],
    ],
    "owners": [
        ["owners", "IIJ Exlayer USA", "--at", "2013-12-31"],
        ["owners", "IIJ Exlayer USA", "--at", "2014-01-01"],  # on two scheduled mergers
    ],
    "holdings": [
        ["holdings", "IIJ Exlayer", "--at", "2013-12-31"],
        ["holdings", "IIJ", "--at", "2014-06-01"],
    ],
    "paths": [
        ["paths", "IIJ Exlayer USA", "--at", "2013-12-31"],
        ["paths", "IIJ Exlayer USA", "--at", "2014-01-01"],
        ["paths", "Sub Co", "--at", "2021-01-01", "--data", "{completed}"],
    ],
    "effective": [["effective", "Koichi Suzuki", "IIJ", "--at", "2013-12-31"]],
    "perimeter": [["perimeter", "Koichi Suzuki", "--at", "2013-12-31", "--affiliate-min", "5"]],
    "control": [
        ["control", "IIJ", "--at", "2013-12-31"],
        ["control", "IIJ Exlayer", "--at", "2013-12-31"],
    ],
    "parents": [
        ["parents", "--at", "2014-01-01"],
        ["parents", "--at", "2014-01-01", "-o", "{tmp}/parents.csv"],
    ],
    "diff": [
        ["diff", "--before", "2013-09-29", "--after", "2013-11-08"],
        ["diff", "--before", "2009-09-30", "--after", "2014-01-01", "--root", "IIJ"],
        ["diff", "--before", "2013-12-31", "--after", "2014-01-01"],
        [
            "diff",
            "--known-before",
            "2013-11-06",
            "--known-after",
            "2013-11-07",
            "--at",
            "2013-08-06",
        ],
        [
            "diff",
            "--known-before",
            "2013-07-01",
            "--known-after",
            "2013-07-02",
            "IIJ",
            "--at",
            "2013-08-06",
        ],
    ],
    "events": [["events"]],
    "history": [
        ["history", "IIJ"],
        ["history", "Sub", "--no-default-data", "--data", "{chain}"],
    ],
    "validate": [["validate"]],
    "sparql": [["sparql", SELECT], ["sparql", "ASK { ?s ?p ?o }"]],
    "init": [["init"]],
    "import": [["import", "{completed}"], ["import", "{bods}"]],
    "links": [["links", "Acme Ltd", "--no-default-data", "--data", "{links}"]],
}

# For each route that answers as a command does, one question asked both ways (the
# route's URL is made from the command's arguments by :func:`_url`).
ROUTE_QUESTIONS = [
    ["info"],
    ["entity", "IIJ", "--at", "2013-09-30"],
    ["owners", "IIJ Exlayer", "--at", "2013-12-31"],
    ["holdings", "IIJ", "--at", "2013-12-31"],
    ["paths", "IIJ Exlayer USA", "--at", "2014-01-01"],
    ["perimeter", "Koichi Suzuki", "--at", "2013-12-31", "--affiliate-min", "5"],
    ["effective", "Koichi Suzuki", "IIJ", "--at", "2013-12-31"],
    ["control", "IIJ Exlayer", "--at", "2013-12-31", "--rules", "uk-psc,ias-28"],
    ["diff", "--before", "2013-12-31", "--after", "2014-01-01", "--root", "IIJ"],
    ["events", "--entity", "IIJ", "--from", "2013-01-01"],
    ["history", "IIJ Exlayer"],
    ["links", "IIJ"],
]

# Two records a judgement parts, and a look-alike of one of them.
LINKS = """\
@prefix gk: <https://w3id.org/groupkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix e: <https://example.org/docs/> .
e:acme a gk:LegalEntity ; rdfs:label "Acme Ltd" ; gk:jurisdiction "GB" ;
    gk:hasIdentifier [ a gk:Identifier ; gk:identifierScheme "GB-COH" ;
                       gk:identifierValue "01234567" ] .
e:acme-plc a gk:LegalEntity ; rdfs:label "ACME PLC" ; gk:jurisdiction "GB" .
e:acme-inc a gk:LegalEntity ; rdfs:label "Acme Inc." ; gk:jurisdiction "US" .
e:judgement a gk:IdentityJudgement ; gk:judgedRecord e:acme, e:acme-inc ;
    gk:sameEntity false ; gk:judgedBy "ana" ; gk:judgedOn "2026-01-05"^^xsd:date ;
    rdfs:comment "A US company of the same name." .
"""

# Routes with shapes of their own, and the questions that show every field.
OWN_ROUTES = {
    "/api/changes": ["/api/changes?entity=IIJ", "/api/changes"],
    "/api/entities": ["/api/entities?q=exl"],
    "/api/queries": ["/api/queries"],
    "/api/queries/{name}": ["/api/queries/owners-at?entity=IIJ-Exlayer&date=2013-12-31"],
}


# -- reading the pages ------------------------------------------------------------------


def _sections(text: str, marker: str) -> dict[str, str]:
    """Heading -> body for the headings that start with ``marker`` (``## ``, ``### ``)."""
    found: dict[str, str] = {}
    parts = re.split(rf"^{marker}(.+)$", text, flags=re.M)
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        found[title.strip().strip("`")] = body
    return found


def _part(title: str) -> dict[str, str]:
    return _sections(_sections(JSON_DOC, "## ")[title], "### ")


def _table(body: str) -> dict[str, str]:
    """Field path -> type of each row of a field table."""
    rows = {}
    for line in body.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            rows[cells[0].strip("`")] = cells[1].replace("\\|", "|")
    return rows


SHAPES = {name: _table(body) for name, body in _part("Shapes").items()}
COMMANDS = {name.removeprefix("groupkg "): body for name, body in _part("Commands").items()}
ROUTES = {name.removeprefix("GET "): body for name, body in _part("Routes").items()}


def _alternatives(kind: str) -> list[str]:
    """``A|[B|C]|null`` -> ``["A", "[B|C]", "null"]``: split outside brackets."""
    parts, depth, start = [], 0, 0
    for at, char in enumerate(kind):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(kind[start:at].strip())
            start = at + 1
    return [*parts, kind[start:].strip()]


def _documented(
    rows: dict[str, str], prefix: str = "", table: str = ""
) -> dict[str, tuple[str, str]]:
    """Every field path a table gives, the shapes it names expanded: path -> (its type,
    the row that documents it: ``field`` of the table, or ``shape.field``)."""
    paths: dict[str, tuple[str, str]] = {}
    for path, kind in rows.items():
        paths[prefix + path] = (kind, f"{table}.{path}" if table else path)
        for alternative in _alternatives(kind):
            depth = len(alternative) - len(alternative.lstrip("["))
            for name in _alternatives(alternative.strip("[]")):
                if name in SHAPES:
                    inner = prefix + path + "[]" * depth + "."
                    paths.update(_documented(SHAPES[name], inner, name))
    return paths


def _observed(value: Any, prefix: str, kinds: dict[str, str], found: dict[str, list[Any]]) -> None:
    """Field path -> the values seen there, from ``prefix`` down; a ``map`` is not entered."""
    if isinstance(value, dict):
        if "map" in kinds.get(prefix.rstrip("[]"), ""):
            return
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            found.setdefault(path, []).append(item)
            _observed(item, path, kinds, found)
    elif isinstance(value, list):
        for item in value:
            _observed(item, prefix + "[]", kinds, found)


def _fits(value: Any, kind: str) -> bool:
    """Whether a JSON value is of a type json.md writes as ``kind``."""
    for alternative in _alternatives(kind):
        if alternative.startswith("["):
            if isinstance(value, list):
                return True
        elif alternative == "null":
            if value is None:
                return True
        elif alternative in ("str", "iri", "date"):
            if isinstance(value, str) and (alternative != "date" or re.fullmatch(
                r"\d{4}(-\d{2}(-\d{2})?)?", value
            )):  # fmt: skip
                return True
        elif alternative == "int":
            if isinstance(value, int) and not isinstance(value, bool):
                return True
        elif alternative == "number":
            if isinstance(value, int | float) and not isinstance(value, bool):
                return True
        elif alternative == "bool":
            if isinstance(value, bool):
                return True
        elif alternative in ("map", "object", *SHAPES):
            if isinstance(value, dict):
                return True
    return False


def _check_shape(answers: list[Any], rows: dict[str, str]) -> None:
    """Every key of the answers is documented, with a value of its documented type, and
    every documented field (of the table, or of a shape it uses) is in some answer."""
    documented = _documented(rows)
    kinds = {path: kind for path, (kind, _) in documented.items()}
    found: dict[str, list[Any]] = {}
    for answer in answers:
        _observed(answer, "", kinds, found)
    assert not set(found) - set(documented), "fields json.md does not list"
    unseen = {row for _, row in documented.values()} - {documented[p][1] for p in found}
    assert not unseen, "fields json.md lists that no answer has"
    wrong = {
        path: value for path, values in found.items() for value in values
        if not _fits(value, kinds[path])
    }  # fmt: skip
    assert not wrong, "values of another type than json.md says"


# -- the command line -------------------------------------------------------------------


def _run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("docs")
    completed = folder / "completed.csv"
    completed.write_text(COMPLETED, encoding="utf-8")
    bods = Path(__file__).parent / "data" / "bods-0.2" / "1-single-direct.json"
    links = folder / "links.ttl"
    links.write_text(LINKS, encoding="utf-8")
    merged = folder / "merged.ttl"
    merged.write_text(MERGED, encoding="utf-8")
    chain = Path(__file__).parent / "data" / "knowledge" / "chain.ttl"
    return {"completed": str(completed), "bods": str(bods), "tmp": str(folder),
            "merged": str(merged), "links": str(links), "chain": str(chain)}  # fmt: skip


def _filled(arg: str, files: dict[str, str]) -> str:
    for key, value in files.items():
        arg = arg.replace("{" + key + "}", value)
    return arg


def test_every_command_is_documented_and_every_documented_command_exists() -> None:
    code, text = _run(["--help"])
    assert code == 0
    listed = text.split("Commands:", 1)[1]
    commands = {line.split()[0] for line in listed.splitlines() if line.strip()}
    assert set(COMMANDS) == commands


@pytest.mark.parametrize("command", sorted(QUESTIONS))
def test_command_fields_are_those_documented(command: str, files: dict[str, str]) -> None:
    answers = []
    for question in QUESTIONS[command]:
        args = [_filled(arg, files) for arg in question]
        code, text = _run([*args, "--json"])
        assert code in (0, 1), text
        answers.append(json.loads(text))
    _check_shape(answers, _table(COMMANDS[command]))


def test_every_command_has_a_shape_or_refuses_json() -> None:
    for command, body in COMMANDS.items():
        if _table(body):
            assert command in QUESTIONS, f"{command}: documented, never asked"
            continue
        assert "No `--json`" in body, command
        code, _ = _run(["--json", command])
        assert code == 2, f"{command} takes --json, which json.md says it refuses"


def _real_examples() -> list[tuple[str, str, str]]:
    """(page, command, JSON) of every example marked real."""
    found = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        pattern = r"A real answer, of `(.+?)`:\n\n```json\n(.*?)\n```"
        found += [(page.name, m[1], m[2]) for m in re.finditer(pattern, text, flags=re.S)]
    return found


def test_docs_have_real_examples() -> None:
    assert len(_real_examples()) >= 3


@pytest.mark.parametrize(("page", "command", "example"), _real_examples())
def test_real_example_is_the_answer_today(page: str, command: str, example: str) -> None:
    words = shlex.split(command)
    assert words[0] == "groupkg"
    code, text = _run(words[1:])
    assert code == 0
    assert json.loads(example) == json.loads(text), f"{page}: {command}"


def test_every_json_block_parses() -> None:
    for page in sorted(DOCS.glob("*.md")):
        for block in re.findall(r"```json\n(.*?)\n```", page.read_text(encoding="utf-8"), re.S):
            json.loads(block)


# -- the server -------------------------------------------------------------------------


def _route(path: str) -> str:
    return path.replace(":path}", "}")


def test_every_route_is_documented_and_every_documented_route_exists() -> None:
    assert set(ROUTES) == {_route(p) for p in [*_API, "/api/queries"]}


def test_route_parameters_are_those_documented() -> None:
    for route, accepted in _ACCEPTS.items():
        if route == "/view":
            continue
        line = re.search(r"^Parameters: (.+)$", ROUTES[_route(route)], flags=re.M)
        assert line, route
        if accepted is None:
            assert "placeholders" in line[1], route
        else:
            names = line[1].split(".")[0]
            assert set(re.findall(r"`([^`]+)`", names)) == set(accepted), route


def _get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=60) as answer:
        assert answer.headers["Content-Type"].startswith("application/json")
        return json.loads(answer.read())


@pytest.fixture(scope="module")
def url(start_server: Any) -> str:
    return str(start_server())


def _url(question: list[str]) -> tuple[str, str]:
    """The route that answers a command's question, and the URL that asks it there:
    ``--affiliate-min 5`` is ``affiliate_min=5``, a NAME is the path's ``{name}``, the
    OWNER and TARGET of ``effective`` are ``owner=`` and ``target=``."""
    command, *rest = question
    named, params = [], {}
    while rest:
        word = rest.pop(0)
        if word.startswith("--"):
            params[word[2:].replace("-", "_")] = rest.pop(0)
        else:
            named.append(word)
    route = f"/api/{command}" + ("/{name}" if f"/api/{command}/{{name}}" in ROUTES else "")
    path = route.replace("{name}", urllib.parse.quote(named.pop(0))) if "{" in route else route
    params.update(zip(("owner", "target"), named, strict=False))
    return route, path + ("?" + urllib.parse.urlencode(params) if params else "")


def test_routes_answer_as_their_commands(url: str) -> None:
    asked = {_url(question)[0] for question in ROUTE_QUESTIONS}
    assert asked | set(OWN_ROUTES) == set(ROUTES)
    for question in ROUTE_QUESTIONS:
        route, path = _url(question)
        command = re.search(r"The shape of \[`groupkg (\w+)`\]", ROUTES[route])
        assert command and command[1] == question[0], route
        code, text = _run([*question, "--json"])
        assert code in (0, 1)
        assert _get(url, path) == json.loads(text), route


def test_route_fields_are_those_documented(url: str) -> None:
    for route, paths in OWN_ROUTES.items():
        _check_shape([_get(url, urllib.parse.quote(p, safe="/?=&")) for p in paths],
                     _table(ROUTES[route]))  # fmt: skip


# -- rules and definitions --------------------------------------------------------------


def test_rules_list_the_kinds_each_measure_weighs() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    table = {}
    for measure in WEIGHING:
        row = re.search(rf"^\s*\| {measure} .*?\| (.+) \|$", text, flags=re.M)
        assert row, measure
        table[measure] = tuple(re.findall(r"`(\w+)`", row[1]))
    assert table == WEIGHING


def test_definitions_list_the_bases_of_an_ultimate_parent() -> None:
    text = (DOCS / "definitions.md").read_text(encoding="utf-8")
    assert tuple(re.findall(r"^\| `(\w+)` \|", text, flags=re.M)) == BASES


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_links_between_the_pages_resolve() -> None:
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for target, anchor in re.findall(r"\]\(([\w.]*\.md|)(?:#([\w-]+))?\)", text):
            linked = DOCS / target if target else page
            assert linked.exists(), f"{page.name}: {target}"
            if anchor:
                headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.M)
                assert anchor in {_anchor(h) for h in headings}, f"{page.name}: #{anchor}"


def test_definitions_give_the_defaults_of_the_code() -> None:
    text = (DOCS / "definitions.md").read_text(encoding="utf-8")
    threshold = re.search(r"The threshold\*\* is a percent, (\d+) by default", text)
    floor = re.search(r"affiliate floor, (\d+)% by default", text)
    assert threshold and floor
    perimeter = cli.get_command(click.Context(cli), "perimeter")
    assert perimeter is not None
    default_floor = next(p.default for p in perimeter.params if p.name == "affiliate_min")
    assert (float(threshold[1]), float(floor[1])) == (Settings().threshold, default_floor)
