"""The staff pages that configure an institution's single sign-on
(/staff/<slug>/sso/): who may reach them, and every bad input refused with a message
and nothing saved."""

from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialApp
from django.test import Client

from accounts.institutions.models import Institution, Membership, MembershipState
from accounts.institutions.services import institution_default
from accounts.sso import services
from accounts.sso.discovery import IdentityProvider
from accounts.sso.models import SingleSignOn
from tests.conftest import People
from tests.factories import (
    InstitutionAdminFactory,
    InstitutionFactory,
    LearnerFactory,
    TutorFactory,
)
from tests.fakeweb import FakeWeb
from tests.sso.idp_saml import key_and_certificate

ISSUER = "https://login.riverside.test"
DISCOVERY = {
    "issuer": ISSUER,
    "authorization_endpoint": "https://auth.riverside.test/authorize",
    "token_endpoint": f"{ISSUER}/token",
    "jwks_uri": f"{ISSUER}/jwks",
    "userinfo_endpoint": f"{ISSUER}/userinfo",
}
RIVERSIDE_DOMAINS = ["riverside.ac.uk", "students.riverside.ac.uk"]
OIDC_POST = {
    "email_domains": RIVERSIDE_DOMAINS,
    "enabled": "on",
    "issuer_url": ISSUER,
    "client_id": "portfolio",
    "client_secret": "a-secret",
    "name_claim": "name",
}


def existing_oidc(
    slug: str = "hillside", domains: tuple[str, ...] = ("hillside.ac.uk",)
) -> SingleSignOn:
    """Another institution with OpenID Connect for `domains`."""
    institution = InstitutionFactory.create(
        slug=slug, name=slug.title(), email_domains=list(domains)
    )
    return services.sso_save(
        sso=None,
        institution=institution,
        email_domains=list(domains),
        enabled=True,
        oidc=services.OidcClient(
            issuer_url=f"https://{slug}.test",
            client_id="c",
            client_secret="s",
            idp=IdentityProvider(origin=f"https://{slug}.test"),
        ),
    )


@pytest.fixture
def riverside(people: People) -> Institution:
    """The `people` fixture's institution (its admin is people.admin), with domains."""
    institution = institution_default()
    institution.name, institution.email_domains = "Riverside College", RIVERSIDE_DOMAINS
    institution.save()
    return institution


@pytest.fixture
def admin_client(client: Client, people: People, riverside: Institution) -> Client:
    client.force_login(people.admin)
    return client


@pytest.fixture
def hillside(db: None) -> SingleSignOn:
    return existing_oidc()


def base(sso: SingleSignOn) -> str:
    return f"/staff/{sso.institution.slug}/sso"


PAGES = [
    ("list", lambda sso: f"{base(sso)}/", "get"),
    ("add OIDC", lambda sso: f"{base(sso)}/add/openid_connect/", "get"),
    ("add OIDC", lambda sso: f"{base(sso)}/add/openid_connect/", "post"),
    ("add SAML", lambda sso: f"{base(sso)}/add/saml/", "get"),
    ("edit", lambda sso: f"{base(sso)}/{sso.public_id}/", "get"),
    ("save", lambda sso: f"{base(sso)}/{sso.public_id}/", "post"),
    ("turn off", lambda sso: f"{base(sso)}/{sso.public_id}/toggle/", "post"),
]
IDS = [f"{p[2]} {p[0]}" for p in PAGES]


def unchanged(sso: SingleSignOn) -> bool:
    sso = SingleSignOn.objects.select_related("app").get(pk=sso.pk)
    return sso.enabled and sso.app.client_id == "c" and SingleSignOn.objects.count() == 1


