"""One set of name rules for a loaded dataset, an ``oxigraph:PATH`` store and the search.

The property test builds small groups of entities whose names collide (the same words
in other cases, with other legal forms, accents or apostrophes, as another's alias or
local id) and checks that
``Group.resolve`` over a memory store, ``resolve_in_store`` over an on-disk store with
the same data (asking the store, or the name index of its time model) and the viewer's
search agree on every name.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groupkg.graph import Group, Register, Store, add_files, open_store
from groupkg.graph.facts.namekeys import without_legal_form
from groupkg.graph.facts.names import AmbiguousName, UnknownName
from groupkg.graph.facts.storenames import find_in_store, resolve_in_store
from groupkg.graph.formats.inputs import resolver
from groupkg.graph.serve.source import search_entities
from groupkg.graph.store import sparql_string
from tests.turtle import prefixes

PREFIXES = prefixes()
BASES = ["acme", "acme holdings", "iij technology", "beta", "e1", "straße", "indústria",
         "brink’s", "brink's"]  # fmt: skip
FORMS = ["", " Inc.", " Ltd", " Co., Ltd.", " K.K.", " GmbH", "株式会社", ", a.s.", " S.à r.l."]
SLUGS = ["acme", "beta", "e1", "iij-technology", "x"]
LEIS = ["529900T8BM49AURSDO55", "5493001KJTIIGC8Y1R12"]
CASES = [str.lower, str.upper, str.title]


def _turtle(entities: list[dict]) -> str:
    lines = [PREFIXES]
    for e in entities:
        kind = "gk:NaturalPerson" if e["person"] else "gk:LegalEntity"
        props = [f"a {kind}", f"rdfs:label {sparql_string(e['label'])}"]
        if e["legal"]:
            props.append(f"gk:legalName {sparql_string(e['legal'])}")
        props += [f"gk:alias {sparql_string(a)}" for a in e["aliases"]]
        if e["lei"]:
            props.append(f"gk:lei {sparql_string(e['lei'])}")
        lines.append(f"<{e['id']}> " + " ; ".join(props) + " .")
    return "\n".join(lines) + "\n"


@st.composite
def names(draw: st.DrawFn) -> str:
    base, form = draw(st.sampled_from(BASES)), draw(st.sampled_from(FORMS))
    return draw(st.sampled_from(CASES))(base + form)


@st.composite
def groups(draw: st.DrawFn) -> list[dict]:
    count = draw(st.integers(1, 5))
    return [
        {
            "id": f"https://example.org/{i}/{draw(st.sampled_from(SLUGS))}",
            "label": draw(names()),
            "legal": draw(st.none() | names()),
            "aliases": draw(st.lists(names(), max_size=2, unique=True)),
            "lei": draw(st.none() | st.sampled_from(LEIS)),
            "person": draw(st.booleans()),
        }
        for i in range(count)
    ]


def _queries(entities: list[dict], draw: st.DrawFn) -> list[str]:
    """Every name of every entity, in another case, with its legal form removed or
    another one added; its IRI and local id; and a few other names."""
    found = []
    for e in entities:
        for name in [e["label"], e["legal"], *e["aliases"], e["lei"]]:
            if name:
                case = draw(st.sampled_from([str.lower, str.upper, str.title, str.swapcase]))
                found += [
                    name,
                    case(name),
                    without_legal_form(name.lower()),
                    case(without_legal_form(name.lower())) + draw(st.sampled_from(FORMS)),
                ]
        found += [e["id"], e["id"].rsplit("/", 1)[1].upper()]
    return found + draw(st.lists(st.sampled_from([*BASES, *SLUGS, "nobody", ""]), max_size=3))


def _outcome(resolve, name: str) -> tuple:  # type: ignore[no-untyped-def]
    try:
        return ("answer", resolve(name))
    except AmbiguousName as exc:
        return ("ambiguous", tuple(exc.candidates))
    except UnknownName:
        return ("unknown",)


def _stores(text: str, folder: Path) -> tuple[Group, Store]:
    data = folder / "data.ttl"
    data.write_text(text, encoding="utf-8")
    memory = open_store("memory", default_data=False)
    add_files(memory, [data])
    disk = open_store(f"oxigraph:{folder / 'store'}", default_data=False, writable=True)
    add_files(disk, [data])
    return Group(memory), disk


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entities=groups(), data=st.data())
def test_memory_store_and_search_agree_on_every_name(entities, data):
    queries = _queries(entities, data.draw)
    with tempfile.TemporaryDirectory() as folder:
        group, disk = _stores(_turtle(entities), Path(folder))
        model = Register.from_store(disk, cache=False)
        for name in queries:
            in_memory = _outcome(group.resolve, name)
            in_store = _outcome(partial(resolve_in_store, disk), name)
            assert in_memory == in_store, name
            # The time model's name index, as every question on the store uses it.
            assert _outcome(partial(resolve_in_store, disk, model=model), name) == in_memory
            if in_memory[0] == "answer":
                found = search_entities(group.dataset, name)
                assert found and found[0]["id"] == in_memory[1], name
            if in_memory[0] == "ambiguous":
                assert len(in_memory[1]) > 1
        del disk


# ---- the cases the rules decide ----

COLLIDING = (
    PREFIXES
    + """\
