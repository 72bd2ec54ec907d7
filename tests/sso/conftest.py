from tests.sso.providers import browser, oidc_provider, saml_provider, site

__all__ = ["browser", "oidc_provider", "saml_provider", "site"]
