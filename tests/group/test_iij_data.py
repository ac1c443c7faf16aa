"""The bundled IIJ dataset (data/iij): it parses, it says what the releases say, and
every fact carries its provenance and status.

The expected values below were read off the five IIJ releases the dataset is built
from; each row names the release (by date) and the section it comes from.
"""

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "iij"
ONTOLOGY = ROOT / "ontology"
DATA_FILES = ["sources.ttl", "entities.ttl", "holdings.ttl", "events.ttl", "observations.ttl"]

XSD = "http://www.w3.org/2001/XMLSchema#"
GK = "https://w3id.org/groupkg/ontology#"
IIJ = "https://w3id.org/groupkg/data/iij/"
PREFIXES = {
    "gk": GK,
    "iij": IIJ,
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
}
NUMERIC = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "float"}


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """A store holding the vocabulary and the IIJ data, as the library loads them."""
    s = ox.Store()
    for path in sorted(ONTOLOGY.glob("*.ttl")) + sorted(DATA.glob("*.ttl")):
        s.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return s


def _py(term):
    """A SPARQL term as a comparable Python value: numbers as Decimal, IRIs of the
    dataset as their local id, other literals as their lexical form."""
    if isinstance(term, ox.NamedNode):
        return term.value.removeprefix(IIJ)
    if isinstance(term, ox.Literal):
        if term.datatype.value in NUMERIC:
            return Decimal(term.value)
        if term.datatype.value == XSD + "boolean":
            return term.value == "true"
        return term.value
    raise AssertionError(f"unexpected term {term!r}")


def values(store: ox.Store, query: str) -> list:
    """The first variable of every solution, sorted."""
    return sorted((_py(row[0]) for row in store.query(query, prefixes=PREFIXES)), key=str)


def rows(store: ox.Store, query: str) -> list[tuple]:
    return [
        tuple(_py(t) if t is not None else None for t in row)
        for row in store.query(query, prefixes=PREFIXES)
    ]


# ---- query builders for the table ----


def holding(
    owner: str, owned: str, prop: str, as_of: str | None = None, valid_from: str | None = None
) -> str:
    when = ""
    if as_of:
        when += f'; gk:asOf "{as_of}"^^xsd:date '
    if valid_from:
        when += f'; gk:validFrom "{valid_from}"^^xsd:date '
    return (
        f"SELECT ?v WHERE {{ ?h a gk:Holding ; gk:owner iij:{owner} ; "
        f"gk:owned iij:{owned} {when}; {prop} ?v }}"
    )


def stock(subject: str, measure: str, as_of: str, kind: str = "Actual") -> str:
    return (
        f"SELECT ?v WHERE {{ ?o gk:subject iij:{subject} ; gk:measure gk:{measure} ; "
        f'gk:asOf "{as_of}"^^xsd:date ; gk:figureKind gk:{kind} ; gk:value ?v }}'
    )


def flow(subject: str, measure: str, start: str, end: str, kind: str = "Actual") -> str:
    return (
        f"SELECT ?v WHERE {{ ?o gk:subject iij:{subject} ; gk:measure gk:{measure} ; "
        f'gk:periodStart "{start}"^^xsd:date ; gk:periodEnd "{end}"^^xsd:date ; '
        f"gk:figureKind gk:{kind} ; gk:value ?v }}"
    )


def prop(subject: str, predicate: str) -> str:
    return f"SELECT ?v WHERE {{ iij:{subject} {predicate} ?v }}"


FY2013_3 = ("2012-04-01", "2013-03-31")
FY2014_3 = ("2013-04-01", "2014-03-31")
EXLAYER_FY2012 = ("2012-01-01", "2012-12-31")
D = Decimal

