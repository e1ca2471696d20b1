"""Write a :class:`~skdistill.metrics.DistillationReport` to files.

:func:`save_report` is the body of ``DistillationReport.save``. The report
supplies its title, tables and notes as strings, and this module lays them
out as Markdown or HTML next to ``report.json`` and ``report.png``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import base64
import html
import importlib
import io
import json
import os

from skdistill._atomic import write_bytes_atomic, write_text_atomic

FORMATS = {"markdown": "report.md", "html": "report.html"}
JSON_NAME = "report.json"
PNG_NAME = "report.png"
PLOT_ALT_TEXT = "Test scores, fidelity per teacher class and cost ratios"


def save_report(report, directory, *, format="markdown"):
    """Render the report and write its files into ``directory``.

    See ``DistillationReport.save`` for the files and the guarantees.
    """
    if format not in FORMATS:
        raise ValueError(
            f"Invalid format {format!r} for DistillationReport.save. Use one of "
            f"{', '.join(repr(name) for name in FORMATS)}."
        )
    # Everything is rendered before the first write, so that an error in a
    # renderer leaves the directory as it was.
    png = render_png(report)
    json_text = json.dumps(report.to_dict(), allow_nan=False, indent=2) + "\n"
    if format == "markdown":
        document = render_markdown(report, PNG_NAME if png is not None else None)
    else:
        document = render_html(report, png)

    directory = os.fspath(directory)
    os.makedirs(directory, exist_ok=True)
    contents = [(PNG_NAME, png), (JSON_NAME, json_text), (FORMATS[format], document)]
    paths = []
    # The document goes last, so that it never links to a PNG not yet written.
    for name, content in contents:
        if content is None:
            continue
        path = os.path.join(directory, name)
        if isinstance(content, bytes):
            write_bytes_atomic(path, content)
        else:
            write_text_atomic(path, content)
        paths.append(path)
    return paths


def render_png(report, *, dpi=100):
    """Return the report's plot as PNG bytes, or None without matplotlib.

    The figure is a bare :class:`matplotlib.figure.Figure`, which pyplot does
    not track, and ``savefig`` renders PNG with the Agg backend whatever
    backend pyplot uses.
    """
    try:
        figure_module = importlib.import_module("matplotlib.figure")
    except ImportError:
        return None
    figure = figure_module.Figure(figsize=(13, 4), layout="constrained")
    report._draw(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def render_markdown(report, png_name=None):
    """Return the report as a Markdown document, linking to ``png_name`` if set."""
    lines = [f"# {report._title()}", ""]
    for title, header, rows in report._sections():
        if title is not None:
            lines += [f"## {title}", ""]
        lines += _markdown_table(header, rows)
        lines.append("")
    lines += [f"{note}  " for note in report._notes()]
    if png_name is not None:
        lines += ["", f"![{PLOT_ALT_TEXT}]({png_name})"]
    return "\n".join(lines) + "\n"


def _markdown_table(header, rows):
    # The first column contains names and the others numbers, aligned right.
    separator = ["---"] + ["---:"] * (len(header) - 1)
    return [_markdown_row(row) for row in (header, separator, *rows)]


def _markdown_row(cells):
    return "| " + " | ".join(_escape_markdown(cell) for cell in cells) + " |"


def _escape_markdown(cell):
    # A pipe would end the cell and a newline the row. Angle brackets would
    # open raw HTML, and backticks and asterisks code spans and emphasis.
    cell = str(cell).replace("\\", "\\\\").replace("\n", " ")
    for character in "|`*<>":
        cell = cell.replace(character, "\\" + character)
    return cell


def render_html(report, png=None):
    """Return the report as a self-contained HTML page, embedding ``png``."""
    title = html.escape(report._title())
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>",
        "<style>",
        "body { font-family: sans-serif; margin: 2em; }",
        "table { border-collapse: collapse; margin-bottom: 1.5em; }",
        "th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; }",
        "th, td { text-align: right; font-variant-numeric: tabular-nums; }",
        "td:first-child, th:first-child { text-align: left; }",
        "img { max-width: 100%; }",
        "</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
    ]
    for section_title, header, rows in report._sections():
        if section_title is not None:
            parts.append(f"<h2>{html.escape(section_title)}</h2>")
        parts += _html_table(header, rows)
    parts += [f"<p>{html.escape(note)}</p>" for note in report._notes()]
    if png is not None:
        encoded = base64.b64encode(png).decode("ascii")
        parts.append(
            f'<img src="data:image/png;base64,{encoded}" '
            f'alt="{html.escape(PLOT_ALT_TEXT)}">'
        )
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _html_table(header, rows):
    head = "".join(f'<th scope="col">{html.escape(cell)}</th>' for cell in header)
    lines = ["<table>", f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row in rows:
        cells = [f'<th scope="row">{html.escape(row[0])}</th>']
        cells += [f"<td>{html.escape(cell)}</td>" for cell in row[1:]]
        lines.append(f"<tr>{''.join(cells)}</tr>")
    lines += ["</tbody>", "</table>"]
    return lines
