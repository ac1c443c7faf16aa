"""The identifier schemes groupkg checks, and the check: an identifier's format and
check digits, by python-stdnum where it knows the scheme.

Schemes are org-id.guide codes as BODS writes them; GLEIF's own spellings (``LEI``,
and a registration authority's code for the register it names) are checked as the
scheme they stand for. An identifier of any other scheme is taken as written.

========================  ====================================  =====================
scheme                    register                              check
========================  ====================================  =====================
``XI-LEI``, ``LEI``       Legal Entity Identifier               ``stdnum.lei``
                                                                (ISO 17442)
``GB-COH``, ``RA000585``  Companies House (UK)                  8 characters: digits,
                                                                or 2 letters and 6
                                                                digits (leading zeros
                                                                may be left out)
``JP-JCN``                Corporate Number, National Tax        ``stdnum.jp.cn``
                          Agency (Japan)
``US-EIN``                Employer Identification Number (US)   ``stdnum.us.ein``
``DK-CVR``                Central Business Register (Denmark)   ``stdnum.dk.cvr``
``NO-BRC``                Brønnøysund Register (Norway)         ``stdnum.no.orgnr``
``SE-BLV``                Bolagsverket (Sweden)                 ``stdnum.se.orgnr``
``FI-PRO``                Business ID, Y-tunnus (Finland)       ``stdnum.fi.ytunnus``
``FR-RCS``                Trade register (France): a SIREN      ``stdnum.fr.siren``
                          number, or one written as RCS writes  or ``stdnum.fr.rcs``
                          it
``AU-ABN``                Australian Business Number            ``stdnum.au.abn``
``MX-RFC``                Federal Taxpayer Registry (Mexico)    ``stdnum.mx.rfc``
``UA-EDR``                EDRPOU (Ukraine)                      ``stdnum.ua.edrpou``
========================  ====================================  =====================

A value with the scheme's shape whose check digits are wrong is a typo that would join
or part the wrong records: the readers refuse it (:attr:`IdentifierProblem.typo`). A
value without the scheme's shape at all (the BODS standard's own examples write
placeholders such as ``GB-COH XE9999``) is taken as written and reported by
``groupkg validate`` as a warning.

>>> identifier_problem("XI-LEI", "PY6ZZQWO2IZFZC3IOL08") is None
True
>>> problem = identifier_problem("XI-LEI", "PY6ZZQWO2IZFZC3IOL09")
>>> problem.typo, str(problem)
(True, "'PY6ZZQWO2IZFZC3IOL09' is not a valid XI-LEI identifier: its check digits are wrong")
>>> problem = identifier_problem("GB-COH", "XE9999")
>>> problem.typo, str(problem)
(False, "'XE9999' is not a valid GB-COH identifier: its format is wrong")
>>> identifier_problem("ZZ-UNKNOWN", "anything") is None
True
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, Literal, URIRef
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from groupkg.graph.formats.minting import digest
from groupkg.graph.vocab import GK

__all__ = [
    "CHECKED_SCHEMES",
    "LEI_SCHEME",
    "IdentifierProblem",
    "identifier_problem",
    "identifier_triples",
]

#: The scheme BODS (and org-id.guide) gives an LEI.
LEI_SCHEME = "XI-LEI"

_COMPANIES_HOUSE = re.compile(r"^(?:[0-9]{1,8}|[A-Z]{2}[0-9]{6}|R0[0-9]{6})$")


def _companies_house(value: str) -> None:
    if not _COMPANIES_HOUSE.match(value.strip().upper()):
        raise ValidationError()


def _stdnum(*modules: str) -> Callable[[str], None]:
    """A check passing when one of the stdnum ``modules`` validates the value; the
    first module's error otherwise."""

    def check(value: str) -> None:
        errors = []
        for name in modules:
            try:
                importlib.import_module(name).validate(value)
                return
            except ValidationError as error:
                errors.append(error)
        raise errors[0]

    return check


#: Scheme -> the check of its values (raising stdnum's ``ValidationError``).
CHECKED_SCHEMES: dict[str, Callable[[str], None]] = {
    "XI-LEI": _stdnum("stdnum.lei"),
    "LEI": _stdnum("stdnum.lei"),
    "GB-COH": _companies_house,
    "RA000585": _companies_house,
    "JP-JCN": _stdnum("stdnum.jp.cn"),
    "US-EIN": _stdnum("stdnum.us.ein"),
    "DK-CVR": _stdnum("stdnum.dk.cvr"),
    "NO-BRC": _stdnum("stdnum.no.orgnr"),
    "SE-BLV": _stdnum("stdnum.se.orgnr"),
    "FI-PRO": _stdnum("stdnum.fi.ytunnus"),
    "FR-RCS": _stdnum("stdnum.fr.siren", "stdnum.fr.rcs"),
    "AU-ABN": _stdnum("stdnum.au.abn"),
    "MX-RFC": _stdnum("stdnum.mx.rfc"),
    "UA-EDR": _stdnum("stdnum.ua.edrpou"),
}


@dataclass(frozen=True)
class IdentifierProblem:
    """Why a value is not an identifier of its scheme."""

    scheme: str
    value: str
    why: str
    typo: bool
    """True when the value has the scheme's shape but its check digits are wrong."""

    def __str__(self) -> str:
        return f"{self.value!r} is not a valid {self.scheme} identifier: {self.why}"


def _why(error: ValidationError) -> str:
    if isinstance(error, InvalidChecksum):
        return "its check digits are wrong"
    if isinstance(error, InvalidLength):
        return "its length is wrong"
    if isinstance(error, InvalidComponent):
        return "a part of it is not one the scheme allows"
    return "its format is wrong"


def identifier_problem(scheme: str, value: str) -> IdentifierProblem | None:
    """Why ``value`` is not an identifier of ``scheme``; None when it is one, or when
    groupkg does not know how the scheme's identifiers are written."""
    check = CHECKED_SCHEMES.get(scheme.strip().upper())
    if check is None:
        return None
    try:
        check(value)
    except ValidationError as error:
        return IdentifierProblem(scheme, value, _why(error), isinstance(error, InvalidChecksum))
    return None


def identifier_triples(entity: URIRef, scheme: str, value: str) -> list[tuple[Any, Any, Any]]:
    """The triples of an entity's identifier: a ``gk:Identifier`` node named by the
    entity and a digest of the scheme and value (the same identifier read twice is one
    node), with its scheme and value; an identifier in BODS's scheme for LEIs,
    ``XI-LEI``, is also the entity's ``gk:lei``."""
    node = URIRef(f"{entity}/identifier/{digest(scheme, value)[:12]}")
    triples: list[tuple[Any, Any, Any]] = [
        (entity, GK.hasIdentifier, node),
        (node, RDF.type, GK.Identifier),
        (node, GK.identifierScheme, Literal(scheme)),
        (node, GK.identifierValue, Literal(value)),
    ]
    if scheme == LEI_SCHEME:
        triples.append((entity, GK.lei, Literal(value)))
    return triples
