"""core.fetch never lets an https address be answered from plain http: a redirect from
https to http is refused, whatever the status, and nothing is fetched over http."""

import pytest

from core.fetch import FetchRefused, fetch
from tests import fakeweb
from tests.fakeweb import FakeWeb

fake_web = fakeweb.fake_web  # the fixture, for this module's tests


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_from_https_to_http_is_refused(fake_web: FakeWeb, status: int) -> None:
    fake_web.add_redirect(
        "https://issuer.test/key.json", "http://issuer.test/key.json", status=status
    )
    fake_web.add("http://issuer.test/key.json", {"publicKeyPem": "forged"})

    with pytest.raises(FetchRefused) as caught:
        fetch("https://issuer.test/key.json")
    assert "insecure" in str(caught.value)
    assert fake_web.requests == ["https://issuer.test/key.json"]


def test_a_downgrade_later_in_a_chain_of_redirects_is_refused(fake_web: FakeWeb) -> None:
    fake_web.add_redirect("https://issuer.test/a", "https://cdn.test/b")
    fake_web.add_redirect("https://cdn.test/b", "http://cdn.test/c")
    fake_web.add("http://cdn.test/c", {"ok": True})

    with pytest.raises(FetchRefused):
        fetch("https://issuer.test/a")
    assert "http://cdn.test/c" not in fake_web.requests


def test_an_upgrade_from_http_to_https_is_followed(fake_web: FakeWeb) -> None:
    fake_web.add_redirect("http://issuer.test/a", "https://issuer.test/a")
    fake_web.add("https://issuer.test/a", {"ok": True})

    assert fetch("http://issuer.test/a").json() == {"ok": True}
