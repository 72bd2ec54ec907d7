"""Reading a CSV someone uploaded: UTF-8 text only (with or without a byte-order mark),
so a file saved in another encoding is refused with the line where it first goes wrong,
never guessed at. Writing CSV safely is `core.csvsafe`."""

from django.utils.translation import gettext as _


class CsvNotText(ValueError):
    """The upload is not UTF-8 text; `str(error)` says where, in words for the person."""


def utf8_text(data: bytes) -> str:
    """The file's text, without a leading byte-order mark; raises CsvNotText."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CsvNotText(
            _(
                "Line %(line)s: this is not UTF-8 text. In your spreadsheet, save as "
                "“CSV UTF-8” and upload that."
            )
            % {"line": line}
        ) from None
