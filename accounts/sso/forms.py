"""The staff forms for an institution's identity provider, one per protocol."""

import base64
import re
from typing import Any

from cryptography import x509
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.institutions.models import Institution
from accounts.sso import discovery, services
from accounts.sso.models import SingleSignOn, SingleSignOnDomain


class SingleSignOnForm(forms.Form):
    email_domains = forms.MultipleChoiceField(
        label=_("Email domains"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Your institution's email domains (listed on the Branding page). People with "
            "these addresses are offered this sign-in, and only these addresses can be "
            "vouched for."
        ),
        error_messages={"required": _("Choose at least one email domain.")},
    )
    enabled = forms.BooleanField(label=_("Offer this sign-in"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        institution: Institution,
        instance: SingleSignOn | None = None,
        **kwargs: Any,
    ) -> None:
        self.institution = institution
        self.instance = instance
        super().__init__(*args, **kwargs)
        field = self.fields["email_domains"]
        field.choices = [(d, d) for d in institution.email_domains]  # type: ignore[attr-defined]
        if instance is None and not self.is_bound:
            self.initial.setdefault("email_domains", list(institution.email_domains))

    def clean_email_domains(self) -> list[str]:
        domains = sorted(set(self.cleaned_data["email_domains"]))
        taken = SingleSignOnDomain.objects.filter(domain__in=domains)
        if self.instance is not None:
            taken = taken.exclude(sso=self.instance)
        if taken_names := sorted(taken.values_list("domain", flat=True)):
            raise ValidationError(
                _("Another institution's sign-in already covers %(domains)s."),
                params={"domains": ", ".join(taken_names)},
            )
        return domains


class OidcForm(SingleSignOnForm):
    issuer_url = forms.URLField(
        label=_("Issuer URL"),
        assume_scheme="https",
        help_text=_(
            "The provider's address; we read its settings from "
            "/.well-known/openid-configuration under it."
        ),
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=191)
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        max_length=191,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    name_claim = forms.CharField(
        label=_("Name claim"),
        max_length=100,
        initial="name",
        help_text=_(
            "The claim that holds the person's full name. The email is always the "
            "standard email claim, trusted only when email_verified is true."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is None:
            self.fields["client_secret"].required = True
        else:
            self.fields["client_secret"].help_text = _("Leave empty to keep the saved secret.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("issuer_url") and not self.errors:
            try:
                self.idp = discovery.oidc_discover(issuer_url=data["issuer_url"])
            except ValidationError as exc:
                self.add_error("issuer_url", exc)
        return data

    def client(self) -> services.OidcClient:
        data = self.cleaned_data
        return services.OidcClient(
            issuer_url=data["issuer_url"],
            client_id=data["client_id"],
            client_secret=data["client_secret"],
            idp=self.idp,
            name_claim=data["name_claim"],
        )


class SamlForm(SingleSignOnForm):
    metadata_url = forms.URLField(
        label=_("Identity provider metadata URL"), required=False, assume_scheme="https"
    )
    metadata_xml = forms.CharField(
        label=_("Or its metadata XML"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    entity_id = forms.CharField(
        label=_("Or its entity ID"),
        required=False,
        max_length=500,
        help_text=_("With metadata, picks one provider from a federation's file."),
    )
    sso_url = forms.URLField(
        label=_("Its sign-in URL (HTTP-Redirect binding)"), required=False, assume_scheme="https"
    )
    x509cert = forms.CharField(
        label=_("Its signing certificate (PEM)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    email_attribute = forms.CharField(
        label=_("Email attribute"), max_length=200, initial=services.SAML_EMAIL_ATTRIBUTE
    )
    name_attribute = forms.CharField(
        label=_("Full name attribute"), max_length=200, initial=services.SAML_NAME_ATTRIBUTE
    )
    given_name_attribute = forms.CharField(
        label=_("Given name attribute"),
        max_length=200,
        initial=services.SAML_GIVEN_NAME_ATTRIBUTE,
        help_text=_("Used with the family name when no full name is sent."),
    )
    family_name_attribute = forms.CharField(
        label=_("Family name attribute"),
        max_length=200,
        initial=services.SAML_FAMILY_NAME_ATTRIBUTE,
    )
    email_authoritative = forms.BooleanField(
        label=_("Its email addresses are verified"),
        required=False,
        help_text=_(
            "Tick only if this provider sends addresses it manages itself. Then a "
            "sign-in links to an existing account with the same address on your "
            "domains; otherwise it never does."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            self.idp = self._identity_provider(data)
        except ValidationError as exc:
            self.add_error(None, exc)
        return data

    def _identity_provider(self, data: dict[str, Any]) -> discovery.IdentityProvider:
        entity_id = data.get("entity_id", "").strip()
        if data.get("metadata_url"):
            xml = discovery.saml_metadata_fetch(metadata_url=data["metadata_url"])
            return discovery.saml_metadata_parse(xml=xml, entity_id=entity_id)
        if data.get("metadata_xml", "").strip():
            return discovery.saml_metadata_parse(xml=data["metadata_xml"], entity_id=entity_id)
        cert = re.sub(r"-----(BEGIN|END) CERTIFICATE-----|\s", "", data.get("x509cert", ""))
        if cert:
            try:
                x509.load_der_x509_certificate(base64.b64decode(cert, validate=True))
            except ValueError as exc:
                raise ValidationError(
                    _("The signing certificate is not a PEM certificate.")
                ) from exc
        if not (entity_id and data.get("sso_url") and cert):
            raise ValidationError(
                _(
                    "Give the metadata URL, the metadata XML, or the entity ID, "
                    "sign-in URL and certificate."
                )
            )
        return discovery.IdentityProvider(
            origin=discovery.origin_of(data["sso_url"]),
            entity_id=entity_id,
            sso_url=data["sso_url"],
            x509cert=cert,
        )

    def idp_settings(self) -> services.SamlIdp:
        data = self.cleaned_data
        return services.SamlIdp(
            idp=self.idp,
            metadata_url=data.get("metadata_url", ""),
            email_attribute=data["email_attribute"],
            name_attribute=data["name_attribute"],
            given_name_attribute=data["given_name_attribute"],
            family_name_attribute=data["family_name_attribute"],
            email_authoritative=data["email_authoritative"],
        )
