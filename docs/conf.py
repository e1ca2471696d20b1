"""Sphinx configuration of the skdistill documentation.

Build from the root of the repository with warnings as errors:

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The build imports skdistill, so install it first (``pip install ".[docs]"``)
or put the repository root on ``PYTHONPATH``. sphinx-gallery runs every
``examples/plot_*.py`` during the build.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import os

import matplotlib
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

import skdistill
from skdistill.cli import build_parser

# argparse wraps help text to the terminal width, read from COLUMNS, so the
# pages get the same 80-column text wherever they are built.
os.environ["COLUMNS"] = "80"

# The gallery runs the examples in this process, and they must draw into
# files, never into a window.
matplotlib.use("Agg")

project = "skdistill"
author = "skdistill developers"
copyright = "skdistill developers"
version = skdistill.__version__
release = skdistill.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "benchmarks.md"]
root_doc = "index"

# Cross-references to other projects would need intersphinx inventories from
# the internet, so the build makes none.
intersphinx_mapping = {}

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
# The class pages list their methods through the autosummary template in
# _templates/, so numpydoc does not add a second list.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# Names in docstrings such as "ndarray" or "estimator" are descriptions, not
# targets to link.
numpydoc_xref_param_type = False

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "show_memory": False,
    "min_reported_time": 0,
}

html_theme = "pydata_sphinx_theme"
html_title = f"skdistill {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_static_path = []


class CommandHelp(SphinxDirective):
    """Directive ``.. skdistill-help:: [SUBCOMMAND]`` that inserts the ``--help`` text.

    The text comes from the parser that the ``skdistill`` command itself
    builds, so the page cannot fall out of date with the options.
    """

    optional_arguments = 1

    def run(self):
        parser = build_parser()
        if self.arguments:
            # argparse keeps no public map of subcommands. The one
            # _SubParsersAction among the parser's actions contains them.
            (subcommands,) = [
                action
                for action in parser._actions
                if isinstance(action, argparse._SubParsersAction)
            ]
            parser = subcommands.choices[self.arguments[0]]
        text = parser.format_help()
        return [nodes.literal_block(text, text, language="text")]


def setup(app):
    app.add_directive("skdistill-help", CommandHelp)
    return {"parallel_read_safe": True}
