"""``groupkg control``: the controllers and beneficial owners of an entity under each
rule set, side by side.

It asks :meth:`groupkg.graph.group.Group.control` and prints, per rule set, the holders
that qualify (certain or possible, by which interests, with their percent and chains
of evidence), or why nobody does. An answer where no rule set finds anybody exits 1.
"""

from __future__ import annotations

from typing import Any

import click

from groupkg.graph.cli.options import (
    at_option,
    current_settings,
    option_day,
    rule_names,
    shared_options,
)
from groupkg.graph.cli.output import emit, percent_text, say
from groupkg.graph.cli.tables import print_table

__all__ = ["control"]


@shared_options
@click.command()
@click.argument("name")
@at_option
@click.option("--rules", "rules", default=None, metavar="R,...",
              help="Rule sets, by name (eu-amld, uk-psc, us-cta, ifrs-10, ias-28, "
                   "groupkg-default) or Turtle file; all shipped ones by default.")  # fmt: skip
def control(name: str, at: str | None, rules: str | None) -> None:
    """Controllers and beneficial owners of NAME under each rule set."""
    group = current_settings().group(name, model=True)
    answer = group.control(name, option_day(at), rule_names(rules))

    def table(a: dict[str, Any]) -> None:
        listed = f", listed ({'; '.join(a['listings'])})" if a["listed"] else ""
        say(f"Control of {a['entity']['name']} on {a['at']} ({a['status']}{listed}):")
        for found in a["rule_sets"]:
            say("")
            say(found["rule_set"]["label"])
            holders = found["beneficial_owners"] + found["controlling_entities"]
            if holders:
                print_table(
                    ["holder", "kind", "status", "percent", "by", "chains"],
                    [[h["name"], h["kind"], h["status"], percent_text(h),
                      ", ".join(i["kind"] for i in h["interests"]),
                      "; ".join(_chain(p) for p in h["paths"][:3])
                      + (f" (+{len(h['paths']) - 3})" if len(h["paths"]) > 3 else "")]
                     for h in holders],
                )  # fmt: skip
            for reason in found["reasons"]:
                say(f"  no {_who(found)}: {reason['message']}")

    nobody = not any(
        r["beneficial_owners"] or r["controlling_entities"] for r in answer["rule_sets"]
    )
    emit(answer, table, empty=nobody)


def _who(found: dict[str, Any]) -> str:
    return ("beneficial owner" if found["rule_set"]["qualifying"] == "naturalPersons"
            else "qualifying entity")  # fmt: skip


def _chain(path: dict[str, Any]) -> str:
    names = [path["steps"][0]["owner"]["name"]] + [s["owned"]["name"] for s in path["steps"]]
    return " -> ".join(names) + f" ({percent_text(path)})"
