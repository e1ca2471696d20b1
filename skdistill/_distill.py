"""The distilling meta-estimator."""

# SPDX-License-Identifier: BSD-3-Clause

import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn import get_config
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    _fit_context,
    clone,
    is_classifier,
)
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import LabelEncoder, StandardScaler
from sklearn.utils import _safe_indexing, get_tags
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
)
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_feature_names,
    _check_feature_names_in,
    _check_n_features,
    _check_sample_weight,
    _num_features,
    _num_samples,
    assert_all_finite,
    check_is_fitted,
    column_or_1d,
    indexable,
    validate_data,
)

from skdistill._messages import count_noun
from skdistill._panel import (
    RANKINGS,
    check_unique_columns,
    rank_features,
    take_columns,
)
from skdistill._soft_labels import (
    check_classes_known,
    fit_temperature,
    mix_hard_labels,
    soften,
)
from skdistill._student import (
    STUDENT_ROWS,
    accepts_sample_weight,
    check_student_kind,
    fit_student,
    fit_with_weight,
    mlp_weight_decay,
    resolve_alpha,
    resolve_student_rows,
    student_proba,
)
from skdistill._synthetic import resolve_synthetic
from skdistill._transfer import (
    concat_rows,
    cross_fit_proba,
    held_out_split,
    label_in_batches,
    proba_in_batches,
)


def _check_no_missing_labels(y):
    """Raise if an object array of labels contains None or a float NaN.

    Sorting labels of mixed types would fail later with a TypeError about
    comparing a float with a string.
    """
    missing = [
        index
        for index, label in enumerate(y)
        if label is None or (isinstance(label, float) and np.isnan(label))
    ]
    if missing:
        raise ValueError(
            f"Input y contains {count_noun(len(missing), 'missing label')} (None or "
            f"NaN), the first at row "
            f"{missing[0]}. Drop or label those rows."
        )


def _take_rows(X, rows):
    # rows are sorted and unique, so all of them means X itself.
    if len(rows) == _num_samples(X):
        return X
    return _safe_indexing(X, rows)


def _input_kind(X):
    if hasattr(X, "iloc"):
        return "DataFrame"
    if sp.issparse(X):
        return "sparse matrix"
    return "array-like"


def _n_columns(X):
    """Return the number of columns of X, or None when it has none."""
    try:
        return _num_features(X)
    except TypeError:
        # A list of dicts or of strings, read by the student's own steps.
        return None


def _stack_weights(weight_parts, proba_parts):
    if all(weight is None for weight in weight_parts):
        return None
    filled = [
        np.ones(len(proba)) if weight is None else weight
        for weight, proba in zip(weight_parts, proba_parts, strict=True)
    ]
    return np.concatenate(filled)


def _student_has(method):
    """Check a method on the fitted student, or on the one to be fitted."""

    def check(self):
        if hasattr(self, "student_"):
            getattr(self.student_, method)
        else:
            getattr(self._student_template(), method)
        return True

    return check


