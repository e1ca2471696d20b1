"""Timing, size and table helpers shared by the demo, the report and benchmarks.

``benchmarks/latency.py`` imports them through :mod:`skdistill._demo`.
"""

# SPDX-License-Identifier: BSD-3-Clause

import pickle
import statistics
import time

# threadpoolctl is a run-time dependency of scikit-learn.
from threadpoolctl import threadpool_limits

N_REPEATS = 30


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
    >>> from skdistill._measure import measure_latency
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
    >>> from skdistill._measure import pickled_size
    >>> pickled_size([1, 2, 3]) > 0
    True
    """
    return len(pickle.dumps(model))


def format_ratio(teacher_value, student_value):
    """Return ``teacher_value / student_value`` formatted like '12.3x'.

    Ratios below 1 keep two significant digits, so that '0.015x' does not
    round to '0.0x'.

    Examples
    --------
    >>> from skdistill._measure import format_ratio
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
    >>> from skdistill._measure import format_table
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
