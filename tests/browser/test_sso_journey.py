"""An institution admin sets up SAML single sign-on on the institution's staff pages
(told first to list the institution's email domains, then what is missing), and a
learner of that institution then signs in with it from the sign-in page: the button
appears as they type their email, and they arrive as a member of the institution.
The identity provider is pysaml2's IdP on loopback (tests/sso/idp_saml.py)."""

import pytest
import requests
from playwright.sync_api import expect

from accounts.institutions.models import Membership
from accounts.models import User
from accounts.sso.models import SingleSignOn
from tests.browser.journey import Journey
from tests.factories import PASSWORD, InstitutionAdminFactory
from tests.sso.idp_saml import SamlIdentityProvider
from tests.sso.providers import saml_provider  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


class TestAnInstitution:
    def test_sets_up_saml_and_its_learner_signs_in_with_it(
        self,
        journey: Journey,
        saml_provider: SamlIdentityProvider,  # noqa: F811
    ) -> None:
        saml_provider.reset()
        account = InstitutionAdminFactory.create(name="Ada Admin")
        admin = journey.person("admin")
        page = admin.page
        admin.log_in(account.email, PASSWORD)
        admin.check("dashboard")
        page.get_by_role("link", name="Single sign-on").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on")
        expect(page.locator("main")).to_contain_text("No single sign-on yet.")
        admin.check("sso-empty")

        page.get_by_role("link", name="Add SAML 2.0").click()
        expect(page.locator("main")).to_contain_text("has no email domains yet")
        admin.check("sso-add-without-domains")
        page.get_by_role("link", name="Branding page").click()
        page.get_by_label("Name (required)").fill("Riverside College")
        page.get_by_label("Email domains").fill("riverside.ac.uk")
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".messages")).to_contain_text("The branding is saved.")
        admin.check("branding-with-domains")
        staff_nav = page.get_by_role("navigation", name="Staff pages for Riverside College")
        staff_nav.get_by_role("link", name="Single sign-on").click()
        page.get_by_role("link", name="Add SAML 2.0").click()
        expect(page.get_by_label("riverside.ac.uk")).to_be_checked()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".form-errors")).to_contain_text(
            "Give the metadata URL, the metadata XML, or the entity ID"
        )
        admin.check("sso-add-saml-invalid")
        assert not SingleSignOn.objects.exists()

        page.get_by_label("Or its metadata XML").fill(saml_provider.metadata_xml())
        page.get_by_label("Its email addresses are verified").check()
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Riverside College: SAML 2.0")
        details = page.locator("section", has_text="For the identity provider's admin")
        expect(details).to_contain_text("/accounts/saml/default/acs/")
        admin.check("sso-saml-saved")
        metadata_url = f"{journey.base_url}/accounts/saml/default/metadata/"
        saml_provider.sp_metadata = requests.get(metadata_url, timeout=10).text

        learner = journey.person("learner")
        page = learner.page
        learner.open("/accounts/login/", "sign-in")
        page.locator("form[action='/accounts/login/']").get_by_label("Email").fill(
            "ada@riverside.ac.uk"
        )
        offer = page.get_by_role("link", name="Sign in with Riverside College")
        expect(offer).to_be_visible()
        learner.check("sign-in-offers-sso")
        offer.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Sign in through your institution"
        )
        learner.check("sso-continue")
        page.get_by_role("button", name="Sign in with Riverside College").click()
        page.wait_for_url(f"{saml_provider.base}/**")
        page.get_by_role("button", name="Continue").click()  # the IdP's own page
        page.wait_for_url(f"{journey.base_url}/**")
        expect(page.locator("body")).to_contain_text("Ada Lovelace")
        learner.check("dashboard-after-sso")
        ada = User.objects.get(email="ada@riverside.ac.uk")
        assert ada.name == "Ada Lovelace"
        membership = Membership.objects.get(user=ada)
        assert (membership.institution.name, membership.role) == ("Riverside College", "learner")
