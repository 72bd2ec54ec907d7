"""The client's address, the one place it is worked out (rate limits, lockouts).

Behind a reverse proxy every request arrives from the proxy, so REMOTE_ADDR alone would
put every visitor in one bucket: one person's failed attempts would lock out everyone.
The proxies in front append the address they received from to X-Forwarded-For, but
anything to the left of what our own proxies wrote is whatever the client sent, so the
header is read from the right and only as far as trusted proxies vouch for it:

- DJANGO_TRUSTED_PROXY_COUNT=N: N proxies stand in front of the app, so the client is
  the N-th address from the right (the one the outermost proxy appended).
- DJANGO_TRUSTED_PROXIES=CIDR,...: the proxies' networks. If the direct peer is one of
  them, walk the header from the right past addresses in those networks; the first
  address outside them is the client (the "rightmost untrusted" rule).

With neither set, X-Forwarded-For is ignored: anyone could write it.
"""

import ipaddress
from collections.abc import Sequence

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# IPv6 hosts usually get a whole /64: counting per address would let one client rotate
# through billions, so limits count per /64 (as allauth's own rate limits do).
IPV6_PREFIX = 64


def client_ip(request: HttpRequest) -> str:
    """The client's address as far as the configured proxies vouch for it."""
    peer = request.META.get("REMOTE_ADDR", "")
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    count: int = settings.TRUSTED_PROXY_COUNT
    networks: Sequence[Network] = settings.TRUSTED_PROXIES
    if not forwarded:
        return peer
    if count:
        # Fewer entries than proxies: the leftmost was still written by one of ours.
        candidate = forwarded[-count] if len(forwarded) >= count else forwarded[0]
        return _valid(candidate) or peer
    if networks and _trusted(peer, networks):
        candidate = peer
        for entry in reversed(forwarded):
            address = _valid(entry)
            if address is None:
                break  # a proxy of ours wrote nonsense: stop at the last hop we trust
            candidate = address
            if not _trusted(address, networks):
                break
        return candidate
    return peer


def client_key(request: HttpRequest) -> str:
    """The client's address for counting attempts: IPv6 narrowed to its /64."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return address


def _valid(entry: str) -> str | None:
    """The address in an X-Forwarded-For entry (some proxies add a port), or None."""
    if entry.startswith("[") and "]" in entry:  # [2001:db8::1]:443
        entry = entry[1 : entry.index("]")]
    elif entry.count(":") == 1:  # 203.0.113.7:443
        entry = entry.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)
