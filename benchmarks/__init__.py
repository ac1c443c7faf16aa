"""groupkg's performance harness: ``python -m benchmarks.run --sizes 10k,100k,1M``.

For each register size it measures groupkg beside its peers (rdflib, networkx) and
the limit (plain Python structures, numpy/scipy on arrays) in the same run, prints the
figures with their ratios and writes ``benchmarks/RESULTS.md`` with the machine's
description and, for each target of the performance issue, whether it is met.
Not part of the test run, except a tiny smoke size (tests/test_benchmarks_smoke.py).
"""
