"""Compare distilled students with students trained on the labels, by CV.

For each bundled data set, teacher and student, the script trains the student
directly on the labels and distills it with DistilledClassifier under several
transfer strategies, over repeated stratified K-fold cross-validation. It
reports the mean and standard deviation over the test folds of accuracy, macro
F1 and fidelity, and the mean fit time. Fidelity is the share of test rows on
which the student predicts the class that the teacher predicts, with the
teacher fitted on the whole training fold.

Teacher fits are memoised: a teacher clone fitted on the same rows is fitted
once and reused by every student and strategy. Fit times are therefore split
into the student side (labelling, synthetic rows and the student's own fit)
and the teacher fits that the distiller requested. Each teacher fit counts at
the time it took when it ran, so that no column depends on which strategy ran
first.

Run it from an environment where skdistill is installed::

    python benchmarks/quality.py --quick
    python benchmarks/quality.py --datasets srbct leukemia --out quality.md

Progress goes to stderr and the tables to stdout.
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import shlex
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if

# threadpoolctl is a run-time dependency of scikit-learn.
from threadpoolctl import threadpool_limits

import skdistill.datasets
from skdistill import DistilledClassifier
from skdistill._demo import describe_estimator, describe_machine, fidelity_score

DATASETS = ("srbct", "leukemia", "yeast", "splice")
# Gene-expression sets, where the RBF SVC teacher is also run.
EXPRESSION_DATASETS = ("srbct", "leukemia")
TEACHERS = ("rf", "hgb", "svc")
STUDENTS = ("tree", "mlp", "logistic")
MUNGE_STRATEGIES = ("in_sample+MUNGE", "cross_fit+MUNGE")
# Run for the MLP student only: cross-fitting with the MLP's own weight decay,
# to show what mlp_alpha="auto" changes.
MLP_ONLY_STRATEGIES = ("cross_fit, own alpha",)

N_FOLDS = 5
N_REPEATS = 3
N_ESTIMATORS = 500
QUICK_FOLDS = 3
QUICK_REPEATS = 1
QUICK_ESTIMATORS = 100
RANDOM_STATE = 0


@dataclass
class TeacherFitCounter:
    """Teacher fits requested through MemoisedClassifier since the last reset."""

    calls: int = 0
    misses: int = 0
    # Time spent inside MemoisedClassifier.fit, hashing and cache hits included.
    wall_seconds: float = 0.0
    # Time the requested fits took when they ran, cache hits included.
    unmemoised_seconds: float = 0.0

    def reset(self):
        """Zero the counts and return their values before the reset."""
        before = TeacherFitCounter(**vars(self))
        self.calls = 0
        self.misses = 0
        self.wall_seconds = 0.0
        self.unmemoised_seconds = 0.0
        return before


# Fitted estimators keyed by joblib.hash of (class, parameters, X, y,
# sample_weight), each with the seconds its fit took. clear_teacher_cache()
# empties it between folds, whose training rows differ.
_FITTED = {}
TEACHER_FITS = TeacherFitCounter()


def clear_teacher_cache():
    """Drop every memoised fit."""
    _FITTED.clear()


def _fitted_estimator_has(method):
    def check(self):
        estimator = getattr(self, "estimator_", self.estimator)
        return hasattr(estimator, method)

    return check


class MemoisedClassifier(ClassifierMixin, BaseEstimator):
    """Classifier that fits its estimator once per distinct training input.

    ``fit`` hashes the estimator's class and parameters with ``X``, ``y`` and
    ``sample_weight`` and looks the hash up in a module-level cache. On a miss
    it fits a clone and stores it, and on a hit it reuses the stored clone, so
    every caller that fits an equal estimator on equal rows gets the same
    fitted object as ``estimator_``. Callers must not modify ``estimator_``.

    The cache is a plain dict in this process, so fits done in joblib worker
    processes (``n_jobs`` above 1 with the loky backend) are not shared.

    Parameters
    ----------
    estimator : classifier
        The unfitted classifier to fit and reuse.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone, shared with every other hit on the same key.

    fit_seconds_ : float
        Wall time of the fit that produced ``estimator_``.

    classes_ : ndarray of shape (n_classes,)
        The classes of ``estimator_``.
    """

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y, sample_weight=None):
        """Fit a clone of the estimator, or reuse one fitted on the same input.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training rows, passed unchanged to the estimator.

        y : array-like of shape (n_samples,)
            Class labels.

        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the estimator's ``fit`` when not None.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        start = time.perf_counter()
        key = joblib.hash(
            (
                type(self.estimator),
                self.estimator.get_params(deep=True),
                X,
                y,
                sample_weight,
            )
        )
        entry = _FITTED.get(key)
        if entry is None:
            estimator = clone(self.estimator)
            fit_start = time.perf_counter()
            if sample_weight is None:
                estimator.fit(X, y)
            else:
                estimator.fit(X, y, sample_weight=sample_weight)
            entry = (estimator, time.perf_counter() - fit_start)
            _FITTED[key] = entry
            TEACHER_FITS.misses += 1

        self.estimator_, self.fit_seconds_ = entry
        self.classes_ = self.estimator_.classes_
        TEACHER_FITS.calls += 1
        TEACHER_FITS.unmemoised_seconds += self.fit_seconds_
        TEACHER_FITS.wall_seconds += time.perf_counter() - start
        return self

    def predict(self, X):
        """Predict class labels with the fitted estimator."""
        return self.estimator_.predict(X)

    @available_if(_fitted_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Predict class probabilities with the fitted estimator."""
        return self.estimator_.predict_proba(X)

    @available_if(_fitted_estimator_has("decision_function"))
    def decision_function(self, X):
        """Compute the fitted estimator's decision function."""
        return self.estimator_.decision_function(X)

    # The two attributes that feature_ranking="teacher" reads. Each raises
    # AttributeError, so hasattr is False, when the fitted estimator lacks it.
    @property
    def feature_importances_(self):
        """The fitted estimator's ``feature_importances_``."""
        return self.estimator_.feature_importances_

    @property
    def coef_(self):
        """The fitted estimator's ``coef_``."""
        return self.estimator_.coef_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator).input_tags
        tags.input_tags.allow_nan = inner.allow_nan
        tags.input_tags.sparse = inner.sparse
        tags.input_tags.string = inner.string
        return tags


