"""``groupkg links``: the source records merged into one entity and its look-alikes;
with ``--same`` or ``--not-same``, a judgement that two records are, or are not, one
entity, written into the store as data (:mod:`groupkg.graph.facts.judgements`)."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from typing import Any

import click
import pyoxigraph as ox

from groupkg.graph.cli.options import current_settings, shared_options
from groupkg.graph.cli.output import emit, say
from groupkg.graph.cli.tables import print_table
from groupkg.graph.dates import parse_date
from groupkg.graph.errors import InputError
from groupkg.graph.store import OxigraphStore, Store

__all__ = ["links"]

_NEEDS_A_STORE = (
    "a judgement is kept in a persistent store: give --store oxigraph:PATH or "
    "--store sparql:URL (the default memory store keeps nothing), or write the "
    "gk:IdentityJudgement in a Turtle file given as --data"
)


@shared_options
@click.command()
@click.argument("names", nargs=-1, required=True)
@click.option("--same", "verdict", flag_value="same", default=None,
              help="Judge records A and B one entity (two NAMES).")  # fmt: skip
@click.option("--not-same", "verdict", flag_value="not-same",
              help="Judge records A and B two entities, whatever identifiers say.")  # fmt: skip
@click.option("--by", default=None, help="Who judges [default: your user name].")
@click.option("--on", "on", default=None, help="The day of the judgement [default: today].")
@click.option("--note", default="", help="Why, in a few words.")
def links(names: tuple[str, ...], verdict: str | None, by: str | None, on: str | None,
          note: str) -> None:  # fmt: skip
    """The source records merged into NAME and its look-alikes; or, with --same or
    --not-same A B, record a judgement about two records in the store."""
    if verdict is None:
        if len(names) != 1 or by is not None or on is not None or note:
            raise InputError("give one NAME, or --same/--not-same with two (A B)")
        _show(names[0])
    else:
        if len(names) != 2:
            raise InputError(f"--{verdict} takes two records: A B")
        _judge(names, verdict == "same", by, on, note)


def _show(name: str) -> None:
    answer = current_settings().group(name).links(name)

    def table(a: dict[str, Any]) -> None:
        say(f"{a['entity']['name']}  ({a['entity']['id']})")
        say("records:")
        for r in a["records"]:
            say(f"  {r['name']}  ({r['id']})")
            joined = ", ".join(f"{i['scheme']} {i['value']}" for i in r["joined_by"])
            for key, value in (
                ("names", "; ".join(r["names"])),
                ("sources", "; ".join(r["sources"])),
                ("identifiers", ", ".join(f"{i['scheme']} {i['value']}" for i in r["identifiers"])),
                ("joined by", joined),
                ("judged same as", ", ".join(r["judged_same_as"])),
            ):
                if value:
                    say(f"    {key:>14}: {value}")
        say("judgements:")
        print_table(
            ["records", "verdict", "by", "on", "note"],
            [[" ~ ".join(j["records"]), "same" if j["same"] else "not same", j["by"], j["on"],
              j["note"]] for j in a["judgements"]],
        )  # fmt: skip
        say("look-alikes (never merged):")
        print_table(
            ["look-alike", "id", "why"],
            [[x["name"], x["id"], x["why"]] for x in a["lookalikes"]],
        )

    emit(answer, table)


def _record(store: Store, text: str) -> str:
    """The record ``text`` names: a record's own IRI as is (a record merged into another
    entity is judged on its own), else the entity the name resolves to."""
    from groupkg.graph.facts.links import stored_records
    from groupkg.graph.facts.storenames import resolve_in_store

    try:
        if stored_records(store, [text]):
            return text
    except InputError:  # not an IRI: a name
        pass
    return resolve_in_store(store, text)


def _judge(names: tuple[str, ...], same: bool, by: str | None, on: str | None,
           note: str) -> None:  # fmt: skip
    from groupkg.graph.facts.judgements import Judgement, judgement_ntriples

    settings = current_settings()
    day = parse_date(on, "--on") if on is not None else dt.date.today()
    who = by if by is not None else _user()
    if not who.strip():
        raise InputError("--by: give who judges")
    store = settings.store_named(writable=True)
    if store.description == "memory":
        raise InputError(_NEEDS_A_STORE)
    try:
        a, b = (_record(store, n) for n in names)
        if a == b:
            raise InputError(
                f"{names[0]!r} and {names[1]!r} name one record: give two records' IRIs "
                "(groupkg links NAME lists the records of an entity)"
            )
        judgement = Judgement(a, b, same, who, day, note)
        store.add_rdf(judgement_ntriples(judgement), ox.RdfFormat.N_TRIPLES)
    finally:
        if isinstance(store, OxigraphStore):
            store.close()
    if settings.as_json:
        click.echo(json.dumps({"judgement": judgement.to_json(), "store": store.description},
                              ensure_ascii=False))  # fmt: skip
    verdict = "one entity" if same else "two entities"
    say(f"recorded in {store.description}: {a} and {b} are {verdict} "
        f"(by {who} on {day.isoformat()})", err=True)  # fmt: skip


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment or the passwd file
        raise InputError("--by: no user name is known here; give who judges") from None
