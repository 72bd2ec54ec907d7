"""An institution with SAML single sign-on invites a learner; the invitation offers
"Sign in with <institution>" beside a password, and the learner takes it: they arrive
on their dashboard in the account they were invited to, a member of the institution.
The identity provider is pysaml2's IdP on loopback (tests/sso/idp_saml.py)."""

import re

import pytest
import requests
from django.core import mail
from playwright.sync_api import expect

from accounts.institutions.models import Membership
from accounts.institutions.services import institution_default
from accounts.models import User
from accounts.sso import discovery, services
from tests.browser.journey import Journey
from tests.factories import PASSWORD, InstitutionAdminFactory
from tests.sso.idp_saml import SamlIdentityProvider
from tests.sso.providers import saml_provider  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)
ADA = "ada@riverside.ac.uk"


class TestAnInvitedLearner:
    def test_signs_in_with_their_institution_from_the_invitation(
        self,
        journey: Journey,
        saml_provider: SamlIdentityProvider,  # noqa: F811
    ) -> None:
        saml_provider.reset()
        riverside = institution_default()
        riverside.name, riverside.email_domains = "Riverside College", ["riverside.ac.uk"]
        riverside.save()
        services.sso_save(
            sso=None,
            institution=riverside,
            email_domains=["riverside.ac.uk"],
            enabled=True,
            saml=services.SamlIdp(
                idp=discovery.saml_metadata_parse(xml=saml_provider.metadata_xml()),
                email_authoritative=True,
            ),
        )
        saml_provider.sp_metadata = requests.get(
            f"{journey.base_url}/accounts/saml/default/metadata/", timeout=10
        ).text
        account = InstitutionAdminFactory.create(name="Ann Admin")

        admin = journey.person("admin")
        page = admin.page
        admin.log_in(account.email, PASSWORD)
        admin.check("dashboard")
        admin.open("/staff/default/people/invite/", "invite")
        page.get_by_label("Email address").fill("ada at riverside")
        page.get_by_label("Name (required)").fill("Ada")
        page.get_by_role("button", name="Send the invitation").click()
        expect(page.locator(".field-errors")).to_contain_text("Enter a valid email address.")
        admin.check("invite-invalid")
        page.get_by_label("Email address").fill(ADA)
        page.get_by_role("button", name="Send the invitation").click()
        expect(page.locator(".messages")).to_contain_text(f"{ADA} is invited")
        admin.check("invited")

        (message,) = [m for m in mail.outbox if m.to == [ADA]]
        assert "Sign in with your Riverside College account, or choose a password" in str(
            message.body
        )
        link = re.search(r"https?://\S+/invitations/\S+/", str(message.body))
        assert link is not None
        learner = journey.person("learner")
        page = learner.page
        page.goto(link.group(0))
        expect(page.get_by_role("heading", level=1)).to_have_text("Join Riverside College")
        expect(page.get_by_role("button", name="Save and sign in")).to_be_visible()
        learner.check("invitation-with-sso")
        page.get_by_role("button", name="Sign in with Riverside College").click()
        page.wait_for_url(f"{saml_provider.base}/**")
        page.get_by_role("button", name="Continue").click()  # the IdP's own page
        page.wait_for_url(f"{journey.base_url}/learner/")
        expect(page.locator("body")).to_contain_text("Ada")
        learner.check("dashboard-after-invitation-sso")

        ada = User.objects.get(email=ADA)
        assert ada.socialaccount_set.get().provider == "default"
        membership = Membership.objects.get(user=ada)
        assert membership.role == "learner" and membership.joined_at is not None
