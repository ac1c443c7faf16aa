"""Regenerate graph/vocab.py's term list from ontology/groupkg.ttl.

Run after adding or renaming a term: ``python scripts/gen_vocab.py``. The test suite
fails while the two disagree.
"""

from pathlib import Path

import rdflib

ROOT = Path(__file__).resolve().parents[1]
NS = "https://w3id.org/groupkg/ontology#"
MARK = "    _NS = Namespace(NAMESPACE)\n"


def main() -> None:
    graph = rdflib.Graph().parse(ROOT / "ontology" / "groupkg.ttl")
    terms = sorted({str(s)[len(NS) :] for s in graph.subjects() if str(s).startswith(NS)})
    target = ROOT / "graph" / "vocab.py"
    text = target.read_text(encoding="utf-8")
    head = text[: text.index(MARK) + len(MARK)]
    target.write_text(head + "\n" + "".join(f"    {t}: URIRef\n" for t in terms), encoding="utf-8")
    print(f"{len(terms)} terms written to {target}")


if __name__ == "__main__":
    main()
