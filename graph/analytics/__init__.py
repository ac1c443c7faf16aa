"""The reference analytics over an ownership graph at one date (a networkx graph).

``graph`` is the graph's contract and its checks; ``threshold`` says when a stake
passes the threshold of control, certainly or possibly. Control (``control``: the
entities one controls, the controllers of one) is read from the ``controlindex``;
``parents`` holds ultimate parents, control cycles and consolidation paths, and
``perimeter`` a reporting entity's subsidiaries and affiliates. Effective ownership
(``effective``) sums the stakes over walks (``walks``); ``integrated`` is the
integrated ownership matrix of a whole graph. ``layers`` orders the strongly
connected blocks that both solve holders first.
"""

__all__: list[str] = []