# (fact, SPARQL selecting ?v, expected values). Every expected value was read off a release.
FACTS = [
    # 2013-11-07 release, 4 (10) major shareholders (registry of 2013-09-30, note 1)
    ("NTT holds 21.62% of IIJ", holding("ntt", "iij", "gk:percent", "2013-09-30"), [D("21.62")]),
    (
        "Goldman Sachs Reg holds 4.56% of IIJ",
        holding("goldman-sachs-reg", "iij", "gk:percent", "2013-09-30"),
        [D("4.56")],
    ),
    (
        "Itochu holds 4.47% of IIJ",
        holding("itochu", "iij", "gk:percent", "2013-09-30"),
        [D("4.47")],
    ),
    (
        "NTT Communications holds 4.37% of IIJ",
        holding("ntt-communications", "iij", "gk:percent", "2013-09-30"),
        [D("4.37")],
    ),
    (
        "Japan Trustee Services Bank trust account holds 3.95% of IIJ",
        holding("japan-trustee-services-bank-trust", "iij", "gk:percent", "2013-09-30"),
        [D("3.95")],
    ),
    (
        "Koichi Suzuki holds 3.86% of IIJ",
        holding("koichi-suzuki", "iij", "gk:percent", "2013-09-30"),
        [D("3.86")],
    ),
    # 2013-11-07 release, 4 (10), IIJ-Exlayer column
    (
        "IIJ holds 99.9% of IIJ-Exlayer on the registry",
        holding("iij", "iij-exlayer", "gk:percent", "2013-09-30"),
        [D("99.9")],
    ),
    # 2013-11-07 release, 4 note 2
    ("KS Holdings holds 810,000 IIJ shares", holding("ks-holdings", "iij", "gk:shares"), [810000]),
    (
        "KS Holdings holds 1.73% of IIJ",
        holding("ks-holdings", "iij", "gk:percent", "2013-09-30"),
        [D("1.73")],
    ),
    # note 2 is one sentence: Suzuki's 100% of KS Holdings shares its date with the stake
    (
        "Koichi Suzuki wholly owns KS Holdings, dated like KS Holdings' stake",
        holding("koichi-suzuki", "ks-holdings", "gk:percent", "2013-09-30"),
        [100],
    ),
    (
        "Koichi Suzuki's ownership of KS Holdings is never dated apart from note 2's stake",
        "SELECT ?v WHERE { ?h gk:owner iij:koichi-suzuki ; gk:owned iij:ks-holdings ; gk:asOf ?v }",
        ["2013-09-30"],
    ),
    # 2013-11-07 release, 4 (10) IIJ-Exlayer column: the rest of its registry (derived)
    (
        "other holders of IIJ-Exlayer hold 0.1% on the registry of 2013-09-30",
        holding("other-shareholders-iij-exlayer", "iij-exlayer", "gk:percent", "2013-09-30"),
        [D("0.1")],
    ),
    # 2013-11-07 release, 2 (3) note 1
    (
        "IIJ holds 3,996 IIJ-Exlayer shares on 2013-11-07",
        holding("iij", "iij-exlayer", "gk:shares", "2013-11-07"),
        [3996],
    ),
    # 2013-11-07 release, 2 (3) notes 1 and 2 (derived: 104 / 26)
    (
        "other holders of IIJ-Exlayer hold 4 shares",
        holding("other-shareholders-iij-exlayer", "iij-exlayer", "gk:shares", "2013-11-07"),
        [4],
    ),
    (
        "other holders of IIJ-Exlayer receive 104 IIJ shares",
        holding("other-shareholders-iij-exlayer", "iij", "gk:shares", valid_from="2014-01-01"),
        [104],
    ),
    # 2013-07-02 release, For Reference 4 (2) lock-up: shareholders, size not given
    (
        "lock-up parties are IIJ shareholders of unknown size on 2013-07-02",
        "SELECT ?v WHERE { ?h a gk:Holding ; gk:owned iij:iij ; gk:owner ?v ; "
        'gk:asOf "2013-07-02"^^xsd:date . FILTER NOT EXISTS { ?h gk:percent ?p } }',
        ["koichi-suzuki", "ks-holdings", "ntt", "ntt-communications"],
    ),
    # 2010-02-04 release, merger slide: 100% owned, effective 2010-04-01
    (
        "IIJ wholly owns IIJ Technology in 2010",
        holding("iij", "iij-technology", "gk:percent", "2010-02-04"),
        [100],
    ),
    (
        "IIJ's holding in IIJ Financial Systems ends 2010-04-01",
        holding("iij", "iij-financial-systems", "gk:validTo", "2010-02-04"),
        ["2010-04-01"],
    ),
    (
        "IIJ Technology merger effective 2010-04-01",
        prop("ev-merger-iij-technology-2010", "gk:effectiveDate"),
        ["2010-04-01"],
    ),
    (
        "IIJ Technology merger marked simplified",
        prop("ev-merger-iij-technology-2010", "gk:simplifiedMerger"),
        [True],
    ),
    (
        "IIJ survives the IIJ Financial Systems merger",
        prop("ev-merger-iij-financial-systems-2010", "gk:survivor"),
        ["iij"],
    ),
    # 2013-11-07 release, 2 (1) merger schedule and its note (*)
    (
        "IIJ-Exlayer merger effective 2014-01-01",
        prop("ev-merger-iij-exlayer-2014", "gk:effectiveDate"),
        ["2014-01-01"],
    ),
    (
        "IIJ-Exlayer merger resolved 2013-11-07",
        prop("ev-merger-iij-exlayer-2014", "gk:announcementDate"),
        ["2013-11-07"],
    ),
    (
        "IIJ-Exlayer merger is simplified for IIJ",
        prop("ev-merger-iij-exlayer-2014", "gk:simplifiedMerger"),
        [True],
    ),
    (
        "IIJ-Exlayer merger is short form for IIJ-Exlayer",
        prop("ev-merger-iij-exlayer-2014", "gk:shortFormMerger"),
        [True],
    ),
    # 2013-11-07 release, 2 (3) table and notes 1-2
    ("allotment ratio 26", prop("ev-merger-iij-exlayer-2014", "gk:allotmentRatio"), [26]),
    (
        "104 treasury shares delivered",
        prop("ev-treasury-delivery-2014", "gk:treasurySharesDelivered"),
        [104],
    ),
    (
        "no new shares in the IIJ-Exlayer merger",
        prop("ev-merger-iij-exlayer-2014", "gk:newSharesIssued"),
        [0],
    ),
    # 2013-11-07 release, 1 purpose: US merger resolved, parties only
    (
        "US merger parties",
        prop("ev-merger-iij-america-iij-exlayer-usa", "org:originalOrganization"),
        ["iij-america", "iij-exlayer-usa"],
    ),
    # 2013-05-24 release, 1 (1)
    ("split ratio 200", prop("ev-stock-split-2012", "gk:splitRatio"), [200]),
    (
        "split resolved 2012-09-06",
        prop("ev-stock-split-2012", "gk:announcementDate"),
        ["2012-09-06"],
    ),
    ("split effective 2012-10-01", prop("ev-stock-split-2012", "gk:effectiveDate"), ["2012-10-01"]),
    (
        "authorised shares 377,600 before the split",
        stock("iij", "AuthorisedShares", "2012-09-06"),
        [377600],
    ),
    (
        "authorised shares 75,520,000 from 2012-10-01",
        stock("iij", "AuthorisedShares", "2012-10-01"),
        [75520000],
    ),
    ("share unit 100 from 2012-10-01", stock("iij", "ShareUnit", "2012-10-01"), [100]),
    # 2013-05-24 release, 2 content (supplementary provision) and 3 schedule
    (
        "new Articles 8 and 9 effective 2013-07-01",
        "SELECT ?v WHERE { iij:ev-articles-amendment-2013 gk:hasAmendedProvision ?p . "
        "?p gk:effectiveDate ?v }",
        ["2013-07-01", "2013-07-01"],
    ),
    (
        "articles amendment effective 2013-06-26",
        prop("ev-articles-amendment-2013", "gk:effectiveDate"),
        ["2013-06-26"],
    ),
    (
        "articles amendment resolved by the board 2013-05-24",
        prop("ev-articles-amendment-2013", "gk:announcementDate"),
        ["2013-05-24"],
    ),
    # 2013-07-02 release, 1 (1), 3 (1), 3 (6), 2 (1); 2013-11-07 release, 4 note 3
    (
        "public offering of 4,700,000 new shares",
        prop("ev-public-offering-2013", "gk:newSharesIssued"),
        [4700000],
    ),
    (
        "public offering paid 2013-07-18",
        prop("ev-public-offering-2013", "gk:effectiveDate"),
        ["2013-07-18"],
    ),
    (
        "third-party allotment of 700,000 new shares",
        prop("ev-third-party-allotment-2013", "gk:newSharesIssued"),
        [700000],
    ),
    (
        "third-party allotment paid 2013-08-05",
        prop("ev-third-party-allotment-2013", "gk:effectiveDate"),
        ["2013-08-05"],
    ),
    (
        "over-allotment of up to 700,000 shares",
        prop("ev-over-allotment-2013", "gk:sharesOffered"),
        [700000],
    ),
    # 2013-07-02 release, For Reference 2
    (
        "41,297,800 shares issued on 2013-06-28",
        stock("iij", "IssuedShares", "2013-06-28"),
        [41297800],
    ),
    (
        "45,997,800 shares issued after the public offering",
        stock("iij", "IssuedShares", "2013-07-18"),
        [45997800],
    ),
    # 2013-11-07 release, 4 (7)
    (
        "46,697,800 shares issued on 2013-09-30",
        stock("iij", "IssuedShares", "2013-09-30"),
        [46697800],
    ),
    (
        "IIJ-Exlayer has 4,000 shares issued",
        stock("iij-exlayer", "IssuedShares", "2013-09-30"),
        [4000],
    ),
    # 2013-07-11 release, items 1-3 and 4
    ("89 stock acquisition rights", prop("ev-stock-options-2013", "gk:rightsGranted"), [89]),
    ("200 shares per right", prop("ev-stock-options-2013", "gk:sharesPerRight"), [200]),
    ("JPY 647,000 per right", prop("ev-stock-options-2013", "gk:amountPerRight"), [647000]),
    (
        "stock options resolved 2013-06-26",
        prop("ev-stock-options-2013", "gk:announcementDate"),
        ["2013-06-26"],
    ),
    (
        "grantee classes: 7 directors with 60 rights, 10 executive officers with 29",
        "SELECT ?v WHERE { iij:ev-stock-options-2013 gk:hasGranteeClass ?c . "
        "?c gk:granteeCount ?n ; gk:rightsAllotted ?r . "
        "BIND(CONCAT(STR(?n), '/', STR(?r)) AS ?v) }",
        ["10/29", "7/60"],
    ),
    # 2013-07-02 release, For Reference 4 (2)
    (
        "lock-up parties",
        prop("ev-lock-up-2013", "gk:party"),
        ["iij", "koichi-suzuki", "ks-holdings", "ntt", "ntt-communications"],
    ),
    # 2013-11-07 release, 4 (5); 2010-02-04 release, merger slide and footnote
    (
        "IIJ capital JPY 22,958 million on 2013-09-30",
        stock("iij", "Capital", "2013-09-30"),
        [22958],
    ),
    (
        "IIJ capital JPY 14,295 million on 2009-03-31",
        stock("iij", "Capital", "2009-03-31"),
        [14295],
    ),
    (
        "IIJ Technology capital JPY 2,358 million",
        stock("iij-technology", "Capital", "2009-03-31"),
        [2358],
    ),
    (
        "IIJ Financial Systems capital JPY 50 million",
        stock("iij-financial-systems", "Capital", "2009-03-31"),
        [50],
    ),
    ("IIJ-Exlayer capital JPY 10 million", stock("iij-exlayer", "Capital", "2013-09-30"), [10]),
    (
        "IIJ Technology revenue FY2008 JPY 25,452 million",
        flow("iij-technology", "Revenue", "2008-04-01", "2009-03-31"),
        [25452],
    ),
    (
        "IIJ Financial Systems employees 88",
        stock("iij-financial-systems", "Employees", "2009-12-31"),
        [88],
    ),
    # 2013-11-07 release, 4 (9)
    ("IIJ employees 1,555", stock("iij", "Employees", "2013-09-30"), [1555]),
    ("IIJ-Exlayer employees 2", stock("iij-exlayer", "Employees", "2013-09-30"), [2]),
    # 2013-11-07 release, 4 (11) and the reference table of section 6: both figures kept
    (
        "income before income tax FY2013/3: 7,757 (4 (11)) and 5,976 (reference table)",
        flow("iij", "IncomeBeforeIncomeTax", *FY2013_3),
        [5976, 7757],
    ),
    ("net income FY2013/3 5,301 (4 (11))", flow("iij", "NetIncome", *FY2013_3), [5301]),
    (
        "net income attributable to IIJ FY2013/3 3,641 (reference table)",
        flow("iij", "NetIncomeAttributableToParent", *FY2013_3),
        [3641],
    ),
    (
        "revenue FY2013/3 106,248 in both tables",
        flow("iij", "Revenue", *FY2013_3),
        [106248, 106248],
    ),
    (
        "basic EPS FY2013/3 JPY 130.76",
        flow("iij", "BasicNetIncomePerShare", *FY2013_3),
        [D("130.76")],
    ),
    (
        "equity per share JPY 927.72",
        stock("iij", "ShareholdersEquityPerShare", "2013-03-31"),
        [D("927.72")],
    ),
    ("revenue target FY2014/3 117,000", flow("iij", "Revenue", *FY2014_3, kind="Target"), [117000]),
    (
        "net income target FY2014/3 6,000",
        flow("iij", "NetIncomeAttributableToParent", *FY2014_3, kind="Target"),
        [6000],
    ),
    # 2013-11-07 release, opening paragraphs and 4 (11), IIJ-Exlayer column
    (
        "IIJ-Exlayer operating income JPY 0.4 million",
        flow("iij-exlayer", "OperatingIncome", *EXLAYER_FY2012),
        [D("0.4")],
    ),
    ("IIJ-Exlayer net loss JPY 6 million", flow("iij-exlayer", "NetIncome", *EXLAYER_FY2012), [-6]),
    (
        "IIJ-Exlayer loss per share JPY 1,485.46",
        flow("iij-exlayer", "BasicNetIncomePerShare", *EXLAYER_FY2012),
        [D("-1485.46")],
    ),
    # 2013-11-07 release, 4 note 3: an increase, under the measure for an increase
    (
        "equity up JPY 17,239 million from the 2013 issues",
        "SELECT ?v WHERE { ?o gk:subject iij:iij ; gk:measure gk:ShareholdersEquityIncrease ; "
        'gk:periodStart "2013-07-18"^^xsd:date ; gk:periodEnd "2013-08-05"^^xsd:date ; '
        "gk:value ?v }",
        [17239],
    ),
    (
        "no shareholders' equity balance of 17,239",
        "SELECT ?v WHERE { ?o gk:measure gk:ShareholdersEquity ; gk:value ?v . "
        "FILTER(?v = 17239) }",
        [],
    ),
    # 2013-07-11 release, items 2 and 3
    (
        "stock options cover 17,800 shares",
        prop("ev-stock-options-2013", "gk:underlyingShares"),
        [17800],
    ),
    (
        "stock options cost JPY 3,235 per share",
        prop("ev-stock-options-2013", "gk:amountPerShare"),
        [3235],
    ),
    # 2013-07-02 release, 1 (2) and (7); 2 (6); For Reference 4 (2); 2013-11-07 release, note 3
    (
        "the pricing date falls in 2013-07-10 to 2013-07-17",
        "SELECT ?v WHERE { iij:ev-public-offering-2013 gk:pricingWindowStart ?a ; "
        "gk:pricingWindowEnd ?b . BIND(CONCAT(STR(?a), '/', STR(?b)) AS ?v) }",
        ["2013-07-10/2013-07-17"],
    ),
    (
        "the pricing date is the fifth business day before the 2013-07-18 payment",
        prop("ev-public-offering-2013", "gk:pricingDate"),
        ["2013-07-10"],
    ),
    (
        "the over-allotment is delivered the business day after the 2013-07-18 payment",
        prop("ev-over-allotment-2013", "gk:effectiveDate"),
        ["2013-07-19"],
    ),
    (
        "the lock-up runs from the pricing date to 90 days after delivery",
        "SELECT ?v WHERE { iij:ev-lock-up-2013 gk:validFrom ?a ; gk:validTo ?b . "
        "BIND(CONCAT(STR(?a), '/', STR(?b)) AS ?v) }",
        ["2013-07-10/2013-10-18"],
    ),
    # 2013-11-07 release, 4 (6) and (8); 2010-02-04 release, company profiles
    ("IIJ incorporated 1992-12-03", prop("iij", "gk:incorporationDate"), ["1992-12-03"]),
    (
        "IIJ Technology established November 1996 (year-month only)",
        "SELECT ?v WHERE { iij:iij-technology gk:incorporationDate ?d . "
        "BIND(CONCAT(STR(?d), ' ', STR(DATATYPE(?d))) AS ?v) }",
        ["1996-11 " + XSD + "gYearMonth"],
    ),
    (
        "IIJ-Exlayer incorporated 2009-10-01",
        prop("iij-exlayer", "gk:incorporationDate"),
        ["2009-10-01"],
    ),
    (
        "IIJ-Exlayer fiscal year ends 31 December",
        prop("iij-exlayer", "gk:fiscalYearEnd"),
        ["--12-31"],
    ),
    (
        # The end is the absorption event's, which carries when it became known (as an
        # entity's own dissolution date it would be known on every day).
        "IIJ-Exlayer ends with its absorption",
        "SELECT ?v WHERE { ?m gk:absorbed iij:iij-exlayer ; gk:effectiveDate ?v }",
        ["2014-01-01"],
    ),
    # 2013-11-07 release, opening paragraph; About IIJ of 2013-05-24 / 07-02 / 07-11
    (
        "IIJ identifiers TSE 3774 and NASDAQ IIJI",
        "SELECT ?v WHERE { iij:iij gk:hasIdentifier ?i . ?i gk:identifierScheme ?s ; "
        "gk:identifierValue ?x . BIND(CONCAT(?s, ':', ?x) AS ?v) }",
        ["NASDAQ:IIJI", "TSE:3774"],
    ),
    (
        "IIJ listed on NASDAQ in 1999 and the TSE First Section in 2006",
        "SELECT ?v WHERE { iij:iij gk:hasListing ?l . ?l gk:ticker ?t ; gk:listedSince ?y . "
        "BIND(CONCAT(?t, ':', STR(?y)) AS ?v) }",
        ["3774:2006", "IIJI:1999"],
    ),
]


