"""Count the fitted parameters and tree nodes of common scikit-learn models."""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.frozen import FrozenEstimator
from sklearn.multioutput import MultiOutputClassifier, MultiOutputRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    MaxAbsScaler,
    MinMaxScaler,
    RobustScaler,
    StandardScaler,
)

# Estimators whose estimators_ contain all their fitted sub-models. Stacking
# and AdaBoost are left out because they also fit weights or a final model.
_SUM_OF_ESTIMATORS = (
    RandomForestClassifier,
    RandomForestRegressor,
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    MultiOutputClassifier,
    MultiOutputRegressor,
)

_SCALER_ATTRIBUTES = {
    StandardScaler: ("mean_", "scale_"),
    MinMaxScaler: ("min_", "scale_"),
    MaxAbsScaler: ("scale_",),
    RobustScaler: ("center_", "scale_"),
}


def count_parameters(estimator):
    """Count the fitted parameters and tree nodes of an estimator.

    Parameters are the numbers that a linear model, an MLP or a scaler
    learned (weights, intercepts, centres and scales). A tree counts its
    nodes instead. Pipelines, forests, gradient boosting and
    :class:`~sklearn.frozen.FrozenEstimator` add up their parts, leaving out
    the constant that gradient boosting starts from.

    Parameters
    ----------
    estimator : fitted estimator

    Returns
    -------
    counts : tuple of (int, int) or None
        ``(n_parameters, n_tree_nodes)``, or ``None`` when the estimator or
        one of its parts is of a kind this function does not count.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdistill._model_size import count_parameters
    >>> clf = LogisticRegression().fit([[0.0, 1.0], [1.0, 0.0]], [0, 1])
    >>> count_parameters(clf)
    (3, 0)
    """
    if isinstance(estimator, Pipeline):
        return _add_counts(
            step for _, step in estimator.steps if step not in (None, "passthrough")
        )
    if isinstance(estimator, FrozenEstimator):
        return count_parameters(estimator.estimator)
    if hasattr(estimator, "tree_"):
        return 0, int(estimator.tree_.node_count)
    if isinstance(estimator, _SUM_OF_ESTIMATORS):
        return _add_counts(_flat_estimators(estimator.estimators_))
    if isinstance(
        estimator, HistGradientBoostingClassifier | HistGradientBoostingRegressor
    ):
        return 0, _count_hist_gradient_boosting_nodes(estimator)
    if isinstance(estimator, MLPClassifier | MLPRegressor):
        layers = [*estimator.coefs_, *estimator.intercepts_]
        return sum(layer.size for layer in layers), 0
    if _is_linear(estimator):
        return _count_linear_parameters(estimator), 0
    if type(estimator) in _SCALER_ATTRIBUTES:
        arrays = (
            getattr(estimator, name) for name in _SCALER_ATTRIBUTES[type(estimator)]
        )
        return sum(np.size(array) for array in arrays if array is not None), 0
    return None


def _add_counts(estimators):
    n_parameters = n_tree_nodes = 0
    for estimator in estimators:
        counts = count_parameters(estimator)
        if counts is None:
            return None
        n_parameters += counts[0]
        n_tree_nodes += counts[1]
    return n_parameters, n_tree_nodes


def _flat_estimators(estimators):
    # Gradient boosting stores a 2-D array of trees, one column per class. A
    # list is not passed to numpy, which would unpack Pipelines into steps.
    if isinstance(estimators, np.ndarray):
        return estimators.ravel()
    return estimators


def _count_hist_gradient_boosting_nodes(estimator):
    # NOTE: _predictors, one list of TreePredictor per boosting iteration, is
    # private in scikit-learn (checked on 1.9.1); no public attribute gives
    # the trees.
    return sum(
        len(predictor.nodes)
        for iteration in estimator._predictors
        for predictor in iteration
    )


def _is_linear(estimator):
    # A linear-kernel SVC also has coef_, but predicts from its support
    # vectors, which coef_ does not count.
    return (
        hasattr(estimator, "coef_")
        and hasattr(estimator, "intercept_")
        and not hasattr(estimator, "support_vectors_")
    )


def _count_linear_parameters(estimator):
    n_intercepts = np.size(estimator.intercept_)
    if not getattr(estimator, "fit_intercept", True):
        n_intercepts = 0
    return np.size(estimator.coef_) + n_intercepts
