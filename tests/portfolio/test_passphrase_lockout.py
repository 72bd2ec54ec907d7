"""Wrong share-link passphrases lock out the client that typed them, not the employer at
another address; a per-link ceiling still stops guessing spread over many addresses."""

from typing import Any

import pytest
from django.test import Client

from portfolio.showcases import services
from tests.conftest import People

PASSPHRASE = "grey heron at dusk"
PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def page(people: People) -> str:
    showcase = services.showcase_create(owner=people.learner, title="Placement year")
    token = services.link_create(showcase=showcase, label="Employer", passphrase=PASSPHRASE).token
    return f"/s/{token}/"


def _try(page: str, passphrase: str, *, address: str, client: Client | None = None) -> Any:
    return (client or Client()).post(
        page,
        {"passphrase": passphrase},
        headers={"x-forwarded-for": address},
        REMOTE_ADDR=PROXY,
    )


def test_one_viewers_wrong_guesses_do_not_lock_out_another(page: str) -> None:
    statuses = [_try(page, f"guess {n}", address="198.51.100.1").status_code for n in range(6)]
    employer = Client()

    response = _try(page, PASSPHRASE, address="203.0.113.7", client=employer)

    assert statuses == [403] * 5 + [429]
    assert response.status_code == 302
    assert "Placement year" in employer.get(page).content.decode()


def test_the_locked_out_client_is_told_how_long_to_wait(page: str) -> None:
    for n in range(5):
        _try(page, f"guess {n}", address="198.51.100.1")

    response = _try(page, PASSPHRASE, address="198.51.100.1")

    assert response.status_code == 429
    assert "Wait 15 minutes" in response.content.decode()
    assert response["Retry-After"] == "900"


def test_spoofing_another_address_in_front_does_not_escape_the_lockout(page: str) -> None:
    for n in range(5):
        _try(page, f"guess {n}", address="198.51.100.1")

    response = _try(page, PASSPHRASE, address="192.0.2.99, 198.51.100.1")

    assert response.status_code == 429


def test_guessing_from_many_addresses_stops_at_100_an_hour_for_the_link(page: str) -> None:
    for n in range(services.PASSPHRASE_LINK_ATTEMPTS):
        response = _try(page, f"guess {n}", address=f"198.51.100.{n // 4 + 1}")
        assert response.status_code == 403

    response = _try(page, PASSPHRASE, address="203.0.113.7")

    assert response.status_code == 429
    assert "tried on this link" in response.content.decode()
    assert response["Retry-After"] == "3600"


def test_a_right_passphrase_does_not_reset_the_links_count(page: str) -> None:
    for n in range(services.PASSPHRASE_LINK_ATTEMPTS - 1):
        _try(page, f"guess {n}", address=f"198.51.100.{n // 4 + 1}")
    assert _try(page, PASSPHRASE, address="203.0.113.7").status_code == 302

    _try(page, "one more guess", address="203.0.113.8")

    assert _try(page, PASSPHRASE, address="203.0.113.9").status_code == 429
