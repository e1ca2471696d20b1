"""Knowledge distillation as a scikit-learn estimator."""

# SPDX-License-Identifier: BSD-3-Clause

from skdistill._distill import DistilledClassifier

__version__ = "0.1.0"

__all__ = ["DistilledClassifier", "__version__"]