@dataclass
class FoldResult:
    """Scores and fit times of one model on one test fold."""

    dataset: str
    teacher: str
    student: str
    strategy: str
    fold: int
    accuracy: float
    macro_f1: float
    fidelity: float
    student_seconds: float
    teacher_seconds: float


def import_munge():
    """Return skdistill.MUNGE, or None when this skdistill does not export it."""
    try:
        from skdistill import MUNGE
    except ImportError:
        return None
    return MUNGE


def load_dataset(name):
    """Return X and y of a bundled data set as NumPy arrays."""
    loader = getattr(skdistill.datasets, f"load_{name}")
    X, y = loader(return_X_y=True, as_frame=False)
    return np.asarray(X), np.asarray(y)


def build_teachers(names, dataset, n_estimators):
    """Return the teachers to run on a data set, keyed by their short name."""
    teachers = {}
    if "rf" in names:
        # n_jobs=1 because two jobs were not faster on a 2-core AMD EPYC
        # machine under a load average near 7 (scikit-learn 1.9.1). 500 trees
        # on one-hot splice took 3.2 to 4.0 s to fit with one job and 3.4 to
        # 3.5 s with two, and on SRBCT 0.7 to 1.1 s with either.
        teachers[f"RF({n_estimators})"] = RandomForestClassifier(
            n_estimators=n_estimators, n_jobs=1, random_state=RANDOM_STATE
        )
    if "hgb" in names:
        teachers["HGB"] = HistGradientBoostingClassifier(random_state=RANDOM_STATE)
    if "svc" in names and dataset in EXPRESSION_DATASETS:
        # DistilledClassifier turns the SVC's decision function into
        # probabilities, so probability=True is not needed.
        teachers["SVC(rbf)"] = SVC()
    return {
        name: _for_dataset(model, dataset, scale=name == "SVC(rbf)")
        for name, model in teachers.items()
    }


def build_students(names, dataset):
    """Return the students to run on a data set, keyed by their short name."""
    students = {}
    if "tree" in names:
        students["tree(4)"] = _for_dataset(
            DecisionTreeClassifier(max_depth=4, random_state=RANDOM_STATE),
            dataset,
            scale=False,
        )
    if "mlp" in names:
        students["MLP(32)"] = _for_dataset(
            MLPClassifier(hidden_layer_sizes=(32,), random_state=RANDOM_STATE),
            dataset,
            scale=True,
        )
    if "logistic" in names:
        students["logistic"] = _for_dataset(
            LogisticRegression(max_iter=1000), dataset, scale=True
        )
    return students


