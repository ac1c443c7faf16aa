"""One Turtle preamble for the tests that write data inline: every prefix they use,
so that a test's text holds only its facts."""

from __future__ import annotations

NAMESPACES = {
    "gk": "https://w3id.org/groupkg/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def prefixes(**more: str) -> str:
    """The ``@prefix`` lines of :data:`NAMESPACES` and of ``more`` (e.g. ``ex=...``),
    one a line."""
    return "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in {**NAMESPACES, **more}.items())
