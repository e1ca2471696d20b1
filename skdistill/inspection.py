"""Readable views of a fitted distiller's student, and panel-size curves."""

# SPDX-License-Identifier: BSD-3-Clause

from skdistill._inspection import export_text, plot_tree
from skdistill._panel_curve import PanelCurveDisplay, panel_curve

__all__ = ["PanelCurveDisplay", "export_text", "panel_curve", "plot_tree"]
