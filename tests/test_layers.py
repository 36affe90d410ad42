"""Imports in helpers run one way, read from the source with ast.

    exercises, bench, notebook  ->  views  ->  strategies, measure, costs, lesson  ->  clients  ->  loops
    ->  service  ->  wire, cpu  ->  validate, limits, environment  ->  errors

A module may import from its own package and from layers below its own, never above
or beside. Two rules more: clients never import the service (they take an address),
and only views import matplotlib, ipywidgets or IPython's display. The last test
imports the lower layers in a Python where matplotlib and ipywidgets do not exist.
"""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

import helpers

PACKAGE = Path(helpers.__file__).parent
LAYERS = [  # lowest first; the top-level name under helpers/ of each module
    {"errors"},
    {"validate", "limits", "environment"},
    {"wire", "cpu", "backlog", "open_files"},
    {"service"},
    {"loops"},
    {"clients"},
    {"strategies", "measure", "costs", "lesson"},
    {"views"},
    {"exercises", "bench", "notebook", "edition"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
NEVER = {("clients", "service")}  # (importer, imported) that the ranks alone would allow
DRAWING = ("matplotlib", "ipywidgets", "IPython.display")


def modules():
    """(top-level name, dotted module name, path) for every module of helpers."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield (parts[1] if len(parts) > 1 else "__init__"), ".".join(parts), path


def imported(dotted, path):
    """Every absolute module name that `path` imports, at any depth (functions too)."""
    package = dotted if path.name == "__init__.py" else dotted.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module
            if stem == "helpers":  # `from .. import validate`: the names are the modules
                yield from (f"{stem}.{alias.name}" for alias in node.names)
            else:
                yield stem


def helpers_layer(name):
    """The top-level name under helpers/ of an imported module, or None if outside."""
    parts = name.split(".")
    if parts[0] != "helpers":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in RANK else "__init__"


def test_every_module_has_a_layer():
    unplaced = {top for top, _dotted, _path in modules() if top not in RANK | {"__init__": 0}}
    assert not unplaced, f"add these to LAYERS in tests/test_layers.py: {sorted(unplaced)}"


@pytest.mark.parametrize("top, dotted, path", list(modules()), ids=lambda v: str(v))
def test_imports_run_one_way(top, dotted, path):
    if top == "__init__":
        return  # the front door re-exports from below; nothing imports it from helpers
    wrong = []
    for name in set(imported(dotted, path)):
        target = helpers_layer(name)
        if target is None or target == top:
            continue
        if target == "__init__":
            wrong.append(f"{name} (the front door: import from the module that defines it)")
        elif RANK[target] >= RANK[top] or (top, target) in NEVER:
            wrong.append(f"{name} ({target} may not be imported by {top})")
    assert not wrong, f"{dotted} imports against the layers: {sorted(wrong)}"


@pytest.mark.parametrize("top, dotted, path", list(modules()), ids=lambda v: str(v))
def test_only_views_draw(top, dotted, path):
    if top == "views":
        return
    drawing = sorted(name for name in set(imported(dotted, path))
                     if name.startswith(DRAWING))
    assert not drawing, f"{dotted} imports {drawing}: drawing belongs in helpers/views/"


def test_the_checker_sees_a_wrong_arrow(tmp_path):
    """The parser must find relative imports, else every test above passes vacuously."""
    fake = tmp_path / "clients" / "tasks.py"
    fake.parent.mkdir()
    fake.write_text("from ..service import Service\nfrom ..views import plot_latency\n"
                    "def late():\n    import matplotlib.pyplot\n")
    names = set(imported("helpers.clients.tasks", fake))
    assert {"helpers.service", "helpers.views", "matplotlib.pyplot"} <= names


def test_the_lower_layers_import_without_matplotlib_or_ipywidgets():
    code = ("import sys\n"
            "sys.modules['matplotlib'] = None\n"
            "sys.modules['ipywidgets'] = None\n"
            "import helpers.service, helpers.clients, helpers.loops, helpers.strategies\n"
            "import helpers.measure, helpers.costs, helpers.wire\n"
            "from helpers.strategies import STRATEGIES\n"
            "print(sorted(STRATEGIES))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "serial" in done.stdout
