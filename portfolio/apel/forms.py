"""One form per thing the learner does on their claim pages. Outcomes are named by their
code and items by "kind:public_id" (the picker's values), never by database ids."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import Course, Programme

JUSTIFICATION_MAX = 20_000
NOTE_MAX = 5_000


class PlainText(forms.CharField):
    """Text as typed: browsers send a textarea's line breaks as CRLF but count them as one
    character for its maxlength, so count them as one here too."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n")


class ClaimStartForm(forms.Form):
    title = forms.CharField(
        label=_("Title of your claim"),
        max_length=200,
        help_text=_(
            "For example “APEL claim for year 1 of the BSc”. Only you and your assessor see it."
        ),
    )
    courses = forms.ModelMultipleChoiceField(
        label=_("Courses you claim"),
        queryset=Course.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick the courses you have evidence for, or none to claim the whole programme."
        ),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = programme.courses.all()  # type: ignore[attr-defined]
        if not programme.courses.exists():
            del self.fields["courses"]
        if not self.is_bound:
            self.initial.setdefault("title", programme.title[:200])


class ClaimTitleForm(forms.Form):
    title = forms.CharField(label=_("Title of your claim"), max_length=200)


class OutcomeForm(forms.Form):
    """Names one outcome of the claim by its code, exactly as the page wrote it."""

    outcome = forms.CharField(max_length=40, strip=False, widget=forms.HiddenInput)


class JustificationForm(OutcomeForm):
    justification = PlainText(
        label=_("How the evidence meets this outcome"),
        required=False,
        max_length=JUSTIFICATION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReferencesField(forms.Field):
    """Item references ticked in the picker, as posted; resolved to the learner's own
    items by the view (portfolio.apel.learner_selectors.picked_items)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        return [str(v) for v in value or []][:500]


class EvidenceAddForm(OutcomeForm):
    items = ReferencesField(error_messages={"required": _("Tick at least one item to add.")})


class MappingForm(OutcomeForm):
    """Names one mapping: the outcome and the item ("kind:public_id")."""

    item = forms.CharField(max_length=200, widget=forms.HiddenInput)


class MappingNoteForm(MappingForm):
    note = PlainText(
        label=_("Why it is sufficient"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SuggestionForm(OutcomeForm):
    badge = forms.UUIDField(widget=forms.HiddenInput)


class CredentialNoteForm(forms.Form):
    """What the learner declares for a badge where the credential is silent."""

    badge = forms.UUIDField(widget=forms.HiddenInput)
    study_hours = forms.DecimalField(
        label=_("Study hours"),
        required=False,
        min_value=Decimal(0),
        max_digits=7,
        decimal_places=1,
    )
    eqf_level = forms.IntegerField(
        label=_("EQF level"),
        required=False,
        min_value=1,
        max_value=8,
        help_text=_("1 to 8, from the European Qualifications Framework."),
    )
    credits = forms.DecimalField(
        label=_("Credit points"),
        required=False,
        min_value=Decimal(0),
        max_digits=7,
        decimal_places=2,
    )
    learning_outcomes = PlainText(
        label=_("Learning outcomes"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
