"""Side-by-side report of a distilled student and its teacher on test data."""

# SPDX-License-Identifier: BSD-3-Clause

import importlib
import math
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    recall_score,
)
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import Interval, validate_params
from sklearn.utils.multiclass import unique_labels
from sklearn.utils.validation import check_consistent_length, column_or_1d

from skdistill._distill import DistilledClassifier
from skdistill._measure import (
    format_ratio,
    format_table,
    measure_latency,
    pickled_size,
)
from skdistill._metrics import (
    check_teacher_kept,
    expected_calibration_error,
    fidelity_score,
    jensen_shannon_divergence,
    mean_kl_divergence,
)
from skdistill._model_size import count_parameters
from skdistill._report_files import save_report
from skdistill._soft_labels import teacher_proba

_SCORE_NAMES = (
    "accuracy",
    "balanced_accuracy",
    "macro_recall",
    "macro_f1",
    "brier_score",
    "expected_calibration_error",
)
_COST_NAMES = ("one_row_seconds", "batch_seconds", "pickle_bytes", "model_size")
TABLE_HEADER = ("", "teacher", "student", "teacher/student")
PER_CLASS_TITLE = "Fidelity per class of the teacher's labels"
PER_CLASS_HEADER = ("class", "rows", "fidelity")


@dataclass
class DistillationReport:
    """Teacher and student of a fitted distiller, compared on test data.

    Built by :func:`distillation_report`. Print it for a plain-text table, or
    convert it with :meth:`to_dict`, :meth:`to_frame` or :meth:`plot`.

    Attributes
    ----------
    classes : ndarray of shape (n_classes,)
        The distiller's ``classes_``.

    n_samples : int
        Number of test rows.

    teacher : dict
        The teacher's figures on the test rows, keyed by name:

        - ``"accuracy"``, ``"balanced_accuracy"``, ``"macro_recall"`` and
          ``"macro_f1"``: :func:`~sklearn.metrics.accuracy_score`,
          :func:`~sklearn.metrics.balanced_accuracy_score`,
          :func:`~sklearn.metrics.recall_score` and
          :func:`~sklearn.metrics.f1_score` (macro averages over the labels
          of ``y_test`` and the predictions, 0 for an undefined class).
        - ``"accuracy_interval"``: ``(low, high)`` percentile bootstrap
          interval of the accuracy.
        - ``"brier_score"``: :func:`~sklearn.metrics.brier_score_loss` of the
          probabilities, which halves it for two classes.
        - ``"expected_calibration_error"``: top-label ECE,
          :func:`~skdistill.metrics.expected_calibration_error`.
        - ``"one_row_seconds"`` and ``"batch_seconds"``: median wall time of
          ``predict_proba`` on one row and on all test rows, on one thread.
        - ``"pickle_bytes"``: size of the pickled model.
        - ``"n_parameters"``: number of fitted weights, intercepts and scaler
          statistics.
        - ``"n_tree_nodes"``: number of tree nodes. Both counts are ``None``
          when the model, or a step of it, is of a kind that is not counted.

    student : dict
        The same figures for the student. It is timed through the
        distiller's ``predict_proba``, the call a user makes, and its size is
        that of ``student_``.

    fidelity : float
        Share of test rows on which the student predicts the teacher's most
        probable class.

    fidelity_interval : tuple of (float, float)
        Percentile bootstrap interval of ``fidelity``.

    per_class_fidelity : dict
        For each class, the fidelity on the rows that the teacher assigns to
        it (the student's recall of the teacher's labels). ``nan`` for a
        class that the teacher assigns to no test row.

    per_class_support : dict
        For each class, the number of test rows that the teacher assigns to
        it.

    kl_divergence : float
        Mean Kullback-Leibler divergence of the student's probabilities from
        the teacher's, in nats.

    js_divergence : float
        Mean Jensen-Shannon divergence between them, in nats.

    confidence_level : float
        Coverage of the bootstrap intervals.

    n_bootstrap : int
        Number of bootstrap resamples of the test rows.

    n_repeats : int
        Number of timed calls behind each median time.

    n_bins : int
        Number of confidence bins of the expected calibration error.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.model_selection import train_test_split
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.metrics import distillation_report
    >>> X, y = load_iris(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(
    ...     X, y, stratify=y, random_state=0
    ... )
    >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
    >>> clf = DistilledClassifier(teacher, random_state=0).fit(X_train, y_train)
    >>> report = distillation_report(
    ...     clf, X_test, y_test, n_bootstrap=200, n_repeats=3, random_state=0
    ... )
    >>> report.classes
    array([0, 1, 2])
    >>> sorted(report.per_class_support)
    [0, 1, 2]
    """

    classes: np.ndarray
    n_samples: int
    teacher: dict
    student: dict
    fidelity: float
    fidelity_interval: tuple
    per_class_fidelity: dict
    per_class_support: dict
    kl_divergence: float
    js_divergence: float
    confidence_level: float
    n_bootstrap: int
    n_repeats: int
    n_bins: int

    @property
    def ratios(self):
        """Teacher/student ratios of the costs, ``None`` where undefined.

        Keys are ``"one_row_seconds"``, ``"batch_seconds"``,
        ``"pickle_bytes"`` and ``"model_size"`` (parameters plus tree nodes).

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.ensemble import RandomForestClassifier
        >>> from sklearn.model_selection import train_test_split
        >>> from skdistill import DistilledClassifier
        >>> from skdistill.metrics import distillation_report
        >>> X, y = load_iris(return_X_y=True)
        >>> X_train, X_test, y_train, y_test = train_test_split(
        ...     X, y, stratify=y, random_state=0
        ... )
        >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
        >>> clf = DistilledClassifier(teacher, random_state=0).fit(X_train, y_train)
        >>> report = distillation_report(
        ...     clf, X_test, y_test, n_bootstrap=200, n_repeats=3, random_state=0
        ... )
        >>> sorted(report.ratios)
        ['batch_seconds', 'model_size', 'one_row_seconds', 'pickle_bytes']
        >>> bool(report.ratios["pickle_bytes"] > 0)
        True
        """
        return {
            name: _ratio(_cost(self.teacher, name), _cost(self.student, name))
            for name in _COST_NAMES
        }

    def to_dict(self):
        """Convert the report to a dict of built-in Python types.

        The dict has a key for each attribute and ``"ratios"``. Arrays and tuples
        become lists, NumPy scalars become Python numbers and ``nan`` becomes
        ``None``, so ``json.dumps(report.to_dict(), allow_nan=False)`` works.

        Returns
        -------
        report : dict

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.ensemble import RandomForestClassifier
        >>> from sklearn.model_selection import train_test_split
        >>> from skdistill import DistilledClassifier
        >>> from skdistill.metrics import distillation_report
        >>> X, y = load_iris(return_X_y=True)
        >>> X_train, X_test, y_train, y_test = train_test_split(
        ...     X, y, stratify=y, random_state=0
        ... )
        >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
        >>> clf = DistilledClassifier(teacher, random_state=0).fit(X_train, y_train)
        >>> report = distillation_report(
        ...     clf, X_test, y_test, n_bootstrap=200, n_repeats=3, random_state=0
        ... )
        >>> import json
        >>> summary = report.to_dict()
        >>> summary["n_samples"]
        38
        >>> text = json.dumps(summary, allow_nan=False)
        """
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        fields["ratios"] = self.ratios
        return _to_builtin(fields)

    def to_frame(self):
        """Convert the report to a pandas DataFrame.

        Returns
        -------
        frame : pandas.DataFrame
            One row a figure and the columns ``"teacher"``, ``"student"`` and
            ``"teacher/student"``. Interval bounds have rows of their own
            (``"accuracy_low"``, ``"accuracy_high"``, ...) and per-class
            fidelity has a row a class (``"fidelity[label]"``). Cells that do
            not apply are ``NaN``.

        Raises
        ------
        ImportError
            If pandas is not installed.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.ensemble import RandomForestClassifier
        >>> from sklearn.model_selection import train_test_split
        >>> from skdistill import DistilledClassifier
        >>> from skdistill.metrics import distillation_report
        >>> X, y = load_iris(return_X_y=True)
        >>> X_train, X_test, y_train, y_test = train_test_split(
        ...     X, y, stratify=y, random_state=0
        ... )
        >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
        >>> clf = DistilledClassifier(teacher, random_state=0).fit(X_train, y_train)
        >>> report = distillation_report(
        ...     clf, X_test, y_test, n_bootstrap=200, n_repeats=3, random_state=0
        ... )
        >>> frame = report.to_frame()
        >>> frame.columns.tolist()
        ['teacher', 'student', 'teacher/student']
        >>> bool(frame.loc["fidelity", "student"] == report.fidelity)
        True
        """
        pd = _import_optional("pandas", "pandas", "DistillationReport.to_frame")
        teacher_low, teacher_high = self.teacher["accuracy_interval"]
        student_low, student_high = self.student["accuracy_interval"]
        fidelity_low, fidelity_high = self.fidelity_interval
        rows = {
            name: (self.teacher[name], self.student[name], None)
            for name in _SCORE_NAMES
        }
        rows["accuracy_low"] = (teacher_low, student_low, None)
        rows["accuracy_high"] = (teacher_high, student_high, None)
        rows["fidelity"] = (None, self.fidelity, None)
        rows["fidelity_low"] = (None, fidelity_low, None)
        rows["fidelity_high"] = (None, fidelity_high, None)
        for label, value in self.per_class_fidelity.items():
            rows[f"fidelity[{label}]"] = (None, value, None)
        rows["kl_divergence"] = (None, self.kl_divergence, None)
        rows["js_divergence"] = (None, self.js_divergence, None)
        ratios = self.ratios
        for name in _COST_NAMES:
            teacher, student = _cost(self.teacher, name), _cost(self.student, name)
            rows[name] = (teacher, student, ratios[name])
        return pd.DataFrame.from_dict(
            rows,
            orient="index",
            columns=["teacher", "student", "teacher/student"],
            dtype=float,
        )

    def plot(self, *, figsize=(13, 4)):
        """Plot the scores, the per-class fidelity and the cost ratios.

        The first panel shows the accuracy, balanced accuracy, macro recall
        and macro F1 of both models and the student's fidelity, with the
        bootstrap intervals as error bars. The second shows the fidelity per
        class of the teacher's labels. The third shows the teacher/student
        ratios of time, pickled size and model size on a logarithmic scale.

        Parameters
        ----------
        figsize : tuple of (float, float), default=(13, 4)
            Figure size in inches.

        Returns
        -------
        figure : matplotlib.figure.Figure

        Raises
        ------
        ImportError
            If matplotlib is not installed.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.ensemble import RandomForestClassifier
        >>> from sklearn.model_selection import train_test_split
        >>> from skdistill import DistilledClassifier
        >>> from skdistill.metrics import distillation_report
        >>> X, y = load_iris(return_X_y=True)
        >>> X_train, X_test, y_train, y_test = train_test_split(
        ...     X, y, stratify=y, random_state=0
        ... )
        >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
        >>> clf = DistilledClassifier(teacher, random_state=0).fit(X_train, y_train)
        >>> report = distillation_report(
        ...     clf, X_test, y_test, n_bootstrap=200, n_repeats=3, random_state=0
        ... )
        >>> figure = report.plot()  # doctest: +SKIP
        """
        plt = _import_optional(
            "matplotlib.pyplot", "matplotlib", "DistillationReport.plot"
        )
        figure = plt.figure(figsize=figsize, layout="constrained")
        self._draw(figure)
        return figure

    def save(self, directory, *, format="markdown"):
        """Write the report, its numbers as JSON and its plot into a directory.

        The files are:

        - ``report.md`` (``format="markdown"``) or ``report.html``
          (``format="html"``): the tables of ``str(report)``. The HTML file is
          self-contained, with the plot embedded as a base64 PNG. The Markdown
          file links to ``report.png``.
        - ``report.json``: :meth:`to_dict`, so every figure, with ``nan``
          written as ``null``.
        - ``report.png``: the figure of :meth:`plot`, when matplotlib is
          installed. It is drawn on a figure of its own with the Agg renderer,
          so the pyplot backend and its open figures are left as they were.

        Every file is written to a temporary file in ``directory`` and renamed
        over the old one only when complete, so an error leaves each file
        either as it was or complete. Files are rendered before any is
        written, so an error while rendering changes none.

        Parameters
        ----------
        directory : str or os.PathLike
            Directory to write into, created with its parents if missing.
            Files of the same names in it are replaced; other files are left
            alone.

        format : {"markdown", "html"}, default="markdown"
            Format of the report document.

        Returns
        -------
        paths : list of str
            Paths of the files written: the PNG (when written), the JSON and
            the document, in the order written.

        Raises
        ------
        ValueError
            If ``format`` is not ``"markdown"`` or ``"html"``.

        Examples
        --------
        >>> import json, os, tempfile
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.ensemble import RandomForestClassifier
        >>> from skdistill import DistilledClassifier
        >>> from skdistill.metrics import distillation_report
        >>> X, y = load_iris(return_X_y=True)
        >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
        >>> clf = DistilledClassifier(teacher, random_state=0).fit(X, y)
        >>> report = distillation_report(
        ...     clf, X, y, n_bootstrap=100, n_repeats=3, random_state=0
        ... )
        >>> directory = tempfile.mkdtemp()
        >>> paths = report.save(directory, format="html")
        >>> sorted(os.path.basename(path) for path in paths)
        ['report.html', 'report.json', 'report.png']
        >>> with open(os.path.join(directory, "report.json")) as file:
        ...     json.load(file)["n_samples"]
        150
        """
        return save_report(self, directory, format=format)

    def _draw(self, figure):
        """Draw the three panels of :meth:`plot` on an empty figure."""
        score_ax, class_ax, cost_ax = figure.subplots(1, 3)
        self._plot_scores(score_ax)
        self._plot_per_class_fidelity(class_ax)
        self._plot_ratios(cost_ax)

    def _plot_scores(self, ax):
        names = ["accuracy", "balanced_accuracy", "macro_recall", "macro_f1"]
        positions = np.arange(len(names))
        width = 0.4
        for offset, role, scores in (
            (-width / 2, "teacher", self.teacher),
            (width / 2, "student", self.student),
        ):
            values = [scores[name] for name in names]
            ax.bar(positions + offset, values, width, label=role)
            _draw_interval(ax, offset, scores["accuracy"], scores["accuracy_interval"])
        # The fidelity bar takes the student's colour and position.
        fidelity_position = len(names) + width / 2
        ax.bar(fidelity_position, self.fidelity, width, color="C1")
        _draw_interval(ax, fidelity_position, self.fidelity, self.fidelity_interval)
        ax.set_xticks(
            [*positions, fidelity_position],
            ["accuracy", "balanced\naccuracy", "macro\nrecall", "macro F1", "fidelity"],
        )
        ax.set_ylim(0, 1.05)
        ax.set_title(f"Test scores ({self.n_samples} rows)")
        ax.legend(loc="lower right")

    def _plot_per_class_fidelity(self, ax):
        labels = [str(label) for label in self.per_class_fidelity]
        ax.bar(labels, list(self.per_class_fidelity.values()), color="C1")
        ax.axhline(self.fidelity, color="black", linestyle="--", label="overall")
        ax.set_ylim(0, 1.05)
        ax.set_title("Fidelity per teacher class")
        ax.legend(loc="lower right")

    def _plot_ratios(self, ax):
        ratios = {name: value for name, value in self.ratios.items() if value}
        labels = {
            "one_row_seconds": "time, 1 row",
            "batch_seconds": f"time, {self.n_samples} rows",
            "pickle_bytes": "pickled size",
            "model_size": "parameters\n+ tree nodes",
        }
        ax.barh([labels[name] for name in ratios], list(ratios.values()))
        ax.axvline(1.0, color="black", linewidth=1)
        ax.set_xscale("log")
        ax.invert_yaxis()
        ax.set_xlabel("teacher / student (above 1: the student is cheaper)")
        ax.set_title("Cost ratios")

    def __str__(self):
        lines = [
            self._title(),
            "",
            format_table(self._table_rows()),
            "",
            PER_CLASS_TITLE,
            "",
            format_table(self._per_class_rows(), header=PER_CLASS_HEADER),
            "",
            *self._notes(),
        ]
        return "\n".join(lines)

    def _title(self):
        return f"Teacher and student on {self.n_samples} test rows"

    def _table_rows(self):
        """Return the rows of the teacher and student table, as str cells."""
        return [*self._score_rows(), *self._fidelity_rows(), *self._cost_rows()]

    def _sections(self):
        """Return ``(title, header, rows)`` of each table; the first has no title."""
        return [
            (None, TABLE_HEADER, self._table_rows()),
            (PER_CLASS_TITLE, PER_CLASS_HEADER, self._per_class_rows()),
        ]

    def _notes(self):
        """Return the lines that explain the intervals and the times."""
        level = f"{self.confidence_level * 100:g}%"
        return [
            f"[low, high]: {level} percentile bootstrap interval over "
            f"{self.n_bootstrap} resamples of the test rows.",
            f"Times: median of {self.n_repeats} predict_proba calls on one thread.",
        ]

    def _score_rows(self):
        teacher, student = self.teacher, self.student
        rows = [
            (
                "accuracy",
                _with_interval(teacher["accuracy"], teacher["accuracy_interval"]),
                _with_interval(student["accuracy"], student["accuracy_interval"]),
                "",
            )
        ]
        labels = {
            "balanced_accuracy": "balanced accuracy",
            "macro_recall": "macro recall",
            "macro_f1": "macro F1",
            "brier_score": "Brier score",
            "expected_calibration_error": f"ECE ({self.n_bins} bins)",
        }
        for name, label in labels.items():
            rows.append((label, f"{teacher[name]:.3f}", f"{student[name]:.3f}", ""))
        return rows

    def _fidelity_rows(self):
        return [
            (
                "fidelity to teacher",
                "-",
                _with_interval(self.fidelity, self.fidelity_interval),
                "",
            ),
            ("KL(teacher || student) (nats)", "-", f"{self.kl_divergence:.4f}", ""),
            ("JS divergence (nats)", "-", f"{self.js_divergence:.4f}", ""),
        ]

    def _cost_rows(self):
        labels = {
            "one_row_seconds": "predict_proba, 1 row (ms)",
            "batch_seconds": f"predict_proba, {self.n_samples} rows (ms)",
            "pickle_bytes": "pickled size (bytes)",
            "model_size": "parameters + tree nodes",
        }
        rows = []
        for name, label in labels.items():
            teacher, student = _cost(self.teacher, name), _cost(self.student, name)
            if teacher is None or student is None:
                ratio = "n/a"
            else:
                ratio = format_ratio(teacher, student)
            rows.append(
                (label, _format_cost(name, teacher), _format_cost(name, student), ratio)
            )
        return rows

    def _per_class_rows(self):
        return [
            (
                str(label),
                str(self.per_class_support[label]),
                "-" if math.isnan(value) else f"{value:.3f}",
            )
            for label, value in self.per_class_fidelity.items()
        ]


