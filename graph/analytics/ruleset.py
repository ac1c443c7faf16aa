"""A rule set of control or beneficial ownership, and whether a figure meets it.

A :class:`RuleSet` is the data of one regime (EU AMLD, UK PSC, US CTA, IFRS 10,
IAS 28, groupkg's own control rule, or a user's): the threshold and whether it is
inclusive, an optional ceiling (a band, such as IAS 28's 20% to 50%), the interest
kinds whose percent counts, the kinds that qualify whatever their percent (control
by other means), how indirect interests aggregate, and who may qualify. The shipped
rule sets are the Turtle files of ``ontology/rules/``
(:mod:`groupkg.graph.formats.rulesets` reads them).

Measures. ``shareholding`` is measured by share interests (an interest of unknown
kind may be shares, so it counts towards the upper bound only as a share interest
would); ``votingRights`` by voting rights where they are stated for a pair, else by
shares, as control reads them (``docs/definitions.md``). The two are never added.
"""

from __future__ import annotations

from dataclasses import dataclass

from groupkg.graph.analytics.graph import TOLERANCE

__all__ = [
    "ANY_ENTITY",
    "MULTIPLIED",
    "NATURAL_PERSONS",
    "PASSED_WHOLE",
    "RuleSet",
]

MULTIPLIED, PASSED_WHOLE = "multiplied", "passedWhole"
NATURAL_PERSONS, ANY_ENTITY = "naturalPersons", "anyEntity"


@dataclass(frozen=True)
class RuleSet:
    """One rule set; percents are 0-100.

    Examples
    --------
    >>> cta = RuleSet("us-cta", "US CTA", 25.0, True, counts=("shareholding",))
    >>> amld = RuleSet("eu-amld", "EU AMLD", 25.0, False, counts=("shareholding",))
    >>> cta.meets(25.0), amld.meets(25.0), amld.meets(25.0, exclusive=True)
    (True, False, True)
    >>> band = RuleSet("ias-28", "IAS 28", 20.0, True, ceiling=50.0, ceiling_inclusive=True)
    >>> band.meets(50.0), band.meets(50.5), band.meets(19.9)
    (True, False, False)
    """

    name: str
    label: str
    threshold: float
    inclusive: bool
    ceiling: float | None = None
    ceiling_inclusive: bool = True
    counts: tuple[str, ...] = ("shareholding",)
    other_means: tuple[str, ...] = ()
    aggregation: str = MULTIPLIED
    qualifying: str = NATURAL_PERSONS
    comment: str = ""
    source: str = ""
    """Where the rule set was read from: a shipped name or a file."""

    def meets(self, percent: float, exclusive: bool = False) -> bool:
        """Whether an aggregated ``percent`` reaches the threshold and stays within the
        ceiling; ``exclusive``: the true figure is just above ``percent``."""
        t = self.threshold
        if self.inclusive or exclusive:
            above = percent >= t - TOLERANCE * 100
        else:
            above = percent > t + TOLERANCE * 100
        return above and self.within_ceiling(percent)

    def within_ceiling(self, percent: float) -> bool:
        """Whether ``percent`` does not pass the ceiling (always, without one)."""
        if self.ceiling is None:
            return True
        if self.ceiling_inclusive:
            return percent <= self.ceiling + TOLERANCE * 100
        return percent < self.ceiling - TOLERANCE * 100

    def status(self, low: float, high: float, low_exclusive: bool = False) -> str | None:
        """``"certain"`` when every figure in ``[low, high]`` meets the rule, ``"possible"``
        when some does, else None.

        >>> psc = RuleSet("uk-psc", "UK PSC", 25.0, False)
        >>> psc.status(30.0, 30.0), psc.status(20.0, 40.0), psc.status(10.0, 25.0)
        ('certain', 'possible', None)
        """
        if self.meets(low, low_exclusive) and self.within_ceiling(high):
            return "certain"
        if self.meets(high) or self.meets(low, low_exclusive) or self._band_inside(low, high):
            return "possible"
        return None

    def _band_inside(self, low: float, high: float) -> bool:
        """Whether a banded rule's band and ``[low, high]`` share figures between their ends."""
        return self.ceiling is not None and low < self.ceiling and high > self.threshold

    def to_json(self) -> dict[str, object]:
        """The rule set as answers show it."""
        return {
            "name": self.name,
            "label": self.label,
            "threshold": self.threshold,
            "inclusive": self.inclusive,
            "ceiling": self.ceiling,
            "ceiling_inclusive": self.ceiling_inclusive if self.ceiling is not None else None,
            "counts": list(self.counts),
            "other_means": list(self.other_means),
            "aggregation": self.aggregation,
            "qualifying": self.qualifying,
            "comment": self.comment,
        }
