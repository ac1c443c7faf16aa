"""Beneficial Ownership Data Standard: statements in, groupkg RDF out, and back.

A file is a JSON array of statements or JSON Lines (one statement a line), streamed
(:mod:`~groupkg.graph.formats.bods.stream`). BODS 0.4 is read as it is; BODS 0.2 and 0.3
statements are read through a mapping onto 0.4 records
(:mod:`~groupkg.graph.formats.bods.legacy`, table in ``docs/bods-versions.md``). Export
writes 0.4, by the same mapping the other way.

Import validates every statement against the official JSON Schema of its version
(bundled in ``bods_schema/``, 0.2 and 0.3 in ``bods_schema/v0.2`` and ``v0.3``,
references resolved from those files only) and against the rules a graph needs
(references resolve, ranges are ordered, statement ids are unique). Every problem is
reported at once as ``FILE:/json/pointer: field: reason`` (``FILE:LINE:/pointer`` in
JSON Lines) naming the statement, and nothing is loaded when there is one.

Mapping (what a BODS record becomes):

- entity record: ``gk:LegalEntity`` (and ``org:FormalOrganization``) for a registered
  entity, legal entity, state or state body; ``gk:Trust`` for subtype ``trust``; bare
  ``gk:Entity`` for any other arrangement (a nomination, a joint shareholding: no legal
  personality); ``gk:UnnamedHolders`` for an anonymous or unknown entity. The name is
  ``rdfs:label`` (and ``gk:legalName`` for legal entities), alternate and earlier names
  are ``gk:alias``; identifiers become ``gk:Identifier`` nodes (scheme code, else scheme
  name), an ``XI-LEI`` identifier also ``gk:lei``; ``foundingDate`` and
  ``dissolutionDate`` the incorporation and dissolution dates; addresses ``gk:address``;
  listings ``gk:Listing``. The annotations ``LEI Registration Status: …``,
  ``Entity Status: …`` and ``Legal Form: …`` of its latest statement are
  ``gk:registrationStatus``, ``gk:entityStatus`` and ``gk:legalForm``; any other
  annotation an ``rdfs:comment``.
- person record: ``gk:NaturalPerson``; an anonymous or unknown person is also
  ``gk:UnnamedHolders`` (still a natural person, but one the source does not name), with
  the reason as an ``rdfs:comment``. Personal details (birth date, nationality,
  residence) are not carried: ownership analysis does not need them.
- relationship record: one fact per interest. An interest that is ``indirect`` becomes a
  ``gk:IndirectInterest`` (a reported look-through figure, never a holding). Every other
  interest, ``direct``, ``unknown`` or unstated, becomes a ``gk:Holding``: BODS says
  ``unknown`` when a publisher cannot tell, and dropping those would lose most register
  data; a ``gk:note`` ``"BODS directOrIndirect: unknown"`` (or ``not stated``) keeps the
  doubt visible. ``share.exact`` is ``gk:percent``, the bounds ``gk:percentMin``/``Max``
  with the exclusive flags, ``startDate``/``endDate`` ``gk:validFrom``/``gk:validTo``,
  the statement date ``gk:asOf``, the interest type ``gk:interestType``
  (``unknownInterest`` when the interest has none, or the relationship lists none).
  ``beneficialOwnershipOrControl`` and ``details`` are kept as ``gk:note``s, and so is
  every annotation's description. An unspecified interested party becomes one
  ``gk:UnnamedHolders`` entity per subject, the reason in a ``gk:note`` on the fact.
- GLEIF's facts as Open Ownership's GLEIF pipeline writes them
  (:mod:`~groupkg.graph.formats.bods.gleifstyle`): an ``otherInfluenceOrControl``
  interest whose ``details`` is ``Relationship Type: IS_DIRECTLY_CONSOLIDATED_BY`` (or
  ``IS_ULTIMATELY_…``) is a ``gk:DirectConsolidation`` (``gk:UltimateConsolidation``),
  the interested party its ``gk:parent``, the subject its ``gk:child``, with no as-of
  date; a ``Relationship Status: …`` annotation on it is ``gk:relationshipStatus``. A
  relationship to an unspecified interested party whose description is ``Exception
  Reason: …`` and whose interests' ``details`` are ``Exception Category: …`` is a
  ``gk:reportingException`` of its subject, not a holding.
- a subject or interested party whose record is not in the file is taken to be published
  elsewhere: it gets the IRI its record would have under the same ``base``, so the two
  link up when both are loaded.
- every statement is a ``gk:SourceSection`` (locator: its statementId) of a
  ``gk:Source`` built from its publication details and source (publisher, date, title
  from the source's description or URL); facts and entities are derived from them.

Updates: the statements of one ``recordId`` are applied in statement-date order. An
``updated`` statement replaces the record's facts from its statement date: an earlier
fact ends then (or at its own end date, if earlier), or on the start date of its
replacement when that falls between the two; an interest restated unchanged continues
as one fact. A ``closed`` statement ends the record's facts at its statement date (or at
an end date it gives for an interest).

Knowledge time: every fact and record is ``gk:knownFrom`` the ``statementDate`` of the
statement that first states it (else its ``publicationDate``). A fact a later statement
ends is kept as first stated, and the ended version the later statement makes of it,
known from that statement's date, ``gk:supersedes`` it (``docs/knowledge-time.md``).
"""

from groupkg.graph.formats.bods.checks import validate_bods
from groupkg.graph.formats.bods.mapping import BODS_BASE
from groupkg.graph.formats.bods.reader import BodsFile, bods_to_graph, open_bods, read_bods
from groupkg.graph.formats.bods.writer import to_bods, write_bods

__all__ = [
    "BODS_BASE",
    "BodsFile",
    "validate_bods",
    "bods_to_graph",
    "open_bods",
    "read_bods",
    "to_bods",
    "write_bods",
]
