"""Rank the features for a panel student and select the panel's columns.

A panel student reads only the ``max_features`` columns that best explain the
soft labels, for example a handful of genes that are cheap to assay. Every
ranking here uses only the transfer set: the rows, targets and weights that
the student is trained on.

- ``"univariate"`` scores each feature alone by the variance of the soft
  labels that a linear fit on it explains. It is cheap, reads sparse input
  without densifying it, and does not depend on the teacher's kind. Strongly
  correlated features get similar scores, so the panel can repeat one
  signal.
- ``"lasso"`` ranks features by the order in which they enter the path of a
  group lasso of the soft labels on standardised features, one group per
  feature across the classes. A feature that repeats one already in the
  model enters late, so the panel covers more distinct signals. The path
  runs on the best features by the univariate score only, so its cost grows
  with ``max_features`` rather than with the width of the data.
- ``"teacher"`` reads the teacher's ``feature_importances_`` or ``coef_``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import lasso_path
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing, check_array
from sklearn.utils.sparsefuncs import mean_variance_axis
from sklearn.utils.validation import _num_features

RANKINGS = ("univariate", "lasso", "teacher")

# The lasso path runs on this many times max_features columns, the best by the
# univariate score, and on at least LASSO_MIN_SCREENED of them.
LASSO_SCREEN_FACTOR = 10
LASSO_MIN_SCREENED = 200
# Penalties of the lasso path: LASSO_N_ALPHAS values on a log scale from the
# smallest penalty that keeps every coefficient at 0 down to LASSO_EPS times it.
LASSO_N_ALPHAS = 50
LASSO_EPS = 1e-3


def rank_features(
    ranking, X, soft_labels, *, sample_weight=None, teacher=None, max_features=None
):
    """Order the columns of ``X`` from the best to the worst for a panel.

    Parameters
    ----------
    ranking : {"univariate", "lasso", "teacher"} or callable
        How to score the features; see :func:`explained_variance_scores`,
        :func:`lasso_path_ranking` and :func:`teacher_importances`. A callable
        is called as ``ranking(X, soft_labels)`` and returns one score per
        column, higher meaning better; it does not receive ``sample_weight``.

    X : {ndarray, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Transfer rows.

    soft_labels : ndarray of shape (n_samples, n_classes)
        The targets the student learns, one column per class.

    sample_weight : ndarray of shape (n_samples,), default=None
        Weight of each transfer row.

    teacher : estimator, default=None
        The fitted teacher, needed by ``ranking="teacher"``.

    max_features : int, default=None
        Size of the panel, which sets how many columns ``"lasso"`` screens.
        None screens ``LASSO_MIN_SCREENED`` columns.

    Returns
    -------
    order : ndarray of shape (n_features,)
        Column indices, best first. Ties keep the column order, and a NaN
        score ranks last.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill._panel import rank_features
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(40, 3))
    >>> p = 1 / (1 + np.exp(-3 * X[:, 2] - X[:, 0]))
    >>> soft_labels = np.column_stack([1 - p, p])
    >>> rank_features("univariate", X, soft_labels)
    array([2, 0, 1])
    """
    if ranking == "lasso":
        return lasso_path_ranking(X, soft_labels, sample_weight, max_features)
    if ranking == "univariate":
        scores = explained_variance_scores(X, soft_labels, sample_weight)
    elif ranking == "teacher":
        scores = teacher_importances(teacher, X, sample_weight)
    else:
        scores = np.asarray(ranking(X, soft_labels), dtype=np.float64)
    _check_scores(scores, _num_features(X), ranking)
    return order_by_score(scores)


def order_by_score(scores):
    """Return the indices that sort ``scores`` from high to low, NaN last."""
    scores = np.where(np.isnan(scores), -np.inf, scores)
    return np.argsort(-scores, kind="stable")


def _check_scores(scores, n_features, ranking):
    if scores.shape == (n_features,):
        if callable(ranking) and np.isnan(scores).all():
            raise ValueError(
                f"feature_ranking={ranking!r} returned NaN for every feature, so "
                "it ranks none of them. Return one finite score per column, "
                "higher meaning better."
            )
        return
    if ranking == "teacher":
        raise ValueError(
            f"feature_ranking='teacher' got importances of shape {scores.shape} "
            f"from the teacher for {n_features} features of X. Use a teacher "
            "fitted on the columns of X, or feature_ranking='univariate'."
        )
    name = getattr(ranking, "__name__", repr(ranking))
    raise ValueError(
        f"feature_ranking={name} returned scores of shape {scores.shape} for "
        f"{n_features} features. A ranking callable must return one score per "
        f"column of X, an array of shape ({n_features},), higher meaning better."
    )


def explained_variance_scores(X, soft_labels, sample_weight=None):
    """Score each feature by the variance of the soft labels it explains alone.

    The score of feature ``j`` is ``sum_k cov(x_j, t_k) ** 2 / var(x_j)``, the
    variance of the soft labels ``t`` that a least-squares line on ``x_j``
    explains, summed over the classes ``k``. Means, variances and covariances
    are weighted by ``sample_weight``. A constant feature scores 0.

    Parameters
    ----------
    X : {ndarray, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Numeric rows without NaN. A sparse matrix is never densified.

    soft_labels : ndarray of shape (n_samples, n_classes)
        Targets, one column per class.

    sample_weight : ndarray of shape (n_samples,), default=None
        Row weights; None weighs every row 1.

    Returns
    -------
    scores : ndarray of shape (n_features,)

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill._panel import explained_variance_scores
    >>> X = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0]])
    >>> soft_labels = np.array([[1.0, 0.0], [0.8, 0.2], [0.2, 0.8], [0.0, 1.0]])
    >>> explained_variance_scores(X, soft_labels).round(3)
    array([0.324, 0.   ])
    """
    X = _numeric_rows(X, "univariate")
    weight = _normalised_weight(sample_weight, X.shape[0])
    _, variance = _weighted_mean_variance(X, weight)
    covariance = _weighted_covariance(X, soft_labels, weight)
    scores = np.zeros(X.shape[1])
    varies = variance > _variance_floor(variance)
    scores[varies] = np.sum(covariance[varies] ** 2, axis=1) / variance[varies]
    return scores


def lasso_path_ranking(X, soft_labels, sample_weight=None, max_features=None):
    """Order features by when they enter a group lasso path of the soft labels.

    The soft labels are regressed on the standardised features with a
    penalty on the Euclidean norm of each feature's coefficients across the
    classes (:func:`sklearn.linear_model.lasso_path` with a 2-D target). The
    penalty falls from the value that keeps every coefficient at 0, and a
    feature ranks higher the earlier its coefficients turn nonzero. Features
    that enter at the same penalty, that never enter, or that are not screened
    are ordered by :func:`explained_variance_scores`.

    Only the ``max(LASSO_MIN_SCREENED, LASSO_SCREEN_FACTOR * max_features)``
    features with the best univariate score enter the path. They are
    densified, but the rest of a sparse ``X`` is not. Rows are weighted by
    ``sample_weight`` in the means, the standard deviations and the loss.

    Parameters
    ----------
    X : {ndarray, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Numeric rows without NaN.

    soft_labels : ndarray of shape (n_samples, n_classes)
        Targets, one column per class.

    sample_weight : ndarray of shape (n_samples,), default=None
        Row weights; None weighs every row 1.

    max_features : int, default=None
        Size of the panel, which sets how many features are screened.

    Returns
    -------
    order : ndarray of shape (n_features,)
        Column indices, best first.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill._panel import lasso_path_ranking
    >>> rng = np.random.RandomState(0)
    >>> signal = rng.normal(size=60)
    >>> other = rng.normal(size=60)
    >>> copy = signal + 0.01 * rng.normal(size=60)
    >>> X = np.column_stack([signal, copy, other])
    >>> p = 1 / (1 + np.exp(-2 * signal - other))
    >>> order = lasso_path_ranking(X, np.column_stack([1 - p, p]))

    The near copy of the first feature scores as high alone, but it adds
    nothing once the first is in the model, so the other signal comes second:

    >>> order
    array([0, 2, 1])
    """
    X = _numeric_rows(X, "lasso")
    n_samples, n_features = X.shape
    weight = _normalised_weight(sample_weight, n_samples)
    univariate = explained_variance_scores(X, soft_labels, weight)
    univariate_order = order_by_score(univariate)

    n_screened = LASSO_MIN_SCREENED
    if max_features is not None:
        n_screened = max(n_screened, LASSO_SCREEN_FACTOR * max_features)
    screened = univariate_order[:n_screened]
    entry_step = _lasso_entry_steps(take_columns(X, screened), soft_labels, weight)

    # Sort by entry step first, then by univariate score, then by column.
    path_order = np.lexsort((-univariate[screened], entry_step))
    return np.concatenate([screened[path_order], univariate_order[n_screened:]])


def _lasso_entry_steps(X, soft_labels, weight):
    """Return the step of the penalty path at which each column turns nonzero.

    A column that never does, or that is constant, gets ``LASSO_N_ALPHAS``.
    """
    X = X.toarray() if sp.issparse(X) else np.array(X, dtype=np.float64)
    n_samples, n_features = X.shape
    mean, variance = _weighted_mean_variance(X, weight)
    varies = variance > _variance_floor(variance)
    entry_step = np.full(n_features, LASSO_N_ALPHAS)
    if not varies.any():
        return entry_step

    # Weighted least squares as ordinary least squares on rows scaled by
    # sqrt(weight), with the weights summing to n_samples as lasso_path's
    # loss divides by n_samples.
    row_scale = np.sqrt(weight * n_samples)[:, np.newaxis]
    standardised = (X[:, varies] - mean[varies]) / np.sqrt(variance[varies])
    design = standardised * row_scale
    target = (soft_labels - weight @ soft_labels) * row_scale

    correlation = np.linalg.norm(design.T @ target, axis=1) / n_samples
    alpha_max = correlation.max()
    if alpha_max == 0:
        return entry_step
    alphas = np.geomspace(alpha_max, alpha_max * LASSO_EPS, LASSO_N_ALPHAS)
    with warnings.catch_warnings():
        # Only the order in which coefficients leave 0 is read. It is set at
        # the large penalties, which converge even when the small ones do not.
        warnings.simplefilter("ignore", ConvergenceWarning)
        _, coefs, _ = lasso_path(design, target, alphas=alphas)

    # coefs has shape (n_classes, n_features, n_alphas) for a 2-D target.
    active = np.any(coefs != 0, axis=0)
    entered = active.any(axis=1)
    varying_steps = np.full(active.shape[0], LASSO_N_ALPHAS)
    varying_steps[entered] = np.argmax(active[entered], axis=1)
    entry_step[varies] = varying_steps
    return entry_step


def teacher_importances(teacher, X, sample_weight=None):
    """Read a fitted teacher's importance of each input feature.

    The teacher's ``feature_importances_`` are used as they are. For a linear
    teacher, the importance of a feature is the Euclidean norm of its
    ``coef_`` across the classes times its standard deviation on ``X``
    (weighted by ``sample_weight``). That is the effect of one standard
    deviation, so the units of the features do not decide the ranking. A teacher
    wrapped in :class:`~sklearn.frozen.FrozenEstimator` is unwrapped. In a
    Pipeline, the last step's importances are used when the earlier steps keep
    the columns one to one. That is, their ``get_feature_names_out`` returns
    the input names unchanged and in order, as a scaler's does, or an
    imputer's that drops no column.

    Parameters
    ----------
    teacher : estimator
        The fitted teacher.

    X : {ndarray, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Transfer rows, for the standard deviations of a linear teacher.

    sample_weight : ndarray of shape (n_samples,), default=None
        Row weights for the standard deviations.

    Returns
    -------
    importances : ndarray of shape (n_features,)

    Raises
    ------
    ValueError
        When the teacher has neither attribute, or when the steps before a
        Pipeline's last step do not keep the columns one to one.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdistill._panel import teacher_importances
    >>> X = np.array([[0.0, 0.0], [1.0, 10.0], [2.0, 0.0], [3.0, 10.0]])
    >>> y = np.array([0, 0, 1, 1])
    >>> teacher = LogisticRegression().fit(X, y)
    >>> int(teacher_importances(teacher, X).argmax())
    0
    """
    model = teacher.estimator if isinstance(teacher, FrozenEstimator) else teacher
    model_input = X
    if isinstance(model, Pipeline):
        _check_one_to_one(model, X)
        model_input = model[:-1].transform(X)
        model = model[-1]

    importances = getattr(model, "feature_importances_", None)
    if importances is not None:
        return np.asarray(importances, dtype=np.float64)

    coef = getattr(model, "coef_", None)
    if coef is None:
        raise ValueError(
            f"feature_ranking='teacher' needs a teacher with feature_importances_ "
            f"or coef_, but the fitted {type(model).__name__} has neither. Use "
            "feature_ranking='univariate' or 'lasso', which rank the features by "
            "the soft labels and work with any teacher."
        )
    coef = coef.toarray() if sp.issparse(coef) else np.asarray(coef, dtype=np.float64)
    model_input = _numeric_rows(model_input, "teacher")
    coef = coef.reshape(-1, model_input.shape[1])
    weight = _normalised_weight(sample_weight, model_input.shape[0])
    _, variance = _weighted_mean_variance(model_input, weight)
    return np.linalg.norm(coef, axis=0) * np.sqrt(variance)


def _check_one_to_one(pipeline, X):
    """Raise unless the steps before the last keep the columns one to one."""
    n_features = _num_features(X)
    names = getattr(pipeline, "feature_names_in_", None)
    if names is None:
        names = np.asarray([f"x{i}" for i in range(n_features)], dtype=object)
    steps = pipeline[:-1]
    try:
        names_out = steps.get_feature_names_out(names)
    except (AttributeError, ValueError):
        # A step without get_feature_names_out (AttributeError), or one that
        # cannot name its output from these names (ValueError), gives no map
        # from its output columns back to the input columns.
        names_out = None
    if names_out is not None and np.array_equal(names_out, names):
        return
    step_names = ", ".join(name for name, _ in pipeline.steps[:-1])
    raise ValueError(
        "feature_ranking='teacher' reads the importances of the teacher "
        f"Pipeline's last step {type(pipeline[-1]).__name__}, but the steps "
        f"before it ({step_names}) do not keep the input columns one to one, so "
        "those importances do not refer to the input features. Use "
        "feature_ranking='univariate' or 'lasso', which rank the input features "
        "by the soft labels."
    )


def _numeric_rows(X, ranking):
    """Return ``X`` as a float array or CSC matrix, naming the ranking on error."""
    try:
        return check_array(X, accept_sparse="csc", dtype=np.float64)
    except (TypeError, ValueError) as exc:
        reason = str(exc).rstrip(".")
        raise ValueError(
            f"feature_ranking={ranking!r} needs numeric features without NaN or "
            f"infinity, but the transfer rows could not be read as such: {reason}. "
            "Impute and encode the features before DistilledClassifier, or pass "
            "a callable feature_ranking that reads them."
        ) from exc


def _normalised_weight(sample_weight, n_samples):
    if sample_weight is None:
        return np.full(n_samples, 1.0 / n_samples)
    return np.asarray(sample_weight, dtype=np.float64) / np.sum(sample_weight)


def _weighted_mean_variance(X, weight):
    if sp.issparse(X):
        return mean_variance_axis(sp.csc_matrix(X), axis=0, weights=weight)
    mean = weight @ X
    return mean, weight @ (X - mean) ** 2


def _weighted_covariance(X, soft_labels, weight):
    # The soft labels alone are centred: sum_i w_i (t_i - mean(t)) is 0, so
    # centring X too would not change the products, and a sparse X stays sparse.
    centred = (soft_labels - weight @ soft_labels) * weight[:, np.newaxis]
    return np.asarray(X.T @ centred)


def _variance_floor(variance):
    # Rounding leaves a constant column with a variance near machine epsilon
    # times its squared mean, which must not count as signal.
    return np.finfo(np.float64).eps * max(1.0, float(np.max(variance, initial=0.0)))


def check_unique_columns(X):
    """Raise if a DataFrame ``X`` has a column name more than once.

    scikit-learn 1.9.1's ``validate_data`` already rejects such a DataFrame.
    This check keeps the panel's names unambiguous whatever the version.
    """
    columns = getattr(X, "columns", None)
    if columns is None:
        return
    counts = Counter(columns)
    duplicated = [repr(label) for label, count in counts.items() if count > 1]
    if duplicated:
        raise ValueError(
            "max_features names the panel by the DataFrame's columns, but the "
            f"columns {', '.join(duplicated)} occur more than once, so a panel "
            "column would have an ambiguous name. Rename the columns so that each "
            "is unique, or set max_features=None."
        )


def take_columns(X, columns):
    """Return the ``columns`` of ``X``, given by position, in their order.

    Parameters
    ----------
    X : {ndarray, sparse matrix, DataFrame, list} of shape (n_samples, \
            n_features)
        Rows.

    columns : ndarray of int
        Column positions.

    Returns
    -------
    X_columns : object of shape (n_samples, len(columns))
        The same kind as ``X``, but a sparse matrix other than CSR or CSC
        comes back as CSR, and a list of rows as an array.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill._panel import take_columns
    >>> take_columns(np.arange(6).reshape(2, 3), np.array([2, 0]))
    array([[2, 0],
           [5, 3]])
    """
    if isinstance(X, np.ndarray):
        return X[:, columns]
    if hasattr(X, "iloc"):
        return X.iloc[:, columns]
    if sp.issparse(X):
        if X.format not in ("csr", "csc"):
            X = X.tocsr()
        return X[:, columns]
    if isinstance(X, list):
        return np.asarray(X)[:, columns]
    return _safe_indexing(X, columns, axis=1)
