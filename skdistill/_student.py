"""Train a student on soft targets and read its probabilities back.

A classifier student learns the targets in one of two ways. As weighted
repeated rows, row ``i`` appears once per class ``k`` with the class index
``k`` as its label and sample weight ``target[i, k]``: the weighted log-loss
of those rows equals the cross-entropy between the targets and the student's
probabilities, the loss that distillation minimises. As drawn labels, row
``i`` appears once with one class drawn from ``target[i]``: the expected
log-loss over the draw is the same cross-entropy, and the student trains on
the transfer rows themselves instead of a copy with repeated rows. A regressor
student fits the target probabilities directly, one output per class.

An MLP student gets its weight decay chosen on the transfer set. Trained on
hard labels, an MLP with scikit-learn's default ``alpha=1e-4`` generalises
because the log-loss keeps pushing its logits apart, so the learned weights
outgrow the random initial ones. A soft target is met with small logits, the
loss stops at the target's entropy after a few dozen epochs, and the random
initial weights stay as large as the learned ones: on SRBCT (83 x 2308) the
MLP fell from 0.962 to 0.732 test accuracy with cross-fitted labels half mixed
with the true ones, and to 0.600 on pure soft labels even with ``tol=0``.
Weight decay shrinks the random part. The amount that suits a data set depends
on its width, so it is picked by held-out cross-entropy against the soft
targets.
"""

# SPDX-License-Identifier: BSD-3-Clause

import math
import warnings
from numbers import Integral, Real

import numpy as np
from scipy.special import softmax
from sklearn import get_config
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.exceptions import ConvergenceWarning, UnsetMetadataPassedError
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.multioutput import MultiOutputRegressor
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.utils import _safe_indexing, check_random_state, get_tags
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.validation import has_fit_parameter

from skdistill._soft_labels import predict_proba_aligned

# Targets below this share are dropped from the repeated rows. Dropping them
# moves the loss by at most (n_classes - 1) * 1e-4 per row and keeps a
# 10-class problem from growing the student's training set tenfold.
MIN_TARGET = 1e-4

# Ways a classifier student can learn soft targets, and the number of transfer
# rows above which "auto" draws labels rather than repeating rows. At that size
# a repeated copy of a wide matrix costs more memory than the input. The draws
# cost accuracy (up to 4 points for an unpruned tree on 120,000 rows), so the
# threshold trades accuracy for memory.
STUDENT_ROWS = ("auto", "repeat", "sample")
SAMPLE_ABOVE_ROWS = 100_000

# Weight decays tried for an MLP student besides its own ``alpha``. On 5-fold
# CV with random forest soft labels, 1 or 10 was best on SRBCT and leukemia
# (thousands of genes, tens of rows) and the default 1e-4 on yeast (8
# features, 1,484 rows), where 1 lost 3 points.
MLP_ALPHA_CANDIDATES = (0.1, 1.0, 10.0)
# The transfer rows are split into this many folds, and one fold is held out to
# score each candidate.
MLP_ALPHA_VALIDATION_FOLDS = 3
# Rows in one minibatch of an MLP with batch_size="auto", as in scikit-learn.
AUTO_BATCH_ROWS = 200
# Below this many transfer rows the MLP keeps its own alpha.
MLP_ALPHA_MIN_ROWS = 10
# Weight of the true label in the student's target with alpha="auto", except
# for a logistic student that can fit every transfer row (resolve_alpha).
DEFAULT_ALPHA = 0.75


def check_student_kind(student):
    """Raise a TypeError for a student that cannot learn soft targets."""
    name = type(student).__name__
    if is_classifier(student):
        if not accepts_sample_weight(student):
            raise TypeError(
                f"The student {name} is a classifier whose fit does not accept "
                "sample_weight, which soft-label training needs. Use a classifier "
                "that accepts it (DecisionTreeClassifier, LogisticRegression, "
                "MLPClassifier) or a regressor such as KNeighborsRegressor."
            )
        return
    if is_regressor(student):
        return
    raise TypeError(
        f"The student {name} is neither a classifier nor a regressor. Pass a "
        "scikit-learn classifier whose fit accepts sample_weight (for example "
        "DecisionTreeClassifier) or a regressor (for example MLPRegressor), or a "
        "Pipeline ending in one."
    )


def final_step(estimator):
    """Return a Pipeline's last step, or the estimator itself."""
    if isinstance(estimator, Pipeline):
        return estimator.steps[-1][1]
    return estimator


