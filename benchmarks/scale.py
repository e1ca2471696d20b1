"""Time DistilledClassifier on sparse single-cell-like counts of growing size.

The data is a synthetic count matrix: negative binomial counts at about 5 %
of the entries of 2,000 genes, plus 20 marker genes per cell type with higher
counts. The teacher is ``TruncatedSVD(50) -> LogisticRegression``, fitted
once per size and wrapped in ``FrozenEstimator``. Two students, a small MLP
and a depth-8 tree, are distilled from it with ``alpha=0.5`` in two ways:

- ``skdistill``: ``DistilledClassifier(..., batch_size=10_000).fit``, which
  labels the rows and fits the student, then measures the fidelity;
- ``by hand``: the same targets written with plain NumPy and scikit-learn,
  labelling all rows in one call. Like ``student_rows="auto"``, the student
  learns weighted repeated rows up to 100,000 cells and one drawn label per
  cell above.

The matrix of each size is generated once and saved as an uncompressed
``.npz`` file. A fresh subprocess per method loads it, so each peak resident
memory (``VmHWM`` on Linux) covers loading the data, fitting the teacher and
distilling both students, but not generating the data. Run it from the
repository root::

    python benchmarks/scale.py            # 10,000 and 100,000 cells
    python benchmarks/scale.py --million  # adds 1,000,000 cells
"""

# SPDX-License-Identifier: BSD-3-Clause

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import scipy.sparse as sp

N_GENES = 2000
N_TYPES = 6
N_MARKERS = 20
DENSITY = 0.05
BATCH_SIZE = 10_000


# Cells generated at a time, so that the generator's temporary int64 COO
# arrays stay small beside the float32 CSR result.
CHUNK_CELLS = 100_000


def make_counts(n_cells, random_state=0):
    """Return a CSR count matrix (cells x genes, float32) and the cell types."""
    rng = np.random.default_rng(random_state)
    chunks, types = [], []
    for start in range(0, n_cells, CHUNK_CELLS):
        X_chunk, type_chunk = _make_count_chunk(min(CHUNK_CELLS, n_cells - start), rng)
        chunks.append(X_chunk)
        types.append(type_chunk)
    X = sp.vstack(chunks, format="csr")
    # vstack may widen the indices to int64; int32 is what a CSR matrix of
    # this size needs and what the input-size figure assumes.
    X.indices = X.indices.astype(np.int32)
    X.indptr = X.indptr.astype(np.int64 if X.nnz > 2**31 - 1 else np.int32)
    return X, np.concatenate(types)


def _make_count_chunk(n_cells, rng):
    cell_type = rng.integers(N_TYPES, size=n_cells)

    # Background: DENSITY * N_GENES random genes per cell, each with a count
    # of 1 + NB(2, 0.5), whose mean is 3.
    per_cell = int(DENSITY * N_GENES)
    rows = np.repeat(np.arange(n_cells), per_cell)
    columns = rng.integers(N_GENES, size=n_cells * per_cell)
    values = 1 + rng.negative_binomial(2, 0.5, size=n_cells * per_cell)

    # Markers: genes [N_MARKERS * t, N_MARKERS * (t + 1)) of type t, each
    # expressed with probability 0.5 and a count of 1 + NB(2, 0.2), mean 9.
    marker_rows = np.repeat(np.arange(n_cells), N_MARKERS)
    marker_columns = np.repeat(cell_type, N_MARKERS) * N_MARKERS + np.tile(
        np.arange(N_MARKERS), n_cells
    )
    expressed = rng.random(n_cells * N_MARKERS) < 0.5
    marker_values = 1 + rng.negative_binomial(2, 0.2, size=expressed.sum())

    X = sp.coo_matrix(
        (
            np.concatenate([values, marker_values]).astype(np.float32),
            (
                np.concatenate([rows, marker_rows[expressed]]),
                np.concatenate([columns, marker_columns[expressed]]),
            ),
        ),
        shape=(n_cells, N_GENES),
    ).tocsr()
    return X, cell_type


def peak_rss_mib():
    """Return this process's peak resident memory so far, in MiB."""
    # Linux carries ru_maxrss over an exec: a worker started by a parent that
    # once held a large matrix would report the parent's peak. VmHWM is the
    # peak of the worker's own address space.
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    scale = 2**20 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def make_teacher():
    from sklearn.decomposition import TruncatedSVD
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TruncatedSVD(50, random_state=0), LogisticRegression(max_iter=300)
    )


