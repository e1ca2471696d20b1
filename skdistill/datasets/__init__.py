"""Data sets bundled with skdistill, with their loaders."""

# SPDX-License-Identifier: BSD-3-Clause

from skdistill.datasets._leukemia import load_leukemia
from skdistill.datasets._splice import load_splice
from skdistill.datasets._srbct import load_srbct
from skdistill.datasets._yeast import load_yeast

__all__ = ["load_leukemia", "load_splice", "load_srbct", "load_yeast"]
