"""The facts of N-Triples files read from their lines (what an import builds its model
from) are those a store holding the same triples gives: the same time model, column for
column, provenance included, whether the lines are written one triple a line with single
spaces (read line by line) or otherwise (read by pyoxigraph's parser)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyoxigraph as ox
import pytest

from groupkg.graph import Register, add_files, load_dataset, open_store
from groupkg.graph.facts import ntfacts
from groupkg.graph.facts.ntfacts import ntriples_facts
from tests.turtle import prefixes

TESTS = Path(__file__).parents[1]
DATA = TESTS.parent / "data" / "iij"

# Two records of one company sharing a register number (merged into one entity) and a
# third judged apart; a source section named by its source's title and dated by it; a
# listing; an assumed merger date; a holding stated as a decimal and one as a range; a
# label with a language tag, escapes and a space-dot inside.
MIXED = (
    prefixes(e="https://example.org/nt/")
    + r"""
e:src a gk:Source ; dcterms:title "Register \"2020\" ." ; dcterms:date "2021-02-03"^^xsd:date .
e:sec a gk:SourceSection ; dcterms:isPartOf e:src .
e:a1 a gk:LegalEntity ; rdfs:label "Alpha KK"@ja ; gk:hasIdentifier e:id1 ;
    gk:hasListing e:l1 ; prov:wasDerivedFrom e:sec .
e:a2 a gk:LegalEntity ; rdfs:label "Alpha\tHoldings" ; gk:hasIdentifier e:id2 ;
    prov:wasDerivedFrom e:src .
e:a3 a gk:LegalEntity ; rdfs:label "Alpha Inc." ; gk:hasIdentifier e:id3 .
e:id1 a gk:Identifier ; gk:identifierScheme "GB-COH" ; gk:identifierValue "01234567" .
e:id2 a gk:Identifier ; gk:identifierScheme "GB-COH" ; gk:identifierValue "01234567" .
e:id3 a gk:Identifier ; gk:identifierScheme "GB-COH" ; gk:identifierValue "01234567" .
e:l1 gk:exchange "TSE" ; gk:ticker "9999" ; gk:listedSince "2005-12-02"^^xsd:date .
e:j a gk:IdentityJudgement ; gk:judgedRecord e:a1, e:a3 ; gk:sameEntity false ;
    gk:judgedBy "ana" ; gk:judgedOn "2026-01-05"^^xsd:date .
e:p a gk:LegalEntity ; rdfs:label "Parent" ; gk:incorporationDate "1990"^^xsd:gYear .
e:b a gk:LegalEntity ; rdfs:label "Beta" .
e:h1 a gk:Holding ; gk:owner e:p ; gk:owned e:a1 ; gk:percent 60.50 ;
    gk:asOf "2019-06-30"^^xsd:date ; prov:wasDerivedFrom e:sec .
e:h2 a gk:Holding ; gk:owner e:p ; gk:owned e:a2 ; gk:percentMin 25 ;
    gk:percentMinExclusive true ; gk:percentMax 50 ; gk:validFrom "2018"^^xsd:gYear .
e:h3 a gk:Holding ; gk:owner e:a3 ; gk:owned e:b ; gk:percent 100 ; gk:shares 1000 .
e:m a gk:AbsorptionMerger, org:ChangeEvent ; gk:survivor e:p ; gk:absorbed e:b ;
    gk:effectiveDate "2022-04-01"^^xsd:date ;
    gk:hasAssumption e:m-why .
e:m-why gk:assumedProperty gk:effectiveDate ; gk:assumptionReason "the usual day" .
"""
)


def _arrays(register: Register, folder: Path) -> dict[str, np.ndarray]:
    saved = register.save(folder / "copy.model")
    return {k: np.asarray(v) for k, v in Register.load(saved)._arrays.items()}


def _ntriples(files: list[Path], folder: Path) -> Path:
    store = open_store("memory", default_data=False)
    add_files(store, files)
    path = folder / "all.nt"
    path.write_bytes(ox.serialize(store.store, format=ox.RdfFormat.N_TRIPLES))
    return path


def _unplain(path: Path) -> Path:
    """The same triples, with a comment, a blank line and tabs between terms."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = path.with_name("unplain.nt")
    body = [line.replace("> <", ">\t<", 1) if n % 3 == 0 else line for n, line in enumerate(lines)]
    out.write_text("# written otherwise\n\n" + "\n".join(body) + "\n", encoding="utf-8")
    return out


@pytest.mark.parametrize("sample", ["mixed", "iij", "toy", "merger"])
@pytest.mark.parametrize("plain", [True, False])
def test_the_facts_of_a_file_are_those_a_store_of_it_gives(tmp_path, sample, plain):
    if sample == "mixed":
        files = [tmp_path / "mixed.ttl"]
        files[0].write_text(MIXED, encoding="utf-8")
    elif sample == "iij":
        files = sorted(DATA.glob("*.ttl"))
    else:
        files = [TESTS / "data" / ("toygroup.ttl" if sample == "toy" else "viz/merger.ttl")]
    path = _ntriples(files, tmp_path)
    if not plain:
        path = _unplain(path)
    if sample in ("mixed", "toy"):  # the others have blank nodes: always parsed
        read_by_lines = True
        try:
            ntfacts._plain_lines(path, {}, [])
        except ntfacts._NotPlain:
            read_by_lines = False
        assert read_by_lines == plain
    store = open_store("memory", default_data=False)
    with path.open("rb") as stream:
        store.store.load(stream, format=ox.RdfFormat.N_TRIPLES)
    want = load_dataset(store)
    got = ntriples_facts([path])
    assert sorted(got.entities) == sorted(want.entities)
    assert got.entities == want.entities
    for part in ("holdings", "relations", "events", "observations"):
        assert sorted(getattr(got, part), key=repr) == sorted(getattr(want, part), key=repr)
    assert got.sources == want.sources
    model, expected = (Register.from_dataset(d, provenance=True) for d in (got, want))
    got_arrays, want_arrays = _arrays(model, tmp_path), _arrays(expected, tmp_path)
    assert got_arrays.keys() == want_arrays.keys()
    assert not [k for k in want_arrays if not np.array_equal(got_arrays[k], want_arrays[k])]


def test_the_mixed_sample_reads_what_its_text_says(tmp_path):
    # Worked out from MIXED: a1 and a2 share a company number and are one entity; a3
    # has it too but is judged apart from a1.
    source = tmp_path / "mixed.ttl"
    source.write_text(MIXED, encoding="utf-8")
    facts = ntriples_facts([_ntriples([source], tmp_path)])
    e = "https://example.org/nt/"
    alphas = [i for i in facts.entities if i.startswith(e + "a")]
    assert len(alphas) == 2 and e + "a3" in alphas
    assert facts.sources[e + "sec"] == 'Register "2020" .'
    merger = next(event for event in facts.events if event.id == e + "m")
    assert merger.assumptions == {"effectiveDate": "the usual day"}
    h1 = next(h for h in facts.holdings if h.id == e + "h1")
    assert h1.percent == 60.5 and str(h1.known_from) == "2021-02-03"