def make_students():
    from sklearn.neural_network import MLPClassifier
    from sklearn.tree import DecisionTreeClassifier

    return {
        "MLP(32), 10 epochs": MLPClassifier(
            hidden_layer_sizes=(32,), max_iter=10, random_state=0
        ),
        "tree, depth 8": DecisionTreeClassifier(max_depth=8, random_state=0),
    }


def distill_by_hand(teacher, student, X, y, student_rows, alpha=0.5):
    """Distill with plain scikit-learn: return (labelling s, student fit s).

    The student gets weighted repeated rows or one label per cell drawn from
    its target, chosen by ``student_rows`` as ``DistilledClassifier`` does.
    """
    from skdistill._student import resolve_student_rows

    start = time.perf_counter()
    proba = teacher.predict_proba(X)
    labelling = time.perf_counter() - start

    start = time.perf_counter()
    target = (1 - alpha) * proba
    target[np.arange(len(y)), y] += alpha
    if resolve_student_rows(student_rows, len(y)) == "sample":
        uniform = np.random.RandomState(0).random_sample(len(y))
        drawn = (uniform[:, np.newaxis] > np.cumsum(target, axis=1)).sum(axis=1)
        drawn = np.minimum(drawn, target.shape[1] - 1)
        student.fit(X, drawn)
    else:
        rows, columns = np.nonzero(target >= 1e-4)
        student.fit(X[rows], columns, sample_weight=target[rows, columns])
    return labelling, time.perf_counter() - start


@contextmanager
def timed_phases():
    """Time skdistill's labelling and student fit inside ``fit``.

    Wraps the two functions that ``DistilledClassifier.fit`` calls for these
    phases and yields a dict of their summed wall times in seconds.
    """
    import skdistill._distill

    phases = {"labelling": 0.0, "student fit": 0.0}
    originals = {
        "labelling": ("label_in_batches", skdistill._distill.label_in_batches),
        "student fit": ("fit_student", skdistill._distill.fit_student),
    }

    def timing(phase, function):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[phase] += time.perf_counter() - start

        return timed

    for phase, (name, function) in originals.items():
        setattr(skdistill._distill, name, timing(phase, function))
    try:
        yield phases
    finally:
        for name, function in originals.values():
            setattr(skdistill._distill, name, function)


