"""Functions' source, shown in columns, so that two spellings of one idea can be compared
line by line (notebook 08: a generator task, and the same request as coroutines)."""
import html
import inspect

from IPython.display import HTML

from ..errors import InvalidParameter


def side_by_side(*functions, titles=None):
    """An HTML table with one column per function: its title and its source."""
    if not functions or not all(callable(f) for f in functions):
        raise InvalidParameter("side_by_side() needs one or more functions to show, like "
                               "side_by_side(request_task, request_coro).")
    titles = list(titles) if titles is not None else [f.__name__ for f in functions]
    if len(titles) != len(functions):
        raise InvalidParameter(f"side_by_side() got {len(titles)} titles for "
                               f"{len(functions)} functions: one title per function.")
    cells = []
    for title, function in zip(titles, functions):
        try:
            source = inspect.getsource(function)
        except (OSError, TypeError):  # defined where Python kept no source (typed at a prompt)
            source = f"# the source of {function.__name__} is not available"
        cells.append(f"<td style='vertical-align:top;text-align:left'><b>{html.escape(title)}"
                     f"</b><pre style='font-size:85%'>{html.escape(source)}</pre></td>")
    return HTML(f"<table><tr>{''.join(cells)}</tr></table>")
