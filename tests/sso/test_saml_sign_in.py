"""Sign-in through a real SAML 2.0 identity provider (pysaml2's IdP on loopback, signing
with xmlsec1), configured the way an admin does it: the provider's metadata URL on the
staff form."""

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from accounts.institutions.models import Membership, MembershipRole, MembershipState
from accounts.models import Role, User
from accounts.sso.models import SingleSignOn
from tests.factories import InstitutionAdminFactory, InstitutionFactory, LearnerFactory
from tests.sso.browserlike import Browser
from tests.sso.idp_saml import SamlIdentityProvider

pytestmark = pytest.mark.django_db(transaction=True)

ADA = "ada@riverside.ac.uk"


def configure(site: str, provider: SamlIdentityProvider, *, authoritative: bool) -> SingleSignOn:
    institution = InstitutionFactory.create(
        slug="riverside", name="Riverside College", email_domains=["riverside.ac.uk"]
    )
    client = Client()
    client.force_login(InstitutionAdminFactory.create(institution=institution))
    response = client.post(
        "/staff/riverside/sso/add/saml/",
        {
            "email_domains": ["riverside.ac.uk"],
            "enabled": "on",
            "metadata_url": f"{provider.base}/metadata",
            "email_attribute": "urn:oid:0.9.2342.19200300.100.1.3",
            "name_attribute": "urn:oid:2.16.840.1.113730.3.1.241",
            "given_name_attribute": "urn:oid:2.5.4.42",
            "family_name_attribute": "urn:oid:2.5.4.4",
            **({"email_authoritative": "on"} if authoritative else {}),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    sso = SingleSignOn.objects.get(institution=institution)
    provider.sp_metadata = requests.get(
        f"{site}/accounts/saml/riverside/metadata/", timeout=10
    ).text
    return sso


@pytest.fixture
def riverside(saml_provider: SamlIdentityProvider, site: str) -> SingleSignOn:
    saml_provider.reset()
    return configure(site, saml_provider, authoritative=True)


def to_the_idp_answer(browser: Browser, site: str) -> requests.Response:
    page = browser.get(f"{site}/sso/find/", params={"email": ADA})
    return browser.submit(page, button="Sign in with Riverside College")


def sign_in(browser: Browser, site: str) -> requests.Response:
    return browser.submit(to_the_idp_answer(browser, site), button="Continue")


def signed_out(browser: Browser, site: str) -> bool:
    return "/accounts/login/" in browser.get(f"{site}/dashboard/").url


def test_a_new_person_lands_on_the_dashboard_with_the_mapped_name_and_membership(
    riverside: SingleSignOn, site: str, browser: Browser
) -> None:
    page = sign_in(browser, site)

    assert page.status_code == 200, page.text[:2000]
    assert page.url == f"{site}/learner/"  # the dashboard, for a learner
    assert "Ada Lovelace" in page.text
    user = User.objects.get(email=ADA)
    assert (user.name, user.role) == ("Ada Lovelace", Role.LEARNER)
    assert user.emailaddress_set.get().verified
    member = Membership.objects.get(user=user)
    assert (member.institution, member.role, member.state) == (
        riverside.institution, MembershipRole.LEARNER, MembershipState.ACTIVE,
    )  # fmt: skip
    assert not signed_out(browser, site)


def test_a_suspended_member_is_refused_and_stays_suspended(
    riverside: SingleSignOn, site: str, browser: Browser
) -> None:
    existing = LearnerFactory.create(email=ADA, institution=riverside.institution)
    Membership.objects.filter(user=existing).update(state=MembershipState.SUSPENDED)

    page = sign_in(browser, site)

    assert "Your membership of Riverside College is suspended" in page.text
    assert Membership.objects.get(user=existing).state == MembershipState.SUSPENDED
    assert not SocialAccount.objects.exists()
    assert signed_out(browser, site)


def test_an_existing_account_is_linked_when_the_provider_is_authoritative(
    riverside: SingleSignOn, site: str, browser: Browser
) -> None:
    existing = LearnerFactory.create(email=ADA)

    sign_in(browser, site)

    assert SocialAccount.objects.get(user=existing).provider == "riverside"
    assert not signed_out(browser, site)


def test_an_existing_account_is_not_linked_when_the_provider_is_not_authoritative(
    saml_provider: SamlIdentityProvider, site: str, browser: Browser
) -> None:
    saml_provider.reset()
    configure(site, saml_provider, authoritative=False)
    existing = LearnerFactory.create(email=ADA)

    page = sign_in(browser, site)

    assert "did not confirm that ada@riverside.ac.uk is your address" in page.text
    assert not SocialAccount.objects.filter(user=existing).exists()
    assert signed_out(browser, site)


def test_a_response_signed_by_another_certificate_is_refused(
    riverside: SingleSignOn, saml_provider: SamlIdentityProvider, site: str, browser: Browser
) -> None:
    saml_provider.rogue = True

    page = sign_in(browser, site)

    assert page.status_code == 401
    assert not User.objects.filter(email=ADA).exists()
    assert signed_out(browser, site)


def test_a_response_for_another_audience_is_refused(
    riverside: SingleSignOn, saml_provider: SamlIdentityProvider, site: str, browser: Browser
) -> None:
    saml_provider.audience = "https://another-service.example/saml/metadata/"

    page = sign_in(browser, site)

    assert page.status_code == 401
    assert not User.objects.filter(email=ADA).exists()
    assert signed_out(browser, site)


def test_a_replayed_response_is_refused(
    riverside: SingleSignOn, saml_provider: SamlIdentityProvider, site: str, browser: Browser
) -> None:
    sign_in(browser, site)
    captured = dict(saml_provider.last_response)
    attacker = Browser()

    replay = attacker.session.post(
        captured.pop("url"), data=captured, timeout=15, allow_redirects=True
    )

    assert replay.status_code in (401, 403)
    assert signed_out(attacker, site)


def test_a_response_cannot_answer_a_second_request(
    riverside: SingleSignOn, saml_provider: SamlIdentityProvider, site: str, browser: Browser
) -> None:
    """InResponseTo reuse: the same browser starts a new sign-in and is handed the old
    answer (to the first request) instead of the new one."""
    sign_in(browser, site)
    captured = dict(saml_provider.last_response)
    browser.session.cookies.clear()
    to_the_idp_answer(browser, site)  # a fresh request is now pending

    replay = browser.session.post(captured.pop("url"), data=captured, timeout=15)

    assert replay.status_code in (401, 403)
    assert signed_out(browser, site)
