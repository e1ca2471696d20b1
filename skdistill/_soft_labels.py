"""Turn a classifier's outputs into probabilities aligned with ``classes_``.

Both the teacher (to make soft labels) and a classifier student (to predict)
go through :func:`predict_proba_aligned`, so a column always means the
same label whichever model produced it.
"""

# SPDX-License-Identifier: BSD-3-Clause

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_expit, log_softmax
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline

# Upper end of the search of fit_temperature. At T = 20 a 0.99 / 0.01 split
# becomes 0.56 / 0.44, close to uniform.
MAX_TEMPERATURE = 20.0
# Below this many rows of positive weight, fit_temperature keeps T = 1: one
# confident mistake among two rows would otherwise soften every label to 20.
TEMPERATURE_MIN_ROWS = 10
# The smallest drop of the mean negative log-likelihood, in nats per row, for
# which fit_temperature leaves T = 1. Below it the search only follows
# rounding noise, for example on one-hot probabilities.
TEMPERATURE_GAIN = 1e-9


def check_classes_known(estimator_classes, classes, *, role):
    """Raise if a fitted classifier predicts a label that ``y`` does not contain.

    Parameters
    ----------
    estimator_classes : ndarray of shape (n_estimator_classes,)
        The ``classes_`` of the fitted teacher or student.

    classes : ndarray of shape (n_classes,)
        The sorted unique labels of ``y``.

    role : str
        ``"teacher"`` or ``"student"``, used in the error message.
    """
    estimator_classes = np.asarray(estimator_classes).tolist()
    classes = np.asarray(classes).tolist()
    unknown = [label for label in estimator_classes if label not in set(classes)]
    if not unknown:
        return

    if len(unknown) == len(estimator_classes):
        raise ValueError(
            f"The {role}'s classes {estimator_classes!r} share no label "
            f"with the labels of y {classes!r}. Encode y the same way as the "
            f"labels the {role} was fitted on (for example both as integers or "
            "both as strings)."
        )
    raise ValueError(
        f"The {role} predicts classes {unknown!r} that do not occur in y "
        f"{classes!r}. Fit the {role} on the same label set as y, or pass "
        "rows of those classes in y."
    )


def teacher_proba(teacher, X, classes):
    """Compute the teacher's probabilities, one column per class of ``y``.

    Like :func:`predict_proba_aligned`, but a teacher that has neither
    ``predict_proba`` nor ``decision_function`` once fitted is a TypeError:
    its hard predictions carry no soft label. Some meta-estimators, such as
    ``StackingClassifier``, only expose those methods once fitted.
    """
    if not (hasattr(teacher, "predict_proba") or hasattr(teacher, "decision_function")):
        raise TypeError(
            f"The fitted teacher {type(teacher).__name__} has neither "
            "predict_proba nor decision_function, so it gives no soft labels. "
            "Use a classifier with one of them, or wrap it in "
            "sklearn.calibration.CalibratedClassifierCV."
        )
    return predict_proba_aligned(teacher, X, classes)


def predict_proba_aligned(estimator, X, classes):
    """Compute a fitted classifier's probabilities, one column per class.

    The estimator's ``predict_proba`` is used when it has one. Otherwise its
    ``decision_function`` is turned into probabilities: a softmax of the
    scores, or for a binary margin ``m`` the sigmoid ``P(classes_[1]) =
    1 / (1 + exp(-m))``. Both keep the argmax equal to ``predict``. An estimator
    with neither method gets probability 1 on the label that ``predict``
    returns.

    Columns are matched to ``classes`` by label, not by position, and a class
    the estimator never saw gets probability 0.

    Parameters
    ----------
    estimator : fitted classifier
        Has ``classes_``, all of them in ``classes``, and at least ``predict``.

    X : object
        Input that ``estimator`` accepts, passed to it unchanged.

    classes : ndarray of shape (n_classes,)
        The sorted labels, in the order of the output columns.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)
        Probabilities; each row sums to 1.
    """
    estimator_classes = np.asarray(estimator.classes_)
    if hasattr(estimator, "predict_proba"):
        own_proba = np.asarray(estimator.predict_proba(X), dtype=np.float64)
    elif hasattr(estimator, "decision_function"):
        _check_one_score_per_class(estimator, estimator_classes)
        scores = np.asarray(estimator.decision_function(X), dtype=np.float64)
        own_proba = np.exp(_log_proba_from_scores(scores))
    else:
        predicted = np.asarray(estimator.predict(X))
        own_proba = (predicted[:, np.newaxis] == estimator_classes).astype(np.float64)

    if own_proba.ndim != 2 or own_proba.shape[1] != len(estimator_classes):
        raise ValueError(
            f"{type(estimator).__name__} returned probabilities of shape "
            f"{own_proba.shape} for {len(estimator_classes)} classes. Its "
            "predict_proba or decision_function must give one column per class "
            "(or one margin for two classes)."
        )
    if np.isnan(own_proba).any():
        raise ValueError(
            f"{type(estimator).__name__} returned NaN probabilities or scores; "
            "check its input for NaN or infinite values."
        )

    if np.array_equal(estimator_classes, classes):
        return own_proba
    proba = np.zeros((own_proba.shape[0], len(classes)))
    proba[:, np.searchsorted(classes, estimator_classes)] = own_proba
    return proba


def _check_one_score_per_class(estimator, estimator_classes):
    # Only wrappers that pass decision_function through unchanged are opened;
    # OneVsRestClassifier around an 'ovo' SVC, say, does give one score a class.
    final_step = estimator
    while isinstance(final_step, FrozenEstimator | Pipeline):
        if isinstance(final_step, Pipeline):
            final_step = final_step.steps[-1][1]
        else:
            final_step = final_step.estimator
    shape = getattr(final_step, "decision_function_shape", "ovr")
    if shape == "ovo" and len(estimator_classes) > 2:
        raise ValueError(
            f"{type(final_step).__name__} has decision_function_shape='ovo', "
            "whose scores are per pair of classes, not per class, so they cannot "
            "be turned into class probabilities. Set "
            "decision_function_shape='ovr'."
        )


