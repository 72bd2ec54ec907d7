"""One form per use: submitting a claim to an assessor, and the assessor's judgement
of an outcome and overall recommendation."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portfolio.apel.assessors import LINK_DAYS
from portfolio.models import Judgement, Recommendation

COMMENT_MAX = 5000
INSTITUTION, EMAIL = "institution", "email"


class AssessorChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError:  # not even a UUID: the same as an unknown one
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.email})" if obj.name else str(obj.email)


class SubmitForm(forms.Form):
    declared = forms.BooleanField(
        label=_("I confirm this declaration"),
        widget=forms.CheckboxInput(attrs={"aria-describedby": "declaration-text"}),
        error_messages={
            "required": _("Confirm the declaration of authenticity before you submit the claim.")
        },
    )
    route = forms.ChoiceField(
        label=_("Who assesses your claim"),
        widget=forms.RadioSelect,
        choices=[
            (INSTITUTION, _("An assessor of the institution")),
            (EMAIL, _("A named person, by email")),
        ],
        error_messages={"required": _("Choose who assesses your claim.")},
    )
    assessor = AssessorChoiceField(
        label=_("Assessor"),
        queryset=None,
        required=False,
        to_field_name="public_id",
        empty_label=_("Choose an assessor"),
        error_messages={"invalid_choice": _("Choose an assessor from the list.")},
    )
    name = forms.CharField(label=_("Their name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
    )

    def __init__(self, *args: Any, assessors: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "They get a link that works without an account for %(days)d days."
        ) % {"days": LINK_DAYS}
        field: Any = self.fields["assessor"]
        field.queryset = assessors
        self.by_email_only = not assessors.exists()
        if self.by_email_only:
            del self.fields["route"], self.fields["assessor"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        route = EMAIL if self.by_email_only else data.get("route")
        data["route"] = route
        if route == INSTITUTION and not data.get("assessor") and "assessor" not in self.errors:
            self.add_error("assessor", _("Choose an assessor from the list."))
        if route == EMAIL:
            if not data.get("name", "").strip():
                self.add_error("name", _("Give the name of the person who assesses your claim."))
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Give their email address: the link is sent there."))
        return data


class JudgementForm(forms.Form):
    outcome = forms.CharField(max_length=40, strip=False, widget=forms.HiddenInput)
    judgement = forms.ChoiceField(
        label=_("Judgement"),
        choices=Judgement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose meets, partly meets or not yet met.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Overall recommendation"),
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a recommendation.")},
    )
    comment = forms.CharField(
        label=_("Comment to the learner"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
