"""allauth's single sign-on hooks: which emails an identity provider may vouch for,
which existing accounts a sign-in links to, the name it brings, and the membership of
the institution it gives.

The rule: an identity provider's email is verified only when it says so (OpenID
Connect's email_verified, or a SAML provider its institution marked authoritative) and
the address is on one of that institution's email domains. Only a verified address
links to an existing account, and only to one whose own address is verified, or to an
invited account nobody has used yet (no password, never signed in: only the invitation
email could open it); anything else that meets an existing account is refused with a
message, never merged. Whoever signs in becomes a member of the institution
(services.sso_sign_in_membership); a suspended member is refused.
"""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.sso.models import Protocol, SingleSignOn
from accounts.sso.services import SignInRefused, sso_sign_in_membership


def sso_for_app(app: SocialApp | None) -> SingleSignOn | None:
    if app is None or app.pk is None:
        return None
    cached = getattr(app, "_sso", None)
    if cached is None:
        cached = (
            SingleSignOn.objects.filter(app=app)
            .select_related("institution")
            .prefetch_related("domains")
            .first()
        )
        app._sso = cached
    return cached


def _first(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


def mapped_name(*, sso: SingleSignOn, sociallogin: SocialLogin) -> str:
    """The person's name from the configured claim or attributes."""
    data = sociallogin.account.extra_data or {}
    settings = sso.app.settings or {}
    if sso.protocol == Protocol.OIDC:
        claim = settings.get("name_claim") or "name"
        for source in (data.get("userinfo") or {}, data.get("id_token") or {}):
            if name := _first(source.get(claim)):
                return name
            given, family = _first(source.get("given_name")), _first(source.get("family_name"))
            if given or family:
                return f"{given} {family}".strip()
        return ""
    mapping = settings.get("attribute_mapping") or {}

    def attribute(key: str) -> str:
        return next((_first(data.get(name)) for name in mapping.get(key, []) if data.get(name)), "")

    return attribute("name") or f"{attribute('first_name')} {attribute('last_name')}".strip()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        """Only enabled configurations can start or finish a sign-in."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        enabled = set(
            SingleSignOn.objects.enabled()
            .filter(app__in=[a for a in apps if a.pk])
            .values_list("app_id", flat=True)
        )
        return [a for a in apps if a.pk in enabled]

    def is_email_verified(self, provider: Any, email: str) -> bool:
        # Called for every address allauth extracts; it can only turn one verified.
        sso = sso_for_app(provider.app)
        return bool(
            sso and sso.protocol == Protocol.SAML and sso.email_authoritative and sso.covers(email)
        )

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict) -> Any:
        user = super().populate_user(request, sociallogin, data)
        sso = sso_for_app(sociallogin.provider.app)
        if sso is None:
            return user
        # An identity provider vouches only for its own institution's domains.
        for address in sociallogin.email_addresses:
            if address.verified and not sso.covers(address.email):
                address.verified = False
        user.name = mapped_name(sso=sso, sociallogin=sociallogin)[:150]
        return user

    def authenticate_by_email(self, sociallogin: SocialLogin) -> tuple[Any, str] | None:
        """Link only a verified claim to an account whose own address is verified, or to
        an unused invited account of the institution."""
        sso = sso_for_app(sociallogin.provider.app)
        for address in sociallogin.email_addresses:
            if not address.verified:
                continue
            local = (
                EmailAddress.objects.filter(email__iexact=address.email, verified=True)
                .select_related("user")
                .first()
            )
            if local and local.user.is_active:
                return local.user, address.email
            invited = _unused_invited_account(sso=sso, email=address.email) if sso else None
            if invited is not None:
                return invited, address.email
        return None

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form=form)
        if sso := sso_for_app(sociallogin.provider.app):
            sso_sign_in_membership(sso=sso, user=user)  # a new person: never refused
        return user

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        # Without a verified address, the person confirms it by email first.
        return any(
            a.verified for a in sociallogin.email_addresses
        ) and super().is_auto_signup_allowed(request, sociallogin)

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        sso = sso_for_app(sociallogin.provider.app)
        if sso is None:
            return
        if sociallogin.is_existing:
            user = sociallogin.user
            assert user is not None
            try:
                sso_sign_in_membership(sso=sso, user=user)
            except SignInRefused as refused:
                messages.error(request, str(refused))
                raise ImmediateHttpResponse(redirect("account_login")) from None
            if not user.name:
                user.name = mapped_name(sso=sso, sociallogin=sociallogin)[:150]
                user.save(update_fields=["name"])
            # An invited account's address is confirmed by the provider's verified claim
            # (authenticate_by_email linked it on no other grounds).
            EmailAddress.objects.filter(
                user=user,
                email__iexact=sociallogin._did_authenticate_by_email or "",
                verified=False,
            ).update(verified=True)
            return
        for address in sociallogin.email_addresses:
            if User.objects.filter(email__iexact=address.email).exists():
                self._refuse_link(
                    request, sso=sso, email=address.email, claim_verified=address.verified
                )

    def _refuse_link(
        self, request: HttpRequest, *, sso: SingleSignOn, email: str, claim_verified: bool
    ) -> None:
        if claim_verified:
            # Our side is unconfirmed: that account may have been opened by someone else.
            text = _(
                "An account for %(email)s already exists here but its address was never "
                "confirmed, so your %(institution)s sign-in was not linked to it. Sign in "
                "with its password and confirm the address, or ask your institution's admin."
            )
        else:
            text = _(
                "%(institution)s did not confirm that %(email)s is your address, so your "
                "sign-in was not linked to the existing account for it. Sign in with your "
                "password instead, or ask your institution's admin."
            )
        messages.error(request, text % {"email": email, "institution": sso.institution.name})
        raise ImmediateHttpResponse(redirect("account_login"))


def _unused_invited_account(*, sso: SingleSignOn, email: str) -> User | None:
    """An account the institution invited and nobody has used: no usable password,
    never signed in. Only the invitation email could have opened it, so the person the
    provider vouches for at that address may take it."""
    user = User.objects.filter(
        email__iexact=email,
        is_active=True,
        last_login__isnull=True,
        memberships__institution_id=sso.institution_id,
    ).first()
    return user if user is not None and not user.has_usable_password() else None
