"""Every exercise's solution file runs and passes its own check."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SOLUTIONS = sorted((NOTEBOOKS / "solutions").glob("*.py"))


def test_the_notebooks_name_exactly_the_solution_files_there_are():
    named = {name for notebook in NOTEBOOKS.glob("*.ipynb")
             for name in re.findall(r"%load solutions/([\w.-]+\.py)", notebook.read_text())}
    assert len(named) >= 5, f"expected notebooks 01-05 to point to a solution each: {named}"
    assert named == {path.name for path in SOLUTIONS}, \
        "every %load line should name a solution file, and every solution file be named"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solution_passes_its_check(path):
    # Run as a learner would after %load: from the notebooks folder, in fast mode.
    run = subprocess.run([sys.executable, str(path)], cwd=NOTEBOOKS, capture_output=True,
                         text=True, timeout=120, env={**os.environ, "MPLBACKEND": "Agg"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "✓" in run.stdout and "Not attempted" not in run.stdout, run.stdout
