"""Accuracy and fidelity of a distilled panel student against the panel size."""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.metrics import accuracy_score
from sklearn.model_selection import check_cv, cross_validate
from sklearn.utils import Bunch
from sklearn.utils.validation import _num_features

from skdistill._distill import DistilledClassifier
from skdistill._metrics import student_fidelity
from skdistill._soft_labels import teacher_proba

DEFAULT_SIZES = (5, 10, 20, 50, 100, None)


def panel_curve(
    distiller, X, y, *, sizes=DEFAULT_SIZES, cv=5, groups=None, n_jobs=None
):
    """Cross-validate a distiller at several panel sizes.

    For each size in ``sizes``, a clone of ``distiller`` with
    ``max_features=size`` is fitted on the training rows of every split of
    ``cv``. It is scored on the split's test rows by three figures: the
    student's accuracy, its fidelity to the teacher
    (:func:`~skdistill.metrics.student_fidelity`) and the accuracy of the
    distiller's own ``teacher_``. Every size uses the same splits, so the sizes
    can be compared fold by fold.

    Each fit fits the teacher again unless it is frozen. A teacher frozen
    after fitting on all of ``X`` has seen the test rows, which makes the
    scores optimistic. An unfitted teacher is cross-fitted inside each split,
    so it is never fitted on that split's test rows.

    Parameters
    ----------
    distiller : DistilledClassifier
        The distiller to clone, fitted or not. Its ``max_features`` is
        replaced by each size in turn, and it must keep its teacher
        (``keep_teacher=True``) for the fidelity.

    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Rows, as for ``distiller.fit``.

    y : array-like of shape (n_samples,)
        Class labels.

    sizes : sequence of int or None, default=(5, 10, 20, 50, 100, None)
        Panel sizes, in features. None is the student on every feature. Sizes
        larger than ``n_features`` are an error; with the default, the sizes
        that are not smaller than ``n_features`` are left out instead.

    cv : int, cross-validation generator or iterable, default=5
        Splits of the rows, as in :func:`~sklearn.model_selection.cross_validate`.
        An int is the number of folds of a
        :class:`~sklearn.model_selection.StratifiedKFold`.

    groups : array-like of shape (n_samples,), default=None
        Group labels for a group splitter such as
        :class:`~sklearn.model_selection.GroupKFold`.

    n_jobs : int, default=None
        Number of jobs that fit the splits of one size in parallel; None
        means 1 unless in a :func:`joblib.parallel_backend` context.

    Returns
    -------
    curve : :class:`~sklearn.utils.Bunch`
        With the keys ``sizes`` (list of int or None), ``accuracy``,
        ``fidelity`` and ``teacher_accuracy``, each an ndarray of shape
        (n_sizes, n_splits) whose row ``i`` belongs to ``sizes[i]``.

    Raises
    ------
    TypeError
        If ``distiller`` is not a DistilledClassifier.

    ValueError
        If ``sizes`` is empty, or has a value that is not None or an int
        between 1 and ``n_features``, or if ``distiller`` does not keep its
        teacher.

    See Also
    --------
    PanelCurveDisplay : Plot of the curve.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.inspection import panel_curve
    >>> X, y = load_iris(return_X_y=True)
    >>> distiller = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=10, random_state=0), random_state=0
    ... )
    >>> curve = panel_curve(distiller, X, y, sizes=[1, 2, None], cv=3)
    >>> curve.accuracy.shape
    (3, 3)
    >>> curve.sizes
    [1, 2, None]
    """
    _check_distiller(distiller)
    sizes = _check_sizes(sizes, _num_features(X))
    # The splits are drawn once, so a shuffling splitter without a fixed seed
    # still gives every size the same folds.
    splits = list(check_cv(cv, y, classifier=True).split(X, y, groups))
    scoring = {
        "accuracy": "accuracy",
        "fidelity": student_fidelity,
        "teacher_accuracy": _teacher_accuracy,
    }

    curve = {name: [] for name in scoring}
    for size in sizes:
        estimator = clone(distiller).set_params(max_features=size)
        scores = cross_validate(
            estimator, X, y, cv=splits, scoring=scoring, n_jobs=n_jobs
        )
        for name in scoring:
            curve[name].append(scores[f"test_{name}"])

    return Bunch(sizes=sizes, **{name: np.array(v) for name, v in curve.items()})


