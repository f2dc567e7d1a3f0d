"""Pages that show what an app above their own knows, without their app importing it.

An app lower in the order (README, "Architecture") owns the page; an app above it registers a
*contribution* to the page in its AppConfig.ready(). The page's view asks for the contributions
with the objects it shows, merges their context into its own (queries run in the view, never in
the template) and includes each contribution's template at the page's place for them. A
contribution may also take a POST button of the page (`actions`: the button's name → a function
of the posted data returning the data the form is shown with, and a message); nothing is saved
then.

Pages: "home" (the user), "agency" (the agency, the user), "measure" (the user, the measure),
"entry" (the report, the entry).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Contribution:
    template: str
    context: Mapping[str, Any]
    actions: Mapping[str, Callable] = field(default_factory=dict)


_providers: dict[str, list[Callable[..., Contribution | None]]] = {}


def register(page: str, provider: Callable[..., Contribution | None]) -> None:
    """`provider(**objects)` returns the app's contribution to `page`, or None when it has
    nothing to show there. Registering the same provider twice (a second ready()) is a no-op."""
    providers = _providers.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)


def contributions(page: str, **objects) -> list[Contribution]:
    """The contributions of every app to `page` for these objects, in the order of
    INSTALLED_APPS."""
    found = (provider(**objects) for provider in _providers.get(page, ()))
    return [contribution for contribution in found if contribution is not None]


def merged(found: list[Contribution]) -> dict[str, Any]:
    """The contributions' context merged, and the contributions themselves as `contributions`,
    for the page's template."""
    context: dict[str, Any] = {}
    for contribution in found:
        context.update(contribution.context)
    context["contributions"] = found
    return context


def page_context(page: str, **objects) -> dict[str, Any]:
    """`merged(contributions(page, **objects))`."""
    return merged(contributions(page, **objects))


def posted_action(found: list[Contribution], data) -> Callable | None:
    """The action of the contribution whose button was pressed (its name is in the posted
    data), or None."""
    return next((action for c in found for name, action in c.actions.items() if name in data), None)
