"""Each single sign-on joins the institution its placeholder slug named.

Which institution: the one with that slug; else the default institution, if it has no
single sign-on yet (before institutions, the site was one institution, and the people
who sign in through it are already the default institution's members); else a new
institution made from the placeholder's name and slug. The configuration's email
domains join the institution's own list. The allauth SocialApp is not touched: its
provider_id stays the placeholder slug, so the addresses the identity provider's admin
registered keep working."""

from typing import Any

from django.db import migrations

DEFAULT_SLUG = "default"


def forwards(apps: Any, schema_editor: Any) -> None:
    Institution = apps.get_model("accounts", "Institution")
    SingleSignOn = apps.get_model("accounts", "SingleSignOn")
    for sso in SingleSignOn.objects.order_by("pk"):
        institution = Institution.objects.filter(slug=sso.institution_slug).first()
        if institution is None:
            institution = (
                Institution.objects.filter(slug=DEFAULT_SLUG, single_sign_on__isnull=True)
                .first()
            )
        if institution is None or SingleSignOn.objects.filter(institution=institution).exists():
            institution = Institution.objects.create(
                name=sso.institution_name, slug=_free_slug(Institution, sso.institution_slug)
            )
        domains = list(institution.email_domains or [])
        for domain in sso.domains.values_list("domain", flat=True):
            if domain not in domains:
                domains.append(domain)
        institution.email_domains = domains
        institution.save(update_fields=["email_domains"])
        sso.institution = institution
        sso.save(update_fields=["institution"])


def _free_slug(Institution: Any, base: str) -> str:
    candidate, number = base, 1
    while Institution.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def backwards(apps: Any, schema_editor: Any) -> None:
    SingleSignOn = apps.get_model("accounts", "SingleSignOn")
    for sso in SingleSignOn.objects.select_related("institution", "app"):
        sso.institution_slug = sso.app.provider_id
        sso.institution_name = sso.institution.name
        sso.save(update_fields=["institution_slug", "institution_name"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_single_sign_on_institution")]

    operations = [migrations.RunPython(forwards, backwards)]
