"""The files groupkg ships: the ontology, the IIJ dataset and the named queries' texts.

Found wherever groupkg is installed (``importlib.resources``); from them also the one
query that tells data from vocabulary (:func:`data_only_query`).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from groupkg.graph.errors import InputError

__all__ = ["data_only_query", "default_data_files", "named_query", "ontology_files"]

_VOCABULARY_NAMESPACES = ("https://w3id.org/groupkg/ontology", "https://w3id.org/groupkg/shapes")


def ontology_files(shapes: bool = False) -> list[Path]:
    """The ontology's Turtle files, wherever groupkg is installed.

    Stores hold the vocabulary and its alignments; the SHACL shapes only with
    ``shapes=True`` (validation reads them, queries need not see them).
    """
    folder = resources.files("groupkg.ontology")
    return sorted(
        Path(str(p))
        for p in folder.iterdir()
        if p.name.endswith(".ttl") and (shapes or p.name != "shapes.ttl")
    )


def default_data_files() -> list[Path]:
    """The bundled IIJ dataset's Turtle files."""
    folder = resources.files("groupkg.data").joinpath("iij")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".ttl"))


def named_query(name: str, dialect: str | None = None) -> str:
    """The text of ``ontology/queries/NAME.rq``, or of ``ontology/queries/DIALECT/NAME.rq``
    where a store's dialect (``virtuoso``) needs a query of its own.

    Raises
    ------
    InputError
        When there is no such query.
    """
    folder = resources.files("groupkg.ontology").joinpath("queries")
    if dialect is not None and folder.joinpath(dialect, f"{name}.rq").is_file():
        return folder.joinpath(dialect, f"{name}.rq").read_text(encoding="utf-8")
    path = folder.joinpath(f"{name}.rq")
    if not path.is_file():
        raise InputError(f"no named query {name!r}")
    return path.read_text(encoding="utf-8")


@cache
def data_only_query() -> str:
    """A CONSTRUCT of every triple but the vocabulary's: what export writes and validate checks.

    The vocabulary is every subject of the ontology files: groupkg's own terms and the
    outside terms its alignments describe (BODS fields, ORG and FIBO classes).
    """
    outside = sorted(
        {
            quad.subject.value
            for path in ontology_files(shapes=True)
            for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
            if isinstance(quad.subject, ox.NamedNode)
            and not quad.subject.value.startswith(_VOCABULARY_NAMESPACES)
        }
    )
    listed = ", ".join(f"<{iri}>" for iri in outside)
    # STR() of a blank node is an error, which a FILTER reads as false: a blank node
    # (a listing, an assumption) is data, and is kept before STR() is asked.
    return (
        "CONSTRUCT { ?s ?p ?o } WHERE {\n  ?s ?p ?o .\n"
        + "".join(
            f'  FILTER(isBlank(?s) || !STRSTARTS(STR(?s), "{ns}"))\n'
            for ns in _VOCABULARY_NAMESPACES
        )
        + (f"  FILTER(?s NOT IN ({listed}))\n" if listed else "")
        + "}\n"
    )
