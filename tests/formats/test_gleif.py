"""GLEIF Level 2 relationship records: streamed, mapped to reported relations, all or nothing."""

from __future__ import annotations

import csv
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from groupkg.graph import InputError
from groupkg.graph.errors import BadInput
from groupkg.graph.formats import gleif
from groupkg.graph.formats.gleif import GLEIF_BASE, LEI_BASE, iter_gleif_triples, read_gleif
from groupkg.graph.vocab import DCTERMS, GK, PROV

SAMPLE = Path(__file__).parents[1] / "data" / "gleif" / "sample.csv"
PARENT, SUB_A, SUB_B = "5493000PARENT0GRP062", "5493000SUBSIDIARYA31", "5493000SUBSIDIARYB28"
OLD_SUB, BRANCH = "5493000OLDSUBSIDY042", "5493000BRANCHOFFC086"
FUND, MANAGER = "5493000FUNDALPHA0043", "5493000FUNDMANAGR031"
SUBFUND, UMBRELLA = "5493000SUBFUNDONE040", "5493000UMBRELLAFD065"
FEEDER, MASTER = "5493000FEEDERFUND095", "5493000MASTERFUND009"


def lei(code: str) -> URIRef:
    return URIRef(LEI_BASE + code)


def relation(graph: Graph, child: str, kind: URIRef) -> URIRef:
    (found,) = [r for r in graph.subjects(GK.child, lei(child)) if (r, RDF.type, kind) in graph]
    return found


def sample_rows() -> tuple[list[str], list[dict[str, str]]]:
    with open(SAMPLE, newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def without_source(graph: Graph) -> Graph:
    """The graph less its file's source node, which is named after the file."""
    sources = set(graph.subjects(RDF.type, GK.Source))
    out = Graph()
    for s, p, o in graph:
        if s not in sources and o not in sources:
            out.add((s, p, o))
    return out


@pytest.fixture(scope="module")
def sample() -> Graph:
    return read_gleif(SAMPLE)


def test_each_relationship_type_has_its_class_and_direction(sample):
    expected = {
        (SUB_A, PARENT, GK.DirectConsolidation),
        (SUB_A, PARENT, GK.UltimateConsolidation),
        (SUB_B, PARENT, GK.DirectConsolidation),
        (SUB_B, PARENT, GK.UltimateConsolidation),
        (OLD_SUB, PARENT, GK.DirectConsolidation),
        (BRANCH, PARENT, GK.BranchRelation),
        (FUND, MANAGER, GK.FundManagementRelation),
        (SUBFUND, UMBRELLA, GK.SubFundRelation),
        (FEEDER, MASTER, GK.FeederRelation),
    }
    found = set()
    for kind in gleif.RELATIONSHIP_TYPES.values():
        for r in sample.subjects(RDF.type, kind):
            child, parent = sample.value(r, GK.child), sample.value(r, GK.parent)
            found.add((str(child).removeprefix(LEI_BASE), str(parent).removeprefix(LEI_BASE), kind))
            assert sample.value(r, GK.factStatus) == GK.Stated
    assert found == expected


def periods_of(graph: Graph, r: URIRef) -> set[tuple[str, str | None, str | None]]:
    """(type, start, end) of each period a relation's record states."""
    return {
        (
            str(graph.value(p, GK.periodType)),
            str(graph.value(p, GK.startDate) or "") or None,
            str(graph.value(p, GK.endDate) or "") or None,
        )
        for p in graph.objects(r, GK.reportedPeriod)
    }


def test_the_relationship_period_gives_the_interval_and_every_period_is_kept(sample):
    r = relation(sample, SUB_A, GK.DirectConsolidation)  # its relationship period is Period.2
    assert sample.value(r, GK.validFrom) == Literal(
        "2015-04-01", datatype=XSD.date
    )  # day as written
    assert sample.value(r, GK.validTo) is None
    assert periods_of(sample, r) == {
        ("ACCOUNTING_PERIOD", "2022-01-01", "2022-12-31"),
        ("RELATIONSHIP_PERIOD", "2015-04-01", None),
        ("DOCUMENT_FILING_PERIOD", "2023-03-31", "2023-03-31"),
    }
    assert not any("PERIOD" in str(n) for n in sample.objects(r, GK.note))


def test_dates_in_epoch_milliseconds_read_as_their_utc_day(tmp_path):
    columns, rows = sample_rows()
    row = dict(rows[0], **{c: "" for c in columns if ".Period." in c})
    row.update(
        {
            "Relationship.Period.1.startDate": "1514764800000",  # 2018-01-01T00:00Z
            "Relationship.Period.1.endDate": "1546214400000",  # 2018-12-31T00:00Z
            "Relationship.Period.1.periodType": "ACCOUNTING_PERIOD",
            "Relationship.Period.2.startDate": "1498165200000",  # 2017-06-22T21:00Z
            "Relationship.Period.2.periodType": "RELATIONSHIP_PERIOD",
        }
    )
    path = tmp_path / "epoch.csv"
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, columns)
        writer.writeheader()
        writer.writerow(row)
    graph = read_gleif(path)
    (r,) = set(graph.subjects(GK.child, None))
    assert graph.value(r, GK.validFrom) == Literal("2017-06-22", datatype=XSD.date)
    assert periods_of(graph, r) == {
        ("ACCOUNTING_PERIOD", "2018-01-01", "2018-12-31"),
        ("RELATIONSHIP_PERIOD", "2017-06-22", None),
    }


