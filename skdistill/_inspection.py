"""Show a fitted distiller's student in a form a person can read.

These are functions of the fitted estimator, as :func:`sklearn.tree.export_text`
and :func:`sklearn.tree.plot_tree` are, so the estimator keeps a classifier's
methods only and matplotlib is imported only by :func:`plot_tree`.
"""

# SPDX-License-Identifier: BSD-3-Clause

from numbers import Integral

import numpy as np
from sklearn import tree
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from skdistill._distill import DistilledClassifier

# Students with a readable view. A student in a Pipeline counts by its last step.
TREE_TYPES = (tree.DecisionTreeClassifier, tree.DecisionTreeRegressor)


def export_text(
    distiller,
    *,
    max_depth=10,
    spacing=3,
    decimals=2,
    show_weights=False,
    max_coefficients=10,
):
    """Describe the student of a fitted distiller as text a person can read.

    A decision tree student is shown as its rules, through
    :func:`sklearn.tree.export_text`, and a linear student (a model with
    ``coef_``, such as :class:`~sklearn.linear_model.LogisticRegression`) as
    its largest coefficients for each class. Both use the names of the
    features the student reads (the panel's, with ``max_features``) and the
    labels of ``classes_``, although the student was fitted on class indices.
    When the student is a Pipeline, its last step is shown, and the features
    are the output of the earlier steps: a tree's thresholds then apply to
    those outputs, and a linear student after a
    :class:`~sklearn.preprocessing.StandardScaler` has coefficients per
    standard deviation of each feature.

    Parameters
    ----------
    distiller : DistilledClassifier
        A fitted distiller.

    max_depth : int, default=10
        Deepest level of a tree to show; deeper branches are cut.

    spacing : int, default=3
        Width of a tree's indentation, as in :func:`sklearn.tree.export_text`.

    decimals : int, default=2
        Digits after the decimal point of thresholds, values and coefficients.

    show_weights : bool, default=False
        Show the weighted count of each class at a classifier tree's leaves.
        The counts are of the student's repeated, soft-weighted transfer
        rows, not of rows passed to ``fit``.

    max_coefficients : int or None, default=10
        Number of coefficients shown per class for a linear student, the
        largest by absolute value; None shows all of them.

    Returns
    -------
    report : str
        The tree's rules, or one block of coefficients per class. A line
        above them states the units of the numbers when they are not those of
        the raw features.

    Raises
    ------
    TypeError
        When the student, or a Pipeline student's last step, is neither a
        decision tree nor a linear model, for example an MLP. Such a student
        has no short readable form. An error is raised rather than a message
        returned, because a message in place of the report would pass
        unnoticed in a script that saves it.

    See Also
    --------
    plot_tree : Draw a tree student with matplotlib.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.inspection import export_text
    >>> X = np.array([[0, 5], [1, 3], [2, 4], [3, 5], [4, 3], [5, 4]] * 3)
    >>> y = np.array(["low", "low", "low", "high", "high", "high"] * 3)
    >>> clf = DistilledClassifier(
    ...     LogisticRegression(), DecisionTreeClassifier(max_depth=1), cv=3
    ... ).fit(X, y)
    >>> print(export_text(clf))
    |--- x0 <= 2.50
    |   |--- class: low
    |--- x0 >  2.50
    |   |--- class: high
    <BLANKLINE>

    A linear student lists each class's largest coefficients:

    >>> linear = DistilledClassifier(
    ...     LogisticRegression(), LogisticRegression(), cv=3
    ... ).fit(X, y)
    >>> print(export_text(linear, max_coefficients=1))
    LogisticRegression: coefficients per unit of each feature.
    Each score lists its 1 largest of 2 coefficients by absolute value.
    Score of class 'low' against 'high' (positive favours 'low'):
      x0         -1.53
      intercept  +5.28
    """
    _check_distiller(distiller)
    if max_coefficients is not None and not (
        isinstance(max_coefficients, Integral) and max_coefficients >= 1
    ):
        raise ValueError(
            f"max_coefficients={max_coefficients!r} is invalid. Pass a whole "
            "number of at least 1, or None to show every coefficient."
        )
    final_step, steps = _split_student(distiller.student_)
    feature_names = _final_step_feature_names(distiller, steps, final_step)

    if isinstance(final_step, TREE_TYPES):
        return _tree_report(
            distiller,
            final_step,
            steps,
            feature_names,
            max_depth=max_depth,
            spacing=spacing,
            decimals=decimals,
            show_weights=show_weights,
        )
    if hasattr(final_step, "coef_"):
        return _linear_report(
            distiller, final_step, steps, feature_names, decimals, max_coefficients
        )
    raise TypeError(_no_view_message("export_text", final_step))


