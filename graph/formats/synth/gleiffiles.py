"""Synthetic GLEIF golden-copy files, as large as the real ones if asked: a Level 1 file
(LEI-CDF) and a Level 2 relationship-record file (RR-CDF) of the records
:mod:`~groupkg.graph.formats.synth.gleifrecords` draws, in the golden copy's CSV
layout or in its XML, written record after record (flat memory), each file appearing
only when complete.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from groupkg.graph.errors import InputError
from groupkg.graph.formats.gleifheads import NAMESPACES
from groupkg.graph.formats.synth.atomic import whole_file
from groupkg.graph.formats.synth.gleifrecords import (
    LEI_COLUMNS,
    REGISTRATION_PARTS,
    RR_COLUMNS,
    lei_records,
    relationship_records,
)

__all__ = ["SYNTAXES", "write_gleif"]

SYNTAXES = ("csv", "xml")
_PROGRESS_STEP = 10_000
_CONTENT_DATE = "2024-03-01T08:00:00Z"  # fixed: the same seed writes the same bytes


def write_gleif(
    folder: str | os.PathLike[str],
    entities: int,
    relationships: int,
    seed: int = 0,
    syntax: str = "csv",
    progress: Callable[[int], None] | None = None,
) -> tuple[Path, Path]:
    """Write ``lei.SYNTAX`` (``entities`` Level 1 records) and ``rr.SYNTAX`` (at most
    ``relationships`` relationship records among them) into ``folder`` (made if
    need be); return their paths. ``progress`` is told the records written so far, of both files.

    Examples
    --------
    >>> import tempfile
    >>> from groupkg.graph.formats.gleifheads import kind_of_head
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     paths = [p for syntax in SYNTAXES for p in write_gleif(folder, 20, 10, 1, syntax)]
    ...     [kind_of_head(p.read_bytes()[:4096]) for p in paths]
    [('lei', 'csv'), ('rr', 'csv'), ('lei', 'xml'), ('rr', 'xml')]
    """
    if syntax not in SYNTAXES:
        raise ValueError(f"syntax must be one of {', '.join(SYNTAXES)}, not {syntax!r}")
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{target}: cannot write into it ({exc.strerror or exc})") from None
    done = [0]

    def counted(records: Iterable[dict[str, str]]) -> Iterator[dict[str, str]]:
        for record in records:
            yield record
            done[0] += 1
            if progress is not None and done[0] % _PROGRESS_STEP == 0:
                progress(done[0])

    level1 = target / f"lei.{syntax}"
    level2 = target / f"rr.{syntax}"
    _write(level1, "lei", LEI_COLUMNS, counted(lei_records(entities, seed)), syntax)
    rr = counted(relationship_records(relationships, entities, seed))
    _write(level2, "rr", RR_COLUMNS, rr, syntax)
    if progress is not None:
        progress(done[0])
    return level1, level2


def _write(
    path: Path, kind: str, columns: tuple[str, ...], records: Iterator[dict[str, str]], syntax: str
) -> None:
    with whole_file(path, "w", encoding="utf-8", newline="") as out:
        if syntax == "csv":
            writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(records)
        else:
            _write_xml(out, kind, records)


def _write_xml(out: TextIO, kind: str, records: Iterator[dict[str, str]]) -> None:
    """The golden copy's XML: a header, then one record element a record."""
    root, header, listing = {
        "lei": ("LEIData", "LEIHeader", "LEIRecords"),
        "rr": ("RelationshipData", "Header", "RelationshipRecords"),
    }[kind]
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<{kind}:{root} '
              f'xmlns:{kind}="{NAMESPACES[kind]}">\n'
              f"<{kind}:{header}><{kind}:ContentDate>{_CONTENT_DATE}</{kind}:ContentDate>"
              f"<{kind}:FileContent>GLEIF_FULL_PUBLISHED</{kind}:FileContent>"
              f"</{kind}:{header}>\n<{kind}:{listing}>\n")  # fmt: skip
    element = _lei_element if kind == "lei" else _relationship_element
    pending: list[str] = []
    for record in records:
        pending.append(element(record))
        if len(pending) >= 1000:
            out.write("".join(pending))
            pending = []
    out.write("".join(pending))
    out.write(f"</{kind}:{listing}>\n</{kind}:{root}>\n")


