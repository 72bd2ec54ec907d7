"""Pieces of the refusals learners read: advice shared between checks, and phrasing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.uploads.types import FileType, UnacceptedFormat

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WHAT_WE_ACCEPT = gettext_lazy("Upload images, audio, video, PDFs, office documents or plain text.")
SAVE_AS_IMAGE = gettext_lazy("Save or export it as a JPEG or PNG image and upload that.")
SAVE_AS_PDF = gettext_lazy("Save or export it as a PDF and upload that.")
SAVE_AS_VIDEO = gettext_lazy("Save it as an MP4 video and upload that.")
UNPACK = gettext_lazy("Unpack it and upload the files inside one at a time.")


def refuse(found: StrOrPromise, advice: StrOrPromise = "") -> UnacceptedFormat:
    """The refusal of a kind of file we recognise but do not accept. `found` names it with
    its article ("a BMP image"); `advice` says what to upload instead."""
    advice = advice or WHAT_WE_ACCEPT
    return UnacceptedFormat(
        _("We can't accept this kind of file (we found %(found)s). %(advice)s")
        % {"found": found, "advice": advice},
        found=found,
        advice=advice,
    )


def refuse_unknown() -> UnacceptedFormat:
    """The refusal of a file whose content we cannot recognise."""
    return UnacceptedFormat(
        _("We can't accept this kind of file (we found an unknown format). %(advice)s")
        % {"advice": WHAT_WE_ACCEPT},
        found="",
        advice=WHAT_WE_ACCEPT,
    )


def misnamed(refusal: UnacceptedFormat, *, extension: str, claimed: StrOrPromise) -> str:
    """The refusal of a file whose name claims `claimed` ("a JPEG image") but whose
    content is something we do not accept: say what it really is."""
    if refusal.found:
        return _(
            "This file is named .%(extension)s but is really %(found)s, which we can't "
            "accept. %(advice)s"
        ) % {"extension": extension, "found": refusal.found, "advice": refusal.advice}
    return _(
        "This file is named .%(extension)s but isn't really %(claimed)s, and we can't tell "
        "what it is. Check you chose the right file. %(advice)s"
    ) % {"extension": extension, "claimed": claimed, "advice": refusal.advice}


_SAID_WITH_A_VOWEL = {"MP3", "MP4", "M4A", "RTF", "SVG", "XML"}


def with_article(label: StrOrPromise) -> str:
    """`label` with "a" or "an" in front, as English says it: "an MP3 audio file"."""
    label = str(label)
    first_word = label.split()[0]
    if first_word[0] in "AEIOUaeiou" or first_word in _SAID_WITH_A_VOWEL:
        # Translators: a kind of file whose name is said starting with a vowel sound, as
        # in "an MP3 audio file". Use whatever your language puts before a thing's name.
        return _("an %(kind_of_file)s") % {"kind_of_file": label}
    # Translators: a kind of file, as in "a JPEG image". Use whatever your language puts
    # before a thing's name.
    return _("a %(kind_of_file)s") % {"kind_of_file": label}


def extension_choices(kind: FileType) -> str:
    """The extensions a file of `kind` may have, as a choice: ".jpeg or .jpg"."""
    return or_list([f".{extension}" for extension in sorted(kind.extensions)])


def or_list(words: Sequence[str]) -> str:
    """Words as a choice, in the current language: "JPEG, PNG or GIF"."""
    choices: list[StrOrPromise] = list(words)
    return str(get_text_list(choices, gettext_lazy("or")))