def resolve_alpha(alpha, student, n_student_features, n_rows, *, frozen_teacher):
    """Return the weight of the true label in the student's target.

    A float is returned as it is. ``"auto"`` is 1 for a logistic student
    (alone or as a Pipeline's last step) that reads at least as many features
    as it has transfer rows, unless the teacher is frozen, and
    ``DEFAULT_ALPHA`` otherwise. A frozen teacher is a fitted model that the
    student is meant to follow, so its labels are kept.

    Such a student can reach any finite target on every row at a small
    weight norm, so its weak L2 penalty barely shapes the fit. On hard labels
    the penalty alone bounds the logits, and the fit approaches the
    maximum-margin direction, which rests on the rows nearest the boundary.
    On soft targets it fits every row's target log-odds exactly, which weighs
    all rows alike and turns the teacher's uncertainty about a row into a
    smaller margin there. Measured on leukemia (72 x 5147, 3 x 5-fold CV),
    that cost logistic regression 1 and 2 of 216 test predictions with SVC
    and random forest teachers, at every mix of true and soft labels tried
    below 1.

    Parameters
    ----------
    alpha : "auto" or float
        The ``alpha`` parameter.

    student : estimator
        The unfitted student.

    n_student_features : int or None
        Number of columns passed to the student, None when the input has no
        fixed number of columns.

    n_rows : int
        Number of transfer rows of positive weight, synthetic and unlabeled
        ones included.

    frozen_teacher : bool
        Whether the teacher is a :class:`~sklearn.frozen.FrozenEstimator`.

    Returns
    -------
    float
        The weight, in [0, 1].
    """
    if alpha != "auto":
        return float(alpha)
    if (
        not frozen_teacher
        and n_student_features is not None
        and n_student_features >= n_rows
        and _is_logistic(final_step(student))
    ):
        return 1.0
    return DEFAULT_ALPHA


def _is_logistic(estimator):
    """Return whether an estimator is a linear classifier fitted by the log-loss."""
    if isinstance(estimator, SGDClassifier):
        return estimator.loss == "log_loss"
    # LogisticRegressionCV is a subclass.
    return isinstance(estimator, LogisticRegression)


def accepts_sample_weight(estimator):
    """Tell whether ``fit`` takes ``sample_weight``, looking into a Pipeline."""
    return has_fit_parameter(final_step(estimator), "sample_weight")


def fit_student(
    student,
    X,
    target,
    classes,
    sample_weight=None,
    *,
    student_rows="repeat",
    mlp_alpha=None,
    random_state=None,
):
    """Fit an unfitted student on soft targets.

    Parameters
    ----------
    student : estimator
        A clone; it is fitted in place.

    X : object
        Transfer rows, in whatever form the student accepts.

    target : ndarray of shape (n_samples, n_classes)
        Target probabilities, rows summing to 1, columns ordered as ``classes``.

    classes : ndarray of shape (n_classes,)
        The labels.

    sample_weight : ndarray of shape (n_samples,), default=None
        Weight of each transfer row.

    student_rows : {"auto", "repeat", "sample"}, default="repeat"
        How a classifier student learns the targets: weighted repeated rows,
        one drawn label per row, or "repeat" up to ``SAMPLE_ABOVE_ROWS``
        rows and "sample" above. A regressor student ignores it.

    mlp_alpha : "auto", float or None, default=None
        Weight decay of an MLP student (a Pipeline's last step counts).
        ``"auto"`` picks it with :func:`choose_mlp_alpha`, a float sets it,
        and None keeps the student's own. Other students ignore it.

    random_state : int, RandomState instance or None, default=None
        Seed of the validation split of ``mlp_alpha="auto"`` and of the drawn
        labels.

    Returns
    -------
    student : estimator
        The fitted student.
    """
    soft_target = target
    if is_classifier(student) and (
        resolve_student_rows(student_rows, len(target)) == "sample"
    ):
        target = _drawn_target(target, classes, sample_weight, random_state)
    alpha_param = _mlp_alpha_param(student)
    if alpha_param is not None and mlp_alpha is not None:
        if mlp_alpha == "auto":
            mlp_alpha = choose_mlp_alpha(
                student,
                X,
                target,
                classes,
                sample_weight,
                random_state,
                score_target=soft_target,
            )
        student.set_params(**{alpha_param: mlp_alpha})
    student = _fit_any(student, X, target, classes, sample_weight)
    drop_training_state(student)
    return student


