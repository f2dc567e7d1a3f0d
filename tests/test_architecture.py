"""The apps' dependency order (README, "Architecture"), read from the imports of every module:
core ← agencies ← measures ← reporting ← reporting.summaries / commissions ← operations ←
publication. An app imports only the apps before it; the summary's package and the commissions
do not import each other; no app imports the project package (plan_portal)."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
# Each layer may import the layers before it. The summary's package (reporting/summaries) is a
# layer of its own, above the annual reports, beside the commissions.
LAYERS = [
    {"core"},
    {"agencies"},
    {"measures"},
    {"reporting"},
    {"reporting.summaries", "commissions"},
    {"operations"},
    # The API and the public pages read every app below; none imports them.
    {"publication"},
]
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}
OURS = {
    "core", "agencies", "measures", "reporting", "commissions", "operations", "publication",
    "plan_portal",
}  # fmt: skip
# The reporting app's public modules: DESIGN.md names summary_generate, summary_send and
# summary_xlsx/summary_docx in reporting.services and reporting.exports, and the app's
# AppConfig registers the summary's contributions to other apps' pages (core.pages).
PUBLIC_FACES = {"reporting.services", "reporting.exports", "reporting.apps"}


def layer_of(module: str) -> str | None:
    """The layer a dotted module name belongs to, or None if it is not ours."""
    if module == "reporting.summaries" or module.startswith("reporting.summaries."):
        return "reporting.summaries"
    top = module.split(".")[0]
    return top if top in OURS else None


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import in the source, at any depth (functions included)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # `from reporting import summaries` imports the package too.
            found.extend(
                (node.lineno, f"{node.module}.{alias.name}")
                for alias in node.names
                if layer_of(f"{node.module}.{alias.name}") == "reporting.summaries"
            )
    return found


def violations(module: str, source: str) -> list[str]:
    """What `module` imports against the order, in words."""
    own = layer_of(module)
    problems = []
    for line, imported in imported_modules(source):
        other = layer_of(imported)
        if other is None or other == own:
            continue
        if other == "plan_portal":
            problems.append(f"{module}:{line} imports the project package ({imported})")
        elif LEVEL[other] >= LEVEL[own]:
            if module in PUBLIC_FACES and other == "reporting.summaries":
                continue
            problems.append(f"{module}:{line} ({own}) imports {imported} ({other})")
    return problems


def our_modules():
    for app in sorted(OURS - {"plan_portal"}):
        for path in sorted((BASE / app).rglob("*.py")):
            relative = path.relative_to(BASE).with_suffix("")
            yield ".".join(relative.parts).removesuffix(".__init__"), path


def test_every_app_imports_only_the_apps_before_it():
    problems = [
        problem
        for module, path in our_modules()
        for problem in violations(module, path.read_text(encoding="utf-8"))
    ]
    assert not problems, "\n".join(problems)


def test_the_order_is_the_order_of_installed_apps():
    ours = [app for app in settings.INSTALLED_APPS if app in OURS]
    assert ours == [
        "core", "agencies", "measures", "reporting", "commissions", "operations", "publication",
    ]  # fmt: skip


def test_the_public_faces_exist():
    modules = dict(our_modules())
    assert set(modules) >= PUBLIC_FACES


@pytest.mark.parametrize(
    ("module", "source", "found"),
    [
        ("agencies.views", "from measures.selectors import agency_assignments", True),
        ("measures.views", "def f():\n    from reporting import selectors", True),
        ("reporting.views", "from reporting.summaries import selectors", True),
        ("reporting.views", "from reporting import summaries", True),
        ("reporting.summaries.views", "from commissions import selectors", True),
        ("commissions.views", "import reporting.summaries.exports", True),
        ("core.views", "from agencies.models import User", True),
        ("reporting.models", "from plan_portal import settings", True),
        ("reporting.services", "from reporting.summaries.services import summary_send", False),
        ("reporting.summaries.views", "from reporting import permissions, selectors", False),
        ("commissions.services", "from reporting.models import ReportEntry", False),
        ("operations.backups", "from commissions.models import CommissionDocument", False),
        ("publication.selectors", "from reporting.models import Summary", False),
        ("reporting.selectors", "from publication import selectors", True),
        ("operations.scale", "from publication.models import ApiToken", True),
    ],
)
def test_the_check_finds_what_goes_against_the_order(module, source, found):
    assert bool(violations(module, source)) is found