def _teacher_accuracy(distiller, X, y):
    """Score the accuracy of the teacher's most probable classes on ``X``."""
    proba = teacher_proba(distiller.teacher_, X, distiller.classes_)
    return accuracy_score(y, distiller.classes_[np.argmax(proba, axis=1)])


def _check_distiller(distiller):
    if not isinstance(distiller, DistilledClassifier):
        raise TypeError(
            f"panel_curve needs a DistilledClassifier itself, got "
            f"{type(distiller).__name__}. Pass the distiller, and move any "
            "preprocessing into its teacher and student, for example "
            "DistilledClassifier(make_pipeline(scaler, teacher), student)."
        )
    if not distiller.keep_teacher:
        raise ValueError(
            "panel_curve scores the student's fidelity to the teacher, but the "
            "distiller has keep_teacher=False. Set keep_teacher=True."
        )


def _check_sizes(sizes, n_features):
    """Return ``sizes`` as a list, with the default cut to ``n_features``."""
    if sizes is DEFAULT_SIZES:
        return [size for size in sizes if size is None or size < n_features]
    if isinstance(sizes, str):
        raise ValueError(
            f"sizes={sizes!r} is a string. Pass a list of panel sizes, for "
            "example [5, 10, None]."
        )
    sizes = list(sizes)
    if not sizes:
        raise ValueError("sizes is empty. Pass at least one panel size or None.")
    for size in sizes:
        valid_int = isinstance(size, Integral) and not isinstance(size, bool)
        if size is not None and not (valid_int and 1 <= size <= n_features):
            raise ValueError(
                f"sizes has {size!r}, which is not a panel size. Each size must "
                f"be an int from 1 to n_features={n_features}, or None for "
                "every feature."
            )
    return sizes


