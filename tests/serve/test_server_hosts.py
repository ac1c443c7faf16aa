"""The Host check of a server bound to loopback: loopback names in, other names out.

A page whose own name was rebound to 127.0.0.1 (DNS rebinding) must not read the
data, so ``groupkg serve`` on a loopback address answers only requests that name a
loopback host; among them the IPv6 loopback, which a client writes ``[::1]``.
"""

from __future__ import annotations

import http.client
import urllib.parse

import pytest


@pytest.fixture(scope="module")
def address(start_server) -> tuple[str, int]:
    netloc = urllib.parse.urlsplit(start_server()).netloc
    host, port = netloc.split(":")
    return host, int(port)


def _status(address: tuple[str, int], host_header: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(*address, timeout=60)
    try:
        connection.putrequest("GET", "/api/info", skip_host=True)
        connection.putheader("Host", host_header)
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST", "[::1]"], ids=str)
def test_a_loopback_name_is_answered(address, name):
    for host_header in (name, f"{name}:{address[1]}"):
        status, body = _status(address, host_header)
        assert status == 200, (host_header, body)


@pytest.mark.parametrize("name", ["evil.example", "127.0.0.1.evil.example", "10.0.0.1", ""])
def test_another_name_is_refused(address, name):
    status, body = _status(address, name)
    assert status == 400
    assert body == b"Invalid host header"
