"""The client's address behind reverse proxies: X-Forwarded-For is believed only as far as
the configured proxies vouch for it, and allauth's sign-in limits count per that address,
so one client's failures never lock out a person at another address."""

import ipaddress

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from core.clientip import client_ip, client_key
from tests.factories import PASSWORD, LearnerFactory
from tests.test_settings import manage

PROXY = "10.0.0.5"


def _ip(xff: str | None, *, peer: str = PROXY) -> str:
    headers = {"x-forwarded-for": xff} if xff is not None else {}
    request = RequestFactory().get("/", headers=headers, REMOTE_ADDR=peer)
    return client_ip(request)


def test_without_a_setting_x_forwarded_for_is_ignored() -> None:
    assert _ip("203.0.113.7") == PROXY


def test_with_one_proxy_the_rightmost_address_is_the_client(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert _ip("203.0.113.7") == "203.0.113.7"


def test_spoofed_entries_left_of_what_our_proxy_wrote_do_not_help(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert _ip("198.51.100.1, 192.0.2.9, 203.0.113.7") == "203.0.113.7"


def test_with_two_proxies_the_outer_proxys_entry_is_the_client(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    assert _ip("198.51.100.1, 203.0.113.7, 10.0.0.9") == "203.0.113.7"
    # Fewer entries than proxies: the leftmost was still written by one of ours.
    assert _ip("203.0.113.7") == "203.0.113.7"


def test_no_header_or_nonsense_falls_back_to_the_peer(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert _ip(None) == PROXY
    assert _ip("unknown") == PROXY


def test_ports_written_by_proxies_are_dropped(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert _ip("203.0.113.7:51234") == "203.0.113.7"
    assert _ip("[2001:db8::1]:443") == "2001:db8::1"


def test_trusted_networks_use_the_rightmost_untrusted_address(settings) -> None:
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    assert _ip("198.51.100.1, 203.0.113.7, 10.1.2.3") == "203.0.113.7"


def test_trusted_networks_ignore_the_header_from_any_other_peer(settings) -> None:
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("10.0.0.0/8")]
    assert _ip("203.0.113.7", peer="192.0.2.50") == "192.0.2.50"


def test_ipv6_clients_are_counted_per_64(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    headers = {"x-forwarded-for": "2001:db8:1:2:aaaa::1"}
    request = RequestFactory().get("/", headers=headers, REMOTE_ADDR=PROXY)
    assert client_key(request) == "2001:db8:1:2::"


def test_both_settings_at_once_are_refused() -> None:
    result = manage(
        "check", env={"DJANGO_TRUSTED_PROXY_COUNT": "1", "DJANGO_TRUSTED_PROXIES": "10.0.0.0/8"}
    )
    assert result.returncode != 0
    assert "not both" in result.stderr


def test_a_malformed_proxy_network_is_refused_with_its_name() -> None:
    result = manage("check", env={"DJANGO_TRUSTED_PROXIES": "10.0.0.0/8,proxy.internal"})
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES" in result.stderr and "proxy.internal" in result.stderr


def _sign_in(client: Client, email: str, password: str, *, address: str) -> str:
    response = client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        headers={"x-forwarded-for": address},
        REMOTE_ADDR=PROXY,
    )
    return "_auth_user_id" if "_auth_user_id" in client.session else response.content.decode()


@pytest.mark.django_db
def test_failed_sign_ins_on_random_emails_do_not_lock_out_another_client(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    honest = LearnerFactory.create()
    attacker = Client()
    for n in range(10):
        _sign_in(attacker, f"nobody{n}@example.org", "guess", address="198.51.100.1")
    assert "Too many failed login attempts" in _sign_in(
        attacker, "nobody-else@example.org", "guess", address="198.51.100.1"
    )
    assert _sign_in(Client(), honest.email, PASSWORD, address="203.0.113.7") == "_auth_user_id"


@pytest.mark.django_db
def test_without_the_setting_everyone_behind_the_proxy_shares_one_limit() -> None:
    """What the setting is for: unset behind a proxy, the proxy's address is all we see."""
    honest = LearnerFactory.create()
    attacker = Client()
    for n in range(10):
        _sign_in(attacker, f"nobody{n}@example.org", "guess", address="198.51.100.1")
    assert "Too many failed login attempts" in _sign_in(
        Client(), honest.email, PASSWORD, address="203.0.113.7"
    )