def _log_proba_from_scores(scores):
    if scores.ndim == 2 and scores.shape[1] == 1:
        scores = scores[:, 0]
    if scores.ndim == 1:
        # Binary margin: positive scores favour classes_[1].
        return np.column_stack([log_expit(-scores), log_expit(scores)])
    return log_softmax(scores, axis=1)


def soften(proba, temperature):
    """Soften probabilities with a temperature, in log space.

    Hinton, Vinyals and Dean (2015), "Distilling the Knowledge in a Neural
    Network", divide a network's logits by a temperature ``T`` before the
    softmax. For probabilities ``p`` this is ``p_T`` proportional to
    ``p ** (1 / T)``, computed here as ``softmax(log(p) / T)`` so that exact
    zeros stay zero and the result stays finite. ``T = 1`` returns ``p``
    renormalised, ``T > 1`` flattens it and ``T < 1`` sharpens it.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, n_classes)
        Probabilities; values below 0 (rounding noise) count as 0.

    temperature : float
        Strictly positive.

    Returns
    -------
    proba_T : ndarray of shape (n_samples, n_classes)
        Softened probabilities; each row sums to 1.

    Examples
    --------
    >>> from skdistill._soft_labels import soften
    >>> soften([[0.8, 0.2]], temperature=2.0).round(4)
    array([[0.6667, 0.3333]])
    """
    proba = np.clip(np.asarray(proba, dtype=np.float64), 0.0, None)
    with np.errstate(divide="ignore"):
        log_proba = np.log(proba)
    return np.exp(log_softmax(log_proba / temperature, axis=1))


def fit_temperature(proba, y_encoded, sample_weight=None):
    """Fit the temperature at which out-of-sample soft labels best predict ``y``.

    Temperature scaling (Guo, Pleiss, Sun and Weinberger, 2017, "On
    Calibration of Modern Neural Networks") picks the ``T`` that maximises
    the likelihood of the true labels under ``soften(proba, T)``. The
    negative log-likelihood is convex in ``1 / T``, so a bounded scalar search
    finds the minimum. Only ``T`` in ``[1, MAX_TEMPERATURE]`` is searched:
    the soft labels of an overconfident teacher are softened, those of an
    underconfident one are kept, because sharpening them towards one-hot
    labels would remove the uncertainty that distillation transfers.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, n_classes)
        The teacher's probabilities on rows it was not fitted on.

    y_encoded : ndarray of shape (n_samples,)
        Index of each row's true class in the columns of ``proba``.

    sample_weight : ndarray of shape (n_samples,), default=None
        Weight of each row in the likelihood.

    Returns
    -------
    temperature : float
        1.0 when no temperature above 1 raises the likelihood, or when fewer
        than ``TEMPERATURE_MIN_ROWS`` rows have a positive weight.

    Notes
    -----
    Softening leaves a probability of exactly 0 at 0, so a row whose true
    class has probability 0 adds the same term at every temperature and does
    not move the fit. Some teachers give the true class 0 on all their
    mistakes: a fully grown tree, a forest of a few trees, nearest
    neighbours, or decision-function scores whose softmax underflows. Such a
    teacher is left near ``T = 1`` however overconfident it is, because no
    temperature would change those labels.

    Examples
    --------
    Three rows in four are right at 0.9, so the fitted temperature turns 0.9
    into 0.75:

    >>> import numpy as np
    >>> from skdistill._soft_labels import fit_temperature
    >>> proba = np.tile([[0.9, 0.1], [0.9, 0.1], [0.9, 0.1], [0.1, 0.9]], (3, 1))
    >>> round(fit_temperature(proba, np.tile([0, 0, 1, 1], 3)), 2)
    2.0
    """
    proba = np.asarray(proba, dtype=np.float64)
    weight = np.ones(len(y_encoded)) if sample_weight is None else sample_weight
    if np.count_nonzero(weight) < TEMPERATURE_MIN_ROWS:
        return 1.0
    rows = np.arange(len(y_encoded))

    def loss(log_temperature):
        softened = soften(proba, np.exp(log_temperature))
        # A true class of probability 0 stays 0 at every temperature. The
        # floor keeps its row's term finite and constant.
        log_true = np.log(np.clip(softened[rows, y_encoded], 1e-12, None))
        return -np.average(log_true, weights=weight)

    result = minimize_scalar(
        loss, bounds=(0.0, np.log(MAX_TEMPERATURE)), method="bounded"
    )
    if not result.fun < loss(0.0) - TEMPERATURE_GAIN:
        return 1.0
    return float(np.exp(result.x))


def mix_hard_labels(proba, y_encoded, alpha):
    """Mix one-hot true labels into soft labels.

    Returns ``alpha * onehot(y) + (1 - alpha) * proba``, the target that
    Hinton et al. (2015) get from a weighted sum of the hard-label and the
    soft-label losses.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, n_classes)
        Soft labels.

    y_encoded : ndarray of shape (n_samples,)
        Index of each row's true class in the columns of ``proba``.

    alpha : float
        Weight of the hard label, in [0, 1].

    Returns
    -------
    target : ndarray of shape (n_samples, n_classes)
        Rows sum to 1.
    """
    if alpha == 0:
        return proba
    one_hot = np.zeros_like(proba)
    one_hot[np.arange(len(y_encoded)), y_encoded] = 1.0
    return alpha * one_hot + (1.0 - alpha) * proba
