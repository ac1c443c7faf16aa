"""What changed in a group between two days: holdings, entities, consolidation paths."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import networkx as nx

from groupkg.graph.timemodel.stakes import Snapshot, Stake

__all__ = ["GroupDiff", "diff_snapshots", "group_members"]


@dataclass
class GroupDiff:
    """Holdings added, removed and changed; entities that began or ended; paths."""

    added: list[Stake] = field(default_factory=list)
    removed: list[Stake] = field(default_factory=list)
    changed: list[tuple[Stake, Stake]] = field(default_factory=list)
    began: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    paths_changed: list[tuple[str, list[list[str]], list[list[str]]]] = field(default_factory=list)


def group_members(before: Snapshot, after: Snapshot, root: str) -> set[str]:
    """Everything connected to ``root`` by holdings or consolidations on either day."""
    union = nx.compose(before.graph(), after.graph())
    union.add_node(root)
    return set(nx.node_connected_component(union.to_undirected(as_view=True), root))


def _same(a: Stake, b: Stake) -> bool:
    return (a.percent, a.percent_min, a.percent_max, a.consolidated) == (
        b.percent,
        b.percent_min,
        b.percent_max,
        b.consolidated,
    )


def diff_snapshots(
    before: Snapshot,
    after: Snapshot,
    scope: Iterable[str] | None = None,
    paths: Callable[[Snapshot, str], list[list[str]]] | None = None,
) -> GroupDiff:
    """Compare two days, optionally only within ``scope`` (a set of entity ids).

    ``paths(snapshot, entity)`` gives the consolidation paths of an entity on a day;
    when given, the entities whose paths differ are listed in ``paths_changed``.
    """
    keep = set(scope) if scope is not None else None

    def inside(stake: Stake) -> bool:
        return keep is None or (stake.owner in keep and stake.owned in keep)

    old = {(s.owner, s.owned, s.interest): s for s in before.stakes if inside(s)}
    new = {(s.owner, s.owned, s.interest): s for s in after.stakes if inside(s)}
    result = GroupDiff()
    for key in sorted(new.keys() - old.keys()):
        result.added.append(new[key])
    for key in sorted(old.keys() - new.keys()):
        result.removed.append(old[key])
    for key in sorted(old.keys() & new.keys()):
        if not _same(old[key], new[key]):
            result.changed.append((old[key], new[key]))
    entities = sorted(set(before.status) | set(after.status))
    for entity in entities:
        if keep is not None and entity not in keep:
            continue
        was, now = before.active(entity), after.active(entity)
        if now and not was:
            result.began.append(entity)
        elif was and not now:
            result.ended.append(entity)
    if paths is not None:
        for entity in entities:
            if keep is not None and entity not in keep:
                continue
            if not (before.active(entity) or after.active(entity)):
                continue
            old_paths = paths(before, entity) if before.active(entity) else []
            new_paths = paths(after, entity) if after.active(entity) else []
            if old_paths != new_paths:
                result.paths_changed.append((entity, old_paths, new_paths))
    return result