class PanelCurveDisplay:
    """Plot of a panel student's accuracy and fidelity against panel size.

    Build it with :meth:`from_estimator`, which runs :func:`panel_curve`, or
    from scores computed elsewhere, then call :meth:`plot`. The lines are the
    means over the splits and the bands one standard deviation either side;
    a grey line marks the teacher's mean accuracy.

    Parameters
    ----------
    sizes : sequence of int or None
        Panel sizes; None is labelled "all".

    accuracy : array-like of shape (n_sizes, n_splits)
        Student accuracy per size and split.

    fidelity : array-like of shape (n_sizes, n_splits)
        Student fidelity to the teacher per size and split.

    teacher_accuracy : array-like of shape (n_sizes, n_splits), default=None
        Teacher accuracy; None draws no teacher line.

    Attributes
    ----------
    lines_ : dict of matplotlib Line2D
        The lines drawn, keyed by "accuracy", "fidelity" and, when drawn,
        "teacher_accuracy".

    ax_ : matplotlib Axes
        The axes of the plot.

    figure_ : matplotlib Figure
        The figure of the plot.

    See Also
    --------
    panel_curve : The scores behind the plot.

    Examples
    --------
    >>> from skdistill.inspection import PanelCurveDisplay
    >>> display = PanelCurveDisplay(
    ...     sizes=[5, 20, None],
    ...     accuracy=[[0.80, 0.84], [0.92, 0.90], [0.95, 0.97]],
    ...     fidelity=[[0.82, 0.80], [0.94, 0.92], [0.97, 0.99]],
    ... )
    >>> display.plot()  # doctest: +SKIP
    """

    def __init__(self, *, sizes, accuracy, fidelity, teacher_accuracy=None):
        self.sizes = sizes
        self.accuracy = accuracy
        self.fidelity = fidelity
        self.teacher_accuracy = teacher_accuracy

    @classmethod
    def from_estimator(
        cls,
        distiller,
        X,
        y,
        *,
        sizes=DEFAULT_SIZES,
        cv=5,
        groups=None,
        n_jobs=None,
        ax=None,
    ):
        """Run :func:`panel_curve` and plot it.

        Parameters
        ----------
        distiller : DistilledClassifier
            The distiller to clone at each panel size.

        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows, as for ``distiller.fit``.

        y : array-like of shape (n_samples,)
            Class labels.

        sizes : sequence of int or None, default=(5, 10, 20, 50, 100, None)
            Panel sizes, in features; None is every feature.

        cv : int, cross-validation generator or iterable, default=5
            Splits of the rows.

        groups : array-like of shape (n_samples,), default=None
            Group labels for a group splitter.

        n_jobs : int, default=None
            Number of jobs that fit the splits in parallel.

        ax : matplotlib Axes, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        display : PanelCurveDisplay
            The display, with the plot drawn.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.ensemble import RandomForestClassifier
        >>> from skdistill import DistilledClassifier
        >>> from skdistill.inspection import PanelCurveDisplay
        >>> X, y = load_iris(return_X_y=True)
        >>> distiller = DistilledClassifier(
        ...     RandomForestClassifier(n_estimators=10, random_state=0),
        ...     random_state=0,
        ... )
        >>> display = PanelCurveDisplay.from_estimator(
        ...     distiller, X, y, sizes=[1, 2, None], cv=3
        ... )  # doctest: +SKIP
        >>> sorted(display.lines_)  # doctest: +SKIP
        ['accuracy', 'fidelity', 'teacher_accuracy']
        """
        curve = panel_curve(
            distiller, X, y, sizes=sizes, cv=cv, groups=groups, n_jobs=n_jobs
        )
        display = cls(
            sizes=curve.sizes,
            accuracy=curve.accuracy,
            fidelity=curve.fidelity,
            teacher_accuracy=curve.teacher_accuracy,
        )
        return display.plot(ax=ax)

    def plot(self, *, ax=None):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        display : PanelCurveDisplay
            The display, with ``lines_``, ``ax_`` and ``figure_`` set.

        Raises
        ------
        ImportError
            When matplotlib is not installed.

        Examples
        --------
        >>> from skdistill.inspection import PanelCurveDisplay
        >>> display = PanelCurveDisplay(
        ...     sizes=[5, 20, None],
        ...     accuracy=[[0.80, 0.84], [0.92, 0.90], [0.95, 0.97]],
        ...     fidelity=[[0.82, 0.80], [0.94, 0.92], [0.97, 0.99]],
        ... )
        >>> display = display.plot()  # doctest: +SKIP
        >>> sorted(display.lines_)  # doctest: +SKIP
        ['accuracy', 'fidelity']
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError as exc:
            raise ImportError(
                "PanelCurveDisplay.plot draws with matplotlib, which is not "
                "installed. Install it with `pip install matplotlib`, or read "
                "the scores from panel_curve."
            ) from exc

        if ax is None:
            _, ax = plt.subplots()
        # Sizes are spaced evenly, since "all" has no place on a numeric axis.
        positions = np.arange(len(self.sizes))
        self.lines_ = {}
        for name in ("accuracy", "fidelity"):
            scores = np.asarray(getattr(self, name), dtype=float)
            mean, sd = scores.mean(axis=1), scores.std(axis=1)
            (self.lines_[name],) = ax.plot(positions, mean, marker="o", label=name)
            ax.fill_between(positions, mean - sd, mean + sd, alpha=0.2)
        if self.teacher_accuracy is not None:
            teacher = float(np.mean(self.teacher_accuracy))
            self.lines_["teacher_accuracy"] = ax.axhline(
                teacher, color="grey", linestyle="--", label="teacher accuracy"
            )
        ax.set_xticks(positions, ["all" if s is None else str(s) for s in self.sizes])
        ax.set_xlabel("panel size (features)")
        ax.set_ylabel("score on test rows")
        ax.legend(loc="lower right")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
