"""The CSV holdings format: reading (all or nothing, every bad row located) and writing."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from groupkg.graph import InputError
from groupkg.graph.errors import BadInput, ImportProblem
from groupkg.graph.formats.csvholdings import CSV_COLUMNS, LOCAL_BASE, read_csv, write_csv
from groupkg.graph.vocab import DCTERMS, GK, PROV

HEADER = ",".join(CSV_COLUMNS)


def write(tmp_path: Path, text: str, name: str = "holdings.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def holdings(graph: Graph) -> set[tuple[str, ...]]:
    """Each holding as (owner label, owned label, percent, min, max, shares, from, to, as of)."""

    def text(node: object, prop: URIRef) -> str:
        value = graph.value(node, prop)  # type: ignore[arg-type]
        return "" if value is None else str(value)

    out = set()
    for h in graph.subjects(RDF.type, GK.Holding):
        owner, owned = graph.value(h, GK.owner), graph.value(h, GK.owned)
        out.add(
            (
                text(owner, RDFS.label),
                text(owned, RDFS.label),
                *(
                    text(h, p)
                    for p in (
                        GK.percent,
                        GK.percentMin,
                        GK.percentMax,
                        GK.shares,
                        GK.validFrom,
                        GK.validTo,
                        GK.asOf,
                        GK.interestType,
                    )
                ),
            )
        )
    return out


def problems_of(path: Path, **options: object) -> list[tuple[int | str, str]]:
    with pytest.raises(BadInput) as caught:
        read_csv(path, **options)  # type: ignore[arg-type]
    return [(p.location, p.field) for p in caught.value.problems]


def test_a_holding_becomes_a_stated_sourced_holding_node(tmp_path):
    path = write(
        tmp_path,
        f"{HEADER}\nIIJ,IIJ Exlayer,99.9,,,3996,2010-01-01,2014-01-01,Release 2013-11-07\n",
    )
    graph = read_csv(path)
    (holding,) = graph.subjects(RDF.type, GK.Holding)
    owner, owned = graph.value(holding, GK.owner), graph.value(holding, GK.owned)
    assert owner == URIRef(LOCAL_BASE + "iij")
    assert owned == URIRef(LOCAL_BASE + "iij-exlayer")
    assert graph.value(owned, RDFS.label) == Literal("IIJ Exlayer")
    assert (owned, RDF.type, GK.LegalEntity) in graph
    assert graph.value(holding, GK.percent) == Literal("99.9", datatype=XSD.decimal)
    assert graph.value(holding, GK.shares) == Literal(3996)
    assert graph.value(holding, GK.validFrom) == Literal("2010-01-01", datatype=XSD.date)
    assert graph.value(holding, GK.validTo) == Literal("2014-01-01", datatype=XSD.date)
    assert graph.value(holding, GK.factStatus) == GK.Stated
    source = graph.value(holding, PROV.wasDerivedFrom)
    assert (source, RDF.type, GK.Source) in graph
    assert graph.value(source, DCTERMS.title) == Literal("Release 2013-11-07")
    assert (owned, PROV.wasDerivedFrom, source) in graph


def test_partial_dates_keep_their_precision(tmp_path):
    path = write(tmp_path, "owner,owned,start_date,end_date\nA,B,2006,2013-11\n")
    graph = read_csv(path)
    (holding,) = graph.subjects(RDF.type, GK.Holding)
    assert graph.value(holding, GK.validFrom) == Literal("2006", datatype=XSD.gYear)
    assert graph.value(holding, GK.validTo) == Literal("2013-11", datatype=XSD.gYearMonth)


def test_columns_come_in_any_order_and_only_owner_and_owned_are_required(tmp_path):
    a = read_csv(write(tmp_path, "percent,owned,owner\n40,B,A\n", "a.csv"))
    b = read_csv(write(tmp_path, "owner,owned,percent\nA,B,40\n", "b.csv"))
    assert holdings(a) == holdings(b) == {("A", "B", "40", "", "", "", "", "", "", "")}


def test_a_range_with_exclusive_bounds_and_the_optional_columns(tmp_path):
    path = write(
        tmp_path,
        "owner,owned,percent_min,percent_min_exclusive,percent_max,share_class,as_of,interest_type\n"
        "A,B,25,true,50,common stock,2013-09-30,votingRights\n",
    )
    graph = read_csv(path)
    (h,) = graph.subjects(RDF.type, GK.Holding)
    assert graph.value(h, GK.percentMin) == Literal("25", datatype=XSD.decimal)
    assert graph.value(h, GK.percentMinExclusive) == Literal(True)
    assert graph.value(h, GK.percentMaxExclusive) is None
    assert graph.value(h, GK.shareClass) == Literal("common stock")
    assert graph.value(h, GK.asOf) == Literal("2013-09-30", datatype=XSD.date)
    assert graph.value(h, GK.interestType) == Literal("votingRights")


def test_a_percentage_may_carry_a_percent_sign_and_spaces(tmp_path):
    graph = read_csv(write(tmp_path, "owner,owned,percent\n A , B , 12.50 % \n"))
    (h,) = graph.subjects(RDF.type, GK.Holding)
    assert graph.value(h, GK.percent) == Literal("12.5", datatype=XSD.decimal)


def test_names_resolve_through_the_callback_and_unknown_names_are_minted(tmp_path):
    existing = URIRef("https://w3id.org/groupkg/data/iij/iij")
    asked = []

    def resolve(name: str) -> URIRef | None:
        asked.append(name)
        return existing if name.casefold() == "iij" else None

    path = write(tmp_path, "owner,owned,percent\nIIJ,New Co,60\niij,Other Co,40\n")
    graph = read_csv(path, resolve, base="https://example.org/x/")
    owners = set(graph.objects(None, GK.owner))
    assert owners == {existing}
    assert set(graph.objects(None, GK.owned)) == {
        URIRef("https://example.org/x/new-co"),
        URIRef("https://example.org/x/other-co"),
    }
    assert (existing, RDFS.label, None) not in graph  # resolved entities are not restated
    assert asked.count("IIJ") == 1 and "iij" not in asked  # one call per distinct name


def test_names_differing_only_in_case_and_spacing_are_one_entity(tmp_path):
    graph = read_csv(write(tmp_path, "owner,owned\nAcme  Inc,B\nACME inc,C\n"))
    assert len(set(graph.objects(None, GK.owner))) == 1


def test_distinct_names_with_one_slug_get_distinct_iris(tmp_path):
    graph = read_csv(write(tmp_path, 'owner,owned\nAcme Inc,B\n"Acme, Inc.",C\n'))
    owners = {str(graph.value(o, RDFS.label)): o for o in graph.objects(None, GK.owner)}
    assert owners["Acme Inc"] == URIRef(LOCAL_BASE + "acme-inc")
    assert owners["Acme, Inc."] != owners["Acme Inc"]
    assert str(owners["Acme, Inc."]).startswith(LOCAL_BASE + "acme-inc-")


def test_a_slug_that_is_another_entitys_local_id_is_not_reused(tmp_path):
    taken = URIRef(LOCAL_BASE + "acme")

    def resolve(name: str) -> URIRef | None:
        return taken if name == "acme" else None  # the local id of an existing entity

    graph = read_csv(write(tmp_path, "owner,owned\nACME.,B\n"), resolve)
    (owner,) = set(graph.objects(None, GK.owner))
    assert owner != taken and str(owner).startswith(LOCAL_BASE + "acme-")


def test_an_ambiguous_name_from_the_resolver_is_reported_on_its_row(tmp_path):
    def resolve(name: str) -> URIRef | None:
        if name == "Acme":
            raise InputError("'Acme' names more than one entity")
        return None

    path = write(tmp_path, "owner,owned\nX,Y\nAcme,B\n")
    with pytest.raises(BadInput) as caught:
        read_csv(path, resolve)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3: owner: 'Acme' names more than one entity"
    ]


def test_one_source_node_per_distinct_source_and_one_for_the_file(tmp_path):
    path = write(tmp_path, "owner,owned,source\nA,B,S1\nA,C,S1\nA,D,S2\nA,E,\n")
    graph = read_csv(path)
    sources = set(graph.subjects(RDF.type, GK.Source))
    titles = {str(graph.value(s, DCTERMS.title)) for s in sources}
    assert titles == {"S1", "S2", "holdings.csv"}
    file_source = next(s for s in sources if graph.value(s, GK.fileName) is not None)
    (e,) = graph.subjects(RDFS.label, Literal("E"))
    (holding,) = graph.subjects(GK.owned, e)
    assert graph.value(holding, PROV.wasDerivedFrom) == file_source


def test_reading_the_same_file_twice_gives_the_same_graph(tmp_path):
    path = write(tmp_path, "owner,owned,percent,source\nA,B,40,S\nB,C,,S\n")
    assert isomorphic(read_csv(path), read_csv(path))


BAD_ROWS = [
    # (row, expected (field) problems)
    ("A,B,120,,,,,,", ["percent"]),
    ("A,B,-1,,,,,,", ["percent"]),
    ("A,B,abc,,,,,,", ["percent"]),
    ("A,B,,60,40,,,,", ["percent_min"]),
    ("A,B,50,40,60,,,,", ["percent"]),
    ("A,B,,,101,,,,", ["percent_max"]),
    ("A,B,,,,,2021-02-30,,", ["start_date"]),
    ("A,B,,,,,2021/02/01,,", ["start_date"]),
    ("A,B,,,,,,20210201,", ["end_date"]),
    ("A,B,,,,,2020-05-01,2020-04-30,", ["end_date"]),
    ("A,B,,,,,2020-05-01,2020-05-01,", ["end_date"]),
    ("A,B,,,,,2020-05,2020-04,", ["end_date"]),
    ("A,A,10,,,,,,", ["owned"]),
    (",B,10,,,,,,", ["owner"]),
    ("A,,10,,,,,,", ["owned"]),
    (",,,,,,,,S", ["owner", "owned"]),
    ("A,B,,,,12.5,,,", ["shares"]),
    ("A,B,,,,-3,,,", ["shares"]),
    ("A,B,,,,many,,,", ["shares"]),
    ("A,B,10,,,,,,,extra", ["(row)"]),
]


@pytest.mark.parametrize(("row", "fields"), BAD_ROWS, ids=[r for r, _ in BAD_ROWS])
def test_each_kind_of_bad_row_is_reported_with_its_line_and_column(tmp_path, row, fields):
    path = write(tmp_path, f"{HEADER}\nX,Y,1,,,,,,\n{row}\n")
    assert problems_of(path) == [(3, field) for field in fields]


def test_every_bad_row_is_reported_at_once_and_nothing_is_loaded(tmp_path):
    rows = "\n".join(row for row, _ in BAD_ROWS)
    path = write(tmp_path, f"{HEADER}\nGood,Row,10,,,,,,\n{rows}\nAnother,Good,5,,,,,,\n")
    expected = [(line, f) for line, (_, fields) in enumerate(BAD_ROWS, start=3) for f in fields]
    assert problems_of(path) == expected


def test_a_partial_end_in_the_same_period_as_the_start_is_not_an_error(tmp_path):
    graph = read_csv(write(tmp_path, "owner,owned,start_date,end_date\nA,B,2020-03-05,2020\n"))
    assert len(set(graph.subjects(RDF.type, GK.Holding))) == 1


def test_exclusive_flags_need_their_bound_and_a_true_or_false(tmp_path):
    path = write(
        tmp_path,
        "owner,owned,percent_min,percent_min_exclusive,percent_max,percent_max_exclusive\n"
        "A,B,,true,,\nA,C,10,maybe,20,\nA,D,30,,30,true\n",
    )
    assert problems_of(path) == [
        (2, "percent_min_exclusive"),
        (3, "percent_min_exclusive"),
        (4, "percent_min"),
    ]


def test_an_unknown_interest_type_is_reported_with_the_closest_one(tmp_path):
    path = write(tmp_path, "owner,owned,interest_type\nA,B,sharholding\n")
    with pytest.raises(BadInput) as caught:
        read_csv(path)
    assert "did you mean 'shareholding'?" in str(caught.value)


def test_unknown_repeated_and_missing_columns_are_rejected(tmp_path):
    path = write(tmp_path, "owner,precent,percent,percent\nA,1,2,3\n")
    with pytest.raises(BadInput) as caught:
        read_csv(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1: precent: unknown column (did you mean 'percent'?)",
        f"{path}:1: percent: column appears more than once",
        f"{path}:1: owned: required column is missing from the header",
    ]


def test_an_empty_file_has_no_header(tmp_path):
    assert problems_of(write(tmp_path, "")) == [(1, "header")]


def test_line_numbers_count_physical_lines(tmp_path):
    text = (
        "\ufeffowner,owned,percent\n"  # a byte-order mark is allowed
        "\n"
        '"Multi\nLine Co",B,10\n'  # a quoted name spanning two lines
        "\n"
        "C,D,200\n"
    )
    assert problems_of(write(tmp_path, text)) == [(6, "percent")]


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("owner,owned\nSoci\u00e9t\u00e9,B\n".encode("latin-1"))
    assert problems_of(path) == [(1, "(file)")]


def test_problems_render_one_per_line():
    error = BadInput(
        [ImportProblem("f.csv", 2, "percent", "bad"), ImportProblem("f.csv", 5, "owner", "empty")]
    )
    assert str(error) == "f.csv:2: percent: bad\nf.csv:5: owner: empty"
    assert isinstance(error, InputError)


# ---- export ----


def test_write_then_read_gives_the_same_holdings(tmp_path):
    path = write(
        tmp_path,
        "owner,owned,percent,percent_min,percent_max,shares,start_date,end_date,source,as_of\n"
        "IIJ,IIJ Exlayer,99.9,,,3996,2010,2014-01-01,R1,\n"
        "IIJ,Trust Co,,25,50,,,,R2,2013-09-30\n"
        "Person One,IIJ,12.5,,,,,,,\n",
    )
    first = read_csv(path)
    out = tmp_path / "out.csv"
    assert write_csv(first, out) == 3
    second = read_csv(out)
    assert holdings(second) == holdings(first)
    again = io.StringIO()
    write_csv(second, again)
    assert again.getvalue() == out.read_text(encoding="utf-8").replace("out.csv", "holdings.csv")


def test_a_plain_graph_is_written_with_the_plain_header(tmp_path):
    graph = read_csv(write(tmp_path, "owner,owned,percent\nA,B,40\n"))
    buffer = io.StringIO()
    write_csv(graph, buffer)
    assert buffer.getvalue().splitlines() == [HEADER, "A,B,40,,,,,,holdings.csv"]


def test_the_optional_columns_are_written_when_used(tmp_path):
    graph = read_csv(
        write(tmp_path, "owner,owned,percent_min,percent_min_exclusive\nA,B,25,true\n")
    )
    buffer = io.StringIO()
    write_csv(graph, buffer)
    header, row = buffer.getvalue().splitlines()
    assert header == HEADER + ",percent_min_exclusive"
    assert row == "A,B,,25,,,,,holdings.csv,true"


def test_an_entity_whose_label_is_shared_is_written_by_iri():
    graph = Graph()
    a, b, c = (URIRef(f"https://example.org/{x}") for x in "abc")
    for entity, label in ((a, "Same"), (b, "same"), (c, "C")):
        graph.add((entity, RDF.type, GK.LegalEntity))
        graph.add((entity, RDFS.label, Literal(label)))
    for i, owner in enumerate((a, b)):
        h = URIRef(f"https://example.org/h{i}")
        graph.add((h, RDF.type, GK.Holding))
        graph.add((h, GK.owner, owner))
        graph.add((h, GK.owned, c))
        graph.add((h, GK.percent, Literal(Decimal("10"))))
    buffer = io.StringIO()
    write_csv(graph, buffer)
    rows = buffer.getvalue().splitlines()[1:]
    assert rows == ["https://example.org/a,C,10,,,,,,", "https://example.org/b,C,10,,,,,,"]


# ---- reported consolidations (interest_type directConsolidation / ultimateConsolidation) ----

CONSOLIDATIONS = (
    "owner,owned,percent,start_date,end_date,as_of,source,interest_type\n"
    "Acme Holdings,Acme Europe,100,2019-01-01,,,Annual report 2019,directConsolidation\n"
    "Acme Group,Acme Europe,,2019-01,2024-01-01,,Annual report 2019,ultimateConsolidation\n"
    "Acme Group,Acme Holdings,,,,2019-12-31,Group register,directConsolidation\n"
    "Acme Holdings,Acme Works,60,,,2019-12-31,Group register,\n"
)


def relations(graph: Graph) -> set[tuple[str, ...]]:
    """Each reported consolidation as (class, parent label, child label, percent, from, to, as of,
    source titles)."""

    def text(node: object, prop: URIRef) -> str:
        value = graph.value(node, prop)  # type: ignore[arg-type]
        return "" if value is None else str(value)

    out = set()
    for cls in (GK.DirectConsolidation, GK.UltimateConsolidation):
        for rel in graph.subjects(RDF.type, cls):
            sources = sorted(
                str(graph.value(s, DCTERMS.title)) for s in graph.objects(rel, PROV.wasDerivedFrom)
            )
            out.add(
                (
                    cls.fragment,
                    text(graph.value(rel, GK.parent), RDFS.label),
                    text(graph.value(rel, GK.child), RDFS.label),
                    *(text(rel, p) for p in (GK.percent, GK.validFrom, GK.validTo, GK.asOf)),
                    "; ".join(sources),
                )
            )
    return out


def test_a_consolidation_row_is_a_reported_relation_not_a_holding(tmp_path):
    graph = read_csv(write(tmp_path, CONSOLIDATIONS))
    assert relations(graph) == {
        ("DirectConsolidation", "Acme Holdings", "Acme Europe", "100", "2019-01-01", "", "",
         "Annual report 2019"),
        ("UltimateConsolidation", "Acme Group", "Acme Europe", "", "2019-01", "2024-01-01", "",
         "Annual report 2019"),
        ("DirectConsolidation", "Acme Group", "Acme Holdings", "", "", "", "2019-12-31",
         "Group register"),
    }  # fmt: skip
    # only the shareholding row is a holding, and no relation carries holding properties
    assert holdings(graph) == {
        ("Acme Holdings", "Acme Works", "60", "", "", "", "", "", "2019-12-31", ""),
    }
    for cls in (GK.DirectConsolidation, GK.UltimateConsolidation):
        for rel in graph.subjects(RDF.type, cls):
            assert (rel, RDF.type, GK.Holding) not in graph
            assert graph.value(rel, GK.factStatus) == GK.Stated
            assert graph.value(rel, GK.owner) is None and graph.value(rel, GK.interestType) is None
    relation = next(graph.subjects(RDF.type, GK.UltimateConsolidation))
    assert graph.value(relation, GK.validFrom).datatype == XSD.gYearMonth  # type: ignore[union-attr]


def test_consolidation_rows_conform_to_the_shapes(tmp_path):
    from groupkg.graph.validate import validate_graph  # noqa: PLC0415

    report = validate_graph(read_csv(write(tmp_path, CONSOLIDATIONS)))
    assert report.conforms, report


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("A,B,,10,,,,directConsolidation", "percent_min"),
        ("A,B,,,90,,,ultimateConsolidation", "percent_max"),
        ("A,B,,,,500,,directConsolidation", "shares"),
        ("A,B,,,,,common,ultimateConsolidation", "share_class"),
    ],
)
def test_a_range_or_share_count_on_a_consolidation_row_is_an_error_on_its_row(tmp_path, row, field):
    header = "owner,owned,percent,percent_min,percent_max,shares,share_class,interest_type\n"
    path = write(tmp_path, header + "A,C,100,,,,,directConsolidation\n" + row + "\n")
    assert problems_of(path) == [(3, field)]


def test_a_misspelt_consolidation_type_suggests_the_right_one(tmp_path):
    path = write(
        tmp_path, "owner,owned,interest_type\nA,B,directconsolidation\nA,C,UltimateConsolidation\n"
    )
    with pytest.raises(BadInput) as caught:
        read_csv(path)
    assert [(p.location, p.field) for p in caught.value.problems] == [
        (2, "interest_type"),
        (3, "interest_type"),
    ]
    assert "did you mean 'directConsolidation'?" in caught.value.problems[0].reason
    assert "did you mean 'ultimateConsolidation'?" in caught.value.problems[1].reason


def test_consolidations_are_written_back_and_read_to_the_same_facts(tmp_path):
    first = read_csv(write(tmp_path, CONSOLIDATIONS))
    out = tmp_path / "out.csv"
    assert write_csv(first, out) == 4
    text = out.read_text(encoding="utf-8")
    assert (
        "Acme Holdings,Acme Europe,100,,,,2019-01-01,,Annual report 2019,,directConsolidation"
        in text
    )
    second = read_csv(out)
    assert relations(second) == relations(first)
    assert holdings(second) == holdings(first)


def test_import_export_import_through_the_command_line_keeps_the_consolidations(tmp_path):
    from click.testing import CliRunner  # noqa: PLC0415

    from groupkg.graph.cli import cli  # noqa: PLC0415

    source = write(tmp_path, CONSOLIDATIONS)
    exported = []
    for n in range(2):
        store = f"oxigraph:{tmp_path / f'store{n}'}"
        result = CliRunner().invoke(
            cli, ["--store", store, "--no-default-data", "import", str(source)]
        )
        assert result.exit_code == 0, result.output
        result = CliRunner().invoke(
            cli, ["--store", store, "--no-default-data", "export", "--format", "csv"]
        )
        assert result.exit_code == 0, result.output
        exported.append(result.output)
        source = write(tmp_path, result.output, name=f"export{n}.csv")
    assert exported[0] == exported[1]
    assert relations(read_csv(source)) == relations(read_csv(write(tmp_path, CONSOLIDATIONS)))


def test_a_bad_consolidation_row_loads_nothing_and_exits_2_naming_line_and_field(tmp_path):
    from click.testing import CliRunner  # noqa: PLC0415

    from groupkg.graph.cli import cli  # noqa: PLC0415

    store = f"oxigraph:{tmp_path / 'store'}"
    base = ["--store", store, "--no-default-data"]
    good = write(tmp_path, "owner,owned\nX,Y\n", name="good.csv")
    assert CliRunner().invoke(cli, [*base, "import", str(good)]).exit_code == 0
    before = CliRunner().invoke(cli, [*base, "--json", "info"]).output
    header = "owner,owned,percent,percent_min,shares,interest_type\n"
    rows = "P,Q,100,,,directConsolidation\nP,R,,,12,ultimateConsolidation\n"
    bad = write(tmp_path, header + rows, name="bad.csv")
    result = CliRunner().invoke(cli, [*base, "import", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:3: shares:" in result.output
    assert "Traceback" not in result.output
    assert CliRunner().invoke(cli, [*base, "--json", "info"]).output == before
    result = CliRunner().invoke(cli, ["--no-default-data", "--data", str(bad), "owners", "Q"])
    assert result.exit_code == 2 and f"{bad}:3: shares:" in result.output


def test_owners_and_paths_see_a_consolidation_from_csv(tmp_path):
    import json  # noqa: PLC0415

    from click.testing import CliRunner  # noqa: PLC0415

    from groupkg.graph.cli import cli  # noqa: PLC0415

    base = ["--no-default-data", "--data", str(write(tmp_path, CONSOLIDATIONS)), "--json"]

    def ask(*args: str, code: int = 0) -> dict:
        result = CliRunner().invoke(cli, [*base, *args])
        assert result.exit_code == code, result.output
        return json.loads(result.output)

    owners = ask("owners", "Acme Europe", "--at", "2020-06-30")["owners"]
    assert [o["name"] for o in owners] == ["Acme Holdings"]
    assert owners[0]["sources"] == ["Annual report 2019"]
    # before the stated start nobody consolidates it (exit 1: nothing found)
    assert ask("owners", "Acme Europe", "--at", "2018-12-31", code=1)["owners"] == []
    paths = ask("paths", "Acme Europe", "--at", "2020-06-30")
    assert paths["ultimate_parent"]["name"] == "Acme Group"
    assert [[r["name"] for r in p] for p in paths["paths"]] == [
        ["Acme Group", "Acme Holdings", "Acme Europe"]
    ]
    result = CliRunner().invoke(
        cli, ["--no-default-data", "validate", str(write(tmp_path, CONSOLIDATIONS))]
    )
    assert result.exit_code == 0, result.output


def test_identifier_columns_give_the_lei_entity_and_keep_other_identifiers(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text(
        "owner,owned,percent,owner_identifier,owned_identifier\n"
        "MONEYTECH GROUP LIMITED,Acme Pty,60,XI-LEI:984500501A1B1045PB30,RA000014:123 456\n",
        encoding="utf-8",
    )
    graph = read_csv(path)
    parent = URIRef("https://w3id.org/groupkg/data/lei/984500501A1B1045PB30")
    assert (parent, GK.lei, Literal("984500501A1B1045PB30")) in graph
    assert (parent, RDFS.label, Literal("MONEYTECH GROUP LIMITED")) in graph
    holding = next(graph.subjects(RDF.type, GK.Holding))
    assert graph.value(holding, GK.owner) == parent
    owned = graph.value(holding, GK.owned)
    node = graph.value(owned, GK.hasIdentifier)
    assert graph.value(node, GK.identifierScheme) == Literal("RA000014")
    assert graph.value(node, GK.identifierValue) == Literal("123 456")


def test_identifier_cells_that_are_no_scheme_and_id_or_no_lei_are_errors(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text(
        "owner,owned,owner_identifier,owned_identifier\n"
        "A Co,B Co,no scheme,XI-LEI:984500501A1B1045PB31\n",
        encoding="utf-8",
    )
    with pytest.raises(BadInput) as caught:
        read_csv(path)
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("owner_identifier", "'no scheme' is not SCHEME:ID (such as GB-COH:02723534)"),
        (
            "owned_identifier",
            "'984500501A1B1045PB31' is not a valid XI-LEI identifier: its check digits are wrong",
        ),
    ]
