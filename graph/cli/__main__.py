"""``python -m groupkg.graph.cli``: the command line."""

from groupkg.graph.cli import main

main()
