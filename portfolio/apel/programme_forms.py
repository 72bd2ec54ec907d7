"""One form per programme use case; admins and learners fill in the same ones."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.apel.programme_csv import COURSE_TITLE_MAX, OUTCOME_TEXT_MAX, one_line
from portfolio.apel.programmes import ProgrammeDetails
from portfolio.models import Course, Programme
from portfolio.models.apel import OUTCOME_CODE_MAX

MAX_CREDITS = Decimal("99999.99")


def _credits(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_value=MAX_CREDITS, max_digits=7,
        decimal_places=2, help_text=help_text,
    )  # fmt: skip


def _one_line_code(value: Any) -> str:
    code = str(value).strip()
    if not one_line(code):
        raise forms.ValidationError(_("Write the code on one line, without tabs."))
    return code


class ProgrammeForm(forms.ModelForm):
    total_credits = _credits(_("Total credits"))
    credit_cap = _credits(
        _("Most credits that can be granted for prior learning"),
        _("Leave empty if there is no limit. For example 60 of a programme's 180 credits."),
    )
    currency_years = forms.IntegerField(
        label=_("Evidence must be from the last (years)"),
        required=False,
        min_value=1,
        max_value=50,
        help_text=_("For example 5: older evidence is not current. Leave empty for no limit."),
    )

    class Meta:
        model = Programme
        fields = [
            "title", "code", "description", "level", "total_credits", "credit_cap",
            "currency_years",
        ]  # fmt: skip
        labels = {"level": _("Level")}
        help_texts = {
            "code": _("The programme's own code, if it has one."),
            "level": _("For example EQF 6, or Level 5 Diploma."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        total, cap = data.get("total_credits"), data.get("credit_cap")
        if total is not None and cap is not None and cap > total:
            self.add_error(
                "credit_cap",
                _("This is more than the programme's %(total)s credits.") % {"total": total},
            )
        return data

    def details(self) -> ProgrammeDetails:
        data = self.cleaned_data
        return ProgrammeDetails(**{name: data[name] for name in self.Meta.fields})


class CourseForm(forms.Form):
    code = forms.CharField(label=_("Course code"), max_length=OUTCOME_CODE_MAX)
    title = forms.CharField(label=_("Title"), max_length=COURSE_TITLE_MAX, required=False)
    credits = _credits(_("Credits"))

    def clean_code(self) -> str:
        return _one_line_code(self.cleaned_data["code"])


class OutcomeForm(forms.Form):
    """The outcome's words are kept exactly as typed (no trimming), like an import's."""

    code = forms.CharField(
        label=_("Outcome code"),
        max_length=OUTCOME_CODE_MAX,
        help_text=_("Unique in this programme, for example LO3 or WD101-2."),
    )
    text = forms.CharField(
        label=_("Learning outcome"),
        max_length=OUTCOME_TEXT_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What a learner can do, for example: Design web forms that meet WCAG 2.2 AA."),
    )
    credits = _credits(_("Credits"))
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=Course.objects.none(),
        required=False,
        empty_label=_("Not in a course"),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses = programme.courses.order_by("position", "pk")
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
        if not courses.exists():
            del self.fields["course"]

    def clean_code(self) -> str:
        return _one_line_code(self.cleaned_data["code"])

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"])
        if not text.strip():
            raise forms.ValidationError(_("Write the learning outcome."))
        return text


class OutcomesUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        allow_empty_file=True,  # the import's check says what an empty file needs
        help_text=_("Saved from a spreadsheet as “CSV UTF-8”, with the columns described below."),
    )
