"""CSV holdings import looks its names up in one batch: the store is asked as often for
a long file as for a short one, a bad cell is reported before any look-up, and every
name resolves as it does one by one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from groupkg.graph import import_file, open_store
from groupkg.graph.errors import GroupkgError, InputError
from groupkg.graph.facts.batchnames import StoreNames
from groupkg.graph.facts.storenames import find_in_store
from groupkg.graph.formats.csvholdings import read_csv
from groupkg.graph.formats.csvholdings.reader import read_csv_ntriples
from groupkg.graph.store import OxigraphStore, Store

TWINS = """\
@prefix gk: <https://w3id.org/groupkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/t1> a gk:LegalEntity ; rdfs:label "Twin Co" .
<https://example.org/t2> a gk:LegalEntity ; rdfs:label "Twin Co" .
<https://example.org/a1> a gk:LegalEntity ; rdfs:label "Acme" .
<https://example.org/a2> a gk:LegalEntity ; rdfs:label "AcMe" .
<https://example.org/b1> a gk:LegalEntity ; rdfs:label "Bolt Ltd" .
<https://example.org/company-5> a gk:LegalEntity ; rdfs:label "Other" .
"""


def counting(store: OxigraphStore) -> list[str]:
    """Every query ``store`` is asked from now on, by the methods queries go through."""
    asked: list[str] = []
    for method in ("select", "query_raw"):
        real = getattr(store, method)

        def wrapper(query: str, *args: Any, _real: Any = real) -> Any:
            asked.append(query)
            return _real(query, *args)

        setattr(store, method, wrapper)
    return asked


def holdings_file(tmp_path: Path, rows: int) -> Path:
    """``rows`` holdings among names no store here has, owners repeating."""
    path = tmp_path / f"holdings-{rows}.csv"
    lines = ["owner,owned,percent,start_date"]
    lines += [f"Qorvex {i % 37},Zentrip {1000 + i},60,2020-01-01" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def queries_of_import(tmp_path: Path, path: Path) -> int:
    store = open_store("memory", default_data=True, writable=True)
    assert isinstance(store, OxigraphStore)
    asked = counting(store)
    import_file(store, path)
    return len(asked)


def test_the_store_is_asked_as_often_for_500_rows_as_for_50(tmp_path):
    short = queries_of_import(tmp_path, holdings_file(tmp_path, 50))
    long = queries_of_import(tmp_path, holdings_file(tmp_path, 500))
    assert short == long
    assert long <= 5


def test_a_bad_cell_is_reported_before_any_name_is_looked_up(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("owner,owned,percent\nIIJ,Acme,50\nNTT,Beta,120\n", encoding="utf-8")
    store = open_store("memory", default_data=True, writable=True)
    assert isinstance(store, OxigraphStore)
    asked = counting(store)
    with pytest.raises(InputError, match="120 is not a percentage"):
        import_file(store, path)
    assert asked == []


def outcome(store: Store, name: str, find: Any) -> str | None:
    try:
        return find(store, name)
    except GroupkgError as exc:
        return f"{type(exc).__name__}: {exc}"


NAMES = [
    "Twin Co", "twin co", "acme", "ACME", "aCmE", "AcMe", "Bolt", "bolt ltd.", "Company 5",
    "company-5", "https://example.org/b1", "Other", "IIJ", "iij technology", "IIJ Exlayer!!",
    "iij-exlayer", "Internet Initiative Japan", "株式会社インターネットイニシアティブ",
    "Iij America Inc.", "  NTT  ", "Brand New Co", "entity", "Co.", "x" * 5000, "",
]  # fmt: skip


@pytest.mark.parametrize("default_data", [True, False])
def test_a_batch_finds_what_one_by_one_finds(tmp_path, default_data):
    twins = tmp_path / "twins.ttl"
    twins.write_text(TWINS, encoding="utf-8")
    store = open_store("memory", default_data=default_data, writable=True)
    import_file(store, twins)
    batch = StoreNames(store)
    batch.look_up(NAMES)
    for name in NAMES:
        expected = outcome(store, name, find_in_store)
        assert outcome(store, name, lambda _, n: batch.find(n)) == expected, name


def test_the_triples_an_import_writes_are_those_of_the_graph(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text(
        "owner,owned,percent,source\nAcme,Beta,60,S\nAcme,Gamma,,\nAcme,Beta,60,S\n",
        encoding="utf-8",
    )
    triples = read_csv_ntriples(path)
    assert len(triples) == len(set(triples))
    assert len(triples) == len(read_csv(path))
