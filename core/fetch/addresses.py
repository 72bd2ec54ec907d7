"""Where a fetch may go: parsing the URL into a target, deciding which IP addresses are
on the public internet, and resolving a host name to checked addresses.

Resolution happens once per hop and the connection goes to the addresses checked here,
so a name that resolves differently a second later (DNS rebinding) cannot sneak through.
"""

import ipaddress
import re
import socket
import threading
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from core.fetch.errors import FetchFailed, FetchRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_PORTS = {"http": 80, "https": 443}

# Besides what `ipaddress` calls non-global (its tables differ between Python versions),
# these are never fetched: this-network, shared address space (CGNAT), IETF protocol
# assignments, documentation, the 6to4 relay, benchmarking, multicast, reserved, broadcast.
_BLOCKED_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
)
# IPv4-compatible (deprecated), NAT64 local use, discard, IETF protocol assignments
# (Teredo, benchmarking, ORCHID), documentation, unique local, link-local, site-local,
# multicast.
_BLOCKED_V6 = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "3fff::/20",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LOOPBACK_V4 = ipaddress.IPv4Network("127.0.0.0/8")
_LOOPBACK_V6 = ipaddress.IPv6Address("::1")

# A name whose last label is a number is an address in one of the forms resolvers accept
# (2130706433, 0x7f.0.0.1, 0177.0.0.1, 127.1): only the plain dotted form is taken.
_NUMERIC_LAST_LABEL = re.compile(r"(?:\d+|0x[0-9a-f]*)", re.IGNORECASE)
_HOST_NAME = re.compile(r"[a-z0-9_.-]+")


@dataclass(frozen=True)
class Target:
    """One request's destination. `host` is lower-case ASCII (IDNA) without brackets."""

    url: str
    scheme: str
    host: str
    port: int
    host_header: str
    path: str


def parse_target(url: str) -> Target:
    """Split an absolute http(s) URL, refusing anything else (FetchRefused)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise _not_a_web_address(url, str(exc)) from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise FetchRefused(
            _("Only web addresses starting with http:// or https:// can be checked."),
            url=url,
            detail=f"scheme {scheme!r}",
        )
    if "@" in parts.netloc:
        raise FetchRefused(
            _("Web addresses with a user name or password in them are not fetched."),
            url=url,
            detail="userinfo in URL",
        )
    host = _ascii_host(url, parts.hostname or "")
    default = DEFAULT_PORTS[scheme]
    if port == 0:
        raise _not_a_web_address(url, "port 0")
    shown = f"[{host}]" if ":" in host else host
    host_header = shown if port in (None, default) else f"{shown}:{port}"
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    normalised = f"{scheme}://{host_header}{path}"
    return Target(normalised, scheme, host, port or default, host_header, path)


def _ascii_host(url: str, host: str) -> str:
    if not host:
        raise _not_a_web_address(url, "no host")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return host.lower()
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise _not_a_web_address(url, f"host {host!r} is not a valid name") from exc
    if not _HOST_NAME.fullmatch(host):
        raise _not_a_web_address(url, f"host {host!r} is not a valid name")
    if _NUMERIC_LAST_LABEL.fullmatch(host.rstrip(".").rsplit(".", 1)[-1]):
        raise FetchRefused(
            _("That address is not a normal web address, so it was not fetched."),
            url=url,
            detail=f"numeric host form {host!r}",
        )
    return host


def _not_a_web_address(url: str, detail: str) -> FetchRefused:
    return FetchRefused(_("That is not a valid web address."), url=url, detail=detail)


def is_public(ip: IPAddress, *, allow_loopback: bool = False) -> bool:
    """Whether a fetch may connect to `ip`: globally routable unicast only (loopback too
    when `allow_loopback`). IPv6 forms that carry an IPv4 address are judged by it."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or (
            ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None
        )
        if embedded is not None:
            return is_public(embedded, allow_loopback=allow_loopback)
        if allow_loopback and ip == _LOOPBACK_V6:
            return True
        if ip.sixtofour is not None and not is_public(ip.sixtofour):
            return False
        if ip.teredo is not None or any(ip in net for net in _BLOCKED_V6):
            return False
    else:
        if allow_loopback and ip in _LOOPBACK_V4:
            return True
        if any(ip in net for net in _BLOCKED_V4):
            return False
    return ip.is_global and not (
        ip.is_multicast or ip.is_private or ip.is_reserved or ip.is_loopback
    )


Address = tuple[socket.AddressFamily, str, int]


def resolve(target: Target, *, timeout: float) -> list[Address]:
    """The addresses to connect to for `target`, every one of them checked.

    Names in settings.OUTBOUND_FETCH_TEST_HOSTS resolve to 127.0.0.1 and the port given
    for the scheme (tests only; refused unless loopback is allowed). While that setting
    is in use, other names do not resolve at all, so tests never reach the internet.
    """
    allow_loopback: bool = settings.OUTBOUND_FETCH_ALLOW_LOOPBACK
    test_hosts: dict[str, dict[str, int]] = settings.OUTBOUND_FETCH_TEST_HOSTS
    if target.host in test_hosts:
        port = test_hosts[target.host].get(target.scheme)
        if port is None:
            raise _no_such_name(target, "test host without a port for this scheme")
        found: list[Address] = [(socket.AF_INET, "127.0.0.1", port)]
    elif _is_ip_literal(target.host):
        # Checked as written: nothing to look up (and an IPv6 zone would confuse one).
        ip = target.host.split("%", 1)[0]
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        found = [(family, ip, target.port)]
    elif test_hosts:
        raise _no_such_name(target, "not a test host")
    else:
        found = _getaddrinfo(target, timeout)
    for _family, address, _port in found:
        if not is_public(ipaddress.ip_address(address), allow_loopback=allow_loopback):
            raise FetchRefused(
                _("That address points to a private or local network, so it was not fetched."),
                url=target.url,
                detail=f"{target.host} resolves to {address}",
            )
    return found


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _getaddrinfo(target: Target, timeout: float) -> list[Address]:
    """socket.getaddrinfo with a time limit: the system resolver has none of its own that
    we control, so it runs in a daemon thread we stop waiting for."""
    result: list[Address] = []
    errors: list[OSError] = []

    def run() -> None:
        try:
            infos = socket.getaddrinfo(
                target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
        except OSError as exc:
            errors.append(exc)
            return
        for family, _type, _proto, _name, sockaddr in infos:
            # Drop an IPv6 zone ("%eth0"): only link-local addresses have one, and those
            # are refused anyway.
            result.append((family, str(sockaddr[0]).split("%", 1)[0], int(sockaddr[1])))

    thread = threading.Thread(target=run, name="fetch-resolve", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise FetchFailed(
            _("The issuer's server did not answer in time."),
            url=target.url,
            detail=f"resolving {target.host} took longer than {timeout:.1f}s",
        )
    if errors or not result:
        raise _no_such_name(target, str(errors[0]) if errors else "no addresses")
    return result


def _no_such_name(target: Target, detail: str) -> FetchFailed:
    return FetchFailed(_("The issuer's server could not be found."), url=target.url, detail=detail)
