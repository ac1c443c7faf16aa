"""The shipped rule sets, as ``ontology/rules/*.ttl`` names and labels them, in the order
every answer gives them (``Group.control`` with no rule set chosen)."""

from __future__ import annotations

SHIPPED_RULE_SETS = [
    ("eu-amld", "EU AMLD: beneficial owners (more than 25%)"),
    ("uk-psc", "UK PSC: persons with significant control (more than 25%)"),
    ("us-cta", "US CTA: beneficial owners (25% or more)"),
    ("ifrs-10", "IFRS 10: control (more than 50%, or reported consolidation)"),
    ("ias-28", "IAS 28: significant influence (20% to 50%)"),
    ("groupkg-default", "groupkg: control (more than 50%)"),
]
SHIPPED_LABELS = [label for _, label in SHIPPED_RULE_SETS]