def _import_optional(module_name, package, caller):
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        raise ImportError(
            f"{caller} requires {package}, which is not installed. Install it "
            f"with `pip install {package}`."
        ) from exc


def _cost(scores, name):
    """Return a cost of one model, with the model size summed, or None."""
    if name != "model_size":
        return scores[name]
    if scores["n_parameters"] is None:
        return None
    return scores["n_parameters"] + scores["n_tree_nodes"]


def _ratio(teacher, student):
    if teacher is None or student is None or student <= 0:
        return None
    return teacher / student


def _format_cost(name, value):
    if value is None:
        return "unknown"
    if name.endswith("_seconds"):
        return f"{value * 1e3:.3f}"
    return f"{value:,}"


def _with_interval(value, interval):
    low, high = interval
    return f"{value:.3f} [{low:.3f}, {high:.3f}]"


def _draw_interval(ax, position, value, interval):
    low, high = interval
    # With few resamples the interval can miss the estimate, and matplotlib
    # rejects negative error bar lengths.
    below, above = max(value - low, 0.0), max(high - value, 0.0)
    ax.errorbar(position, value, yerr=[[below], [above]], color="black", capsize=4)


def _to_builtin(value):
    if isinstance(value, dict):
        return {_to_builtin(key): _to_builtin(item) for key, item in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_to_builtin(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


@validate_params(
    {
        "distiller": [DistilledClassifier],
        "X_test": ["array-like", "sparse matrix"],
        "y_test": ["array-like"],
        "n_bootstrap": [Interval(Integral, 1, None, closed="left")],
        "confidence_level": [Interval(Real, 0, 1, closed="neither")],
        "n_bins": [Interval(Integral, 1, None, closed="left")],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def distillation_report(
    distiller,
    X_test,
    y_test,
    *,
    n_bootstrap=1000,
    confidence_level=0.95,
    n_bins=10,
    n_repeats=30,
    random_state=None,
):
    """Compare a distilled student with its teacher on test data.

    Both models predict the test rows, and each is scored against
    ``y_test`` with scikit-learn's metrics, timed, pickled and counted. The
    teacher's predictions are its most probable classes, as in the
    distiller's ``fidelity_``; for most classifiers they are what its
    ``predict`` returns. Bootstrap intervals resample the test rows with
    replacement, the same rows for the accuracies and the fidelity.

    Parameters
    ----------
    distiller : DistilledClassifier
        A fitted distiller that kept its teacher (``keep_teacher=True``).

    X_test : {array-like, sparse matrix} of shape (n_samples, n_features)
        Test rows in the form the distiller was fitted on, not seen in
        ``fit``.

    y_test : array-like of shape (n_samples,)
        True labels of the test rows, all among ``distiller.classes_``.

    n_bootstrap : int, default=1000
        Number of bootstrap resamples behind each interval.

    confidence_level : float, default=0.95
        Coverage of the percentile intervals, in (0, 1).

    n_bins : int, default=10
        Number of confidence bins of the expected calibration error.

    n_repeats : int, default=30
        Number of timed ``predict_proba`` calls on one row and on all test
        rows; the report gives the median.

    random_state : int, RandomState instance or None, default=None
        Seed of the bootstrap resamples. Pass an int for reproducible
        intervals.

    Returns
    -------
    report : DistillationReport

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If ``distiller`` is not fitted.

    ValueError
        If ``distiller`` was fitted with ``keep_teacher=False``, if ``X_test``
        and ``y_test`` differ in length, or if ``y_test`` has a label the
        distiller was not fitted on.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.model_selection import train_test_split
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.metrics import distillation_report
    >>> X, y = load_iris(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(
    ...     X, y, stratify=y, random_state=0
    ... )
    >>> teacher = RandomForestClassifier(n_estimators=10, random_state=0)
    >>> clf = DistilledClassifier(teacher, random_state=0).fit(X_train, y_train)
    >>> report = distillation_report(
    ...     clf, X_test, y_test, n_bootstrap=200, n_repeats=3, random_state=0
    ... )
    >>> report.n_samples
    38
    >>> low, high = report.fidelity_interval
    >>> bool(low <= report.fidelity <= high)
    True
    >>> print(str(report).splitlines()[0])
    Teacher and student on 38 test rows
    """
    check_teacher_kept(distiller)
    y_test = _check_test_labels(X_test, y_test, distiller.classes_)
    classes = distiller.classes_
    teacher = distiller.teacher_

    def predict_teacher_proba(X):
        return teacher_proba(teacher, X, classes)

    p_teacher = predict_teacher_proba(X_test)
    p_student = distiller.predict_proba(X_test)
    y_teacher = classes[np.argmax(p_teacher, axis=1)]
    y_student = classes[np.argmax(p_student, axis=1)]

    teacher_scores = _score(y_test, y_teacher, p_teacher, classes, n_bins)
    student_scores = _score(y_test, y_student, p_student, classes, n_bins)
    teacher_interval, student_interval, fidelity_interval = _bootstrap_intervals(
        [y_teacher == y_test, y_student == y_test, y_teacher == y_student],
        n_bootstrap=n_bootstrap,
        confidence_level=confidence_level,
        random_state=random_state,
    )
    teacher_scores["accuracy_interval"] = teacher_interval
    student_scores["accuracy_interval"] = student_interval
    teacher_scores.update(
        _measure_cost(predict_teacher_proba, teacher, X_test, n_repeats)
    )
    student_scores.update(
        _measure_cost(distiller.predict_proba, distiller.student_, X_test, n_repeats)
    )

    per_class_fidelity, per_class_support = _per_class_fidelity(
        y_teacher, y_student, classes
    )
    return DistillationReport(
        classes=classes,
        n_samples=len(y_test),
        teacher=teacher_scores,
        student=student_scores,
        fidelity=fidelity_score(y_teacher, y_student),
        fidelity_interval=fidelity_interval,
        per_class_fidelity=per_class_fidelity,
        per_class_support=per_class_support,
        kl_divergence=mean_kl_divergence(p_teacher, p_student),
        js_divergence=jensen_shannon_divergence(p_teacher, p_student),
        confidence_level=confidence_level,
        n_bootstrap=n_bootstrap,
        n_repeats=n_repeats,
        n_bins=n_bins,
    )


def _check_test_labels(X_test, y_test, classes):
    y_test = column_or_1d(y_test)
    check_consistent_length(X_test, y_test)
    if len(y_test) == 0:
        raise ValueError("y_test is empty. Pass at least one test row.")
    # Raises on a mix of string and numeric labels.
    unique_labels(y_test, classes)
    unknown = np.setdiff1d(y_test, classes)
    if len(unknown):
        raise ValueError(
            f"y_test contains labels {unknown.tolist()} that the distiller was "
            f"not fitted on (classes_ = {classes.tolist()}). Pass test rows of "
            "those classes only, or refit the distiller on data with every class."
        )
    return y_test


def _score(y_test, y_pred, proba, classes, n_bins):
    return {
        "accuracy": accuracy_score(y_test, y_pred),
        "balanced_accuracy": balanced_accuracy_score(y_test, y_pred),
        "macro_recall": recall_score(y_test, y_pred, average="macro", zero_division=0),
        "macro_f1": f1_score(y_test, y_pred, average="macro", zero_division=0),
        "brier_score": brier_score_loss(y_test, proba, labels=classes),
        "expected_calibration_error": expected_calibration_error(
            y_test, proba, n_bins=n_bins, labels=classes
        ),
    }


def _per_class_fidelity(y_teacher, y_student, classes):
    """Return the student's recall of each teacher class, and the class sizes."""
    recalls = recall_score(
        y_teacher, y_student, labels=classes, average=None, zero_division=np.nan
    )
    labels = classes.tolist()
    fidelity = dict(zip(labels, recalls.tolist(), strict=True))
    support = {label: int(np.sum(y_teacher == label)) for label in labels}
    return fidelity, support


def _bootstrap_intervals(hits, *, n_bootstrap, confidence_level, random_state):
    """Return a percentile interval of the mean of each boolean vector in hits.

    Every resample draws the same rows for all vectors.
    """
    hits = np.asarray(hits, dtype=np.float64)
    rng = check_random_state(random_state)
    n_samples = hits.shape[1]
    means = np.empty((n_bootstrap, len(hits)))
    for resample in range(n_bootstrap):
        rows = rng.randint(n_samples, size=n_samples)
        means[resample] = hits[:, rows].mean(axis=1)
    tail = (1 - confidence_level) / 2
    lows, highs = np.quantile(means, [tail, 1 - tail], axis=0)
    return [(float(low), float(high)) for low, high in zip(lows, highs, strict=True)]


def _measure_cost(predict_proba, model, X_test, n_repeats):
    """Time ``predict_proba`` and measure the pickled and counted size of model."""
    one_row = _safe_indexing(X_test, [0])
    counts = count_parameters(model)
    return {
        "one_row_seconds": measure_latency(predict_proba, one_row, n_repeats=n_repeats),
        "batch_seconds": measure_latency(predict_proba, X_test, n_repeats=n_repeats),
        "pickle_bytes": pickled_size(model),
        "n_parameters": None if counts is None else counts[0],
        "n_tree_nodes": None if counts is None else counts[1],
    }
