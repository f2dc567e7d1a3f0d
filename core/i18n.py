"""The data's own names in the interface language (core.templatetags.localized shows them)."""

from django.utils.translation import get_language


def pick(obj, field: str) -> tuple[str, bool]:
    """`obj.<field>_kk` or `obj.<field>_en` in the Kazakh or English interface when it is filled,
    `obj.<field>` otherwise: (the text, whether it is the Russian one standing in for a missing
    translation). A field without translations (an abbreviation-less code, say) is never
    marked."""
    russian = getattr(obj, field) or ""
    language = (get_language() or "ru").split("-")[0]
    if language == "ru":
        return russian, False
    translated = getattr(obj, f"{field}_{language}", "")
    if translated:
        return translated, False
    # Missing, or a text kept in Kazakh only (a measure's): the Russian one stands in.
    translatable = hasattr(obj, f"{field}_kk") or hasattr(obj, f"{field}_en")
    return russian, translatable and bool(russian)


def in_language(obj, field: str) -> str:
    return pick(obj, field)[0]
