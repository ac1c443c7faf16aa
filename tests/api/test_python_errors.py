"""The errors a Python user meets: public classes with the name, the candidates, the
file, line and field as attributes; messages that speak of the library, not of the
command line's options; and the same answer from Python, the command line and the
server where an entity holds nothing of another, or is asked about itself."""

from __future__ import annotations

import inspect
import json
import pickle
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

import groupkg.graph as gk
from groupkg.graph import (
    AmbiguousName,
    BadInput,
    Dataset,
    Entity,
    Group,
    ImportProblem,
    InputError,
    UnknownName,
    import_file,
    open_store,
)
from groupkg.graph.cli import cli

TOY = Path(__file__).parents[1] / "data" / "toygroup.ttl"
BASE = ["--no-default-data", "--data", str(TOY)]
AT = "2020-06-30"


@pytest.fixture(scope="module")
def toy() -> Group:
    store = open_store("memory", default_data=False)
    import_file(store, TOY)
    return Group(store)


def test_an_unknown_name_carries_the_name_and_the_close_names(toy):
    with pytest.raises(UnknownName) as raised:
        toy.owners("Gama", AT)
    assert raised.value.name == "Gama"
    assert raised.value.candidates == ["Gamma"]
    assert "closest: Gamma" in str(raised.value)
    assert isinstance(raised.value, InputError)


def test_a_name_nothing_is_close_to_has_no_candidates(toy):
    with pytest.raises(UnknownName) as raised:
        toy.resolve("zzzz")
    assert (raised.value.name, raised.value.candidates) == ("zzzz", [])


def test_an_ambiguous_name_carries_the_name_and_every_entity_so_called():
    twins = {i: Entity(i, "Twin") for i in ("urn:t:2", "urn:t:1")}
    group = Group(open_store("memory", default_data=False), dataset=Dataset(twins))
    with pytest.raises(AmbiguousName) as raised:
        group.resolve("twin")
    assert (raised.value.name, raised.value.candidates) == ("twin", ["urn:t:1", "urn:t:2"])


@pytest.mark.parametrize("name", [None, 3, b"Gamma", ["Gamma"]], ids=repr)
def test_a_name_that_is_not_text_is_an_input_error_not_a_type_error(toy, name):
    with pytest.raises(InputError, match=r"^a name is text; got "):
        toy.owners(name, AT)
    with pytest.raises(InputError, match=r"^a name is text; got "):
        Group.around(toy.store, [name])


def test_a_file_error_carries_the_file_the_line_and_the_field(tmp_path):
    holdings = tmp_path / "holdings.csv"
    holdings.write_text("owner,owned,percent,start_date\nHoldco,Subco,150,2020-01-01\n")
    with pytest.raises(BadInput) as raised:
        import_file(open_store("memory", default_data=False), holdings)
    error = raised.value
    assert (error.file, error.line, error.location, error.field) == (str(holdings), 2, 2, "percent")
    assert [p.reason for p in error.problems] == ["150 is not a percentage between 0 and 100"]


def test_a_file_that_cannot_be_read_is_named_as_the_error_s_file(tmp_path):
    missing = tmp_path / "missing.csv"
    store = open_store("memory", default_data=False)
    for read in (lambda: import_file(store, missing), lambda: gk.add_files(store, [missing])):
        with pytest.raises(InputError) as raised:
            read()
        assert raised.value.file == str(missing)
        assert str(raised.value).startswith(str(missing))


def test_several_problems_keep_the_file_and_leave_the_place_to_each():
    error = BadInput([ImportProblem("h.csv", 2, "percent", "x"),
                      ImportProblem("h.csv", "/0", "owner", "y")])  # fmt: skip
    assert (error.file, error.location, error.line, error.field) == ("h.csv", None, None, None)


@pytest.mark.parametrize(
    "error",
    [
        InputError("bad", file="f.csv", location=3, field="percent"),
        UnknownName("no entity is called 'x'", "x", ["y"]),
        AmbiguousName("two", ["b", "a"], "t"),
        BadInput([ImportProblem("h.csv", 2, "percent", "x")]),
    ],
    ids=lambda e: type(e).__name__,
)
def test_an_error_keeps_its_message_and_attributes_when_copied(error):
    # a server worker sends its errors back pickled
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("nowhere", "'nowhere' is not a store (use memory, oxigraph:PATH or sparql:URL)"),
        ("sparql:ftp://x", "'ftp://x' is not an http:// or https:// URL"),
    ],
)
def test_a_bad_store_is_named_without_the_command_line_option(spec, message):
    with pytest.raises(InputError) as raised:
        open_store(spec)
    assert (str(raised.value), raised.value.field) == (message, "store")
    result = CliRunner().invoke(cli, ["--store", spec, "info"])
    assert (result.exit_code, result.output) == (2, f"Error: --store: {message}\n")


