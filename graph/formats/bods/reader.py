"""Reading BODS 0.4: a JSON file or parsed statements in, groupkg RDF out, all or
nothing (every problem :func:`~groupkg.graph.formats.bods.schema.validate_bods` finds is
raised at once, in one :class:`~groupkg.graph.errors.BadInput`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from rdflib import Graph

from groupkg.graph.errors import BadInput, ImportProblem, InputError
from groupkg.graph.formats.bods.mapping import BODS_BASE
from groupkg.graph.formats.bods.records import RecordBuilder
from groupkg.graph.formats.bods.schema import validate_bods

__all__ = ["bods_to_graph", "read_bods"]


def bods_to_graph(
    statements: Any,
    *,
    file: str = "<statements>",
    base: str = BODS_BASE,
    schema_dir: str | os.PathLike[str] | None = None,
) -> Graph:
    """Turn parsed BODS 0.4 statements into groupkg RDF, all or nothing.

    Parameters
    ----------
    statements
        The statements (a JSON array, parsed).
    file
        The name problems and sources are reported under.
    base
        The namespace records are minted in: an entity or person is ``base`` + its
        (percent-encoded) recordId, its facts and statements below. recordIds are
        unique within one publisher's system only, so give each publisher its own base.
    schema_dir
        The BODS 0.4 schema folder; by default the bundled copy.

    Raises
    ------
    BadInput
        With every problem :func:`validate_bods` finds.
    """
    problems = validate_bods(statements, file, schema_dir=schema_dir)
    if problems:
        raise BadInput(problems)
    return RecordBuilder(file, base).build(statements)


def read_bods(
    path: str | os.PathLike[str],
    *,
    base: str = BODS_BASE,
    schema_dir: str | os.PathLike[str] | None = None,
) -> Graph:
    """Read a BODS 0.4 JSON file (an array of statements) into groupkg RDF.

    See :func:`bods_to_graph`; a file that is not JSON is reported with its line.
    """
    name = str(path)
    try:
        statements = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BadInput(
            [ImportProblem(name, exc.lineno, "(json)", f"{exc.msg} at column {exc.colno}")]
        ) from None
    except UnicodeDecodeError as exc:
        raise BadInput([ImportProblem(name, 1, "(file)", f"not UTF-8: {exc}")]) from None
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, arrays nested too deep
        raise BadInput([ImportProblem(name, 1, "(json)", f"cannot be read: {exc}")]) from None
    except OSError as exc:
        raise InputError(
            f"{name}: cannot read it ({exc.strerror or exc})", file=str(name)
        ) from None
    return bods_to_graph(statements, file=name, base=base, schema_dir=schema_dir)
