"""A bounded load test of `groupkg serve` on 127.0.0.1: many clients at once, no 5xx.

200 concurrent clients each send a fixed number of requests mixing SPARQL queries,
API calls and viewer pages; every answer must be a success or a deliberate 4xx, and
the server must still answer afterwards. The figures are written to
/tmp/groupkg-load.json for the README's Reliability section.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

CLIENTS = 200
REQUESTS_EACH = 6
QUERY = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 20"


def _paths() -> list[str]:
    q = urllib.parse.quote
    return [
        "/api/owners/" + q("IIJ Exlayer") + "?at=2013-12-31",
        "/sparql?query=" + q(QUERY),
        "/",
        "/api/paths/" + q("IIJ Exlayer USA") + "?at=2013-12-31",
        "/api/entities?q=iij",
        "/api/owners/" + q("Nobody at all") + "?at=2013-12-31",  # a deliberate 404
    ]


def _client(base: str, number: int) -> list[int]:
    statuses = []
    paths = _paths()
    for i in range(REQUESTS_EACH):
        path = paths[(number + i) % len(paths)]
        request = urllib.request.Request(base + path, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                answer.read()
                statuses.append(answer.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
        except OSError:
            statuses.append(-1)  # no answer at all
    return statuses


def test_two_hundred_concurrent_clients_get_no_server_error(start_server):
    base = start_server()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(lambda n: _client(base, n), range(CLIENTS)))
    elapsed = time.monotonic() - started
    counts = Counter(status for statuses in results for status in statuses)
    assert sum(counts.values()) == CLIENTS * REQUESTS_EACH
    assert not [s for s in counts if s >= 500 or s < 0], counts
    assert set(counts) <= {200, 404}, counts
    with urllib.request.urlopen(base + "/api/info", timeout=30) as answer:
        assert answer.status == 200
    figures = {"clients": CLIENTS, "requests": sum(counts.values()),
               "statuses": {str(k): v for k, v in sorted(counts.items())},
               "seconds": round(elapsed, 1)}  # fmt: skip
    with open("/tmp/groupkg-load.json", "w") as out:
        json.dump(figures, out)
