"""Export of a distilled student to ONNX.

:func:`export_onnx` writes the student of a fitted
:class:`~skdistill.DistilledClassifier`, with its feature panel, as an ONNX
model that onnxruntime and other ONNX runtimes can serve without
scikit-learn. It needs the ``onnx`` extra: ``pip install "skdistill[onnx]"``.
"""

# SPDX-License-Identifier: BSD-3-Clause

from skdistill._onnx import export_onnx

__all__ = ["export_onnx"]
