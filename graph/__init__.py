"""groupkg's core: the store, the time model, the analytics and the command line.

The public API is what this module exports; the modules behind it are private in
all but name and may change.
"""

from groupkg.graph.control import (
    consolidation_paths,
    controlled_by,
    controllers_of,
    perimeter,
    ultimate_parent,
)
from groupkg.graph.dates import PartialDate, parse_date
from groupkg.graph.effective import effective_ownership, effective_ownership_from
from groupkg.graph.errors import GroupkgError, InputError, ValidationFailed
from groupkg.graph.group import Group
from groupkg.graph.model import Dataset, Entity, EntityRef, Event, Holding, Observation, Relation
from groupkg.graph.store import OxigraphStore, SparqlStore, Store, open_store
from groupkg.graph.timeline import Snapshot, Stake, Timeline

__all__ = [
    "Dataset",
    "Entity",
    "EntityRef",
    "Event",
    "Group",
    "GroupkgError",
    "Holding",
    "InputError",
    "Observation",
    "OxigraphStore",
    "PartialDate",
    "Relation",
    "Snapshot",
    "SparqlStore",
    "Stake",
    "Store",
    "Timeline",
    "ValidationFailed",
    "consolidation_paths",
    "controlled_by",
    "controllers_of",
    "effective_ownership",
    "effective_ownership_from",
    "open_store",
    "parse_date",
    "perimeter",
    "ultimate_parent",
]
