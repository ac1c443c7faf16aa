"""A cross-source import: a synthetic GLEIF-like register and BODS statements about
overlapping entities, and what resolving them into one entity each costs.

The register (:mod:`groupkg.graph.formats.synth`) has ``N`` companies, each with an
LEI; BODS 0.4 entity statements (JSON Lines) describe every second one of them again,
by a record of their own that carries the LEI as ``XI-LEI`` and a company number, with
a BODS name of their own. Both files are imported with ``groupkg import`` into one new
``oxigraph:PATH`` store (new processes; an import into a store of at most 200,000
triples builds the time model beside it, merges included);
then, in this process, the store's facts are read as recorded
(``load_dataset(merged=False)``, the plain read) and resolved
(:func:`~groupkg.graph.facts.identity.clusters` and
:func:`~groupkg.graph.facts.identity.merge_dataset`), each timed, so the cost of
resolution stands beside the read it follows.

``python -m benchmarks.crosssource --entities 100k``; ``python -m benchmarks.run`` runs
it at each of its sizes (:func:`cross_source_figures`: the figures of its report).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.measure import run_command
from benchmarks.report import Figure

__all__ = ["cross_source", "cross_source_figures", "write_bods", "write_register"]

CLI = [sys.executable, "-c", "import sys; from groupkg.graph.cli import main; main(sys.argv[1:])"]
_LEI_LINE = re.compile(r'^<[^>]*/e(\d+)> <https://w3id.org/groupkg/ontology#lei> "([0-9A-Z]{20})"')


def write_register(path: Path, entities: int, seed: int = 1) -> dict[int, str]:
    """The synthetic register of ``entities`` as N-Triples; entity number -> its LEI."""
    from groupkg.graph.formats.synth.register import Register

    leis: dict[int, str] = {}
    with path.open("w", encoding="utf-8") as out:
        for chunk in Register(entities, seed).chunks():
            out.write(chunk)
            for line in chunk.splitlines():
                if found := _LEI_LINE.match(line):
                    leis[int(found.group(1))] = found.group(2)
    return leis


def write_bods(path: Path, leis: dict[int, str]) -> int:
    """BODS 0.4 entity statements, one a line, for every second entity of ``leis``."""
    written = 0
    with path.open("w", encoding="utf-8") as out:
        for n in sorted(leis)[::2]:
            record = f"bods-{n}"
            statement = {
                "statementId": f"cross-source-{n:010d}-0000-0000-000000000000",
                "statementDate": "2024-01-01",
                "recordId": record,
                "declarationSubject": record,
                "recordType": "entity",
                "recordStatus": "new",
                "recordDetails": {
                    "isComponent": False,
                    "entityType": {"type": "registeredEntity"},
                    "name": f"Synthetic Entity {n} Limited",
                    "identifiers": [
                        {"scheme": "XI-LEI", "id": leis[n]},
                        {"scheme": "GB-COH", "id": str(n)},
                    ],
                },
                "publicationDetails": {
                    "publicationDate": "2024-01-02",
                    "bodsVersion": "0.4",
                    "publisher": {"name": "Synthetic register of beneficial ownership"},
                },
            }
            out.write(json.dumps(statement) + "\n")
            written += 1
    return written


def cross_source(entities: int, work: Path, timeout: float = 3600.0) -> dict[str, float | int]:
    """The figures of one run (seconds, counts)."""
    from groupkg.graph.facts.identity import clusters, merge_dataset
    from groupkg.graph.facts.loader import load_dataset
    from groupkg.graph.store import open_store

    register, bods = work / f"register-{entities}.nt", work / f"bods-{entities}.jsonl"
    leis = write_register(register, entities)
    statements = write_bods(bods, leis)
    store = work / f"store-cross-{entities}"
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(store.with_name(store.name + ".model"), ignore_errors=True)
    figures: dict[str, float | int] = {"entities": len(leis), "bods_records": statements}
    for name, path in (("import_register", register), ("import_bods", bods)):
        command = [*CLI, "--store", f"oxigraph:{store}", "--no-default-data", "import", "--quiet"]
        child = run_command([*command, str(path)], timeout)
        if child.error:
            raise RuntimeError(f"groupkg import {path.name}: {child.error}")
        figures[name] = child.seconds
    opened = open_store(f"oxigraph:{store}")
    started = time.perf_counter()
    dataset = load_dataset(opened, merged=False)
    figures["read_as_recorded"] = time.perf_counter() - started
    records = len(dataset.entities)
    started = time.perf_counter()
    found = clusters(dataset.entities)
    figures["clusters"] = time.perf_counter() - started
    started = time.perf_counter()
    merge_dataset(dataset, found)
    figures["merge"] = time.perf_counter() - started
    figures |= {"records": records, "merged_entities": len(dataset.entities),
                "clusters_of_several": len(found.members)}  # fmt: skip
    del opened
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(store.with_name(store.name + ".model"), ignore_errors=True)
    return figures


def cross_source_figures(entities: int, work: Path, timeout: float) -> list[Figure]:
    """The harness's figures of one run of :func:`cross_source`: the two imports, the
    read as recorded, and the resolution beside it (or one failed figure)."""
    try:
        found = cross_source(entities, work, timeout)
    except RuntimeError as exc:
        return [Figure("cross-source", "cross-source import", None, f"failed: {exc}")]
    records, bods = int(found["records"]), int(found["bods_records"])
    resolution = found["clusters"] + found["merge"]
    return [
        Figure(
            "cross-import-register",
            f"cross-source import: the register, {entities:,} entities"
            " (`groupkg import`, new process)",
            found["import_register"],
            "the time model built beside the import",
        ),
        Figure(
            "cross-import-bods",
            f"cross-source import: {bods:,} BODS statements about the register's companies"
            " (`groupkg import`, new process)",
            found["import_bods"],
            "every statement checked, then bulk-loaded; the time model is built beside"
            " the load into a store of at most 200,000 triples, else left to the first question",
        ),
        Figure(
            "cross-read",
            "cross-source: the store's facts read as recorded (`load_dataset(merged=False)`)",
            found["read_as_recorded"],
            f"{records:,} entity records",
        ),
        Figure(
            "cross-resolve",
            "cross-source: resolution (`identity.clusters`, then `identity.merge_dataset`)",
            resolution,
            f"clusters {found['clusters']:.1f} s, merge {found['merge']:.1f} s;"
            f" {resolution / found['read_as_recorded']:.0%} of the read;"
            f" {int(found['clusters_of_several']):,} clusters of several records,"
            f" {int(found['merged_entities']):,} entities answer",
        ),
    ]


def _size(text: str) -> int:
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", default="100k", help="register size, e.g. 100k or 1M")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="groupkg-cross-"))
    work.mkdir(parents=True, exist_ok=True)
    print(json.dumps(cross_source(_size(args.entities), work), indent=2))


if __name__ == "__main__":
    main()
