from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution
from core.forms import DateInput, validate_markdown
from portfolio.models import Showcase
from portfolio.showcases.services import showcase_default_institution


class ShowcaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.CharField(
        label=_("Audience or purpose"),
        max_length=200,
        required=False,
        help_text=_("For example “Application to Acme Ltd” or “APEL claim for BSc Computing”."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=20_000,
        validators=[validate_markdown],
        widget=forms.Textarea(attrs={"rows": 6, "data-markdown-preview": "true"}),
        help_text=_("Who you are and what this showcase shows. Markdown works here."),
    )
    theme = forms.ChoiceField(
        label=_("Look"),
        choices=Showcase.Theme.choices,
        widget=forms.RadioSelect,
        initial=Showcase.Theme.CLASSIC,
    )
    institution = forms.ModelChoiceField(
        label=_("Institution shown"),
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("Do not show an institution"),
        help_text=_("Its name and logo appear at the top of the shared page."),
    )

    def __init__(self, *args: Any, owner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine = Institution.objects.filter(memberships__user=owner).order_by("name")
        self.fields["institution"].queryset = mine  # type: ignore[attr-defined]
        if not self.is_bound and "institution" not in self.initial:
            self.initial["institution"] = showcase_default_institution(owner=owner)


class SectionForm(forms.Form):
    heading = forms.CharField(label=_("Section heading"), max_length=200)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=10_000,
        validators=[validate_markdown],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


CAPTION_MAX_CHARS = 2000


class CaptionField(forms.CharField):
    """A caption as typed. Browsers send a textarea's line breaks as CRLF but count them
    as one character for its maxlength, so count them as one here too."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Why it is here"))
        super().__init__(required=False, max_length=CAPTION_MAX_CHARS, **kwargs)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).replace("\r\n", "\n")


class CaptionForm(forms.Form):
    caption = CaptionField(widget=forms.Textarea(attrs={"rows": 2}))


class CaptionsForm(forms.Form):
    """Every caption on the editor page, saved together. A field is made only for the
    showcase's items whose caption was sent (`caption-<item id>`), so an item missing from
    the post keeps its caption, and anything else posted is never read."""

    def __init__(self, data: Any, *, item_ids: Iterable[int]) -> None:
        super().__init__(data)
        for item_id in item_ids:
            if f"caption-{item_id}" in data:
                self.fields[f"caption-{item_id}"] = CaptionField()

    def captions(self) -> dict[int, str]:
        """Item id -> caption; call after is_valid()."""
        return {int(name.split("-")[1]): value for name, value in self.cleaned_data.items()}

    def typed(self) -> dict[int, str]:
        """Item id -> caption as posted, to give back to the learner when it is refused."""
        return {int(name.split("-")[1]): self.data[name] for name in self.fields}

    def item_errors(self) -> dict[int, str]:
        return {
            int(name.split("-")[1]): " ".join(str(e) for e in errs)
            for name, errs in self.errors.items()
        }


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label=_("Who it is for"),
        max_length=200,
        help_text=_("For example “Acme Ltd recruiter”. Only you see this."),
    )
    expires_on = forms.DateField(
        label=_("Stops working after"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for a link that works until you revoke it."),
    )
    passphrase = forms.CharField(
        label=_("Passphrase"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Optional. Tell it to the person separately; they type it to open the link."),
    )
    notify_on_first_open = forms.BooleanField(
        label=_("Email me the first time it is opened"), required=False
    )
    offer_pdf = forms.BooleanField(
        label=_("Offer the PDF of this showcase"),
        required=False,
        help_text=_("The link then offers the newest PDF you exported, for download."),
    )

    def clean_expires_on(self) -> Any:
        value = self.cleaned_data.get("expires_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return value

    def clean_passphrase(self) -> str:
        value = self.cleaned_data.get("passphrase", "")
        if value and len(value) < 6:
            raise forms.ValidationError(_("Use at least 6 characters, or leave it empty."))
        return value


class PassphraseForm(forms.Form):
    passphrase = forms.CharField(
        label=_("Passphrase"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
