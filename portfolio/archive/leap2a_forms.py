"""The form of the Leap2A import page (its upload streams through the archive import's
handler, with the archive's size limit)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class Leap2AImportForm(forms.Form):
    archive = forms.FileField(
        label=_("Leap2A file (.zip)"),
        help_text=_(
            "The ZIP file Mahara (or another e-portfolio) gave you when you exported your "
            "portfolio as Leap2A, unchanged."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    request_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