def test_fact_table_is_large_enough():
    assert len(FACTS) >= 30


@pytest.mark.parametrize(("query", "expected"), [f[1:] for f in FACTS], ids=[f[0] for f in FACTS])
def test_fact_from_the_releases(store, query, expected):
    assert values(store, query) == sorted(expected, key=str)


# ---- parsing ----


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_file_parses(name):
    graph = rdflib.Graph().parse(DATA / name, format="turtle")
    assert len(graph) > 0


def test_no_other_turtle_files_in_the_dataset():
    assert sorted(p.name for p in DATA.glob("*.ttl")) == sorted(DATA_FILES)


@pytest.mark.parametrize("name", DATA_FILES)
def test_data_file_has_header(name):
    text = (DATA / name).read_text(encoding="utf-8")
    header = text[: text.index("@prefix")]
    assert header.startswith("# IIJ dataset")
    assert "Apache-2.0" in header
    assert "sources.ttl" in header


def test_every_gk_term_is_defined_in_the_vocabulary():
    vocab = rdflib.Graph().parse(ONTOLOGY / "groupkg.ttl", format="turtle")
    defined = {s for s in vocab.subjects() if str(s).startswith(GK)}
    data = rdflib.Graph()
    for name in DATA_FILES:
        data.parse(DATA / name, format="turtle")
    used = {
        t
        for triple in data
        for t in triple
        if isinstance(t, rdflib.URIRef) and str(t).startswith(GK)
    }
    assert used - defined == set()


