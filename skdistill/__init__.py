"""Knowledge distillation as a scikit-learn estimator."""

# SPDX-License-Identifier: BSD-3-Clause

from skdistill._distill import DistilledClassifier
from skdistill._synthetic import MUNGE, BinomialThinning

__version__ = "0.1.0"

__all__ = ["MUNGE", "BinomialThinning", "DistilledClassifier", "__version__"]
