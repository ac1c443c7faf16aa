"""The threshold of control, and whether a group's stake in a company passes it.

``threshold`` is a percent (default 50) and control means strictly *more* than it.

Ranges. Control is *certain* when it holds with every stake at its lower bound (a
bound with ``low_exclusive`` counts as just above: a stake in ``(50, 75]`` is more
than 50). It is *possible* when it holds with every stake at its upper bound, where
a group can never have more of a company than what its other holders' lower
bounds leave (an unknown stake beside a certain 60% cannot exceed 40%). A range
ending at the threshold, open or closed, never exceeds it. Possible control
includes certain control; the functions label each controlled entity with the
strongest that applies.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import numpy as np

from groupkg.graph.analytics.graph import TOLERANCE
from groupkg.graph.errors import InputError

__all__ = ["passes", "passes_one", "percent"]


def percent(value: Any, name: str) -> float:
    """``value``, a percent between 0 and 100, as a fraction; ``name`` names it in the error."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise InputError(f"{name} must be a percent between 0 and 100, got {value!r}")
    if not 0.0 <= float(value) <= 100.0:
        raise InputError(f"{name} must be a percent between 0 and 100, got {value!r}")
    return float(value) / 100.0


def passes(low, exclusive, high, consolidated, held_low, t, possible):
    """Whether a group holding ``[low, high]`` of a company has more than ``t`` of it.

    ``held_low`` is the sum of the lower bounds of all holders of the company;
    works elementwise on arrays.
    """
    certain = consolidated | (low > t + TOLERANCE) | ((low >= t - TOLERANCE) & exclusive)
    if not possible:
        return certain
    room = np.maximum(low, 1.0 - (held_low - low))
    return certain | (np.minimum(high, room) > t + TOLERANCE)


def passes_one(
    low: float,
    exclusive: bool,
    high: float,
    consolidated: bool,
    held_low: float,
    t: float,
    possible: bool,
) -> bool:
    """:func:`passes` for one group, without the cost of array arithmetic."""
    if consolidated or low > t + TOLERANCE or (exclusive and low >= t - TOLERANCE):
        return True
    return possible and min(high, max(low, 1.0 - (held_low - low))) > t + TOLERANCE
