"""``groupkg parents``: the ultimate parent of every entity, for the whole register."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from groupkg.graph.cli.options import at_option, current_settings, option_day, shared_options
from groupkg.graph.cli.output import emit, say
from groupkg.graph.cli.progress import progress
from groupkg.graph.cli.tables import print_table
from groupkg.graph.store import Store

__all__ = ["parents"]


@shared_options
@click.command()
@at_option
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Write every entity and its ultimate parent here as CSV.")  # fmt: skip
@click.option("--quiet", is_flag=True, help="No progress bar.")
def parents(at: str | None, output: str | None, quiet: bool) -> None:
    """The ultimate parent of every entity at a date, for the whole register.

    Worked out on the register index (numpy columns of every stake, laid out by the
    time model: interest kinds apart, mergers, dissolutions and supersession applied),
    with the rule of ``paths``: a reported ultimate parent completes a chain the direct
    records leave open (the CSV's ``basis`` column says which answers rest on one).
    Percentages derived from share counts follow splits and issuances, as in every
    other answer. Beside an ``oxigraph:PATH`` store the index is cached in the folder
    ``PATH.model`` and rebuilt after every write.
    """
    import numpy as np

    from groupkg.graph.timemodel.register import Register

    settings, day = current_settings(), option_day(at)
    store = settings.open()
    with progress(quiet, "triples read into the register index") as tick:
        register = Register.from_store(store, progress=tick, known_at=settings.known_at)
    from groupkg.graph.timemodel.register import BASES

    found, basis = register.completed_parents_at(day, threshold=settings.threshold)
    present = np.flatnonzero(found >= 0)
    tops, sizes = np.unique(found[present], return_counts=True)
    if output:
        _write_parents(Path(output), register, present, found, basis)
    largest = np.argsort(-sizes, kind="stable")[:10]
    names = _labels(store, [register.entity(int(tops[k])) for k in largest])
    answer: dict[str, Any] = {
        "at": day.isoformat(),
        "threshold": settings.threshold,
        "entities": int(present.size),
        "ultimate_parents": int(tops.size),
        "bases": {b: int(np.count_nonzero(basis[present] == k)) for k, b in enumerate(BASES)},
        "largest_groups": [
            {"id": (top := register.entity(int(tops[k]))), "name": names.get(top, top),
             "entities": int(sizes[k])}
            for k in largest
        ],
    }  # fmt: skip
    if output:
        answer["written"] = output
    if settings.as_json and not output:
        ids = register.ids
        answer["parents"] = {ids[i]: ids[int(found[i])] for i in present.tolist()}

    def table(a: dict[str, Any]) -> None:
        say(
            f"On {a['at']}: {a['entities']:,} entities under {a['ultimate_parents']:,} "
            f"ultimate parents (control above {a['threshold']:g}%)."
        )
        print_table(["largest groups", "entities"],
                    [[g["name"], f"{g['entities']:,}"] for g in a["largest_groups"]])  # fmt: skip
        if output:
            say(f"wrote every entity and its ultimate parent to {output}")

    emit(answer, table, empty=not answer["entities"])


def _write_parents(path: Path, register: Any, present: Any, found: Any, basis: Any) -> None:
    """``entity,ultimate_parent,basis`` rows, written whole or not at all."""
    import csv
    import io

    from groupkg.graph.formats.csvholdings import spreadsheet_safe
    from groupkg.graph.output import write_output
    from groupkg.graph.timemodel.register import BASES

    ids = register.ids

    def write(stream: Any) -> None:
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(["entity", "ultimate_parent", "basis"])
        writer.writerows(
            (spreadsheet_safe(ids[i]), spreadsheet_safe(ids[int(found[i])]),
             BASES[int(basis[i])])
            for i in present.tolist()
        )  # fmt: skip
        text.flush()
        text.detach()

    write_output(path, write)


def _labels(store: Store, ids: list[str]) -> dict[str, str]:
    """The labels of a few entities, in one query."""
    from groupkg.graph.store import sparql_iri

    if not ids:
        return {}
    values = " ".join(sparql_iri(i) for i in ids)
    rows = store.select(
        "SELECT ?e ?name WHERE { VALUES ?e { " + values + " } "
        "?e <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
    )
    return {str(r["e"]): str(r["name"]) for r in rows}