class DistilledClassifier(ClassifierMixin, BaseEstimator):
    """Distill a heavy classifier into a compact student classifier.

    The teacher labels a transfer set with its class probabilities (soft
    labels), optionally softened by a temperature and mixed with the true
    labels, and the student is trained to reproduce them. Predictions come
    from the student alone, so they are as fast as the student's. With
    ``keep_teacher=False`` the fitted model is also as small as the student.

    Parameters
    ----------
    teacher : estimator
        The classifier to distill. It needs ``predict_proba`` or
        ``decision_function`` once fitted. With only the latter, a softmax turns
        its scores into probabilities (a sigmoid of the margin for two
        classes). An unfitted or fitted estimator is cloned, and the clone is
        fitted as ``transfer`` sets out (a fitted teacher gets a warning). A
        teacher wrapped in :class:`~sklearn.frozen.FrozenEstimator` is used as
        it is, never refitted, and labels every row passed to ``fit``. Inside
        cross-validation or a grid search, a frozen teacher fitted on all the
        data has seen every validation fold, so the scores are optimistic;
        pass the unfrozen teacher to refit it in each fold.

    student : estimator, default=None
        The model that learns the soft labels. A classifier (or a Pipeline
        ending in one) whose ``fit`` accepts ``sample_weight`` is trained on
        weighted repeated rows or drawn labels (``student_rows``); a regressor
        is fitted on the target probabilities, one output per class.
        ``None`` uses
        ``make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))``
        (without centring for sparse input), the most accurate compact student
        measured on gene-expression and protein data with a random forest
        teacher (see Notes). The student passed in is never
        modified; the fitted copy is ``student_``. To tune the default
        student's parameters, pass it explicitly.

    transfer : {"cross_fit", "held_out", "in_sample"}, default="cross_fit"
        How the real rows get their soft labels when the teacher is fitted
        here (a frozen teacher labels every row itself):

        - ``"cross_fit"``: every row is labelled by a clone of the teacher
          fitted on the other folds of ``cv``, so no soft label comes from a
          model that saw its row and no row is spent; ``teacher_`` is then
          fitted on all rows.
        - ``"held_out"``: the teacher is fitted on a stratified share of the
          rows and labels the rest (``transfer_size``).
        - ``"in_sample"``: the teacher is fitted on all rows and labels them,
          as in Bucila et al. (2006), whose transfer set adds synthetic rows.

    transfer_size : float or int, default=0.5
        Size of the held-out transfer set for ``transfer="held_out"``: a share
        of the rows in (0, 1), or a number of rows. The split is stratified on
        ``y``.

    cv : int, cross-validation generator or iterable, default=5
        Folds for ``transfer="cross_fit"``, as in
        :func:`~sklearn.model_selection.cross_val_predict`. An integer gives
        :class:`~sklearn.model_selection.StratifiedKFold` on ``y``.

    synthetic : "auto", None or object with a ``sample(X, random_state)`` \
            method, default="auto"
        Generator of synthetic rows added to the transfer set, for example
        :class:`~skdistill.MUNGE`. ``sample`` must return a whole number of
        blocks of ``len(X)`` rows, row ``i`` of each block made from row ``i``
        of ``X``. The teacher fitted on all the rows it gets (``teacher_``,
        fitted for this even with ``keep_teacher=False``) labels them. With
        ``"held_out"`` the rows are made from every row of ``X``, including
        the rows the teacher was fitted on.

        - ``"auto"``: ``MUNGE()`` when the student is a decision tree (alone
          or as a Pipeline's last step) and ``X`` is a dense numeric NumPy
          array or DataFrame, without NaN or infinity, with more columns than
          rows and at most 1,000 rows. Otherwise none. The Notes give the reason.
        - ``None``: no synthetic rows.

        The rule reads ``X`` as passed to ``fit``, before a panel or a
        Pipeline's own steps narrow it. It is applied at each fit, so under
        cross-validation a fold can get synthetic rows that the refit on
        all rows does not. Pass a generator or None to fix the choice. To
        tune MUNGE (``synthetic__size`` in a grid search), pass
        ``synthetic=MUNGE()`` rather than ``"auto"``.

    temperature : "auto" or float, default="auto"
        Softening of the teacher's probabilities, ``p_T`` proportional to
        ``p ** (1 / temperature)`` (Hinton, Vinyals and Dean, 2015). 1 keeps
        them; values above 1 spread mass towards the less likely classes. It
        applies to every transfer row, synthetic and unlabeled ones included.

        - ``"auto"``: with ``"cross_fit"`` or ``"held_out"``, the temperature
          in [1, 20] that maximises the likelihood of ``y`` under the softened
          soft labels of the real rows, which come from teachers not fitted
          on them (temperature scaling, Guo et al. 2017). An overconfident
          teacher is softened; an underconfident one keeps ``T = 1``. With
          ``"in_sample"`` or a frozen teacher, 1. ``temperature_`` records
          the value of each fit. The Notes give the reason.

    alpha : "auto" or float, default="auto"
        Weight of the one-hot true label in the student's target,
        ``alpha * onehot(y) + (1 - alpha) * p_T``, in [0, 1]. Synthetic and
        unlabeled rows have no true label and keep ``p_T``. 0 learns the soft
        labels alone and 1 the true labels alone.

        - ``"auto"``: 0.75, which left the fewest students below direct
          training in ``benchmarks/quality.py``, except 1 for a logistic
          student (:class:`~sklearn.linear_model.LogisticRegression`, or
          :class:`~sklearn.linear_model.SGDClassifier` with
          ``loss="log_loss"``, alone or as a Pipeline's last step) with at
          least as many features as transfer rows of positive weight. Such a
          student fits any soft target exactly, which cost it accuracy on
          leukemia; the teacher then reaches it only through synthetic and
          unlabeled rows. With a frozen teacher, a model the student is meant
          to follow, always 0.75. ``alpha_`` records the value of each fit.
          The Notes give the reason.

        The rule counts the columns of ``X`` as passed to ``fit``, or
        ``max_features``, not those that a Pipeline's own steps pass on to
        its last step. It is applied at each fit, so the folds of a
        cross-validation can resolve it differently from the refit on all
        rows. Pass a number to fix the choice.

    student_rows : {"auto", "repeat", "sample"}, default="auto"
        How a classifier student learns the targets. A regressor student fits
        them as they are and ignores this.

        - ``"repeat"``: row ``i`` appears once per class ``k`` whose target is
          at least 1e-4, with sample weight ``target[i, k]``. The student's
          weighted log-loss is then exactly the cross-entropy to the targets,
          but it trains on a copy of the transfer rows with one row per kept
          class: about one copy when the teacher is confident, up to
          ``n_classes`` copies when its probabilities are flat.
        - ``"sample"``: row ``i`` appears once, labelled with one class drawn
          from its target (seeded by ``random_state``; with None the draws
          differ between fits). The expected log-loss over the draw is the
          same cross-entropy, and the student trains on the transfer rows
          themselves, with no copy, rows of weight 0 included. Each row
          carries one draw, which adds noise, and the more a student can fit
          single rows, the more it follows that noise. On 120,000 rows of
          ``make_classification`` (4 classes) with a logistic teacher, test
          accuracy with ``"repeat"`` and ``"sample"`` was 0.817 and 0.817 for
          logistic regression, 0.935 and 0.925 for an MLP with 32 hidden
          units, 0.739 and 0.722 for a depth-6 tree and 0.819 and 0.776 for
          an unpruned tree. Those MLP figures predate the present minibatch
          weights of repeated rows. With those weights, on 120,000 rows of a
          harder set (20 features, 10 informative, a teacher scoring 0.572),
          the MLP scored 0.921 and 0.917, and the unpruned tree 0.793 and
          0.684.
          Prefer ``"repeat"`` when its copy fits in memory.
        - ``"auto"``: ``"repeat"`` up to 100,000 transfer rows, ``"sample"``
          above, where the copy would cost more memory than the input. The
          choice follows the size of each fit's transfer set, so near that
          size the folds of a cross-validation can use one route and the
          refit on all rows the other. Set the route explicitly to compare
          like with like. ``student_rows_`` records the route of each fit.

    mlp_alpha : "auto", float or None, default="auto"
        Weight decay (``alpha``) of an MLP student, an
        :class:`~sklearn.neural_network.MLPClassifier` or
        :class:`~sklearn.neural_network.MLPRegressor`, alone or as a Pipeline's
        last step; other students ignore it. ``"auto"`` fits the MLP with its
        own ``alpha`` and with 0.1, 1 and 10 on two thirds of the transfer
        rows. It keeps the one with the lowest cross-entropy against the soft
        labels of the other third, at the cost of four extra fits on two
        thirds of the rows. A float sets ``alpha``; ``None`` keeps the student's own.
        Soft labels need more weight decay than hard ones on wide data (see
        Notes). ``mlp_alpha_`` records the value of each fit. To search the
        student's own ``alpha`` in a grid (``student__alpha``), set
        ``mlp_alpha=None``: otherwise ``"auto"`` or a float decides it.

    max_features : int, default=None
        Number of features the student reads: a panel of the columns that best
        explain the soft labels by ``feature_ranking``, for example a few genes
        that are cheap to assay. ``fit`` ranks the features on the transfer set
        only (the rows, targets and weights the student learns), so under
        cross-validation no test row takes part in the choice. The student is
        fitted on the panel's columns. ``predict``, ``predict_proba`` and
        ``decision_function`` still take all ``n_features_in_`` columns and
        pass the panel's on. ``X`` must have columns: an array, a DataFrame or
        a sparse matrix. ``None`` keeps every feature.

    feature_ranking : {"univariate", "lasso", "teacher"} or callable, \
            default="lasso"
        How ``max_features`` ranks the features on the transfer set:

        - ``"univariate"``: by the variance of the student's targets that each
          feature explains alone in a weighted least-squares fit, summed over
          the classes. It is cheap and reads a sparse matrix as it is, but
          strongly correlated features score alike, so the panel can repeat
          one signal.
        - ``"lasso"``: by the order in which the features enter a group lasso
          path of the targets on standardised features, with one group per
          feature across the classes. A feature that repeats one already in
          the model enters late. The path runs on the
          ``max(200, 10 * max_features)`` best features by the univariate
          score.
        - ``"teacher"``: by the fitted teacher's ``feature_importances_``, or
          for a linear teacher by the norm of its ``coef_`` across the classes
          times the feature's standard deviation. In a Pipeline, the last
          step's are used when the earlier steps keep the columns one to one
          (a scaler, or an imputer that drops no column). For other Pipelines
          and for a teacher with neither attribute, ``fit`` raises a
          ValueError. With cross-fitting, this ranking fits the teacher on all
          rows even when ``keep_teacher=False``.
        - a callable ``ranking(X_transfer, targets)`` that returns one score
          per column, higher meaning better. It does not receive the row
          weights.

        ``"univariate"`` and ``"lasso"`` need numeric features without NaN.
        ``"lasso"`` is the default because it ranked best in
        ``benchmarks/panel.py``: on SRBCT and leukemia, with a 500-tree random
        forest teacher, ``alpha=0.5`` and 3 x 5-fold cross-validation, its
        tree, MLP and logistic panel students of 5 to 100 genes scored a mean
        accuracy of 0.929 and fidelity of 0.935, against 0.912 and 0.919 for
        ``"univariate"`` and 0.915 and 0.921 for ``"teacher"``. It works with
        any teacher, at about 0.1 s more per fit on those sets.

    keep_teacher : bool, default=True
        Keep the fitted teacher as ``teacher_``. ``False`` drops it at the end
        of ``fit`` (and with ``transfer="cross_fit"`` and no unlabeled or
        synthetic rows, skips fitting it on all rows). A frozen teacher stays
        in the ``teacher`` parameter, so a pickled model still carries it; to
        ship the student alone, pickle ``student_``.

    batch_size : int, default=None
        Number of rows the teacher labels per call of its ``predict_proba`` (or
        ``decision_function``), for the real, synthetic and unlabeled rows
        alike. The batches run through :class:`joblib.Parallel` with
        ``n_jobs``, so inside ``joblib.parallel_config(backend="dask")`` they
        are spread over a dask cluster. Smaller batches bound the memory of
        each call: a teacher's intermediate arrays grow with the rows it labels
        at once. The soft labels are those of one call, up to the last bit for
        a teacher built on matrix products, because BLAS may round a product
        over fewer rows differently (OpenBLAS does for a single row). The
        student's predictions for ``fidelity_`` are batched the same way.
        ``None`` labels each block of rows in one call.

    n_jobs : int, default=None
        Number of cross-fitting folds fitted, and of ``batch_size`` batches
        labelled, in parallel through joblib. ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context, ``-1`` means all processors.
        0 is invalid.

    random_state : int, RandomState instance or None, default=None
        Seed of the teacher/transfer split, of ``synthetic``, of the labels
        drawn for ``student_rows="sample"`` and of the validation split of
        ``mlp_alpha="auto"``. The teacher's, the student's and a ``cv``
        splitter's own ``random_state`` are used as they are. Pass an int for
        reproducible output across calls.

    verbose : int, default=0
        Print a line per fitting step when positive.

    Attributes
    ----------
    teacher_ : estimator
        The fitted teacher: a fitted clone, or the frozen teacher itself. Not
        set when ``keep_teacher=False``.

    student_ : estimator
        The fitted student. A classifier student is fitted on class indices,
        so its ``classes_`` are positions in ``classes_``. A regressor that has
        no multi-output support is wrapped in
        :class:`~sklearn.multioutput.MultiOutputRegressor` (in a Pipeline, its
        last step is). With ``max_features``, it is fitted on the columns
        ``panel_`` in that order.

    classes_ : ndarray of shape (n_classes,)
        The class labels of ``y``.

    n_features_in_ : int
        Number of features seen during ``fit``, where ``X`` has a shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column
        names.

    n_transfer_samples_ : int
        Number of rows the teacher labelled for the student.

    synthetic_ : object or None
        The generator that made the synthetic rows: a clone of ``synthetic``,
        with ``"auto"`` resolved for this fit. None when no rows were made.

    temperature_ : float
        The temperature applied to the soft labels: ``temperature``, with
        ``"auto"`` resolved for this fit.

    alpha_ : float
        The weight of the true label in the real rows' targets: ``alpha``,
        with ``"auto"`` resolved for this fit.

    mlp_alpha_ : float or None
        The weight decay the MLP student was fitted with: ``mlp_alpha``, with
        ``"auto"`` resolved for this fit, or the student's own ``alpha`` with
        ``mlp_alpha=None``. None for a student that is not an MLP.

    student_rows_ : {"repeat", "sample"} or None
        How the classifier student learned the targets: ``student_rows`` with
        ``"auto"`` resolved for this transfer set. None for a regressor
        student.

    fidelity_ : float
        Share of transfer rows on which the student predicts the teacher's
        most probable class. A cross-fitted row's teacher is the fold's clone
        that labelled it. Synthetic rows count too, and the teacher that
        labelled them saw their source rows, so they raise the share.

    panel_ : ndarray of shape (max_features,)
        Positions of the panel's columns in ``X``, in ranking order, best
        first. Only set when ``max_features`` is not None.

    panel_names_ : ndarray of shape (max_features,)
        Names of the panel's columns, in the order of ``panel_``: from
        ``feature_names_in_`` when ``X`` had string column names, else
        ``"x0"``, ``"x1"``, ... by position. :meth:`get_feature_names_out`
        returns them too. Only set when ``max_features`` is not None.

    See Also
    --------
    sklearn.frozen.FrozenEstimator : Wrap a fitted teacher to distill it as it
        is.

    Notes
    -----
    With ``student_rows="repeat"`` a classifier student learns row ``i`` once
    per class ``k`` with sample weight ``target[i, k]``; the weighted log-loss
    is then the cross-entropy between the targets and the student's
    probabilities. Targets below 1e-4 are dropped. A fitted MLP student does
    not keep its optimizer state, which would make its pickle 3 to 4 times as
    large.

    The default student comes from 5-fold stratified cross-validation (one
    repeat, seed 0) with a 300-tree random forest teacher, cross-fitted with 5
    inner folds, on standardised features. Test accuracy of the student
    trained directly on the labels, then distilled with ``alpha`` = 0 and 0.5:

    =====================  ===================  ===================
    data                   logistic regression  depth-4 tree
    =====================  ===================  ===================
    SRBCT (83 x 2308)      1.000, 0.916, 1.000  0.842, 0.746, 0.807
    leukemia (72 x 5147)   0.971, 0.877, 0.946  0.831, 0.774, 0.887
    yeast (1484 x 8)       0.590, 0.588, 0.592  0.569, 0.557, 0.555
    =====================  ===================  ===================

    Logistic regression was the most accurate compact student. With a
    held-out half instead of cross-fitting, it reached 0.927 on SRBCT and
    0.820 on leukemia (``alpha=0``): the held-out split spends rows that a
    teacher of a few dozen rows needs. Pure soft labels (``alpha=0``) cost
    accuracy on the expression sets because a forest fitted on a few dozen
    rows gives near-uniform probabilities; half of the target from the true
    label keeps the teacher's ranking of the other classes and restores the
    margin.

    Cross-fitting with ``alpha=0.75`` is the default, with MUNGE rows for a
    tree student on wide data (``synthetic="auto"``), the temperature
    fitted to the out-of-fold labels (``temperature="auto"``) and the true
    labels alone for a logistic student on wide data (``alpha="auto"``). In
    ``benchmarks/quality.py`` (3 x 5-fold CV on the four bundled data sets,
    three teachers, three students; figures in ``docs/benchmarks.md``) the
    defaults were at least as accurate as the student trained directly in
    all 30 cases. Cross-fitting alone at temperature 1 did so in 22 with
    ``alpha=0.75`` and 17 with ``alpha=0.5``. The MLP gained up to 5.1
    points on leukemia. Logistic regression regained 2 to 4 points over
    ``alpha=0.5`` with the SVC teacher and with the forest on leukemia.

    The depth-4 tree, cross-fitted alone, fell 2.4 to 5.7 points below
    direct training on SRBCT. With thousands of genes and a few dozen rows,
    many genes split the rows equally well, so the noise of the teacher's
    out-of-fold probabilities picks among them. Five MUNGE rows per real
    row, labelled by the teacher fitted on all rows, brought it to 0.817 to
    0.823 on SRBCT (0.804 directly) and 0.860 to 0.878 on leukemia (0.850).
    On 8-column yeast they did not help the tree, hence the rule of more
    columns than rows.

    Temperature scaling (Guo et al., 2017) needs rows with true labels and
    probabilities from a model not fitted on them, which cross-fitting gives
    for free. Gradient boosting is overconfident out of fold: it got ``T``
    of 2.8 to 3.0 on yeast and 2.3 to 2.4 on splice, and 1 to 1.8 on the
    expression sets. The forest and the SVC are underconfident there and keep
    ``T = 1``. At temperature 1 the tree and logistic regression on yeast
    with gradient boosting were 0.4 and 0.1 points below direct training;
    with the fitted temperature they were 0.3 and 0.1 points above.

    A logistic student on data with at least as many columns as transfer
    rows learns the true labels alone (``alpha="auto"`` is 1). With 5,147 genes
    and 57 rows, logistic regression fits any finite target exactly, so soft
    targets turn its large-margin fit to the hard labels into an exact fit
    of the target log-odds. At ``alpha=0.75`` it lost 2 and 1 of 216 test
    predictions on leukemia with the forest and the SVC, and even
    ``alpha=0.99`` or a temperature of 100 left it one prediction short.
    It gained one with gradient boosting, which this rule gives up. The
    teacher still labels synthetic and unlabeled rows for it.

    An MLP learns repeated rows in minibatches of up to 200 repeated rows,
    weighted so that the L2 penalty weighs against the loss as on the
    source rows trained directly. Before, the repeated rows were cut into as
    many minibatches as the source rows would make. On yeast with gradient
    boosting an epoch then took the same number of updates for ten times
    the arithmetic, and the MLP scored 0.602, below direct training
    (0.603).

    An MLP student needs more weight decay on soft labels than on hard ones.
    A hard label keeps pushing the logits apart, so the learned weights
    outgrow the random initial ones. A soft label is met with small logits,
    and the training loss stops falling at the target's entropy while the
    random initial weights still dominate. Lowering ``tol`` does not help:
    the loss has reached its floor. Test accuracy of ``MLPClassifier((32,))``
    on standardised features, trained directly, then distilled with
    cross-fitting and ``alpha=0.5`` with ``mlp_alpha=None`` (its own
    ``alpha=1e-4``) and with ``mlp_alpha="auto"``:

    =====================  =====================
    data                   MLP(32)
    =====================  =====================
    SRBCT (83 x 2308)      0.962, 0.732, 0.988
    leukemia (72 x 5147)   0.944, 0.832, 0.971
    yeast (1484 x 8)       0.603, 0.596, 0.600
    =====================  =====================

    ``"auto"`` chose 1 or 10 on the expression sets and mostly kept 1e-4 on
    yeast, where ``alpha=1`` cost 3 points. Those runs cut the repeated rows
    into minibatches of 200, each row weighted by its share of the source
    row, so the L2 penalty weighed more than on rows passed directly. With
    the present weights the default MLP scored 0.608 on yeast with
    gradient boosting labels.

    References
    ----------
    G. Hinton, O. Vinyals and J. Dean, "Distilling the Knowledge in a Neural
    Network", NIPS Deep Learning Workshop, 2015.

    C. Bucila, R. Caruana and A. Niculescu-Mizil, "Model Compression",
    KDD 2006.

    C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger, "On Calibration of Modern
    Neural Networks", ICML 2017.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> teacher = RandomForestClassifier(n_estimators=50, random_state=0)
    >>> student = DecisionTreeClassifier(max_depth=3, random_state=0)
    >>> clf = DistilledClassifier(teacher, student, random_state=0).fit(X, y)
    >>> clf.n_transfer_samples_
    150
    >>> clf.predict(X[:3])
    array([0, 0, 0])

    A student that reads two of the four features:

    >>> panel = DistilledClassifier(
    ...     teacher, student, max_features=2, random_state=0
    ... ).fit(X, y)
    >>> panel.panel_names_
    array(['x2', 'x3'], dtype=object)
    >>> panel.predict(X[:3])
    array([0, 0, 0])
    """

    _parameter_constraints: dict = {
        # predict_proba or decision_function is checked once the teacher is
        # fitted, because some meta-estimators only expose them then.
        "teacher": [HasMethods(["fit"])],
        "student": [HasMethods(["fit", "predict"]), None],
        "transfer": [StrOptions({"cross_fit", "held_out", "in_sample"})],
        "transfer_size": [
            Interval(RealNotInt, 0, 1, closed="neither"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "cv": ["cv_object"],
        "synthetic": [StrOptions({"auto"}), HasMethods(["sample"]), None],
        "temperature": [
            StrOptions({"auto"}),
            Interval(Real, 0, None, closed="neither"),
        ],
        "alpha": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both")],
        "student_rows": [StrOptions(set(STUDENT_ROWS))],
        "mlp_alpha": [
            StrOptions({"auto"}),
            Interval(Real, 0, None, closed="left"),
            None,
        ],
        "max_features": [Interval(Integral, 1, None, closed="left"), None],
        "feature_ranking": [StrOptions(set(RANKINGS)), callable],
        "keep_teacher": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        # joblib counts -1 as all processors, -2 as all but one, and so on.
        "n_jobs": [
            Interval(Integral, None, -1, closed="right"),
            Interval(Integral, 1, None, closed="left"),
            None,
        ],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        teacher,
        student=None,
        *,
        transfer="cross_fit",
        transfer_size=0.5,
        cv=5,
        synthetic="auto",
        temperature="auto",
        alpha="auto",
        student_rows="auto",
        mlp_alpha="auto",
        max_features=None,
        feature_ranking="lasso",
        keep_teacher=True,
        batch_size=None,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.teacher = teacher
        self.student = student
        self.transfer = transfer
        self.transfer_size = transfer_size
        self.cv = cv
        self.synthetic = synthetic
        self.temperature = temperature
        self.alpha = alpha
        self.student_rows = student_rows
        self.mlp_alpha = mlp_alpha
        self.max_features = max_features
        self.feature_ranking = feature_ranking
        self.keep_teacher = keep_teacher
        self.batch_size = batch_size
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    # The teacher and student are validated when they are fitted.
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None, X_unlabeled=None):
        """Fit the teacher if needed, label the transfer set, train the student.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training rows, passed unchanged to the teacher and the student, so
            any input the teacher accepts works (a DataFrame, a sparse matrix,
            NaN for a teacher that handles it, a list of dicts for a
            ``DictVectorizer`` pipeline).

        y : array-like of shape (n_samples,)
            Class labels.

        sample_weight : array-like of shape (n_samples,), default=None
            Row weights, passed to the teacher's ``fit`` (when it is fitted
            here) and multiplied into the student's weights. A synthetic row
            has the weight of the row it was made from.

        X_unlabeled : {array-like, sparse matrix} of shape (n_unlabeled, \
                n_features), default=None
            Rows without labels, in the same form as ``X`` (for example other
            profiles from the same platform). The fitted teacher labels them
            and they join the transfer set with weight 1.

        Returns
        -------
        self : object
            Fitted estimator.

        Examples
        --------
        The teacher is fitted on half of iris, and the other half joins the
        transfer set as unlabeled rows:

        >>> from sklearn.datasets import load_iris
        >>> from sklearn.ensemble import RandomForestClassifier
        >>> from skdistill import DistilledClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
        >>> clf = DistilledClassifier(teacher, random_state=0)
        >>> clf = clf.fit(X[::2], y[::2], X_unlabeled=X[1::2])
        >>> clf.n_transfer_samples_
        150
        >>> bool(clf.fidelity_ > 0.9)
        True
        """
        X, y, sample_weight = self._validate_fit_input(X, y, sample_weight)
        X_unlabeled = self._validate_unlabeled(X, X_unlabeled)
        self._check_max_features(X)
        label_encoder = LabelEncoder().fit(y)
        self.classes_ = label_encoder.classes_
        y_encoded = label_encoder.transform(y)
        student = self._student_template(X)
        check_student_kind(student)
        self.synthetic_ = resolve_synthetic(self.synthetic, student, X)
        if isinstance(self.synthetic, str):
            self._log(f"synthetic='auto' resolved to {self.synthetic_!r}")

        teacher, X_transfer, teacher_parts, target, transfer_weight = (
            self._build_transfer_set(
                X, y, y_encoded, sample_weight, X_unlabeled, student
            )
        )
        self.n_transfer_samples_ = len(target)

        X_student = self._select_panel(teacher, X_transfer, target, transfer_weight)

        self.student_rows_ = (
            resolve_student_rows(self.student_rows, self.n_transfer_samples_)
            if is_classifier(student)
            else None
        )
        route_phrase = {
            "repeat": " as weighted repeated rows",
            "sample": " with drawn labels",
        }
        self._log(
            f"Fitting student {type(student).__name__} on "
            f"{self.n_transfer_samples_} transfer rows"
            f"{route_phrase.get(self.student_rows_, '')}"
        )
        # fit_student sets the MLP's alpha on this clone before fitting it.
        student_clone = clone(student)
        self.student_ = fit_student(
            student_clone,
            X_student,
            target,
            self.classes_,
            transfer_weight,
            # A regressor student ignores the route.
            student_rows=self.student_rows_ or "repeat",
            mlp_alpha=self.mlp_alpha,
            random_state=self.random_state,
        )
        self.mlp_alpha_ = mlp_weight_decay(student_clone)
        if self.mlp_alpha == "auto" and self.mlp_alpha_ is not None:
            self._log(f"mlp_alpha='auto' resolved to {self.mlp_alpha_:g}")

        teacher_labels = np.argmax(np.vstack(teacher_parts), axis=1)
        student_labels = np.argmax(
            proba_in_batches(
                student_proba,
                self.student_,
                X_student,
                self.classes_,
                batch_size=self.batch_size,
                n_jobs=self.n_jobs,
            ),
            axis=1,
        )
        self.fidelity_ = float(np.mean(student_labels == teacher_labels))
        self._log(f"Fidelity on the transfer set: {self.fidelity_:.3f}")

        if self.keep_teacher:
            self.teacher_ = teacher
        elif hasattr(self, "teacher_"):
            # A refit with keep_teacher=False must not leave an old teacher.
            del self.teacher_
        return self

    def _build_transfer_set(self, X, y, y_encoded, sample_weight, X_unlabeled, student):
        """Label the transfer rows and build the student's targets.

        Returns
        -------
        teacher : estimator or None
            The fitted teacher; None when cross-fitting needs no final one.

        X_transfer : object
            Real, then synthetic, then unlabeled rows.

        teacher_parts : list of ndarray
            The teacher's probabilities of each block of rows, before
            temperature.

        target : ndarray of shape (n_transfer_samples, n_classes)
            The student's targets.

        transfer_weight : ndarray of shape (n_transfer_samples,) or None
        """
        X_synthetic, synthetic_weight = self._synthetic_rows(X, sample_weight)
        needs_teacher = (
            self.keep_teacher
            or X_unlabeled is not None
            or self._ranking_needs_teacher()
        )
        teacher, rows, real_proba, synthetic_proba = self._label_rows(
            X, y, sample_weight, X_synthetic, needs_teacher
        )
        X_parts = [_take_rows(X, rows)]
        proba_parts = [real_proba]
        weight_parts = [None if sample_weight is None else sample_weight[rows]]
        if X_synthetic is not None:
            X_parts.append(X_synthetic)
            proba_parts.append(synthetic_proba)
            weight_parts.append(synthetic_weight)

        if X_unlabeled is not None:
            self._log(f"Labelling {_num_samples(X_unlabeled)} unlabeled rows")
            X_parts.append(X_unlabeled)
            proba_parts.append(self._teacher_proba(teacher, X_unlabeled))
            weight_parts.append(
                None if sample_weight is None else np.ones(_num_samples(X_unlabeled))
            )

        self.temperature_ = self._resolve_temperature(
            real_proba, y_encoded[rows], weight_parts[0]
        )
        transfer_weight = _stack_weights(weight_parts, proba_parts)
        n_weighted_rows = (
            sum(map(len, proba_parts))
            if transfer_weight is None
            else np.count_nonzero(transfer_weight)
        )
        self.alpha_ = self._resolve_alpha(X, student, n_weighted_rows)
        # Temperature applies to every row; only real rows have a true label.
        targets = [soften(proba, self.temperature_) for proba in proba_parts]
        targets[0] = mix_hard_labels(targets[0], y_encoded[rows], self.alpha_)
        X_transfer = concat_rows(X_parts)
        target = np.vstack(targets)
        return teacher, X_transfer, proba_parts, target, transfer_weight

    def _resolve_temperature(self, proba, y_encoded, sample_weight):
        """Return the temperature of this fit, fitted when it is ``"auto"``."""
        if self.temperature != "auto":
            return float(self.temperature)
        if isinstance(self.teacher, FrozenEstimator) or self.transfer == "in_sample":
            # The teacher may have been fitted on these rows, so its
            # probabilities do not show its confidence on new ones.
            return 1.0
        temperature = fit_temperature(proba, y_encoded, sample_weight)
        self._log(f"temperature='auto' resolved to {temperature:.3g}")
        return temperature

    def _resolve_alpha(self, X, student, n_rows):
        """Return the true label's weight of this fit, resolved when "auto"."""
        alpha = resolve_alpha(
            self.alpha,
            student,
            self.max_features or _n_columns(X),
            n_rows,
            frozen_teacher=isinstance(self.teacher, FrozenEstimator),
        )
        if self.alpha == "auto":
            self._log(f"alpha='auto' resolved to {alpha:g}")
        return alpha

    def _ranking_needs_teacher(self):
        return self.max_features is not None and self.feature_ranking == "teacher"

    def _check_max_features(self, X):
        """Raise if ``max_features`` cannot be applied to ``X``."""
        if self.max_features is None:
            return
        n_features = _n_columns(X)
        if n_features is None:
            raise ValueError(
                f"max_features={self.max_features} selects columns, but X of type "
                f"{type(X).__name__} has no fixed number of columns. Pass X as an "
                "array, a DataFrame or a sparse matrix (for example the output of "
                "a DictVectorizer), or set max_features=None."
            )
        if self.max_features > n_features:
            raise ValueError(
                f"max_features={self.max_features} is larger than the "
                f"{n_features} features of X. Set max_features to at most "
                f"{n_features}, or to None to keep every feature."
            )
        check_unique_columns(X)

    def _select_panel(self, teacher, X_transfer, target, transfer_weight):
        """Rank the features on the transfer set and return the panel's columns.

        Sets ``panel_`` and ``panel_names_`` when ``max_features`` is set, and
        removes those of an earlier fit otherwise.
        """
        if self.max_features is None:
            for name in ("panel_", "panel_names_"):
                self.__dict__.pop(name, None)
            return X_transfer

        ranking = self.feature_ranking
        ranking_name = ranking if isinstance(ranking, str) else "a callable"
        self._log(
            f"Ranking {self.n_features_in_} features by {ranking_name} for a "
            f"panel of {self.max_features}"
        )
        order = rank_features(
            ranking,
            X_transfer,
            target,
            sample_weight=transfer_weight,
            teacher=teacher,
            max_features=self.max_features,
        )
        self.panel_ = order[: self.max_features]
        self.panel_names_ = _check_feature_names_in(self)[self.panel_]
        return take_columns(X_transfer, self.panel_)

    def _validate_fit_input(self, X, y, sample_weight):
        X, y = validate_data(self, X, y, skip_check_array=True)
        # Row indexing needs a list, array, DataFrame or CSR-like matrix; an
        # object that only converts to an array (``__array__``) becomes one.
        X = indexable(X)[0]

        n_samples = _num_samples(X)
        if n_samples == 0:
            raise ValueError(
                "Found array with 0 sample(s) while a minimum of 1 is required by "
                "DistilledClassifier."
            )

        y = column_or_1d(y, warn=True)
        if y.dtype.kind == "f" and np.isnan(y).any():
            raise ValueError("Input y contains NaN. Drop or label those rows.")
        if y.dtype.kind == "f":
            # Before check_classification_targets, which casts infinity to int.
            assert_all_finite(y, input_name="y")
        if y.dtype.kind == "O":
            _check_no_missing_labels(y)
        if len(y) != n_samples:
            raise ValueError(
                f"X has {n_samples} rows but y has {len(y)} labels; pass one label "
                "per row."
            )

        check_classification_targets(y)
        n_classes = len(np.unique(y))
        if n_classes < 2:
            raise ValueError(
                f"DistilledClassifier needs at least 2 classes in y, got {n_classes} "
                f"class: {np.unique(y).tolist()!r}."
            )

        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, ensure_non_negative=True
            )
            weighted_classes = np.unique(y[sample_weight > 0])
            if len(weighted_classes) < 2:
                raise ValueError(
                    "sample_weight is positive for rows of "
                    f"{len(weighted_classes)} class only "
                    f"({weighted_classes.tolist()!r}); DistilledClassifier needs "
                    "at least 2 classes with positive weight."
                )
        return X, y, sample_weight

    def _validate_unlabeled(self, X, X_unlabeled):
        if X_unlabeled is None:
            return None
        try:
            _check_feature_names(self, X_unlabeled, reset=False)
            _check_n_features(self, X_unlabeled, reset=False)
        except ValueError as exc:
            # scikit-learn's message speaks of "X", which here is X_unlabeled.
            raise ValueError(
                f"X_unlabeled does not have the columns of X: {exc}"
            ) from None
        X_unlabeled = indexable(X_unlabeled)[0]
        if _num_samples(X_unlabeled) == 0:
            raise ValueError(
                "X_unlabeled has 0 rows. Pass at least one row, or X_unlabeled=None."
            )
        if _input_kind(X_unlabeled) != _input_kind(X):
            raise TypeError(
                f"X_unlabeled is a {_input_kind(X_unlabeled)} but X is a "
                f"{_input_kind(X)}; pass both in the same form, so that the teacher "
                "and the student receive one kind of input."
            )
        return X_unlabeled

    def _label_rows(self, X, y, sample_weight, X_synthetic, needs_teacher):
        """Return the teacher, the real transfer rows and the soft labels.

        The soft labels of the real transfer rows and of ``X_synthetic``
        (None when it is None) are the teacher's probabilities before
        temperature, with columns in the order of ``classes_``. Cross-fitting
        skips the final teacher (and returns None) unless ``needs_teacher``.
        """
        all_rows = np.arange(len(y))
        if isinstance(self.teacher, FrozenEstimator):
            self._check_frozen_teacher()
            check_classes_known(self.teacher.classes_, self.classes_, role="teacher")
            self._warn_missing_teacher_classes()
            self._log("Labelling every row with the frozen teacher")
            proba = self._teacher_proba(self.teacher, X)
            return (
                self.teacher,
                all_rows,
                proba,
                self._label_synthetic(self.teacher, X_synthetic),
            )

        self._warn_if_fitted_teacher()
        if sample_weight is not None and not accepts_sample_weight(self.teacher):
            raise ValueError(
                f"The teacher {type(self.teacher).__name__} does not accept "
                "sample_weight in fit. Fit without sample_weight, or pass a fitted "
                "teacher wrapped in FrozenEstimator so that the weights go to the "
                "student only."
            )

        if self.transfer == "held_out":
            y_encoded = np.searchsorted(self.classes_, y)
            teacher_rows, transfer_rows = held_out_split(
                y_encoded, self.classes_, self.transfer_size, self.random_state
            )
            teacher = self._fit_teacher_clone(X, y, sample_weight, teacher_rows)
            self._log(f"Labelling {len(transfer_rows)} held-out rows")
            proba = self._teacher_proba(teacher, _safe_indexing(X, transfer_rows))
            synthetic_proba = self._label_synthetic(teacher, X_synthetic)
            return teacher, transfer_rows, proba, synthetic_proba

        if self.transfer == "cross_fit":
            self._log("Labelling every row with out-of-fold teachers")
            proba = cross_fit_proba(
                self.teacher,
                X,
                y,
                self.classes_,
                cv=self.cv,
                sample_weight=sample_weight,
                n_jobs=self.n_jobs,
                batch_size=self.batch_size,
            )
            teacher = None
            if needs_teacher or X_synthetic is not None:
                teacher = self._fit_teacher_clone(X, y, sample_weight, all_rows)
            # The teacher fitted on all rows labels the synthetic rows. With
            # fold-teacher labels, as uncertain as on unseen rows, a depth-4
            # tree on SRBCT scored 2 to 19 points lower (docs/benchmarks.md).
            return teacher, all_rows, proba, self._label_synthetic(teacher, X_synthetic)

        teacher = self._fit_teacher_clone(X, y, sample_weight, all_rows)
        self._log("Labelling every row with the teacher fitted on them")
        proba = self._teacher_proba(teacher, X)
        return teacher, all_rows, proba, self._label_synthetic(teacher, X_synthetic)

    def _label_synthetic(self, teacher, X_synthetic):
        if X_synthetic is None:
            return None
        self._log(f"Labelling {_num_samples(X_synthetic)} synthetic rows")
        return self._teacher_proba(teacher, X_synthetic)

    def _teacher_proba(self, teacher, X):
        return label_in_batches(
            teacher,
            X,
            self.classes_,
            batch_size=self.batch_size,
            n_jobs=self.n_jobs,
        )

    def _fit_teacher_clone(self, X, y, sample_weight, rows):
        teacher = clone(self.teacher)
        self._log(f"Fitting teacher {type(teacher).__name__} on {len(rows)} rows")
        weight = None if sample_weight is None else sample_weight[rows]
        fit_with_weight(teacher, _take_rows(X, rows), y[rows], weight)
        return teacher

    def _synthetic_rows(self, X, sample_weight):
        """Return the synthetic rows and their weights, or (None, None)."""
        if self.synthetic_ is None:
            return None, None
        self._log(f"Making synthetic rows with {self.synthetic_!r}")
        X_synthetic = self.synthetic_.sample(X, random_state=self.random_state)
        n_rows = _num_samples(X)
        n_synthetic = _num_samples(X_synthetic)
        if n_synthetic % n_rows:
            raise ValueError(
                f"synthetic={self.synthetic_!r} returned {n_synthetic} rows for "
                f"{n_rows} rows of X. Its sample method must return a whole "
                "number of blocks of len(X) rows, row i of each block made from "
                "row i of X, so that each synthetic row has a source row."
            )
        if n_synthetic == 0:
            self.synthetic_ = None
            return None, None
        n_columns = getattr(X_synthetic, "shape", (None, None))[1]
        expected = getattr(self, "n_features_in_", None)
        if None not in (n_columns, expected) and n_columns != expected:
            raise ValueError(
                f"synthetic={self.synthetic_!r} returned rows with {n_columns} "
                f"columns, but X has {expected}. Its sample method must "
                "return rows with the columns of X."
            )
        weight = None
        if sample_weight is not None:
            weight = np.tile(sample_weight, n_synthetic // n_rows)
        return X_synthetic, weight

    def _check_frozen_teacher(self):
        try:
            check_is_fitted(self.teacher.estimator)
        except NotFittedError as exc:
            name = type(self.teacher.estimator).__name__
            raise NotFittedError(
                f"The teacher is a FrozenEstimator around an unfitted {name}. Fit "
                f"the {name} before wrapping it, or pass it unwrapped so that "
                "DistilledClassifier fits a clone of it."
            ) from exc

    def _warn_missing_teacher_classes(self):
        missing = np.setdiff1d(self.classes_, np.asarray(self.teacher.classes_))
        if len(missing) == 0:
            return
        warnings.warn(
            f"The frozen teacher was fitted without the classes "
            f"{missing.tolist()!r} of y, so its soft labels give them probability "
            "0 and the student never predicts them. Set alpha > 0 to mix in the "
            "true labels, or refit the teacher on every class.",
            UserWarning,
            # Frames up to the caller: here, _label_rows, _build_transfer_set,
            # fit and scikit-learn's _fit_context wrapper.
            stacklevel=6,
        )

    def _warn_if_fitted_teacher(self):
        try:
            check_is_fitted(self.teacher)
        except NotFittedError:
            return
        name = type(self.teacher).__name__
        warnings.warn(
            f"The teacher {name} is already fitted, but DistilledClassifier fits a "
            "clone of it on part of the rows. To distill the fitted teacher as it "
            "is, pass FrozenEstimator(teacher) from sklearn.frozen.",
            UserWarning,
            # Frames up to the caller: here, _label_rows, _build_transfer_set,
            # fit and scikit-learn's _fit_context wrapper.
            stacklevel=6,
        )

    def _student_template(self, X=None):
        if self.student is not None:
            return self.student
        # Centring would densify a sparse matrix, so sparse input is only scaled.
        scaler = StandardScaler(with_mean=not sp.issparse(X))
        classifier = LogisticRegression(max_iter=1000)
        if get_config()["enable_metadata_routing"]:
            # Soft-label training passes sample_weight to the student; the
            # weights belong to the classifier, not to the scaler.
            scaler.set_fit_request(sample_weight=False)
            classifier.set_fit_request(sample_weight=True)
        return make_pipeline(scaler, classifier)

    def _log(self, message):
        if self.verbose:
            print(f"[DistilledClassifier] {message}")

    def predict_proba(self, X):
        """Predict class probabilities with the student.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows in the same form as in ``fit``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns ordered as ``classes_``.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.ensemble import RandomForestClassifier
        >>> from skdistill import DistilledClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
        >>> clf = DistilledClassifier(teacher, random_state=0).fit(X, y)
        >>> proba = clf.predict_proba(X[:2])
        >>> proba.shape
        (2, 3)
        >>> proba.sum(axis=1).round(6)
        array([1., 1.])
        """
        X = self._student_input(X)
        return student_proba(self.student_, X, self.classes_)

    def predict_log_proba(self, X):
        """Predict class log-probabilities with the student.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows in the same form as in ``fit``.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Natural logarithm of ``predict_proba``; ``-inf`` where it is 0.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.ensemble import RandomForestClassifier
        >>> from skdistill import DistilledClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
        >>> clf = DistilledClassifier(teacher, random_state=0).fit(X, y)
        >>> log_proba = clf.predict_log_proba(X[:2])
        >>> np.allclose(np.exp(log_proba), clf.predict_proba(X[:2]))
        True
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict class labels with the student.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows in the same form as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            ``classes_[argmax(predict_proba(X))]``.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.ensemble import RandomForestClassifier
        >>> from skdistill import DistilledClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
        >>> clf = DistilledClassifier(teacher, random_state=0).fit(X, y)
        >>> clf.predict(X[[0, 50, 100]])
        array([0, 1, 2])
        """
        X = self._student_input(X)
        return self._predict(X)

    def _student_input(self, X):
        """Validate rows for prediction and return the columns the student reads."""
        X = self._validate_predict_input(X)
        panel = getattr(self, "panel_", None)
        if panel is None:
            return X
        return take_columns(X, panel)

    def _validate_predict_input(self, X):
        # The checks of validate_data without its estimator-tag lookup, which
        # costs more than a small student's prediction.
        if not hasattr(self, "student_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call "
                "'fit' with appropriate arguments before using this estimator."
            )
        if getattr(X, "ndim", 2) == 1:
            raise ValueError(
                "Expected a 2D array, got a 1D array instead. Reshape your data "
                "either using array.reshape(-1, 1) if your data has a single "
                "feature or array.reshape(1, -1) if it contains a single sample."
            )
        _check_feature_names(self, X, reset=False)
        _check_n_features(self, X, reset=False)
        return X

    def _predict(self, X):
        proba = student_proba(self.student_, X, self.classes_)
        return self.classes_[np.argmax(proba, axis=1)]

    @available_if(_student_has("decision_function"))
    def decision_function(self, X):
        """Compute the student's decision function.

        Available when the student has ``decision_function``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows in the same form as in ``fit``.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The student's scores: for two classes, one score per row that
            favours ``classes_[1]`` when positive.

        Examples
        --------
        The default student, a logistic regression, has a decision function:

        >>> from sklearn.datasets import load_iris
        >>> from sklearn.ensemble import RandomForestClassifier
        >>> from skdistill import DistilledClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
        >>> clf = DistilledClassifier(teacher, random_state=0).fit(X, y)
        >>> clf.decision_function(X[:2]).shape
        (2, 3)
        """
        X = self._student_input(X)
        learned = np.asarray(self.student_.classes_)
        if len(learned) != len(self.classes_):
            raise ValueError(
                f"The student learned only the classes "
                f"{self.classes_[learned].tolist()!r} of {self.classes_.tolist()!r}, "
                "so its decision function has no score for the others. Use "
                "predict_proba, which gives them probability 0."
            )
        return self.student_.decision_function(X)

    def get_feature_names_out(self, input_features=None):
        """Get the names of the features the student reads.

        With ``max_features``, these are the panel's names, ``panel_names_``,
        in the order of ``panel_``. Without it, they are every input feature.
        As for a feature selector, the names are those of the input columns,
        so a Pipeline ending in this classifier names the panel too.

        Parameters
        ----------
        input_features : array-like of str, default=None
            Names of the input features. None uses ``feature_names_in_``, or
            ``"x0"``, ``"x1"``, ... when ``X`` had no string column names. If
            given, it must match ``feature_names_in_`` when that is set.

        Returns
        -------
        feature_names_out : ndarray of str objects
            The names, one per column the student reads.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.ensemble import RandomForestClassifier
        >>> from skdistill import DistilledClassifier
        >>> X, y = load_iris(return_X_y=True, as_frame=True)
        >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
        >>> clf = DistilledClassifier(teacher, max_features=2, random_state=0)
        >>> clf.fit(X, y).get_feature_names_out()
        array(['petal length (cm)', 'petal width (cm)'], dtype=object)
        """
        check_is_fitted(self, "student_")
        names = _check_feature_names_in(self, input_features)
        if not hasattr(self, "panel_"):
            return names
        return names[self.panel_]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        teacher_input = get_tags(self.teacher).input_tags
        student_input = get_tags(self._student_template()).input_tags
        # The default student drops centring for sparse input, so it takes it.
        student_sparse = self.student is None or student_input.sparse
        tags.input_tags.allow_nan = teacher_input.allow_nan and student_input.allow_nan
        if self.max_features is not None and self.feature_ranking in (
            "univariate",
            "lasso",
        ):
            tags.input_tags.allow_nan = False
        tags.input_tags.sparse = teacher_input.sparse and student_sparse
        return tags
