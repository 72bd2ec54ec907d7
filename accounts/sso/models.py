"""An institution's single sign-on: which identity provider, for which email domains."""

from allauth.socialaccount.models import SocialApp
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.institutions.models import Institution
from core.models import BaseModel


class Protocol(models.TextChoices):
    OIDC = "openid_connect", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class SingleSignOnQuerySet(models.QuerySet["SingleSignOn"]):
    def enabled(self) -> "SingleSignOnQuerySet":
        return self.filter(enabled=True)


class SingleSignOn(BaseModel):
    """The identity provider of one institution (at most one each).

    The allauth SocialApp's provider_id (and, for SAML, its client_id) is the
    institution's slug when the configuration is made, and never changes afterwards: it
    is part of the addresses the identity provider's admin registered,
    /accounts/oidc/<provider_id>/login/callback/ and /accounts/saml/<provider_id>/acs/.
    """

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="single_sign_on"
    )
    protocol = models.CharField(_("protocol"), max_length=16, choices=Protocol.choices)
    app = models.OneToOneField(SocialApp, on_delete=models.CASCADE, related_name="single_sign_on")
    enabled = models.BooleanField(_("enabled"), default=True)
    email_authoritative = models.BooleanField(
        _("the identity provider's email addresses are verified"),
        default=False,
        help_text=_(
            "SAML only: tick when this identity provider only ever sends addresses it "
            "manages, on the email domains listed. OpenID Connect says so per sign-in "
            "(email_verified)."
        ),
    )
    # Where the sign-in button sends the browser: the pages that show the button allow
    # their form to post there (our Content-Security-Policy says form-action 'self').
    idp_origin = models.CharField(_("identity provider origin"), max_length=300, blank=True)
    metadata_url = models.URLField(_("metadata URL"), blank=True)

    objects = SingleSignOnQuerySet.as_manager()

    class Meta:
        verbose_name = _("single sign-on")
        verbose_name_plural = _("single sign-on")
        ordering = ["institution__name"]

    def __str__(self) -> str:
        return f"{self.institution.name} ({self.get_protocol_display()})"

    @property
    def provider_id(self) -> str:
        return str(self.app.provider_id)

    @property
    def domain_names(self) -> list[str]:
        return [d.domain for d in self.domains.all()]

    def covers(self, email: str) -> bool:
        """Whether the address is on one of this institution's email domains."""
        return email.rpartition("@")[2].lower() in self.domain_names


class SingleSignOnDomain(models.Model):
    """One of the institution's email domains (`Institution.email_domains`, the one
    list of them) whose people sign in through this identity provider. A domain belongs
    to at most one configuration, so the sign-in page never has to choose; removing a
    domain from the institution removes it here too (institutions.services)."""

    sso = models.ForeignKey(SingleSignOn, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("email domain"), max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain
