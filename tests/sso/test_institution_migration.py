"""Single sign-on made before institutions joins the institution its placeholder named,
and keeps the provider id the identity provider's admin registered."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.institutions.models import Institution
from accounts.sso.models import SingleSignOn

BEFORE = [
    ("accounts", "0003_single_sign_on"),
    ("accounts", "0006_merge_0002_encrypt_mfa_secrets_0005_onboarding_batch"),
]


def _old_sso(apps: Any, *, slug: str, name: str, domains: list[str]) -> None:
    app = apps.get_model("socialaccount", "SocialApp").objects.create(
        provider="openid_connect", provider_id=slug, name=name, client_id="c"
    )
    sso = apps.get_model("accounts", "SingleSignOn").objects.create(
        institution_slug=slug, institution_name=name, protocol="openid_connect", app=app
    )
    for domain in domains:
        sso.domains.create(domain=domain)


@pytest.mark.django_db(transaction=True)
def test_each_sign_in_joins_the_institution_its_placeholder_named() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    OldInstitution = apps.get_model("accounts", "Institution")
    OldInstitution.objects.create(name="Default", slug="default", email_domains=["site.example"])
    OldInstitution.objects.create(name="Hillside Uni", slug="hillside")
    _old_sso(apps, slug="hillside", name="Hillside", domains=["hillside.ac.uk"])
    _old_sso(apps, slug="riverside", name="Riverside College", domains=["riverside.ac.uk"])
    _old_sso(apps, slug="lakeside", name="Lakeside College", domains=["lakeside.ac.uk"])

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    found = {
        sso.app.provider_id: (sso.institution.slug, sso.institution.name, sso.domain_names)
        for sso in SingleSignOn.objects.select_related("app", "institution")
    }
    assert found == {
        # The same slug: that institution.
        "hillside": ("hillside", "Hillside Uni", ["hillside.ac.uk"]),
        # Before institutions the site was one: its default institution.
        "riverside": ("default", "Default", ["riverside.ac.uk"]),
        # The default has one already: a new institution from the placeholder.
        "lakeside": ("lakeside", "Lakeside College", ["lakeside.ac.uk"]),
    }
    domains = dict(Institution.objects.values_list("slug", "email_domains"))
    assert domains == {
        "default": ["site.example", "riverside.ac.uk"],
        "hillside": ["hillside.ac.uk"],
        "lakeside": ["lakeside.ac.uk"],
    }