def resolve_student_rows(student_rows, n_rows):
    """Return "repeat" or "sample" for ``student_rows`` and a transfer set size."""
    if student_rows == "auto":
        return "sample" if n_rows > SAMPLE_ABOVE_ROWS else "repeat"
    return student_rows


def _drawn_target(target, classes, sample_weight, random_state):
    """Replace each row of ``target`` by the one-hot vector of a drawn class.

    A one-hot row keeps a single class, so the repeated rows of
    ``_fit_classifier`` are the transfer rows themselves, in order, and no
    copy of X is made. Raises if the rows of positive weight drew a single
    class, and warns for each class that no such row drew although the soft
    labels give it at least one row's worth of mass.
    """
    labels = draw_labels(target, random_state)
    weight = np.ones(len(target)) if sample_weight is None else sample_weight
    drawn_counts = np.bincount(labels[weight > 0], minlength=target.shape[1])
    mass = weight @ target
    fix = (
        "Set student_rows='repeat' (--student-rows repeat on the command line) "
        "to learn every class of each soft label."
    )
    if np.count_nonzero(drawn_counts) < 2 and np.count_nonzero(mass) >= 2:
        raise ValueError(
            "Every label drawn from the soft labels of the transfer rows is "
            f"{label_repr(classes, np.argmax(drawn_counts))}, so a classifier "
            f"student has a single class to learn. {fix}"
        )
    for column in np.flatnonzero((drawn_counts == 0) & (mass >= 1)):
        warnings.warn(
            f"No transfer row drew class {label_repr(classes, column)}, whose "
            f"soft labels add up to {mass[column]:.1f} rows, so the student "
            f"never learns it and predicts it with probability 0. {fix}",
            UserWarning,
            # The frames: this function, fit_student, DistilledClassifier.fit
            # and scikit-learn's _fit_context wrapper, then the caller.
            stacklevel=5,
        )
    drawn = np.zeros_like(target)
    drawn[np.arange(len(labels)), labels] = 1.0
    return drawn


def label_repr(classes, index):
    """Return the repr of ``classes[index]`` as a Python value, not a NumPy one."""
    return repr(np.asarray(classes)[index].tolist())


def draw_labels(target, random_state=None):
    """Draw one class index per row from the rows of ``target``.

    Parameters
    ----------
    target : ndarray of shape (n_samples, n_classes)
        Probabilities, rows summing to 1.

    random_state : int, RandomState instance or None, default=None
        Seed of the draw.

    Returns
    -------
    labels : ndarray of shape (n_samples,)
        Column indices; row ``i`` is ``k`` with probability ``target[i, k]``.
    """
    rng = check_random_state(random_state)
    cumulative = np.cumsum(target, axis=1)
    # Scaled by the row total, so that rounding in a row's sum cannot leave a
    # draw above its last cumulative value.
    uniform = rng.random_sample(len(target)) * cumulative[:, -1]
    labels = np.sum(cumulative <= uniform[:, np.newaxis], axis=1)
    return np.minimum(labels, target.shape[1] - 1)


def _fit_any(student, X, target, classes, sample_weight):
    """Fit a classifier or regressor student; return it, possibly wrapped."""
    if is_classifier(student):
        _fit_classifier(student, X, target, classes, sample_weight)
        return student
    return _fit_regressor(student, X, target, sample_weight)


def mlp_weight_decay(student):
    """Return the ``alpha`` of an MLP student (a Pipeline's last step counts).

    None for any other student.
    """
    param = _mlp_alpha_param(student)
    return None if param is None else float(student.get_params()[param])


def _mlp_alpha_param(student):
    """Return the parameter name of an MLP student's weight decay, or None."""
    if isinstance(student, Pipeline):
        name, last_step = student.steps[-1]
        return f"{name}__alpha" if _is_mlp(last_step) else None
    return "alpha" if _is_mlp(student) else None


def _is_mlp(estimator):
    return isinstance(estimator, MLPClassifier | MLPRegressor)