def test_no_public_docstring_speaks_of_a_command_line_option():
    for name in gk.__all__:
        doc = inspect.getdoc(getattr(gk, name)) or ""
        assert "--store" not in doc and "--data" not in doc, name


def _server_answer(url: str, route: str, **params: str) -> tuple[int, dict]:
    address = f"{url}/api/{route}?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(address) as response:  # noqa: S310 - a local server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def served(start_server):  # type: ignore[no-untyped-def]
    return start_server(*BASE)


def test_the_effective_stake_of_an_entity_in_itself_is_refused_everywhere(toy, served):
    with pytest.raises(InputError) as raised:
        toy.effective("Gamma", "gamma", AT)
    message = str(raised.value)
    assert "the effective ownership of an entity in itself is not defined" in message
    result = CliRunner().invoke(cli, [*BASE, "effective", "Gamma", "gamma", "--at", AT])
    assert (result.exit_code, result.output) == (2, f"Error: {message}\n")
    status, body = _server_answer(served, "effective", owner="Gamma", target="gamma", at=AT)
    assert (status, body) == (400, {"error": message})


def test_no_stake_at_all_is_no_figure_with_a_reason_not_zero(toy, served):
    answer = toy.effective("Gamma", "Parent Co", AT)  # Gamma holds nothing of its parent
    assert (answer["percent"], answer["percent_min"], answer["percent_max"]) == (
        None, None, None)  # fmt: skip
    assert answer["reason"] == "no chain of holdings leads from the owner to the target"
    result = CliRunner().invoke(
        cli, [*BASE, "effective", "Gamma", "Parent Co", "--at", AT, "--json"])  # fmt: skip
    assert result.exit_code == 1  # nothing found
    assert json.loads(result.output) == answer
    text = CliRunner().invoke(cli, [*BASE, "effective", "Gamma", "Parent Co", "--at", AT])
    assert text.output.endswith(f"on {AT}: no stake ({answer['reason']})\n")
    assert _server_answer(served, "effective", owner="Gamma", target="Parent Co", at=AT) == (
        200, answer)  # fmt: skip


def test_an_entity_that_does_not_exist_yet_has_no_stake_and_says_so(toy):
    answer = toy.effective("Parent Co", "Gamma", "1900-01-01")
    assert answer["percent_max"] is None
    assert answer["reason"].endswith("on that day")


def test_a_stake_found_has_figures_and_no_reason(toy):
    answer = toy.effective("Parent Co", "Beta", AT)
    assert (answer["percent"], answer["reason"]) == (60, None)


def test_a_stated_stake_of_exactly_zero_is_zero_not_missing():
    names = {e: Entity(e, e.title()) for e in ("parent", "alpha")}
    zero = Dataset(names, [gk.Holding("h", "parent", "alpha", 0.0)])
    group = Group(open_store("memory", default_data=False), dataset=zero)
    answer = group.effective("Parent", "Alpha", "2024-01-01")
    assert (answer["percent"], answer["percent_max"], answer["reason"]) == (0, 0, None)
    owners = group.owners("Alpha", "2024-01-01")["owners"]
    assert [(o["percent"], o["percent_min"], o["percent_max"]) for o in owners] == [(0, 0, 0)]


def test_an_owner_of_unknown_percent_is_none_not_zero():
    names = {e: Entity(e, e.title()) for e in ("parent", "alpha")}
    unknown = Dataset(names, [gk.Holding("h", "parent", "alpha", None)])
    group = Group(open_store("memory", default_data=False), dataset=unknown)
    owners = group.owners("Alpha", "2024-01-01")["owners"]
    assert [(o["percent"], o["percent_min"], o["percent_max"]) for o in owners] == [
        (None, None, None)]  # fmt: skip
    answer = group.effective("Parent", "Alpha", "2024-01-01")
    assert (answer["percent"], answer["percent_min"], answer["percent_max"]) == (None, 0, 100)
    assert answer["reason"] is None
