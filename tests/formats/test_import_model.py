"""An import into a new or small ``oxigraph:PATH`` store builds the store's time model
beside it, while it loads: the first question opens it instead of reading the store.

The model saved by the import must be the one the first question would have built
from the store (same columns, same provenance), under the key readers compute.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from groupkg.graph import InputError, OxigraphStore, Register, import_file, open_store, write_synth
from groupkg.graph.formats import importer
from groupkg.graph.timemodel.cache import cache_key
from tests.turtle import prefixes

DATA = Path(__file__).parents[1] / "data"


def _arrays(register: Register, folder: Path) -> dict[str, np.ndarray]:
    """A register's arrays as saved and mapped back (provenance packed the same way)."""
    saved = register.save(folder / "copy.model")
    return {k: np.asarray(v) for k, v in Register.load(saved)._arrays.items()}


def _cache(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".model")


def _same_as_read_back(store_path: Path, folder: Path) -> None:
    """The cache the import left equals the register read back out of the store."""
    reader = OxigraphStore(store_path, read_only=True)
    saved = Register.load(_cache(store_path))
    assert saved.key == cache_key(reader)
    read_back = Register.from_store(reader, cache=False)
    reader.close()
    want = _arrays(read_back, folder)
    got = {k: np.asarray(v) for k, v in saved._arrays.items()}
    assert got.keys() == want.keys()
    differ = [k for k in want if not np.array_equal(got[k], want[k])]
    assert not differ
    assert "stake_blob" in got  # with provenance, as the first question needs


@pytest.mark.parametrize(
    "source,fmt",
    [
        ("synth", None),
        ("real/gleif-rr-csv-2019/rr-golden-copy-excerpt.csv", "gleif-rr"),
        ("gleif/sample.csv", "gleif-rr"),
    ],
)
@pytest.mark.parametrize("default_data", [False, True])
def test_an_import_into_a_new_store_leaves_the_model_the_store_would_give(
    tmp_path, source, fmt, default_data
):
    if source == "synth":
        path = tmp_path / "synth.nt"
        write_synth(path, 300, seed=7)
    else:
        path = DATA / source
    store_path = tmp_path / "store"
    store = open_store(f"oxigraph:{store_path}", default_data=default_data, writable=True)
    import_file(store, path, fmt)
    store.close()
    assert _cache(store_path).is_dir()
    _same_as_read_back(store_path, tmp_path)


def test_a_second_import_builds_the_model_of_both(tmp_path):
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    write_synth(first, 120, seed=1)
    write_synth(second, 150, seed=2)
    store_path = tmp_path / "store"
    store = open_store(f"oxigraph:{store_path}", default_data=False, writable=True)
    import_file(store, first)
    before = Register.load(_cache(store_path))
    import_file(store, second)
    store.close()
    after = Register.load(_cache(store_path))
    assert after.key != before.key and len(after) > len(before)
    _same_as_read_back(store_path, tmp_path)


def test_a_store_above_the_limit_leaves_the_model_to_the_first_question(tmp_path, monkeypatch):
    path = tmp_path / "synth.nt"
    write_synth(path, 100, seed=3)
    store_path = tmp_path / "store"
    store = open_store(f"oxigraph:{store_path}", default_data=False, writable=True)
    monkeypatch.setattr(importer, "MODEL_BASE_LIMIT", len(store) - 1)
    import_file(store, path)
    assert not _cache(store_path).exists()
    store.close()
    reader = OxigraphStore(store_path, read_only=True)
    Register.from_store(reader)  # the first question: reads the store, saves the cache
    reader.close()
    _same_as_read_back(store_path, tmp_path)


def test_a_file_with_blank_nodes_leaves_the_model_to_the_first_question(tmp_path):
    # The store on disk and the one in memory would name the blank nodes apart.
    turtle = tmp_path / "holding.ttl"
    turtle.write_text(
        prefixes(x="https://example.org/x/") + "x:p a gk:LegalEntity . x:q a gk:LegalEntity .\n"
        "[] a gk:Holding ; gk:owner x:p ; gk:owned x:q ; gk:percent 60.0 ;\n"
        '   gk:validFrom "2001-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
    )
    store_path = tmp_path / "store"
    store = open_store(f"oxigraph:{store_path}", default_data=False, writable=True)
    import_file(store, turtle)
    store.close()
    assert not _cache(store_path).exists()
    reader = OxigraphStore(store_path, read_only=True)
    register = Register.from_store(reader)
    reader.close()
    assert [(s.entity, s.low) for s in register.owners_at("https://example.org/x/q", 740000)] == [
        ("https://example.org/x/p", 0.6)
    ]


