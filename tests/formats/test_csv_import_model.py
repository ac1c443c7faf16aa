"""A CSV holdings import into a new ``oxigraph:PATH`` store builds the store's time
model beside the bulk load, from the lines of the N-Triples it writes
(:mod:`groupkg.graph.facts.ntfacts`), and stamps the import time from the triples the
reader holds in memory: the model must be the one the first question would have read
out of the store, and the stamps those the file gives.
"""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groupkg.graph import open_store
from groupkg.graph.errors import BadInput
from groupkg.graph.facts.loader import load_dataset
from groupkg.graph.facts.ntfacts import ntriples_facts
from groupkg.graph.formats import importer
from groupkg.graph.formats.csvholdings.reader import read_csv_ntriples
from groupkg.graph.formats.importer import import_read
from groupkg.graph.formats.importtime import import_stamps
from groupkg.graph.formats.writers import write_csv_holdings
from groupkg.graph.model import Dataset
from groupkg.graph.store import OxigraphStore
from tests.formats.test_import_model import _cache, _same_as_read_back

_HEADER = (
    "owner,owned,percent,percent_min,percent_max,percent_min_exclusive,"
    "percent_max_exclusive,shares,share_class,start_date,end_date,as_of,interest_type,"
    "owner_identifier,owned_identifier,source,known_from\n"
)
# Every column, a reported consolidation of each kind, an LEI that names GLEIF's entity,
# a name given twice with other spacing, sources given and not, a row known from a day.
EVERY_COLUMN = _HEADER + (
    "Acme Holdings,Acme UK,60,,,,,1200,A,2020-01-01,2023-06-30,,shareholding,"
    "GB-COH:02723534,,annual report 2020,\n"
    "Acme Holdings,Acme  Germany,,25,50,true,false,,,2019,,,votingRights,,,,2021-03-04\n"
    "Acme Holdings,Acme US,,,,,,,,,,2021-12-31,,,XI-LEI:PY6ZZQWO2IZFZC3IOL08,register,\n"
    "Acme UK,Acme Retail,100,,,,,,,2020-06,,,directConsolidation,,,annual report 2020,\n"
    "Acme Holdings,Acme Retail,,,,,,,,,,,ultimateConsolidation,,,,\n"
    "Müller AG,Acme Germany,50,,,,,,,,,2022-01-01,,,,register,\n"
)


def _import_new(tmp_path: Path, csv: Path) -> Path:
    """``csv`` imported into a new store, which it leaves with its model."""
    store_path = tmp_path / "store"
    store = open_store(f"oxigraph:{store_path}", default_data=False, writable=True)
    import_read(store, csv)
    store.close()
    assert _cache(store_path).is_dir()
    return store_path


def test_a_csv_import_with_every_column_leaves_the_model_the_store_would_give(tmp_path):
    csv = tmp_path / "holdings.csv"
    csv.write_text(EVERY_COLUMN, encoding="utf-8")
    _same_as_read_back(_import_new(tmp_path, csv), tmp_path)


def test_the_bundled_group_as_csv_leaves_the_model_the_store_would_give(tmp_path):
    # The IIJ group as the CSV export writes it: real holdings, ranges, share counts,
    # observations as of a day, sources of every kind.
    bundled = open_store("memory")
    csv = tmp_path / "iij.csv"
    csv.write_bytes(write_csv_holdings(bundled, dt.date(2024, 1, 1)))
    assert csv.read_text(encoding="utf-8").count("\n") > 20
    _same_as_read_back(_import_new(tmp_path, csv), tmp_path)


def test_an_import_into_a_store_holding_data_builds_the_model_from_both(tmp_path):
    # Not from the file's triples alone: the store's data is part of the model.
    csv = tmp_path / "holdings.csv"
    csv.write_text(EVERY_COLUMN, encoding="utf-8")
    store_path = tmp_path / "store"
    store = open_store(f"oxigraph:{store_path}", default_data=True, writable=True)
    import_read(store, csv)
    store.close()
    _same_as_read_back(store_path, tmp_path)


def _sorted(dataset: Dataset) -> tuple[object, ...]:
    """A dataset with its lists in one order (a store answers in an order of its own)."""
    return (
        dataset.entities,
        sorted(dataset.holdings, key=lambda h: h.id),
        sorted(dataset.relations, key=lambda r: r.id),
        dataset.events,
        dataset.observations,
        dataset.sources,
        dataset.merged_into,
    )