# ---- provenance and status ----

FACT = "?f a ?c . ?c rdfs:subClassOf* gk:Fact ."


def test_the_dataset_has_facts_of_every_kind(store):
    found = values(
        store,
        """
        SELECT DISTINCT ?k WHERE {
          VALUES ?k { gk:Holding gk:Observation gk:Event gk:ReportedRelation }
          ?f a ?c . ?c rdfs:subClassOf* ?k }""",
    )
    assert len(found) == 4


def test_every_fact_cites_an_existing_source(store):
    missing = values(
        store, f"SELECT ?f WHERE {{ {FACT} FILTER NOT EXISTS {{ ?f prov:wasDerivedFrom ?s }} }}"
    )
    dangling = rows(
        store,
        f"""SELECT ?f ?s WHERE {{ {FACT} ?f prov:wasDerivedFrom ?s .
        FILTER NOT EXISTS {{ ?s a ?t . VALUES ?t {{ gk:Source gk:SourceSection }} }} }}""",
    )
    assert missing == []
    assert dangling == []


def test_every_entity_cites_an_existing_source(store):
    missing = values(
        store,
        """SELECT ?e WHERE { ?e a ?c . ?c rdfs:subClassOf* gk:Entity .
        FILTER NOT EXISTS { ?e prov:wasDerivedFrom ?s } }""",
    )
    dangling = rows(
        store,
        """SELECT ?e ?s WHERE { ?e a ?c . ?c rdfs:subClassOf* gk:Entity .
        ?e prov:wasDerivedFrom ?s .
        FILTER NOT EXISTS { ?s a ?t . VALUES ?t { gk:Source gk:SourceSection } } }""",
    )
    assert missing == []
    assert dangling == []