def choose_mlp_alpha(
    student, X, target, classes, sample_weight, random_state, *, score_target=None
):
    """Pick the weight decay with which an MLP student best predicts new rows.

    Each candidate, the student's own ``alpha`` and those of
    ``MLP_ALPHA_CANDIDATES``, is fitted on two thirds of the transfer rows and
    scored by the cross-entropy between the targets and its probabilities on
    the other third (weighted by ``sample_weight``). The split is stratified
    on each row's most probable class when every class has enough rows.
    ``score_target``, when given, replaces ``target`` for the scoring and the
    split: the soft labels, when the candidates learn labels drawn from them.

    Returns
    -------
    alpha : float
        The candidate with the lowest held-out cross-entropy; the student's
        own ``alpha`` on a tie or when there are fewer than
        ``MLP_ALPHA_MIN_ROWS`` transfer rows.
    """
    param = _mlp_alpha_param(student)
    own_alpha = student.get_params()[param]
    n_rows = len(target)
    if n_rows < MLP_ALPHA_MIN_ROWS:
        return own_alpha

    reference = target if score_target is None else score_target
    train, valid = _validation_split(reference, random_state)
    if len(np.unique(np.argmax(target[train], axis=1))) < 2:
        return own_alpha
    candidates = [own_alpha] + [a for a in MLP_ALPHA_CANDIDATES if a != own_alpha]
    weight = np.ones(n_rows) if sample_weight is None else sample_weight
    train_weight = None if sample_weight is None else sample_weight[train]
    losses = []
    for alpha in candidates:
        candidate = clone(student).set_params(**{param: alpha})
        with warnings.catch_warnings():
            # The caller sees the warnings of the final fit, not of these.
            warnings.simplefilter("ignore", ConvergenceWarning)
            candidate = _fit_any(
                candidate,
                _safe_indexing(X, train),
                target[train],
                classes,
                train_weight,
            )
        proba = student_proba(candidate, _safe_indexing(X, valid), classes)
        log_proba = np.log(np.clip(proba, 1e-12, None))
        row_loss = -np.sum(reference[valid] * log_proba, axis=1)
        losses.append(np.average(row_loss, weights=weight[valid]))
    # NOTE: a synthetic row and the real row it was made from can land on
    # either side of the split, which can favour the smaller weight decays.
    return candidates[int(np.argmin(losses))]


def _validation_split(target, random_state):
    """Return the train and validation rows of a one-in-three split."""
    top_class = np.argmax(target, axis=1)
    counts = np.bincount(top_class)
    n_folds = MLP_ALPHA_VALIDATION_FOLDS
    if counts[counts > 0].min() >= n_folds:
        splitter = StratifiedKFold(n_folds, shuffle=True, random_state=random_state)
    else:
        splitter = KFold(n_folds, shuffle=True, random_state=random_state)
    return next(splitter.split(target, top_class))


def _fit_classifier(student, X, target, classes, sample_weight):
    # Memory: the student is fitted on a copy of X with one row per kept
    # target entry, at most n_samples * n_classes rows and usually far fewer,
    # because near-zero targets and zero-weight rows are left out. A sparse X
    # is copied by CSR row indexing, so the copy stores only the nonzero
    # values of the repeated rows. The student may copy it again (a tree
    # converts CSR to CSC). When each row keeps one class (drawn labels, or a
    # teacher sure of every row), the student gets X itself instead.
    rows, columns = np.nonzero(target >= MIN_TARGET)
    one_per_row = len(rows) == len(target) and np.array_equal(
        rows, np.arange(len(target))
    )
    weight = target[rows, columns]
    if sample_weight is not None:
        weight = weight * sample_weight[rows]
    if not one_per_row:
        # A row of weight 0 adds nothing to the loss, so it is not repeated.
        positive = weight > 0
        rows, columns, weight = rows[positive], columns[positive], weight[positive]

    learned = np.unique(columns[weight > 0])
    if len(learned) == 0:
        raise ValueError(
            "Every transfer row has weight 0, so the student has nothing to "
            "learn. Pass sample_weight with some positive values."
        )
    if len(learned) < 2:
        raise ValueError(
            "The teacher's soft labels put all their mass on one class "
            f"({label_repr(classes, learned[0])}) over the transfer set, so a "
            "classifier student has a single class to learn. Use more transfer "
            "rows, a temperature above 1, or alpha > 0 to mix in the true labels."
        )

    X_repeated = X if one_per_row else _safe_indexing(X, rows)
    if not one_per_row:
        weight = _match_mlp_batches(student, weight, rows)
    if np.all(weight == 1):
        weight = None
    # Class indices rather than labels: some students mishandle string labels
    # (MLPClassifier with early_stopping before scikit-learn 1.9).
    _fit_explained(student, X_repeated, columns, weight)


