from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.models import Visibility

# The kinds of evidence a learner can narrow a list to (library and timeline).
EVIDENCE_KINDS = [
    ("", _("Everything")),
    ("image", _("Images")),
    ("audio", _("Audio")),
    ("video", _("Video")),
    ("document", _("Documents")),
    ("link", _("Links")),
    ("text", _("Written pieces")),
    ("reflection", _("Reflections")),
]


class LibraryFilterForm(forms.Form):
    KIND_CHOICES = EVIDENCE_KINDS

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


class FormativeFilterForm(forms.Form):
    """What the timeline can be narrowed by. A value outside these is a 400 with the
    field's message; the timeline is then shown unfiltered, so nothing is lost."""

    KIND_CHOICES = [*EVIDENCE_KINDS, ("badge", _("Badges"))]
    GROUP_CHOICES = [("month", _("Month")), ("week", _("Week"))]

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=KIND_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Choose a kind of evidence from the list.")},
    )
    tag = forms.CharField(
        label=_("Tag"),
        required=False,
        max_length=50,
        error_messages={"max_length": _("A tag is at most 50 characters long.")},
    )
    group_by = forms.ChoiceField(
        label=_("Group by"),
        choices=GROUP_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Group by week or by month.")},
    )
    page = forms.IntegerField(
        min_value=1,
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("The page number must be a whole number."),
            "min_value": _("The page number must be 1 or more."),
        },
    )

    def filters(self) -> dict[str, Any]:
        """The valid filters, or the defaults when any value is bad."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "kind": data.get("kind") or "",
            "tag": (data.get("tag") or "").strip(),
            "group_by": data.get("group_by") or "month",
            "page": data.get("page") or 1,
        }
