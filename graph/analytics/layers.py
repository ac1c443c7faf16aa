"""Blocks of a graph in layers, each block after every block that leads to it.

The analytics solve strongly connected blocks (cycles of cross-holdings, cycles of
control) holders first; :func:`block_layers` orders the blocks so, a whole layer at
a time, from the edges between them.
"""

from __future__ import annotations

import numpy as np

__all__ = ["block_layers"]


def block_layers(count: int, tails: np.ndarray, heads: np.ndarray) -> list[np.ndarray]:
    """Blocks ``0..count-1`` in layers: each edge's tail lies in an earlier layer.

    ``tails[k] -> heads[k]`` are the edges between blocks (inside one: ignored), and
    must form no cycle. Layers hold block numbers in increasing order.
    """
    between = tails != heads
    tails, heads = tails[between], heads[between]
    order = np.argsort(tails, kind="stable")
    tails, heads = tails[order], heads[order]
    starts = np.searchsorted(tails, np.arange(count + 1))
    waiting = np.bincount(heads, minlength=count)
    layer = np.flatnonzero(waiting == 0)
    layers = []
    while layer.size:
        layers.append(layer)
        lengths = starts[layer + 1] - starts[layer]
        picks = np.repeat(starts[layer] - np.cumsum(lengths) + lengths, lengths)
        picks += np.arange(lengths.sum())
        reached = heads[picks]
        waiting -= np.bincount(reached, minlength=count)
        layer = np.unique(reached[waiting[reached] == 0])
    return layers