def plot_tree(distiller, *, ax=None, max_depth=None, filled=False, fontsize=None):
    """Draw the decision tree student of a fitted distiller with matplotlib.

    The nodes name the features the student reads (the panel's, with
    ``max_features``) and, for a classifier tree, the labels of ``classes_``.
    A regressor tree's leaf values are the predicted probabilities of the
    classes in the order of ``classes_``. In a Pipeline student, the last step
    is drawn and its thresholds apply to the output of the earlier steps.

    Parameters
    ----------
    distiller : DistilledClassifier
        A fitted distiller whose student, or its Pipeline's last step, is a
        :class:`~sklearn.tree.DecisionTreeClassifier` or
        :class:`~sklearn.tree.DecisionTreeRegressor`.

    ax : matplotlib Axes, default=None
        Axes to draw on; None draws on the current axes.

    max_depth : int, default=None
        Deepest level to draw; None draws the whole tree.

    filled : bool, default=False
        Colour the nodes by their majority class (classifier) or value
        (regressor).

    fontsize : int, default=None
        Size of the text; None fits it to the figure.

    Returns
    -------
    annotations : list of matplotlib Annotation
        The nodes' boxes and arrows, as :func:`sklearn.tree.plot_tree`
        returns them.

    Raises
    ------
    ImportError
        When matplotlib is not installed.

    TypeError
        When the student is not a decision tree.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.inspection import plot_tree
    >>> X = np.array([[0, 5], [1, 3], [2, 4], [3, 5], [4, 3], [5, 4]] * 3)
    >>> y = np.array(["low", "low", "low", "high", "high", "high"] * 3)
    >>> clf = DistilledClassifier(
    ...     LogisticRegression(), DecisionTreeClassifier(max_depth=1), cv=3
    ... ).fit(X, y)
    >>> annotations = plot_tree(clf)  # doctest: +SKIP
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            "plot_tree draws with matplotlib, which is not installed. Install it "
            "with `pip install matplotlib`, or use export_text for the rules as "
            "text."
        ) from exc

    _check_distiller(distiller)
    final_step, steps = _split_student(distiller.student_)
    if not isinstance(final_step, TREE_TYPES):
        raise TypeError(_no_view_message("plot_tree", final_step, trees_only=True))
    feature_names = _final_step_feature_names(distiller, steps, final_step)
    return tree.plot_tree(
        final_step,
        feature_names=feature_names,
        class_names=_tree_class_names(distiller, final_step),
        max_depth=max_depth,
        filled=filled,
        ax=ax,
        fontsize=fontsize,
    )


def _split_student(student):
    """Return the model to show and the Pipeline of steps before it, or None."""
    if isinstance(student, Pipeline):
        return student[-1], student[:-1]
    return student, None


def _final_step_feature_names(distiller, steps, final_step):
    """Return the names of the columns the shown model reads, as a list.

    Without earlier steps these are the distiller's, the panel's with
    ``max_features``. After earlier steps, they are the names those steps'
    ``get_feature_names_out`` gives their output, or ``feature_0``,
    ``feature_1``, ... by position when a step has no such method.
    """
    names = None
    if hasattr(distiller, "n_features_in_"):
        names = distiller.get_feature_names_out()
    if steps is not None:
        try:
            names = steps.get_feature_names_out(names)
        except AttributeError:
            # A step without get_feature_names_out: its output has no names.
            names = None
    if names is None:
        return [f"feature_{i}" for i in range(final_step.n_features_in_)]
    return [str(name) for name in names]


def _tree_class_names(distiller, final_step):
    if not hasattr(final_step, "classes_"):
        return None
    # The student's classes_ are positions in the distiller's classes_.
    return [str(label) for label in distiller.classes_[final_step.classes_]]


def _tree_report(distiller, final_step, steps, feature_names, **export_options):
    notes = []
    if steps is not None:
        notes.append(
            "Thresholds apply to the output of the student's steps "
            f"{_step_names(steps)}, not to the raw features."
        )
    if not hasattr(final_step, "classes_"):
        labels = ", ".join(repr(str(label)) for label in distiller.classes_)
        notes.append(
            f"Leaf values are the predicted probabilities of {labels}, in that order."
        )
    rules = tree.export_text(
        final_step,
        feature_names=feature_names,
        class_names=_tree_class_names(distiller, final_step),
        **export_options,
    )
    return "".join(f"{note}\n" for note in notes) + rules


def _linear_report(
    distiller, final_step, steps, feature_names, decimals, max_coefficients
):
    coef = np.atleast_2d(np.asarray(final_step.coef_, dtype=np.float64))
    intercept = np.broadcast_to(
        np.asarray(getattr(final_step, "intercept_", 0.0), dtype=np.float64),
        (coef.shape[0],),
    )
    lines = [f"{type(final_step).__name__}: coefficients {_units(steps)}."]
    n_features = coef.shape[1]
    if max_coefficients is not None and max_coefficients < n_features:
        lines.append(
            f"Each score lists its {max_coefficients} largest of {n_features} "
            "coefficients by absolute value."
        )
    titles = _coefficient_titles(distiller, final_step, coef)
    for title, row_coef, row_intercept in zip(titles, coef, intercept, strict=True):
        lines.append(f"{title}:")
        lines.extend(
            _coefficient_lines(
                row_coef, row_intercept, feature_names, decimals, max_coefficients
            )
        )
    return "\n".join(lines)


def _units(steps):
    if steps is None:
        return "per unit of each feature"
    transformers = [
        step for _, step in steps.steps if step not in (None, "passthrough")
    ]
    if transformers and all(
        isinstance(step, StandardScaler) and step.with_std for step in transformers
    ):
        return (
            "per standard deviation of each feature, as the student's "
            "StandardScaler measured it on the transfer rows"
        )
    return (
        f"on the output of the student's steps {_step_names(steps)}, not on the "
        "raw features"
    )


def _coefficient_titles(distiller, final_step, coef):
    """Name what each row of ``coef`` predicts."""
    if not hasattr(final_step, "classes_"):
        # A regressor student has one output per class: its probability.
        return [f"Probability of class {str(label)!r}" for label in distiller.classes_]
    labels = [str(label) for label in distiller.classes_[final_step.classes_]]
    if coef.shape[0] == 1 and len(labels) == 2:
        return [
            f"Score of class {labels[1]!r} against {labels[0]!r} (positive "
            f"favours {labels[1]!r})"
        ]
    return [f"Score of class {label!r}" for label in labels]


def _coefficient_lines(coef, intercept, feature_names, decimals, max_coefficients):
    order = np.argsort(-np.abs(coef), kind="stable")[:max_coefficients]
    names = [feature_names[i] for i in order] + ["intercept"]
    values = list(coef[order]) + [intercept]
    width = max(len(name) for name in names)
    return [
        f"  {name:<{width}}  {value:+.{decimals}f}"
        for name, value in zip(names, values, strict=True)
    ]


def _step_names(steps):
    return "(" + ", ".join(name for name, _ in steps.steps) + ")"


def _no_view_message(function, final_step, trees_only=False):
    name = type(final_step).__name__
    if trees_only:
        return (
            f"{function} cannot draw the {name} student: it draws a decision tree, "
            "alone or as a Pipeline's last step. Distill into a "
            "DecisionTreeClassifier, or use export_text for a linear student."
        )
    return (
        f"{function} cannot show the {name} student: it shows the rules of a "
        "decision tree and the coefficients of a linear model, alone or as a "
        "Pipeline's last step. Distill into a DecisionTreeClassifier or a "
        "LogisticRegression for a student a person can read."
    )


def _check_distiller(distiller):
    """Raise unless ``distiller`` is a fitted DistilledClassifier."""
    if not isinstance(distiller, DistilledClassifier):
        raise TypeError(
            f"Expected a fitted DistilledClassifier, got {type(distiller).__name__}. "
            "For a scikit-learn tree, use sklearn.tree.export_text or "
            "sklearn.tree.plot_tree directly."
        )
    check_is_fitted(distiller, "student_")
