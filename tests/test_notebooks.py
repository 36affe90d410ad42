"""The notebooks as files: output-free, all collected by nbval, listed in the README."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb"))
# Raise this as notebooks land: the collection must never shrink unnoticed.
AT_LEAST = 10


def test_the_collection_is_not_empty_and_never_shrinks():
    assert len(NOTEBOOKS) >= AT_LEAST, f"expected at least {AT_LEAST} notebooks, found {NOTEBOOKS}"


def test_nbval_collects_every_notebook():
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "notebooks"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    collected = {line.split("::")[0] for line in run.stdout.splitlines() if ".ipynb::" in line}
    expected = {f"notebooks/{p.name}" for p in NOTEBOOKS}
    assert collected == expected, run.stdout + run.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    cells = json.loads(path.read_text())["cells"]
    dirty = [i for i, c in enumerate(cells)
             if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_follows_the_skeleton(path):
    cells = json.loads(path.read_text())["cells"]
    assert re.fullmatch(r"\d\d-[a-z0-9-]+\.ipynb", path.name), "name notebooks NN-verb-phrase"
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    opening = "".join(cells[0]["source"])
    for part in ("What you'll do", "What you'll learn", "What you need"):
        assert part in opening, f"{path.name}: the first cell should say {part!r}"
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: needs exactly one cell tagged 'parameters'"
    assert any("assert " in "".join(c["source"]) for c in cells if c["cell_type"] == "code"), \
        f"{path.name}: no cell asserts its lesson"


def test_the_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"notebooks/(\d\d-[a-z0-9-]+\.ipynb)", readme))
    assert listed == {p.name for p in NOTEBOOKS}