<https://example.org/a> a gk:LegalEntity ; rdfs:label "Acme Ltd" ; gk:alias "Roadrunner" .
<https://example.org/b> a gk:LegalEntity ; rdfs:label "Acme Inc." .
<https://example.org/c> a gk:LegalEntity ; rdfs:label "Roadrunner Holdings" ;
    gk:alias "Coyote" .
<https://example.org/d> a gk:LegalEntity ; rdfs:label "Coyote" .
<https://example.org/e> a gk:LegalEntity ; rdfs:label "BETA" .
<https://example.org/f> a gk:LegalEntity ; rdfs:label "Beta" .
<https://example.org/wile> a gk:NaturalPerson ; rdfs:label "W. E. Coyote" .
<https://example.org/g> a gk:LegalEntity ; rdfs:label "Wile" .
<https://example.org/iij-tech> a gk:LegalEntity ; rdfs:label "IIJ Technology Inc." .
"""
)
EX = "https://example.org/"


@pytest.fixture(scope="module")
def colliding(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    group, disk = _stores(COLLIDING, tmp_path_factory.mktemp("names"))
    yield group, disk
    del disk


def _both(colliding, name: str) -> tuple:  # type: ignore[no-untyped-def]
    group, disk = colliding
    in_memory = _outcome(group.resolve, name)
    assert _outcome(partial(resolve_in_store, disk), name) == in_memory
    model = Register.from_store(disk, cache=False)
    assert _outcome(partial(resolve_in_store, disk, model=model), name) == in_memory
    return in_memory


def test_an_alias_of_one_entity_and_the_label_of_another_is_ambiguous(colliding):
    assert _both(colliding, "Coyote") == ("ambiguous", (EX + "c", EX + "d"))
    group, disk = colliding
    with pytest.raises(AmbiguousName, match=r"Coyote \(https://example.org/d\)"):
        resolve_in_store(disk, "coyote")


def test_legal_forms_are_ignored_only_when_no_name_matches_as_written(colliding):
    # "Acme" is "Acme Ltd" and "Acme Inc." alike once their legal forms are removed.
    assert _both(colliding, "Acme") == ("ambiguous", (EX + "a", EX + "b"))
    assert _both(colliding, "acme inc.") == ("answer", EX + "b")
    assert _both(colliding, "ACME LTD") == ("answer", EX + "a")
    assert _both(colliding, "IIJ Technology") == ("answer", EX + "iij-tech")
    # The alias "Roadrunner" is a name as written; "Roadrunner Holdings" is not shorter.
    assert _both(colliding, "roadrunner") == ("answer", EX + "a")


def test_names_differing_only_in_case_are_ambiguous(colliding):
    assert _both(colliding, "beta") == ("ambiguous", (EX + "e", EX + "f"))
    assert _both(colliding, "Beta") == ("ambiguous", (EX + "e", EX + "f"))


def test_an_iri_names_its_entity_whatever_the_names(colliding):
    assert _both(colliding, EX + "e") == ("answer", EX + "e")
    assert _both(colliding, EX + "E") == ("unknown",)  # IRIs are case-sensitive


def test_a_label_comes_before_a_local_id_that_spells_it(colliding):
    # "wile" is the local id of W. E. Coyote and the label of another entity: a name
    # is what a user reads, so the label answers; the local id answers when no name does.
    assert _both(colliding, "Wile") == ("answer", EX + "g")
    assert _both(colliding, "iij-tech") == ("answer", EX + "iij-tech")


def test_search_puts_the_entity_a_name_resolves_to_first(colliding):
    group, _ = colliding
    for name, expected in [("wile", "g"), ("IIJ Technology", "iij-tech"), ("acme ltd", "a")]:
        assert search_entities(group.dataset, name)[0]["id"] == EX + expected
    ranked = [e["id"] for e in search_entities(group.dataset, "acme")]
    assert ranked[:2] == [EX + "b", EX + "a"]  # both "Acme" without legal form, by label


def test_a_csv_row_naming_an_ambiguous_entity_is_refused(colliding):
    _, disk = colliding
    resolve = resolver(disk)
    with pytest.raises(AmbiguousName, match="write the IRI of one"):
        resolve("Acme")
    assert str(resolve("Acme Inc.")) == EX + "b"
    assert resolve("Nobody Ever") is None
    assert find_in_store(disk, "Nobody Ever") is None


def test_a_store_asks_no_scan_for_a_name_spelled_as_stored(colliding):
    # "acme inc." spelled in Title case is a label as stored: found by the store's
    # indexes, and the queries that scan every name are not run.
    _, disk = colliding
    asked: list[str] = []
    select, query_raw = disk.select, disk.query_raw

    def spy(query: str) -> list:  # type: ignore[type-arg]
        asked.append(query)
        return select(query)

    def spy_raw(query: str, media_type: str) -> tuple[bytes, str]:
        asked.append(query)
        return query_raw(query, media_type)

    disk.select = spy  # type: ignore[method-assign]
    disk.query_raw = spy_raw  # type: ignore[method-assign]
    try:
        assert resolve_in_store(disk, "acme inc.") == EX + "b"
    finally:
        del disk.select, disk.query_raw
    assert asked and not any("REGEX" in q or "CONTAINS" in q for q in asked)
