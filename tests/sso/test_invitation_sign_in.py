"""An invitation offers the institution's single sign-on when it covers the invited
address, and signing in with it takes up the invitation: the same account, its address
confirmed, the membership joined. Against the real OpenID Connect provider."""

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from accounts.institutions.invitations import invitation_url, member_invite
from accounts.institutions.models import Membership, MembershipRole
from accounts.models import User
from accounts.sso import services
from accounts.sso.models import SingleSignOn
from tests.factories import InstitutionFactory
from tests.sso.browserlike import Browser
from tests.sso.providers import OidcProvider
from tests.sso.test_oidc_sign_in import ADA, riverside  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def invite(sso: SingleSignOn, email: str = ADA) -> User:
    membership, created = member_invite(
        institution=sso.institution, email=email, name="Ada", role=MembershipRole.LEARNER
    )
    assert created
    return membership.user


def open_invitation(browser: Browser, user: User) -> requests.Response:
    page = browser.get(invitation_url(user=user))
    assert page.status_code == 200
    return page


def test_the_invitation_offers_the_institution_sign_in_as_well_as_a_password(
    riverside: SingleSignOn,  # noqa: F811
    browser: Browser,
) -> None:
    page = open_invitation(browser, invite(riverside))

    assert "Join Riverside College" in page.text
    form = browser.form(page, button="Sign in with Riverside College")
    assert form.action == "/accounts/oidc/riverside/login/"
    assert form.fields["next"] == "/dashboard/"
    assert browser.form(page, button="Save and sign in")
    assert f"form-action 'self' {riverside.idp_origin}" in page.headers["Content-Security-Policy"]


def test_no_sign_in_is_offered_when_it_is_off_or_for_another_domain(
    riverside: SingleSignOn,  # noqa: F811
    browser: Browser,
) -> None:
    elsewhere = invite(riverside, email="ada@elsewhere.example")
    services.sso_set_enabled(sso=riverside, enabled=False)
    covered = invite(riverside)

    for user in (elsewhere, covered):
        page = open_invitation(browser, user)
        assert "Sign in with Riverside College" not in page.text
        assert "Choose your password" in page.text
        assert "form-action 'self';" in page.headers["Content-Security-Policy"]


def test_no_sign_in_is_offered_by_an_institution_the_person_is_not_in(
    riverside: SingleSignOn,  # noqa: F811
    browser: Browser,
) -> None:
    other = InstitutionFactory.create(name="Other College")
    membership, _ = member_invite(institution=other, email=ADA, name="Ada", role="learner")

    page = open_invitation(browser, membership.user)

    assert "Sign in with Riverside College" not in page.text


def test_signing_in_with_it_takes_up_the_invitation(
    riverside: SingleSignOn,  # noqa: F811
    oidc_provider: OidcProvider,
    site: str,
    browser: Browser,
) -> None:
    invited = invite(riverside)
    link = invitation_url(user=invited)
    page = open_invitation(browser, invited)

    idp_page = browser.submit(page, button="Sign in with Riverside College")
    landed = browser.submit(
        idp_page, button="Sign in", username="ada", password=oidc_provider.password
    )

    assert landed.url == f"{site}/learner/", landed.url  # the learner's dashboard
    assert User.objects.filter(email__iexact=ADA).count() == 1
    assert SocialAccount.objects.get(user=invited).provider == "riverside"
    assert EmailAddress.objects.get(user=invited).verified
    membership = Membership.objects.get(user=invited)
    assert (membership.role, membership.joined_at is not None) == (MembershipRole.LEARNER, True)
    assert Browser().get(link).status_code == 410  # the link is spent


def test_an_unverified_claim_does_not_take_up_the_invitation(
    riverside: SingleSignOn,  # noqa: F811
    oidc_provider: OidcProvider,
    site: str,
    browser: Browser,
) -> None:
    oidc_provider.misbehave(claims={"email_verified": False})
    invited = invite(riverside)

    idp_page = browser.submit(
        open_invitation(browser, invited), button="Sign in with Riverside College"
    )
    page = browser.submit(
        idp_page, button="Sign in", username="ada", password=oidc_provider.password
    )

    assert "did not confirm that ada@riverside.ac.uk is your address" in page.text
    assert not SocialAccount.objects.exists()
    assert not EmailAddress.objects.get(user=invited).verified
    assert "/accounts/login/" in browser.get(f"{site}/dashboard/").url


def test_an_account_someone_opened_with_a_password_is_not_taken_over(
    riverside: SingleSignOn,  # noqa: F811
    oidc_provider: OidcProvider,
    site: str,
    browser: Browser,
) -> None:
    """Someone signed up with Ada's address and a password they know, and never
    confirmed it: Ada's sign-in must not hand them her session later."""
    squatter = invite(riverside)
    squatter.set_password("the-squatter-knows-this")
    squatter.save()

    page = browser.submit(
        browser.submit(
            browser.get(f"{site}/sso/find/", params={"email": ADA}),
            button="Sign in with Riverside College",
        ),
        button="Sign in",
        username="ada",
        password=oidc_provider.password,
    )

    assert "already exists here but its address was never confirmed" in page.text
    assert not SocialAccount.objects.exists()
    assert "/accounts/login/" in browser.get(f"{site}/dashboard/").url
