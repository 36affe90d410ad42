"""A notebook as JupyterLab saved it: what the kernel sent each cell (widgets, images),
whatever the page managed to render of it."""


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def first_line(source):
    lines = [line for line in source.splitlines() if line.strip()]
    return lines[0].strip()[:80] if lines else "(empty)"


def expected_views_and_images(cell):
    """(widget views, images) the kernel sent to this cell, as stored in the file."""
    views = images = 0
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        views += WIDGET_VIEW in data
        images += any(kind.startswith("image/") for kind in data)
    return views, images


def uses_matplotlib(notebook):
    source = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    return any(word in source for word in ("matplotlib", "helpers.views"))


def shows_widgets(notebook):
    return any(expected_views_and_images(cell)[0] for cell in notebook["cells"])
