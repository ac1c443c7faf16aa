"""GLEIF golden copies: Level 2 relationship records (RR-CDF) as reported relations,
Level 1 LEI records (LEI-CDF) and reporting exceptions as entities and their facts
(:mod:`~groupkg.graph.formats.gleif.entities`).

The golden copies hold millions of records, so the importer streams: records are read
one at a time, from CSV with :class:`csv.DictReader` or from XML with lxml's
``iterparse`` (:mod:`~groupkg.graph.formats.gleif.files`), from a file or from the one
file inside a ``.zip``, and triples come out in batches. Memory stays flat: nothing
grows with the file but the list of problems.

Mapping of a relationship record, per row (child = ``StartNode``, parent = ``EndNode``):

- ``RelationshipType`` gives the class: ``IS_DIRECTLY_CONSOLIDATED_BY``
  ``gk:DirectConsolidation``, ``IS_ULTIMATELY_CONSOLIDATED_BY`` ``gk:UltimateConsolidation``,
  ``IS_INTERNATIONAL_BRANCH_OF`` ``gk:BranchRelation``, ``IS_FUND-MANAGED_BY``
  ``gk:FundManagementRelation``, ``IS_SUBFUND_OF`` ``gk:SubFundRelation``,
  ``IS_FEEDER_TO`` ``gk:FeederRelation``.
- Dates are ISO dates or date-times (the day as written, its offset ignored) or, in the
  golden copies of 2019, milliseconds since the epoch (the day in UTC: the number
  carries no offset, so none is guessed).
- Every period a row states is kept as a ``gk:ReportedPeriod`` of the relation
  (``gk:reportedPeriod``), with its ``gk:periodType`` and its ``gk:startDate`` and
  ``gk:endDate`` as written. The first ``RELATIONSHIP_PERIOD`` also gives
  ``gk:validFrom``/``gk:validTo``, the end read as the first day the relation no longer
  holds; accounting and filing periods say when a document or an account covered the
  relation, not when it held, so they date nothing else (and one that ends before it
  starts, as some 2019 rows do, is kept as written).
- The first quantifier in ``PERCENTAGE`` (or with no unit) is ``gk:percent`` with its
  ``gk:measurementMethod``. GLEIF writes 100 percent both as ``100`` and as ``1.00``;
  an amount of at most 1 is read as a fraction (``1.00`` -> 100, ``0.6`` -> 60) and a
  ``gk:note`` says so, since a consolidation quantifier of one percent or less is not a
  credible reading. No quantifier means an unknown percentage, never 0.
- ``RelationshipStatus`` is ``gk:relationshipStatus``, ``Registration.ValidationSources``
  ``gk:validationSource``; a registration status other than ``PUBLISHED`` (``LAPSED``,
  ``RETIRED``, ``ANNULLED``...) is a ``gk:note``. ``Registration.LastUpdateDate`` is
  ``gk:knownFrom`` (an ``xsd:dateTime`` in UTC): the record as it stands became known
  then. The other registration dates are record time, not valid time, and are not
  carried.
- Each LEI is a ``gk:LegalEntity`` at ``lei_base`` + the LEI, labelled with the LEI
  (names come from Level 1), with ``gk:lei``; a fund (the child of a fund-management,
  sub-fund or feeder relation, the parent of the last two) is also a ``gk:Fund``.
- The file is one ``gk:Source``; every relation is ``gk:Stated`` and derived from it.

A row that cannot be read (missing or malformed LEI, unknown relationship type, bad
date, a relationship period ending before it starts, non-numeric or out-of-range
quantifier) yields nothing and is reported with its line number; the problems are
raised together, as one :class:`~groupkg.graph.errors.BadInput`, after the last batch.
A caller that wants all or nothing must therefore hold back (not commit) what it
receives until the generator has finished without raising.
"""

from __future__ import annotations

from groupkg.graph.formats.gleif.columns import GLEIF_BASE, LEI_BASE, RELATIONSHIP_TYPES
from groupkg.graph.formats.gleif.labels import unnamed_only
from groupkg.graph.formats.gleif.mapping import Triple
from groupkg.graph.formats.gleif.reader import TITLES, iter_gleif_triples, read_gleif

__all__ = [
    "LEI_BASE",
    "GLEIF_BASE",
    "RELATIONSHIP_TYPES",
    "Triple",
    "iter_gleif_triples",
    "read_gleif",
    "unnamed_only",
    "TITLES",
]
