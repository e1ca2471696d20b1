"""Metrics that compare a distilled student with its teacher.

Label agreement (:func:`fidelity_score`, :func:`student_fidelity`),
divergences between probability rows (:func:`mean_kl_divergence`,
:func:`jensen_shannon_divergence`), top-label calibration
(:func:`expected_calibration_error`), and a side-by-side report of a fitted
:class:`~skdistill.DistilledClassifier` on test data
(:func:`distillation_report`, :class:`DistillationReport`). The Brier score is
:func:`sklearn.metrics.brier_score_loss`, which takes multiclass
probabilities with ``labels``.
"""

# SPDX-License-Identifier: BSD-3-Clause

from skdistill._metrics import (
    expected_calibration_error,
    fidelity_score,
    jensen_shannon_divergence,
    mean_kl_divergence,
    student_fidelity,
)
from skdistill._report import DistillationReport, distillation_report

__all__ = [
    "DistillationReport",
    "distillation_report",
    "expected_calibration_error",
    "fidelity_score",
    "jensen_shannon_divergence",
    "mean_kl_divergence",
    "student_fidelity",
]
