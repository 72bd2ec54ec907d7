"""Sign-in through a real OpenID Connect provider (django-oauth-toolkit, in its own
process on loopback), driven like a browser without JavaScript."""

import re

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from accounts.institutions.models import Membership, MembershipRole, MembershipState
from accounts.models import Role, User
from accounts.sso import discovery, services
from accounts.sso.models import SingleSignOn
from tests.factories import InstitutionFactory, LearnerFactory, TutorFactory
from tests.sso.browserlike import Browser
from tests.sso.providers import OidcProvider

pytestmark = pytest.mark.django_db(transaction=True)

ADA = "ada@riverside.ac.uk"


@pytest.fixture
def riverside(oidc_provider: OidcProvider, site: str) -> SingleSignOn:
    oidc_provider.misbehave()  # behave
    institution = InstitutionFactory.create(
        slug="riverside", name="Riverside College", email_domains=["riverside.ac.uk"]
    )
    return services.sso_save(
        sso=None,
        institution=institution,
        email_domains=["riverside.ac.uk"],
        enabled=True,
        oidc=services.OidcClient(
            issuer_url=oidc_provider.issuer,
            client_id=oidc_provider.client_id,
            client_secret=oidc_provider.client_secret,
            idp=discovery.oidc_discover(issuer_url=oidc_provider.issuer),
        ),
    )


def start(browser: Browser, site: str, email: str = ADA) -> requests.Response:
    """From the sign-in page's "Continue" step to the provider's own sign-in form."""
    page = browser.get(f"{site}/sso/find/", params={"email": email})
    assert page.status_code == 200
    return browser.submit(page, button="Sign in with Riverside College")


def sign_in(browser: Browser, site: str, provider: OidcProvider) -> requests.Response:
    idp_page = start(browser, site)
    assert idp_page.url.startswith(provider.base), idp_page.url
    return browser.submit(idp_page, button="Sign in", username="ada", password=provider.password)


def callback_url(response: requests.Response) -> str:
    return next(r.url for r in response.history if "/login/callback/" in r.url)


def membership(email: str = ADA) -> tuple[str, str, str, bool]:
    found = Membership.objects.select_related("institution").get(user__email=email)
    return (found.institution.slug, found.role, found.state, found.joined_at is not None)


def test_a_new_person_lands_on_the_dashboard_with_the_mapped_name_and_membership(
    riverside: SingleSignOn, oidc_provider: OidcProvider, site: str, browser: Browser
) -> None:
    page = sign_in(browser, site, oidc_provider)

    assert page.status_code == 200
    assert page.url == f"{site}/learner/"  # the dashboard, for a learner
    assert "Ada Lovelace" in page.text
    user = User.objects.get(email=ADA)
    assert (user.name, user.role) == ("Ada Lovelace", Role.LEARNER)
    assert user.emailaddress_set.get().verified
    assert SocialAccount.objects.get(user=user).provider == "riverside"
    assert membership() == ("riverside", MembershipRole.LEARNER, MembershipState.ACTIVE, True)
    assert "/accounts/login/" not in browser.get(f"{site}/dashboard/").url


def test_a_tutor_of_another_institution_becomes_a_learner_member_of_this_one(
    riverside: SingleSignOn, oidc_provider: OidcProvider, site: str, browser: Browser
) -> None:
    existing = TutorFactory.create(email=ADA)  # a tutor at the default institution

    sign_in(browser, site, oidc_provider)

    roles = dict(Membership.objects.filter(user=existing).values_list("institution__slug", "role"))
    assert roles == {"default": MembershipRole.TUTOR, "riverside": MembershipRole.LEARNER}
    existing.refresh_from_db()
    assert existing.role == Role.TUTOR  # their persona is still the tutor's


def test_a_member_with_another_role_keeps_it(
    riverside: SingleSignOn, oidc_provider: OidcProvider, site: str, browser: Browser
) -> None:
    TutorFactory.create(email=ADA, institution=riverside.institution)

    page = sign_in(browser, site, oidc_provider)

    assert page.url == f"{site}/review/tutor/"  # the dashboard, for a tutor
    assert membership() == ("riverside", MembershipRole.TUTOR, MembershipState.ACTIVE, True)


def test_a_suspended_member_is_refused_and_stays_suspended(
    riverside: SingleSignOn, oidc_provider: OidcProvider, site: str, browser: Browser
) -> None:
    LearnerFactory.create(email=ADA, institution=riverside.institution)
    Membership.objects.filter(user__email=ADA).update(state=MembershipState.SUSPENDED)

    page = sign_in(browser, site, oidc_provider)

    assert page.url.startswith(f"{site}/accounts/login/")
    assert "Your membership of Riverside College is suspended" in page.text
    assert membership()[2] == MembershipState.SUSPENDED
    assert not SocialAccount.objects.exists()
    assert "/accounts/login/" in browser.get(f"{site}/dashboard/").url


