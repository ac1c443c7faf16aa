"""Records that carry the same identifier are one entity: clusters, judgements,
conflicts, and a dataset merged to them."""

from __future__ import annotations

import itertools

from groupkg.graph.dates import parse_partial_date
from groupkg.graph.facts.identity import (
    clusters,
    identifiers_of,
    merge_dataset,
    normalise,
)
from groupkg.graph.model import Dataset, Entity, Holding, Relation, SourceRecord

LEI = "PY6ZZQWO2IZFZC3IOL08"


def _entity(iri: str, label: str, *identifiers: tuple[str, str], lei: str = "") -> Entity:
    entity = Entity(iri, label, identifiers=list(identifiers), sources=[f"src:{iri}"])
    if lei:
        entity.facts["lei"] = [lei]
    return entity


def _by_id(*entities: Entity) -> dict[str, Entity]:
    return {e.id: e for e in entities}


def test_formats_spell_one_identifier_alike() -> None:
    assert normalise("LEI", LEI.lower()) == normalise("XI-LEI", f" {LEI}\n")
    assert normalise("GB-COH", "2723534") == ("GB-COH", "02723534")
    assert normalise("RA000585", "02723534") == ("GB-COH", "02723534")
    assert normalise("GB-COH", "sc123456") == ("GB-COH", "SC123456")
    assert normalise("XI-LEI", "  ") is None
    assert identifiers_of(_entity("a", "A", lei=LEI)) == {("XI-LEI", LEI)}


def test_records_sharing_an_identifier_are_one_entity_names_never_join() -> None:
    gleif = _entity("https://x/lei/" + LEI, "ASTRAZENECA PLC", ("LEI", LEI), lei=LEI)
    bods = _entity("https://x/bods/az", "AstraZeneca PLC", ("XI-LEI", LEI), ("GB-COH", "02723534"))
    csv = _entity("https://x/csv/az", "AZ", ("GB-COH", "2723534"))
    namesake = _entity("https://x/csv/other", "AstraZeneca PLC")
    found = clusters(_by_id(gleif, bods, csv, namesake))
    # both GLEIF's and the BODS record carry the LEI: the least IRI of the two
    assert found.members == {bods.id: sorted([gleif.id, bods.id, csv.id])}
    assert found.canonical_of(csv.id) == bods.id
    assert found.canonical_of(namesake.id) == namesake.id
    assert found.members_of(namesake.id) == [namesake.id]
    assert not found.conflicts


def test_the_canonical_iri_does_not_depend_on_the_order_records_come_in() -> None:
    records = [
        _entity("https://x/b", "B", ("GB-COH", "1")),
        _entity("https://x/a", "A", ("GB-COH", "00000001")),
        _entity("https://x/c", "C", ("GB-COH", "1"), ("XI-LEI", LEI)),
        _entity("https://x/d", "D", ("XI-LEI", LEI)),
    ]
    answers = {repr(clusters(_by_id(*order)).members) for order in itertools.permutations(records)}
    assert answers == {repr({"https://x/c": [f"https://x/{c}" for c in "abcd"]})}


def test_not_same_keeps_two_records_apart_and_same_joins() -> None:
    a = _entity("https://x/a", "A", ("XI-LEI", LEI))
    b = _entity("https://x/b", "B", ("XI-LEI", LEI))
    c = _entity("https://x/c", "C", ("XI-LEI", LEI))
    d = _entity("https://x/d", "D")
    apart = clusters(_by_id(a, b, c, d), [(b.id, a.id, False)])
    assert apart.canonical_of(a.id) != apart.canonical_of(b.id)
    assert apart.canonical_of(c.id) == apart.canonical_of(a.id)  # c joins the first it may
    joined = clusters(_by_id(a, b, c, d), [(a.id, d.id, True)])
    assert joined.members_of(d.id) == [a.id, b.id, c.id, d.id]
    # the last judgement of a pair counts
    again = clusters(_by_id(a, b), [(a.id, b.id, False), (b.id, a.id, True)])
    assert again.canonical_of(b.id) == a.id
    # a join that would put a "not same" pair together is not made
    chain = clusters(_by_id(a, d), [(a.id, d.id, False), (a.id, d.id, False)])
    assert not chain


