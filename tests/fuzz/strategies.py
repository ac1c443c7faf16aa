"""Hypothesis strategies of the fuzz suite: valid seeds, mutated.

Three levels of mutation, from blind to informed:

- :func:`mutated_bytes` edits raw bytes: flips, deletions, truncations, duplicated or
  swapped lines, and insertions of the tokens parsers trip on (quotes, commas,
  newlines, NUL, odd Unicode, huge, negative and non-finite numbers, impossible dates,
  very long strings);
- :func:`mutated_table` edits a CSV file as a table: shuffled or deleted columns,
  short and long rows, cells replaced by those tokens, and writes it back quoted or
  not;
- :func:`mutated_json` edits a JSON document as a tree: deleted keys, values replaced
  by other types or by those tokens, duplicated array items.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from hypothesis import strategies as st

__all__ = [
    "NASTY",
    "nasty_text",
    "long_text",
    "mutated_bytes",
    "mutated_table",
    "mutated_json",
    "group_turtle",
    "number_texts",
    "date_texts",
]

#: Text that has broken parsers somewhere: syntax characters, odd Unicode, numbers
#: out of range or not finite, impossible dates (long strings: :func:`long_text`).
# fmt: off
NASTY = [
    '"', "'", '""', ",", ";", "\n", "\r\n", "\r", "\t", "\x00", "\\", "\\u0000", "{", "}",
    "[", "]", "<", ">", "@", "#", "%", ":", "_:", "^^", "@en", ".", "..", "/", "?",
    "é", "日本語", "\u202e", "\ufeff", "\u200b", "\U0001f600", "e\u0301", "𝟙𝟚", "١٢٣",
    "İ", "ß", "\udcff",
    "NaN", "nan", "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "-inf", "INF",
    "-1", "-0", "0", "0.0", "1", "100", "100.0000001", "100.01", "101", "50%", "60 %",
    "1e308", "1e309", "-1e309", "1e-400", "9" * 40, "-" + "9" * 40, "1E+999999", "0x1F",
    "1_000", "1,5", "+5", "٣٤", "Ⅻ",
    "2013-02-30", "2013-13-01", "0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01",
    "2013-1-1", "2013", "2013-11", "-2013-01-01", "2013-01-01T00:00:00Z",
    "2013-01-01T25:61:61+99:99", "２０１３-０１-０１",
    "true", "false", "null", "None", "undefined",
]

_NASTY_BYTES = [t.encode("utf-8", "surrogatepass") for t in NASTY] + [
    b"\xff", b"\xfe\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\x80\x80",
]
# fmt: on


def long_text() -> st.SearchStrategy[str]:
    """A string far longer than a name or a cell (past csv's 131,072-character limit)."""
    return st.builds(lambda n, c: c * n, st.sampled_from([300, 5000, 140_000]),
                     st.sampled_from(["x", "9", "é", '"']))  # fmt: skip


def nasty_text() -> st.SearchStrategy[str]:
    """A cell, name or argument: a nasty token, random text, or both together."""
    return st.one_of(
        st.sampled_from(NASTY),
        long_text(),
        st.text(max_size=30),
        st.builds(lambda a, b: a + b, st.sampled_from(NASTY), st.text(max_size=10)),
    )


def number_texts() -> st.SearchStrategy[str]:
    """Text meant as a number or percentage: plausible, out of range or not a number."""
    return st.one_of(
        st.integers(-(10**30), 10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats(0, 100).map(lambda x: f"{x:.4f}"),
        st.sampled_from(NASTY),
    )


def date_texts() -> st.SearchStrategy[str]:
    """Text meant as a date: real ones, partial ones, impossible ones, anything."""
    real = st.dates().map(lambda d: d.isoformat())
    return st.one_of(
        real,
        real.map(lambda s: s[:7]),
        real.map(lambda s: s[:4]),
        st.tuples(st.integers(-20, 20000), st.integers(-1, 14), st.integers(-1, 33)).map(
            lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
        ),
        st.sampled_from(NASTY),
        st.text(max_size=12),
    )


@st.composite
def mutated_bytes(draw: st.DrawFn, seed: bytes, max_edits: int = 5) -> bytes:
    """``seed`` after one to ``max_edits`` random edits."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, max_edits))):
        size = len(data)
        op = draw(
            st.sampled_from(
                ["flip", "delete", "truncate", "insert", "insert", "insert", "duplicate",
                 "swap-lines", "drop-line"]
            )
        )  # fmt: skip
        at = draw(st.integers(0, size))
        if op == "flip" and size:
            at = min(at, size - 1)
            data[at] ^= draw(st.integers(1, 255))
        elif op == "delete" and size:
            end = draw(st.integers(at, min(size, at + 64)))
            del data[at:end]
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            token = draw(
                st.one_of(
                    st.sampled_from(_NASTY_BYTES),
                    st.binary(min_size=1, max_size=8),
                    long_text().map(str.encode),
                )
            )
            data[at:at] = token
        elif op == "duplicate" and size:
            end = draw(st.integers(at, min(size, at + 256)))
            target = draw(st.integers(0, size))
            data[target:target] = data[at:end]
        elif op in ("swap-lines", "drop-line"):
            lines = bytes(data).split(b"\n")
            if len(lines) > 1:
                i = draw(st.integers(0, len(lines) - 1))
                if op == "drop-line":
                    del lines[i]
                else:
                    j = draw(st.integers(0, len(lines) - 1))
                    lines[i], lines[j] = lines[j], lines[i]
                data = bytearray(b"\n".join(lines))
    return bytes(data)


def _parse_table(seed: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(seed))]


@st.composite
def mutated_table(draw: st.DrawFn, seed: str, cells: st.SearchStrategy[str] | None = None,
                  max_edits: int = 4) -> str:  # fmt: skip
    """A CSV file ``seed`` after table edits, written back with or without quoting."""
    cells = cells if cells is not None else nasty_text()
    table = _parse_table(seed)
    for _ in range(draw(st.integers(1, max_edits))):
        width = max((len(r) for r in table), default=0)
        op = draw(
            st.sampled_from(
                ["cell", "cell", "cell", "shuffle-columns", "drop-column", "short-row",
                 "long-row", "duplicate-row", "drop-row", "header-cell", "empty-cell"]
            )
        )  # fmt: skip
        if not table or not width:
            table = [[draw(cells)]]
            continue
        row = draw(st.integers(0, len(table) - 1))
        column = draw(st.integers(0, width - 1))
        if op in ("cell", "empty-cell") and table[row]:
            column = min(column, len(table[row]) - 1)
            table[row][column] = "" if op == "empty-cell" else draw(cells)
        elif op == "header-cell" and table[0]:
            column = min(column, len(table[0]) - 1)
            table[0][column] = draw(st.one_of(cells, st.just(table[0][column].upper())))
        elif op == "shuffle-columns":
            order = draw(st.permutations(range(width)))
            table = [[r[i] for i in order if i < len(r)] for r in table]
        elif op == "drop-column":
            table = [[c for i, c in enumerate(r) if i != column] for r in table]
        elif op == "short-row":
            table[row] = table[row][: draw(st.integers(0, len(table[row])))]
        elif op == "long-row":
            table[row] = table[row] + draw(st.lists(cells, min_size=1, max_size=3))
        elif op == "duplicate-row":
            table.insert(draw(st.integers(0, len(table))), list(table[row]))
        elif op == "drop-row":
            del table[row]
    out = io.StringIO()
    if draw(st.booleans()):
        csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(table)
    else:  # no quoting at all: a comma or newline inside a cell shifts the columns
        out.write("\n".join(",".join(r) for r in table) + "\n")
    return out.getvalue()


_GROUP_PREFIXES = """\
@prefix ex: <https://example.org/fuzz/> .
@prefix gk: <https://w3id.org/groupkg/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:src a gk:Source ; dcterms:title "Fuzz register" .
"""

_DATE_LITERALS = [
    '"2010-01-01"^^xsd:date', '"2013-12-31"^^xsd:date', '"2014-01-01"^^xsd:date',
    '"2013"^^xsd:gYear', '"2013-11"^^xsd:gYearMonth', '"2012-06-30T12:00:00Z"^^xsd:dateTime',
    '"2013-02-30"^^xsd:date', '"0001-01-01"^^xsd:date', '"9999-12-31"^^xsd:date',
    '"-0044-03-15"^^xsd:date', '"10000-01-01"^^xsd:date', '"2013-01-01"', '"soon"^^xsd:date',
]  # fmt: skip
_NUMBER_LITERALS = [
    "0", "1", "20", "33.3", "50", "50.0", "60", "99.99", "100", "100.005", "150", "-5",
    '"NaN"^^xsd:double', '"INF"^^xsd:double', '"-INF"^^xsd:double', '"1e400"^^xsd:double',
    '"abc"^^xsd:decimal', '"60"^^xsd:string', "1E308", "12345678901234567890123456789",
    '"2.5"^^xsd:float', "0.0000001", '"NaN"^^xsd:decimal', '"Infinity"^^xsd:decimal', "1e400",
]  # fmt: skip


def _turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("\r", "\\r") + '"'


@st.composite
def group_turtle(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A small, odd group in Turtle, and the names of its entities.

    Everything the time model and the analytics read is drawn from values that are
    valid, borderline or plainly wrong: self-holdings, cross-holdings, stakes over
    100 or not finite, open and exclusive ranges, impossible and partial dates,
    mergers that absorb their own survivor, splits by zero, negative issues.
    """
    count = draw(st.integers(1, 6))
    ids = [f"e{i}" for i in range(count)]
    names = []
    date = st.sampled_from(_DATE_LITERALS)
    number = st.sampled_from(_NUMBER_LITERALS)
    lines = [_GROUP_PREFIXES]
    for entity in ids:
        kind = draw(st.sampled_from(["gk:LegalEntity", "gk:LegalEntity", "gk:NaturalPerson",
                                     "gk:UnnamedHolders", "gk:Fund", "gk:Trust"]))  # fmt: skip
        name = draw(st.one_of(st.just(entity.upper()), nasty_text()))
        names.append(name)
        props = [f"a {kind}", f"rdfs:label {_turtle_string(name)}", "prov:wasDerivedFrom ex:src"]
        if draw(st.booleans()):
            props.append(f"gk:incorporationDate {draw(date)}")
        if draw(st.integers(0, 3)) == 0:
            props.append(f"gk:dissolutionDate {draw(date)}")
        lines.append(f"ex:{entity} " + " ; ".join(props) + " .")
    party = st.sampled_from(ids)
    for i in range(draw(st.integers(0, 10))):
        props = ["a gk:Holding", f"gk:owner ex:{draw(party)}", f"gk:owned ex:{draw(party)}",
                 "gk:factStatus gk:Stated", "prov:wasDerivedFrom ex:src"]  # fmt: skip
        stake = draw(st.sampled_from(["exact", "exact", "range", "open-range", "none"]))
        if stake == "exact":
            props.append(f"gk:percent {draw(number)}")
        elif stake in ("range", "open-range"):
            props.append(f"gk:percentMin {draw(number)}")
            props.append(f"gk:percentMax {draw(number)}")
            if stake == "open-range":
                props.append("gk:percentMinExclusive true ; gk:percentMaxExclusive true")
        if draw(st.booleans()):
            props.append(f"gk:shares {draw(number)}")
        for prop in ("validFrom", "validTo", "asOf"):
            if draw(st.integers(0, 2)) == 0:
                props.append(f"gk:{prop} {draw(date)}")
        lines.append(f"ex:h{i} " + " ; ".join(props) + " .")
    for i in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["gk:DirectConsolidation", "gk:UltimateConsolidation"]))
        lines.append(
            f"ex:r{i} a {kind} ; gk:parent ex:{draw(party)} ; gk:child ex:{draw(party)} ; "
            f"gk:validFrom {draw(date)} ; gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:src ."
        )
    for i in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["merger", "split", "issue", "observation"]))
        when = f"gk:effectiveDate {draw(date)}" if draw(st.integers(0, 4)) else "rdfs:comment 'x'"
        if kind == "merger":
            absorbed = ", ".join(f"ex:{a}" for a in draw(st.lists(party, min_size=1, max_size=3)))
            lines.append(
                f"ex:m{i} a gk:AbsorptionMerger, org:ChangeEvent ; gk:survivor ex:{draw(party)} ; "
                f"gk:absorbed {absorbed} ; {when} ; prov:wasDerivedFrom ex:src ."
            )
        elif kind == "split":
            lines.append(
                f"ex:s{i} a gk:StockSplit ; gk:issuer ex:{draw(party)} ; "
                f"gk:splitRatio {draw(number)} ; {when} ; prov:wasDerivedFrom ex:src ."
            )
        elif kind == "issue":
            lines.append(
                f"ex:i{i} a gk:PublicOffering ; gk:issuer ex:{draw(party)} ; "
                f"gk:newSharesIssued {draw(number)} ; {when} ; prov:wasDerivedFrom ex:src ."
            )
        else:
            lines.append(
                f"ex:o{i} a gk:ShareCapitalObservation ; gk:subject ex:{draw(party)} ; "
                f"gk:measure gk:IssuedShares ; gk:value {draw(number)} ; gk:asOf {draw(date)} ; "
                "gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:src ."
            )
    return "\n".join(lines) + "\n", names