def _match_mlp_batches(student, weight, rows):
    """Train a minibatch MLP on repeated rows as it trains on the source rows.

    scikit-learn's MLP divides each minibatch's loss and its L2 penalty by the
    minibatch's sum of sample weights. Trained directly on ``n`` source rows
    of weight 1, a full minibatch sums to ``min(batch_size, n)``, with
    ``batch_size="auto"`` meaning 200. A repeated row's weight is its share of
    the source row, so a minibatch of ``b`` repeated rows sums to about
    ``b / k``, with ``k`` the repeated rows per source row. The weights are
    multiplied by ``k * min(batch_size, n) / b``, so that every minibatch of
    repeated rows sums to ``min(batch_size, n)`` like a full minibatch of the
    source rows, and every step balances loss and penalty as in direct
    training. Only rows of positive weight count in ``n`` and ``k``, whereas
    scikit-learn keeps rows of weight 0 in its minibatches when trained
    directly.

    With ``batch_size="auto"`` the repeated rows are cut into equal
    minibatches of at most 200. scikit-learn's own cut can end in a
    minibatch of a few rows whose weights sum to 0.001. That minibatch's
    penalty weighs a thousand times more, the reported loss jumps by orders
    of magnitude, and the plateau rule (``n_iter_no_change``) can stop
    training after a few dozen epochs. A ``batch_size`` set on the MLP is
    kept, and so is the short last minibatch of scikit-learn's cut.

    Returns
    -------
    weight : ndarray of shape (n_rows,)
        The sample weights to fit the student with.
    """
    mlp = final_step(student)
    if not isinstance(mlp, MLPClassifier) or mlp.solver == "lbfgs":
        # L-BFGS computes every step on all rows, whose weights sum to the
        # source rows' weight, as when trained directly.
        return weight
    if mlp.batch_size == "auto":
        source_batch_size = AUTO_BATCH_ROWS
    elif isinstance(mlp.batch_size, Integral) and mlp.batch_size >= 1:
        source_batch_size = mlp.batch_size
    else:
        return weight  # scikit-learn's own check reports it.
    n_source_rows = len(np.unique(rows))
    n_trained, n_source_trained = len(rows), n_source_rows
    if mlp.early_stopping:
        fraction = mlp.validation_fraction
        if not (isinstance(fraction, Real) and 0 < fraction < 1):
            return weight  # scikit-learn's own check reports it.
        # train_test_split holds out ceil(fraction * n_rows) rows.
        n_trained -= math.ceil(fraction * len(rows))
        n_source_trained -= math.ceil(fraction * n_source_rows)
    if mlp.batch_size == "auto":
        n_batches = max(1, math.ceil(n_trained / AUTO_BATCH_ROWS))
        mlp.set_params(batch_size=_equal_batch_size(n_trained, n_batches))

    # A minibatch of repeated rows sums to batch_rows / k before scaling.
    batch_rows = min(mlp.batch_size, max(1, n_trained))
    source_batch_rows = min(source_batch_size, max(1, n_source_trained))
    repeats = len(rows) / n_source_rows
    return weight * (repeats * source_batch_rows / batch_rows)


def _equal_batch_size(n_rows, n_batches):
    """Return a minibatch size that cuts ``n_rows`` into about ``n_batches``.

    ``ceil(n_rows / n_batches)`` can leave a remainder of a few rows when
    there are more minibatches than rows in each (10 rows after minibatches
    of 201, say). One more minibatch at a time is tried until the remainder
    is at least half a minibatch.
    """
    n_rows = max(1, n_rows)
    for n_tried in range(n_batches, 2 * n_batches + 1):
        size = math.ceil(n_rows / n_tried)
        remainder = n_rows % size
        if remainder == 0 or 2 * remainder >= size:
            return size
    return math.ceil(n_rows / n_batches)


def _fit_regressor(student, X, target, sample_weight):
    # Memory: the student gets X as it is (it may convert it to its own
    # format) and a dense target of n_samples * n_classes floats.
    # MultiOutputRegressor fits one model per class on the same X.
    if sample_weight is not None and not accepts_sample_weight(student):
        raise TypeError(
            f"The student {type(student).__name__} does not accept sample_weight. "
            "Fit without sample_weight or use a student that accepts it."
        )
    student = _with_multi_output(student)
    _fit_explained(student, X, target, sample_weight)
    return student


def _with_multi_output(student):
    """Wrap a single-output regressor so that it fits one model per class.

    In a Pipeline only the last step is wrapped, so that ``sample_weight``
    still reaches it through the Pipeline's step routing.
    """
    if isinstance(student, Pipeline):
        name, last_step = student.steps[-1]
        if not _fits_multi_output(last_step):
            student.set_params(**{name: MultiOutputRegressor(last_step)})
        return student
    if _fits_multi_output(student):
        return student
    return MultiOutputRegressor(student)