def test_every_section_belongs_to_a_source(store):
    bad = values(
        store,
        """SELECT ?s WHERE { ?s a gk:SourceSection .
        FILTER NOT EXISTS { ?s dcterms:isPartOf ?src . ?src a gk:Source .
                            ?s gk:locator ?loc ; rdfs:label ?l } }""",
    )
    assert bad == []


def test_sources_are_the_five_releases(store):
    # file names and dates as listed with the seed texts
    found = rows(
        store,
        """SELECT ?file ?date WHERE { ?s a gk:Source ; gk:fileName ?file ;
        dcterms:date ?date ; dcterms:title ?t ;
        dcterms:publisher "Internet Initiative Japan Inc." } ORDER BY ?date""",
    )
    assert found == [
        ("001_3a755f6e40564be6.txt", "2010-02-04"),
        ("004_b7b77f30b61f686f.txt", "2013-05-24"),
        ("002_892ec389a088581a.txt", "2013-07-02"),
        ("003_253fc45fb0b179cc.txt", "2013-07-11"),
        ("000_9b4fdf8ad058db6e.txt", "2013-11-07"),
    ]


def test_every_fact_has_exactly_one_known_status(store):
    counts = rows(
        store,
        f"""SELECT ?f (COUNT(?st) AS ?n) WHERE {{ {FACT}
        OPTIONAL {{ ?f gk:factStatus ?st }} }} GROUP BY ?f HAVING (COUNT(?st) != 1)""",
    )
    unknown = values(
        store,
        f"""SELECT ?st WHERE {{ {FACT} ?f gk:factStatus ?st .
        FILTER (?st NOT IN (gk:Stated, gk:Derived, gk:Assumed)) }}""",
    )
    assert counts == []
    assert unknown == []