def _from_store(triples: list[tuple[str, str, str]]) -> Dataset:
    store = OxigraphStore()
    text = "".join(f"{s} {p} {o} .\n" for s, p, o in triples)
    store.store.load(input=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return load_dataset(store)


_NAMES = ["Acme", "ACME", "Acme Inc.", "Acmé", "Beta Ltd", "beta-ltd", "Gamma", "Δelta", "O'Neil"]
_SOURCES = ["", "", "annual report", "register, 2020", 'a "quoted" source']


@st.composite
def _rows(draw: st.DrawFn) -> str:
    owner, owned = draw(st.sampled_from(_NAMES)), draw(st.sampled_from(_NAMES))
    kind = draw(st.sampled_from(["", "shareholding", "votingRights", "directConsolidation",
                                 "ultimateConsolidation"]))  # fmt: skip
    percent = low = high = shares = share_class = ""
    figure = draw(st.sampled_from(["percent", "range", "none"]))
    if figure == "percent" or "Consolidation" in kind:
        if draw(st.booleans()):
            percent = str(draw(st.decimals(0, 100, places=2)))
    elif figure == "range":
        low = str(draw(st.integers(0, 50)))
        high = str(draw(st.integers(51, 100)))
    if "Consolidation" not in kind and draw(st.booleans()):
        shares = str(draw(st.integers(1, 10**12)))
        share_class = draw(st.sampled_from(["", "A", "ordinary"]))
    day = st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
    start = draw(st.sampled_from(["", draw(day).isoformat(), "2015", "2016-07"]))
    end = ""
    if start and draw(st.booleans()):
        end = "2031-01-01"
    as_of = draw(st.sampled_from(["", draw(day).isoformat()]))
    source = draw(st.sampled_from(_SOURCES))
    known = draw(st.sampled_from(["", "", "2024-05-06", "2024-05-06T07:08:09Z"]))
    cells = [owner, owned, percent, low, high, shares, share_class, start, end, as_of, kind,
             f'"{source}"' if '"' not in source else '"' + source.replace('"', '""') + '"',
             known]  # fmt: skip
    return ",".join(cells)


_RANDOM_HEADER = (
    "owner,owned,percent,percent_min,percent_max,shares,share_class,start_date,end_date,"
    "as_of,interest_type,source,known_from\n"
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(_rows(), min_size=1, max_size=12),
    name=st.text(string.ascii_lowercase, min_size=1, max_size=6),
)
def test_the_facts_of_a_csv_files_ntriples_are_those_a_store_of_them_gives(tmp_path, rows, name):
    csv = tmp_path / f"{name}.csv"
    csv.write_text(_RANDOM_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    try:
        triples = read_csv_ntriples(csv)
    except BadInput:  # a row that holds itself, say: nothing to compare
        return
    triples += import_stamps(csv, OxigraphStore(), "2026-01-02T03:04:05Z", triples)
    staged = tmp_path / f"{name}.nt"
    staged.write_text("".join(f"{s} {p} {o} .\n" for s, p, o in triples), encoding="utf-8")
    assert _sorted(ntriples_facts([staged])) == _sorted(_from_store(triples))


def test_the_import_time_stamps_from_the_triples_are_those_from_the_file(tmp_path):
    csv = tmp_path / "holdings.csv"
    csv.write_text(EVERY_COLUMN, encoding="utf-8")
    triples = read_csv_ntriples(csv)
    staged = tmp_path / "staged.nt"
    staged.write_text("".join(f"{s} {p} {o} .\n" for s, p, o in triples), encoding="utf-8")
    moment = "2026-01-02T03:04:05Z"
    store = OxigraphStore()
    from_file = import_stamps(staged, store, moment)
    assert from_file == import_stamps(staged, store, moment, triples)
    # Every record derived from a source and not known from a day of its own: the six
    # rows but the one with known_from; the six entities (Acme Holdings, Acme UK, Acme
    # Germany however spaced, Acme Retail, Müller AG, and Acme US, named by its LEI);
    # none of the sources or identifiers (they are derived from nothing).
    records = {s for s, _, _ in from_file}
    assert len(records) == 5 + 6
    assert all(s.startswith("<") for s in records)
    holding_stamped = [r for r in records if "/holding/" in r or "/relation/" in r]
    assert len(holding_stamped) == 5


def test_a_csv_file_whose_model_would_not_fit_leaves_the_model_to_the_first_question(
    tmp_path, monkeypatch
):
    csv = tmp_path / "holdings.csv"
    csv.write_text(EVERY_COLUMN, encoding="utf-8")
    monkeypatch.setattr(importer, "free_memory", lambda: 1_000)
    store_path = tmp_path / "store"
    store = open_store(f"oxigraph:{store_path}", default_data=False, writable=True)
    import_read(store, csv)
    store.close()
    assert not _cache(store_path).exists()
