"""Content negotiation: the format of an answer that a request's ``Accept`` header
prefers among those the server offers.

The header's media ranges are read by python-mimeparse (:mod:`mimeparse`), which also
tells which range governs an offered type: the most specific one that matches it, so
that ``text/*;q=0.5, text/csv;q=0`` refuses CSV and accepts the other text formats
(RFC 9110, section 12.5.1). Among offers that are equally acceptable the client's order
of ranges decides, then the server's order of offers; ``mimeparse.best_match`` would
rank by specificity, then by the server's order alone, and so answer
``text/csv, application/sparql-results+xml`` with XML where this server has always
answered CSV.
"""

from __future__ import annotations

from typing import Any

import mimeparse

from groupkg.graph.serve.refused import Refused

__all__ = ["negotiate", "pick"]

#: A media range: its place in the header, its quality, and mimeparse's reading of it.
_Range = tuple[int, float, tuple[str, str, dict[str, str]]]


def _media_ranges(accept: str) -> list[_Range]:
    """The media ranges of ``accept`` that can match an offer."""
    ranges: list[_Range] = []
    for place, part in enumerate(accept.lower().split(",")):
        try:
            kind, subtype, params = mimeparse.parse_mime_type(part)
        except mimeparse.MimeTypeParseException:
            continue  # not type/subtype: it matches nothing
        # mimeparse reads a lone "*" as "*/*" and "*/csv" as CSV; neither is a media
        # range, and both have always matched nothing here.
        if kind == "*" and (subtype != "*" or "/" not in part.partition(";")[0]):
            continue
        # A quality that is no number, or is below 0, drops the range, and one over 1
        # is kept as given, as they always have been here (mimeparse reads all three as
        # 1). Only a quality of 0 refuses a type.
        try:
            quality = float(params.get("q", "1"))
        except ValueError:
            continue
        if not quality >= 0:  # below 0, or NaN
            continue
        ranges.append((place, quality, (kind, subtype, {**params, "q": str(quality)})))
    return ranges


def _acceptance(media: str, ranges: list[_Range]) -> tuple[float, int]:
    """The quality ``ranges`` give ``media``, and the first place in the header of a
    range that matches it with that quality; ``(0, -1)`` when none matches.

    The quality is that of the most specific range that matches (of equally specific
    ones, the highest). The place is that of the first range with the same quality,
    however specific: ``*/*;q=0.5, text/*;q=0.5`` has made every offer equally
    acceptable from the first range on, and the server's first offer has won.
    """
    matching = [
        (fitness, quality, place)
        for place, quality, parsed in ranges
        if (fitness := mimeparse.quality_and_fitness_parsed(media, [parsed])[1]) >= 0
    ]
    if not matching:
        return 0.0, -1
    quality = max(matching)[1]
    return quality, min(place for _, q, place in matching if q == quality)


def negotiate(accept: str | None, offers: dict[str, Any]) -> Any | None:
    """The format of ``offers`` (media type -> format) that ``accept`` prefers.

    No header or ``*/*`` gives the first offer; ``None`` means nothing offered is
    acceptable (406). A type whose most specific range has ``q=0`` is refused.

    Examples
    --------
    >>> offers = {"text/csv": "csv", "application/json": "json"}
    >>> negotiate("application/json;q=0.9, text/*;q=0.5", offers)
    'json'
    >>> negotiate("image/png, */*;q=0.1", offers)
    'csv'
    >>> negotiate("text/*;q=0.5, text/csv;q=0", offers) is None
    True
    >>> negotiate("image/png", offers) is None
    True
    """
    first = next(iter(offers.values()))
    if not accept or not accept.strip():
        return first
    ranges = _media_ranges(accept)
    best: tuple[float, int, int] | None = None
    chosen = None
    for position, (media, fmt) in enumerate(offers.items()):
        quality, place = _acceptance(media, ranges)
        if quality > 0 and (best is None or (-quality, place, position) < best):
            best, chosen = (-quality, place, position), fmt
    return chosen


def pick(accept: str | None, offers: dict[str, Any], form: str) -> Any:
    """What :func:`negotiate` picks for ``form`` (the kind of query, for the message);
    406 when nothing offered is acceptable."""
    fmt = negotiate(accept, offers)
    if fmt is None:
        raise Refused(406, f"cannot answer {form} as {accept}; acceptable: {', '.join(offers)}")
    return fmt
