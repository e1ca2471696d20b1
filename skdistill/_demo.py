"""Teacher-versus-student comparison on the bundled SRBCT data.

``skdistill demo`` runs :func:`run_demo`. The measurement helpers here are
also used by ``benchmarks/latency.py``.
"""

# SPDX-License-Identifier: BSD-3-Clause

import os
import pickle
import platform
import statistics
import time
from dataclasses import dataclass

import numpy as np
import scipy
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

# threadpoolctl is a run-time dependency of scikit-learn.
from threadpoolctl import threadpool_limits

import skdistill
from skdistill import DistilledClassifier

# benchmarks/quality.py and the demo tests import fidelity_score from here.
from skdistill._metrics import fidelity_score
from skdistill.datasets import load_srbct

TEST_SIZE = 0.25
N_REPEATS = 30


@dataclass
class ModelProfile:
    """Quality, speed and size of one fitted model on the test rows."""

    accuracy: float
    macro_f1: float
    batch_seconds: float
    row_seconds: float
    pickled_bytes: int


def describe_machine():
    """Return one line with the platform, CPUs and library versions.

    Examples
    --------
    >>> from skdistill._demo import describe_machine
    >>> describe_machine().startswith("Machine: ")
    True
    """
    # The affinity mask counts the CPUs this process may use, which is what
    # the timings depend on. os.cpu_count() counts the host's CPUs instead.
    if hasattr(os, "sched_getaffinity"):
        n_cpus = len(os.sched_getaffinity(0))
    else:
        n_cpus = os.cpu_count()
    processor = _read_cpu_model() or platform.machine()
    return (
        f"Machine: {platform.platform()}, {n_cpus} CPUs ({processor}) | "
        f"Python {platform.python_version()}, scikit-learn {sklearn.__version__}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}, "
        f"skdistill {skdistill.__version__}"
    )


def _read_cpu_model():
    """Return the CPU model name from /proc/cpuinfo, or None off Linux."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def describe_estimator(estimator):
    """Return a short name for an estimator, listing the steps of a Pipeline.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdistill._demo import describe_estimator
    >>> describe_estimator(make_pipeline(StandardScaler(), LogisticRegression()))
    'StandardScaler -> LogisticRegression'
    """
    if isinstance(estimator, Pipeline):
        return " -> ".join(type(step).__name__ for _, step in estimator.steps)
    return type(estimator).__name__


def measure_latency(predict, X, *, n_repeats=N_REPEATS):
    """Return the median wall time in seconds of ``predict(X)`` over repeats.

    The calls run with the BLAS and OpenMP thread pools limited to one thread,
    so that every model is timed on one core. On a busy 2-core AMD EPYC
    machine (numpy 2.4.6 with OpenBLAS), a 32-unit MLP student's
    ``(21, 2308) @ (2308, 32)`` product took about 64 ms with the default two
    threads and 0.1 ms with one. Most likely a worker thread waited for a
    free core.
    The median keeps one slow call (a first call that warms caches, or a
    pause of the operating system) from moving the result.

    Examples
    --------
    >>> from skdistill._demo import measure_latency
    >>> measure_latency(sorted, [3, 1, 2], n_repeats=5) >= 0.0
    True
    """
    durations = []
    with threadpool_limits(limits=1):
        for _ in range(n_repeats):
            start = time.perf_counter()
            predict(X)
            durations.append(time.perf_counter() - start)
    return statistics.median(durations)


def pickled_size(model):
    """Return the size in bytes of ``model`` pickled with the default protocol.

    Examples
    --------
    >>> from skdistill._demo import pickled_size
    >>> pickled_size([1, 2, 3]) > 0
    True
    """
    return len(pickle.dumps(model))


def profile_model(model, size_model, X_test, y_test, *, n_repeats=N_REPEATS):
    """Measure accuracy, macro F1, ``predict_proba`` time and pickled size.

    ``model`` is timed and scored. ``size_model`` is the object whose pickled
    size is reported, which differs from ``model`` when the deployed part is
    only a component of it.
    """
    y_pred = model.predict(X_test)
    return ModelProfile(
        accuracy=accuracy_score(y_test, y_pred),
        macro_f1=f1_score(y_test, y_pred, average="macro"),
        batch_seconds=measure_latency(model.predict_proba, X_test, n_repeats=n_repeats),
        row_seconds=measure_latency(
            model.predict_proba, X_test[:1], n_repeats=n_repeats
        ),
        pickled_bytes=pickled_size(size_model),
    )


def format_ratio(teacher_value, student_value):
    """Return ``teacher_value / student_value`` formatted like '12.3x'.

    Ratios below 1 keep two significant digits, so that '0.015x' does not
    round to '0.0x'.

    Examples
    --------
    >>> from skdistill._demo import format_ratio
    >>> format_ratio(37.0, 3.0), format_ratio(1.0, 64.0)
    ('12.3x', '0.016x')
    """
    if student_value <= 0:
        return "n/a"
    ratio = teacher_value / student_value
    if ratio < 1:
        return f"{ratio:.2g}x"
    return f"{ratio:.1f}x"


def format_table(rows, *, header=("", "teacher", "student", "teacher/student")):
    """Lay out rows of strings as a table with fixed-width columns.

    The first column is left-aligned and the others right-aligned, each as
    wide as its longest cell.

    Examples
    --------
    >>> from skdistill._demo import format_table
    >>> print(format_table([("size (bytes)", "2,000", "100", "20.0x")]))
                  teacher  student  teacher/student
    size (bytes)    2,000      100            20.0x
    """
    table = [header, *rows]
    widths = [max(len(row[column]) for row in table) for column in range(len(header))]
    lines = []
    for row in table:
        cells = [row[0].ljust(widths[0])]
        for cell, width in zip(row[1:], widths[1:], strict=True):
            cells.append(cell.rjust(width))
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def comparison_rows(teacher, student, *, fidelity, n_test):
    """Build the demo's table rows from the teacher and student profiles."""
    return [
        ("test accuracy", f"{teacher.accuracy:.3f}", f"{student.accuracy:.3f}", ""),
        ("test macro F1", f"{teacher.macro_f1:.3f}", f"{student.macro_f1:.3f}", ""),
        ("fidelity to teacher (test)", "-", f"{fidelity:.3f}", ""),
        (
            f"predict_proba, {n_test} rows (ms)",
            f"{teacher.batch_seconds * 1e3:.3f}",
            f"{student.batch_seconds * 1e3:.3f}",
            format_ratio(teacher.batch_seconds, student.batch_seconds),
        ),
        (
            "predict_proba, 1 row (ms)",
            f"{teacher.row_seconds * 1e3:.3f}",
            f"{student.row_seconds * 1e3:.3f}",
            format_ratio(teacher.row_seconds, student.row_seconds),
        ),
        (
            "pickled size (bytes)",
            f"{teacher.pickled_bytes:,}",
            f"{student.pickled_bytes:,}",
            format_ratio(teacher.pickled_bytes, student.pickled_bytes),
        ),
    ]


