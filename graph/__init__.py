"""groupkg's core: the store, the time model, the analytics and the command line.

The public API is what this module exports; the modules behind it are private in
all but name and may change. ``__version__`` is the version of the installed
distribution.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str

    from groupkg.graph.analytics.control import controlled_by, controllers_of
    from groupkg.graph.analytics.effective import effective_ownership, effective_ownership_from
    from groupkg.graph.analytics.parents import consolidation_paths, ultimate_parent
    from groupkg.graph.analytics.perimeter import perimeter
    from groupkg.graph.dates import Day, PartialDate, as_day, parse_date
    from groupkg.graph.errors import (
        BadInput,
        GroupkgError,
        ImportProblem,
        InputError,
        ValidationFailed,
    )
    from groupkg.graph.facts.loader import load_dataset
    from groupkg.graph.facts.names import AmbiguousName, UnknownName
    from groupkg.graph.facts.queries import NamedQuery, user_queries
    from groupkg.graph.facts.querying import query, sparql
    from groupkg.graph.formats.exporter import export
    from groupkg.graph.formats.importer import import_file
    from groupkg.graph.formats.inputs import add_files
    from groupkg.graph.formats.registry import FORMATS, FileFormat, format_of
    from groupkg.graph.formats.synth import write_synth
    from groupkg.graph.frames import QueryRows, frame
    from groupkg.graph.group import Group
    from groupkg.graph.loading import load
    from groupkg.graph.model import (
        Dataset,
        Entity,
        EntityRef,
        Event,
        Holding,
        Observation,
        Relation,
    )
    from groupkg.graph.store import OxigraphStore, SparqlStore, Store, open_store
    from groupkg.graph.timemodel.diff import GroupDiff
    from groupkg.graph.timemodel.register import Register
    from groupkg.graph.timemodel.stakes import Snapshot, Stake
    from groupkg.graph.timemodel.timeline import Timeline
    from groupkg.graph.validate import ValidationReport, validate_files, validate_store

# Where each public name lives. The package
# imports none of them until one is asked for: a process that needs only the store
# or the time model (a command-line lookup, a reader of a large register) does not
# pay for scipy, networkx or rdflib.
_HOMES: dict[str, list[str]] = {
    "analytics.control": ["controlled_by", "controllers_of"],
    "analytics.effective": ["effective_ownership", "effective_ownership_from"],
    "analytics.parents": ["consolidation_paths", "ultimate_parent"],
    "analytics.perimeter": ["perimeter"],
    "dates": ["Day", "PartialDate", "as_day", "parse_date"],
    "errors": ["BadInput", "GroupkgError", "ImportProblem", "InputError", "ValidationFailed"],
    "facts.loader": ["load_dataset"],
    "facts.names": ["AmbiguousName", "UnknownName"],
    "facts.queries": ["NamedQuery", "user_queries"],
    "facts.querying": ["query", "sparql"],
    "formats.exporter": ["export"],
    "formats.importer": ["import_file"],
    "formats.registry": ["FORMATS", "FileFormat", "format_of"],
    "formats.inputs": ["add_files"],
    "formats.synth": ["write_synth"],
    "frames": ["QueryRows", "frame"],
    "group": ["Group"],
    "loading": ["load"],
    "model": ["Dataset", "Entity", "EntityRef", "Event", "Holding", "Observation", "Relation"],
    "store": ["OxigraphStore", "SparqlStore", "Store", "open_store"],
    "timemodel.diff": ["GroupDiff"],
    "timemodel.register": ["Register"],
    "timemodel.stakes": ["Snapshot", "Stake"],
    "timemodel.timeline": ["Timeline"],
    "validate": ["ValidationReport", "validate_files", "validate_store"],
}  # fmt: skip
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "AmbiguousName",
    "BadInput",
    "Dataset",
    "Day",
    "Entity",
    "EntityRef",
    "Event",
    "FORMATS",
    "FileFormat",
    "Group",
    "GroupDiff",
    "GroupkgError",
    "Holding",
    "ImportProblem",
    "InputError",
    "NamedQuery",
    "Observation",
    "OxigraphStore",
    "PartialDate",
    "QueryRows",
    "Register",
    "Relation",
    "Snapshot",
    "SparqlStore",
    "Stake",
    "Store",
    "Timeline",
    "UnknownName",
    "ValidationFailed",
    "ValidationReport",
    "__version__",
    "add_files",
    "as_day",
    "consolidation_paths",
    "controlled_by",
    "controllers_of",
    "effective_ownership",
    "effective_ownership_from",
    "export",
    "format_of",
    "frame",
    "import_file",
    "load",
    "load_dataset",
    "open_store",
    "parse_date",
    "perimeter",
    "query",
    "sparql",
    "ultimate_parent",
    "user_queries",
    "validate_files",
    "validate_store",
    "write_synth",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":  # the installed distribution's, read when first asked
        from importlib.metadata import version

        globals()[name] = installed = version("groupkg")
        return installed
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