def test_assumed_facts_and_assumptions_give_reasons(store):
    facts = values(
        store,
        f"""SELECT ?f WHERE {{ {FACT} ?f gk:factStatus gk:Assumed .
        FILTER NOT EXISTS {{ ?f gk:assumptionReason ?r }} }}""",
    )
    assumptions = values(
        store,
        """SELECT ?a WHERE {
        { ?a a gk:Assumption } UNION { ?f gk:hasAssumption ?a }
        FILTER NOT EXISTS { ?a a gk:Assumption ; gk:assumedProperty ?p ;
                            gk:assumptionReason ?r } }""",
    )
    assert facts == []
    assert assumptions == []


def test_assumptions_are_on_properties_the_fact_has(store):
    # an assumption on a property the fact does not carry would explain nothing
    bad = rows(
        store,
        """SELECT ?f ?p WHERE { ?f gk:hasAssumption ?a . ?a gk:assumedProperty ?p .
        FILTER NOT EXISTS { ?f ?p ?v } }""",
    )
    assert bad == []


def test_derived_facts_give_their_derivation(store):
    bad = values(
        store,
        f"""SELECT ?f WHERE {{ {FACT} ?f gk:factStatus gk:Derived .
        FILTER NOT EXISTS {{ ?f gk:derivation ?d }} }}""",
    )
    assert bad == []


def test_the_dataset_marks_what_is_derived_and_assumed(store):
    derived = values(store, f"SELECT ?f WHERE {{ {FACT} ?f gk:factStatus gk:Derived }}")
    assumed = values(store, "SELECT DISTINCT ?f WHERE { ?f gk:hasAssumption ?a }")
    assert "h-other-shareholders-iij-2013-09-30" in derived
    assert "h-other-iij-exlayer-iij-2014-01-01" in derived
    assert {
        "ev-merger-iij-america-iij-exlayer-usa",
        "ev-stock-options-2013",
        "h-ks-holdings-iij-2013-09-30",
    } <= set(assumed)


# ---- entities ----


def test_every_entity_has_a_label(store):
    bad = values(
        store,
        """SELECT ?e WHERE { ?e a ?c . ?c rdfs:subClassOf* gk:Entity .
        FILTER NOT EXISTS { ?e rdfs:label ?l } }""",
    )
    assert bad == []


def test_every_referenced_party_is_a_labelled_entity(store):
    bad = values(
        store,
        """SELECT DISTINCT ?e WHERE {
        VALUES ?p { gk:owner gk:owned gk:participant gk:subject gk:party gk:parent gk:child
                    gk:survivor gk:absorbed gk:issuer org:originalOrganization
                    org:resultingOrganization }
        ?x ?p ?e .
        FILTER NOT EXISTS { ?e a ?c . ?c rdfs:subClassOf* gk:Entity . ?e rdfs:label ?l } }""",
    )
    assert bad == []


REQUIRED_IDS = [
    "iij",
    "iij-technology",
    "iij-financial-systems",
    "iij-exlayer",
    "iij-america",
    "iij-exlayer-usa",
    "ntt",
    "ntt-communications",
    "goldman-sachs-reg",
    "itochu",
    "japan-trustee-services-bank-trust",
    "koichi-suzuki",
    "ks-holdings",
    "other-shareholders-iij-exlayer",
    "other-shareholders-iij",
]


def test_the_entities_are_the_groups_members(store):
    found = values(store, """SELECT ?e WHERE { ?e a ?c . ?c rdfs:subClassOf* gk:Entity }""")
    assert sorted(found) == sorted(REQUIRED_IDS)


def test_entity_kinds(store):
    kinds = dict(
        rows(
            store,
            """SELECT ?e ?c WHERE { ?e a ?c .
        VALUES ?c { gk:Trust gk:NaturalPerson gk:UnnamedHolders } }""",
        )
    )
    assert kinds == {
        "japan-trustee-services-bank-trust": GK + "Trust",
        "koichi-suzuki": GK + "NaturalPerson",
        "other-shareholders-iij": GK + "UnnamedHolders",
        "other-shareholders-iij-exlayer": GK + "UnnamedHolders",
    }
    companies = values(store, "SELECT ?e WHERE { ?e a gk:LegalEntity }")
    orgs = values(store, "SELECT ?e WHERE { ?e a org:FormalOrganization }")
    assert companies == orgs


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("IIJ", "iij"),
        ("Internet Initiative Japan Inc.", "iij"),
        ("IIJ-Tech", "iij-technology"),
        ("IIJ-Exlayer", "iij-exlayer"),
        ("IIJ Exlayer", "iij-exlayer"),
        ("IIJ Exlayer Inc.", "iij-exlayer"),
        ("NTT", "ntt"),
        ("NTT Communications Co.", "ntt-communications"),
        ("KS Holdings Co.", "ks-holdings"),
        ("IIJ Exlayer USA LLC", "iij-exlayer-usa"),
        ("IIJ America Inc.", "iij-america"),
    ],
)
def test_names_the_releases_use_resolve_to_one_entity(store, name, entity):
    # names as the releases spell them, matched case-insensitively like the CLI does
    found = values(
        store,
        f"""SELECT DISTINCT ?e WHERE {{
        VALUES ?p {{ rdfs:label gk:legalName gk:alias }}
        ?e ?p ?n . FILTER (LCASE(STR(?n)) = LCASE("{name}")) }}""",
    )
    assert found == [entity]


