"""BODS 0.2 and 0.3 statements read as BODS 0.4 ones: which version a statement is, and
the mapping of an entity, person or ownership-or-control statement onto a 0.4 entity,
person or relationship record (the table is in ``docs/bods-versions.md``).

In 0.2 and 0.3 a statement is its own record, and a later statement that
``replacesStatements`` is a new version of the record it replaces: it takes the
recordId of the statement it replaces (the earliest of a chain, when that one replaced
another before it in the file), with ``recordStatus`` ``updated``; when several
statements replace one, the first in the file continues its record and the others
start their own (see :class:`RecordIds`). A reference
(``describedByEntityStatement``, ``describedByPersonStatement``) names a statement, and
so the record that statement is a version of.
"""

from __future__ import annotations

import re
from typing import Any

from groupkg.graph.formats.bods.versions import NO_DATE

__all__ = [
    "KNOWN_VERSIONS",
    "RECORD_TYPES",
    "RecordIds",
    "as_bods_04",
    "statement_version",
]

KNOWN_VERSIONS = ("0.2", "0.3", "0.4")
#: The record type of each 0.2/0.3 statement type.
RECORD_TYPES = {
    "entityStatement": "entity",
    "personStatement": "person",
    "ownershipOrControlStatement": "relationship",
}
# 0.2/0.3 name types onto 0.4's: "individual" is the name a person goes by in law.
_NAME_TYPES = {"individual": "legal", "translation": "transliteration"}
_VERSION = re.compile(r"^(\d+\.\d+)$")


def statement_version(statement: Any) -> str | None:
    """The BODS version a statement names (``publicationDetails.bodsVersion``, as
    major.minor), else None.

    >>> statement_version({"publicationDetails": {"bodsVersion": "0.2"}})
    '0.2'
    >>> statement_version({"statementID": "x"}) is None
    True
    """
    if not isinstance(statement, dict):
        return None
    details = statement.get("publicationDetails")
    version = details.get("bodsVersion") if isinstance(details, dict) else None
    match = _VERSION.match(version) if isinstance(version, str) else None
    return match.group(1) if match else None


def shape_version(statement: Any) -> str:
    """The version a statement that names none is read as: 0.4 when it has a
    ``recordType`` (or is no 0.2/0.3 statement), else 0.2."""
    if isinstance(statement, dict) and "statementType" in statement:
        return "0.2"
    return "0.4"


class RecordIds:
    """The record each 0.2/0.3 statement is a version of, learnt in file order."""

    def __init__(self) -> None:
        self._record: dict[str, str] = {}
        self._continued: set[str] = set()

    def learn(self, statement: dict[str, Any]) -> None:
        """Note that ``statement`` is a version of the record of what it replaces: the
        first statement (in file order) to replace a statement continues its record;
        another that replaces the same statement (a holding split in two, say) starts
        a record of its own."""
        for replaced in statement.get("replacesStatements") or []:
            if replaced not in self._continued:
                self._continued.add(replaced)
                self._record[statement["statementID"]] = self.of(replaced)
                return

    def of(self, statement_id: str) -> str:
        return self._record.get(statement_id, statement_id)


def _share(share: dict[str, Any]) -> dict[str, Any]:
    """0.2/0.3 bounds with boolean exclusive flags as 0.4's numeric bounds."""
    if "exact" in share:
        return {"exact": share["exact"]}
    out = {}
    for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if bound in share:
            out[flag if share.get(flag) is True else bound] = share[bound]
    return out


def _interest(interest: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in interest.items() if k not in ("interestLevel", "share")}
    level = interest.get("interestLevel", interest.get("directOrIndirect"))
    if level is not None:
        out["directOrIndirect"] = level
    if "share" in interest:
        out["share"] = _share(interest["share"])
    return out


def _party(party: dict[str, Any], records: RecordIds) -> Any:
    for key in ("describedByEntityStatement", "describedByPersonStatement"):
        if party.get(key):
            return records.of(party[key])
    return party.get("unspecified") or {"reason": "unknown"}


def _address(address: dict[str, Any]) -> dict[str, Any]:
    out = dict(address)
    if isinstance(address.get("country"), str):  # 0.2 gives a bare code
        out["country"] = {"name": address["country"], "code": address["country"]}
    return out


def _entity(st: dict[str, Any]) -> dict[str, Any]:
    details: dict[str, Any] = {
        k: st[k]
        for k in (
            "isComponent",
            "name",
            "alternateNames",
            "jurisdiction",
            "identifiers",
            "foundingDate",
            "dissolutionDate",
            "uri",
            "publicListing",
            "unspecifiedEntityDetails",
        )
        if k in st
    }
    details["entityType"] = {"type": st.get("entityType", "unknownEntity")}
    details["addresses"] = [_address(a) for a in st.get("addresses") or []]
    return details


def _person(st: dict[str, Any]) -> dict[str, Any]:
    kept = ("isComponent", "personType", "unspecifiedPersonDetails")
    details: dict[str, Any] = {k: st[k] for k in kept if k in st}
    details["names"] = [
        {**name, "type": _NAME_TYPES.get(name.get("type"), name.get("type"))}
        for name in st.get("names") or []
    ]
    return details


def _relationship(st: dict[str, Any], records: RecordIds) -> dict[str, Any]:
    return {
        "isComponent": st.get("isComponent", False),
        "subject": _party(st.get("subject") or {}, records),
        "interestedParty": _party(st.get("interestedParty") or {}, records),
        "interests": [_interest(i) for i in st.get("interests") or []],
    }


def _annotation(annotation: dict[str, Any]) -> dict[str, Any]:
    target = annotation.get("statementPointerTarget", "")
    if target.startswith("/interests"):
        annotation = {**annotation, "statementPointerTarget": "/recordDetails" + target}
    return annotation


def as_bods_04(st: dict[str, Any], records: RecordIds) -> dict[str, Any]:
    """A 0.2/0.3 statement (valid against its own schema) as a 0.4 statement.

    >>> records = RecordIds()
    >>> old = {"statementID": "e1", "statementType": "entityStatement",
    ...        "statementDate": "2020-01-02", "entityType": "registeredEntity", "name": "A"}
    >>> new = as_bods_04(old, records)
    >>> new["recordId"], new["recordType"], new["recordDetails"]["entityType"]
    ('e1', 'entity', {'type': 'registeredEntity'})
    """
    records.learn(st)
    record_type = RECORD_TYPES[st["statementType"]]
    if record_type == "entity":
        details = _entity(st)
    elif record_type == "person":
        details = _person(st)
    else:
        details = _relationship(st, records)
    out: dict[str, Any] = {
        "statementId": st["statementID"],
        "statementDate": st.get("statementDate")
        or (st.get("publicationDetails") or {}).get("publicationDate", NO_DATE),
        "recordId": records.of(st["statementID"]),
        "recordType": record_type,
        "recordStatus": "updated" if records.of(st["statementID"]) != st["statementID"] else "new",
        "recordDetails": details,
    }
    for key in ("publicationDetails", "source"):
        if key in st:
            out[key] = st[key]
    if st.get("annotations"):
        out["annotations"] = [_annotation(a) for a in st["annotations"]]
    return out