def test_an_inactive_relation_keeps_its_end_and_status(sample):
    r = relation(sample, OLD_SUB, GK.DirectConsolidation)
    assert sample.value(r, GK.relationshipStatus) == Literal("INACTIVE")
    assert sample.value(r, GK.validFrom) == Literal("2010-01-01", datatype=XSD.date)
    assert sample.value(r, GK.validTo) == Literal("2019-12-31", datatype=XSD.date)
    assert Literal("GLEIF registration status LAPSED") in set(sample.objects(r, GK.note))
    active = relation(sample, SUB_B, GK.DirectConsolidation)
    assert sample.value(active, GK.relationshipStatus) == Literal("ACTIVE")
    assert sample.value(active, GK.validationSource) == Literal("PARTIALLY_CORROBORATED")


def test_quantifiers_one_and_a_hundred_both_mean_a_hundred_percent(sample):
    hundred = Literal("100", datatype=XSD.decimal)
    as_fraction = relation(sample, SUB_A, GK.DirectConsolidation)
    assert sample.value(as_fraction, GK.percent) == hundred
    # reading 1.00 as a fraction is an inference, not what the record says: assumed
    (assumption,) = sample.objects(as_fraction, GK.hasAssumption)
    assert sample.value(assumption, GK.assumedProperty) == GK.percent
    reason = str(sample.value(assumption, GK.assumptionReason))
    assert reason.startswith("GLEIF states 1.00 PERCENTAGE; read as the fraction 1.00, 100 percent")
    assert not any("fraction" in str(n) for n in sample.objects(as_fraction, GK.note))
    as_percent = relation(sample, SUB_A, GK.UltimateConsolidation)
    assert sample.value(as_percent, GK.percent) == hundred
    assert sample.value(as_percent, GK.measurementMethod) == Literal("ACCOUNTING_CONSOLIDATION")
    sixty = relation(sample, SUB_B, GK.DirectConsolidation)
    assert sample.value(sixty, GK.percent) == Literal("60", datatype=XSD.decimal)


def test_a_missing_quantifier_is_an_unknown_percentage_never_zero(sample):
    for child, kind in ((SUB_B, GK.UltimateConsolidation), (FEEDER, GK.FeederRelation)):
        r = relation(sample, child, kind)
        assert sample.value(r, GK.percent) is None
        assert sample.value(r, GK.measurementMethod) is None


def test_entities_are_minted_from_leis(sample):
    for code in (PARENT, SUB_A, FUND, MASTER):
        entity = lei(code)
        assert (entity, RDF.type, GK.LegalEntity) in sample
        assert sample.value(entity, RDFS.label) == Literal(code)
        assert sample.value(entity, GK.lei) == Literal(code)
    funds = set(sample.subjects(RDF.type, GK.Fund))
    assert funds == {lei(c) for c in (FUND, SUBFUND, UMBRELLA, FEEDER, MASTER)}


