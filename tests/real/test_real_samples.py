"""The real public ownership samples vendored in ``tests/data/real``.

These tests check only what is true of the files themselves: that each parses, that its
record counts are the ones its README states, that its bytes are the ones vendored, that
every LEI in it has valid ISO 17442 check digits, and that the rows the README's expected
answers rest on say what the README says. They do not ask groupkg anything; tests of
groupkg's answers on these samples come with the code that gives them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

REAL = Path(__file__).parents[1] / "data" / "real"

RR_NS = "{http://www.gleif.org/data/schema/rr/2016}"
LEI_NS = "{http://www.gleif.org/data/schema/leidata/2016}"

# sample folder -> {file: sha256 of the vendored bytes}
FILES: dict[str, dict[str, str]] = {
    "gleif-rr-2023-11-06": {
        "rr-updates-data2.xml": "c47607a7f8c3599b73b161f20e008a3718d2462b9623e3a9aeac17077f188b4f",
        "lei-updates-data2.xml": "8071f1f51efce84c1035e5bf735a15785c39f982e06d7854cac5d7b5595fa121",
    },
    "gleif-rr-csv-2019": {
        "rr-golden-copy-excerpt.csv": "5e16cdd97abf35ba53e9c20ec9d95250bc16e3fc9c2f5c9c3ab0464bd971b93c",  # noqa: E501
        "lei-golden-copy-excerpt.csv": "147bcd5a958a43c2c03cbdfd9c6ec8766262b96691a7b8809cfd0c94fd77e8db",  # noqa: E501
        "rr-golden-copy-epoch-excerpt.csv": "d991a32608d05e88ef0b4f0e6a0dd8555960b555e08591a07d46210abbbabc1b",  # noqa: E501
    },
    "gleif-updates-fbnquest": {
        "relationship-update-data.json": "483dbe5a3083b7febbac467db229fa461a370eb9ded927bfcf3c5526128cc37c",  # noqa: E501
    },
    "gleif-bods-homecredit-replace": {
        "relationship_replace_relationship.json": "d42b70f8f9e5f829d97719f871b1e1308adb9cc9aa5130305f0dfd943cfb5f33",  # noqa: E501
        "bods_relationship_replace_relationship.json": "9df168116aa93705c079e2b066f43ac305b2b9347d9e66077ba79c8f3d6b4f05",  # noqa: E501
    },
    "uk-psc-snapshot-2024": {
        "psc-data-1.json": "092bc0425954419c5839b2e8d59575f78f98d9655d2dc23ab294bed140b839bd",
        "psc-data-2.json": "2d68e43adf3e53fac6059189fd2b7a185b48b31f99d75cb28e7112592b607469",
        "psc-data-3.json": "ef06f1de6d4cad9802f0aa36951bb269b48b81b69181bcfeaeafe184621f3242",
        "psc-data-4.json": "bdcbcf7803972d6a11e8b35cecc5b036986956a62960599f74098171789168f7",
        "psc-data-5.json": "9733b9ddbd18c04ab11382ee59f77d770107f813dd3e10ea4708595ae8da4ddd",
        "psc-data-6.json": "b6821992ab694894fee720829cd11dd5ff3ccf28d07d3c7d2cd771e2ab8dfb5e",
        "psc-data-7.json": "3a81467007b13656d4b776853e9b0f43117dd5d284802a1d57af1392b6160ae9",
        "psc-data-8.json": "bad964e23937a01bb68e5c62449cbbe9c057e810f9d465793da28375ef4d44d2",
        "psc-data-9.json": "e79432451ef4a58e2ca0911dea3f2c58e8bd274d14656314b98855c30003efac",
        "psc-data-10.json": "37594b13cbd01aab2a5c2af78f28d7f1a936d975a27e405daa9b2f4daabbb0ed",
        "psc-data-11.json": "7bc21c5196d4fa1fc74a9f205c59c026cec017925ba60b34a4d25ddf8652a781",
        "psc-data-12.json": "dc96fa7735bca6abe141614f2e24606e41e74294d29c671e30c7be5671e82b0d",
        "psc-data-13.json": "1ae0ab25820fe524f1fa72389ddfe6da5059590e97fca5620cc8131c65cbdc21",
        "psc-data-14.json": "07af5c802ae21672d07b99d8decbf3ec14b0638c38bedb253c4e9055408d0d08",
        "psc-data-15.json": "f7555837b5d72afc5342f026d00fa317841cb72c393446aa104b4f3f88a7d999",
        "psc-data-16.json": "b974df934803ed39b4d89f03f27ae5f44364992616cde07183a15b351c2cc030",
    },
    "sec-ex21-wisconsin-electric-2001": {
        "0000107815-02-000006-ex21.txt": "f3e1e9bcaa66cc70fd4e7f71b5179f6ea6496c7000443dd537f395b29d4c8533",  # noqa: E501
    },
    "sec-ex21-torotel-2011": {
        "0001445305-11-002220-ex21.txt": "87ef448a5648ff9d22b151b768ff39418ec00e314eb8586815e1612b01f4b7fc",  # noqa: E501
    },
}

LEI_RE = re.compile(r"\b[0-9A-Z]{18}[0-9]{2}\b")


def lei_is_valid(lei: str) -> bool:
    """ISO 17442: 20 characters, the last two check digits, ISO 7064 MOD 97-10."""
    try:
        from stdnum import lei as stdnum_lei  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        return bool(stdnum_lei.is_valid(lei))
    if not re.fullmatch(r"[0-9A-Z]{18}[0-9]{2}", lei):
        return False
    return int("".join(str(int(c, 36)) for c in lei)) % 97 == 1


def readme(sample: str) -> str:
    return (REAL / sample / "README.md").read_text(encoding="utf-8")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_json(sample: str, name: str) -> Any:
    return json.loads((REAL / sample / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------
# every sample


def test_the_folders_are_the_listed_samples() -> None:
    assert sorted(p.name for p in REAL.iterdir() if p.is_dir()) == sorted(FILES)


@pytest.mark.parametrize("sample", sorted(FILES))
def test_each_sample_has_its_files_and_nothing_else(sample: str) -> None:
    present = sorted(p.name for p in (REAL / sample).iterdir())
    assert present == sorted([*FILES[sample], "README.md"])


@pytest.mark.parametrize("sample", sorted(FILES))
def test_each_readme_gives_origin_licence_and_expected_answers(sample: str) -> None:
    text = readme(sample)
    assert "## Origin" in text
    assert "Licence" in text
    assert "## Expected answers, read off the rows by hand" in text
    # the answers are numbered and there are some
    answers = text.split("## Expected answers, read off the rows by hand", 1)[1]
    assert re.search(r"^\s*1\. ", answers, re.M)


@pytest.mark.parametrize(
    ("sample", "name"), [(s, n) for s, files in sorted(FILES.items()) for n in sorted(files)]
)
def test_vendored_bytes_are_unchanged(sample: str, name: str) -> None:
    expected = FILES[sample][name]
    assert sha256(REAL / sample / name) == expected, (
        f"{sample}/{name} changed; vendored data is kept exactly as published"
    )


@pytest.mark.parametrize(
    ("sample", "name"), [(s, n) for s, files in sorted(FILES.items()) for n in sorted(files)]
)
def test_every_lei_has_valid_check_digits(sample: str, name: str) -> None:
    text = (REAL / sample / name).read_text(encoding="utf-8")
    candidates = set(LEI_RE.findall(text))
    # every LEI the structured files name, found by field, must be among the candidates
    named = set(leis_named_in(sample, name))
    assert named <= candidates
    bad = sorted(lei for lei in named if not lei_is_valid(lei))
    assert not bad, f"LEIs with wrong check digits: {bad}"


def leis_named_in(sample: str, name: str) -> list[str]:
    """The LEIs a file names in fields that hold LEIs (not every 20-character token)."""
    path = REAL / sample / name
    if name.endswith(".xml"):
        root = ET.parse(path).getroot()
        tags = {RR_NS + "NodeID", RR_NS + "ManagingLOU", LEI_NS + "LEI", LEI_NS + "ManagingLOU"}
        return [e.text or "" for e in root.iter() if e.tag in tags]
    if name.endswith(".csv"):
        with path.open(encoding="utf-8", newline="") as stream:
            columns = ("Relationship.StartNode.NodeID", "Relationship.EndNode.NodeID", "LEI")
            return [row[c] for row in csv.DictReader(stream) for c in columns if c in row]
    if sample.startswith("gleif-") and name.endswith(".json"):
        out: list[str] = []
        for record in load_json(sample, name):
            if "LEI" in record:
                out.append(record["LEI"])
            if "Relationship" in record:
                rel = record["Relationship"]
                out += [rel["StartNode"]["NodeID"], rel["EndNode"]["NodeID"]]
            if "recordDetails" in record:
                for ident in record["recordDetails"].get("identifiers", []):
                    if ident.get("scheme") == "XI-LEI":
                        out.append(ident["id"])
            if "Registration" in record:
                out.append(record["Registration"]["ManagingLOU"])
        return out
    return []


def test_the_lei_check_rejects_a_wrong_check_digit() -> None:
    assert lei_is_valid("98450051BS9C610A8T78")
    assert not lei_is_valid("98450051BS9C610A8T79")
    assert not lei_is_valid("98450051BS9C610A8T7")


# ---------------------------------------------------------------------------------------
# GLEIF golden copy excerpt, 2023-11-06


def rr_records() -> list[dict[str, Any]]:
    root = ET.parse(REAL / "gleif-rr-2023-11-06" / "rr-updates-data2.xml").getroot()
    out = []
    for rec in root.iter(RR_NS + "RelationshipRecord"):
        rel = rec.find(RR_NS + "Relationship")
        assert rel is not None
        periods = {}
        for p in rel.iter(RR_NS + "RelationshipPeriod"):
            start, end = p.find(RR_NS + "StartDate"), p.find(RR_NS + "EndDate")
            periods[p.findtext(RR_NS + "PeriodType")] = (
                None if start is None else (start.text or "")[:10],
                None if end is None else (end.text or "")[:10],
            )
        out.append(
            {
                "start": rel.findtext(f"{RR_NS}StartNode/{RR_NS}NodeID"),
                "end": rel.findtext(f"{RR_NS}EndNode/{RR_NS}NodeID"),
                "type": rel.findtext(RR_NS + "RelationshipType"),
                "status": rel.findtext(RR_NS + "RelationshipStatus"),
                "periods": periods,
                "amounts": [
                    (q.findtext(RR_NS + "QuantifierAmount"), q.findtext(RR_NS + "QuantifierUnits"))
                    for q in rel.iter(RR_NS + "RelationshipQuantifier")
                ],
            }
        )
    return out


def lei_records() -> dict[str, dict[str, str | None]]:
    root = ET.parse(REAL / "gleif-rr-2023-11-06" / "lei-updates-data2.xml").getroot()
    return {
        rec.findtext(LEI_NS + "LEI") or "": {
            "name": rec.findtext(f"{LEI_NS}Entity/{LEI_NS}LegalName"),
            "entity_status": rec.findtext(f"{LEI_NS}Entity/{LEI_NS}EntityStatus"),
            "registration_status": rec.findtext(f"{LEI_NS}Registration/{LEI_NS}RegistrationStatus"),
        }
        for rec in root.iter(LEI_NS + "LEIRecord")
    }


def test_gleif_excerpt_counts_match_the_readme() -> None:
    records, leis = rr_records(), lei_records()
    text = readme("gleif-rr-2023-11-06")
    assert len(records) == 11 and "11 `rr:RelationshipRecord`s" in text
    assert len(leis) == 12 and "12 `lei:LEIRecord`s" in text
    assert Counter(r["type"] for r in records) == {
        "IS_DIRECTLY_CONSOLIDATED_BY": 4,
        "IS_ULTIMATELY_CONSOLIDATED_BY": 3,
        "IS_FUND-MANAGED_BY": 4,
    }
    assert {r["status"] for r in records} == {"ACTIVE"}
    assert sum(1 for r in records if r["amounts"]) == 5
    assert Counter(v["registration_status"] for v in leis.values()) == {"ISSUED": 10, "LAPSED": 2}
    # every LEI in a relationship has its Level 1 record
    assert {r["start"] for r in records} | {r["end"] for r in records} <= set(leis)


def test_gleif_excerpt_headers() -> None:
    rr = ET.parse(REAL / "gleif-rr-2023-11-06" / "rr-updates-data2.xml").getroot()
    assert rr.findtext(f"{RR_NS}Header/{RR_NS}ContentDate") == "2023-11-06T09:29:01Z"
    assert rr.findtext(f"{RR_NS}Header/{RR_NS}RecordCount") == "407916"
    lei = ET.parse(REAL / "gleif-rr-2023-11-06" / "lei-updates-data2.xml").getroot()
    assert lei.findtext(f"{LEI_NS}LEIHeader/{LEI_NS}ContentDate") == "2023-11-06T08:20:40Z"


def test_gleif_excerpt_rows_behind_the_monoova_answers() -> None:
    records, leis = rr_records(), lei_records()
    fx, mgp, moneytech = "98450051BS9C610A8T78", "2138002YAB7Z9KO21397", "984500501A1B1045PB30"
    assert leis[fx]["name"] == "MONOOVA FX PTY LTD"
    assert leis[mgp]["name"] == "MONOOVA GLOBAL PAYMENTS PTY LTD"
    assert leis[moneytech]["name"] == "MONEYTECH GROUP LIMITED"
    assert leis[moneytech]["registration_status"] == "LAPSED"
    assert leis[moneytech]["entity_status"] == "ACTIVE"
    rr8, rr9, rr10, rr11 = records[7:11]
    assert (rr8["start"], rr8["end"], rr8["type"]) == (
        mgp,
        moneytech,
        "IS_DIRECTLY_CONSOLIDATED_BY",
    )
    assert rr8["periods"]["RELATIONSHIP_PERIOD"] == ("2019-06-30", None)
    assert rr8["amounts"] == [("100.00", "PERCENTAGE")]
    assert (rr9["start"], rr9["end"], rr9["type"]) == (
        mgp,
        moneytech,
        "IS_ULTIMATELY_CONSOLIDATED_BY",
    )
    assert (rr10["start"], rr10["end"], rr10["type"]) == (fx, mgp, "IS_DIRECTLY_CONSOLIDATED_BY")
    assert rr10["periods"]["RELATIONSHIP_PERIOD"] == ("2018-06-30", None)
    assert rr10["amounts"] == []
    assert (rr11["start"], rr11["end"], rr11["type"]) == (
        fx,
        moneytech,
        "IS_ULTIMATELY_CONSOLIDATED_BY",
    )
    assert rr11["periods"]["RELATIONSHIP_PERIOD"] == ("2018-06-30", None)


def test_gleif_excerpt_rows_behind_the_other_answers() -> None:
    records = rr_records()
    rr5, rr6, rr7 = records[4], records[5], records[6]
    assert (rr5["start"], rr5["end"]) == ("097900BHF50000076475", "549300JB1P61FUTPEZ75")
    assert rr5["periods"]["RELATIONSHIP_PERIOD"] == ("2022-10-24", None)
    assert rr5["amounts"] == []
    assert rr6["amounts"] == rr7["amounts"] == [("1.00", "PERCENTAGE")]
    assert all(r["type"] == "IS_FUND-MANAGED_BY" for r in records[:4])
    assert {r["end"] for r in records[:4]} == {"097900BHF50000076475"}


# ---------------------------------------------------------------------------------------
# GLEIF records of one entity published twice (FBNQuest)


def test_fbnquest_records_repeat_but_for_their_registration_dates() -> None:
    records = load_json("gleif-updates-fbnquest", "relationship-update-data.json")
    assert len(records) == 6 and "6 records" in readme("gleif-updates-fbnquest")
    assert [("LEI" in r, r.get("Relationship", {}).get("RelationshipType")) for r in records] == [
        (True, None),
        (False, "IS_DIRECTLY_CONSOLIDATED_BY"),
        (False, "IS_ULTIMATELY_CONSOLIDATED_BY"),
    ] * 2
    for early, late in [(1, 4), (2, 5)]:
        assert records[early]["Relationship"] == records[late]["Relationship"]
        differing = {
            k
            for k in records[early]["Registration"]
            if records[early]["Registration"][k] != records[late]["Registration"][k]
        }
        assert differing == {"LastUpdateDate", "NextRenewalDate"}
    assert records[0]["Entity"] == records[3]["Entity"]
    rel = records[1]["Relationship"]
    assert rel["EndNode"]["NodeID"] == "0292002717G4T0CH6E65"
    assert rel["RelationshipQuantifiers"][0]["QuantifierAmount"] == "100.00"
    # the parent has no Level 1 record here
    assert {r["LEI"] for r in records if "LEI" in r} == {"0292003540H0S4VA7A50"}


# ---------------------------------------------------------------------------------------
# Home Credit Slovakia: a direct parent replaced, GLEIF records and BODS 0.4 statements


def test_homecredit_gleif_records() -> None:
    records = load_json("gleif-bods-homecredit-replace", "relationship_replace_relationship.json")
    assert len(records) == 6
    g1, g2 = records[0]["Relationship"], records[1]["Relationship"]
    assert g1["StartNode"]["NodeID"] == g2["StartNode"]["NodeID"] == "097900CAKA0000147706"
    assert g1["EndNode"]["NodeID"] == "31570030000000000647"
    assert g2["EndNode"]["NodeID"] == "31570010000000049662"
    assert g1["RelationshipStatus"] == g2["RelationshipStatus"] == "ACTIVE"
    assert [p["StartDate"][:10] for p in g1["RelationshipPeriods"]][0] == "2014-01-20"
    assert [p["StartDate"][:10] for p in g2["RelationshipPeriods"]][0] == "2023-03-11"
    assert records[0]["Registration"]["LastUpdateDate"][:10] == "2023-08-01"
    assert records[1]["Registration"]["LastUpdateDate"][:10] == "2024-06-28"
    names = {r["LEI"]: r["Entity"]["LegalName"] for r in records if "LEI" in r}
    assert names == {
        "097900CAKA0000147706": "Home Credit Slovakia, a.s.",
        "31570030000000000647": "Home Credit N.V.",
        "31570010000000049662": "Air Bank a.s.",
    }


def test_homecredit_bods_statements() -> None:
    statements = load_json(
        "gleif-bods-homecredit-replace", "bods_relationship_replace_relationship.json"
    )
    assert len(statements) == 7
    assert [(s["recordType"], s["recordStatus"], s["statementDate"]) for s in statements] == [
        ("entity", "new", "2024-06-06"),
        ("entity", "new", "2024-06-06"),
        ("entity", "updated", "2024-07-07"),
        ("relationship", "new", "2024-06-06"),
        ("relationship", "closed", "2024-07-07"),
        ("entity", "new", "2024-07-07"),
        ("relationship", "new", "2024-07-07"),
    ]
    assert {s["publicationDetails"]["bodsVersion"] for s in statements} == {"0.4"}
    entity_ids = {s["recordId"] for s in statements if s["recordType"] == "entity"}
    for s in statements:
        if s["recordType"] == "relationship":
            details = s["recordDetails"]
            assert {details["subject"], details["interestedParty"]} <= entity_ids
            for interest in details["interests"]:
                assert interest["type"] == "otherInfluenceOrControl"
                assert "endDate" not in interest and "share" not in interest
    b4, b5, b7 = statements[3], statements[4], statements[6]
    assert b4["recordId"] == b5["recordId"] != b7["recordId"]
    assert b7["recordDetails"]["interestedParty"] == "31570010000000049662"
    assert b7["recordDetails"]["interests"][0]["startDate"] == "2023-03-11"


def test_homecredit_bods_file_is_indented_as_published() -> None:
    path = REAL / "gleif-bods-homecredit-replace" / "bods_relationship_replace_relationship.json"
    text = path.read_text(encoding="utf-8")
    assert json.dumps(json.loads(text), indent=4) + "\n" == text


# ---------------------------------------------------------------------------------------
# UK Companies House PSC snapshot records

NATURE_RE = re.compile(
    r"(ownership-of-shares|voting-rights)-(25-to-50|50-to-75|75-to-100)-percent"
    r"|right-to-appoint-and-remove-directors|significant-influence-or-control"
    r"|ownership-of-shares-more-than-25-percent(-as-firm)?-registered-overseas-entity"
    r"|significant-influence-or-control-as-trust-registered-overseas-entity"
)


def psc(i: int) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = load_json("uk-psc-snapshot-2024", f"psc-data-{i}.json")
    return data


def test_psc_counts_match_the_readme() -> None:
    files = [psc(i) for i in range(1, 17)]
    elements = sum(len(f) for f in files)
    companies = sum(1 for f in files for r in f if "company_number" in r)
    assert (elements, companies) == (35, 19)
    assert "35 array elements: 19 company records" in readme("uk-psc-snapshot-2024")


def test_psc_files_end_with_the_snapshot_totals_line() -> None:
    for i in range(1, 17):
        last = psc(i)[-1]
        assert last == {
            "data": {
                "kind": "totals#persons-of-significant-control-snapshot",
                "persons_of_significant_control_count": 12799821,
                "statements_count": 774422,
                "exemptions_count": 77,
                "generated_at": "2024-11-22T03:43:03Z",
            }
        }


def test_psc_natures_of_control_are_known_bands() -> None:
    for i in range(1, 17):
        for record in psc(i):
            for nature in record["data"].get("natures_of_control", []):
                assert NATURE_RE.fullmatch(nature), nature


def test_psc_rows_behind_the_answers() -> None:
    wpp = psc(10)[0]
    assert wpp["company_number"] == "06452920"
    assert wpp["data"]["name"] == "Wpp Rocky Ltd"
    assert wpp["data"]["natures_of_control"] == [
        "ownership-of-shares-75-to-100-percent",
        "voting-rights-25-to-50-percent",
    ]
    ceased = psc(11)[0]["data"]
    assert (ceased["notified_on"], ceased["ceased_on"]) == ("2016-08-02", "2018-02-27")
    statement, person = psc(1)[1]["data"], psc(1)[0]["data"]
    assert statement["statement"] == "no-individual-or-entity-with-signficant-control"
    assert statement["ceased_on"] == person["notified_on"] == "2021-12-13"
    clientlogic = psc(8)[0]["data"]
    assert clientlogic["identification"]["registration_number"] == "03530981"
    secure = psc(7)[0]["data"]
    assert secure["kind"] == "super-secure-person-with-significant-control"
    assert secure["ceased"] is False
    assert "name" not in secure and "natures_of_control" not in secure


# ---------------------------------------------------------------------------------------
# SEC EDGAR Exhibit 21 lists


def documents(text: str) -> list[str]:
    return re.findall(r"<DOCUMENT>\n<TYPE>([^\n]+)\n", text)


@pytest.mark.parametrize(
    ("sample", "name", "filed", "lines"),
    [
        ("sec-ex21-wisconsin-electric-2001", "0000107815-02-000006-ex21.txt", "20020326", 125),
        ("sec-ex21-torotel-2011", "0001445305-11-002220-ex21.txt", "20110729", 58),
    ],
)
def test_ex21_excerpt_keeps_header_and_the_ex21_document(
    sample: str, name: str, filed: str, lines: int
) -> None:
    text = (REAL / sample / name).read_text(encoding="ascii")
    assert text.count("\n") == lines and f"{lines} lines" in readme(sample)
    assert re.search(rf"FILED AS OF DATE:\s+{filed}\n", text)
    assert text.count("<SEC-HEADER>") == text.count("</SEC-HEADER>") == 1
    assert documents(text) == ["EX-21"]
    assert text.count("</DOCUMENT>") == 1
    assert text.rstrip("\n").splitlines()[-1] in (
        "</SEC-DOCUMENT>",
        "-----END PRIVACY-ENHANCED MESSAGE-----",
    )


def test_ex21_rows_behind_the_answers() -> None:
    we = (REAL / "sec-ex21-wisconsin-electric-2001" / "0000107815-02-000006-ex21.txt").read_text(
        encoding="ascii"
    )
    for cell in ("ATC Management Inc.", "American Transmission Company LLC", "42.482%", "37.295%"):
        assert cell in we
    assert "wholly-owned subsidiary of Wisconsin Energy Corporation" in we
    torotel = (REAL / "sec-ex21-torotel-2011" / "0001445305-11-002220-ex21.txt").read_text(
        encoding="ascii"
    )
    plain = re.sub(r"<[^>]+>", " ", torotel).replace("&#160;", " ")
    plain = re.sub(r"\s+", " ", plain)
    for row in (
        "Subsidiary (wholly-owned) Torotel Products, Inc. (a Missouri corporation)",
        "Subsidiary (wholly-owned) Electronika, Inc. (a Nevada corporation)",
        "Subsidiary (wholly-owned by Electronika, Inc.) Electronika-Kansas, Inc. "
        "(a Kansas corporation)",
        "Subsidiary (wholly-owned) Torotel Manufacturing Corporation (a Kansas corporation)",
    ):
        assert row in plain


# ---------------------------------------------------------------------------------------
# GLEIF golden copy RR CSV rows, 2019


def test_gleif_csv_excerpt_counts_match_the_readme() -> None:
    path = REAL / "gleif-rr-csv-2019" / "rr-golden-copy-excerpt.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    kinds = Counter(
        (r["Relationship.RelationshipType"], r["Relationship.RelationshipStatus"]) for r in rows
    )
    assert len(rows) == 27
    assert kinds == {
        ("IS_DIRECTLY_CONSOLIDATED_BY", "INACTIVE"): 5,
        ("IS_ULTIMATELY_CONSOLIDATED_BY", "INACTIVE"): 8,
        ("IS_DIRECTLY_CONSOLIDATED_BY", "ACTIVE"): 7,
        ("IS_ULTIMATELY_CONSOLIDATED_BY", "ACTIVE"): 7,
    }
    periods = [f"Relationship.Period.{n}.periodType" for n in range(1, 6)]
    for row in rows:
        has_period = any(row[p] for p in periods)
        assert has_period == (row["Relationship.RelationshipStatus"] == "ACTIVE")
        assert not any(
            row[f"Relationship.Period.{n}.endDate"]
            for n in range(1, 6)
            if row[f"Relationship.Period.{n}.periodType"] == "RELATIONSHIP_PERIOD"
        )