def test_an_existing_account_with_the_verified_address_is_linked(
    riverside: SingleSignOn, oidc_provider: OidcProvider, site: str, browser: Browser
) -> None:
    existing = LearnerFactory.create(email=ADA, name="Ada L.")

    page = sign_in(browser, site, oidc_provider)

    assert page.status_code == 200
    assert User.objects.filter(email__iexact=ADA).count() == 1
    assert SocialAccount.objects.get(user=existing).provider == "riverside"
    assert "Ada L." in browser.get(f"{site}/profile/").text


def test_an_unverified_email_claim_is_not_linked_to_the_existing_account(
    riverside: SingleSignOn, oidc_provider: OidcProvider, site: str, browser: Browser
) -> None:
    existing = LearnerFactory.create(email=ADA)
    oidc_provider.misbehave(claims={"email_verified": False})

    page = sign_in(browser, site, oidc_provider)

    assert page.url.startswith(f"{site}/accounts/login/")
    assert "did not confirm that ada@riverside.ac.uk is your address" in page.text
    assert not SocialAccount.objects.filter(user=existing).exists()
    assert User.objects.filter(email__iexact=ADA).count() == 1
    assert "/accounts/login/" in browser.get(f"{site}/dashboard/").url


def test_a_verified_claim_outside_the_institution_domains_is_not_linked(
    riverside: SingleSignOn, oidc_provider: OidcProvider, site: str, browser: Browser
) -> None:
    existing = LearnerFactory.create(email="ada@gmail.example")
    oidc_provider.misbehave(claims={"email": "ada@gmail.example", "email_verified": True})

    page = sign_in(browser, site, oidc_provider)

    assert "did not confirm that ada@gmail.example is your address" in page.text
    assert not SocialAccount.objects.filter(user=existing).exists()


@pytest.mark.parametrize(
    "mode",
    [{"wrong_key": True}, {"audience": "another-client"}],
    ids=["id token signed by another key", "id token for another audience"],
)
def test_a_forged_id_token_is_refused(
    mode: dict[str, object],
    riverside: SingleSignOn,
    oidc_provider: OidcProvider,
    site: str,
    browser: Browser,
) -> None:
    oidc_provider.misbehave(**mode)

    page = sign_in(browser, site, oidc_provider)

    assert page.status_code == 401
    assert "We could not confirm your sign-in with Riverside College" in page.text
    assert not User.objects.filter(email__iexact=ADA).exists()
    assert "/accounts/login/" in browser.get(f"{site}/dashboard/").url


def test_a_replayed_callback_is_refused(
    riverside: SingleSignOn, oidc_provider: OidcProvider, site: str, browser: Browser
) -> None:
    used = callback_url(sign_in(browser, site, oidc_provider))
    attacker = Browser()

    replay = attacker.get(used)

    assert replay.status_code == 401
    assert "/accounts/login/" in attacker.get(f"{site}/dashboard/").url


def test_a_replayed_authorization_code_is_refused_even_with_a_fresh_state(
    riverside: SingleSignOn, oidc_provider: OidcProvider, site: str, browser: Browser
) -> None:
    used = callback_url(sign_in(browser, site, oidc_provider))
    old_code = re.search(r"[?&]code=([^&]+)", used).group(1)  # type: ignore[union-attr]
    attacker = Browser()
    page = attacker.get(f"{site}/sso/find/", params={"email": ADA})
    form = attacker.form(page, button="Sign in with Riverside College")
    to_idp = attacker.session.post(
        f"{site}{form.action}", data=form.fields, allow_redirects=False, timeout=15
    )
    fresh_state = re.search(r"[?&]state=([^&]+)", to_idp.headers["Location"]).group(1)  # type: ignore[union-attr]

    replay = attacker.get(
        f"{site}/accounts/oidc/riverside/login/callback/",
        params={"code": old_code, "state": fresh_state},
    )

    assert replay.status_code == 401
    assert User.objects.filter(email__iexact=ADA).count() == 1  # only the first sign-in's
    assert "/accounts/login/" in attacker.get(f"{site}/dashboard/").url


def test_a_disabled_configuration_offers_no_button_and_refuses_to_start(
    riverside: SingleSignOn, site: str, browser: Browser
) -> None:
    services.sso_set_enabled(sso=riverside, enabled=False)

    page = browser.get(f"{site}/sso/find/", params={"email": ADA})

    assert "Sign in with Riverside College" not in page.text
    assert "There is no institution sign-in for ada@riverside.ac.uk" in page.text
    assert browser.session.post(
        f"{site}/accounts/oidc/riverside/login/", timeout=15
    ).status_code in (403, 404)


def test_an_unverified_email_signs_nobody_up_without_confirming_it(
    riverside: SingleSignOn, oidc_provider: OidcProvider, site: str, browser: Browser
) -> None:
    oidc_provider.misbehave(claims={"email_verified": False})

    signup = sign_in(browser, site, oidc_provider)

    assert signup.url.startswith(f"{site}/accounts/3rdparty/signup/")
    assert not User.objects.exists()
    sent = browser.submit(signup, action="/accounts/3rdparty/signup/", name="Ada Lovelace")
    user = User.objects.get(email=ADA)
    assert not user.emailaddress_set.get().verified
    assert "/accounts/confirm-email/" in sent.url
    assert "/accounts/login/" in browser.get(f"{site}/dashboard/").url