def run_demo(*, random_state=0, n_estimators=500, n_repeats=N_REPEATS, sink=print):
    """Distill a random forest into the default student on SRBCT and compare.

    The bundled SRBCT data is split into stratified training and test rows.
    A random forest teacher is fitted on the training rows, wrapped in
    :class:`~sklearn.frozen.FrozenEstimator`, and
    :class:`~skdistill.DistilledClassifier` distills its default student on
    the same rows. The teacher and student are then compared on the test rows.

    Parameters
    ----------
    random_state : int, default=0
        Seed of the train/test split, the forest and the distiller.

    n_estimators : int, default=500
        Number of trees in the random forest teacher.

    n_repeats : int, default=30
        Number of timed ``predict_proba`` calls; their median is reported.

    sink : callable, default=print
        Called with each output line, a str.

    Returns
    -------
    profiles : dict
        ``{"teacher": ModelProfile, "student": ModelProfile, "fidelity":
        float}`` with the measured values that the table shows.

    Examples
    --------
    >>> from skdistill._demo import run_demo
    >>> lines = []
    >>> result = run_demo(n_estimators=10, n_repeats=3, sink=lines.append)
    >>> lines[-1].startswith("Total time: ")
    True
    """
    demo_start = time.perf_counter()
    sink(describe_machine())

    # NumPy arrays rather than a DataFrame, so the demo also runs without the
    # optional pandas dependency.
    X, y = load_srbct(return_X_y=True, as_frame=False)
    n_samples, n_features = X.shape
    sink(f"Loading SRBCT ({n_samples} samples x {n_features} genes)...")

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SIZE, stratify=y, random_state=random_state
    )
    sink(
        f"Splitting: {len(y_train)} training rows, {len(y_test)} test rows "
        f"(stratified, random_state={random_state})"
    )

    # n_jobs is left at 1. On an idle 2-core AMD EPYC machine (scikit-learn
    # 1.9.1), n_jobs=2 made this 500-tree forest slower on SRBCT: 0.66 s
    # instead of 0.49 s to fit, and 75 ms instead of 20 ms for predict_proba on
    # one row, because dispatching to threads costs more than the small trees.
    # With 62 training rows a held-out split would leave the forest 31. The
    # teacher is fitted on every training row instead and frozen, so the
    # student learns its soft labels on those same rows.
    sink(
        f"Fitting teacher RandomForestClassifier(n_estimators={n_estimators}) "
        f"on the {len(y_train)} training rows..."
    )
    fit_start = time.perf_counter()
    teacher = RandomForestClassifier(
        n_estimators=n_estimators, random_state=random_state
    ).fit(X_train, y_train)
    sink(f"  done in {time.perf_counter() - fit_start:.1f} s")

    distiller = DistilledClassifier(FrozenEstimator(teacher), random_state=random_state)
    sink("Distilling the default student from the frozen teacher's soft labels...")
    fit_start = time.perf_counter()
    distiller.fit(X_train, y_train)
    sink(
        f"  student {describe_estimator(distiller.student_)} distilled on "
        f"{distiller.n_transfer_samples_} rows in "
        f"{time.perf_counter() - fit_start:.1f} s"
    )

    sink(
        f"Measuring on the {len(y_test)} test rows: predict_proba time "
        f"(median of {n_repeats} calls, one thread) and pickled size..."
    )
    teacher_profile = profile_model(
        distiller.teacher_, distiller.teacher_, X_test, y_test, n_repeats=n_repeats
    )
    # The student is timed through DistilledClassifier.predict_proba, the call
    # a user makes. It validates X and then runs the student alone. Its size is
    # that of student_, because the distiller also stores the teacher.
    student_profile = profile_model(
        distiller, distiller.student_, X_test, y_test, n_repeats=n_repeats
    )
    fidelity = fidelity_score(
        distiller.teacher_.predict(X_test), distiller.predict(X_test)
    )

    rows = comparison_rows(
        teacher_profile, student_profile, fidelity=fidelity, n_test=len(y_test)
    )
    sink("")
    sink(format_table(rows))
    sink("")
    sink(
        "Fidelity is the share of test rows on which the student predicts the "
        "teacher's class."
    )
    sink(f"Total time: {time.perf_counter() - demo_start:.1f} s")
    return {
        "teacher": teacher_profile,
        "student": student_profile,
        "fidelity": fidelity,
    }