@pytest.mark.parametrize(
    "broken",
    [
        "<https://example.org/x> <broken",
        # a line the model's reading takes, which the bulk loader refuses
        '<https://example.org/x> <https://example.org/p> "an \\q escape" .',
    ],
)
def test_a_failed_import_leaves_neither_data_nor_a_model(tmp_path, broken):
    good, bad = tmp_path / "good.nt", tmp_path / "bad.nt"
    write_synth(good, 80, seed=5)
    lines = good.read_text().splitlines()
    bad.write_text("\n".join(lines[:50] + [broken] + lines[50:]) + "\n")
    store_path = tmp_path / "store"
    store = open_store(f"oxigraph:{store_path}", default_data=False, writable=True)
    size = len(store)
    with pytest.raises(InputError, match="line 51"):
        import_file(store, bad)
    for thread in threading.enumerate():  # the model's, should it still be building
        if thread.name == "groupkg-model":
            thread.join()
    assert len(store) == size
    store.close()
    assert not _cache(store_path).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nt", "good.nt", "store"]


def test_the_saved_model_keeps_each_entitys_own_facts_and_issued_shares(tmp_path):
    # What a picture of a group read from the model prints about each entity: its own
    # facts (legal names, identifiers, listings, dated facts) and its issued shares on
    # any day, as the time model of the facts gives them.
    import datetime as dt

    from groupkg.graph import Timeline, load_dataset
    from groupkg.graph.timemodel.knowledge import visible

    store_path = tmp_path / "store"
    store = open_store(f"oxigraph:{store_path}", default_data=True, writable=True)
    store.close()
    reader = OxigraphStore(store_path, read_only=True)
    Register.from_store(reader).save(tmp_path / "saved.model")
    saved = Register.load(tmp_path / "saved.model")
    dataset = load_dataset(reader)
    reader.close()
    # The model is built from the records nothing supersedes (docs/knowledge.md).
    timeline = Timeline(visible(dataset, None))
    assert saved.entity_records is not None
    shared = 0
    for position, entity_id in enumerate(saved.ids):
        entity, issued = saved.entity_records[position]
        assert entity == dataset.entities.get(entity_id)
        days = timeline.share_days(entity_id)
        shared += bool(issued.points)
        for day in [*days, *(d - dt.timedelta(days=1) for d in days), dt.date(2030, 1, 1)]:
            assert issued.on(day) == timeline.issued_shares(entity_id, day), (entity_id, day)
    assert shared  # IIJ's issued shares through its split and offerings
    iij = next(e for e in dataset.entities.values() if e.identifiers)
    assert saved.entity_records[saved.position(iij.id)][0].identifiers == iij.identifiers


@pytest.mark.parametrize(
    "free,limit,built",
    [
        (None, 1 << 30, True),  # free memory unknown: a file under the fixed limit
        (None, 10, False),  # ... and one over it
        (1 << 40, 10, True),  # memory to spare: the fixed limit does not apply
        (1_000, 1 << 30, False),  # the model would take more than half of what is free
    ],
)
def test_the_model_beside_an_import_is_built_when_it_fits_in_memory(
    tmp_path, monkeypatch, free, limit, built
):
    path = tmp_path / "synth.nt"
    write_synth(path, 60, seed=4)
    monkeypatch.setattr(importer, "free_memory", lambda: free)
    monkeypatch.setattr(importer, "MODEL_FILE_LIMIT", limit)
    store_path = tmp_path / "store"
    store = open_store(f"oxigraph:{store_path}", default_data=False, writable=True)
    import_file(store, path)
    store.close()
    assert _cache(store_path).exists() == built
    if built:
        _same_as_read_back(store_path, tmp_path)


def test_free_memory_is_read_on_linux():
    free = importer.free_memory()
    lines = Path("/proc/meminfo").read_text().splitlines()
    total = int(next(line for line in lines if line.startswith("MemTotal:")).split()[1])
    assert free is not None and 0 < free <= total * 1024
