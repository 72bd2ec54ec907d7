"""Single sign-on per institution: OpenID Connect and SAML 2.0 through django-allauth.

An institution admin configures its identity provider on /staff/sso/; each configuration
is a `SingleSignOn` row holding our own facts (institution, email domains, on or off)
and an allauth `SocialApp` holding what allauth needs to talk to the provider
(provider "openid_connect" or "saml", provider_id the institution's short name; see
services.sso_save). The sign-in page offers an institution's button when the email
typed there is on one of its domains (views.sso_find). accounts/social_adapter.py decides which emails count as
verified and so which existing accounts a sign-in may link to.
"""
