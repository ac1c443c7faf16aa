"""What the BODS reader writes and the writer reads back: the namespace records are
minted in, and how a BODS detail that has no groupkg term is kept in a ``gk:note`` or
``rdfs:comment``.
"""

from __future__ import annotations

import re

__all__ = [
    "BODS_BASE",
    "COMMENT_UNSPECIFIED",
    "NOTE",
    "NOTE_PATTERN",
    "UNSPECIFIED_PARTY",
    "UNSPECIFIED_SUBJECT",
]

BODS_BASE = "https://w3id.org/groupkg/data/bods/"
NOTE = "BODS {}: {}"
UNSPECIFIED_PARTY = "unspecified interested party"
UNSPECIFIED_SUBJECT = "unspecified subject"
NOTE_PATTERN = re.compile(r"^BODS ([A-Za-z ]+): (.*)$", re.S)
COMMENT_UNSPECIFIED = "BODS unspecified: "
