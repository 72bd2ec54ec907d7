"""The staff pages that configure single sign-on: who may reach them, and every bad
input refused with a message and nothing saved."""

from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialApp
from django.test import Client

from accounts.sso import services
from accounts.sso.discovery import IdentityProvider
from accounts.sso.models import SingleSignOn
from tests.conftest import People
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
OIDC_POST = {
    "institution_name": "Riverside College",
    "institution_slug": "riverside",
    "email_domains": "riverside.ac.uk\nstudents.riverside.ac.uk",
    "enabled": "on",
    "issuer_url": ISSUER,
    "client_id": "portfolio",
    "client_secret": "a-secret",
    "name_claim": "name",
}


def existing_oidc(
    slug: str = "hillside", domains: tuple[str, ...] = ("hillside.ac.uk",)
) -> SingleSignOn:
    return services.sso_save(
        sso=None,
        institution=services.Institution(slug=slug, name=slug.title()),
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
def admin_client(client: Client, people: People) -> Client:
    client.force_login(people.admin)
    return client


@pytest.fixture
def hillside(db: None) -> SingleSignOn:
    return existing_oidc()


PAGES = [
    ("list", lambda sso: "/staff/sso/", "get"),
    ("add OIDC", lambda sso: "/staff/sso/add/openid_connect/", "get"),
    ("add SAML", lambda sso: "/staff/sso/add/saml/", "get"),
    ("edit", lambda sso: f"/staff/sso/{sso.public_id}/", "get"),
    ("turn off", lambda sso: f"/staff/sso/{sso.public_id}/toggle/", "post"),
]


@pytest.mark.parametrize(("page", "url", "method"), PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_is_sent_to_sign_in(
    client: Client, hillside: SingleSignOn, page, url, method
) -> None:
    response = getattr(client, method)(url(hillside))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert SingleSignOn.objects.get().enabled


@pytest.mark.parametrize("role", ["learner", "tutor"])
@pytest.mark.parametrize(("page", "url", "method"), PAGES, ids=[p[0] for p in PAGES])
def test_learners_and_tutors_are_refused(
    client: Client, people: People, hillside: SingleSignOn, role: str, page, url, method
) -> None:
    client.force_login(getattr(people, role))
    response = getattr(client, method)(url(hillside))
    assert response.status_code == 403
    assert SingleSignOn.objects.get().enabled


def test_the_admin_sees_each_configuration(admin_client: Client, hillside: SingleSignOn) -> None:
    page = admin_client.get("/staff/sso/").content.decode()
    assert "Hillside" in page and "hillside.ac.uk" in page and "OpenID Connect" in page


def test_the_admin_adds_openid_connect_after_discovery(
    admin_client: Client, fake_web: FakeWeb
) -> None:
    fake_web.add(f"{ISSUER}/.well-known/openid-configuration", DISCOVERY)

    response = admin_client.post("/staff/sso/add/openid_connect/", OIDC_POST, follow=True)

    sso = SingleSignOn.objects.get()
    assert (sso.app.provider, sso.app.provider_id, sso.app.client_id) == (
        "openid_connect", "riverside", "portfolio",
    )  # fmt: skip
    assert sso.app.secret == "a-secret"
    assert sso.domain_names == ["riverside.ac.uk", "students.riverside.ac.uk"]
    assert sso.idp_origin == "https://auth.riverside.test"
    page = response.content.decode()
    assert "/accounts/oidc/riverside/login/callback/</code>" in page


def test_editing_keeps_the_secret_when_left_empty(admin_client: Client, fake_web: FakeWeb) -> None:
    fake_web.add(f"{ISSUER}/.well-known/openid-configuration", DISCOVERY)
    admin_client.post("/staff/sso/add/openid_connect/", OIDC_POST)
    sso = SingleSignOn.objects.get()

    admin_client.post(
        f"/staff/sso/{sso.public_id}/",
        {**OIDC_POST, "client_secret": "", "institution_slug": "renamed", "name_claim": "nickname"},
    )

    sso.refresh_from_db()
    sso.app.refresh_from_db()
    assert sso.app.secret == "a-secret"
    assert sso.institution_slug == "riverside"  # the short name cannot change
    assert sso.app.settings["name_claim"] == "nickname"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email_domains": "not a domain"}, "These are not email domains: not, a, domain."),
        ({"email_domains": ""}, "This field is required."),
        ({"email_domains": "hillside.ac.uk"}, "sign-in already covers hillside.ac.uk."),
        ({"institution_slug": "hillside"}, "Another sign-in already uses this short name."),
        ({"institution_slug": "no spaces"}, "Enter a valid “slug”"),
        ({"client_secret": ""}, "This field is required."),
        ({"issuer_url": f"{ISSUER}/elsewhere"}, "openid-configuration answered 404"),
        ({"issuer_url": "https://other.riverside.test"}, f"calls itself {ISSUER}, not https://other"),
        ({"issuer_url": "http://127.0.0.1:9/"}, "Could not read"),
    ],
    ids=["bad domain", "no domain", "taken domain", "taken slug", "bad slug", "no secret",
         "no discovery", "issuer mismatch", "private address"],
)  # fmt: skip
def test_bad_openid_connect_input_is_refused(
    admin_client: Client,
    hillside: SingleSignOn,
    fake_web: FakeWeb,
    change: dict[str, str],
    message: str,
) -> None:
    fake_web.add(f"{ISSUER}/.well-known/openid-configuration", DISCOVERY)
    fake_web.add("https://other.riverside.test/.well-known/openid-configuration", DISCOVERY)

    response = admin_client.post("/staff/sso/add/openid_connect/", {**OIDC_POST, **change})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert SingleSignOn.objects.count() == 1
    assert SocialApp.objects.count() == 1


SAML_POST = {
    "institution_name": "Riverside College",
    "institution_slug": "riverside",
    "email_domains": "riverside.ac.uk",
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
        "/staff/sso/add/saml/",
        {
            **SAML_POST,
            "entity_id": "https://idp.riverside.test/saml",
            "sso_url": "https://idp.riverside.test/sso",
            "x509cert": certificate,
        },
        follow=True,
    )

    sso = SingleSignOn.objects.get()
    assert (sso.app.provider, sso.app.client_id) == ("saml", "riverside")
    assert sso.app.settings["idp"]["x509cert"] in "".join(certificate.split())
    assert sso.idp_origin == "https://idp.riverside.test"
    page = response.content.decode()
    assert "/accounts/saml/riverside/acs/" in page
    assert "/accounts/saml/riverside/metadata/" in page


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

    response = admin_client.post("/staff/sso/add/saml/", {**SAML_POST, **change})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SingleSignOn.objects.exists()
    assert not SocialApp.objects.exists()


def test_an_unknown_protocol_is_not_found(admin_client: Client) -> None:
    assert admin_client.get("/staff/sso/add/ldap/").status_code == 404


def test_the_admin_turns_a_sign_in_off_and_on(admin_client: Client, hillside: SingleSignOn) -> None:
    admin_client.post(f"/staff/sso/{hillside.public_id}/toggle/")
    hillside.refresh_from_db()
    assert not hillside.enabled
    admin_client.post(f"/staff/sso/{hillside.public_id}/toggle/")
    hillside.refresh_from_db()
    assert hillside.enabled


def test_turning_off_needs_a_post(admin_client: Client, hillside: SingleSignOn) -> None:
    assert admin_client.get(f"/staff/sso/{hillside.public_id}/toggle/").status_code == 405
