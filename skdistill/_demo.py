"""Teacher-versus-student comparison on the bundled SRBCT data.

``skdistill demo`` runs :func:`run_demo`. ``benchmarks/latency.py`` and
``benchmarks/quality.py`` import their measurement helpers from here.
"""

# SPDX-License-Identifier: BSD-3-Clause

import os
import platform
import time

import numpy as np
import scipy
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

import skdistill
from skdistill import DistilledClassifier

# benchmarks/quality.py and the demo tests import fidelity_score from here, and
# benchmarks/latency.py the timing and table helpers.
from skdistill._measure import (  # noqa: F401
    N_REPEATS,
    format_ratio,
    format_table,
    measure_latency,
    pickled_size,
)
from skdistill._metrics import fidelity_score  # noqa: F401
from skdistill._report import distillation_report
from skdistill.datasets import load_srbct

TEST_SIZE = 0.25


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


def run_demo(*, random_state=0, n_estimators=500, n_repeats=N_REPEATS, sink=print):
    """Distill a random forest into the default student on SRBCT and compare.

    The bundled SRBCT data is split into stratified training and test rows.
    A random forest teacher is fitted on the training rows, wrapped in
    :class:`~sklearn.frozen.FrozenEstimator`, and
    :class:`~skdistill.DistilledClassifier` distills its default student on
    the same rows. :func:`~skdistill.metrics.distillation_report` then
    compares the teacher and student on the test rows, and its table is
    printed.

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
    report : DistillationReport
        The comparison that the demo prints, from
        :func:`~skdistill.metrics.distillation_report` on the test rows.

    Examples
    --------
    >>> from skdistill._demo import run_demo
    >>> lines = []
    >>> report = run_demo(n_estimators=10, n_repeats=3, sink=lines.append)
    >>> lines[-1].startswith("Total time: ")
    True
    >>> report.n_samples
    21
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
        f"Measuring on the {len(y_test)} test rows: scores, bootstrap intervals, "
        f"predict_proba time (median of {n_repeats} calls, one thread) and size..."
    )
    # The student is timed through DistilledClassifier.predict_proba, the call
    # a user makes, and its size is that of student_, because the distiller
    # also stores the teacher.
    report = distillation_report(
        distiller, X_test, y_test, n_repeats=n_repeats, random_state=random_state
    )
    sink("")
    for line in str(report).splitlines():
        sink(line)
    sink("")
    sink(
        "Fidelity is the share of test rows on which the student predicts the "
        "teacher's class."
    )
    sink(f"Total time: {time.perf_counter() - demo_start:.1f} s")
    return report