def _for_dataset(model, dataset, *, scale):
    if dataset == "splice":
        # The one-hot columns are already 0 or 1, so they are not standardised.
        # Standardising would turn a letter that occurs once in 2,500 rows into
        # a value near 50.
        encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        return make_pipeline(encoder, model)
    if scale:
        return make_pipeline(StandardScaler(), model)
    return model


def build_strategies(munge_class, alphas=(), names=None):
    """Return the DistilledClassifier settings of each distillation strategy.

    ``names``, when given, keeps only those of the usual strategies. Each
    value in ``alphas`` then adds a strategy "cross_fit, alpha=A" with that
    hard-label weight. "default", which the summary compares with direct
    training, is always run.
    """
    # synthetic=None keeps these strategies free of the synthetic rows that
    # the default adds for a tree student on wide data.
    strategies = {
        "held_out": {"transfer": "held_out", "synthetic": None},
        "cross_fit": {"transfer": "cross_fit", "synthetic": None},
        "cross_fit, own alpha": {
            "transfer": "cross_fit",
            "synthetic": None,
            "mlp_alpha": None,
        },
    }
    if munge_class is not None:
        strategies["in_sample+MUNGE"] = {
            "transfer": "in_sample",
            "synthetic": munge_class(),
        }
        strategies["cross_fit+MUNGE"] = {
            "transfer": "cross_fit",
            "synthetic": munge_class(),
        }
    if names is not None:
        strategies = {name: strategies[name] for name in names if name in strategies}
    for alpha in alphas:
        strategies[f"cross_fit, alpha={alpha:g}"] = {
            "transfer": "cross_fit",
            "synthetic": None,
            "alpha": alpha,
        }
    # The constructor's defaults, whatever they are in this skdistill.
    strategies["default"] = {}
    return strategies


def score(y_true, y_pred, y_teacher):
    """Return accuracy, macro F1 and fidelity to the teacher's predictions."""
    return (
        accuracy_score(y_true, y_pred),
        f1_score(y_true, y_pred, average="macro"),
        fidelity_score(y_teacher, y_pred),
    )


