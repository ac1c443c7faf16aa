"""The synthetic register: reproducible bytes, GLEIF-like shape, and data groupkg can load.

The shape is measured on the written file itself (parsed with pyoxigraph), not on the
generator's internals: group sizes are the connected components of the ownership
links, depth the longest chain once cross-holding cycles are contracted.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import statistics
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from groupkg.graph import Group, InputError, OxigraphStore, add_files, write_synth
from groupkg.graph.cli import progress as progress_module
from groupkg.graph.cli.synth import synth
from groupkg.graph.formats.synth import DATA_BASE, synthesize
from groupkg.graph.store import ontology_files
from groupkg.graph.vocab import GK, ORG, PROV

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")


class Register:
    """A written register, read back: each subject's types and property values."""

    def __init__(self, path: Path, counts: dict[str, int]):
        self.path = path
        self.counts = counts
        self.progress: list[int] = []
        self.triples = list(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
        self.types: dict[str, set[str]] = defaultdict(set)
        self.props: dict[str, dict[str, list[ox.Term]]] = defaultdict(lambda: defaultdict(list))
        for triple in self.triples:
            subject, predicate = triple.subject.value, triple.predicate.value
            if predicate == RDF_TYPE:
                self.types[subject].add(triple.object.value)
            else:
                self.props[subject][predicate].append(triple.object)

    def of_type(self, term: object) -> list[str]:
        return sorted(s for s, types in self.types.items() if str(term) in types)

    def one(self, subject: str, term: object) -> str:
        (value,) = self.props[subject][str(term)]
        return value.value

    def start(self, fact: str) -> str:
        values = self.props[fact][str(GK.validFrom)] or self.props[fact][str(GK.asOf)]
        return values[0].value

    def entities(self) -> list[str]:
        return self.of_type(GK.LegalEntity) + self.of_type(GK.NaturalPerson)

    def links(self) -> list[tuple[str, str]]:
        """(owner, owned) of every holding and direct consolidation, at any time."""
        pairs = [(self.one(h, GK.owner), self.one(h, GK.owned)) for h in self.of_type(GK.Holding)]
        pairs += [
            (self.one(r, GK.parent), self.one(r, GK.child))
            for r in self.of_type(GK.DirectConsolidation)
        ]
        return pairs

    def absorbed(self) -> dict[str, str]:
        """Each absorbed company and the effective date of its merger."""
        return {
            self.one(m, GK.absorbed): self.one(m, GK.effectiveDate)
            for m in self.of_type(GK.AbsorptionMerger)
        }


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Register:
    path = tmp_path_factory.mktemp("synth") / "register.nt"
    progress: list[int] = []
    written = Register(path, write_synth(path, 20_000, seed=7, progress=progress.append))
    written.progress = progress
    return written


@pytest.fixture(scope="module")
def small_group(tmp_path_factory: pytest.TempPathFactory) -> tuple[Register, Group]:
    path = tmp_path_factory.mktemp("synth") / "small.nt"
    counts = write_synth(path, 2_000, seed=3)
    store = OxigraphStore()
    add_files(store, [*ontology_files(), path])
    return Register(path, counts), Group(store)


# -- reproducible output ---------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first, again, other = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    assert write_synth(first, 3_000, seed=11) == write_synth(again, 3_000, seed=11)
    write_synth(other, 3_000, seed=12)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    assert "".join(synthesize(3_000, seed=11)).encode() == first.read_bytes()


def test_gzip_output_is_reproducible_and_holds_the_same_triples(tmp_path: Path) -> None:
    plain, packed, again = tmp_path / "r.nt", tmp_path / "r.nt.gz", tmp_path / "s.nt.gz"
    write_synth(plain, 1_000, seed=5)
    write_synth(packed, 1_000, seed=5)
    write_synth(again, 1_000, seed=5)
    assert packed.read_bytes() == again.read_bytes()
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    assert not list(tmp_path.glob("*.part"))


def test_counts_match_the_file(register: Register) -> None:
    counts = register.counts
    lines = register.path.read_bytes().splitlines()
    assert counts["triples"] == len(register.triples) == len(lines)
    assert counts["entities"] == len(register.entities()) == 20_000
    assert counts["holdings"] == len(register.of_type(GK.Holding))
    direct, ultimate = (
        register.of_type(k) for k in (GK.DirectConsolidation, GK.UltimateConsolidation)
    )
    assert counts["relations"] == len(direct) + len(ultimate)
    assert counts["events"] == len(register.of_type(GK.AbsorptionMerger)) > 0


def test_bad_arguments_are_rejected_up_front(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="entities"):
        synthesize(0, seed=1)
    with pytest.raises(ValueError, match="seed"):
        synthesize(10, seed=-1)
    with pytest.raises(InputError, match=r"\.nt or \.nt\.gz"):
        write_synth(tmp_path / "register.ttl", 10, seed=1)
    with pytest.raises(InputError, match="cannot write"):
        write_synth(tmp_path / "missing" / "register.nt", 10, seed=1)


def test_progress_reports_entities_written(register: Register) -> None:
    seen = register.progress
    assert seen == sorted(seen) and seen[-1] == 20_000 and len(seen) >= 2


# -- the shape of the register -----------------------------------------------------------


def test_group_sizes_are_heavy_tailed(register: Register) -> None:
    graph = nx.Graph()
    graph.add_nodes_from(register.entities())
    graph.add_edges_from(register.links())
    sizes = [len(c) for c in nx.connected_components(graph)]
    assert statistics.median(sizes) <= 5 and max(sizes) >= 100
    assert sum(s <= 5 for s in sizes) / len(sizes) > 0.9


def test_depth_is_bounded_and_cross_holdings_make_cycles(register: Register) -> None:
    graph = nx.DiGraph(register.links())
    cycles = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert cycles
    depth = nx.dag_longest_path_length(nx.condensation(graph))
    assert 5 <= depth <= 8


def test_about_three_percent_of_entities_have_several_owners(register: Register) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for h in register.of_type(GK.Holding):
        owners[register.one(h, GK.owned)].add(register.one(h, GK.owner))
    several = sum(len(o) >= 2 for o in owners.values())
    assert 0.015 <= several / register.counts["entities"] <= 0.06


def test_about_a_fifth_of_holdings_end(register: Register) -> None:
    holdings = register.of_type(GK.Holding)
    absorbed = register.absorbed()
    starts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for h in holdings:
        starts[(register.one(h, GK.owner), register.one(h, GK.owned))].append(register.start(h))
    disposed = {h for h in holdings if register.props[h][str(GK.validTo)]}
    merged = {h for h in holdings if register.one(h, GK.owned) in absorbed}
    changed = {
        h
        for h in holdings
        if max(starts[(register.one(h, GK.owner), register.one(h, GK.owned))]) > register.start(h)
    }
    for way in (disposed, merged, changed):
        assert len(way) > 0.03 * len(holdings)
    assert 0.15 <= len(disposed | merged | changed) / len(holdings) <= 0.25


def test_mergers_follow_the_event_pattern(register: Register) -> None:
    last_start: dict[str, str] = defaultdict(str)
    for h in register.of_type(GK.Holding):
        for party in (register.one(h, GK.owner), register.one(h, GK.owned)):
            last_start[party] = max(last_start[party], register.start(h))
    for m in register.of_type(GK.AbsorptionMerger):
        assert str(ORG.ChangeEvent) in register.types[m]
        survivor, absorbed = register.one(m, GK.survivor), register.one(m, GK.absorbed)
        day = register.one(m, GK.effectiveDate)
        assert register.one(m, GK.announcementDate) < day
        parties = sorted(o.value for o in register.props[m][str(ORG.originalOrganization)])
        assert parties == sorted([survivor, absorbed])
        assert register.one(m, ORG.resultingOrganization) == survivor
        assert register.one(absorbed, GK.dissolutionDate) == day
        assert register.one(absorbed, GK.incorporationDate) < day
        assert last_start[absorbed] < day  # no holding of the absorbed company starts later


def test_dates_lie_in_1990_to_2025_and_spread(register: Register) -> None:
    days = [t.object.value for t in register.triples if getattr(t.object, "datatype", None)
            and t.object.datatype.value == XSD_DATE]  # fmt: skip
    assert days and min(days) >= "1990-01-01" and max(days) <= "2025-12-31"
    assert len({d[:4] for d in days}) == 36
    incorporated = [register.one(e, GK.incorporationDate) for e in register.of_type(GK.LegalEntity)]
    assert len({d[:4] for d in incorporated}) >= 25


def test_stakes_ranges_and_reported_relations_appear(register: Register) -> None:
    holdings = register.of_type(GK.Holding)
    ranged = [h for h in holdings if register.props[h][str(GK.percentMin)]]
    assert 0.01 * len(holdings) < len(ranged) < 0.1 * len(holdings)
    for h in ranged:
        low, high = (float(register.one(h, p)) for p in (GK.percentMin, GK.percentMax))
        assert low < high and not register.props[h][str(GK.percent)]
    for h in holdings:
        for value in register.props[h][str(GK.percent)]:
            assert 0 < float(value.value) <= 100
    for kind in (GK.DirectConsolidation, GK.UltimateConsolidation):
        relations = register.of_type(kind)
        assert relations
        assert all(not register.props[r][str(GK.percent)] for r in relations)


def test_every_fact_is_stated_and_sourced(register: Register) -> None:
    (source,) = register.of_type(GK.Source)
    facts = [
        *register.of_type(GK.Holding),
        *register.of_type(GK.DirectConsolidation),
        *register.of_type(GK.UltimateConsolidation),
        *register.of_type(GK.AbsorptionMerger),
    ]
    for fact in facts:
        assert register.one(fact, GK.factStatus) == str(GK.Stated)
        assert register.one(fact, PROV.wasDerivedFrom) == source
    for entity in register.entities():
        assert register.one(entity, PROV.wasDerivedFrom) == source


def test_entities_have_unique_labels_and_well_formed_leis(register: Register) -> None:
    entities = register.entities()
    assert all(e.startswith(DATA_BASE + "e") for e in entities)
    labels = [register.one(e, RDFS_LABEL) for e in entities]
    assert len(set(labels)) == len(labels)
    companies = register.of_type(GK.LegalEntity)
    assert all(str(ORG.FormalOrganization) in register.types[c] for c in companies)
    leis = [register.one(c, GK.lei) for c in companies]
    assert len(set(leis)) == len(leis)
    for lei in leis:
        assert LEI.match(lei)
        assert int("".join(str(int(c, 36)) for c in lei)) % 97 == 1  # ISO 7064 MOD 97-10
    persons = register.of_type(GK.NaturalPerson)
    assert persons and not any(register.props[p][str(GK.lei)] for p in persons)
    owners = {owner for owner, _ in register.links()}
    assert set(persons) <= owners


# -- loaded into groupkg ----------------------------------------------------------------


def test_groupkg_answers_owners_and_paths(small_group: tuple[Register, Group]) -> None:
    register, group = small_group
    absorbed = register.absorbed()
    several = defaultdict(set)
    for owner, owned in register.links():
        several[owned].add(owner)
    picks = [
        next(iter(sorted(absorbed))),
        next(e for e in sorted(several) if len(several[e]) >= 2),
        register.of_type(GK.NaturalPerson)[0],
        register.of_type(GK.LegalEntity)[0],
    ]
    for entity in picks:
        local = entity.rsplit("/", 1)[1]
        for day in (dt.date(2000, 1, 1), dt.date(2012, 6, 30), dt.date(2025, 12, 31)):
            owners = group.owners(local, day)
            paths = group.paths(local, day)
            assert owners["entity"]["id"] == paths["entity"]["id"] == entity
            for path in paths["paths"]:
                assert path[0] == paths["ultimate_parent"] and path[-1]["id"] == entity
    merged, day = next(iter(sorted(absorbed.items())))
    effective = dt.date.fromisoformat(day)
    assert group.owners(merged, effective - dt.timedelta(days=1))["status"] == "active"
    assert group.owners(merged, effective)["status"] == "dissolved"


def test_exact_stakes_in_a_company_never_exceed_100(small_group: tuple[Register, Group]) -> None:
    _, group = small_group
    multi_owned = 0
    for day in (dt.date(1998, 1, 1), dt.date(2008, 1, 1), dt.date(2016, 1, 1),
                dt.date(2020, 6, 30), dt.date(2025, 12, 31)):  # fmt: skip
        total: dict[str, float] = defaultdict(float)
        owners: dict[str, int] = defaultdict(int)
        for stake in group.snapshot(day).stakes:
            if stake.holding and stake.percent is not None:
                total[stake.owned] += stake.percent
                owners[stake.owned] += 1
        assert total and max(total.values()) <= 100 + 1e-9
        multi_owned += sum(n >= 2 for n in owners.values())
    assert multi_owned > 0


# -- the command -------------------------------------------------------------------------


def test_command_writes_the_file_and_prints_counts(tmp_path: Path) -> None:
    out = tmp_path / "register.nt"
    result = CliRunner().invoke(synth, ["--entities", "500", "--seed", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    counts = write_synth(tmp_path / "again.nt", 500, seed=4)
    assert out.read_bytes() == (tmp_path / "again.nt").read_bytes()
    printed = dict(
        line.split(":", 1) for line in result.output.splitlines() if not line.startswith("wrote")
    )
    assert {k.strip(): int(v) for k, v in printed.items()} == counts
    assert "%" not in result.output  # no progress bar when standard error is not a terminal


def test_command_shows_a_bar_on_a_terminal_unless_quiet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(progress_module, "_terminal", lambda: terminal)
    args = ["-n", "2000", "-o", str(tmp_path / "r.nt.gz")]
    assert CliRunner().invoke(synth, args).exit_code == 0
    assert "synth" in terminal.getvalue() and "100%" in terminal.getvalue()
    quiet = Terminal()
    monkeypatch.setattr(progress_module, "_terminal", lambda: quiet)
    result = CliRunner().invoke(synth, [*args, "--quiet"])
    assert result.exit_code == 0 and "entities: 2000" in result.output
    assert quiet.getvalue() == ""


def test_command_rejects_a_bad_file_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(synth, ["-n", "10", "-o", str(tmp_path / "register.ttl")])
    assert result.exit_code == 2 and ".nt or .nt.gz" in result.output
    result = CliRunner().invoke(synth, ["-n", "0", "-o", str(tmp_path / "register.nt")])
    assert result.exit_code == 2


def test_command_shows_a_control_character_in_a_bad_file_name_as_an_escape(
    tmp_path: Path,
) -> None:
    # synth printed its one-line error raw, where every other command escapes a name
    # that could act on the terminal
    result = CliRunner().invoke(synth, ["-n", "10", "-o", str(tmp_path / "a\x1b]0;x\x07.ttl")])
    assert result.exit_code == 2 and ".nt or .nt.gz" in result.output
    assert "a\\x1b]0;x\\x07.ttl" in result.output and "\x1b" not in result.output


@pytest.mark.parametrize(
    "option", [["--store", "memory"], ["--data", "x.ttl"], ["--no-default-data"], ["--json"],
               ["--threshold", "40"]]
)  # fmt: skip
@pytest.mark.parametrize("where", ["before", "after"])
def test_the_shared_options_are_refused_by_synth_on_either_side_of_its_name(
    tmp_path: Path, option: list[str], where: str
) -> None:
    from groupkg.graph.cli import cli

    args = ["-n", "10", "-o", str(tmp_path / "r.nt")]
    given = [*option, "synth", *args] if where == "before" else ["synth", *args, *option]
    result = CliRunner().invoke(cli, given)
    assert result.exit_code == 2, result.output
    assert f"synth: {option[0]} does not apply to this command" in result.stderr
    assert not (tmp_path / "r.nt").exists()


def test_no_reported_relation_starts_after_its_child_is_absorbed(tmp_path: Path) -> None:
    """An open end is fine (the dissolution ends the relation); a start on or after
    the dissolution is a fact about a company that no longer exists."""
    path = tmp_path / "r.nt"
    write_synth(path, 5000, seed=3)  # a seed whose ultimate consolidations met this
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    gk = "https://w3id.org/groupkg/ontology#"
    rows = list(
        store.query(f"""
        SELECT ?r WHERE {{
          ?r <{gk}child> ?c ; <{gk}validFrom> ?from .
          ?c <{gk}dissolutionDate> ?gone .
          FILTER(?from >= ?gone)
        }}""")
    )
    assert rows == []
    absorbed = list(store.query(f"SELECT ?c WHERE {{ ?m <{gk}absorbed> ?c }}"))
    assert absorbed  # the check above had mergers to look at
