"""Agreement, divergence and calibration metrics for teacher and student."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral, Real

import numpy as np
from scipy.special import rel_entr
from sklearn.frozen import FrozenEstimator
from sklearn.utils._param_validation import Interval, validate_params
from sklearn.utils.multiclass import unique_labels
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
)

from skdistill._distill import DistilledClassifier
from skdistill._soft_labels import teacher_proba


def _check_labels(y, name):
    if np.ndim(y) == 2 and np.shape(y)[1] > 1:
        raise ValueError(
            f"{name} has shape {np.shape(y)}, but fidelity_score compares class "
            "labels. Pass the output of predict, or np.argmax of probabilities "
            "mapped to classes_; to compare probabilities, use "
            "mean_kl_divergence or jensen_shannon_divergence."
        )
    y = column_or_1d(y)
    if len(y) == 0:
        raise ValueError(f"{name} is empty. Pass at least one label.")
    return y


def _check_weights(sample_weight, y):
    """Validate ``sample_weight`` for the rows of ``y``, ones when it is None."""
    sample_weight = _check_sample_weight(sample_weight, y, ensure_non_negative=True)
    if sample_weight.sum() <= 0:
        raise ValueError(
            "sample_weight sums to 0, so the weighted mean is undefined. Sample "
            "weights must contain at least one positive number."
        )
    return sample_weight


@validate_params(
    {
        "y_teacher": ["array-like"],
        "y_student": ["array-like"],
        "normalize": ["boolean"],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def fidelity_score(y_teacher, y_student, *, normalize=True, sample_weight=None):
    """Compute the agreement between the teacher's and the student's labels.

    Fidelity is the share of rows on which the student predicts the same
    class as the teacher, whether or not that class is the true one. It is
    :func:`~sklearn.metrics.accuracy_score` with the teacher's labels in place
    of the true labels.

    Parameters
    ----------
    y_teacher : array-like of shape (n_samples,)
        Labels predicted by the teacher.

    y_student : array-like of shape (n_samples,)
        Labels predicted by the student on the same rows.

    normalize : bool, default=True
        If ``True``, return the (weighted) share of agreeing rows. If
        ``False``, return their (weighted) number.

    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative row weights.

    Returns
    -------
    score : float
        Share of agreeing rows in [0, 1] when ``normalize=True``, otherwise
        their number or the sum of their weights.

    See Also
    --------
    student_fidelity : Fidelity of a fitted :class:`~skdistill.DistilledClassifier`
        to its teacher.

    Examples
    --------
    >>> from skdistill.metrics import fidelity_score
    >>> fidelity_score(["a", "b", "b", "a"], ["a", "b", "a", "a"])
    0.75
    >>> fidelity_score(["a", "b", "b", "a"], ["a", "b", "a", "a"], normalize=False)
    3.0
    """
    y_teacher = _check_labels(y_teacher, "y_teacher")
    y_student = _check_labels(y_student, "y_student")
    check_consistent_length(y_teacher, y_student, sample_weight)
    # Raises on a mix of string and numeric labels, which would never agree.
    unique_labels(y_teacher, y_student)
    sample_weight = _check_weights(sample_weight, y_teacher)

    agreement = sample_weight @ (y_teacher == y_student)
    if normalize:
        return float(agreement / sample_weight.sum())
    return float(agreement)


def check_teacher_kept(distiller):
    """Raise unless ``distiller`` is a fitted DistilledClassifier with ``teacher_``.

    Parameters
    ----------
    distiller : DistilledClassifier
        The estimator to check.
    """
    check_is_fitted(distiller, "student_")
    if hasattr(distiller, "teacher_"):
        return
    message = (
        "This DistilledClassifier was fitted with keep_teacher=False, so it has "
        "no teacher_ to compare the student with. Refit it with "
        "keep_teacher=True."
    )
    if isinstance(distiller.teacher, FrozenEstimator):
        message += (
            " Its frozen teacher is still in the teacher parameter: "
            "fidelity_score(distiller.teacher.predict(X), distiller.predict(X)) "
            "gives the fidelity without refitting."
        )
    raise ValueError(message)


def teacher_labels(distiller, X):
    """Predict the most probable class of ``distiller.teacher_`` for each row.

    These are the labels that ``fidelity_`` compares the student with. They
    equal ``teacher_.predict(X)`` unless the teacher's ``predict`` disagrees
    with its own ``predict_proba``, as ``SVC(probability=True)`` may.
    """
    proba = teacher_proba(distiller.teacher_, X, distiller.classes_)
    return distiller.classes_[np.argmax(proba, axis=1)]


@validate_params(
    {
        "distiller": [DistilledClassifier],
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like", None],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def student_fidelity(distiller, X, y=None, *, sample_weight=None):
    """Compute the fidelity of a distilled student to its teacher on ``X``.

    The student's predictions (``distiller.predict(X)``) are compared with
    the teacher's most probable classes, as in the ``fidelity_`` attribute,
    which measures the same on the transfer rows. The signature is that of a
    scorer, so the function can be passed as ``scoring`` to
    :func:`~sklearn.model_selection.cross_validate` or
    :class:`~sklearn.model_selection.GridSearchCV`.

    Parameters
    ----------
    distiller : DistilledClassifier
        A fitted distiller that kept its teacher (``keep_teacher=True``).

    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Rows in the form the distiller was fitted on.

    y : None
        Ignored. Fidelity needs no true labels; the parameter is there for
        the scorer signature ``scorer(estimator, X, y)``.

    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative row weights.

    Returns
    -------
    score : float
        Share of rows of ``X`` on which the student predicts the teacher's
        most probable class, in [0, 1].

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If ``distiller`` is not fitted.

    ValueError
        If ``distiller`` was fitted with ``keep_teacher=False``.

    See Also
    --------
    fidelity_score : Fidelity of two label vectors.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.metrics import student_fidelity
    >>> X, y = load_iris(return_X_y=True)
    >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
    >>> student = DecisionTreeClassifier(max_depth=3, random_state=0)
    >>> clf = DistilledClassifier(teacher, student, random_state=0).fit(X, y)
    >>> student_fidelity(clf, X) > 0.9
    True
    """
    check_teacher_kept(distiller)
    return fidelity_score(
        teacher_labels(distiller, X),
        distiller.predict(X),
        sample_weight=sample_weight,
    )


def check_proba(proba, name):
    """Validate a 2-D array of probabilities, one row per sample.

    Rows must be non-negative and sum to 1 within ``sqrt`` of the machine
    epsilon of their dtype (1.5e-8 for float64). scikit-learn 1.9's
    :func:`sklearn.metrics.log_loss` warns beyond the same tolerance.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes), dtype float64
    """
    proba = check_array(
        proba,
        ensure_2d=False,
        allow_nd=True,
        dtype=[np.float64, np.float32],
        input_name=name,
    )
    if proba.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D of shape (n_samples, n_classes), got shape "
            f"{proba.shape}. Pass the output of predict_proba; for a vector p of "
            "positive-class probabilities, pass np.column_stack([1 - p, p])."
        )
    negative_rows = np.flatnonzero((proba < 0).any(axis=1))
    if len(negative_rows):
        row = negative_rows[0]
        raise ValueError(
            f"{name} contains negative values, for example row {row}: "
            f"{proba[row].tolist()}. Pass probabilities from predict_proba, not "
            "scores from decision_function."
        )
    tolerance = np.sqrt(np.finfo(proba.dtype).eps)
    row_sums = proba.sum(axis=1, dtype=np.float64)
    bad_rows = np.flatnonzero(np.abs(row_sums - 1) > tolerance)
    if len(bad_rows):
        row = bad_rows[0]
        raise ValueError(
            f"The rows of {name} must sum to 1, but row {row} sums to "
            f"{row_sums[row]:.10g}. Pass probabilities from predict_proba, or "
            "normalise the rows with proba / proba.sum(axis=1, keepdims=True)."
        )
    return proba.astype(np.float64, copy=False)


def _check_proba_pair(p_teacher, p_student, sample_weight):
    if np.shape(p_teacher) != np.shape(p_student):
        raise ValueError(
            f"p_teacher has shape {np.shape(p_teacher)} but p_student has shape "
            f"{np.shape(p_student)}. Pass both models' probabilities for the same "
            "rows, with the columns in the same class order."
        )
    p_teacher = check_proba(p_teacher, "p_teacher")
    p_student = check_proba(p_student, "p_student")
    check_consistent_length(p_teacher, sample_weight)
    return p_teacher, p_student, _check_weights(sample_weight, p_teacher)


@validate_params(
    {
        "p_teacher": ["array-like"],
        "p_student": ["array-like"],
        "eps": [Interval(Real, 0, 1, closed="left")],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def mean_kl_divergence(p_teacher, p_student, *, eps=1e-12, sample_weight=None):
    """Compute the mean Kullback-Leibler divergence of student from teacher.

    For each row, ``KL(p_teacher || p_student) = sum_k p_teacher[k] *
    log(p_teacher[k] / p_student[k])``, with ``0 * log(0 / q) = 0``. It is
    the information lost when the student's probabilities replace the
    teacher's: 0 when the rows are equal, with no upper bound. The function
    returns its (weighted) mean over the rows, in nats (natural logarithm).
    Divide by ``log(2)`` for bits.

    Parameters
    ----------
    p_teacher : array-like of shape (n_samples, n_classes)
        Teacher probabilities; each row is non-negative and sums to 1.

    p_student : array-like of shape (n_samples, n_classes)
        Student probabilities for the same rows and classes.

    eps : float, default=1e-12
        Floor on ``p_student`` before the logarithm: values below it are
        raised to it and each row is renormalised. A student probability of 0
        where the teacher's is positive then costs at most about
        ``-log(eps)`` (27.6 nats for 1e-12) instead of infinity. ``eps=0``
        keeps the exact value, which may be ``inf``.

    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative row weights.

    Returns
    -------
    divergence : float
        Mean divergence in nats, at least 0.

    Raises
    ------
    ValueError
        If the arrays are not 2-D, differ in shape, or a row has a negative
        value or does not sum to 1.

    See Also
    --------
    jensen_shannon_divergence : Symmetric and bounded divergence.

    Examples
    --------
    >>> from skdistill.metrics import mean_kl_divergence
    >>> p_teacher = [[0.5, 0.5], [1.0, 0.0]]
    >>> p_student = [[0.5, 0.5], [0.5, 0.5]]
    >>> round(mean_kl_divergence(p_teacher, p_student), 6)  # log(2) / 2
    0.346574
    """
    p_teacher, p_student, sample_weight = _check_proba_pair(
        p_teacher, p_student, sample_weight
    )
    if eps > 0:
        p_student = np.maximum(p_student, eps)
        p_student /= p_student.sum(axis=1, keepdims=True)
    row_divergence = rel_entr(p_teacher, p_student).sum(axis=1)
    return float(np.average(row_divergence, weights=sample_weight))


@validate_params(
    {
        "p_teacher": ["array-like"],
        "p_student": ["array-like"],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def jensen_shannon_divergence(p_teacher, p_student, *, sample_weight=None):
    """Compute the mean Jensen-Shannon divergence between teacher and student.

    For each row, with ``m = (p_teacher + p_student) / 2``, the divergence is
    ``KL(p_teacher || m) / 2 + KL(p_student || m) / 2``. Unlike the
    Kullback-Leibler divergence it is symmetric, finite when a model gives a
    class probability 0, and bounded by ``log(2)`` (about 0.693), reached by
    rows with disjoint support. The function returns its (weighted) mean over
    the rows, in nats (natural logarithm). Each row's value is the square of
    :func:`scipy.spatial.distance.jensenshannon`.

    Parameters
    ----------
    p_teacher : array-like of shape (n_samples, n_classes)
        Teacher probabilities; each row is non-negative and sums to 1.

    p_student : array-like of shape (n_samples, n_classes)
        Student probabilities for the same rows and classes.

    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative row weights.

    Returns
    -------
    divergence : float
        Mean divergence in nats, in [0, log(2)].

    Raises
    ------
    ValueError
        If the arrays are not 2-D, differ in shape, or a row has a negative
        value or does not sum to 1.

    See Also
    --------
    mean_kl_divergence : Divergence that weighs the teacher's view.

    Examples
    --------
    >>> from skdistill.metrics import jensen_shannon_divergence
    >>> p_teacher = [[0.5, 0.5], [1.0, 0.0]]
    >>> p_student = [[0.5, 0.5], [0.0, 1.0]]
    >>> round(jensen_shannon_divergence(p_teacher, p_student), 6)  # log(2) / 2
    0.346574
    """
    p_teacher, p_student, sample_weight = _check_proba_pair(
        p_teacher, p_student, sample_weight
    )
    midpoint = (p_teacher + p_student) / 2
    row_divergence = (
        rel_entr(p_teacher, midpoint).sum(axis=1)
        + rel_entr(p_student, midpoint).sum(axis=1)
    ) / 2
    return float(np.average(row_divergence, weights=sample_weight))


def _check_class_labels(y_true, labels, n_columns):
    """Return ``labels`` as an array with one label per column of ``y_proba``."""
    if labels is None:
        labels = unique_labels(y_true)
        if len(labels) != n_columns:
            raise ValueError(
                f"y_true contains {len(labels)} classes {labels.tolist()} but "
                f"y_proba has {n_columns} columns. Pass labels, for example "
                "labels=clf.classes_, to name the class of each column."
            )
        return labels

    labels = column_or_1d(labels)
    if len(labels) != n_columns:
        raise ValueError(
            f"labels has {len(labels)} entries but y_proba has {n_columns} "
            "columns. Pass one label per column, in column order."
        )
    if len(np.unique(labels)) != len(labels):
        raise ValueError(f"labels contains duplicates: {labels.tolist()}.")
    unknown = np.setdiff1d(unique_labels(y_true), labels)
    if len(unknown):
        raise ValueError(
            f"y_true contains labels {unknown.tolist()} that are not in labels "
            f"{labels.tolist()}. Pass every class in labels."
        )
    return labels


@validate_params(
    {
        "y_true": ["array-like"],
        "y_proba": ["array-like"],
        "n_bins": [Interval(Integral, 1, None, closed="left")],
        "labels": ["array-like", None],
        "sample_weight": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def expected_calibration_error(
    y_true, y_proba, *, n_bins=10, labels=None, sample_weight=None
):
    """Compute the top-label expected calibration error (ECE).

    Each row's confidence is its largest probability, and the row is correct
    when that probability's class is the true one. Rows are grouped by
    confidence into ``n_bins`` equal-width bins on [0, 1], and the ECE is the
    mean over bins, weighted by their share of rows, of ``|accuracy -
    mean confidence|`` in the bin. It is 0 for a model whose confidence
    matches its accuracy and at most 1. The bins are those of
    :func:`sklearn.calibration.calibration_curve` with
    ``strategy="uniform"``: ``[0, 1/n_bins]``, then ``(k/n_bins, (k+1)/n_bins]``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.

    y_proba : array-like of shape (n_samples, n_classes)
        Predicted probabilities, as returned by ``predict_proba``; each row is
        non-negative and sums to 1.

    n_bins : int, default=10
        Number of equal-width confidence bins. With few rows per bin, the ECE
        is biased upwards, so use fewer bins for small test sets.

    labels : array-like of shape (n_classes,), default=None
        Class of each column of ``y_proba``, in column order (a classifier's
        ``classes_``). ``None`` takes the sorted labels of ``y_true``, which
        must then contain every class.

    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative row weights.

    Returns
    -------
    ece : float
        Expected calibration error, in [0, 1].

    Raises
    ------
    ValueError
        If ``y_proba`` is not 2-D probabilities, if its number of columns does
        not match the classes, or if ``y_true`` has a label not in ``labels``.

    See Also
    --------
    sklearn.calibration.calibration_curve : Accuracy and confidence per bin of
        a binary classifier.
    sklearn.metrics.brier_score_loss : Mean squared error of probabilities.

    Examples
    --------
    >>> from skdistill.metrics import expected_calibration_error
    >>> y_true = [0, 0, 1, 0]
    >>> y_proba = [[0.9, 0.1], [0.9, 0.1], [0.4, 0.6], [0.4, 0.6]]

    Two rows at confidence 0.9 with accuracy 1 and two at 0.6 with accuracy
    0.5 make two gaps of 0.1, each with half of the rows:

    >>> round(expected_calibration_error(y_true, y_proba), 6)
    0.1
    """
    y_true = _check_labels(y_true, "y_true")
    y_proba = check_proba(y_proba, "y_proba")
    check_consistent_length(y_true, y_proba, sample_weight)
    labels = _check_class_labels(y_true, labels, y_proba.shape[1])
    sample_weight = _check_weights(sample_weight, y_true)

    confidence = y_proba.max(axis=1)
    correct = labels[np.argmax(y_proba, axis=1)] == y_true
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bin_ids = np.searchsorted(edges[1:-1], confidence)

    bin_weight = np.bincount(bin_ids, weights=sample_weight, minlength=n_bins)
    bin_correct = np.bincount(
        bin_ids, weights=sample_weight * correct, minlength=n_bins
    )
    bin_confidence = np.bincount(
        bin_ids, weights=sample_weight * confidence, minlength=n_bins
    )
    # A bin's bin_correct - bin_confidence is its total weight times
    # (accuracy - mean confidence).
    gaps = np.abs(bin_correct - bin_confidence)
    return float(gaps.sum() / bin_weight.sum())
