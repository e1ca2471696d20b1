"""Data sets bundled with skdistill, with their loaders."""

# SPDX-License-Identifier: BSD-3-Clause

from skdistill.datasets._base import load_srbct

__all__ = ["load_srbct"]