def test_iij_exlayer_usa_has_no_invented_dissolution(store):
    assert values(store, prop("iij-exlayer-usa", "gk:dissolutionDate")) == []


# ---- holdings ----


def test_holdings_are_well_formed(store):
    bad = values(
        store,
        """SELECT ?h WHERE { ?h a gk:Holding .
        FILTER (NOT EXISTS { ?h gk:owner ?o ; gk:owned ?d }
                || NOT EXISTS { { ?h gk:asOf ?x } UNION { ?h gk:validFrom ?y } }
                || EXISTS { ?h gk:percent ?p FILTER (?p < 0 || ?p > 100) }
                || EXISTS { ?h gk:percent ?p FILTER (DATATYPE(?p) != xsd:decimal) }
                || EXISTS { ?h gk:shares ?s FILTER (DATATYPE(?s) != xsd:integer) }) }""",
    )
    assert bad == []


def test_iij_register_of_2013_09_30_adds_up_to_100(store):
    # the six major shareholders, KS Holdings and the derived remainder
    total = values(
        store,
        """SELECT (SUM(?p) AS ?t) WHERE { ?h a gk:Holding ; gk:owned iij:iij ;
        gk:asOf "2013-09-30"^^xsd:date ; gk:percent ?p }""",
    )
    assert total == [100]


def test_iij_exlayer_shares_add_up(store):
    # 2013-11-07 release: 4,000 issued (4 (7)), 3,996 held by IIJ (note 1), 26 : 1, 104 delivered
    issued, iij, others, ratio, delivered = (
        values(store, stock("iij-exlayer", "IssuedShares", "2013-09-30"))[0],
        values(store, holding("iij", "iij-exlayer", "gk:shares", "2013-11-07"))[0],
        values(store, holding("other-shareholders-iij-exlayer", "iij-exlayer", "gk:shares"))[0],
        values(store, prop("ev-merger-iij-exlayer-2014", "gk:allotmentRatio"))[0],
        values(store, prop("ev-merger-iij-exlayer-2014", "gk:treasurySharesDelivered"))[0],
    )
    assert iij + others == issued
    assert others * ratio == delivered


# ---- events ----


def test_every_merger_is_an_org_change_event(store):
    bad = values(
        store,
        """SELECT ?m WHERE { ?m a ?c . ?c rdfs:subClassOf* gk:Merger .
        FILTER (NOT EXISTS { ?m a org:ChangeEvent }
                || NOT EXISTS { ?m org:resultingOrganization ?r .
                                ?m org:originalOrganization ?r }
                || EXISTS { ?m org:resultingOrganization ?r .
                            FILTER NOT EXISTS { ?m org:originalOrganization ?r } }
                || EXISTS { ?m gk:survivor ?s
                            FILTER NOT EXISTS { ?m org:resultingOrganization ?s } }
                || EXISTS { ?m gk:absorbed ?a
                            FILTER NOT EXISTS { ?m org:originalOrganization ?a } }
                || EXISTS { ?m org:originalOrganization ?o
                            FILTER NOT EXISTS { ?m gk:participant ?o } }) }""",
    )
    assert len(values(store, "SELECT ?m WHERE { ?m a ?c . ?c rdfs:subClassOf* gk:Merger }")) == 4
    assert bad == []


def test_every_event_has_participants_and_an_announcement(store):
    bad = values(
        store,
        """SELECT ?e WHERE { ?e a ?c . ?c rdfs:subClassOf* gk:Event .
        FILTER (NOT EXISTS { ?e gk:participant ?p }
                || NOT EXISTS { ?e gk:announcementDate ?d }) }""",
    )
    assert bad == []


def test_every_event_has_an_effective_date(store):
    # 2013-07-02 release: the over-allotment delivery and the lock-up period are given by
    # rules relative to the pricing and payment dates, which fix them (see the fact table)
    undated = values(
        store,
        """SELECT ?e WHERE { ?e a ?c . ?c rdfs:subClassOf* gk:Event .
        FILTER NOT EXISTS { ?e gk:effectiveDate ?d } }""",
    )
    assert undated == []
    assert values(store, prop("ev-lock-up-2013", "gk:periodDescription")) != []


def test_dates_the_releases_fix_follow_their_rules():
    # 2013-07-02 release: payment on the fifth business day after pricing (1 (7)),
    # over-allotment delivery the business day after payment (2 (6)), lock-up to the 90th
    # calendar day after delivery (For Reference 4 (2)); payment 2013-07-18 (2013-11-07,
    # note 3). Japanese holidays of July 2013: Marine Day, Monday 15 July.
    import datetime as dt

    holidays = {dt.date(2013, 7, 15)}

    def business(day: dt.date) -> bool:
        return day.weekday() < 5 and day not in holidays

    def add_business_days(day: dt.date, n: int) -> dt.date:
        while n:
            day += dt.timedelta(days=1)
            n -= business(day)
        return day

    pricing, payment = dt.date(2013, 7, 10), dt.date(2013, 7, 18)
    assert add_business_days(pricing, 5) == payment
    assert add_business_days(dt.date(2013, 7, 9), 5) != payment  # the only pricing day
    delivery = add_business_days(payment, 1)
    assert delivery == dt.date(2013, 7, 19)
    assert delivery + dt.timedelta(days=90) + dt.timedelta(days=1) == dt.date(2013, 10, 18)