def _fits_multi_output(regressor):
    # MLPRegressor takes a 2-D target although its tags in scikit-learn 1.9
    # do not say so. One network for all classes keeps the student compact.
    if isinstance(regressor, MLPRegressor):
        return True
    return get_tags(regressor).target_tags.multi_output


def _fit_explained(student, X, y, sample_weight):
    """Fit the student, adding to an input error the preprocessing it needs."""
    try:
        fit_with_weight(student, X, y, sample_weight)
    except (InvalidParameterError, UnsetMetadataPassedError):
        raise
    except ValueError as exc:
        raise ValueError(_explain_input_error(student, X, exc)) from exc
    except TypeError as exc:
        raise TypeError(_explain_input_error(student, X, exc)) from exc


def _explain_input_error(student, X, exc):
    text = str(exc).rstrip(".")
    lowered = text.lower()
    if "nan" in lowered:
        fix = "an imputer, for example make_pipeline(SimpleImputer(), student)"
    elif "sparse" in lowered:
        fix = "a step that makes the input dense, or use a student that accepts it"
    elif isinstance(X, list) and X and isinstance(X[0], dict):
        fix = "a DictVectorizer, for example make_pipeline(DictVectorizer(), student)"
    elif "string" in lowered or "convert" in lowered:
        fix = "an encoder, for example OneHotEncoder in a ColumnTransformer"
    else:
        fix = "the preprocessing it needs"
    return (
        f"The student {type(student).__name__} failed to fit on the transfer "
        f"rows, which it receives in the same form as the teacher: {text}. Make "
        f"the student a Pipeline that starts with {fix}."
    )


def fit_with_weight(estimator, X, y, sample_weight):
    """Fit an estimator, routing ``sample_weight`` to a Pipeline's last step.

    With metadata routing enabled, ``sample_weight`` goes to ``fit`` and
    scikit-learn routes it by the steps' requests, so the last step needs
    ``set_fit_request(sample_weight=True)``.
    """
    if sample_weight is None:
        estimator.fit(X, y)
    elif (
        isinstance(estimator, Pipeline) and not get_config()["enable_metadata_routing"]
    ):
        last_step = estimator.steps[-1][0]
        estimator.fit(X, y, **{f"{last_step}__sample_weight": sample_weight})
    else:
        estimator.fit(X, y, sample_weight=sample_weight)


def drop_training_state(estimator):
    """Delete optimizer state that a fitted MLP keeps but never predicts with.

    ``MLPClassifier`` and ``MLPRegressor`` keep the Adam moment estimates (two
    arrays as large as the weights) and a copy of the best weights seen. With
    2,000 features and 32 hidden units they make the pickle 3 to 4 times as
    large as the weights alone. Without them, ``warm_start`` and
    ``partial_fit`` start a new optimizer, with the learned weights kept.
    """
    for part in _parts(estimator):
        if hasattr(part, "coefs_"):
            for name in ("_optimizer", "_best_coefs", "_best_intercepts"):
                part.__dict__.pop(name, None)


def _parts(estimator):
    yield estimator
    if isinstance(estimator, Pipeline):
        for _, step in estimator.steps:
            yield from _parts(step)
    for sub_estimator in getattr(estimator, "estimators_", []):
        yield from _parts(sub_estimator)


def student_proba(student, X, classes):
    """Predict class probabilities with a fitted student.

    A classifier's probabilities are aligned with ``classes`` by label. A
    regressor's outputs are clipped to [0, 1] and renormalised. A row whose
    outputs are all clipped to 0 gets the softmax of its raw outputs.

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)
    """
    # A fitted classifier has classes_ and a regressor has none; this test is
    # far cheaper than is_classifier, which builds the estimator's tags.
    if hasattr(student, "classes_"):
        return predict_proba_aligned(student, X, np.arange(len(classes)))

    raw = np.asarray(student.predict(X), dtype=np.float64).reshape(-1, len(classes))
    proba = np.clip(raw, 0.0, 1.0)
    total = proba.sum(axis=1, keepdims=True)
    empty = total[:, 0] == 0
    # Far from the transfer rows a regressor can predict no positive share at
    # all. A softmax of its raw outputs keeps its ranking of the classes there.
    proba[empty] = softmax(raw[empty], axis=1)
    total[empty] = 1.0
    return proba / total
