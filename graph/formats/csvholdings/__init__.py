"""The CSV holdings format: one holding a row, read into groupkg RDF and written back.

The format is UTF-8 with a header row naming the columns
``owner,owned,percent,percent_min,percent_max,shares,start_date,end_date,source`` in any
order. Only ``owner`` and ``owned`` must be there; an absent column reads as empty. Seven
optional columns carry what a holding may have beside those, so that an exported file
reads back to the same facts: ``percent_min_exclusive`` and ``percent_max_exclusive``
(``true``/``false``), ``share_class``, ``as_of`` (observation date) and ``interest_type``
(a BODS interest type, or a reported consolidation: see below). ``owner_identifier`` and
``owned_identifier`` (``SCHEME:ID``, such as ``XI-LEI:PY6ZZQWO2IZFZC3IOL08`` or
``GB-COH:02723534``) give the owner or owned an identifier, checked against its scheme
(:mod:`~groupkg.graph.formats.identifiers`; wrong check digits are an error on the row).
Any other column is rejected rather than ignored, because a misspelt header
(``precent``) would otherwise drop a figure without a word. A percentage may carry a
trailing ``%``; cells are stripped of surrounding spaces; blank lines are skipped.

A row whose ``interest_type`` is ``directConsolidation`` or ``ultimateConsolidation``
(spelt so) is not a holding but a reported consolidation, as GLEIF Level 2 reports it:
the owned is a (direct, or ultimate) consolidated subsidiary of the owner. It becomes a
``gk:DirectConsolidation`` / ``gk:UltimateConsolidation`` with ``gk:parent`` the owner and
``gk:child`` the owned, ``gk:percent`` when one is given, and the dates, source and fact
status a holding row gets. A range, a share count or a share class on such a row is an
error: a consolidation is reported with one percentage at most.

Reading is all-or-nothing: every bad row is reported with its line number and column,
all at once, in a :class:`~groupkg.graph.errors.BadInput`, and nothing of the file is
returned.
"""

from groupkg.graph.errors import BadInput
from groupkg.graph.factrules import MAX_SHARE_DIGITS
from groupkg.graph.formats.csvholdings.cells import (
    FORMULA_STARTS,
    spreadsheet_safe,
)
from groupkg.graph.formats.csvholdings.cells import unquote_formula as _unquote_formula  # noqa: F401
from groupkg.graph.formats.csvholdings.columns import (
    CONSOLIDATION_TYPES,
    CSV_COLUMNS,
    CSV_EXTRA_COLUMNS,
    LOCAL_BASE,
)
from groupkg.graph.formats.csvholdings.reader import read_csv
from groupkg.graph.formats.csvholdings.writer import write_csv

__all__ = [
    "LOCAL_BASE",
    "CSV_COLUMNS",
    "CSV_EXTRA_COLUMNS",
    "CONSOLIDATION_TYPES",
    "FORMULA_STARTS",
    "MAX_SHARE_DIGITS",
    "BadInput",
    "read_csv",
    "write_csv",
    "spreadsheet_safe",
]
