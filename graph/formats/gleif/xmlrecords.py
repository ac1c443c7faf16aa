"""A record of GLEIF's XML golden copy flattened to the columns its CSV golden copy names
the same fields by: a relationship record (RR-CDF), an LEI record (LEI-CDF) or a
reporting exception, so one mapping reads both.

The CSV golden copy numbers repeated fields from 1 (``Relationship.Period.2.startDate``,
``Entity.OtherEntityNames.OtherEntityName.1``, ``ExceptionReason.1``) and gives an
element's ``xml:lang`` and ``type`` attributes as ``.xmllang`` and ``.type`` columns;
so does this module.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RECORD_TAGS", "flatten"]

RECORD_TAGS = {"rr": "RelationshipRecord", "lei": "LEIRecord", "repex": "Exception"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Level 1 elements that repeat, numbered from 1 in the CSV even when there is one.
_REPEATED = {
    "OtherEntityName",
    "TransliteratedOtherEntityName",
    "AdditionalAddressLine",
    "OtherAddress",
    "TransliteratedOtherAddress",
    "OtherValidationAuthority",
}


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: Any) -> str:
    return (element.text or "").strip()


def flatten(kind: str, record: Any, namespace: str) -> dict[str, str]:
    """The fields of one XML record under the CSV golden copy's column names."""
    if kind == "rr":
        return _relationship(record, namespace)
    if kind == "repex":
        return _exception(record)
    row: dict[str, str] = {}
    for child in record:
        _leaves(child, _local(child), row)
    return row


def _leaves(element: Any, key: str, row: dict[str, str]) -> None:
    """``element``'s text under ``key`` and its children's under ``key.CHILD``."""
    children = [c for c in element if _local(c)]
    if not children:
        row[key] = _text(element)
    if element.get(_XML_LANG):
        row[f"{key}.xmllang"] = element.get(_XML_LANG)
    if element.get("type"):
        row[f"{key}.type"] = element.get("type")
    counts: dict[str, int] = {}
    for child in children:
        name = _local(child)
        if name in _REPEATED:
            counts[name] = counts.get(name, 0) + 1
            _leaves(child, f"{key}.{name}.{counts[name]}", row)
        else:
            _leaves(child, f"{key}.{name}", row)


def _relationship(record: Any, namespace: str) -> dict[str, str]:
    ns = {"rr": namespace}

    def text(path: str, element: Any = record) -> str:
        return (element.findtext(path, "", ns) or "").strip()

    row = {
        f"Relationship.{end}.{part}": text(f"rr:Relationship/rr:{end}/rr:{part}")
        for end in ("StartNode", "EndNode")
        for part in ("NodeID", "NodeIDType")
    }
    row["Relationship.RelationshipType"] = text("rr:Relationship/rr:RelationshipType")
    row["Relationship.RelationshipStatus"] = text("rr:Relationship/rr:RelationshipStatus")
    for part in ("RegistrationStatus", "ValidationSources", "LastUpdateDate"):
        row[f"Registration.{part}"] = text(f"rr:Registration/rr:{part}")
    periods = record.iterfind("rr:Relationship/rr:RelationshipPeriods/rr:RelationshipPeriod", ns)
    for n, period in enumerate(periods, 1):
        row[f"Relationship.Period.{n}.startDate"] = text("rr:StartDate", period)
        row[f"Relationship.Period.{n}.endDate"] = text("rr:EndDate", period)
        row[f"Relationship.Period.{n}.periodType"] = text("rr:PeriodType", period)
    quantifiers = record.iterfind(
        "rr:Relationship/rr:RelationshipQuantifiers/rr:RelationshipQuantifier", ns
    )
    for n, quantifier in enumerate(quantifiers, 1):
        for part in ("MeasurementMethod", "QuantifierAmount", "QuantifierUnits"):
            row[f"Relationship.Quantifiers.{n}.{part}"] = text(f"rr:{part}", quantifier)
    return row


def _exception(record: Any) -> dict[str, str]:
    row: dict[str, str] = {}
    counts: dict[str, int] = {}
    for child in record:
        name = _local(child)
        if name in ("ExceptionReason", "ExceptionReference"):
            counts[name] = counts.get(name, 0) + 1
            row[f"{name}.{counts[name]}"] = _text(child)
        elif name:
            row[name] = _text(child)
    return row