def fit_counting_warnings(model, X, y, warning_counts, where):
    """Fit a model, counting its warnings by ``where``, category and first line.

    ``where`` is a tuple (data set, model, strategy).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y)
    for warning in caught:
        first_line = str(warning.message).splitlines()[0][:100]
        warning_counts[(*where, warning.category.__name__, first_line)] += 1
    return model


def run_fold(context, teacher_name, teacher, students, strategies, fold):
    """Score the teacher, the direct students and every distilled student."""
    X_train, X_test, y_train, y_test = fold.split(context.X, context.y)
    results = []

    TEACHER_FITS.reset()
    template = MemoisedClassifier(teacher)
    fold_teacher = fit_counting_warnings(
        clone(template),
        X_train,
        y_train,
        context.warning_counts,
        (context.dataset, teacher_name, "teacher"),
    )
    y_teacher = fold_teacher.predict(X_test)
    accuracy, macro_f1, fidelity = score(y_test, y_teacher, y_teacher)
    context.teacher_results.append(
        FoldResult(
            dataset=context.dataset,
            teacher=teacher_name,
            student="-",
            strategy="teacher",
            fold=fold.index,
            accuracy=accuracy,
            macro_f1=macro_f1,
            fidelity=fidelity,
            student_seconds=0.0,
            teacher_seconds=fold_teacher.fit_seconds_,
        )
    )

    for student_name, student in students.items():
        y_direct, direct_seconds = context.direct_prediction(
            student_name, student, fold
        )
        results.append(
            FoldResult(
                context.dataset,
                teacher_name,
                student_name,
                "direct",
                fold.index,
                *score(y_test, y_direct, y_teacher),
                direct_seconds,
                0.0,
            )
        )
        for strategy_name, settings in strategies.items():
            if strategy_name in MLP_ONLY_STRATEGIES and "MLP" not in student_name:
                continue
            distiller = DistilledClassifier(
                template, student, random_state=RANDOM_STATE, **settings
            )
            TEACHER_FITS.reset()
            start = time.perf_counter()
            fit_counting_warnings(
                distiller,
                X_train,
                y_train,
                context.warning_counts,
                (context.dataset, student_name, strategy_name),
            )
            wall_seconds = time.perf_counter() - start
            teacher_fits = TEACHER_FITS.reset()
            context.count_teacher_fits(teacher_fits)
            y_pred = distiller.predict(X_test)
            results.append(
                FoldResult(
                    context.dataset,
                    teacher_name,
                    student_name,
                    strategy_name,
                    fold.index,
                    *score(y_test, y_pred, y_teacher),
                    wall_seconds - teacher_fits.wall_seconds,
                    teacher_fits.unmemoised_seconds,
                )
            )
    return results


@dataclass
class Fold:
    """Train and test row indices of one cross-validation fold."""

    index: int
    train: np.ndarray
    test: np.ndarray

    def split(self, X, y):
        """Return X_train, X_test, y_train, y_test."""
        return X[self.train], X[self.test], y[self.train], y[self.test]


class DatasetRun:
    """Data, caches, results and counts of the run on one data set."""

    def __init__(self, dataset, X, y, warning_counts):
        self.dataset = dataset
        self.X = X
        self.y = y
        self.warning_counts = warning_counts
        self.teacher_results = []
        self.results = []
        self.n_folds = 0
        self.teacher_fit_calls = 0
        self.teacher_fit_misses = 0
        # A directly trained student does not depend on the teacher, so it is
        # fitted once per fold and its predictions are reused for each teacher.
        self._direct = {}

    def direct_prediction(self, student_name, student, fold):
        """Return a directly trained student's test predictions and fit time."""
        key = (student_name, fold.index)
        if key not in self._direct:
            X_train, X_test, y_train, _ = fold.split(self.X, self.y)
            model = clone(student)
            start = time.perf_counter()
            fit_counting_warnings(
                model,
                X_train,
                y_train,
                self.warning_counts,
                (self.dataset, student_name, "direct"),
            )
            seconds = time.perf_counter() - start
            self._direct[key] = (model.predict(X_test), seconds)
        return self._direct[key]

    def count_teacher_fits(self, counter):
        """Add one distillation's teacher fit requests to the totals."""
        self.teacher_fit_calls += counter.calls
        self.teacher_fit_misses += counter.misses


def mean_sd(values):
    """Return the mean and the sample standard deviation (0 for one value)."""
    values = np.asarray(values, dtype=np.float64)
    if len(values) < 2:
        return float(values.mean()), 0.0
    return float(values.mean()), float(values.std(ddof=1))


def format_mean_sd(values):
    mean, sd = mean_sd(values)
    return f"{mean:.3f} ± {sd:.3f}"


def group_results(results):
    """Group fold results by (teacher, student, strategy), keeping order."""
    groups = {}
    for result in results:
        key = (result.teacher, result.student, result.strategy)
        groups.setdefault(key, []).append(result)
    return groups


def dataset_table(results):
    """Return the header and rows of one data set's table.

    Rows whose strategy is "teacher" are the teacher's own scores, where
    fidelity and the student's time do not apply.
    """
    header = (
        "teacher",
        "student",
        "strategy",
        "accuracy",
        "macro F1",
        "fidelity",
        "student s",
        "teacher s",
    )
    rows = []
    for (teacher, student, strategy), group in group_results(results).items():
        is_teacher = strategy == "teacher"
        fidelity = format_mean_sd([result.fidelity for result in group])
        student_seconds = np.mean([result.student_seconds for result in group])
        teacher_seconds = np.mean([result.teacher_seconds for result in group])
        rows.append(
            (
                teacher,
                student,
                strategy,
                format_mean_sd([result.accuracy for result in group]),
                format_mean_sd([result.macro_f1 for result in group]),
                "-" if is_teacher else fidelity,
                "-" if is_teacher else f"{student_seconds:.2f}",
                "-" if strategy == "direct" else f"{teacher_seconds:.2f}",
            )
        )
    return header, rows


def teacher_table(teacher_results):
    """Return the header and rows of the teachers' own scores."""
    header = ("dataset", "teacher", "accuracy", "macro F1", "fit s")
    groups = {}
    for result in teacher_results:
        groups.setdefault((result.dataset, result.teacher), []).append(result)
    rows = [
        (
            dataset,
            teacher,
            format_mean_sd([result.accuracy for result in group]),
            format_mean_sd([result.macro_f1 for result in group]),
            f"{np.mean([result.teacher_seconds for result in group]):.2f}",
        )
        for (dataset, teacher), group in groups.items()
    ]
    return header, rows


