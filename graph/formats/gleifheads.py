"""What GLEIF golden-copy file a file is, from its first bytes: Level 1 LEI records,
Level 2 relationship records or reporting exceptions, as CSV (its header row) or XML
(its root element's namespace). Kept apart from :mod:`groupkg.graph.formats.gleif`,
which reads the files, so that telling a format costs no parser.
"""

from __future__ import annotations

import re

__all__ = ["NAMESPACES", "kind_of_head"]

# kind -> the namespace of its XML records
NAMESPACES = {
    "rr": "http://www.gleif.org/data/schema/rr/2016",
    "lei": "http://www.gleif.org/data/schema/leidata/2016",
    "repex": "http://www.gleif.org/data/schema/repex/2016",
}
_XMLNS = re.compile(rb"""xmlns(?::[\w.-]+)?\s*=\s*["']([^"']+)["']""")


def kind_of_head(head: bytes) -> tuple[str, str] | None:
    """(kind, ``csv`` or ``xml``) of a GLEIF file from its first bytes, or None.

    >>> kind_of_head(b'"Relationship.StartNode.NodeID","Relationship.StartNode.NodeIDType"')
    ('rr', 'csv')
    >>> kind_of_head(b'LEI,Entity.LegalName,Entity.LegalName.xmllang')
    ('lei', 'csv')
    >>> kind_of_head(b'LEI,ExceptionCategory,ExceptionReason.1')
    ('repex', 'csv')
    >>> kind_of_head(b'<?xml version="1.0"?><rr:RelationshipData xmlns:rr='
    ...              b'"http://www.gleif.org/data/schema/rr/2016">')
    ('rr', 'xml')
    >>> kind_of_head(b'<lei:LEIData xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    ...              b'xmlns:lei="http://www.gleif.org/data/schema/leidata/2016">')
    ('lei', 'xml')
    >>> kind_of_head(b"owner,owned,percent") is None
    True
    """
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        # The first namespace declared that is GLEIF's, wherever among the attributes.
        for match in _XMLNS.finditer(text):
            namespace = match.group(1).decode("ascii", "replace")
            for kind, known in NAMESPACES.items():
                if namespace == known:
                    return kind, "xml"
        return None
    header = text.split(b"\n", 1)[0].decode("utf-8", "replace")
    columns = [c.strip().strip('"') for c in header.split(",")]
    if "Relationship.StartNode.NodeID" in columns or any(
        c.startswith("Relationship.") for c in columns
    ):
        return "rr", "csv"
    if columns[:1] == ["LEI"] and any(c.startswith("Exception") for c in columns):
        return "repex", "csv"
    if columns[:1] == ["LEI"] and any(c.startswith("Entity.") for c in columns):
        return "lei", "csv"
    return None
