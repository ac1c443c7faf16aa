"""What the BODS reader writes and the writer reads back: the namespace records are
minted in, and how a BODS detail that has no groupkg term is kept in a ``gk:note`` or
``rdfs:comment``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "BODS_BASE",
    "COMMENT_UNSPECIFIED",
    "NOTE",
    "NOTE_PATTERN",
    "UNSPECIFIED_PARTY",
    "UNSPECIFIED_SUBJECT",
    "annotation_notes",
]

BODS_BASE = "https://w3id.org/groupkg/data/bods/"
NOTE = "BODS {}: {}"
UNSPECIFIED_PARTY = "unspecified interested party"
UNSPECIFIED_SUBJECT = "unspecified subject"
NOTE_PATTERN = re.compile(r"^BODS ([A-Za-z ]+): (.*)$", re.S)
COMMENT_UNSPECIFIED = "BODS unspecified: "


def annotation_notes(st: dict[str, Any], interest: int | None) -> list[str]:
    """Annotations as notes: those aimed at one interest go to that interest's fact only."""
    notes = []
    for annotation in st.get("annotations") or []:
        target = re.match(
            r"^/recordDetails/interests/(\d+)(/|$)", annotation.get("statementPointerTarget", "")
        )
        if target and interest is not None and int(target.group(1)) != interest:
            continue
        text = " ".join(t for t in (annotation.get("description"), annotation.get("url")) if t)
        if text:
            notes.append(text)
    return notes
