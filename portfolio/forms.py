from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.models import Visibility


class LibraryFilterForm(forms.Form):
    KIND_CHOICES = [
        ("", _("Everything")),
        ("image", _("Images")),
        ("audio", _("Audio")),
        ("video", _("Video")),
        ("document", _("Documents")),
        ("link", _("Links")),
        ("text", _("Written pieces")),
        ("reflection", _("Reflections")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, required=False)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=[("", _("Any")), *Visibility.choices],
        required=False,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The “From” date must be on or before the “To” date."))
        return data
