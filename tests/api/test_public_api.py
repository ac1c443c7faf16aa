"""The public API: what ``groupkg.graph`` and ``groupkg.viz`` export, and a user's way
through it from a file to an answer, an export, a validation and a picture."""

from __future__ import annotations

import datetime as _dt
import importlib
import inspect
from pathlib import Path

import pytest

import groupkg.graph as gk
import groupkg.viz as viz
from groupkg.graph import (
    FORMATS,
    Group,
    InputError,
    OxigraphStore,
    Register,
    export,
    format_of,
    import_file,
    open_store,
    validate_files,
)
from tests.tools import loaded_by

TOY = Path(__file__).parents[1] / "data" / "toygroup.ttl"

# Each public name and the module it is defined in (its home): changing a home, or
# adding or removing a name, is a change of the public API and shows here.
EXPORTED = {
    "AmbiguousName": "facts.names",
    "BadInput": "errors",
    "Dataset": "model",
    "Day": "dates",
    "Entity": "model",
    "EntityRef": "model",
    "Event": "model",
    "FORMATS": "formats.registry",
    "FileFormat": "formats.registry",
    "Group": "group",
    "GroupDiff": "timemodel.diff",
    "GroupkgError": "errors",
    "Holding": "model",
    "ImportProblem": "errors",
    "InputError": "errors",
    "NamedQuery": "facts.queries",
    "Observation": "model",
    "OxigraphStore": "store",
    "PartialDate": "dates",
    "QueryRows": "frames",
    "Register": "timemodel.register",
    "Relation": "model",
    "Snapshot": "timemodel.stakes",
    "SparqlStore": "store",
    "Stake": "timemodel.stakes",
    "Store": "store",
    "Timeline": "timemodel.timeline",
    "UnknownName": "facts.names",
    "ValidationFailed": "errors",
    "ValidationReport": "validate",
    "add_files": "formats.inputs",
    "as_day": "dates",
    "consolidation_paths": "analytics.parents",
    "controlled_by": "analytics.control",
    "controllers_of": "analytics.control",
    "effective_ownership": "analytics.effective",
    "effective_ownership_from": "analytics.effective",
    "export": "formats.exporter",
    "format_of": "formats.registry",
    "frame": "frames",
    "import_file": "formats.importer",
    "load": "loading",
    "load_dataset": "facts.loader",
    "open_store": "store",
    "parse_date": "dates",
    "perimeter": "analytics.perimeter",
    "query": "facts.querying",
    "sparql": "facts.querying",
    "ultimate_parent": "analytics.parents",
    "user_queries": "facts.queries",
    "validate_files": "validate",
    "validate_store": "validate",
    "write_synth": "formats.synth",
}


def test_graph_exports_exactly_the_documented_names_each_from_its_home():
    assert sorted(gk.__all__) == sorted([*EXPORTED, "__version__"])
    assert len(set(gk.__all__)) == len(gk.__all__)
    for name, home in EXPORTED.items():
        module = importlib.import_module(f"groupkg.graph.{home}")
        assert getattr(gk, name) is getattr(module, name), name
    assert set(gk.__all__) <= set(dir(gk))


def test_an_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="no_such_thing"):
        gk.no_such_thing  # noqa: B018 - the attribute access is the test


def test_every_public_function_and_class_is_documented():
    for name in gk.__all__:
        value = getattr(gk, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"groupkg.graph.{name} has no docstring"
    for name in viz.__all__:
        assert inspect.getdoc(getattr(viz, name)), f"groupkg.viz.{name} has no docstring"


def test_importing_the_package_loads_no_analytics_stack():
    # A command-line lookup imports groupkg.graph first: it must not pay for scipy,
    # networkx, rdflib or the web server until a name that needs them is asked for.
    heavy = ("scipy", "networkx", "rdflib", "starlette", "pyvis", "pandas")
    assert loaded_by("import groupkg.graph", heavy) == []


def test_a_user_goes_from_a_file_to_answers_through_the_public_api_alone(tmp_path):
    store = open_store(f"oxigraph:{tmp_path / 'store'}", default_data=False, writable=True)
    assert isinstance(store, OxigraphStore)
    written = import_file(store, TOY)
    assert written > 0
    assert format_of(TOY).name == "ttl"
    assert {"ttl", "bods", "gleif-rr"} <= {f.name for f in FORMATS}

    group = Group(store)
    day = _dt.date(2020, 6, 30)
    owners = group.owners("Beta", day)
    # Beta is 60% held by Parent Co from 2019-01-01 (tests/data/toygroup.ttl, t:h-pb).
    assert [(o["name"], o["percent"]) for o in owners["owners"]] == [("Parent Co", 60)]

    register = Register.from_store(store)
    assert register.position(owners["owners"][0]["id"]) >= 0

    turtle = export(store, "ttl").decode("utf-8")
    assert "Beta" in turtle
    report = validate_files([TOY])
    assert report.conforms, [f.message for f in report.findings]

    view = viz.view_at(group, day, root="Parent Co")
    assert "Beta" in viz.to_html(view)


def test_a_bad_file_is_an_input_error_from_the_public_api(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <", encoding="utf-8")
    store = open_store("memory", default_data=False)
    with pytest.raises(InputError, match="bad.ttl"):
        import_file(store, bad)
