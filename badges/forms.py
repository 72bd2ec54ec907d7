from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.forms import EvidenceDetailsForm
from core.models import Visibility

MAX_BAKED_IMAGE_BYTES = 20 * 1024 * 1024
MAX_PASTED_CHARS = 1_000_000
MAX_ID_CHARS = 2000  # StackItem.achievement_id
MAX_LABEL_CHARS = 300  # StackItem.label


IMPORT_METHODS = [
    ("image", _("I have the badge image (PNG or SVG)")),
    ("text", _("I have the badge's JSON or a signed token")),
    ("url", _("I have the badge's web address")),
]
_MISSING_FOR_METHOD = {
    "image": _("Choose the badge image file."),
    "text": _("Paste the badge's JSON or signed token."),
    "url": _("Enter the badge's web address."),
}


class BadgeImportForm(forms.Form):
    """Three ways in, on one page: a baked image, JSON or a signed token, or a URL.

    `method` says which one the learner chose; the other two fields are then ignored,
    so something left in a field the page hid cannot get in the way."""

    method = forms.ChoiceField(
        label=_("How do you have your badge?"),
        choices=IMPORT_METHODS,
        required=False,
        widget=forms.RadioSelect,
    )
    image = forms.FileField(
        label=_("Baked badge image"),
        required=False,
        help_text=_("The PNG or SVG badge image your issuer gave you, with the badge inside."),
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.svg,image/png,image/svg+xml"}),
    )
    text = forms.CharField(
        label=_("Badge JSON or signed token"),
        required=False,
        max_length=MAX_PASTED_CHARS,
        error_messages={
            "max_length": _(
                "This is far longer than any badge (over a million characters). "
                "Check you pasted the badge itself."
            )
        },
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("Paste the badge's JSON (starting with {) or its signed token (JWS/JWT)."),
    )
    url = forms.CharField(
        label=_("Web address of a hosted badge"),
        required=False,
        max_length=2000,
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(),
        help_text=_("For example https://badges.example.org/assertions/123."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.TUTORS,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Your note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What this badge meant to you. The issuer's own words are kept as they are."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data.get("method")
        if method:
            for other in ("image", "text", "url"):
                if other != method:
                    data[other] = None
                    self.errors.pop(other, None)
            if not data.get(method) and method not in self.errors:
                self.add_error(method, _MISSING_FOR_METHOD[method])
                return data
        given = [name for name in ("image", "text", "url") if data.get(name)]
        if not given:
            raise forms.ValidationError(
                _(
                    "Give us the badge one way: upload its image, paste its JSON, "
                    "or its web address."
                )
            )
        if len(given) > 1:
            raise forms.ValidationError(
                _("Use one way at a time: an image, pasted JSON, or a web address.")
            )
        image = data.get("image")
        if image is not None and image.size > MAX_BAKED_IMAGE_BYTES:
            self.add_error(
                "image",
                _(
                    "This image is larger than %(limit)s. Badge images are far smaller; "
                    "check it is the right file."
                )
                % {"limit": filesizeformat(MAX_BAKED_IMAGE_BYTES)},
            )
        return data


class BadgeEditForm(EvidenceDetailsForm):
    note = forms.CharField(
        label=_("Your note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    field_order = ["note", "visibility"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["tags"]


class StackForm(forms.Form):
    """A learner's own stack: badges they hold, plus ids of badges still to earn."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.MultipleChoiceField(
        label=_("Required badges you hold"), required=False, widget=forms.CheckboxSelectMultiple
    )
    optional = forms.MultipleChoiceField(
        label=_("Optional badges you hold"), required=False, widget=forms.CheckboxSelectMultiple
    )
    still_to_earn = forms.CharField(
        label=_("Required badges still to earn"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "One per line: the badge class or achievement id (a web address), then, "
            "optionally, “|” and a name. For example: https://issuer.example/badges/python | Python"
        ),
    )

    def __init__(self, *args: Any, achievements: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["required"].choices = achievements  # type: ignore[attr-defined]
        self.fields["optional"].choices = achievements  # type: ignore[attr-defined]
        self.labels = dict(achievements)

    def clean_still_to_earn(self) -> list[tuple[str, str]]:
        items = []
        for number, line in enumerate(self.cleaned_data["still_to_earn"].splitlines(), 1):
            if not line.strip():
                continue
            achievement, _bar, label = line.partition("|")
            achievement = achievement.strip()
            if not achievement.startswith(("https://", "http://", "urn:", "did:")):
                raise forms.ValidationError(
                    _("Line %(n)d does not start with a badge id (a web address, urn: or did:).")
                    % {"n": number}
                )
            label = label.strip() or achievement
            if len(achievement) > MAX_ID_CHARS or len(label) > MAX_LABEL_CHARS:
                raise forms.ValidationError(
                    _(
                        "Line %(n)d is too long: a badge id can have %(ids)d characters and "
                        "its name %(names)d."
                    )
                    % {"n": number, "ids": MAX_ID_CHARS, "names": MAX_LABEL_CHARS}
                )
            items.append((achievement, label))
        return items

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        both = set(data.get("required") or []) & set(data.get("optional") or [])
        if both:
            raise forms.ValidationError(_("A badge is either required or optional, not both."))
        if not (data.get("required") or data.get("still_to_earn")):
            raise forms.ValidationError(_("A stack needs at least one required badge."))
        return data

    def items(self) -> list[tuple[str, str, bool]]:
        data = self.cleaned_data
        return (
            [(a, self.labels[a][:MAX_LABEL_CHARS], True) for a in data["required"]]
            + [(a, label, True) for a, label in data["still_to_earn"]]
            + [(a, self.labels[a][:MAX_LABEL_CHARS], False) for a in data["optional"]]
        )
