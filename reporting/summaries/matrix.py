"""The cells of the dashboard's measures × agencies matrix: the template library `matrix`
(settings.TEMPLATES)."""

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from reporting.summaries.dashboard import NOT_RESPONSIBLE, Cell, MatrixRow

register = template.Library()


@lru_cache(maxsize=64)
def _texts(kind: str, voluntary: bool, language: str) -> tuple[str, str, str]:
    """A cell's classes, sign and description (escaped), per language: the matrix repeats a
    handful of them a thousand times."""
    cell = Cell(kind, voluntary)
    classes = f"dash-cell dash-{kind}" + (" dash-voluntary" if voluntary else "")
    return classes, escape(cell.sign), escape(cell.description)


@register.simple_tag
def matrix_cells(line: MatrixRow) -> SafeString:
    """One row's cells, a <td> per expected agency. Written in Python rather than with nested
    {% for %} and {% if %}: a cycle of the plan has over a thousand cells, and rendering them
    tag by tag was most of the dashboard's time (benchmarks/README.md)."""
    language = get_language()
    number = escape(line.measure.number)
    html = []
    for cell in line.cells:
        classes, sign, description = _texts(cell.kind, cell.voluntary, language)
        if cell.kind == NOT_RESPONSIBLE:
            html.append(
                f'<td class="{classes}"><span class="visually-hidden">{description}</span></td>'
            )
        else:
            html.append(
                f'<td class="{classes}" title="{escape(cell.column)} — {number}: {description}">'
                f'<span aria-hidden="true">{sign}</span>'
                f'<span class="visually-hidden">{description}</span></td>'
            )
    return SafeString("".join(html))
