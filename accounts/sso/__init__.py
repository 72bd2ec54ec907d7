"""Single sign-on per institution: OpenID Connect and SAML 2.0 through django-allauth.

An institution's admin configures its identity provider on /staff/<slug>/sso/; the
configuration is a `SingleSignOn` row holding our own facts (its institution, which of
the institution's email domains it covers, on or off) and an allauth `SocialApp`
holding what allauth needs to talk to the provider (provider "openid_connect" or
"saml", provider_id the institution's slug when it was made; see services.sso_save).
The sign-in page offers an institution's button when the email typed there is on one
of its domains (views.sso_find), and so does an invitation (buttons.py).
accounts/social_adapter.py decides which emails count as verified, which existing
accounts a sign-in may link to, and makes the person a member of the institution.
"""