def summary_table(results_by_dataset):
    """Compare direct training, the default strategy and the best strategy.

    The difference column is the mean and standard deviation over folds of
    the per-fold accuracy difference, default minus direct, on the same test
    rows. "yes" marks a default whose mean accuracy is below direct training.
    """
    header = (
        "dataset",
        "student",
        "teacher",
        "direct",
        "default",
        "default - direct",
        "below direct",
        "best strategy",
        "best",
    )
    rows = []
    for dataset, results in results_by_dataset.items():
        groups = group_results(results)
        # dict.fromkeys keeps the order in which the models ran.
        teachers = list(dict.fromkeys(teacher for teacher, _, _ in groups))
        students = list(dict.fromkeys(student for _, student, _ in groups))
        for student in students:
            for teacher in teachers:
                rows.append(_summary_row(dataset, student, teacher, groups))
    return header, rows


def _summary_row(dataset, student, teacher, groups):
    direct = np.array([r.accuracy for r in groups[(teacher, student, "direct")]])
    default = np.array([r.accuracy for r in groups[(teacher, student, "default")]])
    distilled = {
        strategy: np.mean([r.accuracy for r in group])
        for (key_teacher, key_student, strategy), group in groups.items()
        if (key_teacher, key_student) == (teacher, student) and strategy != "direct"
    }
    # max() keeps the first of equal means, and "default" comes last.
    best_strategy = max(distilled, key=distilled.get)
    below = default.mean() < direct.mean()
    return (
        dataset,
        student,
        teacher,
        f"{direct.mean():.3f}",
        f"{default.mean():.3f}",
        format_mean_sd(default - direct),
        "yes" if below else "",
        best_strategy,
        f"{distilled[best_strategy]:.3f}",
    )


def warning_table(warning_counts):
    """Return the header and rows of the warnings counted during the fits."""
    header = ("dataset", "model", "strategy", "warning", "count", "first line")
    rows = [
        (*key[:4], str(count), key[4]) for key, count in sorted(warning_counts.items())
    ]
    return header, rows