def test_the_file_is_one_source_of_every_relation(sample):
    (source,) = sample.subjects(RDF.type, GK.Source)
    assert sample.value(source, GK.fileName) == Literal("sample.csv")
    assert sample.value(source, DCTERMS.publisher) == Literal("GLEIF")
    relations = {
        r for kind in gleif.RELATIONSHIP_TYPES.values() for r in sample.subjects(RDF.type, kind)
    }
    assert len(relations) == 9
    assert all(sample.value(r, PROV.wasDerivedFrom) == source for r in relations)
    assert str(next(iter(relations))).startswith(GLEIF_BASE + "rr/")


def test_a_golden_copy_file_name_dates_the_source(tmp_path):
    path = tmp_path / "20240101-0800-gleif-goldencopy-rr-golden-copy.csv"
    path.write_bytes(SAMPLE.read_bytes())
    (source,) = read_gleif(path).subjects(RDF.type, GK.Source)
    assert read_gleif(path).value(source, DCTERMS.date) == Literal("2024-01-01", datatype=XSD.date)


def test_a_zip_holding_the_csv_reads_the_same(tmp_path, sample):
    archive = tmp_path / "rr.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(SAMPLE, "20240101-gleif-goldencopy-rr.csv")
    assert isomorphic(without_source(read_gleif(archive)), without_source(sample))


def test_a_zip_must_hold_exactly_one_csv(tmp_path):
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(SAMPLE, "a.csv")
        zf.write(SAMPLE, "b.csv")
    with pytest.raises(InputError, match="exactly one CSV"):
        read_gleif(archive)


def test_columns_in_any_order_and_extra_columns_are_ignored(tmp_path, sample):
    columns, rows = sample_rows()
    shuffled = list(reversed(columns)) + [
        "Extension.Something",
        "Relationship.Qualifiers.2.QualifierDimension",
    ]
    for row in rows:
        row["Extension.Something"] = "ignored"
    path = write_rows(tmp_path / "sample.csv", shuffled, rows)
    assert isomorphic(read_gleif(path), sample)


def test_bad_rows_are_reported_with_line_numbers_after_the_good_rows_are_streamed(tmp_path):
    columns, rows = sample_rows()
    good = rows[2]
    bad = [
        {**good, "Relationship.StartNode.NodeID": ""},  # line 3
        {**good, "Relationship.EndNode.NodeID": "NOT-AN-LEI"},  # line 4
        {**good, "Relationship.StartNode.NodeID": PARENT[:-2] + "00"},  # line 5: check digits
        {**good, "Relationship.RelationshipType": "IS_OWNED_BY"},  # line 6
        {**good, "Relationship.Period.1.startDate": "2018-02-30T00:00:00Z"},  # line 7
        {**good, "Relationship.Period.1.endDate": "2017-01-01T00:00:00Z"},  # line 8: before start
        {**good, "Relationship.Quantifiers.1.QuantifierAmount": "sixty"},  # line 9
        {**good, "Relationship.Quantifiers.1.QuantifierAmount": "150"},  # line 10
        {**good, "Relationship.EndNode.NodeIDType": "BIC"},  # line 11
    ]
    path = write_rows(tmp_path / "bad.csv", columns, [good, *bad, rows[5]])
    batches = []
    stream = iter_gleif_triples(path, batch_size=1)
    with pytest.raises(BadInput) as caught:
        for batch in stream:
            batches.append(batch)
    assert [(p.location, p.field) for p in caught.value.problems] == [
        (3, "Relationship.StartNode.NodeID"),
        (4, "Relationship.EndNode.NodeID"),
        (5, "Relationship.StartNode.NodeID"),
        (6, "Relationship.RelationshipType"),
        (7, "Relationship.Period.1.startDate"),
        (8, "Relationship.Period.1.endDate"),
        (9, "Relationship.Quantifiers.1.QuantifierAmount"),
        (10, "Relationship.Quantifiers.1.QuantifierAmount"),
        (11, "Relationship.EndNode.NodeIDType"),
    ]
    assert all(p.file == str(path) for p in caught.value.problems)
    relations = {
        t[0]
        for batch in batches
        for t in batch
        if t[1] == RDF.type and t[2] in gleif.RELATIONSHIP_TYPES.values()
    }
    assert len(relations) == 2  # the good first and last rows were streamed before the raise
    with pytest.raises(BadInput):
        read_gleif(path)  # the convenience reader gives nothing


