"""An institution's single sign-on: which identity provider, for which email domains."""

from allauth.socialaccount.models import SocialApp
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel


class Protocol(models.TextChoices):
    OIDC = "openid_connect", _("OpenID Connect")
    SAML = "saml", _("SAML 2.0")


class SingleSignOnQuerySet(models.QuerySet["SingleSignOn"]):
    def enabled(self) -> "SingleSignOnQuerySet":
        return self.filter(enabled=True)


class SingleSignOn(BaseModel):
    """One identity provider for one institution.

    `institution_slug` and `institution_name` stand in for the Institution record until
    institutions land: the slug becomes a foreign key to Institution on that merge (and
    the name is then read from it). The slug is also the allauth SocialApp's provider_id
    (and, for SAML, its client_id), so it appears in the URLs the identity provider's
    admin registers: /accounts/oidc/<slug>/login/callback/, /accounts/saml/<slug>/acs/.
    """

    institution_slug = models.SlugField(_("institution short name"), max_length=40, unique=True)
    institution_name = models.CharField(_("institution name"), max_length=200)
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
        ordering = ["institution_name"]

    def __str__(self) -> str:
        return f"{self.institution_name} ({self.get_protocol_display()})"

    @property
    def domain_names(self) -> list[str]:
        return [d.domain for d in self.domains.all()]

    def covers(self, email: str) -> bool:
        """Whether the address is on one of this institution's email domains."""
        return email.rpartition("@")[2].lower() in self.domain_names


class SingleSignOnDomain(models.Model):
    """An email domain whose people sign in through this identity provider. A domain
    belongs to at most one configuration, so the sign-in page never has to choose."""

    sso = models.ForeignKey(SingleSignOn, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("email domain"), max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain
