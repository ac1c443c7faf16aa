"""The words on the picture: stake labels and the tooltips of entities and holdings.

Everything here is plain text. Escaping belongs to the page (see
:mod:`groupkg.viz.render`), which never lets these strings be read as HTML.
"""

from __future__ import annotations

import datetime as _dt

from groupkg.graph.group import Group
from groupkg.graph.model import Entity, local_id
from groupkg.graph.timemodel.stakes import Stake

__all__ = [
    "KIND_NAMES",
    "bounds_text",
    "entity_tooltip",
    "percent_text",
    "stake_label",
    "stake_tooltip",
]

KIND_NAMES = {
    "listed": "listed company",
    "subsidiary": "subsidiary",
    "company": "company",
    "person": "person",
    "unnamed": "unnamed holders",
    "dissolved": "dissolved or not yet incorporated",
}


def _number(value: float) -> str:
    """A percentage as people write it: 60, 99.9, 33.33; a sliver keeps its digits.

    >>> _number(60.0), _number(99.9), _number(100 / 3), _number(104 / 46_697_800 * 100)
    ('60', '99.9', '33.33', '0.000223')
    """
    if 0 < abs(value) < 0.01:
        return f"{value:.3g}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text != "-0" else "0"


def percent_text(stake: Stake) -> str | None:
    """The stake as a percent or a range (">25–50%"); None when nothing is known."""
    if stake.percent is not None:
        return _number(stake.percent) + "%"
    low, high = stake.percent_min, stake.percent_max
    if low is not None and high is not None:
        lo = (">" if stake.min_exclusive else "") + _number(low)
        hi = ("<" if stake.max_exclusive else "") + _number(high)
        return f"{lo}–{hi}%"
    if low is not None:
        return (">" if stake.min_exclusive else "≥") + _number(low) + "%"
    if high is not None:
        return ("<" if stake.max_exclusive else "≤") + _number(high) + "%"
    return None


def bounds_text(low: float, high: float) -> str:
    """A percent known between two bounds: one figure when they agree, else the range;
    "percent unknown" when nothing bounds it.

    >>> bounds_text(30, 30), bounds_text(20.5, 50), bounds_text(0, 100)
    ('30%', '20.5–50%', 'percent unknown')
    """
    if low == high:
        return _number(low) + "%"
    if low == 0 and high == 100:
        return "percent unknown"
    return f"{_number(low)}–{_number(high)}%"


def _shares(stake: Stake) -> str | None:
    return f"{stake.shares:,} shares" if stake.shares is not None else None


def stake_label(stake: Stake) -> str:
    """The edge label: percent (or range, or "consolidated, % unknown") and shares."""
    if not stake.holding:
        return "consolidated, % unknown"
    lines = [percent_text(stake) or "% unknown"]
    if (shares := _shares(stake)) is not None:
        lines.append(shares)
    return "\n".join(lines)


def _name(group: Group, entity_id: str) -> str:
    return group.dataset.ref(entity_id).name


def stake_tooltip(group: Group, stake: Stake, day: _dt.date) -> list[str]:
    """What a holding rests on, one line a fact."""
    lines = [f"{_name(group, stake.owner)} → {_name(group, stake.owned)} on {day.isoformat()}"]
    if stake.holding:
        known = percent_text(stake) or "percent unknown"
        shares = _shares(stake)
        lines.append(f"{known} ({shares})" if shares else known)
    if stake.consolidated:
        lines.append("reported: a consolidated subsidiary")
    lines += [f"basis: {b}" for b in stake.basis]
    lines += [f"source: {group.dataset.source_label(s)}" for s in stake.sources]
    return lines


def entity_tooltip(
    group: Group,
    entity_id: str,
    day: _dt.date,
    kind: str,
    ultimate_parent: str | None,
) -> list[str]:
    """Who an entity is and what the data says about it on ``day``, with sources."""
    entity = group.dataset.entities.get(entity_id) or Entity(entity_id, local_id(entity_id))
    lines = [entity.label]
    if entity.legal_name and entity.legal_name != entity.label:
        lines.append(f"legal name: {entity.legal_name}")
    what = KIND_NAMES.get(kind, kind)
    if entity.kind not in ("legal", "person", "unnamed"):
        what += f" ({entity.kind})"
    lines.append(what)
    lines.append(f"status on {day.isoformat()}: {group.status(entity_id, day)}")
    if ultimate_parent and ultimate_parent != entity_id:
        lines.append(f"ultimate parent: {_name(group, ultimate_parent)}")
    if entity.aliases:
        lines.append("also known as: " + ", ".join(entity.aliases))
    lines += [f"{scheme}: {value}" for scheme, value in entity.identifiers]
    lines += [f"listed: {listing}" for listing in entity.listings]
    end = group.lifetime(entity_id)[1]
    if entity.incorporated:
        lines.append(f"incorporated: {entity.incorporated}")
    if end:
        lines.append(f"ended: {end.isoformat()}")
    issued = group.issued_shares(entity_id, day)
    if issued is not None:
        lines.append(f"issued shares: {issued:,}")
    for key, values in sorted(entity.facts.items()):
        lines.append(f"{key}: " + "; ".join(str(v) for v in values))
    lines += [f"source: {group.dataset.source_label(s)}" for s in entity.sources]
    return lines
