"""Synthetic GLEIF-like corporate groups, written as N-Triples, for scale tests and benchmarks.

A register of ``N`` entities is made of groups drawn one after another, so memory stays
flat however large ``N`` is. Each group is a tree of holdings under one top company
(or a natural person who holds the top company), with the irregularities real
registers have:

* group sizes are heavy-tailed: the first group has ``min(5000, N // 20)`` entities, so
  a benchmark always finds one large group, and the rest follow a Zipf law with
  exponent 2.5 capped at 5,000 (about three groups in four are a single company, 96%
  have at most five entities, a register of a million entities has a handful of groups
  with thousands);
* a tree is at most eight holdings deep; an entity is owned by an earlier member of
  its group, most often one near the top, so groups are broad rather than deep;
* about 3% of entities have several owners: a second, shallower member of the group
  holds a minority beside the parent's majority;
* some subsidiaries hold a small stake (0.5-5%) in their parent, and some siblings
  hold small stakes in each other: cross-holding cycles;
* about a fifth of the holdings end: by a disposal (``gk:validTo``), by an absorption
  merger into the parent (an event, after which the absorbed company is dissolved) or
  by a stake change (a second holding of the same owner and owned, with a later
  ``gk:validFrom`` or ``gk:asOf``);
* 5% of parent stakes are reported as ranges (``(10, 25]``, ``(25, 50]``, ``(50, 75]``,
  ``(75, 100]``, the minimum exclusive), 5% of parent links as a
  ``gk:DirectConsolidation`` without a percent, and 10% of the
  entities two or more levels down also have a ``gk:UltimateConsolidation`` to the
  top company; 30% of the facts are observations (``gk:asOf``) rather than stated
  starts;
* dates lie in 1990-2025: incorporations up to 2018, holdings starting up to 2023,
  ends, changes and mergers up to 2025-12-31.

The stakes of a company never sum to more than 100% on any day: every owner's largest
stake in it (over the stake changes) is counted against one budget of 100%, a merger
passes the absorbed company's stakes to the survivor unchanged, and every date of a
merged company lies before its merger. Within a group an owner is numbered before what
it owns, except for the cross-holdings. The same seed gives the same bytes: all draws
come from :func:`numpy.random.default_rng` in a fixed order, and nothing depends on the
clock or on the order of a set or dict.

:func:`write_gleif` writes GLEIF golden-copy files instead, Level 1 and relationship
records in CSV or XML, as large as the golden copy for a benchmark of its import
(:mod:`~groupkg.graph.formats.synth.gleifrecords` says what they hold).
"""

from __future__ import annotations

from groupkg.graph.formats.synth.gleiffiles import write_gleif
from groupkg.graph.formats.synth.ntriples import DATA_BASE
from groupkg.graph.formats.synth.register import MAX_ENTITIES, synthesize, write_synth

__all__ = ["DATA_BASE", "MAX_ENTITIES", "synthesize", "write_gleif", "write_synth"]