def test_a_missing_required_column_is_reported_before_any_batch(tmp_path):
    columns, rows = sample_rows()
    columns.remove("Relationship.RelationshipType")
    path = write_rows(tmp_path / "no-type.csv", columns, rows)
    stream = iter_gleif_triples(path)
    with pytest.raises(BadInput) as caught:
        next(stream)
    assert [(p.location, p.field) for p in caught.value.problems] == [
        (1, "Relationship.RelationshipType")
    ]


def test_progress_reports_rows_done(tmp_path):
    seen: list[int] = []
    batches = list(iter_gleif_triples(SAMPLE, batch_size=20, progress=seen.append))
    assert len(batches) > 1
    assert seen == sorted(seen) and seen[-1] == 9


def test_batches_hold_about_batch_size_triples():
    sizes = [len(b) for b in iter_gleif_triples(SAMPLE, batch_size=30)]
    assert all(size >= 30 for size in sizes[:-1])
    assert sum(sizes) >= len(read_gleif(SAMPLE))


def synthetic(path: Path, rows: int) -> Path:
    """A golden-copy-shaped file with ``rows`` relations, each child a new LEI."""
    columns, sample = sample_rows()
    template = sample[2]

    def check_digits(base18: str) -> str:
        number = int("".join(str(int(c, 36)) for c in base18 + "00"))
        return base18 + f"{98 - number % 97:02d}"

    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        for i in range(rows):
            writer.writerow(
                {**template, "Relationship.StartNode.NodeID": check_digits(f"5493{i:014d}")}
            )
    return path


def peak_memory(path: Path) -> int:
    tracemalloc.start()
    try:
        for batch in iter_gleif_triples(path, batch_size=2_000):
            del batch  # a store would take it here
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_file_grows(tmp_path, monkeypatch):
    # The LEI cache is bounded; keep it small here.
    monkeypatch.setattr(gleif.mapping, "_CACHE_SIZE", 500)
    small = peak_memory(synthetic(tmp_path / "small.csv", 1_000))
    large = peak_memory(synthetic(tmp_path / "large.csv", 8_000))
    assert large < small * 1.5, (small, large)


def test_the_2019_golden_copy_quantifier_columns_are_read(tmp_path):
    # The 2019 golden copy (header of tests/data/real/gleif-rr-csv-2019, as published)
    # names its quantifier columns "Relationship.Qualifiers.N.QuantifierAmount"; a
    # consolidation quantified there is that stake in owners and effective ownership.
    import json

    from click.testing import CliRunner

    from groupkg.graph.cli import cli

    real = Path(__file__).parents[1] / "data" / "real" / "gleif-rr-csv-2019"
    with (real / "rr-golden-copy-excerpt.csv").open(newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        row = next(reader)
        header = reader.fieldnames
    assert header is not None and "Relationship.Qualifiers.1.QuantifierAmount" in header
    row.update({
        "Relationship.Qualifiers.1.MeasurementMethod": "ACCOUNTING_CONSOLIDATION",
        "Relationship.Qualifiers.1.QuantifierAmount": "60.00",
        "Relationship.Qualifiers.1.QuantifierUnits": "PERCENTAGE",
    })  # fmt: skip
    path = tmp_path / "rr.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, header)
        writer.writeheader()
        writer.writerow(row)
    child, parent = row["Relationship.StartNode.NodeID"], row["Relationship.EndNode.NodeID"]
    store = ["--store", f"oxigraph:{tmp_path / 'store'}", "--no-default-data"]
    runner = CliRunner()
    result = runner.invoke(cli, [*store, "import", str(path), "--format", "gleif-rr"])
    assert result.exit_code == 0, result.output
    owners = json.loads(runner.invoke(cli, [*store, "--json", "owners", child, "--at",
                                            "2019-09-01"]).output)  # fmt: skip
    assert [(o["id"], o["interest"], o["percent"]) for o in owners["owners"]] == [
        (LEI_BASE + parent, "directConsolidation", 60)
    ]
    effective = json.loads(runner.invoke(cli, [*store, "--json", "effective", parent, child,
                                               "--at", "2019-09-01"]).output)  # fmt: skip
    assert effective["percent"] == 60
