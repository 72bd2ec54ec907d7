"""An institution admin trusts an issuer registry: uploads a file that is not one (and is
told what is wrong), then the DCC registry.json, sees it listed with its issuer count and
reads the issuers it lists."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from badges.models import IssuerRegistry
from tests.badges.registries import EXAMPLE_ISSUERS, registry_bytes
from tests.browser.journey import Journey
from tests.factories import PASSWORD, InstitutionAdminFactory

pytestmark = pytest.mark.django_db(transaction=True)


class TestAnInstitutionAdmin:
    def test_trusts_an_issuer_registry_by_uploading_it(
        self, journey: Journey, tmp_path: Path
    ) -> None:
        account = InstitutionAdminFactory.create(name="Ada Admin")
        not_a_registry = tmp_path / "issuers.json"
        not_a_registry.write_text('{"registry": {"Example University": {"name": "Example"}}}')
        dcc_registry = tmp_path / "registry.json"
        dcc_registry.write_bytes(registry_bytes())

        admin = journey.person("admin")
        page = admin.page
        admin.log_in(account.email, PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("Institution")
        admin.check("dashboard")
        page.get_by_role("link", name="Trusted issuer registries").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Issuer registries")
        expect(page.locator("main")).to_contain_text("No registries yet.")
        admin.check("registries-empty")

        page.get_by_role("link", name="Add a registry").click()
        admin.check("add-registry")
        expect(page.get_by_label("Detect automatically")).to_be_checked()
        page.get_by_label("Name").fill("DCC member registry")
        page.get_by_label("Or upload a registry file").set_input_files(not_a_registry)
        page.get_by_role("button", name="Read and add").click()
        errors = page.locator(".field-errors")
        expect(errors).to_contain_text("“Example University” (line 1) is neither a DID")
        expect(errors).to_contain_text("Nothing was changed.")
        admin.check("add-registry-invalid")
        assert not IssuerRegistry.objects.exists()

        expect(page.get_by_label("Name")).to_have_value("DCC member registry")
        page.get_by_label("Or upload a registry file").set_input_files(dcc_registry)
        page.get_by_role("button", name="Read and add").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("DCC member registry")
        expect(page.locator(".messages")).to_contain_text(
            "“DCC member registry” is trusted now. It lists 2 issuers."
        )
        admin.check("registry-added")

        page.get_by_role("link", name="All issuer registries").click()
        card = page.locator(".card", has_text="DCC member registry")
        expect(card).to_contain_text("Uploaded file registry.json")
        expect(card).to_contain_text("Digital Credentials Consortium registry")
        admin.check("registries")
        card.get_by_role("link", name=re.compile("See its 2 issuers")).click()
        table = page.get_by_role("table", name="Issuers listed in DCC member registry")
        for issuer_id in EXAMPLE_ISSUERS:
            expect(table).to_contain_text(issuer_id)
        admin.check("issuers")

        page.get_by_label("Search by name, id or web address").fill("college")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("status")).to_contain_text("1 issuer matches")
        expect(table.get_by_role("row")).to_have_count(2)  # the header and Example College
        expect(table).to_contain_text("Example College")
        admin.check("issuers-search")