def _tags(prefix: str, record: dict[str, str], key: str, names: Iterable[str]) -> str:
    """The elements ``names`` under ``key`` that the record gives, in that order."""
    parts = []
    for name in names:
        text = record.get(f"{key}.{name}", "")
        if text:
            parts.append(f"<{prefix}:{name}>{escape(text)}</{prefix}:{name}>")
    return "".join(parts)


def _lei_element(record: dict[str, str]) -> str:
    def address(kind: str) -> str:
        lines = _tags("lei", record, f"Entity.{kind}", ("FirstAddressLine", "City", "Region",
                                                        "Country", "PostalCode"))  # fmt: skip
        return f'<lei:{kind} xml:lang="en">{lines}</lei:{kind}>'

    name = escape(record["Entity.LegalName"])
    other = record.get("Entity.OtherEntityNames.OtherEntityName.1", "")
    others = ""
    if other:
        kind = quoteattr(record["Entity.OtherEntityNames.OtherEntityName.1.type"])
        others = (f'<lei:OtherEntityNames><lei:OtherEntityName xml:lang="en" type={kind}>'
                  f"{escape(other)}</lei:OtherEntityName></lei:OtherEntityNames>")  # fmt: skip
    authority = _tags("lei", record, "Entity.RegistrationAuthority",
                      ("RegistrationAuthorityID", "RegistrationAuthorityEntityID"))  # fmt: skip
    form = _tags("lei", record, "Entity.LegalForm", ("EntityLegalFormCode", "OtherLegalForm"))
    entity = _tags("lei", record, "Entity", ("LegalJurisdiction", "EntityCategory"))
    status = _tags("lei", record, "Entity", ("EntityStatus", "EntityExpirationDate"))
    registration = _tags("lei", record, "Registration", REGISTRATION_PARTS)
    return (f"<lei:LEIRecord><lei:LEI>{record['LEI']}</lei:LEI><lei:Entity>"
            f'<lei:LegalName xml:lang="en">{name}</lei:LegalName>{others}'
            f"{address('LegalAddress')}{address('HeadquartersAddress')}"
            f"<lei:RegistrationAuthority>{authority}</lei:RegistrationAuthority>{entity}"
            f"<lei:LegalForm>{form}</lei:LegalForm>{status}</lei:Entity>"
            f"<lei:Registration>{registration}</lei:Registration></lei:LEIRecord>\n")  # fmt: skip


def _relationship_element(record: dict[str, str]) -> str:
    def node(end: str) -> str:
        parts = _tags("rr", record, f"Relationship.{end}", ("NodeID", "NodeIDType"))
        return f"<rr:{end}>{parts}</rr:{end}>"

    periods = []
    for n in (1, 2):
        key = f"Relationship.Period.{n}"
        if record.get(f"{key}.periodType"):
            parts = (
                ("StartDate", "startDate"),
                ("EndDate", "endDate"),
                ("PeriodType", "periodType"),
            )
            inner = "".join(f"<rr:{tag}>{escape(record[f'{key}.{column}'])}</rr:{tag}>"
                            for tag, column in parts if record.get(f"{key}.{column}"))  # fmt: skip
            periods.append(f"<rr:RelationshipPeriod>{inner}</rr:RelationshipPeriod>")
    quantifier = _tags("rr", record, "Relationship.Quantifiers.1",
                       ("MeasurementMethod", "QuantifierAmount", "QuantifierUnits"))  # fmt: skip
    quantifiers = (f"<rr:RelationshipQuantifiers><rr:RelationshipQuantifier>{quantifier}"
                   "</rr:RelationshipQuantifier></rr:RelationshipQuantifiers>"
                   if quantifier else "")  # fmt: skip
    kind = escape(record["Relationship.RelationshipType"])
    status = escape(record["Relationship.RelationshipStatus"])
    registration = _tags("rr", record, "Registration", REGISTRATION_PARTS)
    return (f"<rr:RelationshipRecord><rr:Relationship>{node('StartNode')}{node('EndNode')}"
            f"<rr:RelationshipType>{kind}</rr:RelationshipType>"
            f"<rr:RelationshipPeriods>{''.join(periods)}</rr:RelationshipPeriods>"
            f"<rr:RelationshipStatus>{status}</rr:RelationshipStatus>{quantifiers}"
            f"</rr:Relationship><rr:Registration>{registration}</rr:Registration>"
            "</rr:RelationshipRecord>\n")  # fmt: skip
