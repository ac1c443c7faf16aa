"""Work the harness measures in a process of its own (time and peak memory alone).

``python -m benchmarks.child TASK ARGS...`` prints one JSON line with what it timed:

``load-oxigraph FILE STORE``
    a new ``oxigraph:STORE`` and the import of FILE, as ``groupkg import`` does it
    (``import_file``: checked and bulk-loaded a block at a time, then committed);
``load-floor FILE STORE``
    the limit: pyoxigraph's bulk loader alone, the whole file in one call into the
    default graph of a new store (no staging graph, no commit);
``register-store STORE``
    the register of the store read with its SPARQL queries (whatever cache is beside
    the store neither read nor written);
``register-file FILE STORE``
    the register read from the N-Triples file in one pass and saved beside the store
    (what an import could do while it has the file), under a name of its own: the
    store's own cache, which the command line reads, is left as it is;
``load-rdflib FILE``
    the peer: an rdflib in-memory ``Graph`` parsing the file.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path


def load_oxigraph(file: str, store_path: str) -> dict[str, float]:
    from groupkg.graph import import_file, open_store

    start = time.perf_counter()
    store = open_store(f"oxigraph:{store_path}", default_data=False, writable=True)
    opened = time.perf_counter()
    count = import_file(store, Path(file), "nt")
    store.close()
    done = time.perf_counter()
    return {
        "seconds": done - start,
        "open": opened - start,
        "import": done - opened,
        "triples": count,
    }


def load_floor(file: str, store_path: str) -> dict[str, float]:
    import pyoxigraph as ox

    start = time.perf_counter()
    store = ox.Store(store_path)
    store.bulk_load(path=file, format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    return {"seconds": time.perf_counter() - start}


def register_store(store_path: str) -> dict[str, float]:
    from groupkg.graph import OxigraphStore, Register

    start = time.perf_counter()
    store = OxigraphStore(store_path, read_only=True)
    register = Register.from_store(store, cache=False)
    return {
        "seconds": time.perf_counter() - start,
        "entities": len(register),
        "rows": register.rows,
    }


def register_file(file: str, store_path: str) -> dict[str, float]:
    from groupkg.graph import Register

    start = time.perf_counter()
    register = Register.from_ntriples([file])
    saved = Path(store_path).with_name(Path(store_path).name + ".from-file.model")
    register.save(saved)
    seconds = time.perf_counter() - start
    shutil.rmtree(saved)
    return {
        "seconds": seconds,
        "entities": len(register),
        "rows": register.rows,
    }


def load_rdflib(file: str) -> dict[str, float]:
    import rdflib

    start = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(file, format="nt")
    return {"seconds": time.perf_counter() - start, "triples": len(graph)}


TASKS: dict[str, Callable[..., dict[str, float]]] = {
    "load-oxigraph": load_oxigraph,
    "load-floor": load_floor,
    "register-store": register_store,
    "register-file": register_file,
    "load-rdflib": load_rdflib,
}


def main(argv: list[str]) -> None:
    task, *args = argv
    print(json.dumps(TASKS[task](*args)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