@pytest.mark.parametrize(("page", "url", "method"), PAGES, ids=IDS)
def test_anonymous_is_sent_to_sign_in(
    client: Client, hillside: SingleSignOn, page, url, method
) -> None:
    response = getattr(client, method)(url(hillside), {**OIDC_POST, "client_id": "changed"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert unchanged(hillside)


@pytest.fixture
def hillside_admins(hillside: SingleSignOn) -> dict[str, object]:
    suspended = InstitutionAdminFactory.create(institution=hillside.institution)
    Membership.objects.filter(user=suspended).update(state=MembershipState.SUSPENDED)
    return {"suspended admin": suspended}


@pytest.mark.parametrize(
    "actor", ["learner", "tutor", "admin of another institution", "suspended admin"]
)
@pytest.mark.parametrize(("page", "url", "method"), PAGES, ids=IDS)
def test_everyone_but_the_institutions_active_admins_is_refused(
    client: Client,
    people: People,
    hillside: SingleSignOn,
    hillside_admins: dict[str, object],
    actor: str,
    page,
    url,
    method,
) -> None:
    """people.* belong to the default institution; people.admin runs it, not Hillside."""
    user = {
        "learner": LearnerFactory.create(institution=hillside.institution),
        "tutor": TutorFactory.create(institution=hillside.institution),
        "admin of another institution": people.admin,
        **hillside_admins,
    }[actor]
    client.force_login(user)  # type: ignore[arg-type]
    response = getattr(client, method)(url(hillside), {**OIDC_POST, "client_id": "changed"})
    assert response.status_code == 403
    assert unchanged(hillside)


def test_another_institutions_configuration_is_not_found_from_ours(
    admin_client: Client, riverside: Institution, hillside: SingleSignOn
) -> None:
    ours = f"/staff/{riverside.slug}/sso/{hillside.public_id}"
    assert admin_client.get(f"{ours}/").status_code == 404
    assert admin_client.post(f"{ours}/", {**OIDC_POST, "client_id": "changed"}).status_code == 404
    assert admin_client.post(f"{ours}/toggle/").status_code == 404
    assert unchanged(hillside)
    assert "Hillside" not in admin_client.get(f"/staff/{riverside.slug}/sso/").content.decode()


def test_the_staff_navigation_links_to_single_sign_on(
    admin_client: Client, riverside: Institution
) -> None:
    page = admin_client.get(f"/staff/{riverside.slug}/people/").content.decode()
    assert f'href="/staff/{riverside.slug}/sso/"' in page


def test_the_admin_sees_their_configuration(client: Client, hillside: SingleSignOn) -> None:
    client.force_login(InstitutionAdminFactory.create(institution=hillside.institution))
    page = client.get(f"{base(hillside)}/").content.decode()
    assert "hillside.ac.uk" in page and "OpenID Connect" in page and "Turn off" in page
    assert "Add SAML 2.0" not in page


def test_the_admin_adds_openid_connect_after_discovery(
    admin_client: Client, fake_web: FakeWeb
) -> None:
    fake_web.add(f"{ISSUER}/.well-known/openid-configuration", DISCOVERY)

    response = admin_client.post("/staff/default/sso/add/openid_connect/", OIDC_POST, follow=True)

    sso = SingleSignOn.objects.get()
    assert sso.institution.name == "Riverside College"
    assert (sso.app.provider, sso.app.provider_id, sso.app.client_id) == (
        "openid_connect", "default", "portfolio",
    )  # fmt: skip
    assert sso.app.secret == "a-secret"
    assert sso.domain_names == ["riverside.ac.uk", "students.riverside.ac.uk"]
    assert sso.idp_origin == "https://auth.riverside.test"
    page = response.content.decode()
    assert "/accounts/oidc/default/login/callback/</code>" in page


def test_editing_keeps_the_secret_when_left_empty_and_the_registered_addresses(
    admin_client: Client, riverside: Institution, fake_web: FakeWeb
) -> None:
    fake_web.add(f"{ISSUER}/.well-known/openid-configuration", DISCOVERY)
    admin_client.post("/staff/default/sso/add/openid_connect/", OIDC_POST)
    sso = SingleSignOn.objects.get()
    Institution.objects.filter(pk=riverside.pk).update(slug="riverside")

    response = admin_client.post(
        f"/staff/riverside/sso/{sso.public_id}/",
        {
            **OIDC_POST,
            "client_secret": "",
            "name_claim": "nickname",
            "email_domains": ["riverside.ac.uk"],
        },
    )

    assert response.status_code == 302
    sso.refresh_from_db()
    sso.app.refresh_from_db()
    assert sso.app.secret == "a-secret"
    assert sso.app.settings["name_claim"] == "nickname"
    assert sso.domain_names == ["riverside.ac.uk"]
    # The identity provider's admin registered the old address; it keeps working.
    assert sso.app.provider_id == "default"


def test_a_second_configuration_for_the_institution_is_not_made(
    admin_client: Client, riverside: Institution, fake_web: FakeWeb
) -> None:
    fake_web.add(f"{ISSUER}/.well-known/openid-configuration", DISCOVERY)
    admin_client.post("/staff/default/sso/add/openid_connect/", OIDC_POST)
    sso = SingleSignOn.objects.get()

    response = admin_client.post("/staff/default/sso/add/saml/", SAML_POST, follow=True)

    assert response.redirect_chain[-1][0] == f"/staff/default/sso/{sso.public_id}/"
    assert "Riverside College has its single sign-on already." in response.content.decode()
    assert SingleSignOn.objects.get().protocol == "openid_connect"


def test_an_institution_without_email_domains_is_told_to_add_them(
    admin_client: Client, riverside: Institution, fake_web: FakeWeb
) -> None:
    Institution.objects.filter(pk=riverside.pk).update(email_domains=[])
    fake_web.add(f"{ISSUER}/.well-known/openid-configuration", DISCOVERY)

    form = admin_client.get("/staff/default/sso/add/openid_connect/").content.decode()
    response = admin_client.post("/staff/default/sso/add/openid_connect/", OIDC_POST)

    assert "has no email domains yet" in form
    assert '<a href="/staff/default/branding/">Branding page</a>' in form
    assert response.status_code == 400
    assert not SingleSignOn.objects.exists()


def test_dropping_a_domain_from_the_institution_drops_it_from_its_sign_in(
    admin_client: Client, riverside: Institution, fake_web: FakeWeb
) -> None:
    fake_web.add(f"{ISSUER}/.well-known/openid-configuration", DISCOVERY)
    admin_client.post("/staff/default/sso/add/openid_connect/", OIDC_POST)

    admin_client.post(
        "/staff/default/branding/",
        {"name": "Riverside College", "brand_colour": "#1f4e79", "domains": "riverside.ac.uk"},
    )

    assert SingleSignOn.objects.get().domain_names == ["riverside.ac.uk"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email_domains": ["elsewhere.example"]},
         "Select a valid choice. elsewhere.example is not one of the available choices."),
        ({"email_domains": []}, "Choose at least one email domain."),
        ({"email_domains": ["riverside.ac.uk", "hillside.ac.uk"]},
         "Another institution&#x27;s sign-in already covers hillside.ac.uk."),
        ({"client_secret": ""}, "This field is required."),
        ({"issuer_url": f"{ISSUER}/elsewhere"}, "openid-configuration answered 404"),
        ({"issuer_url": "https://other.riverside.test"}, f"calls itself {ISSUER}, not https://other"),
        ({"issuer_url": "http://127.0.0.1:9/"}, "Could not read"),
    ],
    ids=["not the institution's domain", "no domain", "domain of another institution's sign-in",
         "no secret", "no discovery", "issuer mismatch", "private address"],
)  # fmt: skip
def test_bad_openid_connect_input_is_refused(
    admin_client: Client,
    riverside: Institution,
    hillside: SingleSignOn,
    fake_web: FakeWeb,
    change: dict[str, object],
    message: str,
) -> None:
    # Both list hillside.ac.uk; Hillside's sign-in covers it.
    Institution.objects.filter(pk=riverside.pk).update(
        email_domains=[*RIVERSIDE_DOMAINS, "hillside.ac.uk"]
    )
    fake_web.add(f"{ISSUER}/.well-known/openid-configuration", DISCOVERY)
    fake_web.add("https://other.riverside.test/.well-known/openid-configuration", DISCOVERY)

    response = admin_client.post("/staff/default/sso/add/openid_connect/", {**OIDC_POST, **change})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert SingleSignOn.objects.count() == 1
    assert SocialApp.objects.count() == 1


