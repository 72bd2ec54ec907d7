from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from badges.models import IssuerRegistry
from badges.registries.formats import max_bytes, too_big_message

DETECT = ""


class RegistryAddForm(forms.Form):
    """A registry to trust: its web address (fetched now and on a schedule) or a file."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("How staff will know it, for example “DCC member registry”."),
    )
    url = forms.CharField(
        label=_("Web address of the registry"),
        required=False,
        max_length=2000,
        validators=[
            URLValidator(
                schemes=["https"],
                message=_(
                    "Enter the registry's https address. A list of trusted issuers is "
                    "only fetched over a secure connection."
                ),
            )
        ],
        widget=forms.URLInput(),
        help_text=_(
            "For example https://digitalcredentials.github.io/dcc-registry/registry.json. "
            "We fetch it now and again every few hours."
        ),
    )
    upload = forms.FileField(
        label=_("Or upload a registry file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
        help_text=_(
            "A registry.json file. It is not updated on its own: to change it, delete it "
            "and upload the new copy."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[(DETECT, _("Detect automatically")), *IssuerRegistry.Format.choices],
        initial=DETECT,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [name for name in ("url", "upload") if data.get(name)]
        if not given and not self.has_error("url") and not self.has_error("upload"):
            raise forms.ValidationError(_("Give the registry's web address, or upload its file."))
        if len(given) > 1:
            raise forms.ValidationError(
                _("Use one way at a time: a web address, or an uploaded file.")
            )
        upload = data.get("upload")
        if upload is not None and upload.size > max_bytes():
            self.add_error("upload", too_big_message())
        return data
