"""Template helpers for APEL claim pages.

`matrix_cells` writes one row of the coverage matrix's cells. A claim of 100 outcomes
and 200 items has 20,000 cells: looping over them in the template language took most
of the page's time; here it is one string join per row."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portfolio.apel.evidence import Evidence
from portfolio.apel.selectors import Row

register = template.Library()


@register.simple_tag
def matrix_cells(row: Row, columns: list[Evidence]) -> SafeString:
    """A <td> per column: a mark and "mapped" where the row has that item, "not mapped"
    (for screen readers only) where it has not."""
    on = (
        '<td class="apel-cell--on"><span aria-hidden="true">●</span>'
        f'<span class="visually-hidden">{conditional_escape(_("mapped"))}</span></td>'
    )
    off = f'<td><span class="visually-hidden">{conditional_escape(_("not mapped"))}</span></td>'
    keys = row.keys
    # Only our own markup and escaped translations go in: nothing a learner typed.
    return mark_safe("".join(on if column.key in keys else off for column in columns))  # noqa: S308
