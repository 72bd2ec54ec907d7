"""CSV cells a spreadsheet will never run: text starting with = + - @, a tab or a
carriage return gets a leading apostrophe (OWASP's advice for CSV injection)."""

from typing import Any

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(DANGEROUS_STARTS) else text


def safe_row(values: list[Any]) -> list[str]:
    return [safe_cell(value) for value in values]
