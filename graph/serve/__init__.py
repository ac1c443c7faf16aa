"""``groupkg serve``: a SPARQL 1.1 Protocol endpoint, the JSON API and the HTML viewer.

Routes
------
``/sparql``
    The SPARQL 1.1 Protocol for queries: ``GET ?query=``, ``POST`` form-encoded
    (``query=``) and ``POST`` with an ``application/sparql-query`` body. The answer's
    format follows ``Accept``: SELECT and ASK as SPARQL JSON (the default), XML, CSV or
    TSV; CONSTRUCT and DESCRIBE as Turtle (the default), N-Triples, JSON-LD or RDF/XML.
    ``default-graph-uri`` and ``named-graph-uri`` are honoured on Oxigraph stores and
    refused (400) on others. Updates (``update=`` or ``application/sparql-update``)
    are refused unless the server was started with ``--allow-update``, and then need
    ``Authorization: Bearer <token>``. A SERVICE clause, or LOAD in an update, is
    refused (403): the server fetches no URL on a client's behalf.
``/api/...``
    The command line's ``--json`` answers, one route a command, plus ``/api/entities``
    (search as you type), ``/api/queries`` (the named queries of the library) and
    ``/api/queries/{name}?param=value`` (one of them with its parameters filled in).
``/view``
    The picture of the group at a date from :mod:`groupkg.viz`, one self-contained page.
``/``
    The viewer: an entity and a date, the picture, owners, holdings, consolidation
    paths and events around the date, and a SPARQL box.

Status codes
------------
400 malformed query, update or parameter (the parser's message); 401 an update
without the right bearer token; 403 an update on a read-only server, or a query or
update that would fetch a URL (SERVICE, LOAD); 404 an unknown entity name (API) or
route; 405 another method; 406 no acceptable answer format; 413 a request body over
``--max-body``; 415 a POST that is neither form-encoded nor SPARQL; 422 a result over
``--max-results`` rows (or triples); 501 an update on a store that takes none; 503 a
request over ``--timeout``, or every worker busy.
Errors are ``text/plain`` on ``/sparql`` and ``{"error": message}`` on ``/api``.

Modules
-------
:mod:`~groupkg.graph.serve.app` the application and :func:`run`;
:mod:`~groupkg.graph.serve.sparql` the protocol endpoint;
:mod:`~groupkg.graph.serve.api` the JSON API and the viewer;
:mod:`~groupkg.graph.serve.negotiate` content negotiation;
:mod:`~groupkg.graph.serve.guard` who may send a request and what it may reach;
:mod:`~groupkg.graph.serve.server` the state of a running server and its limits
(:mod:`~groupkg.graph.serve.limits`, :mod:`~groupkg.graph.serve.refused`);
:mod:`~groupkg.graph.serve.source` what the answers are read from;
:mod:`~groupkg.graph.serve.worker` the worker processes.
"""

from groupkg.graph.serve.app import run
from groupkg.graph.serve.guard import check_origin, check_token
from groupkg.graph.serve.limits import Limits

__all__ = ["Limits", "check_origin", "check_token", "run"]
