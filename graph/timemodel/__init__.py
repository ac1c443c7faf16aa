"""The time model: recorded facts laid out in time, and the whole register as columns.

``timeline`` (:class:`~groupkg.graph.timemodel.timeline.Timeline`: spans, lifetimes,
mergers, issued shares), ``spanstake`` (the stake a span gives on a day, and how it is
known) and ``stakes`` (stakes, a day's snapshot, how stakes add up) answer for one
group; ``register`` (:class:`~groupkg.graph.timemodel.register.Register`) keeps the same
spans as numpy ``columns``, made by ``build``, read through ``indexed`` and ``edges``,
with the whole-day questions of ``daygraph`` (ultimate parents in ``parents``,
effective stakes in ``lookthrough``), saved by ``cache`` with what ``provenance`` and
``nameindex`` keep; ``diff`` compares two snapshots.
"""

__all__: list[str] = []
