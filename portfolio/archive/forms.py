"""The form of the import page, and the upload handler its view uses."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from artefacts.uploadhandlers import HashingUploadHandler


class ArchiveUploadHandler(HashingUploadHandler):
    """Streams an archive to a temporary file, hashed on the way, up to
    ARCHIVE_MAX_UPLOAD_BYTES (far more than one piece of evidence may be)."""

    @property
    def max_bytes(self) -> int:
        return int(settings.ARCHIVE_MAX_UPLOAD_BYTES)


class ArchiveImportForm(forms.Form):
    archive = forms.FileField(
        label=_("Archive (.zip)"),
        help_text=_("The ZIP file that “Download everything” gave you, unchanged."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    request_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
