"""Readable views of a fitted distiller's student: tree rules and coefficients."""

# SPDX-License-Identifier: BSD-3-Clause

from skdistill._inspection import export_text, plot_tree

__all__ = ["export_text", "plot_tree"]