def render_text(header, rows):
    """Lay out a table with text columns left-aligned and numbers right-aligned."""
    table = [header, *rows]
    widths = [max(len(row[column]) for row in table) for column in range(len(header))]
    numeric = [
        all(_looks_numeric(row[column]) for row in rows)
        for column in range(len(header))
    ]
    lines = []
    for row in table:
        cells = [
            cell.rjust(width) if is_number else cell.ljust(width)
            for cell, width, is_number in zip(row, widths, numeric, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _looks_numeric(cell):
    return cell in ("", "-") or cell.lstrip("-")[:1].isdigit()


def render_markdown(header, rows):
    """Lay out a table as GitHub-flavoured Markdown."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    for row in rows:
        cells = [cell.replace("|", "\\|") for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


class Report:
    """Titled tables, printed to stdout as they come and written as Markdown."""

    def __init__(self, preamble, out_path):
        self.preamble = preamble
        self.out_path = out_path
        self.sections = []

    def add(self, title, header, rows, note=None):
        """Print a table to stdout and keep it for the Markdown file."""
        self.sections.append((title, header, rows, note))
        print()
        print(title)
        if note:
            print(note)
        print(render_text(header, rows), flush=True)

    def write_markdown(self, closing_lines=()):
        """Rewrite the Markdown file with every table added so far."""
        if self.out_path is None:
            return
        parts = ["```", *self.preamble, "```"]
        for title, header, rows, note in self.sections:
            parts += ["", f"### {title}", ""]
            if note:
                parts += [note, ""]
            parts.append(render_markdown(header, rows))
        if closing_lines:
            parts += ["", *closing_lines]
        Path(self.out_path).write_text("\n".join(parts) + "\n", encoding="utf-8")


def progress(message):
    print(f"[quality] {message}", file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Progress lines go to stderr, the tables to stdout.",
    )
    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=DATASETS,
        default=list(DATASETS),
        help="data sets to run (default: all)",
    )

    parser.add_argument(
        "--teachers",
        nargs="+",
        choices=TEACHERS,
        default=list(TEACHERS),
        help="teachers: rf (random forest), hgb (histogram gradient boosting), "
        "svc (RBF SVC, gene-expression sets only) (default: all)",
    )
    add_run_arguments(parser)

    parser.add_argument(
        "--alphas",
        nargs="+",
        type=float,
        default=[],
        metavar="A",
        help="also distill with cross-fitting and each of these hard-label "
        "weights, in [0, 1]",
    )
    parser.add_argument(
        "--strategies",
        nargs="+",
        metavar="NAME",
        help="run only these of the usual distillation strategies, for example "
        "'cross_fit' or 'held_out'; 'default' and the --alphas strategies always "
        "run (default: all)",
    )

    parser.add_argument(
        "--out",
        metavar="FILE",
        help="also write the tables as Markdown to FILE, rewritten after each data set",
    )

    args = finish_run_arguments(parser, parser.parse_args(argv))
    for alpha in args.alphas:
        if not 0 <= alpha <= 1:
            parser.error(f"--alphas must be in [0, 1], got {alpha}")
    return args


def add_run_arguments(parser):
    """Add --students, --repeats, --folds and --quick to an argument parser."""
    parser.add_argument(
        "--students",
        nargs="+",
        choices=STUDENTS,
        default=list(STUDENTS),
        help="students: tree (depth 4), mlp (32 hidden units), logistic (default: all)",
    )

    parser.add_argument(
        "--repeats",
        type=int,
        help=f"repeats of the K-fold split (default: {N_REPEATS}, "
        f"{QUICK_REPEATS} with --quick)",
    )
    parser.add_argument(
        "--folds",
        type=int,
        help=f"folds per repeat (default: {N_FOLDS}, {QUICK_FOLDS} with --quick)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke run: {QUICK_REPEATS} repeat, {QUICK_FOLDS} folds and "
        f"{QUICK_ESTIMATORS} trees in the random forest instead of "
        f"{N_ESTIMATORS}; --repeats and --folds still apply",
    )


def finish_run_arguments(parser, args):
    """Fill in the defaults of add_run_arguments' options, check them, return args.

    --quick only changes the defaults, so explicit --repeats and --folds win.
    """
    if args.repeats is None:
        args.repeats = QUICK_REPEATS if args.quick else N_REPEATS
    if args.folds is None:
        args.folds = QUICK_FOLDS if args.quick else N_FOLDS
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {args.repeats}")
    if args.folds < 2:
        parser.error(f"--folds must be at least 2, got {args.folds}")

    args.n_estimators = QUICK_ESTIMATORS if args.quick else N_ESTIMATORS
    return args


def describe_models(models):
    return ", ".join(
        f"{name} = {describe_estimator(model)}" for name, model in models.items()
    )


def describe_distiller_defaults():
    """Return the DistilledClassifier defaults that shape the soft labels."""
    params = DistilledClassifier(teacher=None).get_params(deep=False)
    names = (
        "transfer",
        "transfer_size",
        "cv",
        "synthetic",
        "temperature",
        "alpha",
        "mlp_alpha",
    )
    return ", ".join(f"{name}={params[name]!r}" for name in names)


def build_preamble(args, munge_class):
    """Return the lines that open the output: machine, command and settings."""
    lines = [
        describe_machine(),
        f"Command: {shlex.join([sys.executable, *sys.argv])}",
        f"Cross-validation: RepeatedStratifiedKFold(n_splits={args.folds}, "
        f"n_repeats={args.repeats}, random_state={RANDOM_STATE}). Tables give the "
        "mean ± sample standard deviation over the test folds.",
        "Fidelity: share of test rows on which the model predicts the class that "
        "the teacher fitted on the whole training fold predicts.",
        "Teacher fits are memoised: each distinct teacher fit (same rows, same "
        "parameters) runs once per fold and is shared by all students and "
        "strategies. 'student s' is the mean wall time of fit without the "
        "teacher fits (labelling, synthetic rows, student fit). 'teacher s' is "
        "the mean time of the teacher fits that fit requested, each counted at "
        "its measured time even when memoised.",
        "Strategies: direct is the student fitted on the labels. held_out and "
        "cross_fit are DistilledClassifier(transfer=...), +MUNGE adds "
        "synthetic=MUNGE(), 'own alpha' (MLP only) sets mlp_alpha=None so that "
        "the MLP keeps its own weight decay, and default is "
        "DistilledClassifier(teacher, student) with its defaults.",
        "DistilledClassifier defaults in this skdistill, kept by every strategy "
        f"except where it sets transfer or synthetic: {describe_distiller_defaults()}. "
        f"All use random_state={RANDOM_STATE}.",
        "Threads: BLAS and OpenMP pools limited to one thread, random forest "
        "n_jobs=1, so every fit runs on one core.",
    ]
    if munge_class is None:
        note = (
            "NOTE: skdistill has no MUNGE in this version, so the strategies "
            f"{', '.join(MUNGE_STRATEGIES)} were skipped."
        )
        lines.append(note)
        progress(note)
    return lines


def run_dataset(dataset, args, strategies, warning_counts, run_start):
    """Cross-validate every teacher, student and strategy on one data set.

    Returns the DatasetRun with its results, or None when none of the selected
    teachers applies to the data set.
    """
    X, y = load_dataset(dataset)
    teachers = build_teachers(args.teachers, dataset, args.n_estimators)
    students = build_students(args.students, dataset)
    progress(
        f"{dataset}: {X.shape[0]} rows x {X.shape[1]} features, "
        f"{len(np.unique(y))} classes; teachers {describe_models(teachers)}; "
        f"students {describe_models(students)}"
    )
    if not teachers:
        progress(f"{dataset}: none of the selected teachers applies, skipped")
        return None

    splitter = RepeatedStratifiedKFold(
        n_splits=args.folds, n_repeats=args.repeats, random_state=RANDOM_STATE
    )
    folds = [
        Fold(index, train, test)
        for index, (train, test) in enumerate(splitter.split(X, y))
    ]
    context = DatasetRun(dataset, X, y, warning_counts)
    for teacher_name, teacher in teachers.items():
        for fold in folds:
            fold_start = time.perf_counter()
            context.results += run_fold(
                context, teacher_name, teacher, students, strategies, fold
            )
            clear_teacher_cache()
            progress(
                f"{dataset} | {teacher_name} | fold {fold.index + 1}/"
                f"{len(folds)} | {time.perf_counter() - fold_start:.1f} s "
                f"(total {time.perf_counter() - run_start:.0f} s)"
            )
    context.n_folds = len(folds)
    return context


def main(argv=None):
    args = parse_args(argv)
    run_start = time.perf_counter()
    munge_class = import_munge()
    strategies = build_strategies(munge_class, args.alphas, args.strategies)
    preamble = build_preamble(args, munge_class)
    print("\n".join(preamble), flush=True)
    report = Report(preamble, args.out)

    warning_counts = Counter()
    runs = []
    # One thread per pool. On a 2-core AMD EPYC machine under a load average
    # near 5 (scikit-learn 1.9.1), HistGradientBoostingClassifier took 129 to
    # 233 s to fit one-hot splice with two OpenMP threads and 11 to 13 s with
    # one, most likely because a thread waited for a busy core.
    with threadpool_limits(limits=1):
        for dataset in args.datasets:
            context = run_dataset(dataset, args, strategies, warning_counts, run_start)
            if context is None:
                continue
            runs.append(context)
            n_rows, n_features = context.X.shape
            report.add(
                f"{dataset} ({n_rows} x {n_features}, "
                f"{len(np.unique(context.y))} classes, {context.n_folds} test folds)",
                *dataset_table(context.teacher_results + context.results),
            )
            report.write_markdown(["(partial: the run has not finished)"])

    teacher_results = [result for run in runs for result in run.teacher_results]
    report.add("Teachers", *teacher_table(teacher_results))
    report.add(
        "Summary: test accuracy of the student",
        *summary_table({run.dataset: run.results for run in runs}),
        note="'default - direct' is the mean ± sd over folds of the paired "
        "difference. 'below direct' marks a default below direct training. "
        "'best' is the most accurate distillation strategy.",
    )
    if warning_counts:
        report.add("Warnings raised during fit", *warning_table(warning_counts))

    total_calls = sum(run.teacher_fit_calls for run in runs)
    total_misses = sum(run.teacher_fit_misses for run in runs)
    closing = [
        f"Teacher fit requests by the distiller: {total_calls}, of which "
        f"{total_misses} ran a fit and {total_calls - total_misses} reused one.",
        f"Total wall time: {time.perf_counter() - run_start:.0f} s",
    ]
    print()
    print("\n".join(closing), flush=True)
    report.write_markdown(closing)


if __name__ == "__main__":
    main()
