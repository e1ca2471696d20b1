"""Compare teacher and student predict_proba latency and pickled size on SRBCT.

For each teacher, DistilledClassifier distills the default student with its
default settings (cross-fitted soft labels, then the teacher refitted on all
training rows). The script then
times ``predict_proba`` on all test rows and on one row (median of repeated
calls) and pickles the fitted ``teacher_`` and ``student_``. The student is
timed through ``DistilledClassifier.predict_proba``, as in ``skdistill demo``.

Run it from an environment where skdistill is installed::

    python benchmarks/latency.py --n-repeats 30
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import time

from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.model_selection import train_test_split

from skdistill import DistilledClassifier
from skdistill._demo import (
    N_REPEATS,
    TEST_SIZE,
    describe_estimator,
    describe_machine,
    format_ratio,
    format_table,
    measure_latency,
    pickled_size,
)
from skdistill.datasets import load_srbct


def build_teachers(random_state):
    """Return the teachers to compare, keyed by the name printed for them."""
    return {
        "RandomForestClassifier(n_estimators=500)": RandomForestClassifier(
            n_estimators=500, random_state=random_state
        ),
        "HistGradientBoostingClassifier()": HistGradientBoostingClassifier(
            random_state=random_state
        ),
    }


def measure_pair(distiller, X_test, n_repeats):
    """Return table rows comparing a fitted distiller's teacher and student."""
    teacher = distiller.teacher_
    rows = []
    for label, X in [
        (f"predict_proba, {len(X_test)} rows (ms)", X_test),
        ("predict_proba, 1 row (ms)", X_test[:1]),
    ]:
        teacher_seconds = measure_latency(teacher.predict_proba, X, n_repeats=n_repeats)
        student_seconds = measure_latency(
            distiller.predict_proba, X, n_repeats=n_repeats
        )
        rows.append(
            (
                label,
                f"{teacher_seconds * 1e3:.3f}",
                f"{student_seconds * 1e3:.3f}",
                format_ratio(teacher_seconds, student_seconds),
            )
        )

    teacher_bytes = pickled_size(teacher)
    student_bytes = pickled_size(distiller.student_)
    rows.append(
        (
            "pickled size (bytes)",
            f"{teacher_bytes:,}",
            f"{student_bytes:,}",
            format_ratio(teacher_bytes, student_bytes),
        )
    )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n-repeats",
        type=int,
        default=N_REPEATS,
        help="number of timed calls per measurement, of which the median is "
        "reported (default: %(default)s)",
    )
    parser.add_argument(
        "--random-state",
        type=int,
        default=0,
        help="seed of the split, the teachers and the distiller (default: 0)",
    )
    args = parser.parse_args(argv)

    print(describe_machine())
    X, y = load_srbct(return_X_y=True, as_frame=False)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SIZE, stratify=y, random_state=args.random_state
    )
    print(
        f"SRBCT: {len(y_train)} training rows, {len(y_test)} test rows, "
        f"{X.shape[1]} features. Each time is the median of {args.n_repeats} "
        "calls on one thread."
    )

    for name, teacher in build_teachers(args.random_state).items():
        start = time.perf_counter()
        distiller = DistilledClassifier(teacher, random_state=args.random_state)
        distiller.fit(X_train, y_train)
        print()
        print(
            f"Teacher {name}, student {describe_estimator(distiller.student_)} "
            f"(fitted in {time.perf_counter() - start:.1f} s)"
        )
        print(format_table(measure_pair(distiller, X_test, args.n_repeats)))


if __name__ == "__main__":
    main()
