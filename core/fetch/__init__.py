"""Outbound HTTP(S) for badge verification: the only code in the app that opens
connections to other sites.

    from core.fetch import FetchFailed, FetchRefused, fetch

    try:
        response = fetch(assertion_url)
    except FetchRefused:  # policy said no: not http(s), private address, too big...
        ...
    except FetchFailed:  # not verifiable now: no such name, timeout, bad certificate...
        ...
    if response.status == 410: ...
    data = response.json()  # FetchError in plain words when it is not JSON

Every hop (at most settings.OUTBOUND_FETCH_MAX_REDIRECTS redirects) resolves its host
once, refuses unless every address is publicly routable, and connects to exactly those
addresses; bodies are capped at settings.OUTBOUND_FETCH_MAX_BYTES and each connect and
read at settings.OUTBOUND_FETCH_TIMEOUT, with an overall deadline of a few timeouts.
Tests replace the network with loopback servers: see tests/fakeweb.py.
"""

from core.fetch.client import USER_AGENT, fetch
from core.fetch.errors import FetchError, FetchFailed, FetchRefused
from core.fetch.response import FetchResponse, Headers

__all__ = [
    "USER_AGENT",
    "FetchError",
    "FetchFailed",
    "FetchRefused",
    "FetchResponse",
    "Headers",
    "fetch",
]
