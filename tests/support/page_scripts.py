"""What support.page asks the page, in JavaScript: one look at every cell, the blank
images, the kernel's state. Kept apart so the driver reads as Python."""

STDERR = "application/vnd.jupyter.stderr"


# One look at every cell of the notebook, taken inside the page. Cells are counted in
# page order, which is the file's order (windowing is off, so every cell is there).
CELLS_JS = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map(cell => {
  const outputs = Array.from(cell.querySelectorAll('.jp-OutputArea-output'));
  // The cell's own outputs, not those nested inside an Output widget.
  const own = outputs.filter(o => !o.parentElement.closest('.jp-OutputArea-output'));
  const images = Array.from(cell.querySelectorAll('.jp-OutputArea-output img'));
  return {
    code: cell.classList.contains('jp-CodeCell'),
    prompt: (cell.querySelector('.jp-InputArea-prompt') || {}).innerText || '',
    source: (cell.querySelector('.jp-InputArea-editor') || {}).innerText || '',
    text: (cell.querySelector('.jp-Cell-outputWrapper') || {}).innerText || '',
    stderr: outputs.filter(o => o.dataset.mimeType === '%(stderr)s').map(o => o.innerText),
    widgetViews: own.filter(o => o.querySelector(':scope > .jupyter-widgets')
                                 && !o.innerText.includes('Error displaying widget')).length,
    images: images.filter(img => img.complete && img.naturalWidth > 0).length,
    brokenImages: images.filter(img => img.complete && img.naturalWidth === 0).length,
  };
})""" % {"stderr": STDERR}


# The code cells' prompts ("[*]:" while queued or running, "[3]:" once run): what the wait
# for Run All polls, as text content, which needs no layout.
PROMPTS_JS = """() => Array.from(
  document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt'))
  .map(prompt => prompt.textContent)"""


# For each cell, the images that are (nearly) empty: under 1% of their pixels drawn in
# anything darker than light grey. Course plots draw 3% or more (axes, labels, legend,
# lines); a sparse one-line plot about 2%. Data-URI images can be read back freely.
BLANK_IMAGES_JS = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'))
  .map(cell =>
  Array.from(cell.querySelectorAll('.jp-OutputArea-output img'))
    .filter(img => img.complete && img.naturalWidth > 0)
    .filter(img => {
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const context = canvas.getContext('2d');
      context.drawImage(img, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let drawn = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        if (pixels[i + 3] > 32 && Math.min(pixels[i], pixels[i + 1], pixels[i + 2]) < 200) drawn++;
      }
      return drawn < 0.01 * canvas.width * canvas.height;
    })
    .map(img => img.closest('.widget-output') ? 'in a widget' : 'in the cell'))"""


KERNEL_JS = """() => ({
  name: (document.querySelector('.jp-NotebookPanel .jp-KernelName') || {}).innerText || '',
  status: ((document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator')
            || {}).dataset || {}).status || '',
  dialog: (document.querySelector('.jp-Dialog') || {}).innerText || '',
})"""


# Lab's own commands, through the app that Lab exposes to the page (support.lab starts it
# with expose_app_in_browser): open a notebook as File > Open does, and close every panel.
OPEN_NOTEBOOK_JS = """path => window.jupyterapp.commands.execute('docmanager:open', {path})
  .then(() => null)"""

# Close every panel of the main area; returns how many are left (0: all closed; -1: a
# dialog is open, so nothing was closed). The outputs changed since the last save (the Run
# buttons): closing must not ask to save.
CLOSE_NOTEBOOKS_JS = """() => {
  if (document.querySelector('.jp-Dialog')) return -1;
  const app = window.jupyterapp;
  for (const panel of Array.from(app.shell.widgets('main'))) {
    if (panel.context) panel.context.model.dirty = false;
    panel.dispose();
  }
  return Array.from(app.shell.widgets('main')).length;
}"""
