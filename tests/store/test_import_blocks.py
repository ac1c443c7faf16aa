"""N-Triples imports into ``oxigraph:PATH`` go to the bulk loader a block of lines at a
time: the blocks must add up to the file, line numbers must be the file's, blank nodes
must stay one node, and a bad line anywhere must leave the store as it was."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from groupkg.graph import InputError, OxigraphStore, import_file
from groupkg.graph import store as store_module
from groupkg.graph.cli import progress as progress_module
from groupkg.graph.store import ntriples as ntriples_module
from groupkg.graph.store import staging as staging_module

EX = "http://example.org/"


def statement(i: int) -> str:
    return f'<{EX}e{i}> <{EX}name> "entity {i}" .'


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def data_quads(store: OxigraphStore) -> set[tuple[str, str, str]]:
    rows = store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    return {(str(r["s"]), str(r["p"]), str(r["o"])) for r in rows}


def every_quad(store: OxigraphStore) -> set[ox.Quad]:
    return set(store.store.quads_for_pattern(None, None, None, None))


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> int:
    """Blocks of about 200 bytes: a file of a few kilobytes goes in many calls."""
    monkeypatch.setattr(ntriples_module, "BLOCK_BYTES", 200)
    return 200


def test_blocks_add_up_to_the_file(tmp_path: Path, small_blocks: int) -> None:
    lines = ["# a register", ""]
    for i in range(120):
        lines.append(statement(i))
        if i % 17 == 0:
            lines += ["   ", f"# after {i}", "\t# indented comment"]
    path = write_lines(tmp_path / "many.nt", lines)
    assert path.stat().st_size > 20 * small_blocks

    seen: list[tuple[int, int]] = []
    store = OxigraphStore(tmp_path / "store")
    count = import_file(store, path, progress=lambda done, total: seen.append((done, total)))

    assert count == 120
    assert data_quads(store) == {(f"{EX}e{i}", f"{EX}name", f"entity {i}") for i in range(120)}
    dones = [done for done, _ in seen]
    assert len(seen) > 10 and dones == sorted(dones)
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)


def test_a_file_without_a_final_newline_loses_no_line(tmp_path: Path, small_blocks: int) -> None:
    path = tmp_path / "open.nt"
    path.write_text("\n".join(statement(i) for i in range(30)), encoding="utf-8")
    store = OxigraphStore(tmp_path / "store")
    assert import_file(store, path) == 30
    assert len(data_quads(store)) == 30


def test_a_bad_line_in_a_late_block_is_named_and_nothing_stays(
    tmp_path: Path, small_blocks: int
) -> None:
    store = OxigraphStore(tmp_path / "store")
    import_file(store, write_lines(tmp_path / "first.nt", [statement(1000)]))
    before = every_quad(store)

    lines = [statement(i) for i in range(80)]
    lines[70] = f"<{EX}e70> <{EX}name> not-a-term ."
    with pytest.raises(InputError) as raised:
        import_file(store, write_lines(tmp_path / "bad.nt", lines))

    message = str(raised.value)
    assert "bad.nt, line 71, columns" in message
    assert every_quad(store) == before
    assert data_quads(store) == {(f"{EX}e1000", f"{EX}name", "entity 1000")}


def test_blank_nodes_stay_one_node_across_blocks(tmp_path: Path, small_blocks: int) -> None:
    lines = [f'_:holder <{EX}name> "the holder" .']
    lines += [statement(i) for i in range(60)]
    lines += [f"_:holder <{EX}holds> <{EX}e1> ."]
    path = write_lines(tmp_path / "blank.nt", lines)
    store = OxigraphStore(tmp_path / "store")

    assert import_file(store, path) == 62
    rows = store.select(f'SELECT ?b WHERE {{ ?b <{EX}name> "the holder" ; <{EX}holds> <{EX}e1> }}')
    assert len(rows) == 1
    assert len(data_quads(store)) == 62


def test_a_bad_line_after_blank_nodes_leaves_nothing(tmp_path: Path, small_blocks: int) -> None:
    store = OxigraphStore(tmp_path / "store")
    before = every_quad(store)
    lines = [statement(i) for i in range(40)] + [f'_:x <{EX}name> "x" .', "<broken"]
    with pytest.raises(InputError, match=r"blank-bad\.nt, line 42"):
        import_file(store, write_lines(tmp_path / "blank-bad.nt", lines))
    assert every_quad(store) == before


def test_memory_store_counts_and_names_bad_lines(tmp_path: Path) -> None:
    store = OxigraphStore()
    path = write_lines(tmp_path / "m.nt", ["# c", statement(1), "", statement(2)])
    assert store.import_ntriples(path) == 2
    with pytest.raises(InputError, match=r"m-bad\.nt, line 3"):
        store.import_ntriples(write_lines(tmp_path / "m-bad.nt", ["", statement(3), "<x> ."]))
    assert len(data_quads(store)) == 2


def test_other_rdf_is_streamed_with_its_graph_names_dropped(tmp_path: Path) -> None:
    quads = tmp_path / "q.nq"
    quads.write_text(
        f'<{EX}a> <{EX}name> "A" <{EX}g1> .\n<{EX}b> <{EX}name> "B" .\n', encoding="utf-8"
    )
    store = OxigraphStore(tmp_path / "store")
    assert import_file(store, quads) == 2
    assert data_quads(store) == {(f"{EX}a", f"{EX}name", "A"), (f"{EX}b", f"{EX}name", "B")}

    turtle = tmp_path / "bad.ttl"
    turtle.write_text(f'@prefix ex: <{EX}> .\nex:c ex:name "C" .\nex:d ex:name .\n')
    with pytest.raises(InputError, match=r"bad\.ttl, line 3"):
        import_file(store, turtle)
    assert len(data_quads(store)) == 2


class _Terminal:
    """A standard error that says it is a terminal and keeps what is written."""

    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_progress_bar_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_module.progress(False, "rows") as tick:
        assert tick is not None
        tick(50 << 20, 100 << 20)
        tick(100 << 20, 100 << 20)
    assert "loading [" in terminal.text and "100% of 105 MB" in terminal.text

    with progress_module.progress(True, "rows") as quiet:
        assert quiet is None
    monkeypatch.setattr(terminal, "isatty", lambda: False)
    with progress_module.progress(False, "rows") as piped:
        assert piped is None


def test_a_killed_import_leaves_its_converted_file_in_the_store_for_the_next_writer(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "store"
    store = OxigraphStore(folder)
    turtle = tmp_path / "one.ttl"
    turtle.write_text(f'<{EX}a> <{EX}name> "A" .\n', encoding="utf-8")
    seen: list[list[str]] = []
    original = store.import_ntriples

    def spy(path: Path, progress=None) -> int:  # noqa: ANN001 - the callback
        seen.append([path.parent.name, path.name])
        return original(path, progress)

    store.import_ntriples = spy  # type: ignore[method-assign]
    assert import_file(store, turtle) == 1
    assert seen and seen[0][0] == "store" and seen[0][1].startswith(store_module.STAGING_PREFIX)
    assert not list(folder.glob(f"{store_module.STAGING_PREFIX}*"))
    store.close()

    # What a SIGKILL between conversion and commit leaves: the next writer removes it.
    leftover = folder / f"{store_module.STAGING_PREFIX}killed.nt"
    leftover.write_text(f'<{EX}b> <{EX}name> "B" .\n', encoding="utf-8")
    reopened = store_module.open_store(f"oxigraph:{folder}", default_data=False, writable=True)
    assert not leftover.exists()
    names = {(s, o) for s, p, o in data_quads(reopened) if p == f"{EX}name"}
    assert names == {(f"{EX}a", "A")}


def test_a_file_imported_twice_answers_once(tmp_path: Path) -> None:
    from groupkg.graph.facts import queries as library

    toy = Path(__file__).parents[1] / "data" / "toygroup.ttl"
    store = OxigraphStore(tmp_path / "store")
    import_file(store, toy)
    import_file(store, toy)
    day = {"date": "2020-01-01"}
    for name, values in (("owners-at", {"entity": "Alpha", **day}),
                         ("holdings-at", {"entity": "Parent Co", **day}),
                         ("sources-of", {"entity": "Alpha"})):  # fmt: skip
        query = library.prepare(store, name, values)
        rows = [tuple(sorted(map(str, r.items()))) for r in store.select(query)]
        assert rows and len(rows) == len(set(rows)), name


@pytest.mark.parametrize(
    "first, second",
    [
        (range(0, 30), range(10, 20)),  # fewer staged
        (range(10, 20), range(0, 30)),
    ],
)  # more staged
def test_a_triple_held_already_is_held_once_whichever_side_is_larger(
    tmp_path: Path, first: range, second: range
) -> None:
    store = OxigraphStore(tmp_path / "store")
    import_file(store, write_lines(tmp_path / "a.nt", [statement(i) for i in first]))
    blank = f'_:b <{EX}name> "blank" .'  # fresh in every import: never a repeat
    import_file(store, write_lines(tmp_path / "b.nt", [*(statement(i) for i in second), blank]))
    rows = store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    texts = [tuple(sorted(map(str, r.items()))) for r in rows]
    assert len(texts) == len(set(texts))
    assert len(rows) == len(set(first) | set(second)) + 1


class AskedStore:
    """An Oxigraph store that keeps every query it is asked."""

    def __init__(self, store: ox.Store) -> None:
        self.store, self.asked = store, []

    def query(self, query: str) -> object:
        self.asked.append(query)
        return self.store.query(query)

    def __getattr__(self, name: str) -> object:
        return getattr(self.store, name)


@pytest.mark.parametrize("held", [0, 2])
def test_only_the_triples_of_subjects_held_already_are_looked_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, held: int
) -> None:
    monkeypatch.setattr(staging_module, "SUBJECT_CHUNK", 7)
    store = OxigraphStore(tmp_path / "store")
    import_file(store, write_lines(tmp_path / "a.nt", [statement(i) for i in range(300)]))
    graph = ox.NamedNode("urn:groupkg:import:staged-by-hand")
    name, other = ox.NamedNode(f"{EX}name"), ox.NamedNode(f"{EX}other")
    new = [ox.Quad(ox.NamedNode(f"{EX}n{i}"), name, ox.Literal(f"new {i}"), graph)
           for i in range(100)]  # fmt: skip
    # Of the entities held: e0's name again (a repeat), e1 with a triple it had not.
    again = [ox.Quad(ox.NamedNode(f"{EX}e0"), name, ox.Literal("entity 0"), graph),
             ox.Quad(ox.NamedNode(f"{EX}e1"), other, ox.Literal("more"), graph)][:held]  # fmt: skip
    store.store.extend(new + again)
    asked = AskedStore(store.store)
    staging_module._drop_repeats(asked, graph, len(new + again))  # type: ignore[arg-type]
    left = set(store.store.quads_for_pattern(None, None, None, graph))
    assert left == set(new + again[1:])
    # Every staged subject is asked about, 7 at a time; the triples only of those held.
    triple_queries = [q for q in asked.asked if "SELECT ?s ?p ?o" in q]
    subject_queries = [q for q in asked.asked if q.startswith("SELECT ?s WHERE { VALUES")]
    assert len(subject_queries) == -(-(100 + held) // 7)
    assert len(triple_queries) == (1 if held else 0)
