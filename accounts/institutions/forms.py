"""One form per staff use case."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.institutions.models import Institution, MembershipRole
from accounts.models import Cohort


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), required=False,
        empty_label=_("No cohort"),
    )  # fmt: skip

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(  # type: ignore[attr-defined]
            institution=institution, archived_at__isnull=True
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AddByEmailForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        help_text=_("One or more, separated by commas or new lines."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    as_role = forms.ChoiceField(
        label=_("Add as"),
        choices=[("learner", _("Learner")), ("tutor", _("Tutor"))],
    )

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data["emails"].replace(",", "\n").split()
        emails = [e.strip() for e in raw if e.strip()]
        bad = [e for e in emails if "@" not in e]
        if bad:
            raise forms.ValidationError(
                _("These are not email addresses: %(bad)s") % {"bad": ", ".join(bad[:5])}
            )
        return emails


class OnboardingUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        allow_empty_file=True,  # the onboarding check says what an empty file needs
        help_text=_("Columns: email, name, role, cohort. Roles: learner, tutor, assessor, admin."),
    )


class BrandingForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("A PNG, JPEG, WebP or GIF image, up to 1 MB."),
    )
    domains = forms.CharField(
        label=_("Email domains"),
        required=False,
        help_text=_("Separated by commas, for example college.ac.uk, students.college.ac.uk."),
    )

    class Meta:
        model = Institution
        fields = ["name", "short_name", "brand_colour", "contact_email", "show_on_showcases"]
        widgets = {"brand_colour": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand_colour"].widget = forms.TextInput()
        self.fields["brand_colour"].help_text = _(
            "As # and six hex digits. White text must be readable on it."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["domains"] = ", ".join(self.instance.email_domains)

    def clean_domains(self) -> list[str]:
        raw = self.cleaned_data["domains"].replace("\n", ",").split(",")
        domains = [d.strip().lower().lstrip("@") for d in raw if d.strip()]
        bad = [d for d in domains if "." not in d or " " in d or "/" in d]
        if bad:
            raise forms.ValidationError(
                _("These are not email domains: %(bad)s") % {"bad": ", ".join(bad[:5])}
            )
        return domains