def run_one(data_path, method, student_rows):
    """Measure one (data file, method) pair; return a dict of figures."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.frozen import FrozenEstimator

    from skdistill import DistilledClassifier

    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    rss_before_loading = peak_rss_mib()
    X = sp.load_npz(data_path)
    y = np.load(f"{data_path}.labels.npy")
    n_cells = X.shape[0]
    figures = {"cells": n_cells, "method": method, "nnz": int(X.nnz)}
    figures["RSS before loading (MiB)"] = rss_before_loading
    figures["input (MiB)"] = (
        X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    ) / 2**20
    figures["peak RSS after loading (MiB)"] = peak_rss_mib()

    start = time.perf_counter()
    teacher = make_teacher().fit(X, y)
    figures["teacher fit (s)"] = time.perf_counter() - start
    figures["peak RSS after teacher (MiB)"] = peak_rss_mib()

    for name, student in make_students().items():
        if method == "skdistill":
            clf = DistilledClassifier(
                FrozenEstimator(teacher),
                student,
                alpha=0.5,
                student_rows=student_rows,
                mlp_alpha=None,
                batch_size=BATCH_SIZE,
                random_state=0,
            )
            with timed_phases() as phases:
                start = time.perf_counter()
                clf.fit(X, y)
                total = time.perf_counter() - start
            figures[name] = {
                "labelling (s)": phases["labelling"],
                "student fit (s)": phases["student fit"],
                "distill (s)": total,
            }
        else:
            labelling, fitting = distill_by_hand(teacher, student, X, y, student_rows)
            figures[name] = {
                "labelling (s)": labelling,
                "student fit (s)": fitting,
                "distill (s)": labelling + fitting,
            }
    figures["peak RSS (MiB)"] = peak_rss_mib()
    return figures


def measure(data_path, method, student_rows):
    """Run ``run_one`` in a fresh interpreter and return its figures."""
    output = subprocess.run(
        [sys.executable, __file__, "--worker", str(data_path), method, student_rows],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def print_table(results):
    header = (
        f"{'cells':>9} {'student':<20} {'teacher fit s':>13} "
        f"{'by hand s':>9} {'(label s)':>9} {'(fit s)':>8} "
        f"{'skdistill s':>11} {'(label s)':>9} {'(fit s)':>8} {'ratio':>6} "
        f"{'ms/1k cells':>11} {'RSS hand MiB':>12} {'RSS skd MiB':>11}"
    )
    print(header)
    for n_cells, by_method in results.items():
        hand = by_method["by hand"]
        ours = by_method["skdistill"]
        for name in make_students():
            hand_seconds = hand[name]["distill (s)"]
            our_seconds = ours[name]["distill (s)"]
            print(
                f"{n_cells:>9,} {name:<20} {ours['teacher fit (s)']:>13.2f} "
                f"{hand_seconds:>9.2f} {hand[name]['labelling (s)']:>9.2f} "
                f"{hand[name]['student fit (s)']:>8.2f} "
                f"{our_seconds:>11.2f} {ours[name]['labelling (s)']:>9.2f} "
                f"{ours[name]['student fit (s)']:>8.2f} "
                f"{our_seconds / hand_seconds:>6.2f} "
                f"{1000 * our_seconds / n_cells * 1000:>11.1f} "
                f"{hand['peak RSS (MiB)']:>12.0f} {ours['peak RSS (MiB)']:>11.0f}"
            )
    print()
    print(
        "Peak RSS of the skdistill subprocess after each phase; the peak only "
        "grows, so a phase that raises it sets the peak."
    )
    print(
        f"{'cells':>9} {'input MiB':>9} {'before load':>11} {'after load':>10} "
        f"{'after teacher':>13} {'after distilling':>16} {'peak / input':>12}"
    )
    for n_cells, by_method in results.items():
        ours = by_method["skdistill"]
        print(
            f"{n_cells:>9,} {ours['input (MiB)']:>9.0f} "
            f"{ours['RSS before loading (MiB)']:>11.0f} "
            f"{ours['peak RSS after loading (MiB)']:>10.0f} "
            f"{ours['peak RSS after teacher (MiB)']:>13.0f} "
            f"{ours['peak RSS (MiB)']:>16.0f} "
            f"{ours['peak RSS (MiB)'] / ours['input (MiB)']:>12.1f}"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--million", action="store_true", help="also run 1,000,000 cells"
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000],
        help="numbers of cells to run (default: 10000 100000)",
    )
    parser.add_argument(
        "--student-rows",
        choices=["auto", "repeat", "sample"],
        default="auto",
        help="how the students learn the soft labels (default: auto)",
    )
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(run_one(*args.worker)))
        return

    from skdistill._demo import describe_machine

    sizes = args.sizes + ([1_000_000] if args.million else [])
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        for n_cells in sizes:
            # The data is made here and loaded by each worker, so the worker's
            # peak memory covers loading the matrix, not generating it.
            data_path = Path(directory) / f"counts_{n_cells}.npz"
            X, y = make_counts(n_cells)
            sp.save_npz(data_path, X, compressed=False)
            np.save(f"{data_path}.labels.npy", y)
            del X, y
            results[n_cells] = {
                method: measure(data_path, method, args.student_rows)
                for method in ("by hand", "skdistill")
            }
            data_path.unlink()
            print(f"done: {n_cells:,} cells", file=sys.stderr)
    print(describe_machine())
    print(
        f"{N_GENES} genes, {N_TYPES} cell types, about {DENSITY:.0%} nonzero; "
        f"teacher TruncatedSVD(50) -> LogisticRegression; batch_size={BATCH_SIZE}; "
        f"student_rows={args.student_rows!r}"
    )
    print(
        "by hand s and skdistill s: labelling + student fit, each also shown; "
        "skdistill s also includes the fidelity. ratio = skdistill / by hand. "
        "ms/1k cells is skdistill's. RSS is the peak of the subprocess for both "
        "students."
    )
    print_table(results)


if __name__ == "__main__":
    main()
