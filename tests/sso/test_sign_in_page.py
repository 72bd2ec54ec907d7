"""The sign-in page offers an institution's single sign-on only for its email domains."""

import pytest
from django.test import Client

from accounts.sso import services
from accounts.sso.models import SingleSignOn
from tests.sso.test_staff_pages import existing_oidc

pytestmark = pytest.mark.django_db


@pytest.fixture
def hillside() -> SingleSignOn:
    return existing_oidc("hillside", ("hillside.ac.uk", "students.hillside.ac.uk"))


def test_the_sign_in_page_asks_for_the_institution_email_not_a_list_of_providers(
    client: Client, hillside: SingleSignOn
) -> None:
    page = client.get("/accounts/login/").content.decode()

    assert "Through your college or university" in page
    assert 'action="/sso/find/"' in page
    assert "js/sso-lookup" in page
    assert "Hillside" not in page


@pytest.mark.parametrize("page", ["/accounts/login/", "/accounts/signup/"])
def test_without_any_institution_sign_in_there_is_no_second_email_field(
    client: Client, page: str
) -> None:
    html = client.get(page).content.decode()
    assert "Through your college or university" not in html
    assert 'id="sso-email"' not in html


def test_a_disabled_only_configuration_offers_no_lookup(
    client: Client, hillside: SingleSignOn
) -> None:
    services.sso_set_enabled(sso=hillside, enabled=False)
    assert 'id="sso-email"' not in client.get("/accounts/login/").content.decode()


def test_a_matching_domain_offers_the_institution_button(
    client: Client, hillside: SingleSignOn
) -> None:
    response = client.get(
        "/sso/find/", {"email": "Sam@Students.Hillside.ac.uk", "next": "/badges/"}
    )

    page = response.content.decode()
    assert "Sign in with Hillside" in page
    assert 'action="/accounts/oidc/hillside/login/"' in page
    assert 'name="next" value="/badges/"' in page
    # The button's redirect to the provider is allowed by this page's policy only.
    assert "form-action 'self' https://hillside.test" in response["Content-Security-Policy"]


def test_another_domain_gets_a_plain_answer_and_the_usual_policy(
    client: Client, hillside: SingleSignOn
) -> None:
    response = client.get("/sso/find/", {"email": "sam@elsewhere.example"})

    page = response.content.decode()
    assert "There is no institution sign-in for sam@elsewhere.example" in page
    assert "/accounts/oidc/" not in page
    assert "form-action 'self';" in response["Content-Security-Policy"]


def test_a_disabled_institution_is_not_offered(client: Client, hillside: SingleSignOn) -> None:
    services.sso_set_enabled(sso=hillside, enabled=False)

    assert (
        "Sign in with Hillside"
        not in client.get("/sso/find/", {"email": "sam@hillside.ac.uk"}).content.decode()
    )


def test_a_next_address_on_another_site_is_dropped(client: Client, hillside: SingleSignOn) -> None:
    page = client.get(
        "/sso/find/", {"email": "sam@hillside.ac.uk", "next": "https://evil.example/"}
    ).content.decode()

    assert "evil.example" not in page


FOUND_URL = "/sso/find/?email=sam%40hillside.ac.uk"


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("sam@hillside.ac.uk", {"institution": "Hillside", "url": FOUND_URL}),
        ("sam@elsewhere.example", {"institution": None, "url": None}),
        ("no-at-sign", {"institution": None, "url": None}),
    ],
)  # fmt: skip
def test_the_lookup_answers_javascript_as_json(
    client: Client, hillside: SingleSignOn, email: str, expected: dict[str, object]
) -> None:
    assert client.get("/sso/find/", {"email": email, "format": "json"}).json() == expected