SAML_POST = {
    "email_domains": ["riverside.ac.uk"],
    "enabled": "on",
    "email_attribute": services.SAML_EMAIL_ATTRIBUTE,
    "name_attribute": services.SAML_NAME_ATTRIBUTE,
    "given_name_attribute": services.SAML_GIVEN_NAME_ATTRIBUTE,
    "family_name_attribute": services.SAML_FAMILY_NAME_ATTRIBUTE,
}


@pytest.fixture
def certificate(tmp_path: Path) -> str:
    return key_and_certificate(tmp_path, "idp")[1].read_text()


def test_the_admin_adds_saml_by_hand_and_sees_what_the_idp_admin_needs(
    admin_client: Client, certificate: str
) -> None:
    response = admin_client.post(
        "/staff/default/sso/add/saml/",
        {
            **SAML_POST,
            "entity_id": "https://idp.riverside.test/saml",
            "sso_url": "https://idp.riverside.test/sso",
            "x509cert": certificate,
        },
        follow=True,
    )

    sso = SingleSignOn.objects.get()
    assert (sso.app.provider, sso.app.client_id) == ("saml", "default")
    assert sso.app.settings["idp"]["x509cert"] in "".join(certificate.split())
    assert sso.idp_origin == "https://idp.riverside.test"
    page = response.content.decode()
    assert "/accounts/saml/default/acs/" in page
    assert "/accounts/saml/default/metadata/" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({}, "Give the metadata URL, the metadata XML, or the entity ID, sign-in URL and"),
        ({"metadata_xml": "<not-saml/>"}, "The metadata must name an identity provider"),
        ({"metadata_xml": "<unclosed"}, "The metadata is not valid SAML XML"),
        ({"metadata_url": "https://idp.riverside.test/missing"}, "answered 404, not the metadata."),
        ({"entity_id": "e", "sso_url": "https://idp.riverside.test/sso", "x509cert": "MIIBfake"},
         "The signing certificate is not a PEM certificate."),
    ],
    ids=["nothing about the idp", "not idp metadata", "not xml", "metadata url 404", "bad cert"],
)  # fmt: skip
def test_bad_saml_input_is_refused(
    admin_client: Client, fake_web: FakeWeb, change: dict[str, str], message: str
) -> None:
    fake_web.add_host("idp.riverside.test")

    response = admin_client.post("/staff/default/sso/add/saml/", {**SAML_POST, **change})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SingleSignOn.objects.exists()
    assert not SocialApp.objects.exists()


def test_an_unknown_protocol_is_not_found(admin_client: Client) -> None:
    assert admin_client.get("/staff/default/sso/add/ldap/").status_code == 404


def test_the_admin_turns_a_sign_in_off_and_on(client: Client, hillside: SingleSignOn) -> None:
    client.force_login(InstitutionAdminFactory.create(institution=hillside.institution))
    client.post(f"{base(hillside)}/{hillside.public_id}/toggle/")
    hillside.refresh_from_db()
    assert not hillside.enabled
    client.post(f"{base(hillside)}/{hillside.public_id}/toggle/")
    hillside.refresh_from_db()
    assert hillside.enabled


def test_turning_off_needs_a_post(client: Client, hillside: SingleSignOn) -> None:
    client.force_login(InstitutionAdminFactory.create(institution=hillside.institution))
    assert client.get(f"{base(hillside)}/{hillside.public_id}/toggle/").status_code == 405
