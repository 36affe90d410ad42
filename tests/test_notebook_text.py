"""What a learner reads in the notebooks: links that lead somewhere, one rule for slack.

- The article the course grew from is linked wherever it is cited (README too).
- Every entry of every "Further reading" has a link.
- Timing asserts take their room from helpers.slack(), not from numbers typed into the
  cell, and no parameters cell keeps a knob that only existed for slack.
- Notebooks import what helpers exports, never a private name.
"""
import json
import importlib
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ARTICLE_TITLE = "Understanding Event Driven Systems"
# The address the author gives for his own post (Medium resolves the id to the article).
ARTICLE_URL = "https://medium.com/@saswatachakravarty/6bc167f59d40"

INLINE_LINK = re.compile(r"\[[^\]]+\]\((https?://[^)\s]+)\)")
REFERENCE_LINK = re.compile(r"\[[^\]]+\]\[([\w-]+)\]")
AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
DEFINITION = re.compile(r"^\[([\w-]+)\]: (https?://\S+)$", re.MULTILINE)


def cells(path, kind):
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]
            if c["cell_type"] == kind]


def links(text, definitions):
    """Every address a piece of markdown links to; reference links through `definitions`."""
    found = INLINE_LINK.findall(text) + AUTOLINK.findall(text)
    found += [definitions[name] for name in REFERENCE_LINK.findall(text) if name in definitions]
    return found


def further_reading_entries(markdown):
    """The entries after "Further reading": list items, or a paragraph split at ';'."""
    text = markdown.split("Further reading", 1)[1]
    text = DEFINITION.sub("", text).strip().lstrip("*:.").strip()
    if "\n- " in "\n" + text:
        items = re.split(r"^- ", text, flags=re.MULTILINE)
    else:
        items = text.split(";")
    return [" ".join(item.split()) for item in items if item.strip()]


def documents():
    """(name, markdown text) of every notebook's markdown cells, the README and the guide."""
    found = [(path.name, "\n\n".join(cells(path, "markdown"))) for path in NOTEBOOKS]
    return found + [(name, (ROOT / name).read_text()) for name in ("README.md", "TEACHERS.md")]


DOCUMENTS = documents()


@pytest.mark.parametrize("name, text", DOCUMENTS, ids=[name for name, _text in DOCUMENTS])
def test_the_article_is_linked_wherever_it_is_cited(name, text):
    definitions = dict(DEFINITION.findall(text))
    for paragraph in text.split("\n\n"):
        flat = " ".join(paragraph.split())
        if ARTICLE_TITLE in flat or re.search(r"\[the article\]", flat, re.IGNORECASE):
            assert ARTICLE_URL in links(flat, definitions), \
                f"{name}: this citation of the article has no link to it:\n{paragraph}"
    if re.search(r"\bthe article\b", text, re.IGNORECASE):
        assert ARTICLE_URL in links(" ".join(text.split()), definitions), \
            f"{name} speaks of the article but never links it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_further_reading_entry_has_a_link(path):
    readings = [cell for cell in cells(path, "markdown") if "Further reading" in cell]
    assert readings, f"{path.name}: no further reading"
    for cell in readings:
        definitions = dict(DEFINITION.findall(cell))
        entries = further_reading_entries(cell)
        assert entries, cell
        for entry in entries:
            assert links(entry, definitions), f"{path.name}: no link in {entry!r}"


def test_the_entry_splitter_sees_an_entry_without_a_link():
    """Else the test above could pass on text it never split."""
    entries = further_reading_entries(
        "**Further reading:** [PEP 255](https://peps.python.org/pep-0255/); a talk, 2015.")
    assert [bool(links(e, {})) for e in entries] == [True, False]
    listed = further_reading_entries("**Further reading.**\n- [a][ref]\n- *A book*\n\n"
                                     "[ref]: https://example.org/a")
    assert [bool(links(e, {"ref": "https://example.org/a"})) for e in listed] == [True, False]


# -- slack ------------------------------------------------------------------------------
# A number added to a prediction in an assert ("< DELAY + 0.5", "+ n * 0.01"), or a knob
# named for slack: what helpers.slack() is for.
TYPED_SLACK = re.compile(r"\+\s*(?:\w+\s*\*\s*)?\d*\.\d+|\bOVERHEAD\w*|\bSLACK\w*")


def asserts(source):
    """Each assert statement of a cell, with its continuation lines."""
    return re.findall(r"^\s*assert\b.*(?:\\\n.*)*", source, re.MULTILINE)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_timing_asserts_take_their_room_from_helpers_slack(path):
    for source in cells(path, "code"):
        for statement in asserts(source):
            condition = re.split(r",\s*(?:\\\s*)?f?\"", statement, maxsplit=1)[0]
            assert not TYPED_SLACK.search(condition), \
                f"{path.name}: use helpers.slack() instead of typed-in slack: {statement}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_parameters_cell_keeps_a_knob_for_slack(path):
    [parameters] = [c for c in json.loads(path.read_text())["cells"]
                    if "parameters" in c.get("metadata", {}).get("tags", [])]
    knobs = re.findall(r"^([A-Z_]+)\s*=", "".join(parameters["source"]), re.MULTILINE)
    assert not [k for k in knobs if "SLACK" in k or "OVERHEAD" in k], knobs


def test_the_slack_pattern_sees_what_it_should():
    assert TYPED_SLACK.search("x < DELAY + 0.5 + FEW * 0.01")
    assert TYPED_SLACK.search("x < n * (DELAY + 0.1)")
    assert TYPED_SLACK.search("x < DELAY + OVERHEAD")
    assert not TYPED_SLACK.search("x < DELAY + helpers.slack(FEW)")
    assert not TYPED_SLACK.search("0.95 * DELAY <= x")


# -- imports ----------------------------------------------------------------------------
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_only_public_names_of_helpers(path):
    for source in cells(path, "code"):
        for module, names in re.findall(r"^from (helpers[\w.]*) import \(?([^)]*?)\)?$",
                                        source, re.MULTILINE | re.DOTALL):
            assert not any(part.startswith("_") for part in module.split(".")), module
            private = [n.strip() for n in names.split(",") if n.strip().startswith("_")]
            assert not private, f"{path.name} imports private names {private} from {module}"
        assert not re.search(r"\bhelpers(?:\.\w+)*\._\w", source), \
            f"{path.name} reaches into a private name of helpers"


def is_face(module):
    """helpers, a subpackage of it or a flat module (helpers.X), or an exercise module:
    not a module inside a subpackage, whose names its package re-exports."""
    parts = module.split(".")
    return len(parts) <= 2 or (len(parts) == 3 and parts[1] == "exercises")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_from_package_faces_and_only_what_they_export(path):
    for source in cells(path, "code"):
        for module, names in re.findall(r"^from (helpers[\w.]*) import \(?([^)#]*?)\)?\s*(?:#.*)?$",
                                        source, re.MULTILINE | re.DOTALL):
            assert is_face(module), f"{path.name} imports from {module}: use its package's face"
            face = importlib.import_module(module)
            exported = getattr(face, "__all__", None)
            for name in (n.split(" as ")[0].strip() for n in names.split(",") if n.strip()):
                submodule = hasattr(face, "__path__") and \
                    importlib.util.find_spec(f"{module}.{name}") is not None
                assert exported is None or name in exported or submodule, \
                    f"{path.name} imports {name} from {module}, which does not export it"


def test_the_face_rule_sees_a_module_inside_a_subpackage():
    assert is_face("helpers.strategies") and is_face("helpers.exercises.threads")
    assert not is_face("helpers.strategies.asyncio_streams")