def test_a_cluster_with_two_values_of_a_one_per_entity_scheme_is_a_conflict() -> None:
    a = _entity("https://x/a", "A", ("XI-LEI", LEI), ("GB-COH", "1"))
    b = _entity("https://x/b", "B", ("GB-COH", "1"), ("XI-LEI", "529900T8BM49AURSDO55"))
    found = clusters(_by_id(a, b))
    [conflict] = found.conflicts
    assert conflict.scheme == "XI-LEI"
    assert conflict.values == ("529900T8BM49AURSDO55", LEI)
    assert conflict.sources == ((a.id, ("src:https://x/a",)), (b.id, ("src:https://x/b",)))
    assert "src:https://x/b" in conflict.message()


def test_a_merged_dataset_names_the_canonical_entity_everywhere() -> None:
    gleif = _entity("https://x/g", "GLEIF NAME", ("LEI", LEI), lei=LEI)
    gleif.legal_name = "GLEIF NAME"
    bods = _entity("https://x/s", "Bods Name", ("XI-LEI", LEI))
    bods.aliases = ["Old Name"]
    parent = _entity("https://x/p", "Parent")
    dataset = Dataset(
        entities=_by_id(gleif, bods, parent),
        holdings=[Holding("h", owner=parent.id, owned=bods.id, percent=60.0)],
        relations=[Relation("r", "direct", parent=parent.id, child=gleif.id)],
    )
    merge_dataset(dataset, clusters(dataset.entities))
    assert sorted(dataset.entities) == [gleif.id, parent.id]
    merged = dataset.entities[gleif.id]
    assert merged.label == "GLEIF NAME"
    assert merged.aliases == ["Bods Name", "Old Name"]
    assert merged.identifiers == [("LEI", LEI), ("XI-LEI", LEI)]
    assert merged.sources == ["src:https://x/g", "src:https://x/s"]
    assert merged.records == [
        SourceRecord(gleif.id, "GLEIF NAME", ("src:https://x/g",)),
        SourceRecord(bods.id, "Bods Name", ("src:https://x/s",)),
    ]
    assert dataset.holdings[0].owned == gleif.id
    assert dataset.relations[0].child == gleif.id
    assert dataset.ref(bods.id).name == "GLEIF NAME"
    assert gleif.records == []  # the records read are left as they were


def test_one_holding_reported_by_two_sources_counts_once_not_twice() -> None:
    # BODS names AstraZeneca by its record, the register by another: after the merge the
    # two 60% holdings are one fact reported twice, not 120%.
    day = parse_partial_date("2020-01-01")
    a1 = _entity("https://x/a1", "A", ("GB-COH", "1"))
    a2 = _entity("https://x/a2", "A", ("GB-COH", "1"))
    p = _entity("https://x/p", "P")
    dataset = Dataset(
        entities=_by_id(a1, a2, p),
        holdings=[
            Holding("h1", p.id, a1.id, percent=60.0, as_of=day, sources=["bods"]),
            Holding("h2", p.id, a2.id, percent=60.0, as_of=day, sources=["register"]),
            # the same records of the pair, from another source: two records, as before
            Holding("h3", p.id, a1.id, percent=5.0, as_of=day, sources=["bods"]),
            Holding("h4", p.id, a1.id, percent=5.0, as_of=day, sources=["other"]),
        ],
    )
    merge_dataset(dataset, clusters(dataset.entities))
    assert [(h.id, h.owned, h.percent, h.sources) for h in dataset.holdings] == [
        ("h1", a1.id, 60.0, ["bods", "register"]),
        ("h3", a1.id, 5.0, ["bods"]),
        ("h4", a1.id, 5.0, ["other"]),
    ]