def _json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**40), 10**40),
        st.floats(allow_nan=True, allow_infinity=True),
        nasty_text(),
        date_texts(),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )


def _paths(doc: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            found += _paths(value, (*prefix, i))
    return found


def _get(doc: Any, path: tuple) -> Any:
    for step in path:
        doc = doc[step]
    return doc


@st.composite
def mutated_json(draw: st.DrawFn, seed: Any, max_edits: int = 4) -> str:
    """The JSON document ``seed`` after tree edits, serialised (NaN and all)."""
    doc = json.loads(json.dumps(seed))
    for _ in range(draw(st.integers(1, max_edits))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["replace", "replace", "delete", "duplicate", "retype", "swap"]))
        if not path:
            if op == "replace":
                doc = draw(_json_values())
            continue
        parent, key = _get(doc, path[:-1]), path[-1]
        if op == "replace":
            parent[key] = draw(_json_values())
        elif op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, json.loads(json.dumps(parent[key])))
        elif op == "retype":
            value = parent[key]
            parent[key] = [value] if not isinstance(value, list) else (value[0] if value else {})
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                parent[key] = draw(st.sampled_from([str(value), [value], {"value": value}, -1]))
        elif op == "swap":
            other = draw(st.sampled_from(paths))
            try:
                parent[key] = json.loads(json.dumps(_get(doc, other)))
            except (KeyError, IndexError, TypeError):
                pass
    return json.dumps(doc, ensure_ascii=draw(st.booleans()))