def test_derived_dates_say_how_and_the_lock_up_end_is_assumed(store):
    derived = values(
        store,
        """SELECT ?e WHERE { VALUES ?e { iij:ev-public-offering-2013 iij:ev-over-allotment-2013
        iij:ev-lock-up-2013 } ?e gk:derivation ?d }""",
    )
    assert derived == ["ev-lock-up-2013", "ev-over-allotment-2013", "ev-public-offering-2013"]
    assumed = values(
        store,
        "SELECT ?p WHERE { iij:ev-lock-up-2013 gk:hasAssumption/gk:assumedProperty ?p }",
    )
    assert assumed == [GK + "validTo"]


def test_note_2_readings_are_marked_assumed(store):
    # 2013-11-07 release, 4 (10) and note 2: the text does not say that Koichi Suzuki's
    # 3.86% leaves out KS Holdings' shares, nor that "outstanding" shares are the issued ones
    found = rows(
        store,
        """SELECT ?owner ?owned ?p WHERE { ?h gk:owner ?owner ; gk:owned ?owned ;
        gk:asOf "2013-09-30"^^xsd:date ; gk:hasAssumption/gk:assumedProperty ?p }
        ORDER BY ?owner ?owned ?p""",
    )
    assert found == [
        ("koichi-suzuki", "iij", GK + "percent"),
        ("koichi-suzuki", "ks-holdings", GK + "asOf"),
        ("ks-holdings", "iij", GK + "asOf"),
        ("ks-holdings", "iij", GK + "percent"),
    ]


def test_us_merger_survivor_and_date_are_marked_assumed(store):
    # 2013-11-07 release, 1: neither survivor nor effective date is stated
    assumed = values(
        store,
        """SELECT ?p WHERE {
        iij:ev-merger-iij-america-iij-exlayer-usa gk:hasAssumption ?a .
        ?a gk:assumedProperty ?p }""",
    )
    assert assumed == sorted(
        [
            GK + "absorbed",
            GK + "effectiveDate",
            GK + "survivor",
            "http://www.w3.org/ns/org#resultingOrganization",
        ]
    )


def test_issued_shares_follow_the_2013_issues(store):
    # 2013-07-02 release, For Reference 2; 2013-11-07 release, 4 (7) and note 3 (5,400,000)
    before = values(store, stock("iij", "IssuedShares", "2013-06-28"))[0]
    after = values(store, stock("iij", "IssuedShares", "2013-09-30"))[0]
    issued = values(
        store,
        """SELECT (SUM(?n) AS ?t) WHERE { ?e gk:issuer iij:iij ;
        gk:newSharesIssued ?n ; gk:effectiveDate ?d .
        FILTER (?d > "2013-06-28"^^xsd:date && ?d <= "2013-09-30"^^xsd:date) }""",
    )[0]
    assert issued == 5400000
    assert before + issued == after


def test_stock_option_terms_add_up(store):
    # 2013-07-11 release: 89 rights x 200 shares = 17,800 shares; 60 + 29 = 89 rights
    rights = values(store, prop("ev-stock-options-2013", "gk:rightsGranted"))[0]
    per = values(store, prop("ev-stock-options-2013", "gk:sharesPerRight"))[0]
    by_class = values(
        store,
        """SELECT (SUM(?r) AS ?t) WHERE {
        iij:ev-stock-options-2013 gk:hasGranteeClass ?c . ?c gk:rightsAllotted ?r }""",
    )[0]
    assert rights * per == 17800
    assert by_class == rights


# ---- observations ----


def test_observations_are_well_formed(store):
    bad = values(
        store,
        """SELECT ?o WHERE { ?o a ?c . ?c rdfs:subClassOf* gk:Observation .
        FILTER (NOT EXISTS { ?o gk:subject ?s ; gk:measure ?m ; gk:value ?v ; gk:unit ?u ;
                                gk:basis ?b ; gk:figureKind ?k }
                || NOT EXISTS { { ?o gk:asOf ?d }
                                UNION { ?o gk:periodStart ?p ; gk:periodEnd ?q } }) }""",
    )
    assert bad == []


def test_conflicting_figures_are_both_kept_with_their_tables(store):
    # 2013-11-07 release: 4 (11) says 7,757, the reference table of section 6 says 5,976
    found = rows(
        store,
        """SELECT ?v ?sec WHERE { ?o gk:subject iij:iij ;
        gk:measure gk:IncomeBeforeIncomeTax ; gk:periodEnd "2013-03-31"^^xsd:date ;
        gk:value ?v ; gk:note ?n ; prov:wasDerivedFrom ?sec } ORDER BY ?v""",
    )
    assert found == [(5976, "src-2013-11-07-ref"), (7757, "src-2013-11-07-s4-11")]


def test_losses_are_negative(store):
    # 2013-11-07 release, 4 (11): IIJ-Exlayer's loss before tax and net loss of JPY 6 million
    found = values(
        store,
        """SELECT ?v WHERE { ?o gk:subject iij:iij-exlayer ;
        gk:periodEnd "2012-12-31"^^xsd:date ; gk:value ?v .
        ?o gk:measure ?m . VALUES ?m { gk:IncomeBeforeIncomeTax gk:NetIncome } }""",
    )
    assert found == [-6, -6]


def test_dates_are_typed(store):
    bad = rows(
        store,
        """SELECT ?x ?p WHERE {
        VALUES ?p { gk:asOf gk:validFrom gk:validTo gk:periodStart gk:periodEnd
                    gk:announcementDate gk:effectiveDate gk:paymentDate gk:incorporationDate
                    gk:dissolutionDate gk:listedSince dcterms:date }
        ?x ?p ?d .
        FILTER (DATATYPE(?d) NOT IN (xsd:date, xsd:gYearMonth, xsd:gYear)) }""",
    )
    assert bad == []
