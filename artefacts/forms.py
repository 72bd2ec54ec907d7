"""One form per way of adding or editing an artefact."""

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from artefacts.models import Artefact
from artefacts.services import Details
from core.forms import DateInput, EvidenceDetailsForm, validate_markdown
from core.tags import tags_text
from core.uploads import ACCEPTED_EXTENSIONS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Accepts one or many files; each is checked by the upload service, not here."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [f for f in files if f]


class ArtefactDetailsForm(EvidenceDetailsForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What this shows about your learning."),
    )
    learned_on = forms.DateField(
        label=_("Date of the learning"), initial=timezone.localdate, widget=DateInput()
    )

    field_order = ["title", "description", "learned_on", "visibility", "tags"]

    def details(self) -> Details:
        data = self.cleaned_data
        return Details(
            title=data.get("title", ""),
            description=data.get("description", ""),
            learned_on=data.get("learned_on"),
            visibility=data["visibility"],
            tags=tuple(data["tags"]),
        )


class UploadForm(ArtefactDetailsForm):
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files"),
        required=False,
        help_text=_(
            "Images, audio, video, PDFs, office documents and slides, or plain text. "
            "You can choose several at once."
        ),
    )

    field_order = ["files", "title", "description", "learned_on", "visibility", "tags"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = ",".join(
            f".{ext}" for ext in sorted(ACCEPTED_EXTENSIONS)
        )
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use each file's name.")


class LinkForm(ArtefactDetailsForm):
    url = forms.URLField(
        label=_("Address (URL)"),
        max_length=2000,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A web page that shows your work, starting with https:// or http://."),
    )

    field_order = ["url", "title", "description", "learned_on", "visibility", "tags"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("Note")


class WrittenPieceForm(ArtefactDetailsForm):
    body_markdown = forms.CharField(
        label=_("Text"),
        max_length=200_000,
        validators=[validate_markdown],
        widget=forms.Textarea(attrs={"rows": 14, "data-markdown-preview": "true"}),
        help_text=_("Markdown: **bold**, *italic*, # headings, - lists, [links](https://…)."),
    )

    field_order = ["title", "body_markdown", "description", "learned_on", "visibility", "tags"]


def edit_form_class(artefact: Artefact) -> type[ArtefactDetailsForm]:
    if artefact.kind == Artefact.Kind.LINK:
        return LinkForm
    if artefact.kind == Artefact.Kind.TEXT:
        return WrittenPieceForm
    return ArtefactDetailsForm


def edit_initial(artefact: Artefact) -> dict[str, Any]:
    return {
        "title": artefact.title,
        "description": artefact.description,
        "learned_on": artefact.learned_on,
        "visibility": artefact.visibility,
        "tags": tags_text(artefact),
        "url": artefact.url,
        "body_markdown": artefact.body_markdown,
    }
